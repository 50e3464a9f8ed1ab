"""JSON API v1: schemathesis against the OpenAPI document, plus the behaviour that matters."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

from burnout_app.app import create_app

from .conftest import GLOBEX_EAP, GLOBEX_ORIGIN, answers_for

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "portals"
APP = create_app({"SECRET_KEY": "api", "PORTALS_DIR": str(FIXTURES)})
SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
OPERATIONS = {
    f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in SCHEMA.get_all_operations())
}
# Every check schemathesis has, positive and negative data alike. Explicit ids (not
# `SCHEMA.parametrize()`, whose cases share one node id) so pytest-xdist runs them all.
ALL_CHECKS = CHECKS.get_all()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_api_conforms_to_its_openapi_document(operation, mode):
    strategy = OPERATIONS[operation].as_strategy(generation_mode=mode)

    @given(case=strategy)
    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(checks=ALL_CHECKS)

    run()


def test_every_api_operation_is_fuzzed():
    # Three shared operations, and one assessment operation per questionnaire.
    questionnaires = APP.extensions["burnout_content"].questionnaires
    assert len(OPERATIONS) == 3 + len(questionnaires), sorted(OPERATIONS)


@pytest.fixture
def api():
    return APP.test_client()


ASSESS = "/api/v1/questionnaires/burnout-self-check/assessments"


def test_openapi_document_is_3_1_and_lists_every_route(api):
    doc = api.get("/api/v1/openapi.json").json
    assert doc["openapi"] == "3.1.0"
    documented = set(doc["paths"])
    routes = set()
    for rule in APP.url_map.iter_rules():
        if str(rule).startswith("/api/v1/") and rule.endpoint != "api.openapi":
            if str(rule).endswith("/assessments"):
                # One operation per questionnaire, each with its own answers schema.
                routes |= {
                    str(rule).replace("<questionnaire_id>", qid)
                    for qid in APP.extensions["burnout_content"].questionnaires
                }
            else:
                routes.add(str(rule).replace("<questionnaire_id>", "{questionnaire_id}"))
    assert routes == documented


def test_assessment_is_computed_from_answers(api):
    response = api.post(ASSESS, json={"answers": answers_for(pattern="worst"), "country": "gb"})
    assert response.status_code == 200
    body = response.json
    assert [d["band"]["id"] for d in body["dimensions"]] == ["high", "high", "high"]
    assert body["profile"]["id"] == "burnout"
    assert body["referrals"]["crisis"]["country"] == "GB"
    assert body["referrals"]["next_step"]["key"] == "high"
    assert body["not_a_diagnosis"] == "This is not a diagnosis."
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_safety_flag_and_crisis_first(api):
    response = api.post(
        ASSESS, json={"answers": answers_for(safety=1)}, headers={"Accept-Language": "en-US"}
    )
    body = response.json
    assert body["safety_flag"] is True
    assert body["referrals"]["crisis_first"] is True
    assert body["referrals"]["crisis"]["lines"][0]["phone"] == "988"
    assert "Accept-Language" in response.headers["Vary"]


def test_country_from_accept_language_region_never_the_language_alone(api):
    body = api.post(
        ASSESS, json={"answers": answers_for()}, headers={"Accept-Language": "en-GB,en;q=0.8"}
    ).json
    crisis = body["referrals"]["crisis"]
    assert crisis["country"] == "GB" and crisis["emergency"] == "999"
    assert crisis["lines"][0]["phone"] == "116 123" and crisis["lines"][0]["free"] is True
    assert {r["kind"] for r in crisis["professionals"]} >= {"primary_care"}
    assert all(r["url"].startswith("https://") and r["label"] for r in crisis["professionals"])
    # English alone names no country: no US lines assumed, the fallback instead.
    plain = api.post(ASSESS, json={"answers": answers_for()}, headers={"Accept-Language": "en"})
    crisis = plain.json["referrals"]["crisis"]
    assert crisis["known"] is False and crisis["lines"] == [] and crisis["emergency"] is None


def test_localised_texts(api):
    body = api.get("/api/v1/questionnaires/burnout-self-check?lang=de").json
    assert body["language"] == "de"
    assert body["title"] == "Burnout-Selbsttest"
    assert body["scale"][0] == {"value": 0, "label": "Nie"}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"answers": {"ex_wake_tired": 9}}, 422, "answers.ex_wake_tired"),
        ({"answers": {"nope": 1}}, 422, "answers.nope"),
        ({"answers": {"ex_wake_tired": "3"}}, 400, "answers.ex_wake_tired"),
        ({"answers": []}, 400, "answers"),
        ({}, 400, "answers"),
        ({"answers": {}, "score": 100}, 400, "score"),
        ({"answers": {}, "country": "Narnia"}, 400, "country"),
        ({"answers": {}, "portal": "nope"}, 422, "portal"),
    ],
)
def test_errors_are_problem_json_naming_the_field(api, body, status, field):
    response = api.post(ASSESS, json=body)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem = response.json
    assert problem["status"] == status
    assert problem["errors"][0]["field"] == field
    assert problem["detail"].startswith(f"{field}: ")


def test_every_refused_field_is_named_unknown_ones_first(api):
    body = {"answers": {"ex_wake_tired": "3"}, "country": "Narnia", "extra": 1}
    response = api.post(ASSESS, json=body)
    assert response.status_code == 400
    assert [e["field"] for e in response.json["errors"]] == [
        "extra",
        "answers.ex_wake_tired",
        "country",
    ]
    assert response.json["detail"] == "extra: unknown field"


def test_other_errors(api):
    assert api.post(ASSESS, data="answers=1").status_code == 415
    broken = api.post(ASSESS, data="{", content_type="application/json")
    assert broken.status_code == 400 and broken.mimetype == "application/problem+json"
    missing = api.get("/api/v1/questionnaires/nope")
    assert missing.status_code == 404 and missing.json["detail"] == "no questionnaire 'nope'"
    wrong = api.delete(ASSESS)
    assert wrong.status_code == 405 and wrong.mimetype == "application/problem+json"
    lang = api.get("/api/v1/questionnaires?lang=xx")
    assert lang.status_code == 400 and lang.json["errors"][0]["field"] == "lang"


def test_cors_only_for_portal_origins(api):
    allowed = api.get("/api/v1/questionnaires", headers={"Origin": "https://intranet.acme.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://intranet.acme.example"
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    other = api.get("/api/v1/questionnaires", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = api.options(
        ASSESS,
        headers={
            "Origin": "https://intranet.acme.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "Content-Type"


def test_cors_for_a_portals_resources_only_to_that_portals_origins(two_portals):
    client = create_app({"SECRET_KEY": "api", "PORTALS_DIR": str(two_portals)}).test_client()
    acme = "https://intranet.acme.example"

    def assess(portal, origin):
        return client.post(
            ASSESS, json={"answers": answers_for(), "portal": portal}, headers={"Origin": origin}
        )

    own = assess("globex", GLOBEX_ORIGIN)
    assert own.headers["Access-Control-Allow-Origin"] == GLOBEX_ORIGIN
    assert own.json["referrals"]["professionals"][0]["name"] == GLOBEX_EAP
    # Acme's page asks for Globex's resources: the browser gets no grant to read them.
    foreign = assess("globex", acme)
    assert foreign.status_code == 200
    assert "Access-Control-Allow-Origin" not in foreign.headers
    assert "Origin" in foreign.headers["Vary"]
    # And the other way round; an unknown portal is granted to nobody.
    assert "Access-Control-Allow-Origin" not in assess("acme", GLOBEX_ORIGIN).headers
    assert assess("acme", acme).headers["Access-Control-Allow-Origin"] == acme
    assert "Access-Control-Allow-Origin" not in assess("nope", acme).headers
    # Without a portal, the answer holds no portal's resources: every portal may read it.
    for origin in (acme, GLOBEX_ORIGIN):
        plain = client.post(ASSESS, json={"answers": answers_for()}, headers={"Origin": origin})
        assert plain.headers["Access-Control-Allow-Origin"] == origin
        assert all(
            "Acme" not in p["name"] and "Globex" not in p["name"]
            for p in plain.json["referrals"]["professionals"]
        )


def test_portal_resources_in_api(api):
    body = api.post(ASSESS, json={"answers": answers_for(), "portal": "acme"}).json
    assert body["referrals"]["professionals"][0]["name"] == "Acme Employee Assistance Programme"
    # Without a country the portal's default applies.
    assert body["referrals"]["crisis"]["country"] == "GB"
