"""Benchmarks. Run with `make bench`; figures go to stdout and bench/results/latest.json.

1. Throughput under wrk (a C load generator; the Python one only when wrk is
   missing, and the report says which): a bare Flask hello-world, a question page
   GET and the results POST with 500 different answer sets, all on the gunicorn
   settings `burnout-app serve` uses. All servers run at once and are loaded in
   turn for BENCH_ROUNDS rounds (default 4) of BENCH_SECONDS/rounds each, so that
   other work on the machine slows them alike; shares are the median of each
   round's ratio. Requests/s, p50 and p99, the results POST's share of
   hello-world, and the same POST with the fragment cache off (the cache must
   pay for itself). Beside them, bare Flask sending the bytes of one real results
   page with no work behind it: how far any cut in the app's own work could go.
2. The PDF: the endpoint's median time against bare WeasyPrint (target: at most
   1.2x) and Chromium print-to-PDF (target: at most 1x) on the same HTML from
   `burnout-app summary --html`, for 15 answer sets, side by side (pdfcompare.py),
   and WeasyPrint's floor: the same render path for a two-page document of two
   lines, with the same stylesheet and fonts.
3. Abuse: the default `burnout-app serve` with 60 connections trickling headers,
   20 slow request bodies and 30 concurrent PDF downloads, while the crisis page
   is fetched (target: p95 at most 1 s, no failures; every PDF request gets 200
   or 503 with Retry-After).

BENCH_PARTS (default "throughput,pdf,abuse") runs some of them only.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from abuse import run_abuse
from loadgen import run_load
from pdfcompare import compare
from wrkload import available as wrk_available
from wrkload import run_wrk

from burnout_app.serving import gunicorn_argv

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, path: str = "/healthz", method: str = "GET") -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
            urllib.request.urlopen(request, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


@contextmanager
def server(args: list[str], port: int, ready_path: str, ready_method: str = "GET", **env_extra):
    env = {**os.environ, "BURNOUT_SECRET_KEY": "bench", **env_extra}
    proc = subprocess.Popen(
        args,
        env=env,
        cwd=HERE,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, ready_path, ready_method)
        yield
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def gunicorn_args(app: str, port: int) -> list[str]:
    """The settings `burnout-app serve` uses (gevent workers), for another WSGI app."""
    return [*gunicorn_argv("127.0.0.1", port, WORKERS)[:-1], app]


def answer_sets(variants: int, seed: int = 7) -> list[tuple[dict[str, int], str]]:
    """Different random answers and countries, as real traffic has."""
    import random

    from burnout_app.domain.questionnaire import load_questionnaire

    q = load_questionnaire(HERE.parent / "questionnaires" / "burnout-self-check.yaml")
    rnd = random.Random(seed)
    sets = []
    for _ in range(variants):
        answers = {item.id: rnd.randint(0, 6) for item in q.items}
        answers[q.safety.id] = rnd.choice([0, 0, 0, 1, 2])
        sets.append((answers, rnd.choice(["US", "GB", "DE", "FR", "IN", "other"])))
    return sets


def results_request(
    port: int, variants: int = 500
) -> tuple[str, list[bytes], dict[str, str], list[tuple[dict[str, int], str]]]:
    """The results POST with `variants` different answer sets (bodies carry a form token)."""
    html = (
        urllib.request.urlopen(f"http://127.0.0.1:{port}/en/check/burnout-self-check/questions")
        .read()
        .decode()
    )
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    sets = answer_sets(variants)
    bodies = [
        urllib.parse.urlencode(
            {**{k: str(v) for k, v in answers.items()}, "token": token, "country": country}
        ).encode()
        for answers, country in sets
    ]
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}
    return "/en/check/burnout-self-check/results", bodies, headers, sets


NAMES = (
    "hello_world",
    "static_results_page",
    "question_get",
    "results_post",
    "results_post_cache_off",
)


def one_results_page(port: int, path: str, bodies: list[bytes], headers: dict) -> bytes:
    """One real results page, for the bare-Flask server to send as constant bytes."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=bodies[0], headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def _slice(port, path, bodies, headers, method, seconds):
    """One timed load: (requests, seconds, p50 ms, p99 ms, errors), wrk or the Python one."""
    if wrk_available():
        r = run_wrk(port, path, bodies, headers, method, seconds=seconds)
        return r.requests, r.seconds, r.p50_ms, r.p99_ms, r.failures
    r = run_load(port, path, bodies or [b""], headers, seconds=seconds, method=method)
    return r.requests, r.seconds, r.median_ms, r.p99_ms, r.errors


