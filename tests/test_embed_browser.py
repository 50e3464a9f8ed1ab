"""Embedding in a real browser: a portal page frames the check with third-party cookies blocked.

The host page is built from the README's own snippet. A person completes the check
at a phone's size and at a desktop's; the test proves that every part of the
results can be brought into view, that each new step's heading is in view with
the focus on it, that the host page receives exactly the same messages and frame
sizes whatever the answers, and that neither console shows anything. The browser's
Back and Forward inside the portal move through the frame's steps without a
resubmission page and without changing what the host page observes.
"""

from __future__ import annotations

import json
import re
import threading
import time
from contextlib import suppress
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from burnout_app.domain.questionnaire import load_questionnaire
from burnout_app.domain.referrals import load_referrals
from burnout_app.web.forms import steps_for, value_text

from .browser_support import CHROMIUM, CHROMIUM_ARGS, LiveServer, require_chromium
from .conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "portals"
SCREENSHOTS = REPO / "build" / "screenshots"
CHECK_IN = load_questionnaire(REPO / "questionnaires" / "burnout-check-in.yaml")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
EAP = "Acme Employee Assistance Programme"
# The README's example address, replaced by the live server's.
README_BASE = "https://check.example.org"


def readme_snippet() -> str:
    """The script snippet exactly as the README's Embedding guide gives it."""
    readme = (REPO / "README.md").read_text("utf-8")
    blocks = re.findall(r"```html\n(.*?)```", readme, flags=re.S)
    found = [b for b in blocks if "data-burnout-self-check" in b and "embed.js" in b]
    assert len(found) == 1, "the README should give one script snippet"
    assert README_BASE in found[0]
    return found[0]


