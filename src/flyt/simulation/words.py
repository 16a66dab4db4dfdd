"""The what-if's codes in words (the page and the report say the same)."""

from __future__ import annotations

from collections.abc import Mapping

from flyt import i18n
from flyt.i18n import t
from flyt.simulation.scenario import BEDS, Change
from flyt.simulation.summary import DECIMALS, Row


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
    """One change in words: «5028 Melhus: korttidsplasser +3», «Alle kommuner: nye
    UKP-pasienter +30 % (01.01.2024–29.02.2024)»."""
    if change.unit:
        target = change.unit
    elif change.municipality:
        target = f"{change.municipality} {names.get(change.municipality, '')}".strip()
    else:
        target = t("sim_target_all", lang)
    if change.kind == BEDS:
        amount = i18n.signed(int(change.value), 0, lang)
    else:
        unit = "\u00a0%" if lang == "nb" else "%"  # as i18n.percent writes it
        amount = f"{i18n.signed(change.value * 100, 1, lang)}{unit}"
    text = f"{target}: {t(f'sim_kind_{change.kind}', lang)} {amount}"
    if change.first or change.last:
        first = i18n.day(change.first, lang) if change.first else "…"
        last = i18n.day(change.last, lang) if change.last else "…"
        text += f" ({first}–{last})"
    return text


def group_label(group_type: str, group_id: str, names: Mapping[str, str], lang: str) -> str:
    """The community in words, a municipality as «5031 Malvik», a region by its name."""
    if group_type == "community":
        return i18n.group_name("community", lang)
    if group_type == "municipality":
        return f"{group_id} {names.get(group_id, '')}".strip()
    return group_id  # a region's name is data


def cell(row: Row | None, lang: str) -> dict[str, str]:
    """A row's mean and its 90 % interval as the page and the report show them (a
    difference signed); no value: the no-value mark and no interval."""
    if row is None or row.mean is None:
        return {"mean": i18n.number(None, 0, lang), "interval": ""}
    digits = DECIMALS[row.measure]
    write = i18n.signed if row.run == "difference" else i18n.number
    return {"mean": write(row.mean, digits, lang),
            "interval": f"[{write(row.lower, digits, lang)}; {write(row.upper, digits, lang)}]"}
