"""The abuse scenario: slow clients and a PDF flood, while someone needs the crisis page.

Used by `make bench` (full size, measured with wrk when it is installed) and by
tests/test_abuse.py (a smaller version, checked for outcomes, not speed).

- `trickle` connections send a request's headers one byte at a time and never finish;
- `slow_bodies` connections send complete headers, then a body one byte at a time;
- `pdfs` clients download the summary PDF again and again, each in its own connection;
- meanwhile the crisis page is fetched continuously and its latency recorded.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CRISIS = "/en/crisis"
QUESTIONS = "/en/check/burnout-self-check/questions"
SUMMARY = "/en/check/burnout-self-check/summary"
QUESTIONNAIRE = (
    Path(__file__).resolve().parent.parent / "questionnaires" / "burnout-self-check.yaml"
)

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("P50_MS %.3f\\n", latency:percentile(50) / 1000))
  io.write(string.format("P95_MS %.3f\\n", latency:percentile(95) / 1000))
  io.write(string.format("MAX_MS %.3f\\n", latency.max / 1000))
  io.write(string.format("REQUESTS %d\\n", summary.requests))
  io.write(string.format("FAILURES %d\\n", e.connect + e.read + e.write + e.timeout + e.status))
end
"""


@dataclass
class AbuseReport:
    probe: str
    crisis_requests: int = 0
    crisis_failures: int = 0
    crisis_p50_ms: float = 0.0
    crisis_p95_ms: float = 0.0
    crisis_max_ms: float = 0.0
    pdf_statuses: dict[str, int] = field(default_factory=dict)
    pdf_503_without_retry_after: int = 0
    pdf_other: list[str] = field(default_factory=list)


def summary_body(port: int, seed: int = 0) -> bytes:
    """A complete, valid summary POST with random answers (token from a real page)."""
    import random

    from burnout_app.domain.questionnaire import load_questionnaire

    html = urllib.request.urlopen(f"http://127.0.0.1:{port}{QUESTIONS}", timeout=10).read()
    token = re.search(rb'name="token" value="([^"]+)"', html).group(1).decode()
    q = load_questionnaire(QUESTIONNAIRE)
    rnd = random.Random(seed)
    fields = {item.id: str(rnd.randint(0, 6)) for item in q.items}
    fields[q.safety.id] = str(rnd.choice([0, 1]))
    fields.update(token=token, country=rnd.choice(["GB", "US", "DE", "other"]))
    return urllib.parse.urlencode(fields).encode()


def _trickle_headers(port: int, stop: threading.Event) -> None:
    request = (
        b"GET /en/ HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow\r\nX-Padding: " + b"a" * 4000
    )
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            for byte in request:
                if stop.wait(0.5):
                    return
                s.sendall(bytes([byte]))
    except OSError:
        return  # the server may close a connection that is too slow: that is fine


def _slow_body(port: int, stop: threading.Event) -> None:
    head = (
        f"POST {QUESTIONS} HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n"
    ).encode()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(head)
            for _ in range(5000):
                if stop.wait(0.5):
                    return
                s.sendall(b"a")
    except OSError:
        return


def _pdf_client(port: int, body: bytes, stop: threading.Event, report: AbuseReport, lock) -> None:
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Sec-Fetch-Site": "same-origin",
        "Connection": "close",
    }
    while not stop.is_set():
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("POST", SUMMARY, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status = response.status
            retry_after = response.getheader("Retry-After")
            conn.close()
        except OSError as exc:
            with lock:
                report.pdf_other.append(
                    f"{type(exc).__name__} after {time.monotonic() - started:.1f} s"
                )
            continue
        with lock:
            key = str(status)
            report.pdf_statuses[key] = report.pdf_statuses.get(key, 0) + 1
            if status == 503 and not retry_after:
                report.pdf_503_without_retry_after += 1
            elif status == 200 and not data.startswith(b"%PDF"):
                report.pdf_other.append("200 without a PDF")
            elif status not in (200, 503):
                report.pdf_other.append(str(status))
        if status == 503:
            stop.wait(0.05)  # a real client would wait Retry-After; keep the pressure on


def _probe_wrk(port: int, seconds: float, report: AbuseReport) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            "-c2",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "5s",
            "-s",
            f.name,
            f"http://127.0.0.1:{port}{CRISIS}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(f.name).unlink()
    figures = dict(re.findall(r"^([A-Z0-9_]+) ([0-9.]+)$", out, re.M))
    report.crisis_p50_ms = float(figures["P50_MS"])
    report.crisis_p95_ms = float(figures["P95_MS"])
    report.crisis_max_ms = float(figures["MAX_MS"])
    report.crisis_requests = int(figures["REQUESTS"])
    report.crisis_failures = int(figures["FAILURES"])


def _probe_python(port: int, seconds: float, report: AbuseReport) -> None:
    times = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{CRISIS}", timeout=5) as r:
                ok = r.status == 200 and b"crisis" in r.read().lower()
        except OSError:
            ok = False
        times.append((time.perf_counter() - start) * 1000)
        report.crisis_failures += not ok
        time.sleep(0.02)
    times.sort()
    report.crisis_requests = len(times)
    report.crisis_p50_ms = statistics.median(times)
    report.crisis_p95_ms = times[min(len(times) - 1, int(len(times) * 0.95))]
    report.crisis_max_ms = times[-1]


def run_abuse(
    port: int,
    trickle: int = 60,
    slow_bodies: int = 20,
    pdfs: int = 30,
    seconds: float = 20,
    use_wrk: bool | None = None,
) -> AbuseReport:
    """Run the scenario against a server on ``port`` and report what the crisis page saw."""
    use_wrk = shutil.which("wrk") is not None if use_wrk is None else use_wrk
    report = AbuseReport(probe="wrk" if use_wrk else "python")
    stop = threading.Event()
    lock = threading.Lock()
    bodies = [summary_body(port, seed) for seed in range(pdfs)]
    threads = [threading.Thread(target=_trickle_headers, args=(port, stop)) for _ in range(trickle)]
    threads += [threading.Thread(target=_slow_body, args=(port, stop)) for _ in range(slow_bodies)]
    threads += [
        threading.Thread(target=_pdf_client, args=(port, body, stop, report, lock))
        for body in bodies
    ]
    for t in threads:
        t.daemon = True
        t.start()
    time.sleep(1.0)  # let the slow connections and the flood take hold
    try:
        (_probe_wrk if use_wrk else _probe_python)(port, seconds, report)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=70)
    return report
