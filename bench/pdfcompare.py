"""The summary PDF three ways, side by side, on identical input from `summary --html`.

For each answer set, `burnout-app summary --html` writes the HTML the endpoint
renders (CSS inlined, fonts as file: URLs). Then, in turn, so that a noisy machine
slows all three alike:

- the endpoint: POST the same answers to `burnout-app serve` (one worker);
- bare WeasyPrint: ``HTML(filename=...).write_pdf(pdf_variant="pdf/ua-1")``, a new
  render from the file with nothing reused, the same PDF variant as the endpoint;
- Chromium print-to-PDF (Playwright on /usr/bin/chromium, tagged): a warm page.
  The file is loaded once, then ``page.pdf()`` is timed. That is the fastest way a
  browser prints a document it already holds, so it is the hardest figure to beat;
  ``set_content`` plus ``page.pdf()`` each time (what a service printing new HTML
  per request does) is reported beside it.

Before them, the floor: the endpoint's render path (`pdf._render`, stylesheet and
fonts reused) for a two-page document of two lines. Whatever the summary holds,
WeasyPrint spends at least that.
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def _median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def write_html(answers: dict, country: str, folder: Path, n: int) -> Path:
    """`burnout-app summary --answers ... --html ...`, in this process."""
    from burnout_app.cli import main

    answers_file = folder / f"answers-{n}.json"
    answers_file.write_text(json.dumps(answers), "utf-8")
    out = folder / f"summary-{n}.html"
    args = ["summary", "--answers", str(answers_file), "--country", country, "--html", str(out)]
    with contextlib.redirect_stdout(io.StringIO()):  # "wrote ..."
        main.main(args, standalone_mode=False)
    return out


FLOOR_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Floor</title>'
    '{link}</head><body><h1>Summary</h1><p style="break-before: page">End.</p></body></html>'
)


def floor_ms(rounds: int = 15) -> float:
    """Median ms of the endpoint's render path for a two-page, two-line document."""
    from burnout_app import pdf

    html = FLOOR_HTML.format(link=pdf.STYLESHEET_LINK)
    label = '@bottom-center { content: "Page " counter(page) " of " counter(pages); }'
    pdf._render(html, "GB", label)  # stylesheet parsed, fonts loaded
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        pdf._render(html, "GB", label)
        times.append(time.perf_counter() - start)
    return _median_ms(times)


def compare(port: int, path: str, requests: list[tuple[bytes, dict, str]], headers: dict) -> dict:
    """requests: (POST body, answers, country) for each round; the first only warms up."""
    from playwright.sync_api import sync_playwright
    from weasyprint import HTML

    endpoint, bare, warm, fresh = [], [], [], []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        options = {"prefer_css_page_size": True, "print_background": True, "tagged": True}
        for n, (body, answers, country) in enumerate(requests):
            html_file = write_html(answers, country, Path(folder), n)

            start = time.perf_counter()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", data=body, headers=headers, method="POST"
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.read().startswith(b"%PDF")
            took_endpoint = time.perf_counter() - start

            start = time.perf_counter()
            assert HTML(filename=str(html_file)).write_pdf(pdf_variant="pdf/ua-1")[:4] == b"%PDF"
            took_bare = time.perf_counter() - start

            page.goto(html_file.as_uri())
            page.pdf(**options)  # the page is warm from here on
            took_warm = []
            for _ in range(3):
                start = time.perf_counter()
                assert page.pdf(**options)[:4] == b"%PDF"
                took_warm.append(time.perf_counter() - start)

            text = html_file.read_text("utf-8")
            start = time.perf_counter()
            page.set_content(text)
            page.pdf(**options)
            took_fresh = time.perf_counter() - start

            if n:  # the first round warms every renderer up
                endpoint.append(took_endpoint)
                bare.append(took_bare)
                warm.extend(took_warm)
                fresh.append(took_fresh)
        browser.close()
    e, b, w, f = map(_median_ms, (endpoint, bare, warm, fresh))
    return {
        "weasyprint_floor_two_lines_ms": floor_ms(),
        "rounds": len(endpoint),
        "answer_sets": len(endpoint),
        "endpoint_median_ms": e,
        "bare_weasyprint_median_ms": b,
        "chromium_warm_page_median_ms": w,
        "chromium_set_content_median_ms": f,
        "endpoint_vs_bare_weasyprint": round(e / b, 3),
        "endpoint_vs_chromium_warm": round(e / w, 3),
        "endpoint_vs_chromium_set_content": round(e / f, 3),
        "target_vs_bare_weasyprint": 1.2,
        "target_vs_chromium_warm": 1.0,
    }
