"""A municipality's escalation plan (issue 14, item 4; docs/capacity.md "Escalation
plans"): what it does at each escalation level (1 normal … 4 kritisk, flyt.capacity.
escalation), whom to call, and how many short-term beds it can lend the other
municipalities. Pure: the bounds, the checks and the form's values as a plan.

Every text is plain text (lines kept, never HTML) and bounded, so a plan stays a work
document that prints on a few pages; a refused value says which field and why
(PlanRefused), and nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flyt.ingest.errors import Text

LEVELS = (1, 2, 3, 4)
MAX_ACTIONS = 4000  # characters of one level's actions
MAX_NOTE = 4000
MAX_CONTACTS = 20
# A municipality's short-term beds are counted in tens; 500 is far above any of the
# community's, so a larger number is a typing error, not a plan.
MAX_LENDABLE_BEDS = 500
CONTACT_FIELDS = ("role", "name", "phone", "email")
CONTACT_LIMITS = {"role": 100, "name": 100, "phone": 30, "email": 200}
# Control characters other than tab and newline have no place in a plain text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PHONE = re.compile(r"[0-9+()\- ]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# The words of a field in a refusal (the i18n keys written out, so each is found).
FIELD_WORDS = {"actions_1": Text.of("escplan_f_actions_1"),
               "actions_2": Text.of("escplan_f_actions_2"),
               "actions_3": Text.of("escplan_f_actions_3"),
               "actions_4": Text.of("escplan_f_actions_4"),
               "note": Text.of("escplan_f_note"), "beds": Text.of("escplan_f_beds"),
               "role": Text.of("escplan_f_role"), "name": Text.of("escplan_f_name"),
               "phone": Text.of("escplan_f_phone"), "email": Text.of("escplan_f_email")}


class PlanRefused(ValueError):
    """A value the plan cannot take; `field` is the form's name of it (``beds``,
    ``actions_2``, ``contact_3_email``), `text` says why in either language."""

    def __init__(self, text: Text, field: str = "") -> None:
        self.text, self.field = text, field
        super().__init__(self.message("en"))

    def message(self, lang: str = "nb") -> str:
        return self.text(lang)


class StalePlan(PlanRefused):
    """Someone saved the plan after the version the change was made from (HTTP 409)."""


@dataclass(frozen=True)
class Contact:
    role: str = ""  # the function, «Tildelingskontoret», «Kommuneoverlege»
    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class EscalationPlan:
    """One municipality's plan; `version` 0 and no `updated_at`: none stored yet."""

    municipality: str  # kommunenummer
    actions: tuple[str, str, str, str] = ("", "", "", "")  # levels 1–4
    contacts: tuple[Contact, ...] = ()
    lendable_short_term_beds: int = 0
    note: str = ""
    version: int = 0
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def exists(self) -> bool:
        return self.version > 0


def clean_text(raw: str, field_name: str, limit: int) -> str:
    """A plain text as stored: line ends as \\n, trailing space off each line and the
    whole; PlanRefused when too long or holding control characters."""
    text = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n")
                     .replace("\r", "\n").split("\n")).strip()
    words = FIELD_WORDS[field_name.rsplit("_", 1)[-1] if field_name.startswith("contact_")
                        else field_name]
    if _CONTROL.search(text):
        raise PlanRefused(Text.of("escplan_control", field=words), field_name)
    if len(text) > limit:
        raise PlanRefused(Text.of("escplan_too_long", field=words, limit=limit,
                                  length=len(text)), field_name)
    return text


def parse_beds(raw: str) -> int:
    text = raw.strip()
    if not text:
        return 0
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise PlanRefused(Text.of("escplan_beds_number", value=text[:20],
                                  most=MAX_LENDABLE_BEDS), "beds")
    beds = int(text)
    if beds > MAX_LENDABLE_BEDS:
        raise PlanRefused(Text.of("escplan_beds_number", value=text,
                                  most=MAX_LENDABLE_BEDS), "beds")
    return beds


def parse_contact(values: Mapping[str, str], row: int) -> Contact | None:
    """Row `row` of the contacts (fields ``contact_<row>_<field>``); None when empty."""
    cleaned = {f: clean_text(values.get(f"contact_{row}_{f}", ""), f"contact_{row}_{f}",
                             CONTACT_LIMITS[f]) for f in CONTACT_FIELDS}
    if not any(cleaned.values()):
        return None
    for name in CONTACT_FIELDS:
        if "\n" in cleaned[name]:
            raise PlanRefused(Text.of("escplan_one_line", field=FIELD_WORDS[name]),
                              f"contact_{row}_{name}")
    if not (cleaned["name"] or cleaned["role"]):
        raise PlanRefused(Text.of("escplan_contact_who", row=row + 1), f"contact_{row}_name")
    if not _PHONE.fullmatch(cleaned["phone"]):
        raise PlanRefused(Text.of("escplan_bad_phone", value=cleaned["phone"][:30]),
                          f"contact_{row}_phone")
    if cleaned["email"] and not _EMAIL.fullmatch(cleaned["email"]):
        raise PlanRefused(Text.of("escplan_bad_email", value=cleaned["email"][:60]),
                          f"contact_{row}_email")
    return Contact(**cleaned)


