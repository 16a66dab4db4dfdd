"""Maximum lengths of the text fields of the sign-in form and the users page, checked on
the server with a message in the user's language (the forms' `maxlength` is only a help).

FastAPI's own `Form(max_length=…)` would answer a JSON list of validation errors in
English to a person who posted an HTML form; these checks answer the page again with one
clear sentence. Whatever the field, the body is already capped at 1 MiB by the CSRF
middleware (flyt.web.auth.csrf.MAX_FORM) before any of this is read.
"""

from __future__ import annotations

from flyt import i18n
from flyt.accounts.passwords import MAX_LENGTH as PASSWORD_MAX

# field name → (maximum length, i18n key of its label)
LIMITS: dict[str, tuple[int, str]] = {
    "name": (100, "user_name"),
    "password": (PASSWORD_MAX, "password"),
    "next": (2000, "field_next"),
    "role": (20, "role"),
    "municipality": (4, "municipality"),
}


def too_long(lang: str, **values: str) -> str | None:
    """The message for the first field that is longer than its limit, or None."""
    for field, value in values.items():
        limit, label = LIMITS[field]
        if len(value) > limit:
            return i18n.t("field_too_long", lang).format(
                field=i18n.t(label, lang), max=i18n.number(limit, 0, lang))
    return None


class TooLong(ValueError):
    """A field over its limit; the message is already in the user's language."""


def check(lang: str, **values: str) -> None:
    """Raise TooLong with `too_long`'s message."""
    message = too_long(lang, **values)
    if message:
        raise TooLong(message)
