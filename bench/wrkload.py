"""Load with wrk, a C load generator, so the client doesn't share the CPU budget unfairly.

Every request picks one of many bodies at random (a Lua script carries them), so
no cache sees the same request twice in a row. Bounded: wrk stops at its duration.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPT = """
local bodies = {%(bodies)s}
local method = "%(method)s"
local path = "%(path)s"
local headers = {%(headers)s}
local counter = 0

request = function()
  counter = counter + 1
  if #bodies == 0 then
    return wrk.format(method, path, headers)
  end
  return wrk.format(method, path, headers, bodies[math.random(#bodies)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("REQUESTS %%d\\n", summary.requests))
  io.write(string.format("SECONDS %%.6f\\n", summary.duration / 1e6))
  io.write(string.format("P50_MS %%.3f\\n", latency:percentile(50) / 1000))
  io.write(string.format("P99_MS %%.3f\\n", latency:percentile(99) / 1000))
  io.write(string.format("FAILURES %%d\\n", e.connect + e.read + e.write + e.timeout + e.status))
end
"""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failures: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(data: bytes | str) -> str:
    text = data.decode() if isinstance(data, bytes) else data
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def run_wrk(
    port: int,
    path: str,
    bodies: list[bytes] | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    seconds: float = 8,
    connections: int = 16,
    threads: int = 2,
) -> WrkResult:
    """Run wrk against 127.0.0.1:port and read its figures back."""
    lua = SCRIPT % {
        "bodies": ", ".join(_lua_string(b) for b in bodies or []),
        "method": method,
        "path": path,
        "headers": ", ".join(
            f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in (headers or {}).items()
        ),
    }
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "load.lua"
        script.write_text(lua)
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    figures = dict(re.findall(r"^([A-Z0-9_]+) ([0-9.]+)$", out, re.M))
    return WrkResult(
        requests=int(figures["REQUESTS"]),
        seconds=float(figures["SECONDS"]),
        p50_ms=float(figures["P50_MS"]),
        p99_ms=float(figures["P99_MS"]),
        failures=int(figures["FAILURES"]),
    )
