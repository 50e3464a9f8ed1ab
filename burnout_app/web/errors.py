"""Friendly error pages: say what happened and what to do. Never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from .. import i18n
from ..i18n import N_, gettext

log = logging.getLogger(__name__)

# What to tell people, by status. The exception's own description is for
# operators and tests; it is shown as a detail line only for 400s.
MESSAGES = {
    400: (
        N_("Something was wrong with that request"),
        N_("Please go back to the start and try again."),
    ),
    403: (
        N_("This form can only be sent from this site"),
        N_("Please open the self-check again and try from there."),
    ),
    404: (N_("Page not found"), N_("Check the address, or go back to the start.")),
    405: (N_("That is not how this page works"), N_("Please go back to the start and try again.")),
    413: (
        N_("That was more than this page can take"),
        N_("Please go back to the start and try again."),
    ),
    500: (N_("Sorry, something went wrong on our side"), N_("Please try again in a moment.")),
    503: (
        N_("We are busy right now"),
        N_("Many summaries are being made at the moment. Please wait a few seconds and try again."),
    ),
}


def _guess_locale() -> None:
    """Error pages outside a localized blueprint still speak the URL's language."""
    if getattr(g, "locale", None):
        return
    first = request.path.strip("/").split("/", 1)[0]
    g.locale = i18n.locale_from_url(first) or i18n.DEFAULT_LOCALE


def _render(status: int, detail: str | None):
    _guess_locale()
    title, advice = MESSAGES.get(status, MESSAGES[500])
    return (
        render_template(
            "error.html",
            status=status,
            title=gettext(title),
            advice=gettext(advice),
            detail=detail if status == 400 else None,
        ),
        status,
    )


API = "api"
"""The blueprint whose every error is problem+json, whatever the client accepts."""


def _wants_problem_json() -> bool:
    """problem+json for the API and for clients that prefer JSON to HTML; else a page.

    A URL that matched no route has no blueprint: it is the API's when it lies under
    that blueprint's own prefix (``/api/v1/nothing-here`` is an API 404).
    """
    blueprint = request.blueprint
    if blueprint is None and request.url_rule is None:
        prefix = current_app.blueprints[API].url_prefix or ""
        if request.path.startswith(prefix.rstrip("/") + "/"):
            blueprint = API
    if blueprint == API:
        return True
    offered = ("text/html", "application/problem+json", "application/json")
    return request.accept_mimetypes.best_match(offered, "text/html") != "text/html"


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        headers = {}
        if code == 405:
            headers["Allow"] = ", ".join(exc.valid_methods or [])
        if code == 503:
            headers["Retry-After"] = "10"
        if _wants_problem_json():
            from .api import problem_response

            response = problem_response(code, exc.name, exc.description or exc.name)
            response.headers.update(headers)
            return response
        body, status = _render(code, exc.description)
        return body, status, headers

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # The traceback is for the operator (in production through the scrubbed error log,
        # see serving.PrivateLogger). The request body is never logged: it holds answers.
        log.exception("Unhandled %s on %s %s", type(exc).__name__, request.method, request.path)
        if _wants_problem_json():
            from .api import problem_response

            return problem_response(
                500, "Internal server error", "something went wrong on our side"
            )
        return _render(InternalServerError.code, None)
