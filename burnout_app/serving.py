"""Production serving: gunicorn with several worker processes, waitress where it cannot run."""

from __future__ import annotations

import os
import secrets
import sys
from typing import Any


def ensure_secret_key() -> None:
    """All workers must share one key, so make it before they start."""
    if not os.environ.get("BURNOUT_SECRET_KEY"):
        os.environ["BURNOUT_SECRET_KEY"] = secrets.token_hex(32)


def gunicorn_available() -> bool:
    if sys.platform == "win32":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def serve(host: str, port: int, workers: int, threads: int = 1, timeout: int = 60) -> None:
    """Run the app until stopped. Builds it once first so bad content stops start-up here."""
    from .app import create_app

    ensure_secret_key()
    app = create_app()
    if gunicorn_available():
        _serve_gunicorn(app, host, port, workers, threads, timeout)
    else:  # pragma: no cover - Windows
        from waitress import serve as waitress_serve

        waitress_serve(app, host=host, port=port, threads=max(4, workers * threads))


def _serve_gunicorn(app, host: str, port: int, workers: int, threads: int, timeout: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "timeout": timeout,
                # No access log: it would hold people's IP addresses. Errors still go to stderr.
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "preload_app": True,
                "proc_name": "burnout-app",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    Server().run()
