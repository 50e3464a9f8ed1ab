"""Benchmarks. Run with `make bench`; figures go to stdout and bench/results/latest.json.

1. Results POST throughput as a share of a bare Flask hello-world, both on
   gunicorn with the same settings (target: at least 50%).
2. PDF endpoint median time against a bare WeasyPrint render of the same HTML
   in the same run (target: at most 1.2x).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import run_load

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))


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
def server(args: list[str], port: int, ready_path: str, ready_method: str = "GET"):
    env = {**os.environ, "BURNOUT_SECRET_KEY": "bench"}
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
    # The same settings `burnout-app serve` uses: sync workers, one thread each.
    return [
        str(BIN / "gunicorn"),
        "--workers",
        str(WORKERS),
        "--threads",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        app,
    ]


def results_request(port: int, variants: int = 500) -> tuple[str, list[bytes], dict[str, str]]:
    """Bodies with different random answers and countries, as real traffic has."""
    import random

    from burnout_app.domain.questionnaire import load_questionnaire

    html = (
        urllib.request.urlopen(f"http://127.0.0.1:{port}/en/check/burnout-self-check/questions")
        .read()
        .decode()
    )
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    q = load_questionnaire(HERE.parent / "questionnaires" / "burnout-self-check.yaml")
    rnd = random.Random(7)
    bodies = []
    for _ in range(variants):
        answers = {item.id: str(rnd.randint(0, 6)) for item in q.items}
        answers[q.safety.id] = str(rnd.choice([0, 0, 0, 1, 2]))
        country = rnd.choice(["US", "GB", "DE", "FR", "IN", "other"])
        fields = {**answers, "token": token, "country": country}
        bodies.append(urllib.parse.urlencode(fields).encode())
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}
    return "/en/check/burnout-self-check/results", bodies, headers


def bench_results_throughput() -> dict:
    port = free_port()
    with server(
        [str(BIN / "burnout-app"), "serve", "--port", str(port), "--workers", str(WORKERS)],
        port,
        "/healthz",
    ):
        path, body, headers = results_request(port)
        run_load(port, path, body, headers, seconds=1.5)  # warm-up
        app = run_load(port, path, body, headers, seconds=SECONDS)
    port = free_port()
    with server(gunicorn_args("hello:app", port), port, "/", "POST"):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        run_load(port, "/", b"", headers, seconds=1.5)
        hello = run_load(port, "/", b"", headers, seconds=SECONDS)
    return {
        "workers": WORKERS,
        "results_post_per_s": round(app.rate, 1),
        "results_post_median_ms": round(app.median_ms, 2),
        "results_errors": app.errors,
        "hello_world_per_s": round(hello.rate, 1),
        "hello_world_median_ms": round(hello.median_ms, 2),
        "share_of_hello_world": round(app.rate / hello.rate, 3),
        "target_share": 0.5,
    }


def bench_pdf(rounds: int = 15) -> dict:
    import statistics

    from weasyprint import HTML

    from burnout_app.app import create_app
    from burnout_app.pdf import STATIC_DIR
    from burnout_app.web.forms import parse_submission
    from burnout_app.web.summary import render_summary_html

    port = free_port()
    with server(
        [str(BIN / "burnout-app"), "serve", "--port", str(port), "--workers", "1"], port, "/healthz"
    ):
        path, bodies, headers = results_request(port, variants=rounds)
        path = path.replace("/results", "/summary")
        endpoint = []
        for body in [bodies[0], *bodies]:  # the first warms the worker up
            start = time.perf_counter()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", data=body, headers=headers, method="POST"
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.read().startswith(b"%PDF")
            endpoint.append(time.perf_counter() - start)
        endpoint = endpoint[1:]

    app = create_app({"SECRET_KEY": "bench"})
    questionnaire = app.extensions["burnout_content"].questionnaire("burnout-self-check")
    bare = []
    with app.test_request_context("/en/"):
        from flask import g
        from werkzeug.datastructures import MultiDict

        g.locale = "en"
        for body in [bodies[0], *bodies]:
            fields = MultiDict(urllib.parse.parse_qsl(body.decode()))
            answers = dict(parse_submission(questionnaire, fields).answers)
            html = render_summary_html(
                questionnaire, answers, fields["country"], __import__("datetime").datetime.now()
            )
            start = time.perf_counter()
            HTML(string=html, base_url=STATIC_DIR.as_uri() + "/").write_pdf()
            bare.append(time.perf_counter() - start)
        bare = bare[1:]
    endpoint_ms = statistics.median(endpoint) * 1000
    bare_ms = statistics.median(bare) * 1000
    return {
        "rounds": rounds,
        "endpoint_median_ms": round(endpoint_ms, 1),
        "bare_weasyprint_median_ms": round(bare_ms, 1),
        "ratio": round(endpoint_ms / bare_ms, 3),
        "target_ratio": 1.2,
    }


def main() -> None:
    figures = {"results_throughput": bench_results_throughput(), "pdf": bench_pdf()}
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
