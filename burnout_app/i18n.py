"""Languages: the locale comes from the URL prefix (``/es/...``), never a cookie.

The bare root redirects by ``Accept-Language``. Content files (questionnaires,
referrals) hold English msgids, translated at render time through gettext.
"""

from __future__ import annotations

from babel import Locale
from babel.core import get_global
from babel.numbers import format_decimal
from flask import Flask, g, request
from flask_babel import Babel, get_translations

from .domain.content import package_content_dir

# The locales we ship, in the order of the language switcher.
LOCALES: tuple[str, ...] = ("en",)
DEFAULT_LOCALE = "en"
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


def url_code(locale: str) -> str:
    """``pt_BR`` is ``pt-br`` in URLs."""
    return locale.replace("_", "-").lower()


def locale_from_url(code: str) -> str | None:
    for locale in LOCALES:
        if url_code(locale) == code.lower():
            return locale
    return None


def current_locale() -> str:
    return getattr(g, "locale", None) or DEFAULT_LOCALE


def text_direction(locale: str) -> str:
    return "rtl" if Locale.parse(locale).language in RTL_LANGUAGES else "ltr"


def best_locale() -> str:
    """The shipped locale that best fits the browser's ``Accept-Language``."""
    wanted = [url_code(x) for x in LOCALES]
    match = request.accept_languages.best_match(wanted + [x.split("-")[0] for x in wanted])
    if match:
        return locale_from_url(match) or next(
            (x for x in LOCALES if x.startswith(match)), DEFAULT_LOCALE
        )
    return DEFAULT_LOCALE


def default_country(locale: str, configured: str = "") -> str:
    """A country for crisis lines: the locale's territory, or the configured or likely one."""
    parsed = Locale.parse(locale)
    if parsed.territory:
        return parsed.territory
    if configured:
        return configured.upper()
    likely = get_global("likely_subtags").get(parsed.language, "")
    return Locale.parse(likely).territory or "" if likely else ""


def country_name(code: str, locale: str | None = None) -> str:
    return Locale.parse(locale or current_locale()).territories.get(code, code)


def translate_content(text: str | None) -> str:
    """Translate a msgid from a content file, with no %-formatting."""
    if not text:
        return text or ""
    return get_translations().ugettext(text)


def html_lang(locale: str) -> str:
    """``pt_BR`` is ``pt-BR`` in ``lang`` attributes."""
    return locale.replace("_", "-")


def language_name(locale: str) -> str:
    """The language's own name for itself, as a switcher shows it."""
    return Locale.parse(locale).get_display_name(locale).capitalize()


def language_links() -> list[tuple[str, str]]:
    return [(locale, language_name(locale)) for locale in LOCALES]


def number(value: float | None, digits: int = 1) -> str:
    """A score in the page's number format, with at most ``digits`` decimals."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(round(value, digits), format=pattern, locale=current_locale())


def init_app(app: Flask) -> None:
    Babel(
        app,
        locale_selector=current_locale,
        default_translation_directories=str(package_content_dir("translations")),
    )
    app.jinja_env.filters["tr"] = translate_content
    app.jinja_env.globals.update(
        country_name=country_name,
        current_locale=current_locale,
        html_lang=html_lang,
        text_direction=text_direction,
        locales=LOCALES,
        language_links=language_links,
        url_code=url_code,
        number=number,
    )
