"""A what-if run as the page shows it: the changes in words, and per measure a chart
(flyt.reports.charts.simulation_intervals, wide and narrow as the dashboard's charts)
and tables of the mean and 90 % interval per run, numbers as the language writes them.
The numbers are the run's rows (flyt.simulation.summary.Row), never recomputed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from flyt.i18n import t
from flyt.reports import charts
from flyt.simulation.scenario import Scenario
from flyt.simulation.summary import MEASURES, RUNS, Row
from flyt.simulation.words import cell, change_text, group_label, measure_label, run_label
from flyt.web.pages.charts import LAYOUTS

CHARTED = ("community", "region")  # the chart's and the first table's groups


def kind_label(kind: str, lang: str) -> str:
    """A change's kind (flyt.simulation.scenario.KINDS) in words."""
    return t(f"simpage_kind_{kind}", lang)


def kind_help(kind: str, lang: str) -> str:
    """What a kind does, in one sentence with an example."""
    return t(f"simpage_help_{kind}", lang)


def changes(scenario: Scenario | None, names: Mapping[str, str], lang: str) -> list[str]:
    return [] if scenario is None else [change_text(c, names, lang) for c in scenario.changes]


def change_records(scenario: Scenario | None) -> list[dict[str, Any]]:
    """The JSON twin's changes, as a scenario file writes them."""
    return [] if scenario is None else [
        {"kind": c.kind, "value": c.value, "municipality": c.municipality, "unit": c.unit,
         "from": c.first.isoformat() if c.first else None,
         "to": c.last.isoformat() if c.last else None} for c in scenario.changes]


def measures(rows: list[Row], names: Mapping[str, str], lang: str) -> list[dict[str, Any]]:
    """Per measure: its label, the chart, and the table rows of the community and the
    regions (`groups`) and of the municipalities, each with a cell per run."""
    runs = [r for r in RUNS if any(row.run == r for row in rows)]
    found: dict[tuple[str, str, str, str], Row] = {
        (r.measure, r.group_type, r.group_id, r.run): r for r in rows}
    order = list(dict.fromkeys((r.group_type, r.group_id) for r in rows))
    out = []
    for measure in MEASURES:
        tables: dict[str, list[dict[str, Any]]] = {"groups": [], "municipalities": []}
        for group_type, group_id in order:
            cells = [cell(found.get((measure, group_type, group_id, run)), lang)
                     for run in runs]
            some = next(found[(measure, group_type, group_id, run)] for run in runs
                        if (measure, group_type, group_id, run) in found)
            table = "groups" if group_type in CHARTED else "municipalities"
            tables[table].append({"name": group_label(some.group_type, some.group_id, names,
                                                             lang), "cells": cells})
        out.append({"measure": measure, "label": measure_label(measure, lang),
                    "chart": chart(rows, measure, names, lang), **tables})
    return out


def run_labels(rows: list[Row], lang: str) -> list[str]:
    return [run_label(r, lang) for r in RUNS if any(row.run == r for row in rows)]


def chart(rows: list[Row], measure: str, names: Mapping[str, str], lang: str) -> Markup:
    """Baseline and scenario of the community and the regions (the difference has a
    scale of its own: it is in the table), wide and narrow."""
    values = [{"group": group_label(r.group_type, r.group_id, names, lang),
               "run": run_label(r.run, lang),
               "mean": r.mean, "lower": r.lower, "upper": r.upper}
              for r in rows if r.measure == measure and r.group_type in CHARTED
              and r.run != "difference" and r.mean is not None]
    if not values:
        return Markup("")
    shown = [run_label(r, lang) for r in RUNS[:2] if any(v["run"] == run_label(r, lang)
                                                        for v in values)]
    text = json.dumps(values)
    return Markup("".join(
        f'<div class="chart chart-{layout}">'
        f'{_svg(text, measure_label(measure, lang), json.dumps(shown), lang, layout)}</div>'
        for layout in LAYOUTS))


@lru_cache(maxsize=128)
def _svg(values: str, x_title: str, names: str, lang: str, layout: str) -> str:
    width, _, style = LAYOUTS[layout]
    drawn = charts.simulation_intervals(json.loads(values), x_title=x_title,
                                        names=json.loads(names), width=width, style=style)
    svg = charts.to_svg(drawn, lang)
    # Decorative beside its table (aria-hidden): the table is the chart's text.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
