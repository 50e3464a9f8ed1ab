"""The OpenAPI 3.1 document of the JSON API, built from the loaded content.

Enums (questionnaire ids, languages, portal ids) come from what is loaded, so
the document describes this deployment exactly. tests/test_api.py runs
schemathesis against it.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from .. import __version__, i18n
from . import content

NULLABLE_STRING = {"type": ["string", "null"]}


def _problem() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "detail"],
                    "properties": {"field": {"type": "string"}, "detail": {"type": "string"}},
                },
            },
        },
    }


def _problems(*codes: int) -> dict[str, Any]:
    descriptions = {
        400: "The request is malformed; `errors[].field` names the field.",
        404: "No such questionnaire.",
        405: "Method not allowed.",
        413: "The body is too large.",
        415: "The body is not JSON.",
        422: "An answer names an unknown item or a value not on the scale, or an unknown portal.",
    }
    return {
        str(code): {
            "description": descriptions[code],
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for code in codes
    }


SUMMARY_REF = {"$ref": "#/components/schemas/QuestionnaireSummary"}


def document() -> dict[str, Any]:
    store = content()
    questionnaire_ids = sorted(store.questionnaires)
    languages = [i18n.url_code(x) for x in i18n.LOCALES]
    lang_param = {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "Language of the texts (default en).",
        "schema": {"type": "string", "enum": languages},
    }
    id_param = {
        "name": "questionnaire_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": questionnaire_ids},
    }
    option = {
        "type": "object",
        "required": ["value", "label"],
        "properties": {"value": {"type": "number"}, "label": {"type": "string"}},
    }
    range_ = {
        "type": "object",
        "required": ["min", "max"],
        "properties": {"min": {"type": "number"}, "max": {"type": "number"}},
    }
    scoring_rule = {
        "aggregate": {
            "description": "How the counted values of the answered items combine.",
            "enum": ["mean", "sum"],
        },
        "min_answered": {
            "description": "Answers needed for a score.",
            "type": "integer",
            "minimum": 1,
        },
        "range": range_,
    }
    summary = {
        "type": "object",
        "required": ["id", "version", "title", "minutes", "questions"],
        "properties": {
            "id": {"type": "string"},
            "version": {"type": "string"},
            "title": {"type": "string"},
            "minutes": {"type": ["integer", "null"]},
            "questions": {"type": "integer"},
        },
    }
    schemas: dict[str, Any] = {
        "Problem": _problem(),
        "QuestionnaireSummary": summary,
        "Questionnaire": {
            "allOf": [{"$ref": "#/components/schemas/QuestionnaireSummary"}],
            "type": "object",
            "required": [
                "language",
                "introduction",
                "prompt",
                "scale",
                "response_sets",
                "dimensions",
                "composites",
                "safety",
            ],
            "properties": {
                "language": {"type": "string"},
                "introduction": {"type": "string"},
                "prompt": {"type": "string"},
                "scale": {
                    "description": "The shared response set (also response_sets.default).",
                    "type": "array",
                    "items": option,
                },
                "response_sets": {
                    "description": "Every response set by name; each item names its own.",
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": option},
                },
                "dimensions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "id",
                            "name",
                            "description",
                            "aggregate",
                            "min_answered",
                            "range",
                            "items",
                        ],
                        "properties": {
                            "id": {"type": "string"},
                            "name": {"type": "string"},
                            "description": {"type": "string"},
                            **scoring_rule,
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["id", "text", "reverse", "response_set"],
                                    "properties": {
                                        "id": {"type": "string"},
                                        "text": {"type": "string"},
                                        "reverse": {
                                            "description": "Counted as min + max - value "
                                            "of the item's own response set.",
                                            "type": "boolean",
                                        },
                                        "response_set": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                },
                "composites": {
                    "description": "Scores across dimensions or items, such as a total.",
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "id",
                            "name",
                            "description",
                            "aggregate",
                            "min_answered",
                            "range",
                            "dimensions",
                            "items",
                        ],
                        "properties": {
                            "id": {"type": "string"},
                            "name": {"type": "string"},
                            "description": {"type": "string"},
                            **scoring_rule,
                            "dimensions": {"type": "array", "items": {"type": "string"}},
                            "items": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
                "safety": {
                    "type": ["object", "null"],
                    "required": ["id", "text", "hint", "options"],
                    "properties": {
                        "id": {"type": "string"},
                        "text": {"type": "string"},
                        "hint": NULLABLE_STRING,
                        "options": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["value", "label", "flag"],
                                "properties": {
                                    "value": {"type": "integer"},
                                    "label": {"type": "string"},
                                    "flag": {"type": "boolean"},
                                },
                            },
                        },
                    },
                },
            },
        },
        "AssessmentRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["answers"],
            "properties": {
                "answers": {
                    "description": "Item id to the chosen option's value. Missing items are "
                    "unanswered. Scores are always computed here; none is accepted.",
                    "type": "object",
                    "additionalProperties": {"type": "number"},
                },
                "country": {
                    "description": "Two-letter country code for crisis lines (default: from "
                    "the language or the portal).",
                    "type": "string",
                    "pattern": "^[A-Za-z]{2}$",
                },
                "portal": {
                    "description": "A portal id, to include its own resources (its EAP "
                    "line), or null for none.",
                    "enum": [*sorted(store.portals.portals), None],
                },
            },
        },
        "Assessment": _assessment_schema(),
    }
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
        "paths": {
            "/api/v1/questionnaires": {
                "get": {
                    "operationId": "listQuestionnaires",
                    "parameters": [lang_param],
                    "responses": {
                        "200": {
                            "description": "The questionnaires.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["questionnaires"],
                                        "properties": {
                                            "questionnaires": {
                                                "type": "array",
                                                "items": SUMMARY_REF,
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        **_problems(400),
                    },
                }
            },
            "/api/v1/questionnaires/{questionnaire_id}": {
                "get": {
                    "operationId": "getQuestionnaire",
                    "parameters": [id_param, lang_param],
                    "responses": {
                        "200": {
                            "description": "The questionnaire, in the requested language.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Questionnaire"}
                                }
                            },
                        },
                        **_problems(400, 404),
                    },
                }
            },
            **_assessment_paths(store, lang_param),
            "/api/v1/countries": {
                "get": {
                    "operationId": "listCountries",
                    "parameters": [lang_param],
                    "responses": {
                        "200": {
                            "description": "Countries with crisis lines.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["countries"],
                                        "properties": {
                                            "countries": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "required": ["code", "name"],
                                                    "properties": {
                                                        "code": {"type": "string"},
                                                        "name": {"type": "string"},
                                                    },
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        **_problems(400),
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }


def _assessment_schema() -> dict[str, Any]:
    text = {"type": "string"}
    line = {
        "type": "object",
        "required": ["name", "phone", "tel", "sms", "hours", "description", "url", "verified"],
        "properties": {
            "name": text,
            "phone": text,
            "tel": text,
            "sms": NULLABLE_STRING,
            "hours": text,
            "free": {
                "type": ["boolean", "null"],
                "description": "Whether calls are free, as the line's source says; "
                "null when the source does not say.",
            },
            "description": text,
            "url": {"type": "string", "format": "uri"},
            "verified": {"type": "string", "format": "date"},
        },
    }
    route = {
        "type": "object",
        "required": ["kind", "label", "name", "url", "verified"],
        "properties": {
            "kind": {
                "enum": [
                    "primary_care",
                    "psychologist_register",
                    "psychotherapist_register",
                    "psychiatry",
                ]
            },
            "label": text,
            "name": text,
            "url": {"type": "string", "format": "uri"},
            "verified": {"type": "string", "format": "date"},
        },
    }
    score = {
        "type": "object",
        "required": [
            "id",
            "name",
            "scored",
            "score",
            "score_100",
            "aggregate",
            "scale",
            "items_answered",
            "items_total",
            "min_answered",
            "band",
        ],
        "properties": {
            "id": text,
            "name": text,
            "scored": {"type": "boolean"},
            "score": {
                "description": "Mean or sum (see aggregate) in the instrument's own units.",
                "type": ["number", "null"],
            },
            "score_100": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
            "aggregate": {"enum": ["mean", "sum"]},
            "scale": {
                "description": "The score's own range: on a sum, from the sum of the "
                "lowest values to the sum of the highest.",
                "type": "object",
                "required": ["min", "max"],
                "properties": {"min": {"type": "number"}, "max": {"type": "number"}},
            },
            "items_answered": {"type": "integer"},
            "items_total": {"type": "integer"},
            "min_answered": {"type": "integer", "minimum": 1},
            "band": {
                "type": ["object", "null"],
                "required": ["id", "label", "concern", "meaning"],
                "properties": {
                    "id": text,
                    "label": text,
                    "concern": {"enum": ["none", "some", "high"]},
                    "meaning": text,
                },
            },
            "band_source": text,
        },
    }
    return {
        "type": "object",
        "required": [
            "questionnaire",
            "language",
            "not_a_diagnosis",
            "dimensions",
            "composites",
            "profile",
            "concern",
            "safety_flag",
            "referrals",
        ],
        "properties": {
            "questionnaire": {
                "type": "object",
                "required": ["id", "version"],
                "properties": {"id": text, "version": text},
            },
            "language": text,
            "not_a_diagnosis": text,
            "dimensions": {"type": "array", "items": score},
            "composites": {
                "description": "Scores across dimensions or items, such as a total.",
                "type": "array",
                "items": score,
            },
            "profile": {
                "type": ["object", "null"],
                "required": ["id", "name", "description"],
                "properties": {"id": text, "name": text, "description": text},
            },
            "concern": {"enum": ["none", "some", "high"]},
            "safety_flag": {"type": "boolean"},
            "referrals": {
                "type": "object",
                "required": ["crisis_first", "next_step", "crisis", "self_care", "professionals"],
                "properties": {
                    "crisis_first": {"type": "boolean"},
                    "next_step": {
                        "type": "object",
                        "required": ["key", "title", "text"],
                        "properties": {
                            "key": {"enum": ["none", "some", "high", "safety"]},
                            "title": text,
                            "text": text,
                        },
                    },
                    "crisis": {
                        "type": "object",
                        "required": ["country", "known", "emergency", "lines", "directory"],
                        "properties": {
                            "country": text,
                            "known": {"type": "boolean"},
                            "emergency": NULLABLE_STRING,
                            "emergency_advice": text,
                            "lines": {"type": "array", "items": line},
                            "professionals": {
                                "type": "array",
                                "description": "The country's own ways to reach a "
                                "licensed professional.",
                                "items": route,
                            },
                            "directory": {
                                "type": "object",
                                "required": ["name", "url", "description"],
                                "properties": {"name": text, "url": text, "description": text},
                            },
                        },
                    },
                    "self_care": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["dimension", "ideas"],
                            "properties": {
                                "dimension": NULLABLE_STRING,
                                "ideas": {"type": "array", "items": text},
                            },
                        },
                    },
                    "professionals": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "name", "text"],
                            "properties": {
                                "id": text,
                                "name": text,
                                "text": text,
                                "phone": NULLABLE_STRING,
                                "hours": NULLABLE_STRING,
                                "url": NULLABLE_STRING,
                            },
                        },
                    },
                },
            },
        },
    }


def _assessment_paths(store, lang_param: dict[str, Any]) -> dict[str, Any]:
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
        paths[f"/api/v1/questionnaires/{qid}/assessments"] = {
            "post": {
                "operationId": f"createAssessment-{qid}",
                "summary": f"Score answers to {qid}",
                "parameters": [lang_param],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "allOf": [{"$ref": "#/components/schemas/AssessmentRequest"}],
                                "properties": {
                                    "answers": {
                                        "type": "object",
                                        "properties": answers,
                                        "additionalProperties": False,
                                    }
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Scores, bands, profile, safety flag and referrals.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Assessment"}
                            }
                        },
                    },
                    **_problems(400, 413, 415, 422),
                },
            }
        }
    return paths
