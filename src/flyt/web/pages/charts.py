"""The trend charts of the pages: the reports' Altair definitions (flyt.reports.charts)
drawn from a page's own JSON data, so the chart shows exactly the twin's numbers.
vl-convert takes ~50 ms a chart: drawn SVGs are kept per (data, language)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from flyt.reports import charts

# Distinguishable for common colour blindness (Okabe–Ito), dark enough on white.
PALETTE = ("#222222", "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9",
           "#e69f00")


def line_chart(series: list[dict[str, Any]], field: str, *, title: str, y_title: str,
               series_title: str, target: float | None, target_label: str,
               lang: str, label: Callable[[str], str] = str) -> Markup:
    """One line per series ({"name", "values": [{"month", field, "preliminary"}]});
    `label` gives a series name as shown (the pages pass `t`: "community" → "Hele
    helsefellesskapet", a municipality's name unchanged)."""
    values = [{"month": f"{v['month']}-01", "value": v[field], "series": label(s["name"]),
               "colour": PALETTE[i % len(PALETTE)], "preliminary": bool(v.get("preliminary"))}
              for i, s in enumerate(series) for v in s["values"]
              if isinstance(v.get(field), int | float)]
    if not values:
        return Markup("")
    return Markup(_svg(json.dumps(values), title, y_title, series_title, target, target_label,
                       lang))


@lru_cache(maxsize=128)
def _svg(values: str, title: str, y_title: str, series_title: str, target: float | None,
         target_label: str, lang: str) -> str:
    chart = charts.monthly_lines(json.loads(values), title=title, y_title=y_title,
                                 series_title=series_title, target=target,
                                 target_label=target_label, width=560, height=220)
    svg = charts.to_svg(chart, lang)
    # The SVG is decorative beside its data table (aria-hidden); the table is the text.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