class Server:
    """A small loopback HTTP server in a thread."""

    def __init__(self, handler, host="127.0.0.1"):
        self.httpd = ThreadingHTTPServer((host, 0), handler)
        self.port = self.httpd.server_port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class CookieCanary(BaseHTTPRequestHandler):
    """Sets a cookie that only a browser allowing third-party cookies would keep."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Set-Cookie", "canary=1; SameSite=None; Secure; Path=/")
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>canary</title><p>canary</p>")

    def log_message(self, *args):
        pass


# A portal page: a header and an introduction above the check, more below it.
# Its recorder notes everything the page can observe of the check: each message,
# each load and each size of the frame, and the completed event.
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Acme intranet</title>
<style>
  body {{ margin: 0; font: 16px/1.5 sans-serif; }}
  header, .intro, footer {{ padding: 1rem; }}
  .intro {{ min-height: 20rem; background: #eef; }}
  footer {{ min-height: 40rem; background: #eee; }}
</style>
</head>
<body>
<header><h1>Acme intranet</h1></header>
<div class="intro"><p>Looking after yourself at work: take the check below.</p></div>
<script>
  window.record = [];
  function frameSize() {{
    var frame = document.querySelector("[data-burnout-self-check] iframe");
    if (!frame) {{ return null; }}
    var box = frame.getBoundingClientRect();
    return [Math.round(box.width), Math.round(box.height)];
  }}
  window.addEventListener("message", function (e) {{
    window.record.push({{kind: "message", origin: e.origin, data: e.data, size: frameSize()}});
  }});
  new MutationObserver(function () {{
    var frame = document.querySelector("[data-burnout-self-check] iframe");
    if (!frame || frame.dataset.watched) {{ return; }}
    frame.dataset.watched = "1";
    frame.addEventListener("load", function () {{
      window.record.push({{kind: "load", size: frameSize()}});
    }});
    new ResizeObserver(function () {{
      window.record.push({{kind: "resize", size: frameSize()}});
    }}).observe(frame);
    frame.parentNode.addEventListener("burnout-self-check:completed", function (e) {{
      var detail = e.detail === undefined ? null : e.detail;
      window.record.push({{kind: "completed-event", detail: detail}});
    }});
  }}).observe(document.body, {{childList: true, subtree: true}});
</script>
{snippet}
<iframe id="canary" src="{canary}" title="canary" width="10" height="10"></iframe>
<footer><p>Acme Ltd. Other services are listed on the staff pages.</p></footer>
</body></html>
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    require_chromium()
    from burnout_app.app import create_app

    root = tmp_path_factory.mktemp("embed")
    allowed_site, refused_site = root / "allowed", root / "refused"
    allowed_site.mkdir()
    refused_site.mkdir()
    allowed = Server(partial(QuietFiles, directory=str(allowed_site)))
    refused = Server(partial(QuietFiles, directory=str(refused_site)))
    canary = Server(CookieCanary, host="127.0.0.1")

    portals = root / "portals"
    portals.mkdir()
    text = (
        (FIXTURES / "acme.yaml")
        .read_text("utf-8")
        .replace('"http://localhost:8010"', f'"http://127.0.0.1:{allowed.port}"')
    )
    (portals / "acme.yaml").write_text(text, "utf-8")
    (portals / "acme-logo.png").write_bytes((FIXTURES / "acme-logo.png").read_bytes())
    # A second portal on the "refused" site: one portal may not frame another's pages.
    other = (
        text.replace("id: acme", "id: globex")
        .replace('  - "https://intranet.acme.example"\n', "")
        .replace(f'"http://127.0.0.1:{allowed.port}"', f'"http://127.0.0.1:{refused.port}"')
    )
    (portals / "globex.yaml").write_text(other, "utf-8")
    app = create_app({"SECRET_KEY": "embed", "PORTALS_DIR": str(portals)})
    # The app on "localhost", the portals on "127.0.0.1": two different sites.
    with LiveServer(app, host="localhost") as live:
        snippet = readme_snippet().replace(README_BASE, live.url)
        for folder in (allowed_site, refused_site):
            (folder / "index.html").write_text(
                HOST_PAGE.format(snippet=snippet, canary=f"http://localhost:{canary.port}/"),
                "utf-8",
            )
        yield {
            "app": live.url,
            "allowed": f"http://127.0.0.1:{allowed.port}/",
            "refused": f"http://127.0.0.1:{refused.port}/",
        }
    for server in (allowed, refused, canary):
        server.stop()


def blocked_profile(playwright, folder: Path, extra_args=()):
    """Chromium with third-party cookies blocked, as in its privacy settings."""
    (folder / "Default").mkdir(parents=True)
    (folder / "Default" / "Preferences").write_text(
        json.dumps({"profile": {"cookie_controls_mode": 1, "block_third_party_cookies": True}})
    )
    return playwright.chromium.launch_persistent_context(
        str(folder),
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout", *extra_args],
        accept_downloads=True,
    )


@pytest.fixture(scope="module")
def blocked_context(setup, playwright, tmp_path_factory):
    """As desktop Chrome: every site in its own process, the check an out-of-process frame."""
    context = blocked_profile(playwright, tmp_path_factory.mktemp("profile"))
    yield context
    context.close()


@pytest.fixture(scope="module")
def shared_process_context(setup, playwright, tmp_path_factory):
    """As Chrome on most Android phones: no strict site isolation, so the frame shares the
    host's process, and Chromium reports a postMessage aimed at the wrong origin in the
    host's console (a site-isolated frame's is dropped without a word)."""
    context = blocked_profile(
        playwright, tmp_path_factory.mktemp("profile"), ["--disable-site-isolation-trials"]
    )
    yield context
    context.close()


def wait_until(check, what: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def in_view(page, frame_element, locator) -> bool:
    """Whether the element is wholly inside the frame's visible area and the host's viewport."""
    box, frame_box = locator.bounding_box(), frame_element.bounding_box()
    if not box or not frame_box or box["height"] == 0:
        return False
    viewport = page.viewport_size
    top = max(frame_box["y"], 0)
    bottom = min(frame_box["y"] + frame_box["height"], viewport["height"])
    left = max(frame_box["x"], 0)
    right = min(frame_box["x"] + frame_box["width"], viewport["width"])
    slack = 1  # scrollIntoView can leave a fraction of a pixel
    return (
        box["y"] >= top - slack
        and box["y"] + box["height"] <= bottom + slack
        and box["x"] >= left - slack
        and box["x"] + box["width"] <= right + slack
    )


def scroll_into_view_by_wheel(page, frame_element, locator, what: str) -> None:
    """Scroll as a person does, with the wheel over the frame, until the element is in view."""
    viewport = page.viewport_size
    for _ in range(150):
        if in_view(page, frame_element, locator):
            return
        box, frame_box = locator.bounding_box(), frame_element.bounding_box()
        top = max(frame_box["y"], 0)
        bottom = min(frame_box["y"] + frame_box["height"], viewport["height"])
        page.mouse.move(viewport["width"] / 2, (top + bottom) / 2)
        page.mouse.wheel(0, 150 if box["y"] + box["height"] > bottom else -150)
        page.wait_for_timeout(60)
    raise AssertionError(f"could not scroll {what} into view")


def heading_in_view_with_focus(page, frame_element, frame, title: str) -> None:
    heading = frame.locator("main h1")
    expect(heading).to_have_text(title)
    wait_until(lambda: in_view(page, frame_element, heading), f"{title!r} is in view")
    # The keyboard focus is in the frame, on the heading.
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    wait_until(
        lambda: frame.evaluate("document.activeElement === document.querySelector('main h1')"),
        f"the focus is on {title!r}",
    )


def answers(kind: str) -> dict[str, str]:
    """Every item at its most (high) or least (low) worrying value; the safety answer too."""
    values = [o.value for o in CHECK_IN.scale.options]
    chosen = {}
    for dimension in CHECK_IN.dimensions:
        for item in dimension.items:
            worst = min(values) if item.reverse else max(values)
            best = max(values) if item.reverse else min(values)
            chosen[item.id] = worst if kind == "high" else best
    safety = CHECK_IN.safety
    flagged = next(o for o in safety.options if o.flag)
    unflagged = next(o for o in safety.options if not o.flag)
    chosen[safety.id] = (unflagged if kind == "high" else flagged).value
    return {k: value_text(v) for k, v in chosen.items()}


def complete_check(context, setup, viewport, kind: str, screenshot: str | None = None) -> dict:
    """Complete the embedded check as a person would; return what the host page observed."""
    page = context.new_page()
    page.set_viewport_size(viewport)
    console, errors = [], []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text} ({m.location})"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(setup["allowed"])
    frame_element = page.wait_for_selector("[data-burnout-self-check] iframe")
    frame = frame_element.content_frame()
    expect(frame.locator("main h1")).to_contain_text("Burnout check-in")
    # The first page does not move the host page, nor take the focus from it.
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.activeElement === document.body")
    if screenshot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-start.png"))

    frame.get_by_role("button", name="Start now").click()
    chosen = answers(kind)
    for step in CHECK_IN_STEPS:
        frame.get_by_text(f"Step {step['number']} of {len(CHECK_IN_STEPS)}", exact=True).wait_for()
        heading_in_view_with_focus(page, frame_element, frame, step["title"])
        for field_id in step["fields"]:
            frame.locator(f'input[name="{field_id}"][value="{chosen[field_id]}"]').check()
        frame.locator("button[value=continue]").click()

    heading_in_view_with_focus(page, frame_element, frame, "Your results")
    if screenshot:
        page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-0-results.png"))
    page.wait_for_function("window.record.some(r => r.kind === 'completed-event')")
    results_text = frame.locator("main").inner_text()
    crisis = load_referrals().crisis_help("GB")  # the portal's country
    # Each in turn, scrolling on from where the last one left the page; the footer last,
    # so the whole page has passed through the frame's visible area.
    targets = [
        ("eap", frame.locator("li", has_text=EAP).last),
        ("crisis", frame.locator("li", has_text=crisis.lines[-1].name).last),
        ("pdf", frame.get_by_role("button", name="Download summary (PDF)")),
        ("print", frame.get_by_role("button", name="Print")),
        ("footer", frame.locator(".site-footer")),
    ]
    for n, (what, locator) in enumerate(targets, start=1):
        scroll_into_view_by_wheel(page, frame_element, locator, what)
        if screenshot:
            page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-{n}-{what}.png"))
    with page.expect_download() as info:
        frame.get_by_role("button", name="Download summary (PDF)").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")

    page.wait_for_timeout(300)  # let any late message or console entry arrive
    observed = {
        "record": page.evaluate("window.record"),
        "results_text": results_text,
        "content_height": frame.evaluate("document.documentElement.scrollHeight"),
        "console": console,
        "errors": errors,
    }
    page.close()
    return observed


def check_steps() -> list[dict]:
    return [
        {"number": s.number, "title": s.title, "fields": list(s.field_ids)}
        for s in steps_for(CHECK_IN)
    ]


CHECK_IN_STEPS = check_steps()


@pytest.mark.parametrize(
    ("context_name", "viewport", "label"),
    [
        ("shared_process_context", PHONE, "embed-375"),
        ("blocked_context", DESKTOP, "embed-1280"),
    ],
)
def test_embedded_check_is_complete_and_tells_the_host_nothing(
    request, setup, context_name, viewport, label
):
    context = request.getfixturevalue(context_name)
    high = complete_check(context, setup, viewport, "high", screenshot=f"{label}-high")
    low = complete_check(context, setup, viewport, "low", screenshot=f"{label}-safety-yes")

    # The two people saw different results (the second one crisis help first)...
    assert high["results_text"] != low["results_text"]
    # ...and the host page observed exactly the same thing: messages, loads, sizes.
    assert high["record"] == low["record"]
    record = high["record"]
    messages = [r["data"] for r in record if r["kind"] == "message"]
    pages = 2 + len(CHECK_IN_STEPS)  # the start page, each step, the results
    assert messages == [{"source": "burnout-self-check", "type": "page"}] * pages + [
        {"source": "burnout-self-check", "type": "completed"}
    ]
    assert {r["origin"] for r in record if r["kind"] == "message"} == {setup["app"]}
    assert [r for r in record if r["kind"] == "completed-event"] == [
        {"kind": "completed-event", "detail": None}
    ]
    # The frame is as tall as the window whatever the page inside it: never resized.
    sizes = {tuple(r["size"]) for r in record if "size" in r}
    assert sizes == {(viewport["width"], viewport["height"])}
    assert high["content_height"] > 2 * viewport["height"]  # so the frame scrolls inside

    for run in (high, low):
        assert run["console"] == [], run["console"]
        assert run["errors"] == [], run["errors"]
    # Third-party cookies really were blocked: the canary frame's cookie was refused,
    # and the app itself set none.
    assert context.cookies() == []


def test_another_portal_cannot_frame_this_portals_pages(setup, blocked_context):
    page = blocked_context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.goto(setup["refused"])  # Globex's intranet, with Acme's snippet
    frame_element = page.wait_for_selector("[data-burnout-self-check] iframe")
    frame = frame_element.content_frame()
    assert frame is not None
    # Chromium replaces a frame refused by frame-ancestors with its own error page, and
    # says why: wait for both (a frame still loading would pass a check for "no heading").
    wait_until(lambda: frame.url.startswith("chrome-error://"), "the frame is refused")
    wait_until(lambda: any("frame-ancestors" in text for text in console), "the reason is given")
    # The snippet's script on that page heard nothing from the app.
    assert page.evaluate("window.record.filter(r => r.kind === 'message')") == []
    page.close()


def test_plain_iframe_without_script_works(setup, blocked_context):
    page = blocked_context.new_page()
    page.goto(setup["allowed"])
    page.set_content(
        f'<iframe src="{setup["app"]}/embed/acme/" title="Burnout self-check" '
        'width="100%" height="900"></iframe>'
    )
    # set_content keeps the allowed page's origin.
    frame = page.wait_for_selector("iframe").content_frame()
    frame.wait_for_selector("h1")
    assert "Burnout check-in" in frame.locator("h1").inner_text()
    page.close()


def started_on_a_phone(setup, context):
    """The portal's page at phone size, its console recorded, the check started in the frame."""
    page = context.new_page()
    page.set_viewport_size(PHONE)
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.goto(setup["allowed"])
    frame_element = page.wait_for_selector("[data-burnout-self-check] iframe")
    frame = frame_element.content_frame()
    frame.get_by_role("button", name="Start now").click()
    return page, console, frame_element, frame


