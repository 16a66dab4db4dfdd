"""Flyt's own codes as words on the pages: import kinds (`stays`), source names Flyt
chose (`default`), sectors, audit actions. Registered as the Jinja filter ``word``:
``{{ kind | word("kind", lang) }}`` looks up the i18n key ``kind_stays`` and falls
back to the code itself, so a name a user chose (a source called "EPJ-uttrekk")
stays as the user wrote it."""

from __future__ import annotations

import re

from flyt import i18n
from flyt.web.render import environment

# The audit log's actions an administrator can filter by, in the order of the filter's
# list: the prefixes ("sign_in", "user") select every action under them.
AUDIT_ACTIONS = ("patients.read", "import.upload", "sign_in", "sign_in.ok", "sign_in.failed",
                 "sign_in.blocked", "sign_out", "user", "user.add", "user.disable",
                 "user.enable", "user.password", "user.role", "user.oidc_subject",
                 "audit.export", "deviation", "deviation.create", "deviation.read",
                 "deviation.read.refused", "deviation.status", "deviation.list",
                 "learning", "learning.create", "learning.read", "learning.read.refused",
                 "learning.change", "learning.list", "incident", "incident.read",
                 "incident.change",
                 "deviation.export", "token", "token.create", "token.revoke", "token.refused",
                 "deviation.attachment", "deviation.attachment.add",
                 "deviation.attachment.read", "deviation.attachment.read.refused",
                 "deviation.attachment.remove", "plan", "plan.change", "capacity",
                 "capacity.plan_change", "simulation", "simulation.run")


def word(code: object, kind: str, lang: str = "nb") -> str:
    """`code` as a word of `kind` ("kind", "source", "sector", "action") in `lang`, or
    the code unchanged when Flyt has no word for it."""
    text = str(code) if code is not None else ""
    key = f"{kind}_{text}"
    return i18n.t(key, lang) if i18n.known(key) else text


def audit_detail(detail: str | None, lang: str = "nb") -> str:
    """An audit entry's detail as the log page shows it: the few forms Flyt writes
    ("password", "role=analyst municipality=5031", "12 rows", "f.csv: ok, 3 rows") in
    words; anything else as written. The log itself (and its CSV) keeps the original."""
    text = detail or ""
    whole = word(text, "detail", lang)
    if whole != text:
        return whole
    text = re.sub(r"\brole=(\w+)", lambda m: f"{i18n.t('role', lang).lower()}: "
                  f"{word(m[1], 'role', lang)}", text)
    text = re.sub(r" ?\bmunicipality=(\w+)",
                  lambda m: f", {i18n.t('municipality', lang).lower()}: {m[1]}", text)
    text = re.sub(r": (ok|rejected),", lambda m: f": {i18n.t('import_' + m[1], lang)},", text)
    text = re.sub(r"\b(\d+) rows\b", lambda m: i18n.t("detail_rows", lang).replace(
        "{n}", m[1]), text)
    return text.replace("(command line)", i18n.t("detail_command_line", lang))


def _install() -> None:
    env = environment()
    env.filters["word"] = word
    env.filters["audit_detail"] = audit_detail
    env.globals["audit_actions"] = AUDIT_ACTIONS


_install()
