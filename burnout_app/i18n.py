"""Languages: the locale comes from the URL prefix (``/es/...``), never a cookie.

The bare root redirects by ``Accept-Language``. Flask-Babel selects the locale and
loads each catalog (its default ``Domain``); content files (questionnaires,
referrals) hold English msgids, translated at render time through gettext.
"""

from __future__ import annotations

import gettext as gettext_module
import io
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import parse_pattern
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, request
from flask_babel import Babel, LazyString, get_translations
from flask_babel import gettext as gettext
from flask_babel import ngettext as ngettext
from markupsafe import Markup, escape

from .domain.content import package_content_dir

DEFAULT_LOCALE = "en"


class _LazyText(LazyString):
    """Flask-Babel's lazy string, escaped like any other text when put into HTML.

    Flask-Babel's own ``__html__`` returns the translation as markup, so Jinja and
    markupsafe would insert a catalog's ``<tags>`` as they are (see `init_app`).
    """

    def __html__(self) -> str:
        return str(escape(str(self)))


def lazy_gettext(string: str, **variables) -> LazyString:
    """`gettext` when the text is shown: for messages defined before any request."""
    return _LazyText(gettext, string, **variables)


_PO_FILES = "*/LC_MESSAGES/messages.po"


def catalog_dir(config: Mapping[str, Any] | None = None) -> Path:
    """The catalogs: ``TRANSLATIONS_DIR`` when configured, else the shipped ones.

    Without a config (``burnout-app translate``), the shipped ones: translations/.
    """
    configured = (config or {}).get("TRANSLATIONS_DIR")
    return Path(configured) if configured else package_content_dir("translations")


def available_locales(folder: Path | None = None) -> tuple[str, ...]:
    """English (the msgids) and every locale with a catalog in ``folder``, sorted."""
    found = sorted(p.parent.parent.name for p in (folder or catalog_dir()).glob(_PO_FILES))
    return (DEFAULT_LOCALE, *[x for x in found if x != DEFAULT_LOCALE])


def locales(app: Flask | None = None) -> tuple[str, ...]:
    """The locales we ship, in the order of the language switcher.

    Found once by `init_app`; outside an app (``burnout-app validate``) the shipped
    catalogs are read.
    """
    if app is None and has_app_context():
        app = current_app
    return app.extensions["burnout_locales"] if app else available_locales()


def stale_catalogs(folder: Path | None = None) -> list[str]:
    """Catalogs whose compiled .mo is missing or says something other than its .po.

    Freshness is decided by content, not modification times: a wheel unpacks the
    .po and .mo within the same millisecond, in any order, so times prove nothing.
    The .po is compiled in memory and both catalogs are compared message by message
    (about 40 ms for every shipped locale, once at start-up).
    """
    stale = []
    for po in sorted((folder or catalog_dir()).glob(_PO_FILES)):
        mo = po.with_suffix(".mo")
        if not mo.exists() or _messages(mo.read_bytes()) != _messages(_compile(po)):
            stale.append(str(mo))
    return stale


