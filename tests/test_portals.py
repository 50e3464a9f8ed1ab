"""HR portals: validated portal files, embedded pages, frame-ancestors, EAP contacts."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from burnout_app.app import create_app
from burnout_app.cli import main
from burnout_app.domain.content import ContentError
from burnout_app.domain.portals import contrast_ratio, load_portals
from burnout_app.domain.questionnaire import load_questionnaire

from .conftest import (
    GLOBEX_ORIGIN,
    REPO,
    SAME_ORIGIN,
    Flow,
    answers_for,
    results_form_fields,
    visible_text,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "portals"
CHECK_IN = load_questionnaire(REPO / "questionnaires" / "burnout-check-in.yaml")
LOCALES = ["en", "es", "fr", "de", "pt_BR", "ar"]
QUESTIONNAIRES = ["burnout-self-check", "burnout-check-in"]


@pytest.fixture
def portal_app():
    return create_app({"SECRET_KEY": "portal", "PORTALS_DIR": str(FIXTURES)})


@pytest.fixture
def portal_client(portal_app):
    return portal_app.test_client()


class EmbeddedFlow(Flow):
    def start(self):
        response = self.client.get(f"/embed/acme/{self.lang}/check/{self.q.id}/questions")
        assert response.status_code == 200
        return response


def test_portal_root_redirects_to_its_language(portal_client):
    response = portal_client.get("/embed/acme/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/embed/acme/en/")


def test_embedded_pages_may_be_framed_only_by_the_portals_origins(portal_client):
    for url in (
        "/embed/acme/en/",
        "/embed/acme/en/check/burnout-check-in/questions",
        # Back to the results from a linked page loads their address again.
        "/embed/acme/en/check/burnout-check-in/results",
        "/embed/acme/en/crisis",
        "/embed/acme/en/privacy",
    ):
        response = portal_client.get(url)
        assert response.status_code == 200, url
        csp = response.headers["Content-Security-Policy"]
        assert csp.endswith("frame-ancestors https://intranet.acme.example http://localhost:8010")
        assert "Set-Cookie" not in response.headers
    # Every other page stays 'self'.
    for url in ("/en/", "/en/crisis", "/embed/acme/theme.css"):
        assert "frame-ancestors 'self'" in portal_client.get(url).headers["Content-Security-Policy"]


def test_each_portals_pages_may_be_framed_by_its_own_origins_only(two_portals):
    client = create_app({"SECRET_KEY": "portal", "PORTALS_DIR": str(two_portals)}).test_client()
    acme = client.get("/embed/acme/en/check/burnout-check-in/questions")
    globex = client.get("/embed/globex/en/check/burnout-check-in/questions")
    acme_csp = acme.headers["Content-Security-Policy"]
    globex_csp = globex.headers["Content-Security-Policy"]
    assert acme_csp.endswith("frame-ancestors https://intranet.acme.example http://localhost:8010")
    assert globex_csp.endswith(f"frame-ancestors {GLOBEX_ORIGIN}")
    assert "acme" not in globex_csp and "globex" not in acme_csp
    root = client.get("/embed/globex/").headers["Content-Security-Policy"]
    assert root.endswith(f"frame-ancestors {GLOBEX_ORIGIN}")
    # The frame answers the host script only on its own portal's origins.
    assert f'data-parent-origins="{GLOBEX_ORIGIN}"' in globex.get_data(as_text=True)


def test_unknown_portal_is_404(portal_client):
    for url in ("/embed/nope/", "/embed/nope/en/", "/embed/nope/theme.css", "/embed/nope/logo"):
        assert portal_client.get(url).status_code == 404, url
    assert (
        "frame-ancestors 'self'"
        in portal_client.get("/embed/nope/en/").headers["Content-Security-Policy"]
    )


def test_embedded_start_uses_portal_questionnaire_theme_and_logo(portal_client):
    html = portal_client.get("/embed/acme/en/").get_data(as_text=True)
    assert "Burnout check-in" in html
    assert 'href="/embed/acme/en/check/burnout-check-in/questions"' in html
    assert 'href="/embed/acme/theme.css"' in html
    assert '<img src="/embed/acme/logo" alt="Acme"' in html
    assert "Acme Wellbeing" in html
    assert 'class="crisis-link" href="/embed/acme/en/crisis"' in html
    assert 'data-parent-origins="https://intranet.acme.example http://localhost:8010"' in html
    css = portal_client.get("/embed/acme/theme.css")
    assert css.mimetype == "text/css" and "--primary: #1b5e20;" in css.get_data(as_text=True)
    logo = portal_client.get("/embed/acme/logo")
    assert logo.mimetype == "image/png" and logo.data.startswith(b"\x89PNG")


def test_embedded_results_show_eap_first_and_portal_country(portal_client):
    results = EmbeddedFlow(portal_client, CHECK_IN).complete(answers_for(CHECK_IN, value=4))
    html = results.get_data(as_text=True)
    text = visible_text(html)
    assert "Acme Employee Assistance Programme" in text
    assert "0800 000 1234" in text
    assert text.index("Acme Employee Assistance Programme") < text.index("Family doctor or GP")
    assert "Samaritans" in text  # the portal's default country is GB
    # The page says only that it is the results page: nothing of its size or content.
    body = html.split("<body", 1)[1].split(">", 1)[0]
    assert body == (
        ' class="embedded" data-parent-origins="https://intranet.acme.example '
        'http://localhost:8010" data-completed'
    )
    assert 'formaction="/embed/acme/en/check/burnout-check-in/summary"' in html


def test_eap_in_the_pdf(portal_client):
    results = EmbeddedFlow(portal_client, CHECK_IN).complete(answers_for(CHECK_IN, value=2))
    fields = results_form_fields(results.get_data(as_text=True))
    response = portal_client.post(
        "/embed/acme/en/check/burnout-check-in/summary", data=fields, headers=SAME_ORIGIN
    )
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Acme Employee Assistance Programme" in text and "0800 000 1234" in text


def test_unembedded_pages_show_no_portal_resources(client):
    text = visible_text(Flow(client).complete(answers_for()).get_data(as_text=True))
    assert "Acme" not in text


def test_contrast_ratio_matches_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def portal_dir(tmp_path, edit=None, logo_bytes=None, logo_name="acme-logo.png"):
    folder = tmp_path / "portals"
    folder.mkdir()
    text = (FIXTURES / "acme.yaml").read_text("utf-8")
    if edit:
        old, new = edit
        assert old in text
        text = text.replace(old, new)
    (folder / "acme.yaml").write_text(text, "utf-8")
    if logo_bytes is not False:
        data = logo_bytes if logo_bytes is not None else (FIXTURES / "acme-logo.png").read_bytes()
        (folder / logo_name).write_bytes(data)
    return folder


@pytest.mark.parametrize(
    ("edit", "logo", "expected"),
    [
        (
            ('  - "https://intranet.acme.example"', '  - "https://intranet.acme.example/"'),
            None,
            "origins[0]: 'https://intranet.acme.example/' is not an origin "
            "(scheme://host[:port], no path or trailing slash)",
        ),
        (
            ('  - "https://intranet.acme.example"', '  - "http://intranet.acme.example"'),
            None,
            "origins[0]: 'http://intranet.acme.example' must use https (plain http only for "
            "localhost)",
        ),
        (
            ('  - "https://intranet.acme.example"', '  - "https://*.acme.example"'),
            None,
            "origins[0]: 'https://*.acme.example' is not an origin (no spaces or wildcards)",
        ),
        (
            ('primary_colour: "#1b5e20"', 'primary_colour: "#7fb3ff"'),
            None,
            "theme.primary_colour: #7fb3ff has a contrast of 2.14:1 with white text; WCAG AA "
            "needs 4.5:1 (choose a darker colour)",
        ),
        (
            ('primary_colour: "#1b5e20"', 'primary_colour: "green"'),
            None,
            "theme.primary_colour: 'green' does not match the pattern",
        ),
        (None, False, "theme.logo: 'acme-logo.png': no such file next to the portal file"),
        (
            ("logo: acme-logo.png", "logo: acme-logo.svg"),
            None,
            "theme.logo: 'acme-logo.svg': only PNG or JPEG logos (SVG can carry script)",
        ),
        (None, b"<svg onload=alert(1)>", "theme.logo: 'acme-logo.png' is not really a PNG file"),
        (
            ('name: "Acme Wellbeing"', 'name: "Acme"\nfooter: "x"'),
            None,
            "footer: unknown key 'footer'",
        ),
        (("locale: en", "locale: xx"), None, "locale: 'xx' is not a shipped locale"),
        (
            ("questionnaire: burnout-check-in", "questionnaire: mbi"),
            None,
            "questionnaire: no questionnaire 'mbi'",
        ),
        (
            (
                '    phone: "0800 000 1234"',
                '    phone: "0800 000 1234"\n    url: "http://acme.example/eap"',
            ),
            None,
            "resources[0].url: 'http://acme.example/eap' does not match the pattern",
        ),
    ],
)
def test_bad_portal_files_fail_with_a_precise_line(tmp_path, edit, logo, expected):
    folder = portal_dir(tmp_path, edit, logo)
    with pytest.raises(ContentError) as info:
        load_portals(folder, LOCALES, QUESTIONNAIRES)
    lines = [str(p) for p in info.value.problems]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{folder / 'acme.yaml'}: ")
    assert expected in lines[0]


def test_bad_portal_stops_start_up(tmp_path):
    folder = portal_dir(tmp_path, ('primary_colour: "#1b5e20"', 'primary_colour: "#ffff00"'))
    with pytest.raises(ContentError, match="WCAG AA"):
        create_app({"SECRET_KEY": "x", "PORTALS_DIR": str(folder)})


def test_portal_files_are_read_from_the_instance_folder(tmp_path):
    from flask import Flask

    instance = tmp_path / "instance"
    shutil.copytree(FIXTURES, instance / "portals")
    app = create_app({"SECRET_KEY": "x"})
    assert app.extensions["burnout_content"].portals.get("acme") is None  # the repo's instance
    probe = Flask("probe", instance_path=str(instance))
    from burnout_app.app import configured_app
    from burnout_app.content_store import load_content

    store = load_content(configured_app().config, probe.instance_path, tuple(LOCALES))
    assert store.portals.get("acme").name == "Acme Wellbeing"


def test_snippet_cli(monkeypatch):
    monkeypatch.setenv("BURNOUT_PORTALS_DIR", str(FIXTURES))
    result = CliRunner().invoke(
        main, ["portal", "snippet", "acme", "--base-url", "https://check.example.org/"]
    )
    assert result.exit_code == 0, result.output
    assert (
        '<script src="https://check.example.org/embed.js" data-portal="acme" async>'
        in result.output
    )
    assert '<iframe src="https://check.example.org/embed/acme/"' in result.output
    assert "<div data-burnout-self-check></div>" in result.output
    missing = CliRunner().invoke(main, ["portal", "snippet", "nope"])
    assert missing.exit_code == 1 and "no portal 'nope'" in missing.output


def test_portal_country_comes_before_the_browser_region(portal_client):
    """The portal tells us where its people are; the browser's region comes after."""
    html = portal_client.get(
        "/embed/acme/en/crisis", headers={"Accept-Language": "en-AU"}
    ).get_data(as_text=True)
    assert '<option value="GB" selected>' in html and "116 123" in html
    assert "13 11 14" not in html
