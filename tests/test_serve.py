"""`burnout-app serve`: a real multi-process server that holds up under slow clients and floods."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bench.abuse import run_abuse

from .conftest import hidden_fields

EXE = Path(sys.executable).parent / "burnout-app"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                assert r.status == 200
                return
        except OSError:
            assert proc.poll() is None, "the server stopped"
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def served(tmp_path: Path, *args: str, exe: Path = EXE, env: dict | None = None):
    """`burnout-app serve` on a free port; yields (port, process, path of its output)."""
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    base = {k: v for k, v in os.environ.items() if not k.startswith("BURNOUT_")}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(exe), "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**base, **(env or {})},
            cwd=tmp_path,
            start_new_session=True,
        )
    try:
        wait_until_up(port, proc)
        yield port, proc, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


@pytest.mark.slow
def test_serve_runs_gunicorn_with_gevent_workers(tmp_path):
    with served(tmp_path, "--workers", "2") as (port, proc, log):
        assert f"http://localhost:{port}/" in log.read_text().splitlines()[0]
        for _ in range(4):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5) as r:
                assert r.headers.get("Set-Cookie") is None
                assert "Burnout self-check" in r.read().decode()
        # A page's token is posted back on new connections, which either worker may take:
        # each must accept it, which it only does when all workers share one secret key.
        url = f"http://127.0.0.1:{port}/en/check/burnout-self-check/questions"
        with urllib.request.urlopen(url, timeout=5) as r:
            body = urlencode({**hidden_fields(r.read().decode()), "action": "continue"}).encode()
        for _ in range(8):
            post = urllib.request.Request(url, body, headers={"Sec-Fetch-Site": "same-origin"})
            with urllib.request.urlopen(post, timeout=5) as r:  # a refused token is a 400
                assert "There is a problem" in r.read().decode()  # the unanswered questions
        deadline = time.monotonic() + 20
        children: list[str] = []
        while len(children) < 2 and time.monotonic() < deadline:
            children = subprocess.run(
                ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
            ).stdout.split()
            time.sleep(0.2)
        assert len(children) == 2
        command = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert (
            b"burnout_app.serving.GeventWorker" in command
        )  # the worker class that holds slow clients cheaply


@pytest.mark.slow
def test_crisis_page_answers_while_slow_clients_and_a_pdf_flood_go_on(tmp_path):
    """The smaller version of `make bench`'s abuse scenario: outcomes, not speed."""
    with served(tmp_path, "--workers", "2") as (port, _proc, _log):
        report = run_abuse(port, trickle=12, slow_bodies=6, pdfs=8, seconds=6, use_wrk=False)
    assert report.crisis_requests >= 5
    assert report.crisis_failures == 0
    # Every PDF request got a PDF, or a 503 that says when to come back.
    assert set(report.pdf_statuses) <= {"200", "503"}, report.pdf_statuses
    assert report.pdf_statuses.get("200", 0) >= 1
    assert report.pdf_503_without_retry_after == 0
    assert report.pdf_other == []


def raw_exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        with suppress(OSError):
            s.sendall(data)
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except OSError:
            pass
    return out


@pytest.mark.slow
def test_framing_errors_and_oversized_chunked_bodies_over_the_wire(tmp_path):
    form = (
        b"POST /en/check/burnout-self-check/questions HTTP/1.1\r\nHost: x\r\n"
        b"Transfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Sec-Fetch-Site: same-origin\r\nConnection: close\r\n\r\n"
    )
    big = b"a=" + b"x" * 100_000
    with served(tmp_path, "--workers", "1") as (port, _proc, log):
        too_big = raw_exchange(port, form + b"%x\r\n%s\r\n0\r\n\r\n" % (len(big), big))
        broken = raw_exchange(port, form + b"zz\r\nabc\r\n0\r\n\r\n")
        garbage = raw_exchange(port, b"GARBAGE\r\n\r\n")
        time.sleep(0.5)
        text = log.read_text()
    assert too_big.startswith(b"HTTP/1.1 413")
    assert broken.startswith(b"HTTP/1.1 400")
    assert garbage.startswith(b"HTTP/1.1 400")
    # gunicorn logged the invalid request, without the client's address.
    assert "Invalid request" in text
    assert "[address removed]" in text
    assert "127.0.0.1" not in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Invalid request from ip=127.0.0.1: bad", "ip=[address removed]: bad"),
        ("Invalid request from ip=::1: bad", "ip=[address removed]: bad"),
        ("peer ::ffff:10.1.2.3 closed", "peer [address removed] closed"),
        ("from 10.0.0.1.", "from [address removed]."),
        ("('2001:db8::1', 443)", "('[address removed]', 443)"),
        ("fe80::1%eth0 gone", "[address removed] gone"),
        ("Listening at: http://127.0.0.1:8000 (12)", "http://[address removed]:8000 (12)"),
        ("at 12:30:05 on 2026-11-23", "at 12:30:05 on 2026-11-23"),
        ("version 1.2.3.4.5", "version 1.2.3.4.5"),
    ],
)
def test_log_lines_lose_every_ip_address(line, expected):
    from burnout_app.serving import scrub_addresses

    assert expected in scrub_addresses(line)


def test_the_apps_unhandled_errors_reach_the_scrubbed_error_log_with_their_traceback(tmp_path):
    """gunicorn's error log, as `serve` sets it up, also writes the app's own records."""
    import logging

    from gunicorn.config import Config

    from burnout_app.app import create_app
    from burnout_app.serving import PrivateLogger

    app_log = logging.getLogger("burnout_app")
    saved = (app_log.handlers[:], app_log.level, app_log.propagate)
    path = tmp_path / "error.log"
    cfg = Config()
    cfg.set("errorlog", str(path))
    cfg.set("loglevel", "warning")
    logger = PrivateLogger(cfg)
    try:
        app = create_app({"SECRET_KEY": "errors"})

        def broken():
            raise RuntimeError("no route to 10.1.2.3")

        app.add_url_rule("/en/broken", view_func=broken)
        response = app.test_client().get("/en/broken")
        assert response.status_code == 500
        assert "Sorry, something went wrong on our side" in response.get_data(as_text=True)
    finally:
        for handler in logger.error_log.handlers:
            handler.close()
        logger.error_log.handlers.clear()
        app_log.handlers, app_log.level, app_log.propagate = saved
    text = path.read_text()
    assert "[ERROR] Unhandled RuntimeError on GET /en/broken" in text
    assert "Traceback (most recent call last)" in text and "in broken" in text
    assert "RuntimeError: no route to [address removed]" in text
    assert "10.1.2.3" not in text
