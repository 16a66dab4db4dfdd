"""The what-if report for the committee (``flyt report simulation``; docs/simulation.md,
"The report"): what the scenario changes, and per measure the baseline, the scenario and
their difference with 90 % intervals for the community and each region, then each
municipality's UKP days and payment. HTML and PDF (A4) from one template.

Everything comes from ``run.simulate``'s rows; nothing is computed again here. The
numbers are a model's, not counts of people: no disclosure control applies (the report
says so), and the model reads patient-level stays only to calibrate.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flyt import i18n
from flyt.output import documents
from flyt.simulation import summary
from flyt.simulation.run import Result
from flyt.simulation.words import cell, change_text, group_label, measure_label, run_label

# The measures the municipalities' table shows (the rest per community and region).
MUNICIPALITY_MEASURES = ("kpi1", "payment")


def chart(result: Result, measure: str, names: Mapping[str, str], lang: str) -> str:
    """Baseline and scenario of the community and the regions as points with their 90 %
    interval (flyt.reports.charts.simulation_intervals, as on the page), an SVG."""
    from flyt.reports import charts

    values = [{"group": group_label(r.group_type, r.group_id, names, lang),
               "run": run_label(r.run, lang), "mean": r.mean, "lower": r.lower,
               "upper": r.upper}
              for r in result.rows if r.measure == measure and r.run != "difference"
              and r.group_type != "municipality" and r.mean is not None]
    if not values:
        return ""
    runs = [run_label(run, lang) for run in summary.RUNS[:2]
            if any(r.run == run for r in result.rows)]
    return charts.to_svg(charts.simulation_intervals(
        values, x_title=measure_label(measure, lang), names=runs, width=560), lang)


def context(result: Result, names: Mapping[str, str], lang: str) -> dict[str, Any]:
    """What the template shows, every number formatted for ``lang``, each measure's chart
    as SVG."""
    index = {(r.run, r.group_type, r.group_id, r.measure): r for r in result.rows}
    runs = [run for run in summary.RUNS if any(r.run == run for r in result.rows)]
    groups = list(dict.fromkeys((r.group_type, r.group_id) for r in result.rows))

    def line(group: tuple[str, str], measure: str) -> dict[str, Any]:
        return {"group": group_label(*group, names, lang),
                "community": group[0] == "community",
                "cells": [cell(index.get((run, *group, measure)), lang)
                          for run in runs]}

    sections = [{"measure": measure, "label": measure_label(measure, lang),
                 "lines": [line(g, measure) for g in groups if g[0] != "municipality"],
                 "chart": chart(result, measure, names, lang)}
                for measure in summary.MEASURES]
    municipal = [{"measure": measure, "label": measure_label(measure, lang),
                  "lines": [line(g, measure) for g in groups if g[0] == "municipality"]}
                 for measure in MUNICIPALITY_MEASURES]
    scenario = result.scenario
    t = i18n.t
    return {
        "title": t("simrep_title", lang) + (f": {scenario.name}" if scenario and scenario.name
                                            else ""),
        "meta": t("simrep_meta", lang).format(
            first=i18n.day(result.first, lang), last=i18n.day(result.last, lang),
            replications=i18n.number(result.replications, 0, lang), seed=result.seed,
            window_first=i18n.day(result.calibrated_from, lang),
            window_last=i18n.day(result.first - timedelta(days=1), lang)),
        "changes": [change_text(c, names, lang) for c in scenario.changes]
        if scenario else [],
        "runs": [run_label(run, lang) for run in runs],
        "sections": sections, "municipal": municipal,
        "footer": t("simrep_footer", lang),
    }


def to_html(result: Result, names: Mapping[str, str], lang: str = "nb") -> str:
    shown = context(result, names, lang)
    return documents.html("flyt.simulation", "report/simulation_report.html.j2", lang=lang,
                          t=lambda key: i18n.t(key, lang), title=shown["title"],
                          footer=shown["footer"], report=shown)
