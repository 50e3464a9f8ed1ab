"""The country whose crisis lines are shown: picked by the person, else what they tell us."""

from __future__ import annotations

from functools import cache

from flask import abort, after_this_request, current_app, g, request

from .. import i18n
from ..domain.portals import Portal
from ..i18n import gettext
from . import content, current_portal

OTHER = "other"


def _vary_on_accept_language() -> None:
    """The page now depends on Accept-Language: say so to caches, once per response."""
    if g.get("varies_by_accept_language"):
        return
    g.varies_by_accept_language = True

    @after_this_request
    def add_vary(response):
        response.vary.add("Accept-Language")
        return response


def default_country(portal: Portal | None) -> str:
    """The country nobody picked, from what the person and the portal tell us.

    The portal's country, else the region of the browser's language (en-GB is GB),
    else the locale's own (pt_BR is BR), else the operator's BURNOUT_DEFAULT_COUNTRY.
    A country without lines in the directory, or none at all, is ``other``: the
    fallback advice, the directory and the choice. Never the IP address, never a cookie.
    """
    code = portal.country.upper() if portal and portal.country else ""
    if not code:
        _vary_on_accept_language()
        code = i18n.default_country(
            i18n.current_locale(),
            i18n.accept_language_region(request.accept_languages),
            current_app.config["DEFAULT_COUNTRY"],
        )
    return code if code in content().referrals.countries else OTHER


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
