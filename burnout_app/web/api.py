"""JSON API v1 for integrators who build their own interface.

No cookies, no storage. CORS is granted only to portal origins. Errors are
``application/problem+json`` (RFC 9457) and name the field. The OpenAPI 3.1
document at ``/api/v1/openapi.json`` describes every endpoint (see openapi.py).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, json, request

from .. import i18n
from ..domain.questionnaire import Questionnaire
from ..domain.referrals import ReferralSet, select_referrals
from ..domain.scoring import AnswerError, Assessment, DimensionScore, assess
from . import content, route_kind_label
from .country import country_choices, default_country

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PROBLEM = "application/problem+json"
MAX_ANSWERS = 500


class Problem(Exception):
    """An error answered as problem+json."""

    def __init__(self, status: int, title: str, detail: str, errors: list | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors or []


def problem_response(status: int, title: str, detail: str, errors: list | None = None) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM)
    g.no_store = True
    return response


def field_error(status: int, field: str, detail: str) -> Problem:
    title = "Invalid request" if status == 400 else "Unprocessable request"
    return Problem(status, title, f"{field}: {detail}", [{"field": field, "detail": detail}])


@bp.errorhandler(Problem)
def _problem(exc: Problem):
    return problem_response(exc.status, exc.title, exc.detail, exc.errors)


@bp.before_request
def _language():
    raw = request.args.get("lang")
    if raw is None:
        g.locale = i18n.DEFAULT_LOCALE
        return None
    locale = i18n.locale_from_url(raw)
    if locale is None:
        codes = ", ".join(i18n.url_code(x) for x in i18n.LOCALES)
        raise field_error(400, "lang", f"unknown language {raw!r} (one of: {codes})")
    g.locale = locale
    return None


def _cors_origins() -> frozenset[str]:
    """The origins that may read this response from a browser.

    A request that names a portal (its ``portal`` field) carries that portal's
    resources, so only that portal's own origins may read it: one portal never
    reads another's EAP contacts. A request that names none holds nothing of any
    portal's, so every portal's origins may read it.
    """
    portals = content().portals
    if request.method == "POST":
        data = _json()
        if isinstance(data, dict) and data.get("portal") is not None:
            named = portals.get(data["portal"]) if isinstance(data["portal"], str) else None
            return frozenset(named.origins) if named else frozenset()
    return portals.origins


def _json() -> Any:
    """The request's JSON body, or None when it is not JSON the parser can read.

    One reader for the view and the CORS check: a body nested deeper than the
    parser can follow is a RecursionError, never a 500.
    """
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


@bp.after_request
def _cors(response: Response) -> Response:
    """CORS only for the origins of configured portals; never with credentials."""
    origin = request.headers.get("Origin")
    if origin and origin in _cors_origins():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
    response.headers.add("Vary", "Origin")
    return response


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    questionnaire = content().questionnaire(questionnaire_id)
    if questionnaire is None:
        raise Problem(404, "Not found", f"no questionnaire {questionnaire_id!r}")
    return questionnaire


tr = i18n.translate_content


def questionnaire_summary(q: Questionnaire) -> dict[str, Any]:
    return {
        "id": q.id,
        "version": q.version,
        "title": tr(q.title),
        "minutes": q.minutes,
        "questions": q.question_count,
    }


def questionnaire_detail(q: Questionnaire) -> dict[str, Any]:
    return {
        **questionnaire_summary(q),
        "language": i18n.html_lang(i18n.current_locale()),
        "introduction": tr(q.introduction),
        "prompt": tr(q.prompt),
        "scale": [{"value": o.value, "label": tr(o.label)} for o in q.scale.options],
        "response_sets": {
            name: [{"value": o.value, "label": tr(o.label)} for o in scale.options]
            for name, scale in q.response_sets.items()
        },
        "dimensions": [
            {
                "id": d.id,
                "name": tr(d.name),
                "description": tr(d.description),
                "aggregate": d.aggregate,
                "min_answered": d.min_count,
                "range": {"min": d.minimum, "max": d.maximum},
                "items": [
                    {
                        "id": i.id,
                        "text": tr(i.text),
                        "reverse": i.reverse,
                        "response_set": i.response_set,
                    }
                    for i in d.items
                ],
            }
            for d in q.dimensions
        ],
        "composites": [
            {
                "id": c.id,
                "name": tr(c.name),
                "description": tr(c.description),
                "aggregate": c.aggregate,
                "min_answered": c.min_count,
                "range": {"min": c.minimum, "max": c.maximum},
                "dimensions": list(c.dimension_ids),
                "items": [i.id for i in c.items],
            }
            for c in q.composites
        ],
        "safety": None
        if q.safety is None
        else {
            "id": q.safety.id,
            "text": tr(q.safety.text),
            "hint": tr(q.safety.hint) if q.safety.hint else None,
            "options": [
                {"value": o.value, "label": tr(o.label), "flag": o.flag} for o in q.safety.options
            ],
        },
    }


def score_body(d: DimensionScore) -> dict[str, Any]:
    """One dimension's or composite's score; ``scale`` is the score's own range."""
    return {
        "id": d.dimension.id,
        "name": tr(d.dimension.name),
        "scored": d.scored,
        "score": None if d.score is None else round(d.score, 4),
        "score_100": None if d.score_100 is None else round(d.score_100, 2),
        "aggregate": d.dimension.aggregate,
        "scale": {"min": d.minimum, "max": d.maximum},
        "items_answered": d.items_answered,
        "items_total": d.items_total,
        "min_answered": d.dimension.min_count,
        "band": None
        if d.level is None
        else {
            "id": d.level.id,
            "label": tr(d.level.label),
            "concern": d.level.concern,
            "meaning": tr(d.level.meaning),
        },
        "band_source": tr(d.dimension.bands.source),
    }


