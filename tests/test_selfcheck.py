"""The self-check as a person meets it: start, questions, errors, results."""

from __future__ import annotations

import re

import pytest

from .conftest import (
    FULL,
    SAME_ORIGIN,
    Flow,
    answers_for,
    form_action,
    hidden_fields,
    results_form_fields,
    visible_text,
)


def test_root_redirects_by_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/")


def test_start_page_explains_and_starts(client):
    html = client.get("/en/").get_data(as_text=True)
    text = visible_text(html)
    assert "not a diagnosis" in text
    assert "It takes about 5 minutes." in text
    assert "There are 19 questions." in text
    assert "We set no cookies" in text
    assert 'href="/en/check/burnout-self-check/questions"' in html
    assert 'href="/en/crisis"' in html


def test_unknown_language_and_questionnaire_are_404(client):
    assert client.get("/xx/").status_code == 404
    assert client.get("/en/check/nope/questions").status_code == 404


def test_question_page_structure(flow):
    html = flow.start().get_data(as_text=True)
    assert "Step 1 of 4" in html
    # One fieldset per question, its legend the question, nothing pre-selected.
    assert html.count("<fieldset") == 6
    assert html.count("<legend>") == 6
    assert "checked" not in html
    assert 'type="radio"' in html
    assert "When my working day ends, I feel I have nothing left to give." in html
    assert "<title>Your energy (step 1 of 4)" in html


def test_full_flow_to_results(flow):
    response = flow.complete(answers_for(pattern="worst"))
    html = response.get_data(as_text=True)
    text = visible_text(html)
    assert "<title>Your results" in html
    assert "This is not a diagnosis." in text
    assert "Burnout pattern" in text
    assert text.count("Level: High") == 3
    assert "Please talk to a licensed professional soon" in text
    assert "Family doctor or GP" in text and "Psychiatrist" in text
    assert "Occupational health service" in text
    assert "Protect your sleep" in text  # self-care for a raised dimension
    assert "988" in text  # default English country is the US
    assert html.count('<svg class="chart"') == 3
    assert "Score: 6 on a scale from 0 to 6, or 100 out of 100." in text


def test_engaged_results_say_keep_an_eye_on_it(flow):
    text = visible_text(flow.complete(answers_for(pattern="best")).get_data(as_text=True))
    assert "Engaged pattern" in text
    assert "Keep an eye on it" in text
    assert text.count("Level: Low") == 3
    assert "Notice what gives you energy" in text  # general self-care


def test_moderate_results(flow):
    text = visible_text(flow.complete(answers_for(value=3)).get_data(as_text=True))
    # 3 on every item: reversed items count 3 as well, so every mean is 3.
    assert text.count("Level: Moderate") == 3
    assert "Consider talking to someone" in text
    assert "Mixed pattern" in text


def test_safety_yes_puts_crisis_help_before_any_score(flow):
    html = flow.complete(answers_for(pattern="best", safety=1)).get_data(as_text=True)
    crisis = html.index("Please reach out for support now")
    first_score = html.index("Level:")
    assert crisis < first_score
    assert html.index('class="crisis-first"') < html.index('class="dimensions"')
    assert 'href="tel:988"' in html


def test_safety_no_shows_crisis_lines_at_the_end(flow):
    html = flow.complete(answers_for(pattern="best", safety=0)).get_data(as_text=True)
    assert 'class="crisis-first"' not in html
    assert html.index("If you need to talk to someone now") > html.index("Level:")


def test_missing_answer_shows_summary_linking_each_question_and_keeps_answers(flow):
    first = flow.start()
    given = {"ex_nothing_left": "4", "ex_no_recovery": "2"}
    response = flow.submit(first, given)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Your energy" in html
    assert "There is a problem" in html
    missing = ["ex_wake_tired", "ex_routine_effort", "ex_energy_for_day", "ex_energy_outside"]
    for item_id in missing:
        assert f'href="#{item_id}-0"' in html
        assert f'id="{item_id}-error"' in html
    # The summary and the inline message use the same words.
    assert html.count("Select how often this was true for you") == 2 * len(missing)
    assert 'id="ex_nothing_left-4" name="ex_nothing_left" value="4" checked' in html
    assert 'id="ex_no_recovery-2" name="ex_no_recovery" value="2" checked' in html


