"""The application factory. Nothing happens at import time."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import config
from .content_store import load_content

log = logging.getLogger(__name__)


def configured_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The bare app with its settings (defaults, ``BURNOUT_*``, ``test_config``), nothing loaded."""
    app = Flask(__name__, instance_relative_config=True)
    config.init_app(app, test_config)
    return app


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config, i18n, content (validated, or start-up stops), blueprints."""
    app = configured_app(test_config)
    if not app.config["SECRET_KEY"]:
        # One process only: tokens would not survive a restart or cross workers.
        # `burnout-app serve` sets one key for all its workers.
        log.warning("BURNOUT_SECRET_KEY is not set; using a random key for this process")
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    from . import i18n

    i18n.init_app(app)
    app.extensions["burnout_content"] = load_content(
        app.config, app.instance_path, i18n.locales(app)
    )
    from .web import (
        EMBED_PREFIX,
        api,
        embed,
        errors,
        fhir,
        fragments,
        init_jinja,
        pages,
        plan,
        security,
        selfcheck,
        summary,
    )

    security.init_app(app)
    errors.init_app(app)
    init_jinja(app)
    fragments.init_app(app)
    app.register_blueprint(pages.root)
    app.register_blueprint(embed.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(fhir.bp)
    for bp in (pages.bp, selfcheck.bp, summary.bp, fhir.download, plan.bp):
        app.register_blueprint(bp)
        # The same pages, embedded: compact layout, the portal's theme and resources.
        app.register_blueprint(bp, name=EMBED_PREFIX + bp.name, url_prefix="/embed/<portal>/<lang>")
    return app
