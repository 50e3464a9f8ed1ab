"""Fixtures: the app, a test client, and a helper that fills in the check like a person."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from burnout_app.app import create_app
from burnout_app.domain.questionnaire import load_questionnaire

# Browser fixtures live here so that every test module shares one Playwright.
from .browser_support import browser, live_server, playwright  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
FULL = load_questionnaire(REPO / "questionnaires" / "burnout-self-check.yaml")
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def app():
    return create_app({"SECRET_KEY": "test-secret", "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the first form on a page."""
    form = html.split("<form", 1)[1].split("</form>", 1)[0]
    return {
        unescape(m.group(1)): unescape(m.group(2))
        for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    }


def results_form_fields(html: str) -> dict[str, str]:
    """The hidden fields of the results page's own form (answers and token)."""
    return hidden_fields(html.split('id="actions-title"', 1)[1])


def form_action(html: str) -> str:
    return unescape(re.search(r'<form method="post" action="([^"]+)"', html).group(1))


def visible_text(html: str) -> str:
    """Roughly what a person reads: no tags, scripts, styles or attributes."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(html)).strip()


class Flow:
    """Walks the question pages with the test client, like a browser without script."""

    def __init__(self, client, questionnaire=FULL, lang="en"):
        self.client = client
        self.q = questionnaire
        self.lang = lang

    def start(self):
        response = self.client.get(f"/{self.lang}/check/{self.q.id}/questions")
        assert response.status_code == 200
        return response

    def submit(self, response, answers: dict[str, str], action: str = "continue", **extra):
        html = response.get_data(as_text=True)
        data = {**hidden_fields(html), **answers, "action": action, **extra}
        return self.client.post(form_action(html), data=data, headers=SAME_ORIGIN)

    def complete(self, answers: dict[str, int | str], **extra):
        """Answer every step in order; returns the final response (the results page)."""
        response = self.start()
        from burnout_app.web.forms import steps_for

        for step in steps_for(self.q):
            page = {k: str(v) for k, v in answers.items() if k in step.field_ids}
            response = self.submit(response, page, **(extra if step.safety else {}))
            assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return response


def answers_for(q=FULL, value: int = 3, safety: int = 0, pattern: str | None = None):
    """Answers for every item. ``pattern``: 'worst' or 'best' keyed by reversal."""
    out: dict[str, int] = {}
    for item in q.items:
        if pattern == "worst":
            out[item.id] = 0 if item.reverse else 6
        elif pattern == "best":
            out[item.id] = 6 if item.reverse else 0
        else:
            out[item.id] = value
    if q.safety:
        out[q.safety.id] = safety
    return out


@pytest.fixture
def flow(client):
    return Flow(client)


PORTAL_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "portals"
GLOBEX_ORIGIN = "https://intranet.globex.example"
GLOBEX_EAP = "Globex Staff Support Line"


@pytest.fixture
def two_portals(tmp_path):
    """A portal folder with Acme and a second portal, Globex, on its own origin."""
    folder = tmp_path / "portals"
    folder.mkdir()
    acme = (PORTAL_FIXTURES / "acme.yaml").read_text("utf-8")
    (folder / "acme.yaml").write_text(acme, "utf-8")
    (folder / "acme-logo.png").write_bytes((PORTAL_FIXTURES / "acme-logo.png").read_bytes())
    globex = (
        acme.replace("id: acme", "id: globex")
        .replace('"Acme Wellbeing"', '"Globex Wellbeing"')
        .replace('  - "https://intranet.acme.example"\n  - "http://localhost:8010"\n', "")
        .replace("origins:\n", f'origins:\n  - "{GLOBEX_ORIGIN}"\n')
        .replace("Acme Employee Assistance Programme", GLOBEX_EAP)
        .replace("0800 000 1234", "0800 000 9876")
    )
    assert GLOBEX_ORIGIN in globex and "acme.example" not in globex.split("theme:")[0]
    (folder / "globex.yaml").write_text(globex, "utf-8")
    return folder


def texts_contradicting_a_safety_yes(app, q, locale: str) -> list[str]:
    """Sentences that say all is well: none may follow a yes to the safety question."""
    from flask import g

    from burnout_app import i18n
    from burnout_app.web import content

    with app.test_request_context():
        g.locale = locale
        referrals = content().referrals
        tr = i18n.translate_content
        return [
            *(tr(p.name) for p in q.profiles),
            *(tr(p.description) for p in q.profiles),
            tr(referrals.next_steps["none"].title),
            tr(referrals.next_steps["none"].text),
            *(tr(idea) for idea in referrals.self_care["general"]),
            *(
                tr(level.meaning)
                for d in q.dimensions
                for level in d.bands.levels
                if level.concern == "none"
            ),
        ]
