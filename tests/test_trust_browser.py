"""The accessibility statement in a real browser: axe-core, keyboard, no JavaScript, a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from burnout_app.app import create_app

from .browser_support import LiveServer
from .test_browser import _axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server():
    app = create_app(
        {"SECRET_KEY": "trust-browser", "ACCESSIBILITY_CONTACT": "mailto:access@example.org"}
    )
    with LiveServer(app) as live:
        yield live


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_statement_passes_axe(browser, server, lang):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/{lang}/accessibility")
    assert _axe_violations(page) == []
    context.close()


def test_statement_is_reached_from_the_footer_by_keyboard_without_script(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(f"{server.url}/fr/")
    link = page.locator("footer a[href='/fr/accessibility']")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Déclaration d'accessibilité")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The crisis link of the normal layout is there, and the configured contact is a link.
    expect(page.locator(".crisis-link")).to_be_visible()
    expect(page.get_by_role("link", name="access@example.org")).to_be_visible()
    context.close()
