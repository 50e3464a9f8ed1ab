"""Flask blueprints. Thin: parse the request, call the domain, render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g

from .. import i18n
from ..content_store import ContentStore
from ..domain.questionnaire import Questionnaire

EMBED_PREFIX = "embed_"


def localized_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under ``/<lang>``; the language is carried in every URL it builds.

    The app registers each such blueprint twice: as itself, and as
    ``embed_<name>`` under ``/embed/<portal>/<lang>`` for HR portals. The same
    views serve both; `link` keeps URLs inside whichever one is in use.
    """
    bp = Blueprint(name, import_name, url_prefix="/<lang>")

    @bp.url_value_preprocessor
    def _take_lang(endpoint, values):
        values = values if values is not None else {}
        portal_id = values.pop("portal", None)
        if portal_id is not None:
            portal = content().portals.get(portal_id)
            if portal is None:
                abort(404)
            g.portal = portal
            g.frame_ancestors = portal.frame_ancestors
        locale = i18n.locale_from_url(values.pop("lang", ""))
        if locale is None:
            abort(404)
        g.locale = locale

    @bp.url_defaults
    def _add_lang(endpoint, values):
        values.setdefault("lang", i18n.url_code(i18n.current_locale()))
        if endpoint.startswith(EMBED_PREFIX) and current_portal() is not None:
            values.setdefault("portal", current_portal().id)

    return bp


def current_portal():
    """The portal whose embedded pages this request is for, or None."""
    return g.get("portal")


def link(endpoint: str, **values) -> str:
    """``url_for`` that stays inside the embedded pages when the request is embedded."""
    from flask import url_for

    if current_portal() is not None and not endpoint.startswith(("static", EMBED_PREFIX)):
        endpoint = EMBED_PREFIX + endpoint
    return url_for(endpoint, **values)


def content() -> ContentStore:
    return current_app.extensions["burnout_content"]


def questionnaire_or_404(questionnaire_id: str) -> Questionnaire:
    questionnaire = content().questionnaire(questionnaire_id)
    if questionnaire is None:
        abort(404)
    return questionnaire


def question_text(questionnaire: Questionnaire, field_id: str) -> str:
    """The text of an item or of the safety question."""
    item = questionnaire.item(field_id)
    if item is not None:
        return item.text
    if questionnaire.safety and questionnaire.safety.id == field_id:
        return questionnaire.safety.text
    return field_id


def switch_url(locale: str) -> str:
    """This page in another language (the start page when this page has no language)."""
    from flask import request

    lang = i18n.url_code(locale)
    plain = (request.endpoint or "").removeprefix(EMBED_PREFIX)
    if (
        plain.startswith(("pages.", "selfcheck.", "summary.", "fhir_download."))
        and request.method == "GET"
    ):
        # An early 404 can leave the URL's own lang and portal here: they are set anew.
        args = {k: v for k, v in (request.view_args or {}).items() if k not in {"lang", "portal"}}
        if plain == "pages.crisis" and request.args.get("country"):
            args["country"] = request.args["country"]
        return link(plain, lang=lang, **args)
    return link("pages.start", lang=lang)


ROUTE_KINDS = {
    "primary_care": i18n.N_("Find a family doctor or GP"),
    "psychologist_register": i18n.N_("Check a psychologist's licence or find one"),
    "psychotherapist_register": i18n.N_("Check a psychotherapist's licence or find one"),
    "psychiatry": i18n.N_("Find a psychiatrist"),
}


def route_kind_label(kind: str) -> str:
    """What a country's route to a licensed professional is for, in the page's language."""
    return i18n.gettext(ROUTE_KINDS[kind])


def address(url: str) -> str:
    """A link as people type it on paper: https://www.samaritans.org/ -> samaritans.org."""
    text = url.removeprefix("https://").removeprefix("www.")
    return text.removesuffix("/")


def init_jinja(app) -> None:
    from ..charts import chart_for
    from .forms import hidden_inputs, value_text

    app.jinja_env.globals.update(
        question_text=question_text,
        value_text=value_text,
        chart_for=chart_for,
        hidden_inputs=hidden_inputs,
        switch_url=switch_url,
        link=link,
        current_portal=current_portal,
        route_kind_label=route_kind_label,
    )
    app.jinja_env.filters["address"] = address
