"""Shared set-up for browser tests: a live server and Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
# Chromium must not call home: this machine has no network but the registries.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def require_chromium() -> None:
    """Skip without Chromium, except in CI, where browser tests must run."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: `make test` installs it")
    pytest.skip("Debian's chromium is not installed (`apt-get install chromium`)")


class LiveServer:
    """The app on a loopback port, in a thread of the test process."""

    def __init__(self, app, host: str = "127.0.0.1"):
        self.server = make_server(host, 0, app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def playwright() -> Iterator:
    """One Playwright per test process: it cannot be started twice in one thread."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def live_server() -> Iterator[LiveServer]:
    from burnout_app.app import create_app

    app = create_app({"SECRET_KEY": "browser-tests"})
    server = LiveServer(app)
    # As an operator sets BURNOUT_PUBLIC_URL: the reminder's link, FHIR and OpenAPI
    # use it, never the Host header.
    app.config["PUBLIC_URL"] = server.url
    with server:
        yield server
