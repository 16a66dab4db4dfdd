"""/login (form and sign-in with a local password) and /logout.

CSRF is checked by flyt.web.auth.csrf for these forms like for every other.
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from flyt import i18n
from flyt.accounts import audit, passwords, sessions, users
from flyt.store.db import Database
from flyt.web.auth import fields, session
from flyt.web.auth.ratelimit import SignInLimiter
from flyt.web.deps import Db, client_ip
from flyt.web.render import language, render_page

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only paths on this site: no open redirect to `//evil.example` or `https://…`."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or len(target) > fields.LIMITS["next"][0]):
        return "/"
    return target


def login_form(request: Request, next_path: str, error: str | None = None,
               status_code: int = 200, message: str | None = None) -> HTMLResponse:
    """The sign-in form, with `error` (an i18n key) or `message` (a sentence in the
    user's language) above it."""
    oidc = request.app.state.web_settings.oidc
    if message is None and error:
        message = i18n.t(error, language(request))
    response = render_page(request, "login.html.j2",
                           {"next": safe_next(next_path), "error": message,
                            "oidc_label": oidc.label if oidc else None}, title="sign_in")
    response.status_code = status_code
    return response


@router.get("/login", response_class=HTMLResponse, name="login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return login_form(request, next)


@router.post("/login", name="login_submit")
async def login(request: Request, db: Db, name: Annotated[str, Form()],
                password: Annotated[str, Form()],
                next: Annotated[str, Form()] = "/") -> Response:
    too_long = fields.too_long(language(request), name=name, password=password, next=next)
    if too_long:
        return login_form(request, "/", message=too_long, status_code=422)
    limiter: SignInLimiter = request.app.state.login_limiter
    ip = client_ip(request)
    # A name under attack is slowed for everyone, never locked (ratelimit.py).
    wait = limiter.delay(name)
    if not limiter.attempt(name, ip):
        await run_in_threadpool(audit.record_as, db, None, "sign_in.blocked", name, ip=ip)
        return login_form(request, next, error="sign_in_blocked", status_code=429)
    checking = False
    try:
        if wait:  # the wait holds no worker thread
            await anyio.sleep(wait)
        checking = True  # from here _check_password tells the limiter how it ended
        return await run_in_threadpool(_check_password, request, db, limiter, name,
                                       password, next, ip)
    finally:
        if not checking:  # cancelled while waiting: a failed attempt
            limiter.finished(name, ip, right=False)


def _check_password(request: Request, db: Database, limiter: SignInLimiter, name: str,
                    password: str, next_path: str, ip: str) -> Response:
    right = False
    try:
        record = users.get(db, name.strip())
        # Unknown users are verified against a dummy hash: the time of a wrong password.
        valid = passwords.verify(record.password_hash if record else None, password)
        right = record is not None and valid and not record.disabled
    finally:
        limiter.finished(name, ip, right=right)
    if not right:
        reason = "disabled" if record and record.disabled and valid else "wrong name or password"
        audit.record_as(db, None, "sign_in.failed", name, reason, ip=ip)
        return login_form(request, next_path, error="sign_in_failed", status_code=401)
    assert record is not None  # `right` says so
    if record.password_hash and passwords.needs_rehash(record.password_hash):
        users.rehash(db, record.name, password)
    session.sign_in(request, record)
    audit.record_as(db, record.name, "sign_in.ok", record.name, "password", ip=ip)
    return RedirectResponse(safe_next(next_path), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request, db: Db) -> Response:
    user = getattr(request.state, "user", None)
    if user is not None:
        # Every session of the user ends, copies of this cookie included.
        users.end_sessions(db, user.name)
        audit.record(db, user, "sign_out", user.name, ip=client_ip(request))
    sessions.end(request.session)
    return RedirectResponse("/login", status_code=303)