def _compile(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _messages(mo_bytes: bytes) -> dict:
    """What a compiled catalog translates, as gettext reads it."""
    return dict(gettext_module.GNUTranslations(io.BytesIO(mo_bytes))._catalog)


RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


def url_code(locale: str) -> str:
    """``pt_BR`` is ``pt-br`` in URLs."""
    return locale.replace("_", "-").lower()


def locale_from_url(code: str) -> str | None:
    for locale in locales():
        if url_code(locale) == code.lower():
            return locale
    return None


def current_locale() -> str:
    """The page's locale (set from the URL); Flask-Babel's locale selector."""
    return getattr(g, "locale", None) or DEFAULT_LOCALE


def text_direction(locale: str) -> str:
    return "rtl" if _locale(locale).language in RTL_LANGUAGES else "ltr"


def best_locale() -> str:
    """The shipped locale that best fits the browser's ``Accept-Language``."""
    shipped = locales()
    wanted = [url_code(x) for x in shipped]
    match = request.accept_languages.best_match(wanted + [x.split("-")[0] for x in wanted])
    if match:
        return locale_from_url(match) or next(
            (x for x in shipped if x.startswith(match)), DEFAULT_LOCALE
        )
    return DEFAULT_LOCALE


def accept_language_region(languages) -> str:
    """The region of the first language tag that has one, in quality order (en-GB -> GB).

    ``languages`` is a werkzeug ``LanguageAccept`` (or any ``(tag, quality)`` pairs).
    Numeric regions such as es-419 (Latin America) name no country and are skipped.
    """
    ranked = sorted((pair for pair in languages if pair[1] > 0), key=lambda pair: -pair[1])
    for tag, _quality in ranked:
        for part in tag.replace("_", "-").split("-")[1:]:
            if len(part) == 2 and part.isascii() and part.isalpha():
                return part.upper()
    return ""


def default_country(locale: str, region: str = "", configured: str = "") -> str:
    """The country nobody picked: the browser's region, the locale's, or the operator's.

    Empty when none of them names one: then no country is assumed (no guess from
    the language alone: English is not the United States, Arabic not Egypt).
    """
    if region:
        return region.upper()
    territory = _locale(locale).territory
    if territory:
        return territory
    return configured.upper()


def country_name(code: str, locale: str | None = None) -> str:
    return _locale(locale or current_locale()).territories.get(code, code)


def country_in_sentence(code: str) -> str:
    """A country's name as it reads inside a sentence of the page's language."""
    name = country_name(code)
    if current_locale() == DEFAULT_LOCALE:
        entry = current_app.extensions["burnout_content"].referrals.countries.get(code.upper())
        if entry is not None and entry.name_takes_the:
            return "the " + name
    return name


def N_(text: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return text


def translations() -> NullTranslations:
    """This request's catalog: Flask-Babel's, looked up once a request.

    Flask-Babel's `Domain` loads each locale's catalog once and caches it, but finds
    it through the request context on every call (about 10 µs); a results page
    translates some 150 strings, a question page about 70.
    """
    found = g.get("_translations")
    if found is None:
        found = g._translations = get_translations()
    return found


def translate_content(text: str | None) -> str:
    """Translate a msgid from a content file, with no %-formatting (the ``|tr`` filter)."""
    return translations().ugettext(text) if text else text or ""


# Jinja's ``_``, ``gettext`` and ``ngettext`` mark a translation safe and escape only
# its values. Translations are plain text, so they are escaped too (an operator's
# catalog adds no markup).
def _template_gettext(text: str) -> Markup:
    return escape(translations().ugettext(text))


def _template_ngettext(singular: str, plural: str, num: int) -> Markup:
    return escape(translations().ungettext(singular, plural, num))


def html_lang(locale: str) -> str:
    """``pt_BR`` is ``pt-BR`` in ``lang`` attributes."""
    return locale.replace("_", "-")


def language_name(locale: str) -> str:
    """The language's own name for itself, as a switcher shows it."""
    name = Locale.parse(locale).get_display_name(locale)
    # Only the first letter: "Português (Brasil)" keeps its capital B.
    return name[:1].upper() + name[1:]


def language_links() -> list[tuple[str, str]]:
    return [(locale, language_name(locale)) for locale in locales()]


@cache
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


@cache
def _decimal_pattern(digits: int):
    return parse_pattern("#,##0" + ("." + "#" * digits if digits else ""))


def number(value: float | None, digits: int = 1) -> str:
    """A score in the page's number format, with at most ``digits`` decimals."""
    if value is None:
        return ""
    return _decimal_pattern(digits).apply(
        Decimal(str(round(value, digits))), _locale(current_locale())
    )


def bidi_isolate(text: str) -> Markup:
    """Keep a number or code left-to-right inside right-to-left text."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(text)


def long_date(value) -> str:
    """A date in the page's long format (21 November 2026, 21 de noviembre de 2026)."""
    return format_date(value, format="long", locale=_locale(current_locale()))


def init_app(app: Flask) -> None:
    """Check the catalogs, find the locales, and let Flask-Babel translate.

    Flask-Babel picks the locale (`current_locale`) and loads each locale's catalog
    once, through its default `Domain`; `gettext`, ``_`` in templates and ``|tr``
    all read that catalog.
    """
    folder = catalog_dir(app.config)
    stale = stale_catalogs(folder)
    if stale:
        raise RuntimeError(
            f"{', '.join(stale)}: missing or different from its .po; "
            "run `burnout-app translate compile` (make run and make test do)"
        )
    app.extensions["burnout_locales"] = available_locales(folder)
    Babel(
        app,
        locale_selector=current_locale,
        default_translation_directories=str(folder),
        configure_jinja=False,
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(_template_gettext, _template_ngettext, newstyle=True)
    app.jinja_env.filters["tr"] = translate_content
    app.jinja_env.globals.update(
        country_name=country_name,
        country_in_sentence=country_in_sentence,
        current_locale=current_locale,
        html_lang=html_lang,
        text_direction=text_direction,
        locales=app.extensions["burnout_locales"],
        language_links=language_links,
        url_code=url_code,
        number=number,
        long_date=long_date,
        bidi_isolate=bidi_isolate,
    )


# --- Babel extractor for content files -------------------------------------------

# Keys whose string values people read. `name` and `source` have exceptions below.
TRANSLATABLE_KEYS = {
    "title",
    "introduction",
    "prompt",
    "label",
    "name",
    "description",
    "step_title",
    "text",
    "meaning",
    "source",
    "hint",
    "profiles_source",
    "hours",
    "emergency_advice",
}


def _translatable(path: list, key: str, value: str) -> bool:
    if value.startswith(("http://", "https://")):
        return False  # crisis-line sources are links, not sentences
    if key == "name" and ("countries" in path or "directory" in path):
        return False  # service names are proper nouns; country names come from CLDR
    if path and path[0] == "self_care":
        return True
    return key in TRANSLATABLE_KEYS


def extract_yaml(fileobj, keywords, comment_tags, options):
    """Babel extractor (entry point ``burnout_yaml``) for questionnaire and referral files.

    Yields ``(line, None, msgid, [comment])``; the translator comment names the
    file and the path inside it, for example ``dimensions[0].items[1].text``.
    """
    import yaml

    from .domain.content import format_path

    text = fileobj.read()
    if isinstance(text, bytes):
        text = text.decode(options.get("encoding", "utf-8"))
    name = getattr(fileobj, "name", "")
    parts = [p for p in str(name).replace("\\", "/").split("/") if p]
    shown = "/".join(parts[-2:]) if parts else "content"
    root = yaml.compose(text, Loader=yaml.SafeLoader)

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key_node, value in node.value:
                yield from walk(value, [*path, key_node.value])
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                yield from walk(value, [*path, index])
        elif isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str") and node.value:
            key = next((p for p in reversed(path) if isinstance(p, str)), "")
            if _translatable(path, key, node.value):
                comment = f"{shown}: {format_path(path)}"
                yield node.start_mark.line + 1, None, node.value, [comment]

    if root is not None:
        yield from walk(root, [])
