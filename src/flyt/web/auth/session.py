"""Who is signed in: the signed session cookie and `request.state.user`.

The cookie is Starlette's SessionMiddleware, signed with itsdangerous; what it holds and
when it ends is the accounts area's (flyt.accounts.sessions). Every request checks it
against the user in the store; a renewed `seen` re-signs the cookie.

The clock is `app.state.clock` (time.time), so that tests can move it.
"""

from __future__ import annotations

from typing import Any

import anyio
from starlette.datastructures import State
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from flyt.accounts import User, sessions, users
from flyt.web.auth import bearer
from flyt.web.auth.settings import WebSettings

# Paths that never need a user: static files are public and need no database query.
_NO_USER = ("/static/",)


class AuthMiddleware:
    """Puts `state.user` (a flyt.accounts.User or None) and `state.csrf_token` on every
    request. Runs inside SessionMiddleware, which provides `scope["session"]`.
    `app_state` is the web application's state: its db, web_settings and clock."""

    def __init__(self, app: ASGIApp, app_state: State) -> None:
        self.app = app
        self.app_state = app_state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = bearer.bearer_token(scope)
        if token is not None:  # an API request with a token: the token alone decides
            await bearer.authenticate(self.app, self.app_state, token, scope, receive, send)
            return
        session: dict[str, Any] = scope["session"]
        if "csrf" not in session:
            session["csrf"] = sessions.new_token()
        state = scope.setdefault("state", {})
        state["csrf_token"] = session["csrf"]
        state["user"] = None
        if session.get("uid") is not None and not scope["path"].startswith(_NO_USER):
            state["user"] = await anyio.to_thread.run_sync(self._user, session)
        await self.app(scope, receive, send)

    def _user(self, session: dict[str, Any]) -> User | None:
        settings: WebSettings = self.app_state.web_settings
        return sessions.user_of(self.app_state.db, session, float(self.app_state.clock()),
                                session_hours=settings.session_hours,
                                max_session_hours=settings.max_session_hours)


def sign_in(request: Request, record: users.UserRecord) -> None:
    """Start a fresh session for the user of `record` (a new CSRF token)."""
    sessions.start(request.session, record, request.app.state.clock())
    request.state.user = record.as_user()
    request.state.csrf_token = request.session["csrf"]
