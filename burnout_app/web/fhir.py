"""FHIR R4 resources: the Questionnaire, and one person's QuestionnaireResponse."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, current_app, g, json, request

from .. import i18n
from ..domain.fhir import questionnaire_resource, response_resource
from . import content, localized_blueprint, questionnaire_or_404
from .selfcheck import complete_submission

bp = Blueprint("fhir", __name__)
download = localized_blueprint("fhir_download", __name__)
FHIR_JSON = "application/fhir+json"


def _base_url() -> str:
    """The configured public address, or "" for root-relative URLs; never the Host header."""
    return current_app.config["PUBLIC_URL"].rstrip("/")


@bp.get("/fhir/Questionnaire/<questionnaire_id>")
def questionnaire(questionnaire_id: str):
    q = content().questionnaire(questionnaire_id)
    if q is None:
        abort(404)
    locale = i18n.locale_from_url(request.args.get("lang", i18n.DEFAULT_LOCALE))
    if locale is None:
        abort(400, "Unknown language.")
    g.locale = locale
    resource = questionnaire_resource(
        q, _base_url(), i18n.html_lang(locale), i18n.translate_content
    )
    return Response(json.dumps(resource), mimetype=FHIR_JSON)


@download.post("/check/<questionnaire_id>/fhir")
def questionnaire_response(questionnaire_id: str):
    """The answers as a FHIR QuestionnaireResponse download, made from a POST like the PDF."""
    q = questionnaire_or_404(questionnaire_id)
    submission = complete_submission(q)
    resource = response_resource(
        q,
        submission.answers,
        _base_url(),
        i18n.html_lang(i18n.current_locale()),
        dt.datetime.now(dt.UTC).replace(microsecond=0),
        i18n.translate_content,
    )
    g.no_store = True
    filename = f"burnout-questionnaire-response-{dt.date.today().isoformat()}.json"
    return Response(
        json.dumps(resource, ensure_ascii=False, indent=2),
        mimetype=FHIR_JSON,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
