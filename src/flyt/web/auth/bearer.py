"""Bearer tokens for the JSON API: a request to a path under /api/ with
`Authorization: Bearer <token>` acts as the token's user (flyt.accounts.tokens).

* Only under /api/: anywhere else the header is ignored (the session decides, as always).
* The token alone decides: a cookie sent along is not read, and a bad, revoked or
  disabled user's token is 401 (JSON, `WWW-Authenticate: Bearer`), never a fall-back to
  the session.
* No CSRF token is asked of such a request (`state.bearer`, flyt.web.auth.csrf): a
  browser does not add an Authorization header by itself, so another site cannot make
  one; a cookie-session request to /api keeps every CSRF rule.
* A refused token is audited (`token.refused`: its public prefix and the address).
* Failed tokens are limited like sign-ins (ratelimit.py; a limiter of their own, so a
  broken client does not stop people signing in from its address): 429.

Errors are in English, or Norwegian with `?lang=nb` or `Accept-Language: nb`
(`api_language`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import anyio
from starlette.datastructures import Headers, State
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from flyt import i18n
from flyt.accounts import audit, tokens
from flyt.web.auth.ratelimit import SignInLimiter

API_PREFIX = "/api/"
STATE_FLAG = "bearer"  # on request.state: the user came with a token
MAX_TOKEN = 200  # longer than any token: not looked at
# Norwegian in Accept-Language: bokmål, and Norwegian or nynorsk (we have bokmål).
_NORWEGIAN = ("nb", "no", "nn")


def api_language(scope: Scope) -> str:
    """The language of the API's messages: `?lang=`, else the first of ours the client
    accepts (Accept-Language: nb, no and nn are Norwegian), else English."""
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang")
    if asked and asked[0] in i18n.LANGS:
        return asked[0]
    wanted: list[tuple[float, int, str]] = []
    header = Headers(scope=scope).get("accept-language", "")[:500]
    for place, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        try:
            weight = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            continue
        base = tag.strip().lower().split("-")[0]
        lang = "nb" if base in _NORWEGIAN else base
        if lang in i18n.LANGS and weight > 0:
            wanted.append((-weight, place, lang))
    return min(wanted)[2] if wanted else "en"


def bearer_token(scope: Scope) -> str | None:
    """The token of an /api/ request that brings one ("" for an empty one); None for
    any other request."""
    if not scope["path"].startswith(API_PREFIX):
        return None
    header = Headers(scope=scope).get("authorization")
    if header is None:
        return None
    scheme, _, credentials = header.strip().partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def unauthorized(message: str, *, error: str | None = None) -> JSONResponse:
    """401 with the API's error body and the challenge RFC 6750 asks for."""
    challenge = f'Bearer realm="flyt", error="{error}"' if error else 'Bearer realm="flyt"'
    return JSONResponse({"detail": message}, status_code=401,
                        headers={"WWW-Authenticate": challenge})


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


async def authenticate(app: ASGIApp, app_state: State, token: str, scope: Scope,
                       receive: Receive, send: Send) -> None:
    """Answer the request as the token's user, or 401/429 without going further."""
    lang = api_language(scope)
    limiter: SignInLimiter = app_state.token_limiter
    ip = _client(scope)
    # The limits count per token prefix (public) and address; the secret is never kept.
    name = token[:13] if token.startswith("flyt_") else "bearer"
    if not limiter.attempt(name, ip):
        await JSONResponse({"detail": i18n.t("api_token_blocked", lang)}, status_code=429,
                           headers={"Retry-After": "60"})(scope, receive, send)
        return
    user = None
    try:
        if len(token) <= MAX_TOKEN:
            user = await anyio.to_thread.run_sync(tokens.verify, app_state.db, token)
    finally:
        limiter.finished(name, ip, right=user is not None)
    if user is None:
        # On record like a failed sign-in: the prefix (public) and the address, never
        # the rest of what was sent.
        await anyio.to_thread.run_sync(lambda: audit.record_as(
            app_state.db, None, "token.refused", name, ip=ip))
        await unauthorized(i18n.t("api_token_refused", lang), error="invalid_token")(
            scope, receive, send)
        return
    state: dict[str, Any] = scope.setdefault("state", {})
    state["user"] = user
    state["csrf_token"] = ""
    state[STATE_FLAG] = True
    await app(scope, receive, send)
