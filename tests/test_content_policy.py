"""Every page, for several answer patterns: no drug names, every link https and allowlisted."""

from __future__ import annotations

import pytest

from burnout_app.domain.referrals import load_referrals

from .conftest import SAME_ORIGIN, Flow, answers_for, results_form_fields, visible_text
from .content_policy import bad_links, denied_terms

REFERRALS = load_referrals()
PATTERNS = {
    "worst": dict(pattern="worst"),
    "best": dict(pattern="best"),
    "moderate": dict(value=3),
    "safety": dict(value=4, safety=1),
    "rather-not-say": dict(value=1, safety=2),
}


def rendered_pages(client, lang: str = "en"):
    """(name, html) for every page a person can reach, in one language."""
    yield "start", client.get(f"/{lang}/")
    for qid in ("burnout-self-check", "burnout-check-in"):
        yield f"start-{qid}", client.get(f"/{lang}/check/{qid}/")
    yield "privacy", client.get(f"/{lang}/privacy")
    yield "accessibility", client.get(f"/{lang}/accessibility")
    for code in [*REFERRALS.country_codes, "other"]:
        yield f"crisis-{code}", client.get(f"/{lang}/crisis?country={code}")
    yield "404", client.get(f"/{lang}/nowhere")
    yield "405", client.get(f"/{lang}/check/burnout-self-check/summary")
    flow = Flow(client, lang=lang)
    page = flow.start()
    yield "step-1", page
    yield "step-1-errors", flow.submit(page, {})
    yield (
        "400",
        client.post(
            f"/{lang}/check/burnout-self-check/questions", data={"x": "1"}, headers=SAME_ORIGIN
        ),
    )
    for name, kwargs in PATTERNS.items():
        results = flow.complete(answers_for(**kwargs))
        yield f"results-{name}", results
        fields = results_form_fields(results.get_data(as_text=True))
        for code in ("GB", "DE", "other"):
            yield (
                f"results-{name}-{code}",
                client.post(
                    f"/{lang}/check/burnout-self-check/results",
                    data={**fields, "country": code},
                    headers=SAME_ORIGIN,
                ),
            )


@pytest.fixture(scope="module")
def pages():
    from burnout_app.app import create_app

    client = create_app({"SECRET_KEY": "policy"}).test_client()
    return [(name, r.get_data(as_text=True)) for name, r in rendered_pages(client)]


def test_enough_pages_were_scanned(pages):
    assert len(pages) > 40


def test_no_medication_or_drug_named_on_any_page(pages):
    for name, html in pages:
        assert denied_terms(visible_text(html)) == [], name
        # Attributes too (titles, labels, alt text).
        assert denied_terms(html) == [], name


def test_every_link_is_https_and_allowlisted(pages):
    for name, html in pages:
        assert bad_links(html, REFERRALS.allowed_hosts) == [], name


def test_deny_list_catches_what_it_should():
    assert denied_terms("Ask about an Antidepressant or Sertraline.") == [
        "antidepressant",
        "sertraline",
    ]
    assert denied_terms("Talk to a licensed psychiatrist or your GP.") == []
    assert bad_links('<a href="http://988lifeline.org/">', REFERRALS.allowed_hosts)
    assert bad_links('<img src="https://tracker.example/p.gif">', REFERRALS.allowed_hosts)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_no_data_file_names_a_drug():
    import yaml

    from .conftest import REPO

    files = [*REPO.glob("questionnaires/*.yaml"), *REPO.glob("referrals/*.yaml")]
    assert len(files) >= 5
    for path in files:
        data = yaml.safe_load(path.read_text("utf-8"))
        for text in _strings(data):
            assert denied_terms(text) == [], f"{path.name}: {text}"
