"""A per-app cache of rendered page fragments that do not depend on anyone's answers.

Most of a results page is the same for everyone who sees it in one language
with one country: the header and footer, self-care ideas for a set of raised
dimensions, the professionals, the crisis lines, the notes on the scale. These
parts are rendered once and reused. A key holds only the locale and coarse,
shared values (a band, a score rounded to one decimal, a country): never
answers, and nothing that ties a fragment to a person.

Each key must name everything its fragment is built from. tests/test_fragments.py
proves it: random flows through every kind of page, locale, country and portal
give byte-for-byte the same pages with the cache on and off. It pays for itself:
a results page renders in about a third of the time (README, "Benchmarks").
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g
from markupsafe import Markup

from .. import i18n

MAX_FRAGMENTS = 4096


def cached_fragment(*key: Any, caller) -> Markup:
    """Jinja call block: ``{% call cached_fragment("name", part...) %}...{% endcall %}``."""
    store: dict | None = current_app.extensions["burnout_fragments"]
    if store is None:  # BURNOUT_FRAGMENT_CACHE off: render every time
        return Markup(caller())
    portal = g.get("portal")
    full_key = (i18n.current_locale(), portal.id if portal else None, *key)
    html = store.get(full_key)
    if html is None:
        html = Markup(caller())
        if len(store) >= MAX_FRAGMENTS:
            store.clear()  # Crude but bounded; a full cache refills in a few requests.
        store[full_key] = html
    return html


def init_app(app: Flask) -> None:
    app.extensions["burnout_fragments"] = {} if app.config["FRAGMENT_CACHE"] else None
    app.jinja_env.globals["cached_fragment"] = cached_fragment
