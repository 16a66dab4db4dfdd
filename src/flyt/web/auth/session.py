"""Who is signed in: the signed session cookie and `request.state.user`.

The cookie (Starlette's SessionMiddleware, signed with itsdangerous) holds the user's id,
name and session generation, when they signed in (`since`), when they were last seen
(`seen`) and the CSRF token; nothing else. Every request checks it against the user in
the store (users.known, remembered for KNOWN_SECONDS):

* a disabled user, or a cookie with an older `session_generation` (sign-out, new
  password, disable, enable, new role: users.py), is signed out;
* `session_hours` after `seen` the session is over (idle), `max_session_hours` after
  `since` in any case. `seen` is renewed, and with it the cookie re-signed, at most once
  a minute (REFRESH_SECONDS): an active session lives on, a copied idle one dies.

The clock is `app.state.clock` (time.time), so that tests can move it.
"""

from __future__ import annotations

import secrets
from typing import Any

import anyio
from starlette.datastructures import State
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from flyt.web.auth import users
from flyt.web.auth.settings import WebSettings
from flyt.web.deps import User

# Paths that never need a user: static files are public and need no database query.
_NO_USER = ("/static/",)
# `seen` is renewed (and the cookie re-signed) at most this often: not a new cookie on
# every answer, and concurrent requests rarely race to write it.
REFRESH_SECONDS = 60


def new_token() -> str:
    return secrets.token_urlsafe(32)


class AuthMiddleware:
    """Puts `state.user` (a flyt.web.deps.User or None) and `state.csrf_token` on every
    request. Runs inside SessionMiddleware, which provides `scope["session"]`.
    `app_state` is the web application's state: its db, web_settings and clock."""

    def __init__(self, app: ASGIApp, app_state: State) -> None:
        self.app = app
        self.app_state = app_state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session: dict[str, Any] = scope["session"]
        if "csrf" not in session:
            session["csrf"] = new_token()
        state = scope.setdefault("state", {})
        state["csrf_token"] = session["csrf"]
        state["user"] = None
        if session.get("uid") is not None and not scope["path"].startswith(_NO_USER):
            state["user"] = await anyio.to_thread.run_sync(self._user, session)
        await self.app(scope, receive, send)

    def _user(self, session: dict[str, Any]) -> User | None:
        settings: WebSettings = self.app_state.web_settings
        now = float(self.app_state.clock())
        since = float(session.get("since", 0))
        seen = float(session.get("seen", since))
        if (now - since > settings.max_session_hours * 3600
                or now - seen > settings.session_hours * 3600):
            sign_out_session(session)
            return None
        record = users.known(self.app_state.db, str(session.get("name", "")))
        # The id guards against a deleted user's name being given to someone else.
        if (record is None or record.disabled or record.id != session.get("uid")
                or record.session_generation != session.get("gen")):
            sign_out_session(session)
            return None
        if now - seen >= REFRESH_SECONDS:
            session["seen"] = int(now)  # a change: SessionMiddleware re-signs the cookie
        return record.as_user()


def sign_in(request: Request, record: users.UserRecord) -> None:
    """Start a fresh session: a new CSRF token, so a token seen before signing in (a
    fixed or leaked one) is worthless after."""
    session = request.session
    session.clear()
    now = int(request.app.state.clock())
    session.update({"uid": record.id, "name": record.name, "gen": record.session_generation,
                    "since": now, "seen": now, "csrf": new_token()})
    request.state.user = record.as_user()
    request.state.csrf_token = session["csrf"]
def sign_out_session(session: dict[str, Any]) -> None:
    session.clear()
    session["csrf"] = new_token()