def test_a_missed_question_focuses_the_error_summary_in_view(setup, shared_process_context):
    page, console, frame_element, frame = started_on_a_phone(setup, shared_process_context)
    frame.get_by_text(f"Step 1 of {len(CHECK_IN_STEPS)}", exact=True).wait_for()
    frame.locator("button[value=continue]").click()
    summary = frame.locator(".error-summary")
    summary.wait_for()
    wait_until(
        lambda: in_view(page, frame_element, summary.locator("h2")), "the summary is in view"
    )
    wait_until(
        lambda: frame.evaluate("document.activeElement.classList.contains('error-summary')"),
        "the summary has the focus",
    )
    page.wait_for_timeout(300)
    # Chromium refuses autofocus in a cross-origin frame with a console error: none here.
    assert console == []
    page.close()


def no_resubmission_page(frame, step: dict) -> None:
    """The frame shows the step itself, not Chromium's resubmission or ERR_CACHE_MISS page."""
    assert not frame.url.startswith("chrome-error://"), frame.url
    expect(frame.locator("#answers-form")).to_have_count(1)
    assert "ERR_CACHE_MISS" not in frame.content()
    expect(frame.locator("#answers-form input[name=step]")).to_have_value(str(step["number"]))


def ticked(frame, step: dict) -> dict[str, str]:
    """The radios ticked on the step on screen."""
    return {
        name: frame.locator(f'input[name="{name}"]:checked').get_attribute("value")
        for name in step["fields"]
        if frame.locator(f'input[name="{name}"]:checked').count() == 1
    }


