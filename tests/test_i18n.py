"""Languages: complete catalogs, locale in the URL, every page and the PDF in every locale."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
from html import unescape
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from pypdf import PdfReader

from burnout_app import i18n
from burnout_app.app import create_app
from burnout_app.domain.referrals import load_referrals
from burnout_app.translate import extract

from .conftest import REPO, SAME_ORIGIN, Flow, answers_for, hidden_fields, results_form_fields
from .content_policy import bad_links, denied_terms
from .test_content_policy import rendered_pages

SHIPPED = ["en", "es", "fr", "de", "pt_BR", "ar"]
TRANSLATED = [x for x in SHIPPED if x != "en"]
CATALOGS = {x: REPO / "translations" / x / "LC_MESSAGES" / "messages.po" for x in TRANSLATED}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
REFERRALS = load_referrals()


def read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def test_locales_are_found_when_the_app_is_made_not_at_import():
    code = (
        "import pathlib\n"
        "def read(*args, **kwargs): raise AssertionError('a folder was read at import')\n"
        "pathlib.Path.glob = read\n"
        "import burnout_app.app, burnout_app.i18n, burnout_app.web, burnout_app.cli\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
    app = create_app({"SECRET_KEY": "locales"})
    assert i18n.locales(app) == ("en", "ar", "de", "es", "fr", "pt_BR")


def test_six_locales_ship():
    assert list(i18n.locales()) == ["en", "ar", "de", "es", "fr", "pt_BR"]
    assert sorted(i18n.locales()) == sorted(SHIPPED)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_is_complete_with_matching_placeholders(locale):
    catalog = read(CATALOGS[locale])
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]}")
        if not all(strings):
            problems.append(f"untranslated: {ids[0]}")
            continue
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            got = set(PLACEHOLDER.findall(string))
            # A plural form for exactly one (or two) may spell the number out.
            if got - wanted or wanted - got - {"num"}:
                problems.append(f"placeholders: {ids[0]!r} -> {string!r}")
        problems += [f"babel: {e}" for e in message.check(catalog)]
    assert problems == []


@pytest.mark.slow
def test_catalogs_are_up_to_date(tmp_path):
    pot = read(extract(tmp_path / "fresh.pot"))
    fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in pot if m.id}
    for locale, path in CATALOGS.items():
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in read(path) if m.id}
        assert fresh - have == set(), f"{locale} lacks messages: run translate update"


def test_extractor_reads_content_with_path_comments():
    path = REPO / "questionnaires" / "burnout-self-check.yaml"
    found = {
        message: comments
        for _line, message, comments, _context in extract_from_file("burnout_yaml", str(path))
    }
    comment = found["When my working day ends, I feel I have nothing left to give."]
    assert comment == ["questionnaires/burnout-self-check.yaml: dimensions[0].items[0].text"]
    assert "Every day" in found
    assert "ex_nothing_left" not in found  # ids are not text


def test_extractor_skips_links_and_proper_nouns():
    path = REPO / "referrals" / "crisis-lines.yaml"
    found = {m for _l, m, _c, _x in extract_from_file("burnout_yaml", str(path))}
    assert "24 hours a day, every day" in found
    assert "Samaritans" not in found
    assert not any(m.startswith("https://") for m in found)


# --- pages in every locale ------------------------------------------------------------


@pytest.fixture(scope="module")
def app():
    return create_app({"SECRET_KEY": "i18n"})


@pytest.fixture(scope="module")
def pages(app):
    client = app.test_client()
    return {
        locale: {
            name: r.get_data(as_text=True)
            for name, r in rendered_pages(client, i18n.url_code(locale))
        }
        for locale in SHIPPED
    }


def text_segments(html: str) -> list[str]:
    """Visible text pieces between tags, with whitespace folded."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", body)
    pieces = re.split(r"<[^>]+>", body)
    return [re.sub(r"\s+", " ", unescape(p)).strip() for p in pieces if p.strip()]


PROPER_NOUNS = {line.name for entry in REFERRALS.countries.values() for line in entry.lines}
PROPER_NOUNS |= {
    route.name for entry in REFERRALS.countries.values() for route in entry.professionals
}
PROPER_NOUNS |= {REFERRALS.directory.name, "Burnout Self-Check"}


def english_sentences(html: str) -> set[str]:
    out = set()
    for segment in text_segments(html):
        words = re.findall(r"[A-Za-z]{2,}", segment)
        if len(words) >= 3 and segment not in PROPER_NOUNS:
            out.add(segment)
    return out


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", " ".join(text_segments(html)))


@pytest.mark.parametrize("locale", TRANSLATED)
def test_no_english_sentence_left(pages, locale):
    assert len(pages[locale]) == len(pages["en"]) > 40
    leftovers = {}
    for name, english in pages["en"].items():
        text = visible(pages[locale][name])
        left = sorted(s for s in english_sentences(english) if s in text)
        if left:
            leftovers[name] = left
    assert leftovers == {}


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_page_has_lang_dir_and_switcher(pages, locale):
    lang = i18n.html_lang(locale)
    direction = "rtl" if locale == "ar" else "ltr"
    for name, html in pages[locale].items():
        assert f'<html lang="{lang}" dir="{direction}">' in html, name
        assert 'class="wrap language-switcher"' in html, name
        for other in SHIPPED:
            assert f'lang="{i18n.html_lang(other)}"' in html, (name, other)


@pytest.mark.parametrize("locale", SHIPPED)
def test_content_policy_in_every_locale(pages, locale):
    for name, html in pages[locale].items():
        assert denied_terms(visible(html)) == [], (locale, name)
        assert bad_links(html, REFERRALS.allowed_hosts) == [], (locale, name)


