"""The summary PDF: WeasyPrint with a fetcher that reaches nothing outside the package.

Plain Python, no Flask: the caller renders the HTML (with the same partials as
the results page) and this module turns it into a tagged PDF/UA-1 document.
Every URL except the package's own stylesheet and fonts is refused: no
``file:``, no ``http(s):`` to anywhere, no ``data:``. A finisher strips any
embedded file, so a summary can never carry an attachment.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
# A host under the reserved .invalid TLD: it can never resolve, and only the
# fetcher below gives it meaning.
BASE_URL = "https://burnout-app.invalid/static/"
ALLOWED_SUFFIXES = {".css", ".ttf"}
LETTER_COUNTRIES = {"US", "CA"}


class RefusedURL(ValueError):
    """A URL outside the package's own static files."""


class PackageFetcher(URLFetcher):
    """Serves the package's CSS and fonts; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self.resolve(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            mime = "font/ttf"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    @staticmethod
    def resolve(url: str) -> Path:
        """The static file a URL names, or `RefusedURL`."""
        parts = urlsplit(url)
        base = urlsplit(BASE_URL)
        if (
            parts.scheme != "https"
            or parts.netloc != base.netloc
            or not parts.path.startswith(base.path)
            or parts.query
            or parts.fragment
            or parts.username
            or parts.password
        ):
            log.info("PDF renderer refused a URL outside the package")
            raise RefusedURL(f"refused: {url[:80]}")
        relative = parts.path[len(base.path) :]
        path = (STATIC_DIR / relative).resolve()
        if STATIC_DIR not in path.parents or path.suffix not in ALLOWED_SUFFIXES:
            raise RefusedURL(f"refused: {url[:80]}")
        if not path.is_file():
            raise RefusedURL(f"no such file: {url[:80]}")
        return path


def _strip_embedded_files(document, pdf) -> None:
    """Finisher: no embedded file, whatever the HTML asked for."""
    names = pdf.catalog.get("Names")
    if names is not None and "EmbeddedFiles" in names:
        del names["EmbeddedFiles"]


def paper_size(country: str | None) -> str:
    """Letter in the US and Canada, A4 elsewhere."""
    return "letter" if (country or "").upper() in LETTER_COUNTRIES else "A4"


def render_pdf(html: str, country: str | None, page_label_css: str = "") -> bytes:
    """Turn summary HTML into PDF bytes (tagged PDF/UA-1, fonts embedded and subset).

    Under gevent (`burnout-app serve`) the render runs in a native thread, so the
    worker's event loop keeps answering other requests (the crisis page above all)
    while this one burns CPU. Elsewhere it runs in the caller's thread.
    """
    return _off_the_event_loop(_render, html, country, page_label_css)


def _off_the_event_loop(function, *args):
    try:
        from gevent import get_hub, monkey
    except ImportError:  # pragma: no cover - gevent is not installed on Windows
        return function(*args)
    if not monkey.is_module_patched("socket"):
        return function(*args)
    return get_hub().threadpool.apply(function, args)


# The summary template links its stylesheet, so that the same HTML opens in a browser.
STYLESHEET_LINK = '<link rel="stylesheet" href="css/pdf.css">'
_thread = threading.local()


def standalone_html(html: str, country: str | None, page_label_css: str = "") -> str:
    """The summary HTML as the renderer sees it, openable from disk in any browser.

    pdf.css and the page rule are inlined in a ``<style>`` element, and the fonts are
    referenced by ``file:`` URLs to the packaged files, so WeasyPrint and a browser
    render the same document from the same fonts (``burnout-app summary --html``).
    """
    css = (STATIC_DIR / "css" / "pdf.css").read_text("utf-8")
    fonts = (STATIC_DIR / "fonts").as_uri()
    css = re.sub(r'url\("\.\./fonts/([A-Za-z0-9_-]+\.ttf)"\)', rf'url("{fonts}/\1")', css)
    style = f"<style>\n{css}\n{_page_css(country, page_label_css)}\n</style>"
    if STYLESHEET_LINK not in html:
        raise ValueError("the summary HTML does not link pdf.css")
    return html.replace(STYLESHEET_LINK, style, 1)


def _page_css(country: str | None, page_label_css: str) -> str:
    return f"@page {{ size: {paper_size(country)}; {page_label_css} }}"


def _shared_styles(page_css: str) -> tuple[FontConfiguration, CSS, CSS]:
    """pdf.css parsed and its fonts loaded once per thread, and each page rule once.

    Parsing the stylesheet and loading the fonts is the same work for every summary
    (about a fifth of a render). Renders run in several threads, and WeasyPrint's
    font configuration is not shared across threads, so each thread keeps its own.
    tests/test_summary.py proves the PDF is the same as one rendered from scratch.
    """
    cache = getattr(_thread, "styles", None)
    if cache is None:
        fonts = FontConfiguration()
        summary = CSS(url=BASE_URL + "css/pdf.css", url_fetcher=PackageFetcher(), font_config=fonts)
        cache = _thread.styles = {"fonts": fonts, "summary": summary, "pages": {}}
    page = cache["pages"].get(page_css)
    if page is None:
        if len(cache["pages"]) > 64:
            cache["pages"].clear()
        page = cache["pages"][page_css] = CSS(
            string=page_css, url_fetcher=PackageFetcher(), font_config=cache["fonts"]
        )
    return cache["fonts"], cache["summary"], page


def _render(html: str, country: str | None, page_label_css: str, reuse: bool = True) -> bytes:
    page_css = _page_css(country, page_label_css)
    if reuse and STYLESHEET_LINK in html:
        fonts, summary, page = _shared_styles(page_css)
        html = html.replace(STYLESHEET_LINK, "", 1)
        stylesheets = [summary, page]
    else:  # from scratch: the HTML's own link is fetched and parsed, fonts loaded anew
        fonts = FontConfiguration()
        stylesheets = [CSS(string=page_css, url_fetcher=PackageFetcher(), font_config=fonts)]
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PackageFetcher())
    return document.write_pdf(
        stylesheets=stylesheets,
        font_config=fonts,
        pdf_variant="pdf/ua-1",
        presentational_hints=False,
        attachments=[],
        custom_metadata=False,
        finisher=_strip_embedded_files,
    )


class RenderSlots:
    """At most N renders at once in this process; more are told to come back later."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._semaphore = threading.BoundedSemaphore(limit)

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Yields True with a slot held, or False at once when all are busy."""
        acquired = self._semaphore.acquire(blocking=False)
        try:
            yield acquired
        finally:
            if acquired:
                self._semaphore.release()