# Playwright's go_back and go_forward wait for the top page to navigate, and here only
# the frame moves (the test then waits for the step itself): a short wait, its timeout
# expected. Without script, the same Back would show Chromium's ERR_CACHE_MISS page.
def browser_back(page) -> None:
    with suppress(PlaywrightTimeout):
        page.go_back(timeout=1500)


def browser_forward(page) -> None:
    with suppress(PlaywrightTimeout):
        page.go_forward(timeout=1500)


def walk_back_and_forward(context, setup, viewport, kind: str) -> dict:
    """Step 1, step 2, the browser's Back and Forward inside the portal, then to the end."""
    page = context.new_page()
    page.set_viewport_size(viewport)
    console, errors, posts = [], [], []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text} ({m.location})"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(setup["allowed"])
    frame_element = page.wait_for_selector("[data-burnout-self-check] iframe")
    frame = frame_element.content_frame()
    expect(frame.locator("main h1")).to_contain_text("Burnout check-in")
    frame.get_by_role("button", name="Start now").click()

    chosen = answers(kind)
    first, second = CHECK_IN_STEPS[0], CHECK_IN_STEPS[1]
    total = len(CHECK_IN_STEPS)

    def answer(step: dict) -> None:
        for field_id in step["fields"]:
            frame.locator(f'input[name="{field_id}"][value="{chosen[field_id]}"]').check()

    def on_step(step: dict) -> None:
        frame.get_by_text(f"Step {step['number']} of {total}", exact=True).wait_for()
        heading_in_view_with_focus(page, frame_element, frame, step["title"])

    on_step(first)
    answer(first)
    frame.locator("button[value=continue]").click()
    on_step(second)
    answer(second)
    frame.locator("button[value=continue]").click()
    on_step(CHECK_IN_STEPS[2])
    posted = len(posts)
    assert posted >= 2, posts  # the two steps (fetched by the frame) are seen here

    # The browser's Back on the host page: the frame's entries are in the tab's history.
    browser_back(page)
    no_resubmission_page(frame, second)
    on_step(second)
    assert ticked(frame, second) == {f: chosen[f] for f in second["fields"]}
    browser_back(page)
    no_resubmission_page(frame, first)
    on_step(first)
    assert ticked(frame, first) == {f: chosen[f] for f in first["fields"]}
    # Step 2's answers travel on with step 1, so Continue would keep them.
    for field_id in second["fields"]:
        hidden = frame.locator(f'#answers-form input[type=hidden][name="{field_id}"]')
        expect(hidden).to_have_value(chosen[field_id])
    assert len(posts) == posted, "Back posted the answers again"

    browser_forward(page)
    no_resubmission_page(frame, second)
    on_step(second)
    assert ticked(frame, second) == {f: chosen[f] for f in second["fields"]}
    frame.locator("button[value=continue]").click()
    for step in CHECK_IN_STEPS[2:]:
        on_step(step)
        answer(step)
        frame.locator("button[value=continue]").click()
    heading_in_view_with_focus(page, frame_element, frame, "Your results")
    page.wait_for_function("window.record.some(r => r.kind === 'completed-event')")
    results_text = frame.locator("main").inner_text()
    page.wait_for_timeout(300)  # let any late message or console entry arrive
    observed = {
        "record": page.evaluate("window.record"),
        "results_text": results_text,
        "console": console,
        "errors": errors,
    }
    page.close()
    return observed


