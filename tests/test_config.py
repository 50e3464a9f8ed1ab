"""Settings: defaults, then BURNOUT_* environment variables (as documented types), then tests."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from burnout_app.app import configured_app
from burnout_app.cli import main
from burnout_app.config import SETTINGS


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(f"BURNOUT_{name}", raising=False)


def test_defaults_without_environment():
    config = configured_app().config
    for name, (default, _kind, _doc) in SETTINGS.items():
        assert config[name] == default, name


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("FORM_TOKEN_MAX_AGE", "600", 600),
        ("MAX_CONTENT_LENGTH", "1024", 1024),
        ("HSTS", "1", True),
        ("HSTS", "yes", True),
        ("HSTS", "On", True),
        ("HSTS", "TRUE", True),
        ("FRAGMENT_CACHE", "0", False),
        ("FRAGMENT_CACHE", "false", False),
        # Text settings stay the text given, even when it looks like a number.
        ("SECRET_KEY", "0123456789", "0123456789"),
        ("SECRET_KEY", "1e5", "1e5"),
        ("DEFAULT_COUNTRY", "true", "true"),
        # An empty variable keeps the default.
        ("DEFAULT_QUESTIONNAIRE", "", "burnout-self-check"),
        ("PDF_CONCURRENCY", "", 2),
    ],
)
def test_environment_gives_each_setting_its_documented_type(monkeypatch, name, raw, value):
    monkeypatch.setenv(f"BURNOUT_{name}", raw)
    assert configured_app().config[name] == value


def test_test_config_comes_after_the_environment(monkeypatch):
    monkeypatch.setenv("BURNOUT_PDF_CONCURRENCY", "7")
    assert configured_app({"PDF_CONCURRENCY": 3}).config["PDF_CONCURRENCY"] == 3


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("FORM_TOKEN_MAX_AGE", "two hours", "BURNOUT_FORM_TOKEN_MAX_AGE='two hours': must be int"),
        ("PDF_CONCURRENCY", "1.5", "BURNOUT_PDF_CONCURRENCY='1.5': must be int"),
        (
            "SECURITY_EXPIRES",
            "next year",
            "BURNOUT_SECURITY_EXPIRES='next year': must be YYYY-MM-DD",
        ),
        (
            "ACCESSIBILITY_CONTACT",
            "a11y@example.org",
            "BURNOUT_ACCESSIBILITY_CONTACT='a11y@example.org': must be a mailto: or https: URI",
        ),
    ],
)
def test_bad_setting_stops_start_up_naming_it(monkeypatch, name, raw, message):
    monkeypatch.setenv(f"BURNOUT_{name}", raw)
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        configured_app()
    # The commands say the same in one line, without a traceback.
    for command in (["validate"], ["portal", "snippet", "acme"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, command
        assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("HSTS", "ture", "BURNOUT_HSTS='ture': must be on or off"),
        ("DEBUG", "false", "BURNOUT_DEBUG: not a setting"),
        ("TESTING", "0", "BURNOUT_TESTING: not a setting"),
        ("SECRETKEY", "typo", "BURNOUT_SECRETKEY: not a setting"),
    ],
)
def test_a_misspelt_or_foreign_setting_stops_start_up(monkeypatch, name, raw, message):
    """Only documented settings are read: BURNOUT_DEBUG=false would otherwise set Flask's
    DEBUG to the truthy text "false"; a misspelt on/off value never silently means off."""
    monkeypatch.setenv(f"BURNOUT_{name}", raw)
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        configured_app()


def test_on_and_off_words(monkeypatch):
    for raw, value in [("on", True), ("1", True), ("TRUE", True), ("off", False), ("no", False)]:
        monkeypatch.setenv("BURNOUT_HSTS", raw)
        assert configured_app().config["HSTS"] is value
    assert configured_app().debug is False
