"""The what-if's codes in words (the page and the report say the same)."""

from __future__ import annotations

from flyt.i18n import t


def measure_label(measure: str, lang: str) -> str:
    """kpi1 … payment_rising (flyt.simulation.summary.MEASURES) as a label with its unit."""
    return t(f"sim_measure_{measure}", lang)


def run_label(run: str, lang: str) -> str:
    """baseline, scenario, difference (flyt.simulation.summary.RUNS)."""
    return t(f"sim_run_{run}", lang)


def step_label(step: str, lang: str) -> str:
    """What a run is doing (flyt.simulation.run.STEPS), for a page that waits."""
    return t(f"sim_step_{step}", lang)
