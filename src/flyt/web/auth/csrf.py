"""CSRF protection for every unsafe request (POST, PUT, PATCH, DELETE), whatever page
it is for: the form field `csrf_token` or the header `X-CSRF-Token` must equal the
session's token (`request.state.csrf_token`, given to every template), else 403.

A middleware rather than a dependency, so that every form gets it without asking,
including file uploads. The body is read here to find the token and then handed on
unchanged; multipart bodies are streamed through a spooled file (large uploads go to
disk, not memory) while python-multipart picks out the one small field.
"""

from __future__ import annotations

import hmac
import tempfile
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flyt.web.auth.bearer import STATE_FLAG as BEARER_FLAG

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FIELD = "csrf_token"
HEADER = b"x-csrf-token"
MAX_FORM = 1024 * 1024  # an url-encoded form bigger than this is not one of ours
SPOOL_IN_MEMORY = 1024 * 1024


class CSRFMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A request that came with a bearer token (flyt.web.auth.bearer) has no cookie to
        # be abused: nothing to check.
        if (scope["type"] != "http" or scope["method"] in SAFE_METHODS
                or scope.get("state", {}).get(BEARER_FLAG)):
            await self.app(scope, receive, send)
            return
        expected = str(scope.get("state", {}).get("csrf_token") or "")
        headers = dict(scope["headers"])
        if HEADER in headers:
            ok = _same(headers[HEADER].decode("latin-1"), expected)
            await (self.app(scope, receive, send) if ok else _forbid(scope, receive, send))
            return
        content_type, options = parse_options_header(headers.get(b"content-type", b""))
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as body:
            if content_type == b"application/x-www-form-urlencoded":
                token = await _form_token(receive, body)
            elif content_type == b"multipart/form-data" and options.get(b"boundary"):
                token = await _multipart_token(receive, body, options[b"boundary"])
            else:
                token = None
            if token is None or not _same(token, expected):
                await _forbid(scope, receive, send)
                return
            body.seek(0)
            await self.app(scope, _replay(body, receive), send)


def _same(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


async def _chunks(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def _form_token(receive: Receive, body: Any) -> str | None:
    size = 0
    async for chunk in _chunks(receive):
        size += len(chunk)
        if size > MAX_FORM:
            return None
        body.write(chunk)
    body.seek(0)
    values = parse_qs(body.read().decode("latin-1"), keep_blank_values=True).get(FIELD)
    return values[0] if values else None


async def _multipart_token(receive: Receive, body: Any, boundary: bytes) -> str | None:
    """Stream the body into `body` and return the value of the csrf_token field."""
    found: dict[str, bytes] = {}
    part: dict[str, Any] = {}

    def on_part_begin() -> None:
        part.clear()
        part.update(header=b"", field=b"", value=b"", name=None)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        part["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        part["header"] += data[start:end]

    def on_header_end() -> None:
        if part["field"].lower() == b"content-disposition":
            _, params = parse_options_header(part["header"])
            part["name"] = params.get(b"name")
        part["field"], part["header"] = b"", b""

    def on_part_data(data: bytes, start: int, end: int) -> None:
        # Only the token's bytes are kept, and only a token's worth of them.
        if part.get("name") == FIELD.encode() and len(part["value"]) < 256:
            part["value"] += data[start:end]

    def on_part_end() -> None:
        if part.get("name") == FIELD.encode() and FIELD not in found:
            found[FIELD] = part["value"]

    parser = MultipartParser(boundary, {  # type: ignore[arg-type]
        "on_part_begin": on_part_begin, "on_header_field": on_header_field,
        "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_part_data": on_part_data, "on_part_end": on_part_end})
    try:
        async for chunk in _chunks(receive):
            body.write(chunk)
            parser.write(chunk)
    except Exception:  # a malformed body: no token; the caller answers 403
        return None
    token = found.get(FIELD)
    return token.decode("latin-1") if token is not None else None


def _replay(body: Any, receive: Receive) -> Receive:
    """The body as it arrived, in chunks, then whatever the client sends next
    (a disconnect)."""
    done = False

    async def replay() -> Message:
        nonlocal done
        if done:
            return await receive()
        chunk = body.read(64 * 1024)
        more = bool(chunk) and body.tell() < _size(body)
        if not more:
            done = True
        return {"type": "http.request", "body": chunk, "more_body": more}

    return replay


def _size(body: Any) -> int:
    here = body.tell()
    body.seek(0, 2)
    end = body.tell()
    body.seek(here)
    return end


async def _forbid(scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse("CSRF token missing or wrong: reload the page and try again.",
                                 status_code=403)
    await response(scope, receive, send)

