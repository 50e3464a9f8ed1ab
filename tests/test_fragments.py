"""The fragment cache changes nothing a person sees: proven over random flows.

Two apps with the same settings, one with the cache and one without, are sent
the same random sequence of requests: every kind of page, every locale, known
and unknown countries, a portal or none, complete and incomplete answers, safety
yes and no. Every response must be byte-for-byte the same. Because the cached
app keeps its fragments across the whole sequence, a key that misses something
the fragment depends on shows up as a difference on a later request.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from burnout_app import i18n
from burnout_app.app import create_app
from burnout_app.domain.questionnaire import load_questionnaire

from .conftest import FULL, REPO, SAME_ORIGIN, hidden_fields

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "portals"
LANGS = [i18n.url_code(x) for x in i18n.locales()]
QUESTIONNAIRES = ["burnout-self-check", "burnout-check-in"]
COUNTRIES = ["", "GB", "US", "DE", "EG", "AE", "JP", "BR", "FJ", "other", "zz!"]
PREFIXES = ["", "/embed/acme"]
TOKEN = re.compile(r'(name="token" value=")[^"]+(")')


def make(cache: bool):
    return create_app(
        {
            "SECRET_KEY": "fragments",
            "PORTALS_DIR": str(FIXTURES),
            "FRAGMENT_CACHE": cache,
            "TESTING": True,
        }
    )


QUESTIONNAIRE_FILES = {
    qid: load_questionnaire(REPO / "questionnaires" / f"{qid}.yaml") for qid in QUESTIONNAIRES
}


def answers(draw, questionnaire_id: str) -> dict[str, str]:
    q = QUESTIONNAIRE_FILES[questionnaire_id]
    chosen = {}
    for item in q.items:
        if draw(st.integers(0, 9)):  # now and then an item is left out
            chosen[item.id] = str(draw(st.integers(0, 6)))
    if q.safety and draw(st.integers(0, 5)):
        chosen[q.safety.id] = str(draw(st.sampled_from([o.value for o in q.safety.options])))
    return chosen


@st.composite
def request_spec(draw, pools):
    # Requests share a few contexts, so that the same fragment is met again in another page.
    prefix, lang, qid = draw(st.sampled_from(pools))
    base = f"{prefix}/{lang}"
    country = draw(st.sampled_from(COUNTRIES))
    kind = draw(st.sampled_from(["crisis", "start", "privacy", "questions", "results", "step"]))
    header = draw(st.sampled_from(["", "en-GB", "ar-EG,ar;q=0.9", "es-MX", "de"]))
    headers = {"Accept-Language": header} if header else {}
    if kind == "crisis":
        query = f"?country={country}" if country else ""
        return ("GET", f"{base}/crisis{query}", None, headers)
    if kind in ("start", "privacy"):
        return ("GET", f"{base}/" if kind == "start" else f"{base}/privacy", None, headers)
    if kind == "questions":
        return ("GET", f"{base}/check/{qid}/questions", None, headers)
    data = answers(draw, qid)
    if country:
        data["country"] = country
    if kind == "step":
        data["step"] = str(draw(st.integers(1, 5)))
        data["action"] = draw(st.sampled_from(["continue", "back", "stay"]))
        return ("POST", f"{base}/check/{qid}/questions", data, {**headers, **SAME_ORIGIN})
    data["action"] = draw(st.sampled_from(["continue", "stay"]))
    # Plan picks (the results page's checkboxes) travel with the answers, some unknown.
    plan = ["next", "general-1", "exhaustion-1", "cynicism-2", "safety-1", "zz-9"]
    data["plan"] = draw(st.lists(st.sampled_from(plan), max_size=3, unique=True))
    return ("POST", f"{base}/check/{qid}/results", data, {**headers, **SAME_ORIGIN})


def token_for(client, prefix_lang: str, qid: str) -> str:
    html = client.get(f"{prefix_lang}/check/{qid}/questions").get_data(as_text=True)
    return hidden_fields(html)["token"]


def normalise(body: bytes) -> str:
    return TOKEN.sub(r"\1TOKEN\2", body.decode("utf-8", "replace"))


@st.composite
def flows(draw):
    contexts = st.tuples(
        st.sampled_from(PREFIXES), st.sampled_from(LANGS), st.sampled_from(QUESTIONNAIRES)
    )
    pools = draw(st.lists(contexts, min_size=1, max_size=2))
    return draw(st.lists(request_spec(pools), min_size=4, max_size=14))


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(flows())
def test_pages_are_the_same_with_and_without_the_fragment_cache(flow):
    cached, plain = make(True).test_client(), make(False).test_client()
    tokens = {}
    for method, url, data, headers in flow:
        if data is not None:
            qid = url.split("/check/")[1].split("/")[0]
            if qid not in tokens:
                tokens[qid] = token_for(plain, "/en", qid)
            data = {**data, "token": tokens[qid]}
        one = cached.open(url, method=method, data=data, headers=headers)
        two = plain.open(url, method=method, data=data, headers=headers)
        assert one.status_code == two.status_code, (method, url)
        assert normalise(one.data) == normalise(two.data), (method, url, data, headers)


def test_the_results_language_switch_survives_an_error_page_cached_first():
    """The reported bug: the last step re-shown at /results shared the header's cache key."""
    client = make(True).test_client()
    url = "/en/check/burnout-self-check/results"
    token = token_for(client, "/en", "burnout-self-check")
    # First an incomplete post: the last step is shown again, at /results.
    client.post(url, data={"token": token}, headers=SAME_ORIGIN)
    complete = {item.id: "3" for item in FULL.items}
    complete[FULL.safety.id] = "0"
    html = client.post(url, data={**complete, "token": token}, headers=SAME_ORIGIN).get_data(
        as_text=True
    )
    # The results page's language buttons post the answers to the results page.
    assert 'formaction="/de/check/burnout-self-check/results"' in html
    german = client.post(
        "/de/check/burnout-self-check/results",
        data={**complete, "token": token, "action": "stay"},
        headers=SAME_ORIGIN,
    )
    assert german.status_code == 200
