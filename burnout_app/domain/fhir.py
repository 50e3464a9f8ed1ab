"""FHIR R4 resources for a questionnaire and for one person's answers. Plain Python.

- `questionnaire_resource`: a FHIR Questionnaire with one group per dimension,
  each item a ``choice`` with ``answerOption`` codings from its response set;
  each option carries, in the SDC ``itemWeight`` extension, the value it adds to
  the item's scores (after reversal), so a client that scores from the weights
  gets the app's scores. An item is ``required`` only when leaving it out always
  leaves a score unscored.
- `response_resource`: a QuestionnaireResponse for answers (anonymous: no subject).
- `answers_from_response`: the way back, so a response scores to the same Assessment.

Texts are passed through ``translate`` so the resources follow the page language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from .questionnaire import DEFAULT_SET, Item, Questionnaire

ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
SAFETY_GROUP = "safety"


class ResponseError(ValueError):
    """A QuestionnaireResponse that does not fit the questionnaire."""


def _code(value: float) -> str:
    return f"{value:g}"


def scale_system(base_url: str, questionnaire: Questionnaire) -> str:
    return f"{base_url.rstrip('/')}/fhir/CodeSystem/{questionnaire.id}-scale"


def set_system(base_url: str, questionnaire: Questionnaire, item: Item) -> str:
    """The code system of an item's response set (the shared scale keeps its old address)."""
    if item.response_set == DEFAULT_SET:
        return scale_system(base_url, questionnaire)
    return f"{base_url.rstrip('/')}/fhir/CodeSystem/{questionnaire.id}-{item.response_set}"


def safety_system(base_url: str, questionnaire: Questionnaire) -> str:
    return f"{base_url.rstrip('/')}/fhir/CodeSystem/{questionnaire.id}-safety"


def canonical_url(base_url: str, questionnaire: Questionnaire) -> str:
    return f"{base_url.rstrip('/')}/fhir/Questionnaire/{questionnaire.id}"


def questionnaire_resource(
    questionnaire: Questionnaire,
    base_url: str,
    language: str,
    translate: Callable[[str], str] = lambda text: text,
) -> dict[str, Any]:
    """The questionnaire as a FHIR R4 Questionnaire (JSON-ready dict)."""
    q = questionnaire

    def options(triples, system):
        return [
            {
                "valueCoding": {
                    "system": system,
                    "code": _code(value),
                    "display": translate(label),
                },
                "extension": [{"url": ITEM_WEIGHT, "valueDecimal": weight}],
            }
            for value, label, weight in triples
        ]

    def item_options(item: Item):
        return options(
            ((o.value, o.label, item.counted(o.value)) for o in item.scale.options),
            set_system(base_url, q, item),
        )

    groups: list[dict[str, Any]] = [
        {
            "linkId": dim.id,
            "type": "group",
            "text": translate(dim.name),
            "item": [
                {
                    "linkId": item.id,
                    "type": "choice",
                    "text": translate(item.text),
                    "required": q.required(item),
                    "answerOption": item_options(item),
                }
                for item in dim.items
            ],
        }
        for dim in q.dimensions
    ]
    if q.safety:
        groups.append(
            {
                "linkId": SAFETY_GROUP,
                "type": "group",
                "text": translate(q.safety.step_title),
                "item": [
                    {
                        "linkId": q.safety.id,
                        "type": "choice",
                        "text": translate(q.safety.text),
                        "required": True,
                        "answerOption": options(
                            ((o.value, o.label, o.value) for o in q.safety.options),
                            safety_system(base_url, q),
                        ),
                    }
                ],
            }
        )
    return {
        "resourceType": "Questionnaire",
        "id": q.id,
        "url": canonical_url(base_url, q),
        "version": q.version,
        "name": "".join(part.capitalize() for part in q.id.split("-")),
        "title": translate(q.title),
        "status": "active",
        "language": language,
        "description": translate(q.introduction),
        "copyright": q.licence or "",
        "item": groups,
    }


def response_resource(
    questionnaire: Questionnaire,
    answers: Mapping[str, float],
    base_url: str,
    language: str,
    authored: dt.datetime,
    translate: Callable[[str], str] = lambda text: text,
) -> dict[str, Any]:
    """Answers as a FHIR R4 QuestionnaireResponse. No subject: the person stays anonymous."""
    q = questionnaire
    if authored.tzinfo is None:
        authored = authored.replace(tzinfo=dt.UTC)  # FHIR dateTime with a time needs a zone
    groups: list[dict[str, Any]] = []
    for dim in q.dimensions:
        items = []
        for item in dim.items:
            entry: dict[str, Any] = {"linkId": item.id, "text": translate(item.text)}
            if item.id in answers:
                option = item.scale.option_for(answers[item.id])
                entry["answer"] = [
                    {
                        "valueCoding": {
                            "system": set_system(base_url, q, item),
                            "code": _code(option.value),
                            "display": translate(option.label),
                        }
                    }
                ]
            items.append(entry)
        groups.append({"linkId": dim.id, "text": translate(dim.name), "item": items})
    if q.safety and q.safety.id in answers:
        option = q.safety.option_for(int(answers[q.safety.id]))
        groups.append(
            {
                "linkId": SAFETY_GROUP,
                "text": translate(q.safety.step_title),
                "item": [
                    {
                        "linkId": q.safety.id,
                        "text": translate(q.safety.text),
                        "answer": [
                            {
                                "valueCoding": {
                                    "system": safety_system(base_url, q),
                                    "code": _code(option.value),
                                    "display": translate(option.label),
                                }
                            }
                        ],
                    }
                ],
            }
        )
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{canonical_url(base_url, q)}|{q.version}",
        "status": "completed",
        "authored": authored.isoformat(),
        "language": language,
        "item": groups,
    }


def answers_from_response(questionnaire: Questionnaire, resource: Mapping[str, Any]) -> dict:
    """Item id to value from a QuestionnaireResponse, or `ResponseError`."""
    if resource.get("resourceType") != "QuestionnaireResponse":
        raise ResponseError("not a QuestionnaireResponse")
    known = {item.id for item in questionnaire.items}
    if questionnaire.safety:
        known.add(questionnaire.safety.id)
    answers: dict[str, float] = {}

    def walk(items):
        for item in items or []:
            link = item.get("linkId")
            if item.get("answer"):
                if link not in known:
                    raise ResponseError(f"{link}: not an item of {questionnaire.id}")
                coding = item["answer"][0].get("valueCoding") or {}
                try:
                    answers[link] = float(coding["code"])
                except (KeyError, TypeError, ValueError):
                    raise ResponseError(f"{link}: the answer has no numeric code") from None
            walk(item.get("item"))

    walk(resource.get("item"))
    return answers
