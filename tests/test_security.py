"""Form protection without cookies, headers, and bad input that must never be a 500."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from burnout_app.app import create_app

from .conftest import SAME_ORIGIN, Flow, answers_for, form_action, hidden_fields, visible_text

RESULTS = "/en/check/burnout-self-check/results"
QUESTIONS = "/en/check/burnout-self-check/questions"


def step1_post(flow, **changes):
    """The fields of a valid step-1 post, with changes."""
    html = flow.start().get_data(as_text=True)
    data = {**hidden_fields(html), "action": "continue"}
    data.update({k: "2" for k in answers_for() if k.startswith("ex_")})
    data.update(changes)
    return data


def all_pages(client, flow):
    yield client.get("/en/")
    yield client.get("/en/crisis")
    yield client.get("/en/privacy")
    yield flow.start()
    yield flow.complete(answers_for())
    yield client.get("/en/missing")


def test_no_cookie_on_any_anonymous_page(client, flow):
    for response in all_pages(client, flow):
        assert "Set-Cookie" not in response.headers


def test_security_headers(client, flow):
    for response in all_pages(client, flow):
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp
        for directive in (
            "script-src",
            "style-src",
            "img-src",
            "font-src",
            "connect-src",
            "form-action",
        ):
            assert f"{directive} 'self'" in csp
        assert "base-uri 'none'" in csp
        assert "frame-ancestors 'self'" in csp
        assert "unsafe-inline" not in csp
        assert csp == (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'self'"
        )
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in response.headers


def test_no_inline_script_or_style(client, flow):
    for response in all_pages(client, flow):
        html = response.get_data(as_text=True)
        assert "<style" not in html
        assert " style=" not in html
        assert "<script>" not in html and "<script " not in html.replace("<script src=", "")
        assert " on" + "click=" not in html


def test_pages_with_answers_are_not_stored(flow):
    assert flow.complete(answers_for()).headers["Cache-Control"] == "no-store"
    second = flow.submit(flow.start(), {k: "1" for k in answers_for() if k.startswith("ex_")})
    assert second.headers["Cache-Control"] == "no-store"


def test_hsts_when_configured():
    app = create_app({"SECRET_KEY": "x", "HSTS": True})
    response = app.test_client().get("/en/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_tampered_token_is_400(flow, client):
    data = step1_post(flow)
    data["token"] = data["token"][:-3] + "abc"
    response = client.post(QUESTIONS, data=data, headers=SAME_ORIGIN)
    assert response.status_code == 400
    assert "security token is not valid" in response.get_data(as_text=True)


def test_missing_token_is_400(flow, client):
    data = step1_post(flow)
    del data["token"]
    assert client.post(QUESTIONS, data=data, headers=SAME_ORIGIN).status_code == 400


def test_token_of_another_questionnaire_is_400(flow, client):
    other = client.get("/en/check/burnout-check-in/questions").get_data(as_text=True)
    data = step1_post(flow, token=hidden_fields(other)["token"])
    assert client.post(QUESTIONS, data=data, headers=SAME_ORIGIN).status_code == 400


def test_expired_token_reshows_form_with_every_answer():
    app = create_app({"SECRET_KEY": "x", "FORM_TOKEN_MAX_AGE": -1})
    client = app.test_client()
    flow = Flow(client)
    data = step1_post(flow, ex_wake_tired="5")
    response = client.post(QUESTIONS, data=data, headers=SAME_ORIGIN)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This page was open for a long time" in html
    assert "Step 1 of 4" in html
    assert 'value="5" checked' in html
    assert html.count(" checked") == 6


def test_expired_token_on_results_keeps_answers():
    app = create_app({"SECRET_KEY": "x", "FORM_TOKEN_MAX_AGE": -1})
    client = app.test_client()
    token = hidden_fields(client.get(QUESTIONS).get_data(as_text=True))["token"]
    answers = {k: str(v) for k, v in answers_for().items()}
    response = client.post(RESULTS, data={**answers, "token": token}, headers=SAME_ORIGIN)
    html = response.get_data(as_text=True)
    assert "This page was open for a long time" in html
    kept = hidden_fields(html)
    assert all(kept[k] == v for k, v in answers.items() if not k.startswith("safety"))


def test_cross_site_post_is_refused(flow, client):
    data = step1_post(flow)
    response = client.post(QUESTIONS, data=data, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    response = client.post(QUESTIONS, data=data, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


def test_own_origin_and_null_origin_are_accepted(flow, client):
    data = step1_post(flow)
    assert (
        client.post(QUESTIONS, data=data, headers={"Origin": "http://localhost"}).status_code == 200
    )
    # With Referrer-Policy: no-referrer, browsers send Origin: null on our own posts.
    data = step1_post(flow)
    response = client.post(
        QUESTIONS, data=data, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ex_wake_tired": "9"}, "not one of its options"),
        ({"ex_wake_tired": "2.0"}, "not one of its options"),
        ({"ex_wake_tired": ""}, "not one of its options"),
        ({"ex_wake_tired": "<script>"}, "not one of its options"),
        ({"surprise": "1"}, "does not know"),
        ({"score_exhaustion": "0"}, "does not know"),
        ({"step": "99"}, "step that does not exist"),
        ({"step": "one"}, "step that does not exist"),
        ({"action": "delete"}, "cannot do"),
        ({"country": "Narnia"}, None),
    ],
)
def test_tampered_fields_are_a_clear_400(flow, client, change, message):
    data = step1_post(flow, **change)
    url = RESULTS if "country" in change else QUESTIONS
    if "country" in change:
        data = {**{k: str(v) for k, v in answers_for().items()}, **change, "token": data["token"]}
    response = client.post(url, data=data, headers=SAME_ORIGIN)
    assert response.status_code == 400
    text = visible_text(response.get_data(as_text=True))
    assert "Something was wrong with that request" in text
    if message:
        assert message in text


def test_duplicated_field_is_400(flow, client):
    data = MultiDict([*step1_post(flow).items(), ("ex_wake_tired", "3")])
    response = client.post(QUESTIONS, data=data, headers=SAME_ORIGIN)
    assert response.status_code == 400
    assert "more than once" in response.get_data(as_text=True)


def test_body_over_limit_is_413(client):
    response = client.post(QUESTIONS, data={"x": "a" * 100_000}, headers=SAME_ORIGIN)
    assert response.status_code == 413
    assert "more than this page can take" in response.get_data(as_text=True)


def test_wrong_method_is_405(client):
    assert client.delete(QUESTIONS).status_code == 405
    # The summary is made only from a POST of the answers (GET results starts the check).
    response = client.get("/en/check/burnout-self-check/summary")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_answer_like_query_parameters_are_ignored(flow, client):
    # Answers are read only from POST bodies: a query string cannot add or change one.
    data = step1_post(flow)
    # Three of six left out: too few to score, so each missing one is named.
    for item_id in ("ex_wake_tired", "ex_nothing_left", "ex_no_recovery"):
        data.pop(item_id)
    response = client.post(QUESTIONS + "?ex_wake_tired=6", data=data, headers=SAME_ORIGIN)
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and 'href="#ex_wake_tired-0"' in html
    page = client.get(QUESTIONS + "?ex_wake_tired=6").get_data(as_text=True)
    assert "checked" not in page


def test_no_500_on_garbage(client):
    for body in (b"\xff\xfe\x00", b"token=%%%", b"=&=&"):
        response = client.post(
            QUESTIONS,
            data=body,
            headers={**SAME_ORIGIN, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code in {400, 403}, body


def test_action_urls_carry_no_answers(flow):
    html = flow.complete(answers_for()).get_data(as_text=True)
    assert "?" not in form_action(html)


def test_session_cannot_be_written(app):
    from flask import session

    with app.test_request_context("/en/"):
        app.preprocess_request()
        with pytest.raises(RuntimeError):
            session["x"] = 1