def bench_throughput() -> dict:
    """Every target served at once and loaded in turn, ROUNDS times, so that other work
    on the machine slows them alike; shares are the median of each round's ratio."""
    import statistics
    from contextlib import ExitStack

    serve = [str(BIN / "burnout-app"), "serve", "--port", "{port}", "--workers", str(WORKERS)]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    targets = {}
    with ExitStack() as stack:
        for name, extra in (
            ("results_post", {}),
            ("results_post_cache_off", {"BURNOUT_FRAGMENT_CACHE": "0"}),
        ):
            port = free_port()
            args = [a.replace("{port}", str(port)) for a in serve]
            stack.enter_context(server(args, port, "/healthz", **extra))
            path, bodies, headers, _ = results_request(port)
            targets[name] = (port, path, bodies, headers, "POST")
            if name == "results_post":
                questions = "/en/check/burnout-self-check/questions"
                targets["question_get"] = (port, questions, None, {}, "GET")
        page = stack.enter_context(tempfile.NamedTemporaryFile(suffix=".html"))
        page.write(one_results_page(*targets["results_post"][:4]))
        page.flush()
        port = free_port()
        hello = gunicorn_args("hello:app", port)
        stack.enter_context(server(hello, port, "/", "POST", BENCH_PAGE=page.name))
        targets["hello_world"] = (port, "/", [b""], form, "POST")
        targets["static_results_page"] = (port, "/page", [b""], form, "POST")
        for target in targets.values():
            _slice(*target, seconds=2)  # warm-up: caches filled, workers started
        slices = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name in NAMES:
                slices[name].append(_slice(*targets[name], seconds=SECONDS / ROUNDS))
    figures = {
        "load_generator": "wrk" if wrk_available() else "python (wrk not installed)",
        "workers": WORKERS,
        "rounds": ROUNDS,
        "answer_sets": len(targets["results_post"][2]),
    }
    for name, runs in slices.items():
        figures[name] = {
            "per_s": round(sum(r[0] for r in runs) / sum(r[1] for r in runs), 1),
            "p50_ms": round(statistics.median(r[2] for r in runs), 2),
            "p99_ms": round(statistics.median(r[3] for r in runs), 2),
            "errors": sum(r[4] for r in runs),
        }

    def share(name: str, of: str = "hello_world") -> float:
        ratios = [
            a[0] / a[1] / (b[0] / b[1]) for a, b in zip(slices[name], slices[of], strict=True)
        ]
        return round(statistics.median(ratios), 3)

    figures["results_share_of_hello_world"] = share("results_post")
    figures["question_share_of_hello_world"] = share("question_get")
    figures["static_page_share_of_hello_world"] = share("static_results_page")
    figures["fragment_cache_speedup"] = share("results_post", "results_post_cache_off")
    figures["results_share_per_round"] = [
        round(a[0] / a[1] / (b[0] / b[1]), 3)
        for a, b in zip(slices["results_post"], slices["hello_world"], strict=True)
    ]
    return figures


