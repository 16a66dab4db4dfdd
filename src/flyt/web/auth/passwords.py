"""Local passwords: Argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile).

A stored hash names its own parameters, so raising them later only needs `needs_rehash`
at the next sign-in. The password itself is never stored or logged.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher()


def check_new(password: str) -> None:
    """Raise ValueError (the message is for the user) when a new password is too weak."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"the password must be at least {MIN_LENGTH} characters long "
                         f"(it has {len(password)})")


def hash_password(password: str) -> str:
    check_new(password)
    return hasher().hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches. A user without a local password (OpenID Connect only)
    still costs one Argon2 verification, so timing does not tell which users have one."""
    if not stored_hash:
        dummy_verify(password)
        return False
    try:
        return hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return hasher().check_needs_rehash(stored_hash)


@cache
def _dummy_hash() -> str:
    return hasher().hash("flyt: no such user, not a password")


def dummy_verify(password: str) -> None:
    """Spend the time of a real verification (for unknown names: no user enumeration by
    timing)."""
    try:
        hasher().verify(_dummy_hash(), password)
    except VerificationError:
        pass
