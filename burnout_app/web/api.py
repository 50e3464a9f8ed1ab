"""JSON API v1 for integrators who build their own interface.

No cookies, no storage. CORS is granted only to portal origins. Errors are
``application/problem+json`` (RFC 9457) and name the field. The OpenAPI 3.1
document at ``/api/v1/openapi.json`` describes every endpoint (see openapi.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, Response, g, request
from pydantic import BaseModel, ValidationError

from .. import i18n
from ..domain import bodies
from ..domain.bodies import (
    REQUEST_ERRORS,
    AssessmentRequest,
    Country,
    CountryList,
    FieldError,
    QuestionnaireList,
)
from ..domain.bodies import QuestionnaireSummary as Summary
from ..domain.questionnaire import Questionnaire
from ..domain.referrals import select_referrals
from ..domain.scoring import AnswerError, assess
from . import content, route_kind_label
from .country import country_choices, default_country

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PROBLEM = "application/problem+json"
# Details that depend on what was wrong rather than on which field.
ERROR_DETAILS = {"extra_forbidden": "unknown field", "too_long": "too many answers"}


class Problem(Exception):
    """An error answered as problem+json."""

    def __init__(self, status: int, title: str, detail: str, errors: Sequence[FieldError] = ()):
        super().__init__(detail)
        self.body = bodies.Problem(
            type="about:blank", title=title, status=status, detail=detail, errors=list(errors)
        )


def _dump(body: BaseModel) -> Response:
    return Response(body.model_dump_json(), mimetype="application/json")


def problem_response(status: int, title: str, detail: str) -> Response:
    return _problem(Problem(status, title, detail))


def field_error(status: int, field: str, detail: str, errors: Sequence[FieldError] = ()) -> Problem:
    """A problem naming the field at fault first, then any others."""
    title = "Invalid request" if status == 400 else "Unprocessable request"
    first = FieldError(field=field, detail=detail)
    return Problem(status, title, f"{field}: {detail}", [first, *errors])


@bp.errorhandler(Problem)
def _problem(exc: Problem) -> Response:
    g.no_store = True
    # `errors` is left out when there is none, as RFC 9457 clients expect.
    body = exc.body.model_dump_json(exclude={"errors"} if not exc.body.errors else None)
    return Response(body, exc.body.status, mimetype=PROBLEM)


@bp.before_request
def _language():
    raw = request.args.get("lang")
    if raw is None:
        g.locale = i18n.DEFAULT_LOCALE
        return None
    locale = i18n.locale_from_url(raw)
    if locale is None:
        codes = ", ".join(i18n.url_code(x) for x in i18n.locales())
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


def _language_tag() -> str:
    return i18n.html_lang(i18n.current_locale())


@bp.get("/questionnaires")
def list_questionnaires():
    questionnaires = content().questionnaires.values()
    return _dump(QuestionnaireList(questionnaires=[Summary.of(q, tr) for q in questionnaires]))


@bp.get("/questionnaires/<questionnaire_id>")
def get_questionnaire(questionnaire_id: str):
    return _dump(bodies.Questionnaire.of(_questionnaire(questionnaire_id), tr, _language_tag()))


def _body() -> AssessmentRequest:
    if not request.is_json:
        raise Problem(415, "Unsupported media type", "send the answers as application/json")
    data = _json()
    if data is None:
        raise Problem(400, "Invalid request", "the body is not valid JSON")
    try:
        return AssessmentRequest.model_validate(data)
    except ValidationError as exc:
        raise _refused(exc) from None


def _refused(exc: ValidationError) -> Problem:
    """The model's errors as a problem naming each field; unknown fields first."""
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    named = []
    for error in errors:
        path = ".".join(str(part) for part in error["loc"]) or "(body)"
        status, detail = REQUEST_ERRORS.get(path, (400, error["msg"]))
        detail = ERROR_DETAILS.get(error["type"], detail)
        named.append((status, path, detail))
    (status, field, detail), *others = named
    return field_error(status, field, detail, [FieldError(field=f, detail=d) for _, f, d in others])


@bp.post("/questionnaires/<questionnaire_id>/assessments")
def create_assessment(questionnaire_id: str):
    """Score answers and return the Assessment with the referrals to show. Nothing is stored."""
    questionnaire = _questionnaire(questionnaire_id)
    body = _body()
    portal = None
    if body.portal is not None:
        portal = content().portals.get(body.portal)
        if portal is None:
            status, detail = REQUEST_ERRORS["portal"]
            raise field_error(status, "portal", detail)
    country = default_country(portal) if body.country is None else body.country.upper()
    try:
        assessment = assess(questionnaire, body.answers)
    except AnswerError as exc:
        raise field_error(422, f"answers.{exc.item_id}", exc.reason) from None
    resources = portal.resources if portal else ()
    referrals = select_referrals(content().referrals, assessment, country, resources)
    g.no_store = True
    return _dump(
        bodies.Assessment(
            **bodies.AssessmentResult.fields_of(assessment, tr),
            language=_language_tag(),
            not_a_diagnosis=tr("This is not a diagnosis."),
            referrals=bodies.Referrals.of(referrals, tr, route_kind_label),
        )
    )


@bp.get("/countries")
def countries():
    """Countries with crisis lines, named in the requested language."""
    return _dump(CountryList(countries=[Country(code=c, name=n) for c, n in country_choices()]))


@bp.get("/openapi.json")
def openapi():
    from .openapi import document

    return document()
