"""Who is signed in: the signed session cookie and `request.state.user`.

The cookie (Starlette's SessionMiddleware, signed with itsdangerous) holds the user's id
and name, when they signed in and the CSRF token; nothing else. Every request looks the
user up again, so disabling a user or changing a role takes effect at once.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from flyt.store.db import Database
from flyt.web.auth import users
from flyt.web.deps import User

# Paths that never need a user: static files are public and need no database query.
_NO_USER = ("/static/",)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class AuthMiddleware:
    """Puts `state.user` (a flyt.web.deps.User or None) and `state.csrf_token` on every
    request. Runs inside SessionMiddleware, which provides `scope["session"]`."""

    def __init__(self, app: ASGIApp, db: Database, max_session_hours: float) -> None:
        self.app = app
        self.db = db
        self.max_age = max_session_hours * 3600

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
        if time.time() - float(session.get("since", 0)) > self.max_age:
            sign_out_session(session)
            return None
        record = users.known(self.db, str(session.get("name", "")))
        # The id guards against a deleted user's name being given to someone else.
        if record is None or record.disabled or record.id != session.get("uid"):
            sign_out_session(session)
            return None
        return record.as_user()


def sign_in(request: Request, record: users.UserRecord) -> None:
    """Start a fresh session: a new CSRF token, so a token seen before signing in (a
    fixed or leaked one) is worthless after."""
    session = request.session
    session.clear()
    session.update({"uid": record.id, "name": record.name, "since": int(time.time()),
                    "csrf": new_token()})
    request.state.user = record.as_user()
    request.state.csrf_token = session["csrf"]


def sign_out_session(session: dict[str, Any]) -> None:
    session.clear()
    session["csrf"] = new_token()
