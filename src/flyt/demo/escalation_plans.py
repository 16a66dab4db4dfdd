"""The demo's escalation plans (flyt.capacity.plans): three municipalities with a
plausible plan — Trondheim (the demo-kommune user's, so it can be edited at once),
Malvik and Indre Fosen — and the others without one, so the list shows both. Every text
starts with «Demo:», the people are functions, not persons, and the addresses are on
example.no (RFC 2606's kind of name: nobody is mailed by mistake).

A municipality that has a plan keeps it: `flyt demo` never overwrites one.
"""

from __future__ import annotations

from flyt.capacity import plans, plans_store
from flyt.store import reference
from flyt.store.db import Database

WHO = "flyt demo"


def _contact(row: int, role: str, phone: str, email: str) -> dict[str, str]:
    return {f"contact_{row}_role": role, f"contact_{row}_name": "Demo: vakthavende",
            f"contact_{row}_phone": phone, f"contact_{row}_email": email}


# The form's values (flyt.capacity.plans.from_form), so the demo passes the same checks.
PLANS: dict[str, dict[str, str]] = {
    "5001": {
        "actions_1": "Demo: Vanlig drift. Tildelingskontoret melder ledige korttidsplasser "
                     "til sykehuset hver morgen kl. 09.",
        "actions_2": "Demo: Daglig tavlemøte med helsehusene.\nVurder å flytte pasienter "
                     "som venter på langtidsplass til Øya helsehus.",
        "actions_3": "Demo: Åpne reservesenger på Øya helsehus (opptil 6).\nKontakt "
                     "nabokommunene om lån av korttidsplasser.\nUtvidet åpningstid i "
                     "tildelingskontoret (08–20).",
        "actions_4": "Demo: Kommunens kriseledelse kalles inn.\nAvlys planlagte "
                     "innleggelser på korttid som kan vente.\nDaglig møte med St. Olavs "
                     "hospital om utskrivningsklare pasienter.",
        "beds": "4",
        "note": "Demo: Planen gjennomgås hvert kvartal i samarbeidsutvalget.",
        **_contact(0, "Tildelingskontoret", "+47 000 00 001", "tildeling@trondheim.example.no"),
        **_contact(1, "Kommuneoverlege", "+47 000 00 002", "overlege@trondheim.example.no"),
    },
    "5031": {
        "actions_1": "Demo: Vanlig drift.",
        "actions_2": "Demo: Ukentlig kontakt med sykehusets koordinator.",
        "actions_3": "Demo: Ta i bruk dobbeltrom på Malvik helsesenter.\nSpør Trondheim "
                     "om lån av korttidsplass.",
        "actions_4": "Demo: Kriseledelsen kalles inn; hjemmetjenesten forsterkes.",
        "beds": "1",
        **_contact(0, "Helse- og velferdssenteret", "+47 000 00 011",
                   "helsesenter@malvik.example.no"),
    },
    "5054": {
        "actions_1": "Demo: Vanlig drift.",
        "actions_2": "Demo: Vurder tidlig hjemreise med forsterket hjemmesykepleie.",
        "actions_3": "Demo: Be Orkland og Ørland om lån av korttidsplasser.",
        "actions_4": "Demo: Kriseledelsen kalles inn.",
        "beds": "2",
        **_contact(0, "Koordinerende enhet", "+47 000 00 021",
                   "koordinerende@indrefosen.example.no"),
    },
}


def store(db: Database) -> int:
    """The demo plans of the municipalities the store knows and that have none; how
    many were stored."""
    known = {m.code for m in reference.municipalities(db)}
    stored = 0
    for code, values in PLANS.items():
        if code in known and not plans_store.read(db, code).exists:
            plans_store.save(db, plans.from_form(code, values), 0, WHO)
            stored += 1
    return stored
