"""User-facing words in Norwegian bokmål (default) and English, and number/date formats.

Norwegian: decimal comma, space as thousands separator, dates dd.mm.yyyy.
"""

from __future__ import annotations

from datetime import date, datetime

LANGS = ("nb", "en")

_TEXT: dict[str, dict[str, str]] = {
    "green": {"nb": "grønn – ingen avvik", "en": "green – on track"},
    "yellow": {"nb": "gul – mindre avvik, men håndteres", "en": "yellow – minor deviation"},
    "red": {"nb": "rød – kritiske avvik", "en": "red – critical deviation"},
    "none": {"nb": "ingen verdi", "en": "no value"},
    "kpi": {"nb": "Indikator", "en": "Indicator"},
    "sector": {"nb": "Sektor", "en": "Sector"},
    "group": {"nb": "Gruppe", "en": "Group"},
    "baseline": {"nb": "Utgangspunkt", "en": "Baseline"},
    "target": {"nb": "Mål", "en": "Target"},
    "value_12m": {"nb": "Siste 12 mnd", "en": "Last 12 months"},
    "achievement": {"nb": "Måloppnåelse", "en": "Achievement"},
    "expected": {"nb": "Forventet", "en": "Expected"},
    "status": {"nb": "Status", "en": "Status"},
    "month": {"nb": "Måned", "en": "Month"},
    "community": {"nb": "Hele helsefellesskapet", "en": "Whole community"},
    "somatikk": {"nb": "somatikk", "en": "somatic care"},
    "psykisk_helsevern": {"nb": "psykisk helsevern", "en": "mental health care"},
    "alle": {"nb": "alle", "en": "all"},
    "preliminary": {"nb": "foreløpig", "en": "preliminary"},
    # --- reports (flyt.reports.monthly, .snapshot) ---
    # --- payment basis (flyt.reports.payment) ---
    # --- distribution (flyt.reports.mail, .schedule) ---
}


def t(key: str, lang: str = "nb") -> str:
    entry = _TEXT.get(key)
    return entry.get(lang, entry["nb"]) if entry else key


def number(value: float | int | None, decimals: int = 0, lang: str = "nb") -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "nb":
        text = text.replace(",", " ").replace(".", ",")
    return text


def day(value: date | datetime, lang: str = "nb") -> str:
    return f"{value:%d.%m.%Y}" if lang == "nb" else f"{value:%Y-%m-%d}"


def moment(value: datetime, lang: str = "nb") -> str:
    return f"{value:%d.%m.%Y %H:%M}" if lang == "nb" else f"{value:%Y-%m-%d %H:%M}"
