"""What a signed-in session holds, and when it ends.

A session (the dashboard keeps it in a signed cookie: flyt.web.auth.session) holds the
user's id, name and session generation, when they signed in (`since`), when they were
last seen (`seen`) and the CSRF token; nothing else. It is checked against the user in
the store (users.known, remembered for KNOWN_SECONDS) every time it is used:

* a disabled user, or a session with an older `session_generation` (sign-out, new
  password, disable, enable, new role: users.py), is signed out;
* `session_hours` after `seen` the session is over (idle), `max_session_hours` after
  `since` in any case. `seen` is renewed at most once a minute (REFRESH_SECONDS): an
  active session lives on, a copied idle one dies.
"""

from __future__ import annotations

import secrets
from typing import Any

from flyt.accounts import users
from flyt.accounts.roles import User
from flyt.store.db import Database

# `seen` is renewed (and the cookie re-signed) at most this often: not a new cookie on
# every answer, and concurrent requests rarely race to write it.
REFRESH_SECONDS = 60

Session = dict[str, Any]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def start(session: Session, record: users.UserRecord, now: float) -> None:
    """A fresh session: a new CSRF token, so a token seen before signing in (a fixed or
    leaked one) is worthless after."""
    session.clear()
    session.update({"uid": record.id, "name": record.name, "gen": record.session_generation,
                    "since": int(now), "seen": int(now), "csrf": new_token()})


def end(session: Session) -> None:
    """Signed out: nothing of the user is left, a new CSRF token for what follows."""
    session.clear()
    session["csrf"] = new_token()


def user_of(db: Database, session: Session, now: float, *, session_hours: float,
            max_session_hours: float) -> User | None:
    """The session's user, or None (and the session ended) when it is over."""
    since = float(session.get("since", 0))
    seen = float(session.get("seen", since))
    if now - since > max_session_hours * 3600 or now - seen > session_hours * 3600:
        end(session)
        return None
    record = users.known(db, str(session.get("name", "")))
    # The id guards against a deleted user's name being given to someone else.
    if (record is None or record.disabled or record.id != session.get("uid")
            or record.session_generation != session.get("gen")):
        end(session)
        return None
    if now - seen >= REFRESH_SECONDS:
        session["seen"] = int(now)  # a change: the cookie is signed again
    return record.as_user()