def contact_rows(values: Mapping[str, str]) -> int:
    """How many contact rows the form sent (the highest row number + 1), at most what
    is allowed; PlanRefused for a row beyond MAX_CONTACTS that holds anything."""
    rows = 0
    for key, value in values.items():
        parts = key.split("_")
        if len(parts) == 3 and parts[0] == "contact" and parts[1].isdigit():
            row = int(parts[1])
            if row >= MAX_CONTACTS and value.strip():
                raise PlanRefused(Text.of("escplan_too_many_contacts", most=MAX_CONTACTS),
                                  "contacts")
            if row < MAX_CONTACTS:
                rows = max(rows, row + 1)
    return rows


def from_form(municipality: str, values: Mapping[str, str]) -> EscalationPlan:
    """The plan a form's values describe (fields ``actions_1`` … ``actions_4``,
    ``contact_<n>_<role|name|phone|email>``, ``beds``, ``note``); empty contact rows
    are dropped. PlanRefused naming the first field at fault."""
    actions = tuple(clean_text(values.get(f"actions_{level}", ""), f"actions_{level}",
                               MAX_ACTIONS) for level in LEVELS)
    contacts = tuple(c for c in (parse_contact(values, row)
                                 for row in range(contact_rows(values))) if c is not None)
    return EscalationPlan(
        municipality, actions=actions, contacts=contacts,  # type: ignore[arg-type]
        lendable_short_term_beds=parse_beds(values.get("beds", "")),
        note=clean_text(values.get("note", ""), "note", MAX_NOTE))


def check(plan: EscalationPlan) -> None:
    """The bounds a plan from anywhere (the form, a future import) must keep."""
    if len(plan.actions) != len(LEVELS):
        raise PlanRefused(Text.of("escplan_levels", count=len(LEVELS)), "actions_1")
    for level, text in zip(LEVELS, plan.actions, strict=True):
        if clean_text(text, f"actions_{level}", MAX_ACTIONS) != text:
            raise ValueError(f"actions of level {level} are not cleaned text")
    if len(plan.contacts) > MAX_CONTACTS:
        raise PlanRefused(Text.of("escplan_too_many_contacts", most=MAX_CONTACTS), "contacts")
    if not 0 <= plan.lendable_short_term_beds <= MAX_LENDABLE_BEDS:
        raise PlanRefused(Text.of("escplan_beds_number",
                                  value=str(plan.lendable_short_term_beds),
                                  most=MAX_LENDABLE_BEDS), "beds")
    clean_text(plan.note, "note", MAX_NOTE)
    for row, contact in enumerate(plan.contacts):
        values = {f"contact_{row}_{f}": getattr(contact, f) for f in CONTACT_FIELDS}
        parse_contact(values, row)


def form_values(plan: EscalationPlan, blank_rows: int = 3) -> dict[str, str]:
    """The plan as its form writes it, with `blank_rows` empty contact rows to fill
    (never more rows than MAX_CONTACTS)."""
    values = {f"actions_{level}": text for level, text in zip(LEVELS, plan.actions,
                                                              strict=True)}
    values["beds"] = str(plan.lendable_short_term_beds) if plan.exists else ""
    values["note"] = plan.note
    rows = min(MAX_CONTACTS, len(plan.contacts) + blank_rows)
    for row in range(rows):
        contact = plan.contacts[row] if row < len(plan.contacts) else Contact()
        for f in CONTACT_FIELDS:
            values[f"contact_{row}_{f}"] = getattr(contact, f)
    return values


def changed(old: EscalationPlan, new: EscalationPlan) -> list[str]:
    """The parts that differ, as the audit log names them."""
    parts = [f"actions_{level}" for level, a, b in zip(LEVELS, old.actions, new.actions,
                                                       strict=True) if a != b]
    if old.contacts != new.contacts:
        parts.append("contacts")
    if old.lendable_short_term_beds != new.lendable_short_term_beds:
        parts.append("beds")
    if old.note != new.note:
        parts.append("note")
    return parts
