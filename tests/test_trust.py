"""What a deploying organisation's reviewers ask for: security.txt and the accessibility page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from burnout_app import i18n
from burnout_app.app import create_app

from .conftest import visible_text


def make_client(**config):
    return create_app({"SECRET_KEY": "trust", **config}).test_client()


def parse_security_txt(text: str) -> dict[str, list[str]]:
    """Fields of a security.txt (RFC 9116 section 2.2), checking the line syntax as it goes."""
    fields: dict[str, list[str]] = {}
    for line in text.split("\n")[:-1]:
        if line.startswith("#") or line == "":
            continue
        match = re.fullmatch(r"([A-Za-z0-9-]+): (\S.*)", line)
        assert match, f"not a field line: {line!r}"
        fields.setdefault(match.group(1).lower(), []).append(match.group(2))
    return fields


def test_security_txt_is_404_until_a_contact_is_set():
    assert make_client().get("/.well-known/security.txt").status_code == 404


def test_security_txt_has_the_required_fields():
    client = make_client(
        SECURITY_CONTACT="mailto:security@example.org, https://example.org/report",
        SECURITY_EXPIRES="2027-03-01",
    )
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.endswith("\n")
    fields = parse_security_txt(text)
    # Required: at least one Contact (a URI), exactly one Expires (RFC 3339 date-time).
    assert fields["contact"] == ["mailto:security@example.org", "https://example.org/report"]
    assert fields["expires"] == ["2027-03-01T00:00:00Z"]
    assert set(fields) <= {"contact", "expires", "preferred-languages", "canonical", "policy"}
    assert "Set-Cookie" not in response.headers


def test_security_txt_expires_under_a_year_ahead_when_not_configured():
    response = make_client(SECURITY_CONTACT="mailto:security@example.org").get(
        "/.well-known/security.txt"
    )
    (expires,) = parse_security_txt(response.get_data(as_text=True))["expires"]
    when = dt.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    ahead = when - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=30) < ahead < dt.timedelta(days=365)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("SECURITY_CONTACT", "security@example.org"),
        ("SECURITY_CONTACT", "http://example.org/report"),
        ("ACCESSIBILITY_CONTACT", "javascript:alert(1)"),
        ("SECURITY_EXPIRES", "next year"),
    ],
)
def test_bad_contact_settings_stop_start_up(key, value):
    with pytest.raises(ValueError, match=f"BURNOUT_{key}"):
        create_app({"SECRET_KEY": "trust", key: value})


@pytest.mark.parametrize("locale", i18n.locales())
def test_accessibility_statement_in_every_language(locale):
    client = make_client()
    lang = i18n.url_code(locale)
    response = client.get(f"/{lang}/accessibility")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'lang="{i18n.html_lang(locale)}"' in html
    # WCAG 2.2 AA is named in every language, and the normal layout carries crisis help.
    assert "WCAG" in visible_text(html) and "2.2" in visible_text(html)
    assert f'href="/{lang}/crisis"' in html
    assert "mailto:" not in html


def test_every_page_links_the_statement_from_its_footer():
    client = make_client()
    for path in ("/en/", "/es/crisis", "/ar/privacy", "/fr/check/burnout-self-check/questions"):
        html = client.get(path).get_data(as_text=True)
        footer = html.split('<footer class="site-footer">', 1)[1]
        lang = path.split("/")[1]
        assert f'href="/{lang}/accessibility"' in footer, path


def test_statement_names_tests_limitations_and_contact():
    text = visible_text(make_client().get("/en/accessibility").get_data(as_text=True))
    for words in (
        "WCAG) version 2.2 at level AA",
        "axe-core",
        "keyboard only",
        "JavaScript turned off",
        "phone-sized screen",
        "Known limitations",
        "contact the organisation that offers you this self-check",
    ):
        assert words in text
    configured = make_client(ACCESSIBILITY_CONTACT="mailto:access@example.org")
    html = configured.get("/de/accessibility").get_data(as_text=True)
    assert '<a href="mailto:access@example.org">access@example.org</a>' in html
    assert "contact the organisation" not in visible_text(html)


def test_readme_links_the_trust_documents():
    from .conftest import REPO

    readme = (REPO / "README.md").read_text("utf-8")
    for document in ("docs/safety/hazard-log.md", "docs/data-protection.md", "SECURITY.md"):
        assert f"]({document})" in readme, document
        assert (REPO / document).is_file(), document
    for address in ("/<lang>/accessibility", "/.well-known/security.txt", "make sbom"):
        assert address in readme
    # The data-protection page covers what a DPIA needs.
    dpo = (REPO / "docs" / "data-protection.md").read_text("utf-8")
    for heading in (
        "Data items",
        "Where processing happens",
        "What the server can and cannot see",
        "What an employer's portal can and cannot see",
        "What the operator must configure",
    ):
        assert heading in dpo, heading
