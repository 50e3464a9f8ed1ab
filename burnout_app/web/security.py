"""Form protection without cookies, and the security headers on every response.

A question page carries a signed, time-limited token in a hidden field instead
of a session. A post is also refused when the browser says it came from another
site (``Sec-Fetch-Site``) or names another ``Origin``. Because every page sends
``Referrer-Policy: no-referrer``, browsers send ``Origin: null`` on our own form
posts, so ``null`` is accepted and ``Sec-Fetch-Site`` does the real work.
"""

from __future__ import annotations

import enum
import io
import time
from functools import cache

from flask import Flask, Response, current_app, g, request
from flask.sessions import NullSession, SessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import BadHost, BadRequest, Forbidden, RequestEntityTooLarge

from ..i18n import gettext

_SALT = "burnout-app.form-token.v1"


class TokenState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def make_token(questionnaire_id: str) -> str:
    """A token for the forms of one questionnaire: its id and a signed timestamp.

    Signing and checking a token cost about 10 µs each here. Remembering tokens
    (one per second, or each verified signature) saved some 20 µs of a results POST,
    far below what `make bench` can tell apart, so nothing is remembered.
    """
    return _serializer().dumps({"q": questionnaire_id})


def check_token(token: str | None, questionnaire_id: str) -> TokenState:
    """VALID or EXPIRED; a missing, tampered or foreign token is a 400."""
    if not token:
        raise BadRequest(gettext("The form was sent without its security token."))
    max_age = current_app.config["FORM_TOKEN_MAX_AGE"]
    try:
        payload, signed_at = _serializer().loads(token, return_timestamp=True)
    except BadSignature:
        raise BadRequest(gettext("The form's security token is not valid.")) from None
    if not isinstance(payload, dict) or payload.get("q") != questionnaire_id:
        raise BadRequest(gettext("The form's security token is not valid."))
    # The same rule as itsdangerous's max_age: expired once older than max_age seconds.
    if time.time() - signed_at.timestamp() > max_age:
        return TokenState.EXPIRED
    return TokenState.VALID


def check_origin() -> None:
    """Refuse a post that the browser says came from another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in {"same-origin", "none"}:
        raise Forbidden(gettext("This form can only be sent from this site."))
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        own = f"{request.scheme}://{request.host}"
        trusted = {
            o.strip().rstrip("/")
            for o in current_app.config["TRUSTED_ORIGINS"].split(",")
            if o.strip()
        }
        if origin.rstrip("/") != own and origin.rstrip("/") not in trusted:
            raise Forbidden(gettext("This form can only be sent from this site."))


@cache
def content_security_policy(frame_ancestors: str = "'self'") -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            # app.js posts the question pages itself, so Back and Forward need no resubmission.
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


def _set_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        content_security_policy(getattr(g, "frame_ancestors", "'self'")),
    )
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
    )
    if getattr(g, "no_store", False) or request.method == "POST":
        # Anything built from answers must not be kept by the browser or a proxy.
        headers["Cache-Control"] = "no-store"
    elif "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-cache"
    if current_app.config["HSTS"]:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    # The anonymous path sets no cookie, whatever an extension might try.
    headers.remove("Set-Cookie")
    return response


class NoSessionInterface(SessionInterface):
    """No session, no cookie: any attempt to write to ``session`` fails loudly."""

    def open_session(self, app: Flask, request) -> NullSession:
        return NullSession()

    def save_session(self, app: Flask, session, response: Response) -> None:
        return None


_BODY_ERROR = "burnout.body_error"


class BoundedBody:
    """WSGI middleware: a Host the router can parse, and a chunked body read up front.

    Werkzeug enforces ``MAX_CONTENT_LENGTH`` against ``Content-Length``; a chunked
    body has none, and would be cut off silently at the limit. Here it is read
    whole (bodies are small: a few kilobytes of answers), so one too large gets
    413 and one whose framing is broken gets 400, through the app's own error
    pages (problem+json under /api/).
    """

    def __init__(self, wsgi_app, limit: int, url_map) -> None:
        self.wsgi_app = wsgi_app
        self.limit = limit
        self.url_map = url_map

    def __call__(self, environ, start_response):
        try:
            self.url_map.bind_to_environ(environ)
        except BadHost:
            # Werkzeug can't route a request whose Host it can't parse, and then no page
            # (not even an error page) can build a link: answer before the app does.
            return _plain_bad_request(environ, start_response)
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            data = b""
            try:
                data = _read_at_most(environ["wsgi.input"], self.limit + 1)
            except Exception:  # the server's parser refused the framing
                environ[_BODY_ERROR] = 400
            if len(data) > self.limit:
                environ[_BODY_ERROR] = 413
                data = b""
            environ["wsgi.input"] = io.BytesIO(data)
            environ["CONTENT_LENGTH"] = str(len(data))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.pop("wsgi.input_terminated", None)
        return self.wsgi_app(environ, start_response)


def _plain_bad_request(environ, start_response):
    if environ.get("PATH_INFO", "").startswith("/api/"):
        body = b'{"type": "about:blank", "title": "Bad Request", "status": 400, '
        body += b'"detail": "the Host header is not a host name"}'
        kind = "application/problem+json"
    else:
        body, kind = b"Bad request: the Host header is not a host name.\n", "text/plain"
    start_response(
        "400 Bad Request",
        [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")],
    )
    return [body]


def _read_at_most(stream, size: int) -> bytes:
    chunks, total = [], 0
    while total < size:
        chunk = stream.read(min(65536, size - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _refuse_bad_body() -> None:
    code = request.environ.get(_BODY_ERROR)
    if code == 413:
        raise RequestEntityTooLarge()
    if code:
        raise BadRequest(gettext("The request's body was not sent correctly."))


def init_app(app: Flask) -> None:
    app.session_interface = NoSessionInterface()
    app.wsgi_app = BoundedBody(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"], app.url_map)
    app.before_request(_refuse_bad_body)
    app.after_request(_set_headers)
