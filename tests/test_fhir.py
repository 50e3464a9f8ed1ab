"""FHIR: the Questionnaire and a QuestionnaireResponse validate as FHIR R4-family resources
(fhir.resources' R4B models: its R4-only releases need pydantic 1), and a response
round-trips to the same Assessment."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse as FhirQuestionnaireResponse,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from burnout_app.domain.fhir import (
    ITEM_WEIGHT,
    ResponseError,
    answers_from_response,
    questionnaire_resource,
    response_resource,
)
from burnout_app.domain.questionnaire import load_questionnaire
from burnout_app.domain.scoring import assess

from .conftest import FULL, REPO, SAME_ORIGIN, Flow, answers_for, results_form_fields

CHECK_IN = load_questionnaire(REPO / "questionnaires" / "burnout-check-in.yaml")
BASE = "https://check.example.org"


@pytest.mark.parametrize("questionnaire", [FULL, CHECK_IN], ids=lambda q: q.id)
def test_questionnaire_validates_with_linkids_codings_and_item_weights(questionnaire):
    resource = questionnaire_resource(questionnaire, BASE, "en")
    model = FhirQuestionnaire.model_validate(resource)
    assert model.status == "active"
    items = [item for group in model.item for item in group.item]
    assert [i.linkId for i in items] == [i.id for i in questionnaire.items] + ["safety_thoughts"]
    first = items[0].answerOption[0]
    assert first.valueCoding.code == "0" and first.valueCoding.display == "Never"
    weights = [
        ext.valueDecimal
        for option in items[0].answerOption
        for ext in option.extension
        if ext.url == ITEM_WEIGHT
    ]
    assert [float(w) for w in weights] == [o.value for o in questionnaire.scale.options]


def test_questionnaire_endpoint_in_another_language(client):
    response = client.get("/fhir/Questionnaire/burnout-self-check?lang=es")
    assert response.mimetype == "application/fhir+json"
    model = FhirQuestionnaire.model_validate(response.json)
    assert model.language == "es"
    assert model.title == "Autoevaluación de burnout"
    assert client.get("/fhir/Questionnaire/nope").status_code == 404


def test_response_download_validates_and_round_trips(client):
    answers = answers_for(value=4, safety=2)
    results = Flow(client).complete(answers)
    fields = results_form_fields(results.get_data(as_text=True))
    response = client.post("/en/check/burnout-self-check/fhir", data=fields, headers=SAME_ORIGIN)
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment;" in response.headers["Content-Disposition"]
    resource = json.loads(response.data)
    model = FhirQuestionnaireResponse.model_validate(resource)
    assert model.status == "completed" and model.subject is None
    assert resource["questionnaire"].endswith("/fhir/Questionnaire/burnout-self-check|1.0")
    back = answers_from_response(FULL, resource)
    assert assess(FULL, back) == assess(FULL, answers)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from([i.id for i in FULL.items]), st.integers(0, 6), min_size=0),
    st.sampled_from([None, 0, 1, 2]),
)
def test_any_answers_round_trip_through_a_response(answers, safety):
    if safety is not None:
        answers = {**answers, "safety_thoughts": safety}
    resource = response_resource(FULL, answers, BASE, "en", dt.datetime(2026, 11, 21))
    FhirQuestionnaireResponse.model_validate(resource)
    assert assess(FULL, answers_from_response(FULL, resource)) == assess(FULL, answers)


def test_foreign_response_is_refused():
    with pytest.raises(ResponseError):
        answers_from_response(FULL, {"resourceType": "Patient"})
    bad = {
        "resourceType": "QuestionnaireResponse",
        "item": [{"linkId": "x", "answer": [{"valueCoding": {"code": "1"}}]}],
    }
    with pytest.raises(ResponseError, match="x: not an item"):
        answers_from_response(FULL, bad)
