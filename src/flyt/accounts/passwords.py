"""Local passwords: Argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile).

A stored hash names its own parameters, so raising them later only needs `needs_rehash`
at the next sign-in. The password itself is never stored or logged.
"""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from flyt.accounts import common_passwords

MIN_LENGTH = 12
# Argon2 hashes whatever it is given: a cap keeps one request from costing much more than
# another. The forms (sign-in, users page) refuse longer fields before this.
MAX_LENGTH = 1024
# A user name counts inside a password from this many letters and digits on.
NAME_MIN = 3


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher()


class WeakPassword(ValueError):
    """A new password breaks the rule: the message is for the command line, `code`
    names the reason for the web page's translated text (i18n `user_error_<code>`)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def check_new(password: str, name: str | None = None) -> None:
    """Raise WeakPassword when a new password is blank, too short or too long, contains
    the user's name, is one character or pattern repeated, a run like 123456789012, or a
    common password (common_passwords.py). The same rule on the web and the command
    line."""
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"the password must be at most {MAX_LENGTH} characters long",
                           "password_long")
    core = password.strip()
    if not core:
        raise WeakPassword("the password must not be blank or only spaces", "password_blank")
    if len(core) < MIN_LENGTH:
        raise WeakPassword(f"the password must be at least {MIN_LENGTH} characters long "
                           f"(it has {len(core)} besides spaces around it)", "password_short")
    lowered = core.lower()
    if name and len(_letters(name)) >= NAME_MIN and _letters(name) in _letters(lowered):
        raise WeakPassword("the password must not contain the user name", "password_name")
    if lowered in (lowered + lowered)[1:-1]:  # a whole number of copies of a shorter part
        raise WeakPassword("the password must not be one character or pattern repeated",
                           "password_repeated")
    if _is_run(lowered):
        raise WeakPassword("the password must not be a run of consecutive characters "
                           "such as 123456789012", "password_run")
    if lowered in common_passwords.PASSWORDS or _padded_word(lowered) in common_passwords.WORDS:
        raise WeakPassword("that password is among the first that guessing tries: "
                           "choose another", "password_common")


def _letters(text: str) -> str:
    """Letters and digits only, lower case: "Kari.Nordmann" and "kari nordmann" match."""
    return "".join(c for c in text.lower() if c.isalnum())


def _is_run(text: str) -> bool:
    """Every character one up (or every one down) from the one before; digits go round
    (…8, 9, 0, 1…), as people type them on a keyboard's number row."""
    steps = {_step(a, b) for a, b in zip(text, text[1:], strict=False)}
    return steps == {1} or steps == {-1}


def _step(a: str, b: str) -> int:
    if a.isdigit() and b.isdigit():
        diff = (int(b) - int(a)) % 10
        return {1: 1, 9: -1}.get(diff, 0)
    return ord(b) - ord(a)


def _padded_word(text: str) -> str:
    """The word inside digits, spaces and marks: "sommer" in "sommer2024!!"."""
    return re.sub(r"^[\d\W_]+|[\d\W_]+$", "", text)


def hash_password(password: str, name: str | None = None) -> str:
    check_new(password, name)
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
