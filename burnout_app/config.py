"""Configuration: safe defaults, then environment variables, then a test dict.

Every setting can be given as an environment variable ``BURNOUT_<NAME>``, which
Flask reads (``Config.from_prefixed_env``); an empty one keeps the default. The
README's "Configuration" table lists them all (tests/test_docs.py checks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import Config, Flask

# name: (default, type, description). The description is the README's.
SETTINGS: dict[str, tuple[Any, type, str]] = {
    "SECRET_KEY": (
        None,
        str,
        "Signs the form tokens. Set the same value on every machine. "
        "`burnout-app serve` makes a random one per start when it is unset.",
    ),
    "FORM_TOKEN_MAX_AGE": (
        7200,
        int,
        "Seconds a question page stays valid. After that the page is shown again "
        "with every answer kept.",
    ),
    "TRUSTED_ORIGINS": (
        "",
        str,
        "Extra origins (comma-separated, like `https://check.example.org`) accepted "
        "in the `Origin` header of form posts, for deployments behind a proxy that "
        "changes the host name.",
    ),
    "DEFAULT_QUESTIONNAIRE": ("burnout-self-check", str, "The questionnaire of the start page."),
    "DEFAULT_COUNTRY": (
        "",
        str,
        "Two-letter country code for crisis lines when neither the portal, the "
        "browser's language region (en-GB) nor the page's locale (pt_BR) names a "
        "country. Empty: no country is assumed; people see the local emergency "
        "advice, a directory of helplines and the country choice.",
    ),
    "PUBLIC_URL": (
        "",
        str,
        "The address people use to reach the app, like `https://check.example.org`. "
        "FHIR canonical URLs and the OpenAPI server start with it. Empty: they are "
        "relative (`/fhir/Questionnaire/...`). Never taken from the `Host` header, "
        "which a client can set to anything.",
    ),
    "QUESTIONNAIRES_DIR": ("", str, "Folder of questionnaire files. Empty: the installed ones."),
    "REFERRALS_DIR": ("", str, "Folder of referral files. Empty: the installed ones."),
    "PORTALS_DIR": (
        "",
        str,
        "Folder of portal files. Empty: `portals/` in the instance folder "
        "(`instance/portals/` in a checkout).",
    ),
    "TRANSLATIONS_DIR": (
        "",
        str,
        "Folder of catalogs (`<locale>/LC_MESSAGES/messages.mo`, compiled from the "
        "`.po`) to use instead of the installed ones. Empty: the installed ones.",
    ),
    "MAX_CONTENT_LENGTH": (
        64 * 1024,
        int,
        "Largest request body in bytes; larger ones get 413.",
    ),
    "FRAGMENT_CACHE": (
        True,
        bool,
        "Keep rendered page parts that hold no answers (headers, crisis lines, band "
        "texts) in memory, keyed by language, country and band; a results page renders "
        "about three times faster. Turn off only to compare.",
    ),
    "HSTS": (
        False,
        bool,
        "Send `Strict-Transport-Security` (turn on only when served over HTTPS).",
    ),
    "PDF_CONCURRENCY": (
        2,
        int,
        "PDFs one worker process renders at once; more get 503 with `Retry-After`.",
    ),
    "SECURITY_CONTACT": (
        "",
        str,
        "Where to report a security problem: `mailto:` or `https:` URIs, comma-separated. "
        "Set, `/.well-known/security.txt` (RFC 9116) is served; empty, it is 404.",
    ),
    "SECURITY_EXPIRES": (
        "",
        str,
        "When the security.txt stops being valid (`YYYY-MM-DD`, UTC midnight). "
        "Empty: always 180 days ahead. Set a date (under a year ahead) so an unattended "
        "contact lapses, and renew it when you review the contact.",
    ),
    "ACCESSIBILITY_CONTACT": (
        "",
        str,
        "Contact shown on the accessibility statement (`mailto:` or `https:`). "
        "Empty: the statement asks people to contact the organisation that runs the site.",
    ),
}

CONTACT_SCHEMES = ("mailto:", "https:")


def security_contacts(config: Mapping[str, Any]) -> list[str]:
    """The URIs of ``SECURITY_CONTACT``, in order (none when it is empty)."""
    return [c.strip() for c in config["SECURITY_CONTACT"].split(",") if c.strip()]


def check_config(config: Mapping[str, Any]) -> None:
    """Raise ValueError naming the setting and the rule it breaks."""
    for name, values in (
        ("SECURITY_CONTACT", security_contacts(config)),
        (
            "ACCESSIBILITY_CONTACT",
            [config["ACCESSIBILITY_CONTACT"]] if config["ACCESSIBILITY_CONTACT"] else [],
        ),
    ):
        for value in values:
            if not value.startswith(CONTACT_SCHEMES) or len(value) <= len("https:"):
                raise ValueError(f"BURNOUT_{name}={value!r}: must be a mailto: or https: URI")
    if config["SECURITY_EXPIRES"]:
        try:
            dt.date.fromisoformat(str(config["SECURITY_EXPIRES"]))
        except ValueError:
            raise ValueError(
                f"BURNOUT_SECURITY_EXPIRES={config['SECURITY_EXPIRES']!r}: must be YYYY-MM-DD"
            ) from None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _typed(name: str, value: Any) -> Any:
    """A setting's value as its documented type; text comes from the environment."""
    default, kind, _doc = SETTINGS[name]
    if value == "":
        return default
    if not isinstance(value, str) or kind is str:
        return value
    if kind is bool:
        word = value.strip().lower()
        if word not in _TRUE | _FALSE:
            raise ValueError(f"BURNOUT_{name}={value!r}: must be on or off (1/0, true/false)")
        return word in _TRUE
    try:
        return kind(value)
    except ValueError:
        raise ValueError(f"BURNOUT_{name}={value!r}: must be {kind.__name__}") from None


def init_app(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    """Defaults, then ``BURNOUT_*`` environment variables (read by Flask), then ``overrides``."""
    app.config.from_mapping({name: default for name, (default, _kind, _doc) in SETTINGS.items()})
    # Kept as text: each setting has a documented type, and JSON would turn a
    # digits-only secret into a number. Read into a scratch Config and only the
    # documented settings are taken: BURNOUT_DEBUG or BURNOUT_TESTING must not
    # switch on Flask's own keys as the truthy text "false".
    env = Config(app.root_path)
    env.from_prefixed_env("BURNOUT", loads=str)
    unknown = sorted(set(env) - set(SETTINGS))
    if unknown:
        raise ValueError(
            ", ".join(f"BURNOUT_{name}" for name in unknown)
            + ": not a setting (see the README's Configuration)"
        )
    app.config.from_mapping(env)
    app.config.from_mapping({name: _typed(name, app.config[name]) for name in SETTINGS})
    app.config.from_mapping(overrides or {})
    check_config(app.config)
