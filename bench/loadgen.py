"""A small closed-loop HTTP load generator for loopback benchmarks.

Bounded in count and time: each worker stops at its deadline.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p99_ms(self) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def run_load(
    port: int,
    path: str,
    body: bytes | list[bytes],
    headers: dict[str, str],
    seconds: float = 8.0,
    concurrency: int = 4,
    max_requests: int = 200_000,
    method: str = "POST",
) -> LoadResult:
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"ok": 0, "err": 0}
    deadline = time.monotonic() + seconds

    bodies = body if isinstance(body, list) else [body]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local: list[float] = []
        ok = err = 0
        n = 0
        while time.monotonic() < deadline and ok + err < max_requests // concurrency:
            start = time.perf_counter()
            n += 1
            try:
                body_now = bodies[n % len(bodies)] if method == "POST" else None
                conn.request(method, path, body=body_now, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                else:
                    err += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                err += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            local.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(local)
            counts["ok"] += ok
            counts["err"] += err

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return LoadResult(counts["ok"], counts["err"], time.monotonic() - began, latencies)
