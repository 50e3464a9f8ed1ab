"""What only a browser shows: keyboard use, no JavaScript, axe-core, a phone-sized screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import FULL, results_form_fields

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else outside.append(request.url)
        ),
    )
    yield page
    context.close()
    assert outside == [], f"requests left the app: {outside}"


def answer_step_by_click(page, value_index: int) -> None:
    # .all() does not wait for a navigation to finish: wait for a fresh, unanswered step.
    page.locator(".step-indicator").wait_for()
    page.locator("input[type=radio]:checked").first.wait_for(state="detached")
    page.wait_for_load_state()  # the new document fully parsed, every fieldset present
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").nth(value_index).check()


def test_keyboard_only(page, live_server):
    page.goto(f"{live_server.url}/en/")
    # Tab to "Start now" and press Enter.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Start now":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/questions")
    pages = 0
    answered_something = True
    while "Your results" not in page.title():
        pages += 1
        assert pages < 10, "the keyboard flow did not reach the results"
        answered: set[str] = set()
        for _ in range(80):
            page.keyboard.press("Tab")
            active = page.evaluate(
                "(() => { const a = document.activeElement;"
                " return {tag: a.tagName, type: a.type, name: a.name, value: a.value}; })()"
            )
            if active["type"] == "radio" and active["name"] not in answered:
                # Space picks the focused option, arrows move to the next one.
                page.keyboard.press("Space")
                page.keyboard.press("ArrowDown")
                answered.add(active["name"])
            elif active["tag"] == "BUTTON" and active["value"] == "continue":
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                break
        answered_something = answered_something and bool(answered)
    assert answered_something
    expect(page.locator("h1")).to_have_text("Your results")
    # Every scored item got the second option (value 1) through the keyboard: the
    # results page carries the answers it scored.
    fields = results_form_fields(page.content())
    assert {item.id: fields.get(item.id) for item in FULL.items} == {
        item.id: str(item.scale.options[1].value) for item in FULL.items
    }
    assert page.locator(".dimension").count() == 3


def test_focus_is_visible(page, live_server):
    page.goto(f"{live_server.url}/en/check/burnout-self-check/questions")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("button", name="Start now").click()
    # An unanswered page gives the error summary, with links to each question.
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error:"))
    links = page.locator(".error-summary a")
    assert links.count() == 6
    links.first.click()
    assert page.url.endswith("#ex_nothing_left-0")
    for step in range(4):
        answer_step_by_click(page, 5 if step < 3 else 0)
        page.locator("button[value=continue]").click()
    expect(page.locator("h1")).to_have_text("Your results")
    assert page.locator(".dimension").count() == 3
    assert not page.get_by_role("button", name="Print").is_visible()
    # The country choice works without script too.
    page.select_option("#country", "GB")
    page.get_by_role("button", name="Show crisis lines").click()
    expect(page.locator("main")).to_contain_text("Samaritans")
    assert context.cookies() == []
    context.close()


def _axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
        },
    )
    # A run that checked nothing would also report no violations.
    assert len(results.response["passes"]) > 10
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def test_axe_finds_no_violations(page, live_server):
    checked = {}
    page.goto(f"{live_server.url}/en/")
    checked["start"] = _axe_violations(page)
    page.goto(f"{live_server.url}/en/check/burnout-self-check/questions")
    checked["question"] = _axe_violations(page)
    page.locator("button[value=continue]").click()
    checked["error"] = _axe_violations(page)
    answer_step_by_click(page, 6)
    for _ in range(3):
        page.locator("button[value=continue]").click()
        answer_step_by_click(page, 1)
    page.locator("button[value=continue]").click()
    expect(page.locator("h1")).to_have_text("Your results")
    checked["results"] = _axe_violations(page)
    page.goto(f"{live_server.url}/en/crisis")
    checked["crisis"] = _axe_violations(page)
    page.goto(f"{live_server.url}/en/privacy")
    checked["privacy"] = _axe_violations(page)
    assert {name: v for name, v in checked.items() if v} == {}


def test_results_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/check/burnout-self-check/questions")
    for step in range(4):
        answer_step_by_click(page, 5 if step < 3 else 1)
        page.locator("button[value=continue]").click()
    expect(page.locator("h1")).to_have_text("Your results")
    # Crisis help first (safety answered yes), and nothing wider than the screen.
    assert page.locator(".crisis-first").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "results-375.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    first_chart = page.locator("svg.chart").first.bounding_box()
    assert first_chart["width"] > 250
    context.close()


def _to_results(page, live_server):
    page.goto(f"{live_server.url}/en/check/burnout-self-check/questions")
    for step in range(4):
        answer_step_by_click(page, 3 if step < 3 else 0)
        page.locator("button[value=continue]").click()
    expect(page.locator("h1")).to_have_text("Your results")


def test_print_button_only_with_javascript_and_clean_print(page, live_server):
    _to_results(page, live_server)
    # The button is revealed by a deferred script: wait for it rather than look once.
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.emulate_media(media="print")
    for selector in (".site-header", ".site-footer", ".actions", "button"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".dimension").first.is_visible()
    assert FULL.id in page.url


def test_pdf_download_from_results(page, live_server):
    _to_results(page, live_server)
    page.select_option("#country", "DE")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download summary (PDF)").click()
    download = info.value
    assert download.suggested_filename.startswith("burnout-summary-")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    assert "0800 111 0 111" in PdfReader(download.path()).pages[-1].extract_text() + "".join(
        p.extract_text() for p in PdfReader(download.path()).pages
    )


def test_language_switcher_is_readable_on_question_pages(page, live_server):
    """Buttons in the header switcher must contrast with the header (axe missed this once)."""
    page.goto(f"{live_server.url}/en/check/burnout-self-check/questions")
    colours = page.evaluate(
        """() => {
          const header = getComputedStyle(document.querySelector('.site-header')).backgroundColor;
          return [...document.querySelectorAll('.language-switcher button, .language-switcher a')]
            .map(el => [getComputedStyle(el).color, header]);
        }"""
    )
    assert len(colours) == 5  # the five other languages

    def luminance(rgb: str) -> float:
        parts = [int(x) / 255 for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for text, background in colours:
        light, dark = sorted((luminance(text), luminance(background)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (text, background)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize("safety", [0, 1], ids=["safety-no", "safety-yes"])
def test_country_choice_keeps_the_person_at_the_crisis_block(
    browser, live_server, javascript, safety
):
    """A phone, a browser in British English: its region decides, the picker brings
    the person back to the crisis block, not to the top of the page."""
    context = browser.new_context(
        viewport={"width": 375, "height": 700}, locale="en-GB", java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/en/check/burnout-self-check/questions")
    expect(page.locator("#country")).to_have_value("GB")  # pre-filled on step 1
    for step in range(4):
        answer_step_by_click(page, 3 if step < 3 else safety)
        page.locator("button[value=continue]").click()
    expect(page.locator("h1")).to_have_text("Your results")
    crisis = page.locator("#crisis")
    expect(crisis).to_contain_text("116 123")
    expect(page.locator("main")).not_to_contain_text("988")
    # The choice sits inside the crisis block.
    assert crisis.locator("select#country").count() == 1
    crisis.locator("select#country").select_option("AU")
    crisis.get_by_role("button", name="Show crisis lines").click()
    page.wait_for_url(re.compile(r"/results#crisis$"))
    expect(page.locator("#crisis")).to_contain_text("13 11 14")
    expect(page.locator("#crisis select#country")).to_have_value("AU")
    expect(page.locator("#crisis h2")).to_be_in_viewport()
    if not safety:
        # The block is far down the page: the browser did not land at the top.
        assert page.evaluate("window.scrollY") > 300
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_crisis_page_choice_returns_to_the_crisis_block(browser, live_server, javascript):
    context = browser.new_context(
        viewport={"width": 375, "height": 500}, locale="ar", java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/ar/crisis")
    # Arabic alone names no country: emergency advice, directory and choice together.
    block = page.locator("#crisis")
    expect(block.locator("select#country")).to_have_value("other")
    expect(block.locator(".directory a")).to_have_attribute("href", "https://findahelpline.com/")
    block.locator("select#country").select_option("GB")
    block.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ar/crisis\?country=GB#crisis$"))
    expect(page.locator("#crisis")).to_contain_text("116 123")
    expect(page.locator("#crisis h2")).to_be_in_viewport()
    expect(page.locator(".back-to-check a")).to_have_attribute("href", "/ar/")
    context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_crisis_pages_on_a_phone(browser, live_server, lang):
    """Screenshots at 375 px of the results (safety yes) and the crisis page."""
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, device_scale_factor=1, locale="en-GB"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/{lang}/check/burnout-self-check/questions")
    for _ in range(4):
        answer_step_by_click(page, 1)
        page.locator("button[value=continue]").click()
    expect(page.locator(".crisis-first")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"results-safety-{lang}-375.png"), full_page=True)
    page.goto(f"{live_server.url}/{lang}/crisis")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / f"crisis-{lang}-375.png"), full_page=True)
    context.close()
