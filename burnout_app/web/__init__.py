"""Flask blueprints. Thin: parse the request, call the domain, render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g

from .. import i18n
from ..content_store import ContentStore
from ..domain.questionnaire import Questionnaire


def localized_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under ``/<lang>``; the language is carried in every URL it builds."""
    bp = Blueprint(name, import_name, url_prefix="/<lang>")

    @bp.url_value_preprocessor
    def _take_lang(endpoint, values):
        locale = i18n.locale_from_url(values.pop("lang", "") if values else "")
        if locale is None:
            abort(404)
        g.locale = locale

    @bp.url_defaults
    def _add_lang(endpoint, values):
        values.setdefault("lang", i18n.url_code(i18n.current_locale()))

    return bp


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
    from flask import request, url_for

    lang = i18n.url_code(locale)
    endpoint = request.endpoint
    if (
        endpoint
        and endpoint.startswith(("pages.", "selfcheck.", "summary."))
        and request.method == "GET"
    ):
        args = dict(request.view_args or {})
        if endpoint == "pages.crisis" and request.args.get("country"):
            args["country"] = request.args["country"]
        return url_for(endpoint, lang=lang, **args)
    return url_for("pages.start", lang=lang)


def init_jinja(app) -> None:
    from ..charts import chart_for
    from .forms import hidden_inputs, value_text

    app.jinja_env.globals.update(
        question_text=question_text,
        value_text=value_text,
        chart_for=chart_for,
        hidden_inputs=hidden_inputs,
        switch_url=switch_url,
    )
