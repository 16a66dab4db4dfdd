"""What every request may need: the store, the settings, the signed-in user.

The app keeps one Database and one Settings (created by flyt.web.app.create_app);
pages take them with FastAPI's Depends. Who is signed in is flyt.web.auth's business:
`current_user` is the one dependency pages use, so a page never reads the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

# Who the user is and the roles are the accounts area's; the pages take them from here.
from flyt.accounts import ROLES, User
from flyt.config import Settings
from flyt.store.db import Database

__all__ = ["ROLES", "AppSettings", "CurrentUser", "DataKeeper", "Db", "SignInRequired", "User",
           "client_ip", "current_user", "get_db", "get_settings", "require_role"]


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def current_user(request: Request) -> User:
    """The signed-in user (set on request.state by the session middleware of
    flyt.web.auth), or 401: pages are for signed-in users only."""
    user = getattr(request.state, "user", None)
    if user is None:
        raise SignInRequired(status.HTTP_401_UNAUTHORIZED, "sign in first")
    return user


class SignInRequired(HTTPException):
    """Not signed in: HTML pages redirect to /login, JSON and the API answer 401
    (the handler is in flyt.web.auth)."""


def require_role(*roles: str) -> Callable[[Request], User]:
    """A dependency for pages and actions open to some roles only (403 for others):
    `def page(user: Annotated[User, Depends(require_role("admin", "analyst"))])`."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def dependency(request: Request) -> User:
        user = current_user(request)
        if user.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "not for your role")
        return user

    return dependency


# Parameter types for pages: `def page(user: CurrentUser, db: Db, settings: AppSettings)`.
CurrentUser = Annotated[User, Depends(current_user)]
Db = Annotated[Database, Depends(get_db)]
AppSettings = Annotated[Settings, Depends(get_settings)]
# Imports and the data page: the hospital's analysts and administrators.
DataKeeper = Annotated[User, Depends(require_role("admin", "analyst"))]


def client_ip(request: Request) -> str:
    """The client's address, for the audit log and the sign-in limits: the socket peer,
    or what a proxy listed in `[web] trusted_proxies` says in X-Forwarded-For
    (flyt.web.app applies it)."""
    return request.client.host if request.client else "unknown"
