"""Hostile and malformed requests: never a 5xx, API errors always problem+json.

The reproducers from the production review each have a test here, then a fuzzer
sends thousands of generated malformed requests across every route.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from burnout_app.app import create_app

from .conftest import FULL, SAME_ORIGIN, form_action, hidden_fields

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "portals"
QUESTIONS = "/en/check/burnout-self-check/questions"
ASSESS = "/api/v1/questionnaires/burnout-self-check/assessments"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def hostile_app():
    return create_app({"SECRET_KEY": "hostile", "PORTALS_DIR": str(FIXTURES)})


@pytest.fixture
def hc(hostile_app):
    return hostile_app.test_client()


def first_page_fields(client) -> tuple[str, dict[str, str]]:
    html = client.get(QUESTIONS).get_data(as_text=True)
    return form_action(html), hidden_fields(html)


@pytest.mark.parametrize("step", ["²", "9" * 4400, "٣", "1" * 5000, "-1", "0", "", "1.0"])
def test_a_strange_step_is_a_400_not_a_500(hc, step):
    action, fields = first_page_fields(hc)
    response = hc.post(action, data={**fields, "step": step}, headers=SAME_ORIGIN)
    assert response.status_code == 400


@pytest.mark.parametrize("value", [int("9" * 400), -(10**400), 10**4000])
def test_an_enormous_integer_answer_is_refused_as_a_problem(hc, value):
    body = json.dumps({"answers": {FULL.items[0].id: value}})
    response = hc.post(ASSESS, data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert response.json["errors"][0]["field"] == f"answers.{FULL.items[0].id}"


@pytest.mark.parametrize("origin", [None, "https://intranet.acme.example", "https://other.example"])
def test_a_30000_deep_json_array_is_a_400_problem(hc, origin):
    body = "[" * 30000 + "]" * 30000
    headers = {"Origin": origin} if origin else {}
    response = hc.post(ASSESS, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.content_type == PROBLEM


def test_an_empty_portal_is_refused_and_the_document_says_so(hc):
    body = {"answers": {FULL.items[0].id: 3}, "portal": ""}
    response = hc.post(ASSESS, json=body)
    assert response.status_code == 422
    schema = hc.get("/api/v1/openapi.json").json["components"]["schemas"]["AssessmentRequest"]
    assert "" not in schema["properties"]["portal"]["enum"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nothing-here", 404),
        ("DELETE", "/api/v1/questionnaires", 405),
        ("GET", ASSESS, 405),
        ("GET", "/api/v1/questionnaires/no-such-questionnaire", 404),
    ],
)
def test_api_errors_are_problem_json(hc, method, path, status):
    response = hc.open(path, method=method)
    assert response.status_code == status
    assert response.content_type == PROBLEM
    assert response.json["status"] == status


@pytest.mark.parametrize(
    ("path", "accept", "problem"),
    [
        ("/en/nothing-here", None, False),
        ("/en/nothing-here", "text/html,application/xhtml+xml,*/*;q=0.8", False),  # a browser
        ("/en/nothing-here", "application/json", True),  # a JSON client
        ("/api/v1/nothing-here", "text/html", True),  # under the API's prefix: its 404
        ("/api/v1/questionnaires/no-such-questionnaire", "text/html", True),  # the API's view
        ("/api/v1x/nothing-here", None, False),  # not the API's prefix
        ("/api/v1", "text/html", True),  # the prefix itself
    ],
)
def test_errors_are_problem_json_for_the_api_and_json_clients_else_a_page(
    hc, path, accept, problem
):
    response = hc.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 404
    assert (response.content_type == PROBLEM) is problem
    if not problem:
        assert "Page not found" in response.get_data(as_text=True)
    # Outside the API the answer depends on Accept, and says so to caches.
    in_api = path == "/api/v1" or path.startswith("/api/v1/")
    assert ("Accept" in response.vary) is not in_api


def test_an_oversized_api_body_is_a_413_problem(hc):
    body = json.dumps({"answers": {}, "country": "x" * 100_000})
    response = hc.post(ASSESS, data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.content_type == PROBLEM


def test_an_unexpected_failure_in_the_api_is_a_500_problem_with_the_traceback_logged(
    hostile_app, caplog, monkeypatch
):
    from burnout_app.web import api

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "assess", explode)
    hostile_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = hostile_app.test_client().post(ASSESS, json={"answers": {}})
    assert response.status_code == 500
    assert response.content_type == PROBLEM
    record = next(r for r in caplog.records if "Unhandled RuntimeError" in r.getMessage())
    assert record.exc_info is not None  # the traceback reaches the operator's log


def wsgi_chunked(app, path: str, body: bytes, content_type: str):
    """Call the app as a WSGI server does for a chunked body (no Content-Length)."""
    import io

    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(path=path, method="POST", content_type=content_type)
    environ = builder.get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    environ["wsgi.input_terminated"] = True
    environ["wsgi.input"] = body if hasattr(body, "read") else io.BytesIO(body)
    environ["HTTP_SEC_FETCH_SITE"] = "same-origin"
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(headers)

    b"".join(app(environ, start_response))
    return captured


def test_a_chunked_body_over_the_limit_is_413(hostile_app):
    body = b"answers=" + b"x" * (hostile_app.config["MAX_CONTENT_LENGTH"] + 10)
    got = wsgi_chunked(hostile_app, QUESTIONS, body, "application/x-www-form-urlencoded")
    assert got["status"] == 413
    got = wsgi_chunked(hostile_app, ASSESS, body, "application/json")
    assert got["status"] == 413
    assert got["headers"]["Content-Type"] == PROBLEM


def test_a_chunked_body_with_broken_framing_is_400(hostile_app):
    class BrokenChunks:
        def read(self, size=-1):
            raise OSError("Invalid chunk size: b'zz'")  # what gunicorn's parser raises

    got = wsgi_chunked(hostile_app, QUESTIONS, BrokenChunks(), "application/x-www-form-urlencoded")
    assert got["status"] == 400
    got = wsgi_chunked(hostile_app, ASSESS, BrokenChunks(), "application/json")
    assert got["status"] == 400
    assert got["headers"]["Content-Type"] == PROBLEM


def test_a_chunked_body_within_the_limit_still_works(hostile_app):
    body = json.dumps({"answers": {FULL.items[0].id: 3}}).encode()
    assert wsgi_chunked(hostile_app, ASSESS, body, "application/json")["status"] == 200


def test_fhir_urls_never_come_from_the_host_header(hc, hostile_app):
    response = hc.get("/fhir/Questionnaire/burnout-self-check", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert "evil.example" not in response.get_data(as_text=True)
    assert response.json["url"] == "/fhir/Questionnaire/burnout-self-check"
    doc = hc.get("/api/v1/openapi.json", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in doc
    configured = create_app(
        {"SECRET_KEY": "x", "PUBLIC_URL": "https://check.example.org/", "PORTALS_DIR": ""}
    ).test_client()
    resource = configured.get(
        "/fhir/Questionnaire/burnout-self-check", headers={"Host": "evil.example"}
    ).json
    assert resource["url"] == "https://check.example.org/fhir/Questionnaire/burnout-self-check"


# --- The fuzzer -------------------------------------------------------------------

ITEM_IDS = [item.id for item in FULL.items] + [FULL.safety.id]
SEGMENT = st.one_of(
    st.sampled_from(["en", "de", "ar", "pt-br", "xx", "burnout-self-check", "acme", "other"]),
    st.text(min_size=0, max_size=30),
)
JUNK = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["²", "9" * 4400, "-1", "0", "3", "6", "NaN", "1e309", "\x00", "GB", "other"]),
    st.integers().map(str),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)


def route_paths(app) -> list[str]:
    rules = [r.rule for r in app.url_map.iter_rules() if "static" not in r.rule]
    return sorted(set(rules))


@st.composite
def hostile_request(draw, rules: list[str]):
    rule = draw(st.sampled_from(rules))
    # Segments are percent-encoded, as a client sends them.
    path = re.sub(r"<(?:[^:>]+:)?[^>]+>", lambda _m: quote(draw(SEGMENT), safe="") or "x", rule)
    method = draw(st.sampled_from(["GET", "POST", "POST", "POST", "PUT", "DELETE", "OPTIONS"]))
    headers = {}
    if draw(st.booleans()):
        headers["Sec-Fetch-Site"] = draw(st.sampled_from(["same-origin", "cross-site", "none"]))
    printable = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126))
    for name in ("Origin", "Accept-Language", "Host", "Accept"):
        if draw(st.integers(0, 3)) == 0:
            headers[name] = draw(printable)
    if draw(st.integers(0, 3)) == 0:  # a portal's own origin reaches the CORS code
        headers["Origin"] = "https://intranet.acme.example"
    kind = draw(st.sampled_from(["form", "json", "raw", "none"]))
    kwargs: dict = {"headers": headers}
    if kind == "form":
        keys = st.one_of(
            st.sampled_from(["token", "step", "action", "country", "lang", *ITEM_IDS]),
            st.text(max_size=20),
        )
        kwargs["data"] = draw(st.dictionaries(keys, JUNK, max_size=25))
    elif kind == "json":
        kwargs["data"] = json.dumps(draw(JSON_VALUES))
        kwargs["content_type"] = draw(st.sampled_from(["application/json", "text/plain"]))
    elif kind == "raw":
        kwargs["data"] = draw(st.binary(max_size=300))
        kwargs["content_type"] = draw(
            st.sampled_from(
                ["application/x-www-form-urlencoded", "multipart/form-data", "application/json"]
            )
        )
    if draw(st.booleans()):
        kwargs["query_string"] = draw(st.dictionaries(st.text(max_size=8), JUNK, max_size=4))
    return method, path, kwargs


_APP = create_app({"SECRET_KEY": "fuzz", "PORTALS_DIR": str(FIXTURES)})
_RULES = route_paths(_APP)


@pytest.mark.slow
@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(hostile_request(_RULES))
def test_no_generated_malformed_request_gets_a_5xx(request_parts):
    method, path, kwargs = request_parts
    client = _APP.test_client()
    # A real token for this questionnaire now and then, so deeper code is reached.
    data = kwargs.get("data")
    if isinstance(data, dict) and data.get("token") == "3":
        data["token"] = hidden_fields(client.get(QUESTIONS).get_data(as_text=True))["token"]
    response = client.open(path, method=method, **kwargs)
    assert response.status_code < 500, (method, path, response.get_data(as_text=True)[:300])
    if path.startswith("/api/") and response.status_code >= 400:
        assert response.content_type == PROBLEM, (method, path)


def test_every_route_is_fuzzed():
    # The fuzzer draws from the app's own URL map, so a new route is covered by itself.
    assert len(_RULES) >= 25
    assert any(r.endswith("/summary") for r in _RULES)
    assert any(r.startswith("/api/") for r in _RULES)


@pytest.mark.parametrize("host", ["a..example", "x" * 64 + ".example", "."])
def test_a_host_header_the_router_cannot_parse_is_a_400(hc, host):
    page = hc.get("/en/crisis", headers={"Host": host})
    assert page.status_code == 400
    api = hc.get("/api/v1/questionnaires", headers={"Host": host})
    assert api.status_code == 400
    assert api.content_type == PROBLEM
