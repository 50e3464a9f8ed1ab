"""The whole check as a person on a phone walks it (375 x 740), in English and Arabic.

One walk per language, in one browser context, checks in order: Back and Forward
keep every answer with no resubmission page; a left-out question is accepted and
counted; the error summary is short; the call to professional help starts within
two screens of the results; ticked plan ideas reach the PDF; the reminder is a valid
calendar file without answers; axe finds nothing on any page. It also writes a
screenshot of every page and reports the total height of the question pages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import FULL
from .test_browser import _axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
PHONE = {"width": 375, "height": 740}
CHECK = "burnout-self-check"
# Strings in each language, as the page shows them.
WORDS = {
    "en": {
        "answered": "You answered 18 of 19 questions.",
        "plan_title": "What I plan to try",
        "cta": "Find professional help",
    },
    "ar": {
        "answered": "أجبت عن 18 من 19 سؤالًا.",
        "plan_title": "ما أنوي تجربته",
        "cta": "اعثر على مساعدة متخصصة",
    },
}


def _step(page) -> int:
    return int(page.locator("input[name=step]").get_attribute("value"))


def _checked(page) -> dict[str, str]:
    """Every answer the current page holds: ticked radios and hidden answers."""
    return page.evaluate(
        """() => {
          const out = {};
          const form = document.getElementById('answers-form');
          const meta = ['token', 'step', 'action', 'country', 'plan'];
          for (const el of form.elements) {
            if (!el.name || meta.includes(el.name)) continue;
            const given = (el.type === 'radio' && el.checked) || el.type === 'hidden';
            if (given) out[el.name] = el.value;
          }
          return out;
        }"""
    )


def _answer(page, values: dict[str, int]) -> None:
    for name, index in values.items():
        page.locator(f"#{name}-{index}").check()


def _continue(page, expected_step: int | None) -> None:
    page.locator("button[value=continue]").click()
    if expected_step is None:
        expect(page.locator("#answers-form input[name=step]")).to_have_count(0)
    else:
        expect(page.locator("#answers-form input[name=step]")).to_have_value(str(expected_step))


def _not_a_resubmission_page(page) -> None:
    # Chromium's "Confirm Form Resubmission" is an error page without our form.
    assert page.locator("#answers-form").count() == 1, page.content()[:300]
    assert "ERR_CACHE_MISS" not in page.content()


def _nothing_stored(page, context) -> None:
    assert context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert "?" not in page.url


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_check_on_a_phone(browser, live_server, lang):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-GB")
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url)
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    violations: dict[str, list] = {}

    def look(name: str) -> None:
        """axe, and a full-page screenshot for a person to look at."""
        page.wait_for_load_state()
        violations[name] = _axe_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        page.screenshot(path=str(SCREENSHOTS / f"flow-{lang}-{name}.png"), full_page=True)

    base = f"{live_server.url}/{lang}"
    page.goto(f"{base}/")
    look("start")
    # A slim header on a phone (it took 160 to 185 px).
    assert page.locator(".site-header").bounding_box()["height"] < 145
    page.locator(".button-start").click()
    expect(page.locator("input[name=step]")).to_have_value("1")

    steps = [s for s in FULL.dimensions]
    # Distinct answers per step so that a mix-up would show.
    plan_answers = {
        1: {item.id: (n % 7) for n, item in enumerate(steps[0].items)},
        2: {item.id: ((n + 2) % 7) for n, item in enumerate(steps[1].items)},
        3: {item.id: ((n + 4) % 7) for n, item in enumerate(steps[2].items)},
        4: {FULL.safety.id: 0},
    }
    heights = {}

    # Step 1: the error summary first (three of six left out: too few to score).
    heights[1] = page.evaluate("document.documentElement.scrollHeight")
    look("step-1")
    first_three = dict(list(plan_answers[1].items())[:3])
    _answer(page, first_three)
    page.locator("button[value=continue]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    # Short: well under a screen, and one link per missing question.
    assert box["height"] < PHONE["height"] / 2, box
    links = summary.locator("a")
    assert links.count() == 3
    look("error")
    # Answer two more, leave the last out: five of six is enough to score.
    step1 = dict(list(plan_answers[1].items())[:5])
    skipped = list(plan_answers[1])[5]
    _answer(page, step1)
    _continue(page, 2)

    # Step 2: answer, then the browser's Back and Forward.
    heights[2] = page.evaluate("document.documentElement.scrollHeight")
    look("step-2")
    _answer(page, plan_answers[2])
    page.go_back()
    expect(page.locator("input[name=step]")).to_have_value("1")
    _not_a_resubmission_page(page)
    held = _checked(page)
    for name, index in step1.items():
        assert held[name] == str(index), name
    assert skipped not in held
    for name, index in plan_answers[2].items():  # carried, though given on step 2
        assert held[name] == str(index), name
    page.go_forward()
    expect(page.locator("input[name=step]")).to_have_value("2")
    _not_a_resubmission_page(page)
    held = _checked(page)
    assert {k: held[k] for k in plan_answers[2]} == {k: str(v) for k, v in plan_answers[2].items()}
    # The app's own Back button keeps them too.
    page.locator("button[value=back]").click()
    expect(page.locator("input[name=step]")).to_have_value("1")
    first_of_step2, its_value = next(iter(plan_answers[2].items()))
    assert _checked(page)[first_of_step2] == str(its_value)
    _continue(page, 2)
    _continue(page, 3)
    heights[3] = page.evaluate("document.documentElement.scrollHeight")
    look("step-3")
    _answer(page, plan_answers[3])
    _continue(page, 4)
    heights[4] = page.evaluate("document.documentElement.scrollHeight")
    look("step-4")
    _answer(page, plan_answers[4])
    _nothing_stored(page, context)
    _continue(page, None)

    # Results.
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(".answered")).to_have_text(WORDS[lang]["answered"])
    cta = page.locator("a.cta")
    expect(cta).to_have_text(WORDS[lang]["cta"])
    top = page.evaluate(
        "el => el.getBoundingClientRect().top + window.scrollY", cta.element_handle()
    )
    assert top < 2 * PHONE["height"], top
    pdf_button = page.locator(".keep-results button[type=submit]")
    pdf_top = page.evaluate(
        "el => el.getBoundingClientRect().top + window.scrollY", pdf_button.element_handle()
    )
    assert pdf_top < 3 * PHONE["height"], pdf_top
    look("results")
    cta.click()
    expect(page.locator("#pro-title")).to_be_in_viewport()

    # Back from the results to the last step, answers kept, and Forward again.
    page.go_back()  # the jump to #pro-title
    page.go_back()
    expect(page.locator("input[name=step]")).to_have_value("4")
    _not_a_resubmission_page(page)
    expected = {**step1, **plan_answers[2], **plan_answers[3], **plan_answers[4]}
    assert _checked(page) == {k: str(v) for k, v in expected.items()}
    page.go_forward()
    expect(page.locator(".answered")).to_have_text(WORDS[lang]["answered"])
    _not_a_resubmission_page(page)

    # The plan: tick two ideas; the PDF lists them under its own heading.
    boxes = page.locator("input[name=plan]")
    assert boxes.count() >= 4
    picks = [boxes.nth(0), boxes.nth(2)]
    pick_texts = []
    for box_ in picks:
        box_.check()
        pick_texts.append(page.locator(f"label[for='{box_.get_attribute('id')}']").inner_text())
    with page.expect_download() as info:
        pdf_button.click()
    reader = PdfReader(info.value.path())
    assert len(reader.pages) <= 2
    text = "".join(p.extract_text() for p in reader.pages)
    if lang == "en":
        assert WORDS[lang]["plan_title"] in text
        for pick in pick_texts:
            assert " ".join(pick.split()[:4]) in " ".join(text.split()), pick
    else:
        # pypdf gives Arabic in visual order: compare the letters, not the words.
        letters = re.sub(r"\W", "", text)
        for expected_text in (WORDS[lang]["plan_title"], *pick_texts):
            word = max(expected_text.split(), key=len)
            assert re.sub(r"\W", "", word) in letters or re.sub(r"\W", "", word)[::-1] in letters

    # The reminder: a calendar file four weeks ahead with no answers in it.
    with page.expect_download() as info:
        page.locator(".reminder a").click()
    ics = Path(info.value.path()).read_bytes()
    check_reminder(ics, expect_lang=lang)

    # Nothing about the person left the tab.
    _nothing_stored(page, context)
    page.goto(f"{base}/crisis")
    look("crisis")
    assert outside == []
    assert errors == []
    report = SCREENSHOTS / f"question-heights-{lang}.json"
    report.write_text(json.dumps({"heights": heights, "total": sum(heights.values())}))
    print(f"\nquestion pages at 375 px ({lang}): {heights}, total {sum(heights.values())} px")
    # About half of the 11,000 px the flat layout needed.
    assert sum(heights.values()) < 7_500
    assert {name: v for name, v in violations.items() if v} == {}
    context.close()


def check_reminder(data: bytes, expect_lang: str) -> None:
    """Parse the .ics strictly and check it holds a date, a title and a link only."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    start = event.decoded("DTSTART")
    assert start == dt.datetime.now(dt.UTC).date() + dt.timedelta(days=28)
    assert f"/{expect_lang}/check/{CHECK}/" in str(event.get("URL"))
    text = data.decode("utf-8")
    for item in FULL.items:
        assert item.id not in text
    for option in FULL.scale.options:
        assert option.label not in text
    for word in ("score", "Score", "High", "Moderate", "Low", "exhaust", "Exhaust"):
        assert word not in text.split("URL:")[0].split("SUMMARY:")[1], word