@pytest.mark.parametrize(
    ("context_name", "viewport"),
    [("shared_process_context", PHONE), ("blocked_context", DESKTOP)],
)
def test_back_and_forward_inside_the_portal(request, setup, context_name, viewport):
    """The browser's Back and Forward move through the frame's steps with no resubmission
    page, keep every answer, and the host still sees one fixed message per view."""
    context = request.getfixturevalue(context_name)
    high = walk_back_and_forward(context, setup, viewport, "high")
    low = walk_back_and_forward(context, setup, viewport, "low")
    assert high["results_text"] != low["results_text"]
    assert high["record"] == low["record"]
    messages = [r["data"] for r in high["record"] if r["kind"] == "message"]
    # The start page, steps 1 to 3, Back to 2 and to 1, Forward to 2, steps 3 and 4, results.
    pages = 1 + 3 + 3 + (len(CHECK_IN_STEPS) - 2) + 1
    assert messages == [{"source": "burnout-self-check", "type": "page"}] * pages + [
        {"source": "burnout-self-check", "type": "completed"}
    ]
    # Two page loads in the frame, the start page and step 1 (a link); every later view,
    # Back and Forward included, was swapped in place.
    assert [r for r in high["record"] if r["kind"] == "load"] == [
        {"kind": "load", "size": [viewport["width"], viewport["height"]]}
    ] * 2
    sizes = {tuple(r["size"]) for r in high["record"] if "size" in r}
    assert sizes == {(viewport["width"], viewport["height"])}
    for run in (high, low):
        assert run["console"] == [], run["console"]
        assert run["errors"] == [], run["errors"]
    assert context.cookies() == []


