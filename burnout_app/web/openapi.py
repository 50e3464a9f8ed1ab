"""The OpenAPI 3.1 document of the JSON API: glue between the routes and the models.

Every body schema is the JSON Schema of a pydantic model in domain/bodies.py.
What this module adds is what only the loaded content knows: one concrete path
per questionnaire with its own answers, and the enums of questionnaire ids,
languages and portal ids, so the document describes this deployment exactly.
tests/test_api.py runs schemathesis against it.

Why not spectree or flask-openapi3: both read the body with their own
``request.get_json``, so a deeply nested body ends in a RecursionError (a 500)
instead of passing through api._json(), the single hardened reader; and both
build the document once from the templated route, where this one must have a
path per loaded questionnaire and enums that follow each app's content.
Pydantic alone declares the bodies; these few lines place them in paths.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, NamedTuple

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from .. import __version__, i18n
from ..domain import bodies
from . import content

REF = "#/components/schemas/{model}"
PROBLEMS = {
    400: "The request is malformed; `errors[].field` names the field.",
    404: "No such questionnaire.",
    405: "Method not allowed.",
    413: "The body is too large.",
    415: "The body is not JSON.",
    422: "An answer names an unknown item or a value not on the scale, or an unknown portal.",
}


class Operation(NamedTuple):
    operation_id: str
    description: str
    response: type[BaseModel]
    problems: tuple[int, ...]
    request: type[BaseModel] | None = None


# Each route of the blueprint, by endpoint. A route missing here fails the document.
OPERATIONS = {
    "api.list_questionnaires": Operation(
        "listQuestionnaires", "The questionnaires.", bodies.QuestionnaireList, (400,)
    ),
    "api.get_questionnaire": Operation(
        "getQuestionnaire",
        "The questionnaire, in the requested language.",
        bodies.Questionnaire,
        (400, 404),
    ),
    "api.create_assessment": Operation(
        "createAssessment",
        "Scores, bands, profile, safety flag and referrals.",
        bodies.Assessment,
        (400, 413, 415, 422),
        bodies.AssessmentRequest,
    ),
    "api.countries": Operation(
        "listCountries", "Countries with crisis lines.", bodies.CountryList, (400,)
    ),
}


class _Schema(GenerateJsonSchema):
    """Pydantic's JSON Schema without a title on every property."""

    def field_title_should_be_set(self, schema) -> bool:
        return False


@functools.cache
def _components() -> dict[str, Any]:
    models = [(bodies.Problem, "serialization")]
    for op in OPERATIONS.values():
        models.append((op.response, "serialization"))
        if op.request:
            models.append((op.request, "validation"))
    _, top = models_json_schema(models, ref_template=REF, schema_generator=_Schema)
    return top["$defs"]


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def document() -> dict[str, Any]:
    store = content()
    schemas = copy.deepcopy(_components())
    portal = schemas["AssessmentRequest"]["properties"]["portal"]
    portal.pop("anyOf")
    portal["enum"] = [*sorted(store.portals.portals), None]
    lang = {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "Language of the texts (default en).",
        "schema": {"type": "string", "enum": [i18n.url_code(x) for x in i18n.locales()]},
    }
    questionnaire_id = {
        "name": "questionnaire_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": sorted(store.questionnaires)},
    }
    paths: dict[str, Any] = {}
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint == "api.openapi" or not rule.endpoint.startswith("api."):
            continue
        op = OPERATIONS[rule.endpoint]
        path = rule.rule.replace("<questionnaire_id>", "{questionnaire_id}")
        method = next(iter(rule.methods - {"HEAD", "OPTIONS"})).lower()
        operation = {
            "operationId": op.operation_id,
            "parameters": [*([questionnaire_id] if "{" in path else []), lang],
            "responses": {
                "200": {
                    "description": op.description,
                    "content": {"application/json": {"schema": _ref(op.response)}},
                },
                **{
                    str(code): {
                        "description": PROBLEMS[code],
                        "content": {"application/problem+json": {"schema": _ref(bodies.Problem)}},
                    }
                    for code in op.problems
                },
            },
        }
        if op.request:
            paths.update(_per_questionnaire(store, path, operation, op.request))
        else:
            paths[path] = {method: operation}
    # Relative unless configured: the Host header is the client's to choose.
    base = current_app.config["PUBLIC_URL"].rstrip("/") or "/"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Burnout Self-Check API",
            "version": __version__,
            "description": "Score a non-diagnostic burnout self-check and get the resources to "
            "show. No cookies; nothing is stored. Results are not a diagnosis.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": base}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _per_questionnaire(
    store, path: str, operation: dict[str, Any], request: type[BaseModel]
) -> dict[str, Any]:
    """One operation per loaded questionnaire, each with its own answers schema.

    The request body can't depend on a path parameter, so a templated path would
    have to admit every questionnaire's item ids for every questionnaire, and a
    schema-valid request would then be refused. Concrete paths say exactly what
    each one accepts.
    """
    paths = {}
    for qid in sorted(store.questionnaires):
        q = store.questionnaires[qid]
        answers = {
            item.id: {"enum": sorted({option.value for option in item.scale.options})}
            for item in q.items
        }
        if q.safety:
            answers[q.safety.id] = {"enum": sorted(o.value for o in q.safety.options)}
        body = {
            "allOf": [_ref(request)],
            "properties": {
                "answers": {"type": "object", "properties": answers, "additionalProperties": False}
            },
        }
        paths[path.replace("{questionnaire_id}", qid)] = {
            "post": {
                **operation,
                "operationId": f"{operation['operationId']}-{qid}",
                "summary": f"Score answers to {qid}",
                "parameters": [p for p in operation["parameters"] if p["in"] != "path"],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": body}},
                },
            }
        }
    return paths