def test_start_button_above_the_fold_on_a_laptop(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    for lang in ("en", "de", "ar"):
        page.goto(f"{live_server.url}/{lang}/")
        box = page.locator(".button-start").bounding_box()
        assert box["y"] + box["height"] <= 800, (lang, box)
    context.close()


@pytest.mark.parametrize("fetch_fails", [False, True], ids=["rescored", "posted"])
def test_forward_to_results_after_changing_an_answer_never_shows_them_stale(
    browser, live_server, fetch_fails
):
    """Results with "no" to the safety question, Back, "yes", Forward: the results must
    now put crisis help first. The saved (stale) results are never shown: they are
    scored again, or, if that request fails, the browser posts the answers itself."""
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/en/check/{CHECK}/")
    page.locator(".button-start").click()
    for step in FULL.dimensions:
        _answer(page, {item.id: 3 for item in step.items})
        page.locator("button[value=continue]").click()
    _answer(page, {FULL.safety.id: 0})
    _continue(page, None)
    expect(page.locator(".crisis-first")).to_have_count(0)

    page.go_back()
    expect(page.locator("input[name=step]")).to_have_value("4")
    _answer(page, {FULL.safety.id: 1})
    if fetch_fails:
        page.route(
            "**/results",
            lambda route: (
                route.abort() if route.request.resource_type == "fetch" else route.continue_()
            ),
        )
    # Watch every frame for the stale results, from before Forward until the end.
    page.evaluate(
        """() => {
          window.staleSeen = false;
          const look = () => {
            const main = document.querySelector('main');
            const results = document.querySelector('.answered');
            if (results && main && !main.hidden && !document.querySelector('.crisis-first')) {
              window.staleSeen = true;
            }
          };
          const all = {subtree: true, childList: true, attributes: true};
          new MutationObserver(look).observe(document, all);
        }"""
    )
    page.go_forward()
    expect(page.locator(".crisis-first")).to_be_visible()
    expect(page.locator("main")).to_be_visible()
    if not fetch_fails:
        # Scored again in place: the observer watched the whole change.
        assert page.evaluate("window.staleSeen") is False
        _not_a_resubmission_page(page)
    held = _checked(page)
    assert held[FULL.safety.id] == "1"
    assert errors == []
    assert context.cookies() == []
    context.close()