def test_back_to_the_results_from_the_crisis_lines_inside_the_portal(setup, blocked_context):
    """The results, a link to the crisis lines, Back: the frame loads the results' address
    again and shows the results as they were left, with the host told as on any load."""
    page, console, frame_element, frame = started_on_a_phone(setup, blocked_context)
    chosen = answers("high")
    for step in CHECK_IN_STEPS:
        frame.get_by_text(f"Step {step['number']} of {len(CHECK_IN_STEPS)}", exact=True).wait_for()
        for field_id in step["fields"]:
            frame.locator(f'input[name="{field_id}"][value="{chosen[field_id]}"]').check()
        frame.locator("button[value=continue]").click()
    heading_in_view_with_focus(page, frame_element, frame, "Your results")
    results_text = frame.locator("main").inner_text()
    frame.locator(".site-header .crisis-link").click()
    expect(frame.locator("main h1")).to_have_text("Get help now")

    browser_back(page)
    heading_in_view_with_focus(page, frame_element, frame, "Your results")
    assert not frame.url.startswith("chrome-error://"), frame.url
    assert frame.locator("main").inner_text() == results_text
    # The load's messages may come after the heading is in view: wait for them, then more.
    expected = 2 + len(CHECK_IN_STEPS) + 4
    page.wait_for_function(f"window.record.filter(r => r.kind === 'message').length >= {expected}")
    page.wait_for_timeout(300)
    messages = [r["data"]["type"] for r in page.evaluate("window.record") if r["kind"] == "message"]
    # The start page, each step, the results, the crisis lines, the results again.
    assert messages == ["page"] * (2 + len(CHECK_IN_STEPS)) + ["completed", "page", "page"] + [
        "completed"
    ]
    assert console == [], console
    page.close()
