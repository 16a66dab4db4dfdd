"""Accounts: who may use Flyt and what they did. Used by the command line
(``flyt user``, ``flyt audit``) and the dashboard (flyt.web.auth: sign-in, sessions,
the users and audit pages) alike.

    roles.py      the roles and the signed-in ``User``
    users.py      the ``users`` table: add, change, disable; roles and municipalities
    passwords.py  Argon2 hashes and the password rules (common_passwords.py)
    sessions.py   what a signed-in session holds and when it ends
    audit.py      the audit log: every read of patient rows and every change

Its public surface: ``ROLES`` and ``User`` here, and the modules ``users``,
``passwords``, ``sessions``, ``audit`` and ``commands`` (every area may use accounts).
"""

from flyt.accounts.roles import ROLES, User, default_organisation

__all__ = ["ROLES", "User", "audit", "commands", "default_organisation", "passwords",
           "sessions", "users"]
