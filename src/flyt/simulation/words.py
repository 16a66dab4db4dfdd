"""The what-if's codes in words (the page and the report say the same)."""

from __future__ import annotations

from collections.abc import Mapping

from flyt import i18n
from flyt.i18n import t
from flyt.simulation.scenario import BEDS, Change


def measure_label(measure: str, lang: str) -> str:
    """kpi1 … payment_rising (flyt.simulation.summary.MEASURES) as a label with its unit."""
    return t(f"sim_measure_{measure}", lang)


def run_label(run: str, lang: str) -> str:
    """baseline, scenario, difference (flyt.simulation.summary.RUNS)."""
    return t(f"sim_run_{run}", lang)


def step_label(step: str, lang: str) -> str:
    """What a run is doing (flyt.simulation.run.STEPS), for a page that waits."""
    return t(f"sim_step_{step}", lang)


def change_text(change: Change, names: Mapping[str, str], lang: str) -> str:
    """One change in words: «5028 Melhus: korttidsplasser +3», «Alle kommuner: UKP-tilgang
    +30 % (01.01.2024–29.02.2024)»."""
    if change.unit:
        target = change.unit
    elif change.municipality:
        target = f"{change.municipality} {names.get(change.municipality, '')}".strip()
    else:
        target = t("sim_target_all", lang)
    if change.kind == BEDS:
        amount = f"{'+' if change.value > 0 else ''}{i18n.number(int(change.value), 0, lang)}"
    else:
        amount = (("+" if change.value > 0 else "")
                  + i18n.percent(change.value * 100, 0, lang))
    text = f"{target}: {t(f'sim_kind_{change.kind}', lang)} {amount}"
    if change.first or change.last:
        first = i18n.day(change.first, lang) if change.first else "…"
        last = i18n.day(change.last, lang) if change.last else "…"
        text += f" ({first}–{last})"
    return text
