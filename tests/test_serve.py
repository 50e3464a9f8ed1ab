"""`burnout-app serve` runs a real multi-process server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_runs_gunicorn_with_workers(tmp_path):
    port = free_port()
    exe = Path(sys.executable).parent / "burnout-app"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BURNOUT_")}
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        banner = proc.stdout.readline()
        assert f"http://localhost:{port}/" in banner
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        # Several requests may land on different workers: their tokens must agree,
        # which they only do when all workers share one secret key.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5) as r:
            assert r.headers.get("Set-Cookie") is None
            assert "Burnout self-check" in r.read().decode()
        deadline = time.monotonic() + 20
        children: list[str] = []
        while len(children) < 2 and time.monotonic() < deadline:
            children = subprocess.run(
                ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
            ).stdout.split()
            time.sleep(0.2)
        assert len(children) == 2
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
