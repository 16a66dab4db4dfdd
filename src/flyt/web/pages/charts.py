"""The trend charts of the pages: the reports' Altair definitions (flyt.reports.charts)
drawn from a page's own JSON data, so the chart shows exactly the twin's numbers.
vl-convert takes ~50 ms a chart: drawn SVGs are kept per (data, language, layout).

Each chart is drawn twice: wide for a desktop, narrow for a phone (its legend under
the plot, larger words, as wide as the screen so nothing is scaled down). The page
holds both and flyt.css shows the one that fits; both are decorative beside the
chart's data table, which is the chart's text."""

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
# (width, height, style): the wide chart's plot size; the narrow one's whole width, the
# content width of a 390 px phone (flyt.css: main's padding), and its plot height.
WIDE = (620, 260, charts.SCREEN)
NARROW = (358, 240, charts.PHONE)
LAYOUTS = {"wide": WIDE, "narrow": NARROW}


def line_chart(series: list[dict[str, Any]], field: str, *, title: str, y_title: str,
               series_title: str, target: float | None, target_label: str,
               lang: str, label: Callable[[str], str] = str) -> Markup:
    """One line per series ({"name", "values": [{"month", field, "preliminary"}]});
    `label` gives a series name as shown (the pages pass `t`: "community" → "Hele
    helsefellesskapet", a municipality's name unchanged)."""
    values = [{"month": f"{v['month']}-01", "value": v[field], "series": label(s["name"]),
               "colour": colour(i), "preliminary": bool(v.get("preliminary"))}
              for i, s in enumerate(series) for v in s["values"]
              if isinstance(v.get(field), int | float)]
    if not values:
        return Markup("")
    data = json.dumps(values)
    return Markup("".join(
        f'<div class="chart chart-{name}">'
        f'{_svg(data, title, y_title, series_title, target, target_label, lang, name)}</div>'
        for name in LAYOUTS))


def colour(index: int) -> str:
    """The first line (the community, the reference) has black to itself; the others
    go round the rest of the palette, so a ninth line is never taken for the first."""
    return PALETTE[0] if index == 0 else PALETTE[1 + (index - 1) % (len(PALETTE) - 1)]


@lru_cache(maxsize=256)
def _svg(values: str, title: str, y_title: str, series_title: str, target: float | None,
         target_label: str, lang: str, layout: str) -> str:
    width, height, style = LAYOUTS[layout]
    chart = charts.monthly_lines(json.loads(values), title=title, y_title=y_title,
                                 series_title=series_title, target=target,
                                 target_label=target_label, width=width, height=height,
                                 style=style)
    svg = charts.to_svg(chart, lang)
    # The SVG is decorative beside its data table (aria-hidden); the table is the text.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
