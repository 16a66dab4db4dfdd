"""/admin/users (and .json): the administrators' user list, with forms to add a user
(with a role and the organisation they act for), set a password, disable and enable a
user — what `flyt user add|passwd|disable|enable` do, for an administrator without a
shell. Administrators only (403); every change is audited (by flyt.accounts.users, with
the administrator's name)."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from flyt import i18n
from flyt.accounts import passwords, users
from flyt.store import reference, schema
from flyt.store.db import Database
from flyt.web.auth import fields
from flyt.web.deps import ROLES, Db, User, require_role
from flyt.web.pages import page
from flyt.web.render import language, render_page

router = APIRouter()
Admin = Annotated[User, Depends(require_role("admin"))]
# No max_length here: fields.check refuses long values with a sentence, not FastAPI's
# JSON validation error.
Name = Annotated[str, Form()]
Password = Annotated[str, Form()]


def listing(db: Database, error: str | None = None) -> dict:
    m = schema.municipalities.c
    with db.engine.connect() as conn:
        municipalities = [{"code": r.code, "name": r.name} for r in conn.execute(
            sa.select(m.code, m.name).order_by(m.name)).all()]
    organisations = [{"org_id": o.org_id, "name": o.name, "kind": o.kind}
                     for o in reference.packaged_organisations()]
    return {"roles": list(ROLES), "municipalities": municipalities,
            "organisations": organisations, "error": error,
            "done": None, "users": [{
                "name": u.name, "role": u.role, "municipality": u.municipality,
                "organisation": u.organisation,
                "password": u.password_hash is not None, "oidc": u.oidc_subject is not None,
                "disabled": u.disabled, "created_at": u.created_at.isoformat(timespec="seconds"),
            } for u in users.all_users(db)]}


@page(router, "/admin/users", "users.html.j2", title="users_title")
def user_list(user: Admin, db: Db, done: Annotated[str | None, Query(
        pattern="^(added|password|disabled|enabled)$")] = None) -> dict:
    """`done`: the change just made, to confirm it (after the redirect)."""
    return listing(db) | {"done": done}


def _after(request: Request, db: Database, done: str, refused: Exception | None) -> Response:
    """Back to the list (303, so a reload does not post again), or the list with the
    reason in the user's language and 422 when the change was refused."""
    if refused is None:
        return RedirectResponse(f"/admin/users?done={done}", status_code=303)
    # A users.UserError or a passwords.WeakPassword name their reason; a fields.TooLong
    # is already in the user's language.
    key = f"user_error_{getattr(refused, 'code', '')}"
    error = (i18n.t(key, language(request)).format(min=passwords.MIN_LENGTH,
                                                   max=passwords.MAX_LENGTH)
             if i18n.known(key) else str(refused))
    response: HTMLResponse = render_page(request, "users.html.j2", listing(db, error=error),
                                         title="users_title")
    response.status_code = 422
    return response


@router.post("/admin/users", name="user_add")
def add(request: Request, admin: Admin, db: Db, name: Name,
        role: Annotated[str, Form()], password: Password,
        municipality: Annotated[str, Form()] = "",
        organisation: Annotated[str, Form()] = "") -> Response:
    """`organisation` empty: the role's default (flyt.accounts.users.check_organisation
    refuses one that is unknown or does not fit the role)."""
    try:
        fields.check(language(request), name=name, role=role, municipality=municipality,
                     password=password)
        users.add(db, name, role, municipality if role == "municipality" else None,
                  password=password, organisation=organisation or None, by=admin.name)
    except ValueError as exc:  # a UserError, or a password that breaks the rule
        return _after(request, db, "added", exc)
    return _after(request, db, "added", None)


# The user's name is a form field, not part of the path: every name a user was ever
# given (a "/" in it too, from before names were restricted) can be managed here.
@router.post("/admin/users/password", name="user_password")
def set_password(request: Request, admin: Admin, db: Db, name: Name,
                 password: Password) -> Response:
    try:
        fields.check(language(request), name=name, password=password)
        users.set_password(db, name, password, by=admin.name)
    except ValueError as exc:
        return _after(request, db, "password", exc)
    return _after(request, db, "password", None)


@router.post("/admin/users/disable", name="user_disable")
def disable(request: Request, admin: Admin, db: Db, name: Name) -> Response:
    try:
        fields.check(language(request), name=name)
        if name == admin.name:
            raise users.UserError("you cannot disable yourself", "self")
        users.disable(db, name, by=admin.name)
    except (users.UserError, fields.TooLong) as exc:
        return _after(request, db, "disabled", exc)
    return _after(request, db, "disabled", None)


@router.post("/admin/users/enable", name="user_enable")
def enable(request: Request, admin: Admin, db: Db, name: Name) -> Response:
    try:
        fields.check(language(request), name=name)
        users.enable(db, name, by=admin.name)
    except (users.UserError, fields.TooLong) as exc:
        return _after(request, db, "enabled", exc)
    return _after(request, db, "enabled", None)
