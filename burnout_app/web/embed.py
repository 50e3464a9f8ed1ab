"""Embedding for HR portals: the portal's root, theme, logo, and the host-page script.

The self-check's own pages are served embedded by registering the page,
self-check and summary blueprints a second time under ``/embed/<portal>/<lang>``
(see `burnout_app.app`). Only a portal's own origins may frame them.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, g, redirect, send_file, url_for

from .. import i18n
from ..domain.portals import Portal
from . import content

bp = Blueprint("embed", __name__)


def portal_or_404(portal_id: str) -> Portal:
    portal = content().portals.get(portal_id)
    if portal is None:
        abort(404)
    g.portal = portal
    return portal


@bp.get("/embed/<portal_id>/")
def portal_root(portal_id: str):
    """The portal's start page in its language (or the browser's, when it names none)."""
    portal = portal_or_404(portal_id)
    locale = portal.locale or i18n.best_locale()
    target = url_for("embed_pages.start", portal=portal.id, lang=i18n.url_code(locale))
    # The snippet's frame starts here: this portal's origins only, as on its pages.
    g.frame_ancestors = portal.frame_ancestors
    response = redirect(target)
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/embed/<portal_id>/theme.css")
def theme(portal_id: str):
    """The portal's colours as CSS custom properties (no inline styles: the CSP forbids them)."""
    portal = portal_or_404(portal_id)
    css = (
        ":root {\n"
        f"  --primary: {portal.theme.primary};\n"
        f"  --primary-dark: {portal.theme.primary_dark};\n"
        "}\n"
    )
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/embed/<portal_id>/logo")
def logo(portal_id: str):
    portal = portal_or_404(portal_id)
    if portal.theme.logo_path is None:
        abort(404)
    response = send_file(portal.theme.logo_path, mimetype=portal.theme.logo_type, max_age=300)
    return response


@bp.get("/embed.js")
def embed_script():
    """The host-page script, at a stable address: one script tag and one element."""
    response = send_file(
        current_app.static_folder + "/js/embed.js", mimetype="text/javascript", max_age=300
    )
    # Host pages on other origins load this file.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