def test_back_keeps_answers(flow):
    answers = answers_for(value=5)
    first = flow.start()
    step1 = {k: str(v) for k, v in answers.items() if k.startswith("ex_")}
    second = flow.submit(first, step1)
    assert "Step 2 of 4" in second.get_data(as_text=True)
    back = flow.submit(second, {"cy_motions": "1"}, action="back")
    html = back.get_data(as_text=True)
    assert "Step 1 of 4" in html
    assert html.count(" checked") == 6
    # The answer given on step 2 before going back is kept in a hidden field.
    assert hidden_fields(html)["cy_motions"] == "1"


def test_answers_never_in_url(flow):
    response = flow.start()
    step1 = {k: "3" for k in answers_for() if k.startswith("ex_")}
    second = flow.submit(response, step1)
    html = second.get_data(as_text=True)
    assert "?" not in form_action(html)
    assert 'method="post"' in html
    for link in re.findall(r'href="([^"]+)"', html):
        assert "ex_" not in link


def test_results_recomputed_from_answers_not_client_score(flow, client):
    results = flow.complete(answers_for(pattern="best"))
    fields = results_form_fields(results.get_data(as_text=True))
    # A client cannot send a score: any field the questionnaire does not know is refused.
    fields["score"] = "100"
    response = client.post("/en/check/burnout-self-check/results", data=fields, headers=SAME_ORIGIN)
    assert response.status_code == 400


def test_country_choice_changes_crisis_lines(flow, client):
    html = flow.complete(answers_for(value=3)).get_data(as_text=True)
    fields = {**results_form_fields(html), "country": "GB"}
    response = client.post("/en/check/burnout-self-check/results", data=fields, headers=SAME_ORIGIN)
    text = visible_text(response.get_data(as_text=True))
    assert "Samaritans" in text and "116 123" in text and "999" in text
    assert "988" not in text
    assert '<option value="GB" selected>' in response.get_data(as_text=True)


def test_unknown_country_falls_back_to_emergency_advice_and_directory(client):
    text = visible_text(client.get("/en/crisis?country=JP").get_data(as_text=True))
    assert "Call your local emergency number." in text
    assert "Find A Helpline" in text


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("US", "988"),
        ("CA", "9-8-8"),
        ("GB", "116 123"),
        ("IE", "1800 247 247"),
        ("AU", "13 11 14"),
        ("NZ", "1737"),
        ("DE", "0800 111 0 111"),
        ("FR", "3114"),
        ("ES", "024"),
        ("IT", "02 2327 2327"),
        ("NL", "113"),
        ("IN", "14416"),
        ("BR", "188"),
    ],
)
def test_crisis_page_for_each_country(client, code, expected):
    response = client.get(f"/en/crisis?country={code}")
    assert response.status_code == 200
    assert expected in visible_text(response.get_data(as_text=True))


def test_crisis_page_default_country_from_locale(client):
    html = client.get("/en/crisis").get_data(as_text=True)
    assert '<option value="US" selected>' in html


def test_crisis_link_on_every_page(client, flow):
    pages = [client.get(p) for p in ("/en/", "/en/crisis", "/en/privacy", "/en/nope")]
    pages.append(flow.start())
    pages.append(flow.complete(answers_for()))
    for response in pages:
        assert 'class="crisis-link" href="/en/crisis"' in response.get_data(as_text=True)


def test_not_scored_dimension_is_explained(client):
    flow = Flow(client)
    response = flow.start()
    # Skip questions by posting straight to the results with too few answers:
    # the results page sends the person back to the first incomplete step.
    fields = {**hidden_fields(response.get_data(as_text=True))}
    fields.pop("step")
    fields["ex_nothing_left"] = "3"
    back = client.post("/en/check/burnout-self-check/results", data=fields, headers=SAME_ORIGIN)
    html = back.get_data(as_text=True)
    assert "There is a problem" in html and "Step 1 of 4" in html


def test_check_in_questionnaire_flow(client):
    from burnout_app.domain.questionnaire import load_questionnaire

    from .conftest import REPO

    check_in = load_questionnaire(REPO / "questionnaires" / "burnout-check-in.yaml")
    flow = Flow(client, check_in)
    text = visible_text(
        flow.complete(answers_for(check_in, pattern="worst")).get_data(as_text=True)
    )
    assert "Burnout pattern" in text
    assert FULL.title not in text or "Burnout check-in" in text
