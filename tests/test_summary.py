"""The summary PDF: real PDFs from WeasyPrint, parsed back with pypdf."""

from __future__ import annotations

import io
import json
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from burnout_app.app import create_app
from burnout_app.cli import main
from burnout_app.pdf import PackageFetcher, RefusedURL, render_pdf

from .conftest import (
    SAME_ORIGIN,
    Flow,
    answers_for,
    results_form_fields,
    texts_contradicting_a_safety_yes,
    visible_text,
)
from .content_policy import denied_terms

SUMMARY = "/en/check/burnout-self-check/summary"
A4 = (595, 842)
LETTER = (612, 792)


def summary_fields(client, pattern="worst", safety=0, country="GB", **kwargs):
    results = Flow(client).complete(answers_for(pattern=pattern, safety=safety, **kwargs))
    return {**results_form_fields(results.get_data(as_text=True)), "country": country}


def post_summary(client, fields, **headers):
    return client.post(SUMMARY, data=fields, headers={**SAME_ORIGIN, **headers})


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def worst_gb():
    client = create_app({"SECRET_KEY": "pdf"}).test_client()
    response = post_summary(client, summary_fields(client, "worst", country="GB"))
    assert response.status_code == 200
    return response


def test_download_headers(worst_gb):
    assert worst_gb.mimetype == "application/pdf"
    assert worst_gb.headers["Cache-Control"] == "no-store"
    disposition = worst_gb.headers["Content-Disposition"]
    assert re.fullmatch(
        r'attachment; filename="burnout-summary-\d{4}-\d{2}-\d{2}\.pdf"', disposition
    )
    assert "Set-Cookie" not in worst_gb.headers


def test_text_has_scores_statement_and_crisis_number(worst_gb):
    text = pdf_text(worst_gb.data)
    for name in ("Exhaustion", "Mental distance", "Reduced accomplishment"):
        assert name in text
    assert "Score: 6 on a scale from 0 to 6" in text
    assert "This is not a diagnosis." in text
    assert "This summary is not a diagnosis." in text
    assert "116 123" in text and "999" in text  # GB: Samaritans and emergency
    assert "Questionnaire: Burnout self-check, version 1.0" in text
    assert "When my working day ends, I feel I have nothing left to give." in text
    assert "Every day (6)" in text
    assert "Page 1 of 2" in text


def test_tagged_pdf_ua_with_lang_and_title(worst_gb):
    reader = PdfReader(io.BytesIO(worst_gb.data))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert catalog["/Lang"] == "en"
    assert reader.metadata.title == "Burnout self-check: summary"
    # The PDF/UA-1 identification lives in the (compressed) XMP metadata stream.
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp and re.search(rb"pdfuaid:part[^0-9]{0,3}1", xmp)


def test_no_embedded_file_and_at_most_two_pages(worst_gb):
    assert b"/EmbeddedFile" not in worst_gb.data
    assert len(PdfReader(io.BytesIO(worst_gb.data)).pages) <= 2


def test_fonts_are_embedded_and_subset(worst_gb):
    reader = PdfReader(io.BytesIO(worst_gb.data))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            fonts[str(font["/BaseFont"])] = descriptor.get_object()
    assert fonts
    for name, descriptor in fonts.items():
        # A six-letter tag marks a subset; "Summary-" names our own @font-face fonts,
        # so nothing came from the fonts installed on the server.
        assert re.match(r"/[A-Z]{6}\+Summary-", name), name
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


@pytest.mark.parametrize(
    ("pattern", "safety", "country", "size"),
    [
        ("worst", 1, "US", LETTER),
        ("best", 0, "CA", LETTER),
        ("worst", 0, "DE", A4),
        (None, 2, "other", A4),
        ("best", 1, "IN", A4),
    ],
)
def test_every_pattern_fits_two_pages_in_the_right_paper(client, pattern, safety, country, size):
    response = post_summary(client, summary_fields(client, pattern, safety=safety, country=country))
    reader = PdfReader(io.BytesIO(response.data))
    assert 1 <= len(reader.pages) <= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    text = pdf_text(response.data)
    if safety == 1:
        assert text.index("Please reach out for support now") < text.index("Level:")


