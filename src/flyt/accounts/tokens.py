"""Bearer tokens for the JSON API (/api/…): a machine acts as the user a token was made
for (`flyt token create|list|revoke`, docs/deviations.md "The API").

A token reads `flyt_<prefix>_<secret>`: the prefix (8 hex digits) is public, names the
token in lists and the audit log and finds its row; the secret is 32 random bytes from
`secrets` (256 bits). The store keeps only the SHA-256 of the whole token. A slow
password hash (Argon2) is not needed here: it protects low-entropy passwords against
guessing, and nobody guesses 256 random bits, so a plain SHA-256 is the standard choice
(and keeps every API request cheap). It is compared with hmac.compare_digest.

A token works while it is not revoked and its user exists and is not disabled: both are
read with the token on every request, so `flyt token revoke` and `flyt user disable`
take effect at once, in every process.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from flyt.accounts import audit, users
from flyt.accounts.roles import User
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database

T, U = schema.api_tokens, schema.users
PREFIX_BYTES = 4  # 8 hex digits: enough to tell a user's tokens apart, not a secret
SECRET_BYTES = 32
TOKEN_PATTERN = re.compile(r"^flyt_([0-9a-f]{8})_([0-9a-f]{64})$")
MAX_LABEL = 100
# last_used_at is written at most this often per token: an API client's every request
# would otherwise be a write (and, on DuckDB, a write conflict between its requests).
USE_RESOLUTION = timedelta(minutes=1)
# Compared with when the prefix is unknown, so that a miss takes the time of a hit.
_NO_HASH = hashlib.sha256(b"no such token").hexdigest()


class TokenError(ValueError):
    """A token cannot be made or revoked (unknown user or prefix, a bad label); the
    message is one line for the command line."""


@dataclass(frozen=True)
class TokenInfo:
    """A token as lists show it: never the token itself."""

    prefix: str
    user_name: str
    label: str
    created_at: datetime
    created_by: str | None
    last_used_at: datetime | None
    revoked_at: datetime | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    prefix = secrets.token_hex(PREFIX_BYTES)
    return prefix, f"flyt_{prefix}_{secrets.token_hex(SECRET_BYTES)}"


def create(db: Database, user_name: str, label: str = "", *,
           by: str | None = None) -> tuple[str, TokenInfo]:
    """A new token for the user `user_name`: the token (to show once, never stored) and
    what is stored of it. `by` names who made it, for the audit log (None: the command
    line)."""
    label = " ".join(label.split())
    if len(label) > MAX_LABEL:
        raise TokenError(f"the label is longer than {MAX_LABEL} characters")
    record = users.get(db, user_name)
    if record is None:
        raise TokenError(f"no user {user_name!r}")
    if record.disabled:
        raise TokenError(f"the user {user_name!r} is disabled: enable them first")
    at = clock.stamp()
    for _ in range(5):  # a prefix taken already (1 in 4 billion): draw again
        prefix, token = _new_token()
        try:
            with db.engine.begin() as conn:
                conn.execute(T.insert().values(
                    prefix=prefix, token_hash=digest(token), user_id=record.id, label=label,
                    created_at=at, created_by=by))
            break
        except sa.exc.IntegrityError:
            continue
    else:  # pragma: no cover - five collisions in a row do not happen
        raise TokenError("could not draw a new token prefix; try again")
    audit.record_as(db, by, "token.create", record.name, f"prefix {prefix}")
    return token, TokenInfo(prefix, record.name, label, at, by, None, None)


def verify(db: Database, token: str) -> User | None:
    """The user `token` acts as, or None: not a Flyt token, unknown, wrong, revoked, or
    its user disabled or gone. Notes that it was used (to the minute)."""
    match = TOKEN_PATTERN.match(token)
    if match is None:
        return None
    prefix = match[1]
    with db.engine.connect() as conn:
        row = conn.execute(
            sa.select(T.c.id, T.c.token_hash, T.c.revoked_at, T.c.last_used_at,
                      U.c.name, U.c.role, U.c.municipality, U.c.organisation, U.c.disabled)
            .join(U, U.c.id == T.c.user_id).where(T.c.prefix == prefix)).first()
    right = hmac.compare_digest(digest(token), row.token_hash if row else _NO_HASH)
    if row is None or not right or row.revoked_at is not None or row.disabled:
        return None
    _note_use(db, row.id, row.last_used_at)
    return User(row.name, row.role, row.municipality, row.organisation)


def _note_use(db: Database, token_id: int, last: datetime | None) -> None:
    at = clock.stamp()
    if last is not None and at - last < USE_RESOLUTION:
        return
    try:
        with db.engine.begin() as conn:
            conn.execute(T.update().where(T.c.id == token_id).values(last_used_at=at))
    except sa.exc.DBAPIError:
        # Two requests of one client at once: on DuckDB the second write conflicts. The
        # time of use is a convenience; the request goes on.
        pass


def listing(db: Database, user_name: str | None = None, *,
            prefix: str | None = None) -> list[TokenInfo]:
    """Every token (or the user's, or the one with `prefix`), newest first."""
    query = (sa.select(T.c.prefix, U.c.name, T.c.label, T.c.created_at, T.c.created_by,
                       T.c.last_used_at, T.c.revoked_at)
             .join(U, U.c.id == T.c.user_id)
             .order_by(T.c.created_at.desc(), T.c.id.desc()))
    if user_name is not None:
        query = query.where(U.c.name == user_name)
    if prefix is not None:
        query = query.where(T.c.prefix == prefix)
    with db.engine.connect() as conn:
        return [TokenInfo(*row) for row in conn.execute(query)]


def revoke(db: Database, prefix: str, *, by: str | None = None) -> TokenInfo:
    """Revoke the token with `prefix` (its requests get 401 from now on); what it was.
    TokenError for an unknown prefix; a token revoked before stays as it was."""
    prefix = prefix.strip().lower()
    found = listing(db, prefix=prefix)
    if not found:
        raise TokenError(f"no token with the prefix {prefix!r}: see `flyt token list`")
    info = found[0]
    if info.revoked_at is not None:
        return info
    at = clock.stamp()
    with db.engine.begin() as conn:
        conn.execute(T.update().where(T.c.prefix == prefix, T.c.revoked_at.is_(None))
                     .values(revoked_at=at))
    audit.record_as(db, by, "token.revoke", info.user_name, f"prefix {prefix}")
    return dataclasses.replace(info, revoked_at=at)