def bench_abuse() -> dict:
    port = free_port()
    with server([str(BIN / "burnout-app"), "serve", "--port", str(port)], port, "/healthz"):
        report = run_abuse(port, trickle=60, slow_bodies=20, pdfs=30, seconds=20)
    return {
        "probe": report.probe,
        "crisis_requests": report.crisis_requests,
        "crisis_failures": report.crisis_failures,
        "crisis_p50_ms": round(report.crisis_p50_ms, 1),
        "crisis_p95_ms": round(report.crisis_p95_ms, 1),
        "crisis_max_ms": round(report.crisis_max_ms, 1),
        "pdf_statuses": report.pdf_statuses,
        "pdf_503_without_retry_after": report.pdf_503_without_retry_after,
        "pdf_other": report.pdf_other,
        "target_crisis_p95_ms": 1000,
    }


def bench_pdf(rounds: int = 15) -> dict:
    """Endpoint, bare WeasyPrint and Chromium on the same HTML (see pdfcompare.py)."""
    port = free_port()
    serve = [str(BIN / "burnout-app"), "serve", "--port", str(port), "--workers", "1"]
    with server(serve, port, "/healthz"):
        path, bodies, headers, sets = results_request(port, variants=rounds)
        path = path.replace("/results", "/summary")
        requests = [(bodies[0], *sets[0])] + [
            (body, answers, country) for body, (answers, country) in zip(bodies, sets, strict=True)
        ]
        return compare(port, path, requests, headers)


def print_throughput(t: dict) -> None:
    print(f"load generator: {t['load_generator']}, {t['workers']} workers")
    print(f"{'':24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name in NAMES:
        r = t[name]
        print(f"{name:24} {r['per_s']:9.0f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f}")
    print(
        f"results POST share of hello-world: {t['results_share_of_hello_world']:.1%}"
        f" (median of {t['rounds']} side-by-side rounds: {t['results_share_per_round']};"
        f" {t['answer_sets']} answer sets)"
    )
    print(
        "the same results page served as constant bytes by bare Flask (the ceiling for any"
        f" cut in the app's own work): {t['static_page_share_of_hello_world']:.1%} of hello-world"
    )
    print(f"fragment cache speed-up on the results POST: {t['fragment_cache_speedup']}x")


def print_pdf(p: dict) -> None:
    print(
        f"PDF median over {p['rounds']} answer sets, same HTML:"
        f" endpoint {p['endpoint_median_ms']} ms,"
        f" bare WeasyPrint {p['bare_weasyprint_median_ms']} ms,"
        f" Chromium warm page {p['chromium_warm_page_median_ms']} ms"
        f" (set_content each time {p['chromium_set_content_median_ms']} ms);"
        f" WeasyPrint's floor, two lines on two pages: {p['weasyprint_floor_two_lines_ms']} ms"
    )
    print(
        f"PDF ratios: endpoint/bare WeasyPrint {p['endpoint_vs_bare_weasyprint']} (target <= 1.2),"
        f" endpoint/Chromium warm {p['endpoint_vs_chromium_warm']} (target <= 1.0),"
        f" endpoint/Chromium set_content {p['endpoint_vs_chromium_set_content']}"
    )


def print_abuse(a: dict) -> None:
    print(
        f"abuse ({a['probe']}): crisis p50 {a['crisis_p50_ms']} ms, p95 {a['crisis_p95_ms']} ms, "
        f"max {a['crisis_max_ms']} ms, {a['crisis_failures']} failures of "
        f"{a['crisis_requests']}; PDFs {a['pdf_statuses']}, "
        f"503 without Retry-After {a['pdf_503_without_retry_after']}, other {a['pdf_other']}"
    )


def main() -> None:
    parts = os.environ.get("BENCH_PARTS", "throughput,pdf,abuse").split(",")
    benches = {"throughput": bench_throughput, "pdf": bench_pdf, "abuse": bench_abuse}
    figures = {name: bench() for name, bench in benches.items() if name in parts}
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(figures, indent=2))
    if "throughput" in figures:
        print_throughput(figures["throughput"])
    if "pdf" in figures:
        print_pdf(figures["pdf"])
    if "abuse" in figures:
        print_abuse(figures["abuse"])
    print("written to bench/results/latest.json")


if __name__ == "__main__":
    main()