def test_first_page_is_not_blank(worst_gb, tmp_path):
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(worst_gb.data)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    (image,) = tmp_path.glob("p*.pgm")
    data = image.read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    pixels = data[header.end() :]
    dark = sum(1 for b in pixels if b < 128)
    assert dark / len(pixels) > 0.02  # text and charts, not an empty page


def test_incomplete_answers_are_400(client):
    fields = summary_fields(client)
    # One left out is fine (the part can still be scored); three of six are not.
    del fields["ex_wake_tired"]
    assert post_summary(client, fields).status_code == 200
    del fields["ex_nothing_left"], fields["ex_no_recovery"]
    assert post_summary(client, fields).status_code == 400


def test_summary_needs_post(client):
    assert client.get(SUMMARY).status_code == 405


def test_busy_renderer_gives_503_with_retry_after():
    app = create_app({"SECRET_KEY": "pdf", "PDF_CONCURRENCY": 1})
    client = app.test_client()
    fields = summary_fields(client)
    assert post_summary(client, fields).status_code == 200  # creates the slots
    slots = app.extensions["burnout_pdf_slots"]
    with slots.slot() as held:
        assert held
        response = post_summary(client, fields)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert "We are busy right now" in visible_text(response.get_data(as_text=True))
    assert post_summary(client, fields).status_code == 200


def test_pdf_text_passes_content_policy(client):
    for pattern, safety in (("worst", 0), ("best", 1), (None, 2)):
        response = post_summary(client, summary_fields(client, pattern, safety=safety))
        assert denied_terms(pdf_text(response.data)) == []


# --- nothing outside the package -------------------------------------------------