def test_root_redirects_by_accept_language(app):
    client = app.test_client()
    for header, expected in [
        ("es-MX,es;q=0.9", "/es/"),
        ("pt-BR,pt;q=0.8", "/pt-br/"),
        ("pt-PT", "/pt-br/"),
        ("ar-EG", "/ar/"),
        ("de-AT,de;q=0.9,en;q=0.5", "/de/"),
        ("fr-CA", "/fr/"),
        ("ja", "/en/"),
        ("", "/en/"),
    ]:
        response = client.get("/", headers={"Accept-Language": header})
        assert response.headers["Location"].endswith(expected), header
        assert "Accept-Language" in response.headers["Vary"]


def test_country_and_language_are_separate(app):
    client = app.test_client()
    # A Spanish speaker in the US sees US lines, in Spanish.
    page = client.get("/es/crisis?country=US").get_data(as_text=True)
    assert "988" in page and 'lang="es"' in page
    # A language alone names no country (Spanish is not Spain, German not Germany):
    # without a region in Accept-Language the person sees the fallback and the choice.
    for lang in ("en", "es", "de", "fr", "ar"):
        page = client.get(f"/{lang}/crisis").get_data(as_text=True)
        assert '<option value="other" selected>' in page, lang
    # The region of the browser's language names one: es-MX is Mexico, de-AT Austria,
    # whatever the page's language; a country without lines gets the fallback.
    page = client.get("/de/crisis", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<option value="GB" selected>' in page and "116 123" in page
    # A locale with a territory of its own (pt_BR) names its country.
    assert '<option value="BR" selected>' in client.get("/pt-br/crisis").get_data(as_text=True)


def test_english_says_the_where_the_countries_data_says_so(app):
    """`name_takes_the` in crisis-lines.yaml: "the Netherlands", but "Canada"; English only."""
    client = app.test_client()
    for code, english in [("NL", "the Netherlands"), ("AE", "the United Arab Emirates")]:
        assert REFERRALS.countries[code].name_takes_the
        page = client.get(f"/en/crisis?country={code}").get_data(as_text=True)
        assert f'<h2 id="crisis-title">Crisis lines in {english}</h2>' in page
    assert not REFERRALS.countries["CA"].name_takes_the
    assert "Crisis lines in Canada</h2>" in client.get("/en/crisis?country=CA").get_data(
        as_text=True
    )
    page = client.get("/es/crisis?country=NL").get_data(as_text=True)
    assert '<h2 id="crisis-title">Líneas de ayuda en crisis: Países Bajos</h2>' in page


def test_switching_language_mid_check_keeps_answers(app):
    client = app.test_client()
    flow = Flow(client)
    first = flow.start()
    step1 = {k: "4" for k in answers_for() if k.startswith("ex_")}
    second = flow.submit(first, step1)
    html = second.get_data(as_text=True)
    # The switcher's button posts the answers form to the same page in Spanish.
    button = re.search(r'formaction="(/es/check/burnout-self-check/questions)"', html)
    assert button, "no Spanish switcher button"
    data = {**hidden_fields(html), "cy_motions": "2", "action": "stay"}
    spanish = client.post(button.group(1), data=data, headers=SAME_ORIGIN)
    page = spanish.get_data(as_text=True)
    assert '<html lang="es"' in page
    # Still step 2 (the mental-distance questions), now in Spanish.
    assert 'type="radio" id="cy_motions-0"' in page and 'id="ex_nothing_left-0"' not in page
    assert hidden_fields(page)["ex_nothing_left"] == "4"
    assert 'name="cy_motions" value="2" checked' in page


def test_results_in_another_language_keep_answers(app):
    client = app.test_client()
    english = Flow(client).complete(answers_for(pattern="worst"))
    fields = results_form_fields(english.get_data(as_text=True))
    german = client.post(
        "/de/check/burnout-self-check/results",
        data={**fields, "action": "stay"},
        headers=SAME_ORIGIN,
    )
    page = german.get_data(as_text=True)
    assert '<html lang="de"' in page
    assert page.count('<svg class="chart"') == 3


def arabic_letters(text: str) -> int:
    return sum(1 for ch in text if "ARABIC" in unicodedata.name(ch, ""))


@pytest.mark.slow
def test_arabic_pdf_embeds_arabic_font_and_text(app):
    client = app.test_client()
    flow = Flow(client, lang="ar")
    results = flow.complete(answers_for(pattern="worst"))
    fields = {**results_form_fields(results.get_data(as_text=True)), "country": "GB"}
    response = client.post("/ar/check/burnout-self-check/summary", data=fields, headers=SAME_ORIGIN)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert any("Summary-Arabic" in f for f in fonts), fonts
    text = "".join(page.extract_text() for page in reader.pages)
    assert arabic_letters(text) > 500
    assert "116 123" in text


@pytest.mark.parametrize("locale", TRANSLATED)
@pytest.mark.slow
def test_pdf_in_every_locale_is_translated(app, locale):
    client = app.test_client()
    lang = i18n.url_code(locale)
    results = Flow(client, lang=lang).complete(answers_for(value=4, safety=1))
    fields = {**results_form_fields(results.get_data(as_text=True)), "country": "US"}
    response = client.post(
        f"/{lang}/check/burnout-self-check/summary", data=fields, headers=SAME_ORIGIN
    )
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) <= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "This is not a diagnosis" not in text
    assert "Burnout self-check: summary" not in text
    assert denied_terms(text) == []
    assert "988" in text
