"""Production serving: gunicorn's gevent workers, PDFs rendered off the event loop.

Why this shape (README, "Deploying"):
- Slow clients. A sync worker is held by one connection until its headers and body
  have arrived, so a few clients that trickle bytes take the site down. A gevent
  worker holds each connection in a greenlet that costs almost nothing while it
  waits, so thousands of slow or idle connections don't block anyone else.
- CPU-bound PDFs. A render takes a few hundred milliseconds of pure CPU. Done on
  the event loop it would stall every connection of that worker, so it runs in
  a native thread (`pdf.render_pdf`) and at most `BURNOUT_PDF_CONCURRENCY` at once
  per worker: the next one gets 503 with `Retry-After` straight away.
- Privacy. No access log, and the error log passes through `PrivateLogger`, which
  removes IP addresses from every line gunicorn writes.

`serve` validates the content once (bad content stops start-up here with its
lines), then replaces itself with gunicorn, which imports the app in each worker
after gevent has patched the standard library. Windows has no gunicorn: waitress
(which buffers whole requests before a thread sees them) serves there.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import secrets
import sys


def ensure_secret_key() -> None:
    """All workers must share one key, so make it before they start."""
    if not os.environ.get("BURNOUT_SECRET_KEY"):
        os.environ["BURNOUT_SECRET_KEY"] = secrets.token_hex(32)


def gunicorn_available() -> bool:
    if sys.platform == "win32":
        return False
    try:
        import gevent  # noqa: F401
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def gunicorn_argv(
    host: str, port: int, workers: int, connections: int = 1000, timeout: int = 60
) -> list[str]:
    """The gunicorn command line `serve` runs."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "burnout_app.serving.GeventWorker",
        "--worker-connections",
        str(connections),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "10",
        "--keep-alive",
        "5",
        # No access log: it would hold people's IP addresses. Errors go to stderr, scrubbed.
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
        "--logger-class",
        "burnout_app.serving.PrivateLogger",
        "--limit-request-line",
        "4094",
        "--limit-request-fields",
        "60",
        "--name",
        "burnout-app",
        "burnout_app.app:create_app()",
    ]


def serve(host: str, port: int, workers: int, connections: int = 1000) -> None:
    """Run the app until stopped. Builds it once first so bad content stops start-up here."""
    from .app import create_app

    ensure_secret_key()
    app = create_app()
    if gunicorn_available():
        sys.stdout.flush()
        sys.stderr.flush()
        argv = gunicorn_argv(host, port, workers, connections)
        os.execv(argv[0], argv)
    else:  # pragma: no cover - Windows
        from waitress import serve as waitress_serve

        waitress_serve(app, host=host, port=port, threads=max(4, workers * 2))


# An IPv4 address, or a run of hex digits and colons that may be an IPv6 one (with an
# IPv4 tail, as dual-stack servers show IPv4 clients: ::ffff:10.1.2.3).
_ADDRESS = re.compile(
    r"(?<![\w.:])(?:"
    r"(?:[0-9A-Fa-f]{0,4}:){2,6}\d{1,3}(?:\.\d{1,3}){3}"  # IPv6 with an IPv4 tail
    r"|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){1,7}(?:%\w+)?"  # IPv6
    r"|\d{1,3}(?:\.\d{1,3}){3}"  # IPv4
    r")(?!\w|\.\d)"
)


def scrub_addresses(text: str) -> str:
    """Replace every IP address in a log line with ``[address removed]``."""

    def replace(match: re.Match) -> str:
        found = match.group(0)
        # Punctuation may follow an address ("ip=::1: error", "from 10.0.0.1."): try
        # shorter and shorter heads until one is an address.
        for end in range(len(found), 0, -1):
            try:
                ipaddress.ip_address(found[:end].split("%")[0])
            except ValueError:
                continue
            return "[address removed]" + found[end:]
        return found  # a time like 12:30:05, not an address

    return _ADDRESS.sub(replace, text)


class _ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub_addresses(record.getMessage())
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_addresses(record.exc_text)
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - Windows
    _GunicornLogger = object  # type: ignore[assignment,misc]


try:
    from gunicorn.workers.ggevent import GeventWorker as _GunicornGeventWorker
except ImportError:  # pragma: no cover - Windows, or gevent missing
    _GunicornGeventWorker = object  # type: ignore[assignment,misc]


class GeventWorker(_GunicornGeventWorker):  # type: ignore[misc,valid-type]
    """gunicorn's gevent worker, with native thread primitives left in place.

    PDFs render in native threads. Code that runs there (WeasyPrint's cffi
    bindings take a lock the first time they look up a C function) must get real
    locks: a gevent lock taken in a native thread deadlocks the render, as a
    flood of PDF downloads showed. Requests don't use thread primitives, so
    greenlets lose nothing; sockets, time, select and the rest are patched as usual.
    """

    def patch(self) -> None:
        from gevent import monkey
        from gevent import socket as gevent_socket

        monkey.patch_all(thread=False)
        self.sockets = [
            gevent_socket.socket(s.FAMILY, gevent_socket.SOCK_STREAM, fileno=s.sock.detach())
            for s in self.sockets
        ]


class PrivateLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's logger, with IP addresses removed from every line it writes.

    The app's own records (an unhandled error and its traceback) are written by the
    same error log, so they are timestamped and scrubbed like gunicorn's.
    """

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in (*self.error_log.handlers, *self.access_log.handlers):
            handler.addFilter(_ScrubFilter())
        app_log = logging.getLogger(__name__.partition(".")[0])
        app_log.handlers = list(self.error_log.handlers)
        app_log.setLevel(self.error_log.level)
        app_log.propagate = False
