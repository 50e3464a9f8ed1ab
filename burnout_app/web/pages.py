"""Pages that are not the questions: start, crisis, privacy, accessibility, the root redirect,
health, and security.txt."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import i18n
from ..config import security_contacts
from . import content, current_portal, localized_blueprint, questionnaire_or_404
from .country import chosen_country, country_choices

root = Blueprint("root", __name__)
SECURITY_TXT_DAYS = 180
"""How far ahead security.txt expires when BURNOUT_SECURITY_EXPIRES is unset."""
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


@root.get("/robots.txt")
def robots_txt():
    """Crawlers may read every page; each page says noindex, so none is listed."""
    response = current_app.response_class("User-agent: *\nAllow: /\n", mimetype="text/plain")
    response.headers["Cache-Control"] = "max-age=86400"
    return response


@root.get("/.well-known/security.txt")
def security_txt():
    """RFC 9116 contact for security reports; only when the operator has set one."""
    contacts = security_contacts(current_app.config)
    if not contacts:
        abort(404)
    configured = current_app.config["SECURITY_EXPIRES"]
    if configured:
        expires = dt.date.fromisoformat(str(configured))
    else:
        # Always half a year ahead: the RFC recommends less than a year.
        expires = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=SECURITY_TXT_DAYS)
    lines = [
        "# Report security problems in this Burnout Self-Check deployment here.",
        *(f"Contact: {c}" for c in contacts),
        f"Expires: {expires.isoformat()}T00:00:00Z",
    ]
    response = current_app.response_class("\n".join(lines) + "\n", mimetype="text/plain")
    response.headers["Cache-Control"] = "max-age=86400"
    return response


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


@bp.get("/accessibility")
def accessibility():
    contact = current_app.config["ACCESSIBILITY_CONTACT"]
    return render_template(
        "pages/accessibility.html",
        contact=contact,
        contact_text=contact.removeprefix("mailto:") if contact else "",
    )
