"""Embedding in a real browser: another site frames the check with third-party cookies blocked."""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .browser_support import CHROMIUM, CHROMIUM_ARGS, LiveServer, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "portals"


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
        self.wfile.write(b"<p>canary</p>")

    def log_message(self, *args):
        pass


HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme intranet</title></head>
<body>
<h1>Acme intranet</h1>
<div id="check" data-burnout-self-check></div>
<iframe id="canary" src="{canary}" title="canary"></iframe>
<script>
  window.completedEvents = [];
  window.messages = [];
  document.getElementById("check").addEventListener("burnout-self-check:completed", function (e) {{
    window.completedEvents.push({{detail: e.detail === undefined ? null : e.detail}});
  }});
  window.addEventListener("message", function (e) {{ window.messages.push(e.data); }});
</script>
<script src="{app}/embed.js" data-portal="acme" async></script>
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
    app = create_app({"SECRET_KEY": "embed", "PORTALS_DIR": str(portals)})
    # The app on "localhost", the portals on "127.0.0.1": two different sites.
    with LiveServer(app, host="localhost") as live:
        canary_url = f"http://localhost:{canary.port}/"
        for folder in (allowed_site, refused_site):
            (folder / "index.html").write_text(
                HOST_PAGE.format(app=live.url, canary=canary_url), "utf-8"
            )
        yield {
            "app": live.url,
            "allowed": f"http://127.0.0.1:{allowed.port}/",
            "refused": f"http://127.0.0.1:{refused.port}/",
            "downloads": root / "downloads",
        }
    for server in (allowed, refused, canary):
        server.stop()


@pytest.fixture(scope="module")
def blocked_context(setup, playwright, tmp_path_factory):
    """Chromium with third-party cookies blocked, as in its privacy settings."""
    profile = tmp_path_factory.mktemp("profile")
    (profile / "Default").mkdir()
    (profile / "Default" / "Preferences").write_text(
        json.dumps({"profile": {"cookie_controls_mode": 1, "block_third_party_cookies": True}})
    )
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"],
        accept_downloads=True,
    )
    yield context
    context.close()


def test_embedded_check_works_with_third_party_cookies_blocked(setup, blocked_context):
    page = blocked_context.new_page()
    page.goto(setup["allowed"])
    frame_element = page.wait_for_selector("#check iframe")
    frame = frame_element.content_frame()
    frame.wait_for_selector("h1")
    assert "Burnout check-in" in frame.locator("h1").inner_text()
    # The host page has been told the frame's height, and nothing else.
    page.wait_for_function("window.messages.some(m => m.type === 'height')")
    frame.get_by_role("button", name="Start now").click()
    for step in range(1, 5):
        # .all() does not wait: make sure the next step has arrived before answering it.
        frame.get_by_text(f"Step {step} of 4", exact=True).wait_for()
        frame.wait_for_load_state()
        for fieldset in frame.locator("fieldset").all():
            fieldset.locator("input[type=radio]").nth(1).check()
        frame.locator("button[value=continue]").click()
    expect(frame.locator("h1")).to_have_text("Your results")
    assert "Acme Employee Assistance Programme" in frame.locator("main").inner_text()
    page.wait_for_function("window.completedEvents.length === 1")
    assert page.evaluate("window.completedEvents") == [{"detail": None}]
    with page.expect_download() as info:
        frame.get_by_role("button", name="Download summary (PDF)").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    messages = page.evaluate("window.messages.filter(m => m && m.source === 'burnout-self-check')")
    for message in messages:
        # Only a type and, for heights, a number: never answers, scores or levels.
        assert set(message) <= {"source", "type", "height"}, message
    heights = {m["height"] for m in messages if m["type"] == "height"}
    assert 1600 in heights  # the results page always reports the same height
    assert frame_element.evaluate("el => el.style.height") == "1600px"
    # Third-party cookies really were blocked: the canary frame's cookie was refused,
    # and the app itself set none.
    assert blocked_context.cookies() == []
    page.close()


def test_framing_from_an_origin_not_allowed_is_refused(setup, blocked_context):
    page = blocked_context.new_page()
    page.goto(setup["refused"])
    frame_element = page.wait_for_selector("#check iframe")
    page.wait_for_timeout(1500)
    frame = frame_element.content_frame()
    assert frame is not None
    # Chromium replaces a frame refused by frame-ancestors with its own error page.
    assert frame.url.startswith("chrome-error://") or frame.locator("h1").count() == 0
    assert (
        page.evaluate("window.messages.filter(m => m && m.source === 'burnout-self-check')") == []
    )
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
