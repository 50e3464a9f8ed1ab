"""Controls from the hazard log (docs/safety/hazard-log.md) that no other test file covers."""

from __future__ import annotations

import io
import logging
import re

import pytest
from pypdf import PdfReader

from burnout_app import i18n
from burnout_app.domain.referrals import load_referrals

from .conftest import FULL, SAME_ORIGIN, Flow, answers_for, results_form_fields, visible_text

REFERRALS = load_referrals()


def tel_links(html: str) -> list[str]:
    return re.findall(r'href="tel:([^"]+)"', html)


@pytest.mark.parametrize(("language", "country"), [("en-US", "US"), ("en-AU", "AU"), ("en", None)])
def test_the_ip_address_never_chooses_the_country(client, language, country):
    plain = client.get("/en/crisis", headers={"Accept-Language": language})
    for headers, remote in (
        ({"X-Forwarded-For": "81.2.69.142"}, "81.2.69.142"),  # a British address
        ({"CF-IPCountry": "DE", "X-Country-Code": "DE"}, "127.0.0.1"),
        ({"X-Real-IP": "2.16.20.1"}, "2.16.20.1"),
    ):
        response = client.get(
            "/en/crisis",
            headers={**headers, "Accept-Language": language},
            environ_base={"REMOTE_ADDR": remote},
        )
        assert tel_links(response.get_data(as_text=True)) == tel_links(plain.get_data(as_text=True))
    # What the person's language region says, or no country at all: never the address's.
    expected = REFERRALS.crisis_help(country).lines if country else ()
    assert tel_links(plain.get_data(as_text=True)) == [line.tel for line in expected]


@pytest.mark.parametrize("locale", i18n.locales())
def test_crisis_numbers_are_the_same_in_every_language(client, locale):
    lang = i18n.url_code(locale)
    for code in REFERRALS.country_codes:
        html = client.get(f"/{lang}/crisis?country={code}").get_data(as_text=True)
        lines = REFERRALS.crisis_help(code).lines
        # Numbers come from the data file, never from a translation.
        assert tel_links(html) == [line.tel for line in lines], (lang, code)
        text = visible_text(html)
        for line in lines:
            assert line.phone in text and line.name in text, (lang, code, line.name)


def test_safety_yes_puts_crisis_help_first_in_the_pdf(client):
    results = Flow(client).complete(answers_for(pattern="best", safety=1))
    fields = {**results_form_fields(results.get_data(as_text=True)), "country": "GB"}
    response = client.post("/en/check/burnout-self-check/summary", data=fields, headers=SAME_ORIGIN)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    samaritans = REFERRALS.crisis_help("GB").lines[0]
    assert samaritans.phone in text
    assert text.index(samaritans.phone) < text.index("Level")


DIAGNOSTIC = re.compile(
    r"\byou (have|are suffering from|suffer from) (burnout|depression|anxiety|a disorder)"
    r"|\byou are burn(ed|t) out\b|\bdiagnosed with\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("pattern", ["worst", "best", "moderate"])
def test_results_describe_answers_never_a_condition(client, pattern):
    kwargs = {"value": 3} if pattern == "moderate" else {"pattern": pattern}
    html = Flow(client).complete(answers_for(**kwargs)).get_data(as_text=True)
    text = visible_text(html)
    assert DIAGNOSTIC.search(text) is None
    assert "This is not a diagnosis." in text
    assert "Your answers suggest" in text or "your answers suggest" in text


def test_answers_never_reach_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    answers = answers_for(pattern="worst", safety=1)
    results = Flow(client).complete(answers)
    fields = {**results_form_fields(results.get_data(as_text=True)), "country": "GB"}
    client.post("/en/check/burnout-self-check/summary", data=fields, headers=SAME_ORIGIN)
    client.post(
        "/api/v1/questionnaires/burnout-self-check/assessments",
        json={"answers": answers, "country": "GB"},
    )
    logged = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {getattr(r, 'exc_text', '')}" for r in caplog.records
    )
    for item in FULL.items:
        assert item.id not in logged
    assert "safety" not in logged.lower()


@pytest.mark.slow
def test_served_app_writes_no_access_log(tmp_path):
    import time
    import urllib.request

    from .test_serve import served

    with served(tmp_path, "--workers", "1", env={"BURNOUT_SECRET_KEY": "access-log"}) as (
        port,
        _proc,
        log,
    ):
        url = f"http://127.0.0.1:{port}/en/crisis?country=GB"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert b"Samaritans" in response.read()
        time.sleep(0.5)
        output = log.read_text()
    assert "Burnout Self-Check is running at" in output  # its output was read
    assert "/en/crisis" not in output and "country=GB" not in output
    assert "127.0.0.1" not in output


@pytest.mark.parametrize("value", [None, ""])
def test_bands_must_name_where_their_thresholds_come_from(value):
    from .test_questionnaire import minimal, problems_for

    data = minimal()
    bands = data["dimensions"][0]["bands"]
    if value is None:
        del bands["source"]
    else:
        bands["source"] = value
    (problem,) = problems_for(data)
    assert problem.startswith("bad.yaml: dimensions[0].bands")
    assert "source" in problem
    # Every shipped questionnaire names its sources.
    for dimension in FULL.dimensions:
        assert dimension.bands.source.strip()
