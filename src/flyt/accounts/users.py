"""The `users` table: who may sign in to the dashboard, with which role.

Roles (flyt.accounts.ROLES): admin; analyst (all data, imports); municipality (bound to
one municipality: its exact figures and its own current UKP patients); reader (the
shared, suppressed figures); gp and improvement (the shared figures too). Only
municipality users have a municipality. Every user acts for one organisation
(`organisation`, an org_id of the packaged organisations.csv) or, a reader without one
and the improvement group, for none: see `check_role`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from cachetools import TTLCache

from flyt.accounts import audit, passwords
from flyt.accounts.roles import ROLES, User, default_organisation
from flyt.store import reference, schema
from flyt.store.db import Database

U = schema.users
# Signed-in requests look their user up here, not in the store: a change made by another
# process (`flyt user disable` on the command line) takes effect within this many
# seconds; changes made by this process at once.
KNOWN_SECONDS = 2.0
_known: TTLCache[tuple[str, str], UserRecord | None] = TTLCache(maxsize=4096, ttl=KNOWN_SECONDS)
_known_lock = threading.Lock()


# New user names: letters (a–z, æ, ø, å, either case), digits and . _ - @, starting with a
# letter or digit, at most 100 characters. No spaces, slashes, look-alike letters or
# invisible characters: a name in the audit log reads as what it is. Names stored before
# this rule keep working and can be managed everywhere.
NAME_RULE = re.compile(r"[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå._@-]{0,99}")
NAME_HELP = ("a user name is 1–100 characters: letters (a–z, æ, ø, å), digits and . _ - @, "
             "starting with a letter or digit")


class UserError(ValueError):
    """A user cannot be added or changed; the message is for the user of the command
    line, `code` names the reason for the web page's translated text
    (i18n `user_error_<code>`)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class UserRecord:
    id: int
    name: str
    role: str
    municipality: str | None
    password_hash: str | None
    oidc_subject: str | None
    disabled: bool
    created_at: datetime
    session_generation: int = 0  # sessions made with an older one are over (sessions.py)
    organisation: str | None = None  # the org_id the user acts for

    def as_user(self) -> User:
        return User(self.name, self.role, self.municipality, self.organisation)


def _record(row: sa.Row) -> UserRecord:
    return UserRecord(row.id, row.name, row.role, row.municipality, row.password_hash,
                      row.oidc_subject, bool(row.disabled), row.created_at,
                      int(row.session_generation or 0), row.organisation)


def _organisation_kinds() -> dict[str, str]:
    """org_id → kind (sykehus | kommune | fastlege) of the packaged organisations, the
    same list deviations are checked against."""
    return {o.org_id: o.kind for o in reference.packaged_organisations()}


def check_organisation(role: str, municipality: str | None,
                       organisation: str | None) -> str | None:
    """The organisation a user of `role` acts for: `organisation` if given and allowed,
    else the role's default. UserError when it is unknown or does not fit the role."""
    organisation = (organisation or "").strip() or None
    if organisation is None:
        if role == "gp":
            raise UserError("a gp user needs --organisation (a GP party, e.g. fastlege-5001)",
                            "organisation_missing")
        return default_organisation(role, municipality)
    kind = _organisation_kinds().get(organisation)
    if kind is None:
        raise UserError(f"unknown organisation {organisation!r}: use an org_id of the "
                        "organisations (stolav, a kommunenummer, fastlege-<kommunenummer>)",
                        "organisation_unknown")
    if role == "improvement":
        raise UserError("the improvement group acts for no organisation of its own: "
                        "leave out --organisation", "organisation_extra")
    if role == "gp" and kind != "fastlege":
        raise UserError(f"a gp user acts for a GP party (fastlege-…), not {organisation!r}",
                        "organisation_not_gp")
    if role == "municipality" and organisation != municipality:
        raise UserError("a municipality user acts for its own municipality: "
                        f"--organisation must be {municipality} or left out",
                        "organisation_not_municipality")
    return organisation


def check_role(conn: sa.Connection, role: str, municipality: str | None,
               organisation: str | None = None) -> str | None:
    """Check the role, municipality and organisation (UserError for the first that is
    wrong); the organisation the user acts for."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(ROLES)}", "role")
    if role == "municipality" and not municipality:
        raise UserError("a municipality user needs --municipality (a kommunenummer, e.g. 5031)",
                        "municipality_missing")
    if role != "municipality" and municipality:
        raise UserError(f"only municipality users have a municipality, not {role} users",
                        "municipality_extra")
    if municipality:
        if not reference.is_municipality(conn, municipality):
            raise UserError(f"unknown municipality {municipality!r}: see `flyt reference`",
                            "municipality_unknown")
    return check_organisation(role, municipality, organisation)


def _described(role: str, municipality: str | None, organisation: str | None) -> str:
    """The audit log's detail of a role: `role=gp organisation=fastlege-5001`."""
    return (f"role={role}" + (f" municipality={municipality}" if municipality else "")
            + (f" organisation={organisation}" if organisation else ""))


