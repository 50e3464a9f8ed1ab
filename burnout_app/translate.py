"""`burnout-app translate`: extract, init, update and compile catalogs with Babel's own API.

Uses Babel's command-line classes from Python (no shell calls), with the
project's `babel.cfg` and the content extractor registered as ``burnout_yaml``.
"""

from __future__ import annotations

from contextlib import chdir
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

from . import __version__

# Without a config: the shipped catalogs in translations/, which these commands edit.
from .i18n import catalog_dir as translations_dir

KEYWORDS = ["N_", "lazy_gettext", "gettext", "ngettext:1,2"]


def project_root() -> Path:
    return translations_dir().parent


def pot_file() -> Path:
    return translations_dir() / "messages.pot"


def _run(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])


def extract(output: Path | None = None) -> Path:
    """Write the template catalog from code, templates and content files."""
    root = project_root()
    output = (output or pot_file()).resolve()
    keyword_args = [arg for k in KEYWORDS for arg in ("-k", k)]
    # Run from the project root so that locations in the catalog are relative.
    with chdir(root):
        _extract(keyword_args, output)
    return output


def _extract(keyword_args: list[str], output: Path) -> None:
    _run(
        "extract",
        "-F",
        "babel.cfg",
        *keyword_args,
        "-c",
        "TRANSLATORS:",
        "--add-location",
        "file",
        "--sort-by-file",
        "--project",
        "Burnout Self-Check",
        "--version",
        __version__,
        "--msgid-bugs-address",
        "translations@burnout-self-check.invalid",
        "--copyright-holder",
        "Burnout Self-Check contributors",
        "-o",
        str(output),
        ".",
    )


def init(locale: str) -> None:
    _run("init", "-i", str(pot_file()), "-d", str(translations_dir()), "-l", locale)


def update() -> None:
    _run(
        "update",
        "-i",
        str(pot_file()),
        "-d",
        str(translations_dir()),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


def compile_catalogs() -> None:
    if any(translations_dir().glob("*/LC_MESSAGES/messages.po")):
        _run("compile", "-d", str(translations_dir()))
