"""The country whose crisis lines are shown: picked by the person, else from the locale."""

from __future__ import annotations

from functools import cache

from flask import abort, current_app

from .. import i18n
from ..domain.portals import Portal
from ..i18n import gettext
from . import content, current_portal

OTHER = "other"


def default_country(portal: Portal | None) -> str:
    """The country nobody picked: the portal's, else the language's, never the IP address's."""
    configured = (portal.country if portal else None) or current_app.config["DEFAULT_COUNTRY"]
    default = i18n.default_country(i18n.current_locale(), configured)
    return default if default in content().referrals.countries else OTHER


def resolve_country(requested: str | None) -> str | None:
    """A known country code, ``other``, or None when the request names nonsense."""
    if not requested:
        return default_country(current_portal())
    if requested == OTHER:
        return OTHER
    code = requested.upper()
    if len(code) == 2 and code.isalpha():
        return code if code in content().referrals.countries else OTHER
    return None


def chosen_country(requested: str | None) -> str:
    """`resolve_country`, or a 400 page when the request names nonsense."""
    country = resolve_country(requested)
    if country is None:
        abort(400, gettext("Choose a country from the list."))
    return country


def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name in the page's language), sorted by name, for the picker."""
    return _choices(content().referrals.country_codes, i18n.current_locale())


@cache
def _choices(codes: tuple[str, ...], locale: str) -> tuple[tuple[str, str], ...]:
    names = [(code, i18n.country_name(code, locale)) for code in codes]
    return tuple(sorted(names, key=lambda pair: pair[1]))
