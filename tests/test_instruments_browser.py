"""Fixture instruments in a real browser: each item's own response set, sums and a total."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from fractions import Fraction

import pytest
from playwright.sync_api import expect

from .browser_support import LiveServer
from .test_browser import _axe_violations, answer_step_by_click
from .test_instruments import FIXTURES, REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def instruments_server(tmp_path_factory) -> Iterator[LiveServer]:
    from burnout_app.app import create_app

    folder = tmp_path_factory.mktemp("questionnaires")
    for f in (*FIXTURES.glob("*.yaml"), *(REPO / "questionnaires").glob("*.yaml")):
        shutil.copy(f, folder / f.name)
    app = create_app({"SECRET_KEY": "browser-instruments", "QUESTIONNAIRES_DIR": str(folder)})
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def page(browser, instruments_server):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def walk(page, server, qid: str, steps: int, index: int) -> None:
    page.goto(f"{server.url}/en/check/{qid}/questions")
    for _ in range(steps):
        answer_step_by_click(page, index)
        page.locator("button[value=continue]").click()
    expect(page.locator("h1")).to_have_text("Your results")


def test_cbi_structure_in_the_browser(page, instruments_server):
    # The second option everywhere: 75 on both sets. The reversed item counts 100 - 75.
    page.goto(f"{instruments_server.url}/en/check/placeholder-cbi/questions")
    answer_step_by_click(page, 1)
    page.locator("button[value=continue]").click()
    page.locator("fieldset#wb1").wait_for()
    assert page.locator("fieldset#wb1 label").all_inner_texts()[0] == "To a very high degree"
    assert page.locator("fieldset#wb4 label").all_inner_texts()[0] == "Always"
    for _ in range(2):
        answer_step_by_click(page, 1)
        page.locator("button[value=continue]").click()
    expect(page.locator("h1")).to_have_text("Your results")
    work = Fraction(6 * 75 + (100 - 75), 7)
    text = page.locator("#dim-work").locator("xpath=..").inner_text()
    assert f"Score: {round(float(work), 1):g} on a scale from 0 to 100" in text
    assert "Level: Moderate" in text  # 67.9: at least 50, below 75
    assert "counted in reverse" in page.locator(".about-results").inner_text()


def test_bat_total_and_sums_in_the_browser(page, instruments_server):
    # The fourth option everywhere: 4 on 1-5; every subscale and the total are 4.
    walk(page, instruments_server, "placeholder-bat12", 4, 3)
    total = page.locator("section.composite").inner_text()
    assert "Level: Very high" in total and "Score: 4 on a scale from 1 to 5" in total
    assert _axe_violations(page) == []
    # Sums: the third option (2) on 0-6 everywhere: 9 x 2 = 18 of 54.
    walk(page, instruments_server, "placeholder-sum06", 3, 2)
    drained = page.locator("#dim-drained").locator("xpath=..").inner_text()
    assert "Score: 18 (sum of 9 answers, range 0 to 54)" in drained
    assert "Level: Moderate" in drained  # 18: at least 17, below 27
    assert "counted in reverse" not in page.locator(".about-results").inner_text()
