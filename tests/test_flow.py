"""The question flow without a browser: left-out questions, the plan, the reminder,
"Change my answers", and the small things (robots.txt, titles, language names)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from werkzeug.datastructures import MultiDict

from .conftest import FULL, SAME_ORIGIN, answers_for, hidden_fields, results_form_fields
from .test_summary import pdf_text

RESULTS = "/en/check/burnout-self-check/results"
SUMMARY = "/en/check/burnout-self-check/summary"


def _without(answers: dict, *item_ids: str) -> dict:
    return {k: v for k, v in answers.items() if k not in item_ids}


def test_a_left_out_question_is_accepted_and_counted(flow):
    answers = _without(answers_for(value=4), "ex_wake_tired", "cy_motions")
    html = flow.complete(answers).get_data(as_text=True)
    assert "<title>Your results" in html
    assert "You answered 17 of 19 questions." in html
    # Each part is still scored: three charts, no "Not scored".
    assert html.count('<svg class="chart"') == 3 and "Not scored" not in html


def test_the_results_address_loaded_again_starts_the_check(client):
    """Back to the results from a linked page loads their address: nothing is kept, so
    no result can come back from the server, only the first step, never cached."""
    response = client.get(RESULTS)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<input type="hidden" name="step" value="1">' in html
    assert "Your results" not in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_too_few_answers_name_each_missing_question_by_number(flow):
    first = flow.start()
    response = flow.submit(
        first, {"ex_nothing_left": "2", "ex_wake_tired": "2", "ex_no_recovery": "2"}
    )
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert "Answer at least 1 more question on this page" in html
    for number, item_id in (
        (4, "ex_routine_effort"),
        (5, "ex_energy_for_day"),
        (6, "ex_energy_outside"),
    ):
        assert f'<a href="#{item_id}-0">Answer question {number}</a>' in html


def test_the_safety_question_stays_required(flow):
    answers = answers_for(value=2)
    response = flow.start()
    from burnout_app.web.forms import steps_for

    for step in steps_for(FULL):
        page = {k: str(v) for k, v in answers.items() if k in step.field_ids}
        if step.safety:
            page = {}
        response = flow.submit(response, page)
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html and "Select an answer" in html


def test_off_scale_answers_stay_400(flow):
    first = flow.start()
    assert flow.submit(first, {"ex_nothing_left": "7"}).status_code == 400


def test_change_my_answers_goes_back_to_the_last_step_with_every_answer(flow, client):
    results = flow.complete(answers_for(value=3))
    fields = results_form_fields(results.get_data(as_text=True))
    back = client.post(RESULTS, data={**fields, "action": "back"}, headers=SAME_ORIGIN)
    html = back.get_data(as_text=True)
    assert "Step 4 of 4" in html
    kept = hidden_fields(html)
    assert all(kept[item.id] == "3" for item in FULL.items)
    assert f'name="{FULL.safety.id}" value="0" checked' in html  # the safety answer too


def _plan_keys(html: str) -> dict[str, str]:
    """Plan checkbox value -> its label text."""
    boxes = re.findall(r'id="plan-([^"]+)" name="plan" value="\1" form="answers-form"', html)
    labels = dict(re.findall(r'<label for="plan-([^"]+)">([^<]+)</label>', html))
    return {key: labels[key] for key in boxes}


def test_ticked_ideas_appear_in_the_pdf_under_their_heading(flow, client):
    results = flow.complete(answers_for(pattern="worst"))
    html = results.get_data(as_text=True)
    ideas = _plan_keys(html)
    assert "next" in ideas and len(ideas) > 4
    picks = ["next", *list(ideas)[2:4]]
    fields = {**results_form_fields(html), "country": "GB"}
    data = MultiDict([*fields.items(), *(("plan", key) for key in picks)])
    response = client.post(SUMMARY, data=data, headers=SAME_ORIGIN)
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    assert "What I plan to try" in text
    for key in picks:
        assert " ".join(ideas[key].split()[:5]) in text, ideas[key]
    unpicked = [k for k in ideas if k not in picks]
    # Self-care is left out of the summary unless picked.
    assert " ".join(ideas[unpicked[-1]].split()[:5]) not in text
    # Without picks, no plan heading.
    plain = client.post(SUMMARY, data=fields, headers=SAME_ORIGIN)
    assert "What I plan to try" not in pdf_text(plain.data)


def test_picks_survive_a_country_change_and_unknown_ones_are_400(flow, client):
    html = flow.complete(answers_for(pattern="worst")).get_data(as_text=True)
    fields = results_form_fields(html)
    again = client.post(
        RESULTS, data=MultiDict([*fields.items(), ("plan", "next")]), headers=SAME_ORIGIN
    ).get_data(as_text=True)
    assert 'value="next" form="answers-form" checked' in again
    bad = client.post(
        SUMMARY, data=MultiDict([*fields.items(), ("plan", "x-99")]), headers=SAME_ORIGIN
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("lang", ["en", "ar", "de"])
def test_reminder_is_a_valid_calendar_without_answers(lang):
    from icalendar import Calendar

    from burnout_app.app import create_app

    app = create_app({"SECRET_KEY": "ics", "PUBLIC_URL": "https://check.example.org"})
    client = app.test_client()
    response = client.get(
        f"/{lang}/check/burnout-self-check/reminder.ics", headers={"Host": "evil.example"}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "Set-Cookie" not in response.headers
    calendar = Calendar.from_ical(response.data)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == dt.datetime.now(dt.UTC).date() + dt.timedelta(days=28)
    # The link comes from the configured address, never from the Host header.
    assert str(event["URL"]) == f"https://check.example.org/{lang}/check/burnout-self-check/"
    assert "evil.example" not in response.get_data(as_text=True)
    # Every line is CRLF-terminated and at most 75 octets (RFC 5545).
    lines = response.data.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    text = response.get_data(as_text=True)
    assert not any(item.id in text for item in FULL.items)


def test_robots_txt_is_served(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "User-agent: *" in response.get_data(as_text=True)


def test_small_things(client):
    start = client.get("/en/").get_data(as_text=True)
    assert "<title>Burnout self-check</title>" in start  # the name once, not twice
    assert '<meta name="description" content="A short, private check' in start
    assert "Português (Brasil)" in start
    # The start button comes right after the introduction.
    assert start.index("button-start") < start.index("What to expect")
    crisis = client.get("/en/crisis?country=US").get_data(as_text=True)
    assert "Crisis lines in the United States" in crisis
    de = client.get("/de/crisis?country=DE").get_data(as_text=True)
    assert "Krisentelefone: Deutschland" in de


@pytest.mark.parametrize(
    ("lang", "safety"),
    [("en", 0), ("es", 0), ("fr", 0), ("de", 0), ("pt-br", 0), ("ar", 0), ("de", 1), ("fr", 1)],
)
def test_a_full_plan_keeps_the_summary_to_two_pages(client, lang, safety):
    """Every idea ticked, with the longest crisis section (the United States)."""
    from pypdf import PdfReader

    from .conftest import Flow

    html = Flow(client, lang=lang).complete(answers_for(pattern="worst", safety=safety))
    html = html.get_data(as_text=True)
    keys = re.findall(r'name="plan" value="([^"]+)"', html)
    assert len(keys) >= 10
    data = MultiDict(
        [*results_form_fields(html).items(), ("country", "US"), *(("plan", k) for k in keys)]
    )
    response = client.post(
        f"/{lang}/check/burnout-self-check/summary", data=data, headers=SAME_ORIGIN
    )
    assert response.status_code == 200
    import io

    assert len(PdfReader(io.BytesIO(response.data)).pages) <= 2


def test_reminder_without_a_public_address_has_no_link(client):
    from icalendar import Calendar

    response = client.get(
        "/en/check/burnout-self-check/reminder.ics", headers={"Host": "evil.example"}
    )
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert "URL" not in event
    assert "evil.example" not in response.get_data(as_text=True)
