"""Friendly error pages: say what happened and what to do. Never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, make_response, render_template, request
from werkzeug.exceptions import HTTPException

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


def _in_api() -> bool:
    """The API's request, or a URL that matched no route under the API's own prefix
    (``/api/v1/nothing-here`` and ``/api/v1`` are API 404s)."""
    if request.blueprint is not None or request.url_rule is not None:
        return request.blueprint == API
    prefix = (current_app.blueprints[API].url_prefix or "").rstrip("/")
    return request.path == prefix or request.path.startswith(prefix + "/")


def _respond(status: int, title: str, detail: str, headers: dict | None = None) -> Response:
    """problem+json for the API and for clients that prefer JSON to HTML; else a page.

    Outside the API the choice follows ``Accept``, so the answer says so (``Vary``)
    and a shared cache never gives a browser's page to a JSON client.
    """
    in_api = _in_api()
    offered = ("text/html", "application/problem+json", "application/json")
    if in_api or request.accept_mimetypes.best_match(offered, "text/html") != "text/html":
        from .api import problem_response

        response = problem_response(status, title, detail)
    else:
        body, _ = _render(status, detail)
        response = make_response(body, status)
    response.headers.update(headers or {})
    if not in_api:
        response.vary.add("Accept")
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        headers = {}
        if code == 405:
            headers["Allow"] = ", ".join(exc.valid_methods or [])
        if code == 503:
            headers["Retry-After"] = "10"
        return _respond(code, exc.name, exc.description or exc.name, headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # The traceback is for the operator (in production through the scrubbed error log,
        # see serving.PrivateLogger). The request body is never logged: it holds answers.
        log.exception("Unhandled %s on %s %s", type(exc).__name__, request.method, request.path)
        return _respond(500, "Internal server error", "something went wrong on our side")