def add(db: Database, name: str, role: str, municipality: str | None = None, *,
        password: str | None = None, oidc_subject: str | None = None,
        organisation: str | None = None, by: str | None = None) -> UserRecord:
    """Add a user. `organisation`: the org_id they act for (None: the role's default).
    `by` names who did it, for the audit log (None: the command line)."""
    name = name.strip()
    if not NAME_RULE.fullmatch(name):
        raise UserError(NAME_HELP, "name_invalid")
    password_hash = (passwords.hash_password(password, name) if password is not None
                     else None)
    with db.engine.begin() as conn:
        organisation = check_role(conn, role, municipality, organisation)
        # "Kari" beside "kari" would be two users that people (and the audit log) mix up.
        if conn.execute(sa.select(U.c.id).where(sa.func.lower(U.c.name) == name.lower())
                        ).first():
            raise UserError(f"the user {name!r} exists already", "exists")
        if oidc_subject and conn.execute(
                sa.select(U.c.id).where(U.c.oidc_subject == oidc_subject)).first():
            raise UserError("that OpenID Connect subject belongs to another user", "subject")
        conn.execute(U.insert().values(  # the id: the next of its sequence
            name=name, role=role, municipality=municipality or None, organisation=organisation,
            password_hash=password_hash, oidc_subject=oidc_subject or None, disabled=False,
            created_at=audit.now(), session_generation=0))
    forget_known()
    audit.record_as(db, by, "user.add", name, _described(role, municipality, organisation))
    found = get(db, name)
    assert found is not None
    return found


def known(db: Database, name: str) -> UserRecord | None:
    """`get`, remembered for a moment (every signed-in request asks)."""
    key = (str(db.engine.url), name)
    with _known_lock:
        if key in _known:
            return _known[key]
    record = get(db, name)
    with _known_lock:
        _known[key] = record
    return record


def forget_known() -> None:
    """After a change to users (here, or a store that was emptied and refilled)."""
    with _known_lock:
        _known.clear()


def get(db: Database, name: str) -> UserRecord | None:
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(U).where(U.c.name == name)).first()
    return _record(row) if row else None


def by_subject(db: Database, subject: str) -> UserRecord | None:
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(U).where(U.c.oidc_subject == subject)).first()
    return _record(row) if row else None


def all_users(db: Database) -> list[UserRecord]:
    with db.engine.connect() as conn:
        return [_record(r) for r in conn.execute(sa.select(U).order_by(U.c.name)).all()]


def _update(db: Database, name: str, **values: object) -> None:
    with db.engine.begin() as conn:
        if conn.execute(U.update().where(U.c.name == name).values(**values)).rowcount == 0:
            raise UserError(f"no user {name!r}", "no_user")
    forget_known()


# Every change that must end the user's sessions sets this as well (sessions.py).
_NEXT_GENERATION = sa.func.coalesce(U.c.session_generation, 0) + 1


def end_sessions(db: Database, name: str) -> None:
    """End every session of the user, in every browser (sign-out): at once in this
    process, within KNOWN_SECONDS in other processes."""
    _update(db, name, session_generation=_NEXT_GENERATION)


def disable(db: Database, name: str, *, by: str | None = None) -> None:
    _update(db, name, disabled=True, session_generation=_NEXT_GENERATION)
    audit.record_as(db, by, "user.disable", name)


def enable(db: Database, name: str, *, by: str | None = None) -> None:
    """Let a disabled user sign in again."""
    # A session stolen before the user was disabled must not come back with them.
    _update(db, name, disabled=False, session_generation=_NEXT_GENERATION)
    audit.record_as(db, by, "user.enable", name)


def set_password(db: Database, name: str, password: str, *, by: str | None = None) -> None:
    _update(db, name, password_hash=passwords.hash_password(password, name),
            session_generation=_NEXT_GENERATION)
    audit.record_as(db, by, "user.password", name)


def set_role(db: Database, name: str, role: str, municipality: str | None = None, *,
             organisation: str | None = None, by: str | None = None) -> None:
    """Give a user another role (and municipality and organisation, the role's default
    when None: never one left over from the old role): their sessions end, so that no
    page is served under the old role."""
    with db.engine.connect() as conn:
        organisation = check_role(conn, role, municipality, organisation)
    _update(db, name, role=role, municipality=municipality or None,
            organisation=organisation, session_generation=_NEXT_GENERATION)
    audit.record_as(db, by, "user.role", name, _described(role, municipality, organisation))


def set_subject(db: Database, name: str, subject: str | None, *, by: str | None = None) -> None:
    """Link a user to an OpenID Connect subject (`sub`), or unlink it (None)."""
    try:
        _update(db, name, oidc_subject=subject)
    except sa.exc.IntegrityError as exc:
        raise UserError("that OpenID Connect subject belongs to another user", "subject") from exc
    audit.record_as(db, by, "user.oidc_subject", name, "linked" if subject else "unlinked")


def rehash(db: Database, name: str, password: str) -> None:
    """Store a fresh hash after a sign-in when the Argon2 parameters have changed
    (not audited: the password did not change)."""
    _update(db, name, password_hash=passwords.hasher().hash(password))