class Canary(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def canary():
    Canary.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def hostile(canary: str) -> list[str]:
    return [
        "<link rel=attachment href=file:///etc/passwd>",
        '<link rel="attachment" href="file:///etc/passwd">',
        f"<img src={canary}/img>",
        f'<link rel="stylesheet" href="{canary}/css">',
        f'<a rel="attachment" href="{canary}/a">x</a>',
        f"<style>@import url({canary}/import);</style>",
        '<img src="data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22/>">',
        '<link rel="stylesheet" href="https://burnout-app.invalid/static/../../../../etc/passwd">',
        '<link rel="stylesheet" href="https://burnout-app.invalid/static/css/app.css?x=1">',
    ]


def test_fetcher_refuses_everything_but_packaged_files(canary):
    assert PackageFetcher.resolve("https://burnout-app.invalid/static/css/pdf.css").is_file()
    assert PackageFetcher.resolve("https://burnout-app.invalid/static/fonts/NotoSans-Bold.ttf")
    for url in (
        "file:///etc/passwd",
        f"{canary}/x",
        "https://example.org/static/css/pdf.css",
        "https://burnout-app.invalid/static/../../../etc/passwd",
        "https://burnout-app.invalid/static/js/app.js",
        "https://burnout-app.invalid/etc/passwd",
        "data:text/css,body{}",
        "https://user:pw@burnout-app.invalid/static/css/pdf.css",
    ):
        with pytest.raises((RefusedURL, ValueError)):
            PackageFetcher().fetch(url)
    assert Canary.hits == []


def test_hostile_html_reaches_nothing_and_attaches_nothing(canary):
    html = "<html lang=en><head><title>t</title></head><body><p>x</p>" + "".join(hostile(canary))
    data = render_pdf(html + "</body></html>", "GB")
    assert Canary.hits == []
    assert b"/EmbeddedFile" not in data
    assert b"root:x:0" not in data and "root:x:0" not in pdf_text(data)


def test_hostile_values_in_every_request_field(client, canary):
    fields = summary_fields(client)
    for value in hostile(canary):
        for key in list(fields):
            response = post_summary(client, {**fields, key: value})
            assert response.status_code == 400, key  # every field is checked before rendering
        # Headers are never rendered into the summary.
        response = post_summary(
            client,
            fields,
            **{"User-Agent": value, "Accept-Language": value, "Referer": value, "X-Note": value},
        )
        assert response.status_code == 200
        assert b"/EmbeddedFile" not in response.data
        assert "etc/passwd" not in pdf_text(response.data)
    # The URL itself: language and questionnaire id.
    for value in ("%3Clink%20rel%3Dattachment%3E", "..%2F..%2Fetc%2Fpasswd"):
        assert client.post(f"/{value}/check/burnout-self-check/summary").status_code == 404
    assert Canary.hits == []


def test_cli_summary(tmp_path):
    from click.testing import CliRunner

    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(answers_for(pattern="worst")), "utf-8")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(
        main, ["summary", "--answers", str(answers), "--country", "US", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert (round(float(reader.pages[0].mediabox.width)), 792) == (612, 792)
    assert "988" in pdf_text(out.read_bytes())


@pytest.mark.parametrize(("lang", "sample", "country"), [("en", "high", "US"), ("ar", "low", "EG")])
def test_cli_summary_html_opens_from_disk_and_is_the_pdf(tmp_path, lang, sample, country):
    """--html writes the HTML the PDF is made from: CSS inlined, fonts as files on disk."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit

    from click.testing import CliRunner
    from weasyprint import HTML

    html_file, pdf_file = tmp_path / "s.html", tmp_path / "s.pdf"
    args = ["summary", "--sample", sample, "--lang", lang, "--country", country]
    result = CliRunner().invoke(main, [*args, "--html", str(html_file), "-o", str(pdf_file)])
    assert result.exit_code == 0, result.output
    html = html_file.read_text("utf-8")

    class Collect(HTMLParser):
        links, styles, in_style = [], [], False

        def handle_starttag(self, tag, attrs):
            self.in_style = tag == "style"
            if tag == "link":
                self.links.append(dict(attrs))

        def handle_data(self, data):
            if self.in_style:
                self.styles.append(data)

    parsed = Collect()
    parsed.feed(html)
    parsed.close()
    assert f'<html lang="{lang}"' in html.replace("-", "_")[:200] or f'lang="{lang}' in html
    assert not [link for link in parsed.links if link.get("rel") == "stylesheet"]
    css = "".join(parsed.styles)
    assert ".answers table" in css and "@page" in css  # pdf.css and the page rule, inlined
    assert ("size: letter" if country == "US" else "size: A4") in css
    fonts = re.findall(r'url\("([^"]+)"\)', css)
    assert len(fonts) == 4
    for url in fonts:
        parts = urlsplit(url)
        assert parts.scheme == "file"
        assert Path(unquote(parts.path)).is_file()
        assert Path(unquote(parts.path)).suffix == ".ttf"

    # The same words as the PDF the endpoint's renderer makes, from the file alone.
    from_file = HTML(filename=str(html_file)).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf_text(from_file) == pdf_text(pdf_file.read_bytes())
    assert len(PdfReader(io.BytesIO(from_file)).pages) == len(PdfReader(pdf_file).pages) <= 2
    assert "not a diagnosis" in pdf_text(from_file) or lang != "en"


def test_cli_summary_needs_answers_or_sample_and_an_output(tmp_path):
    from click.testing import CliRunner

    out = str(tmp_path / "s.html")
    assert CliRunner().invoke(main, ["summary", "--html", out]).exit_code == 2
    assert CliRunner().invoke(main, ["summary", "--sample", "high"]).exit_code == 2
    assert not Path(out).exists()


def test_cli_summary_bad_answers(tmp_path):
    from click.testing import CliRunner

    answers = tmp_path / "a.json"
    answers.write_text('{"ex_wake_tired": 12}', "utf-8")
    result = CliRunner().invoke(
        main, ["summary", "--answers", str(answers), "-o", str(tmp_path / "o.pdf")]
    )
    assert result.exit_code == 1
    assert "ex_wake_tired: 12 is not on the scale" in result.output
    assert not Path(tmp_path / "o.pdf").exists()


@pytest.mark.parametrize("download", ["summary", "fhir"])
def test_expired_token_on_a_download_shows_the_last_step_with_answers_kept(download):
    app = create_app({"SECRET_KEY": "pdf", "FORM_TOKEN_MAX_AGE": -1})
    client = app.test_client()
    token = re.search(
        r'name="token" value="([^"]+)"',
        client.get("/en/check/burnout-self-check/questions").get_data(as_text=True),
    ).group(1)
    answers = {k: str(v) for k, v in answers_for(value=5, safety=0).items()}
    response = client.post(
        f"/en/check/burnout-self-check/{download}",
        data={**answers, "token": token, "country": "GB"},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "This page was open for a long time" in html
    assert "Step 4 of 4" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert 'value="0" checked' in html  # the safety answer, on the page shown
    assert 'name="ex_nothing_left" value="5"' in html  # the rest, carried along


def test_paper_shows_every_address_beside_its_name(worst_gb):
    text = re.sub(r"\s+", " ", pdf_text(worst_gb.data))
    # A printout can be followed: each service's address as text, not only a link.
    assert re.search(r"Samaritans samaritans\.org", text), text
    assert "116 123" in text and "Free to call" in text
    assert re.search(r"Find A Helpline findahelpline\.com", text)
    assert re.search(r"NHS nhs\.uk", text)
    assert re.search(r"HCPC\) hcpc-uk\.org", text)


def test_summary_country_from_accept_language_without_a_choice(client):
    fields = summary_fields(client, "worst")
    del fields["country"]
    response = post_summary(client, fields, **{"Accept-Language": "en-GB,en;q=0.9"})
    text = pdf_text(response.data)
    assert "Samaritans" in text and "116 123" in text
    assert "988" not in text and "911" not in text
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("locale", ["en", "es", "fr", "de", "pt_BR", "ar"])
def test_safety_yes_summary_reads_as_support(locale):
    from flask import g

    from burnout_app import i18n
    from burnout_app.web import content

    from .conftest import FULL

    app = create_app({"SECRET_KEY": "pdf"})
    client = app.test_client()
    lang = i18n.url_code(locale)
    results = Flow(client, lang=lang).complete(answers_for(pattern="best", safety=1))
    fields = {**results_form_fields(results.get_data(as_text=True)), "country": "GB"}
    response = client.post(
        f"/{lang}/check/burnout-self-check/summary", data=fields, headers=SAME_ORIGIN
    )
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", pdf_text(response.data))
    contradicting = texts_contradicting_a_safety_yes(app, FULL, locale)
    with app.test_request_context():
        g.locale = locale
        referrals = content().referrals
        tr = i18n.translate_content
        first = tr(referrals.next_steps["safety"].title)
        second = i18n.gettext("Professional help")
        scores = i18n.gettext("The three parts of burnout")
    for sentence in contradicting:
        assert sentence not in text, sentence
    assert "116 123" in text and "samaritans.org" in text
    # Talk to someone now first, professional help second, then the scores.
    # (pypdf extracts Arabic glyphs in visual order, so positions are checked in the
    # left-to-right locales and presence in all.)
    if locale != "ar":
        order = [text.index(first), text.index(second), text.index(scores)]
        assert order == sorted(order)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, database=None)
@given(
    locale=st.sampled_from(["en", "es", "fr", "de", "pt_BR", "ar"]),
    country=st.sampled_from(["GB", "US", "EG", "other"]),
    values=st.lists(st.integers(0, 6), min_size=18, max_size=18),
    safety=st.sampled_from([0, 1]),
)
def test_pdf_with_styles_parsed_once_is_the_pdf_rendered_from_scratch(
    locale, country, values, safety
):
    """The per-thread stylesheet and font cache changes no byte of the PDF."""
    import datetime as dt
    import threading

    from flask import g

    from burnout_app.pdf import _render
    from burnout_app.web.summary import page_label_css, render_summary_html

    from .conftest import FULL

    app = create_app({"SECRET_KEY": "pdf-cache"})
    answers = {item.id: v for item, v in zip(FULL.items, values, strict=True)}
    answers[FULL.safety.id] = safety
    with app.test_request_context("/"):
        g.locale = locale
        html = render_summary_html(FULL, answers, country, dt.datetime(2026, 11, 23, 9, 0))
        label = page_label_css()
    fresh = _render(html, country, label, reuse=False)
    assert _render(html, country, label) == fresh  # cache filled (or already warm)
    assert _render(html, country, label) == fresh  # cache reused
    elsewhere = []  # another thread starts with its own, empty cache
    thread = threading.Thread(target=lambda: elsewhere.append(_render(html, country, label)))
    thread.start()
    thread.join()
    assert elsewhere == [fresh]
