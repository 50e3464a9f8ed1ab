"""Pages that are not the questions: start, crisis, privacy, the root redirect, health."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from .. import i18n
from . import content, current_portal, localized_blueprint, questionnaire_or_404
from .country import chosen_country, country_choices

root = Blueprint("root", __name__)
bp = localized_blueprint("pages", __name__)


@root.get("/")
def index():
    """Send the browser to its language's start page."""
    response = redirect(url_for("pages.start", lang=i18n.url_code(i18n.best_locale())))
    response.headers["Vary"] = "Accept-Language"
    return response


@root.get("/healthz")
def healthz():
    store = content()
    return jsonify(status="ok", questionnaires=sorted(store.questionnaires))


@bp.get("/")
def start():
    portal = current_portal()
    chosen = portal.questionnaire if portal and portal.questionnaire else None
    questionnaire = questionnaire_or_404(chosen or content().default_questionnaire)
    return render_template("pages/start.html", q=questionnaire)


@bp.get("/check/<questionnaire_id>/")
def start_questionnaire(questionnaire_id: str):
    return render_template("pages/start.html", q=questionnaire_or_404(questionnaire_id))


@bp.get("/crisis")
def crisis():
    country = chosen_country(request.args.get("country"))
    return render_template(
        "pages/crisis.html",
        crisis=content().referrals.crisis_help(country),
        country=country,
        countries=country_choices(),
    )


@bp.get("/privacy")
def privacy():
    return render_template("pages/privacy.html")