def assessment_body(a: Assessment, referrals: ReferralSet) -> dict[str, Any]:
    q = a.questionnaire
    crisis = referrals.crisis
    return {
        "questionnaire": {"id": q.id, "version": q.version},
        "language": i18n.html_lang(i18n.current_locale()),
        "not_a_diagnosis": tr("This is not a diagnosis."),
        "dimensions": [score_body(d) for d in a.dimensions],
        "composites": [score_body(c) for c in a.composites],
        "profile": None
        if a.profile is None
        else {
            "id": a.profile.id,
            "name": tr(a.profile.name),
            "description": tr(a.profile.description),
        },
        "concern": a.concern,
        "safety_flag": a.safety_flag,
        "referrals": {
            "crisis_first": referrals.crisis_first,
            "next_step": {
                "key": referrals.next_step.key,
                "title": tr(referrals.next_step.title),
                "text": tr(referrals.next_step.text),
            },
            "crisis": {
                "country": crisis.country,
                "known": crisis.known,
                "emergency": crisis.emergency,
                "emergency_advice": tr(crisis.emergency_advice),
                "lines": [
                    {
                        "name": line.name,
                        "phone": line.phone,
                        "tel": line.tel,
                        "sms": line.sms,
                        "hours": tr(line.hours),
                        "free": line.free,
                        "description": tr(line.description),
                        "url": line.url,
                        "verified": line.verified.isoformat(),
                    }
                    for line in crisis.lines
                ],
                "professionals": [
                    {
                        "kind": route.kind,
                        "label": route_kind_label(route.kind),
                        "name": route.name,
                        "url": route.url,
                        "verified": route.verified.isoformat(),
                    }
                    for route in crisis.professionals
                ],
                "directory": {
                    "name": crisis.directory.name,
                    "url": crisis.directory.url,
                    "description": tr(crisis.directory.description),
                },
            },
            "self_care": [
                {"dimension": s.dimension_id, "ideas": [tr(i) for i in s.ideas]}
                for s in referrals.self_care
            ],
            "professionals": [
                {
                    "id": p.id,
                    "name": tr(p.name) if p.translate else p.name,
                    "text": tr(p.text) if p.translate else p.text,
                    "phone": p.phone,
                    "hours": p.hours,
                    "url": p.url,
                }
                for p in referrals.professionals
            ],
        },
    }


@bp.get("/questionnaires")
def list_questionnaires():
    store = content()
    return {"questionnaires": [questionnaire_summary(q) for q in store.questionnaires.values()]}


@bp.get("/questionnaires/<questionnaire_id>")
def get_questionnaire(questionnaire_id: str):
    return questionnaire_detail(_questionnaire(questionnaire_id))


def _body() -> dict[str, Any]:
    if not request.is_json:
        raise Problem(415, "Unsupported media type", "send the answers as application/json")
    data = _json()
    if data is None:
        raise Problem(400, "Invalid request", "the body is not valid JSON")
    if not isinstance(data, dict):
        raise field_error(400, "(body)", "must be a JSON object")
    unknown = sorted(set(data) - {"answers", "country", "portal"})
    if unknown:
        raise field_error(400, unknown[0], "unknown field")
    return data


@bp.post("/questionnaires/<questionnaire_id>/assessments")
def create_assessment(questionnaire_id: str):
    """Score answers and return the Assessment with the referrals to show. Nothing is stored."""
    questionnaire = _questionnaire(questionnaire_id)
    data = _body()
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise field_error(400, "answers", "must be an object of item ids to values")
    if len(answers) > MAX_ANSWERS:
        raise field_error(400, "answers", "too many answers")
    for key, value in answers.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise field_error(400, f"answers.{key}", "must be a number")
    portal = None
    if data.get("portal") is not None:
        if not isinstance(data["portal"], str) or content().portals.get(data["portal"]) is None:
            raise field_error(422, "portal", "no such portal")
        portal = content().portals.get(data["portal"])
    country = data.get("country")
    if country is not None and (
        not isinstance(country, str) or len(country) != 2 or not country.isalpha()
    ):
        raise field_error(400, "country", "must be a two-letter country code like GB")
    country = default_country(portal) if country is None else country.upper()
    try:
        assessment = assess(questionnaire, answers)
    except AnswerError as exc:
        raise field_error(422, f"answers.{exc.item_id}", exc.reason) from None
    resources = portal.resources if portal else ()
    referrals = select_referrals(content().referrals, assessment, country, resources)
    g.no_store = True
    return assessment_body(assessment, referrals)


@bp.get("/countries")
def countries():
    """Countries with crisis lines, named in the requested language."""
    return {"countries": [{"code": c, "name": n} for c, n in country_choices()]}


@bp.get("/openapi.json")
def openapi():
    from .openapi import document

    return document()
