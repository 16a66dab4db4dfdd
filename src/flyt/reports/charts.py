"""Chart definitions (Vega-Lite through Altair), rendered offline to SVG by vl-convert.

One definition serves the PDF, the HTML report and (later) the dashboard, which
can hand the same spec to vega-embed (vl-convert ships its JavaScript). Numbers
on the axes follow the language: decimal comma and a thin space in Norwegian.
"""

from __future__ import annotations

from typing import Any

import altair as alt

NB_NUMBERS = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " kr"]}
EN_NUMBERS = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["NOK ", ""]}
NB_TIME = {
    "dateTime": "%A %e. %B %Y kl. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S",
    "periods": ["", ""],
    "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
    "months": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
               "september", "oktober", "november", "desember"],
    "shortMonths": ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt",
                    "nov", "des"],
}
SECTOR_COLOURS = {"somatikk": "#1f5fa8", "psykisk_helsevern": "#b5651d", "alle": "#555555"}
FONT = "DejaVu Sans"


def to_svg(chart: alt.TopLevelMixin, lang: str = "nb") -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(
        chart.to_dict(), format_locale=NB_NUMBERS if lang == "nb" else EN_NUMBERS,
        time_format_locale=NB_TIME if lang == "nb" else None)


def _base(values: list[dict[str, Any]], width: int, height: int) -> alt.Chart:
    return alt.Chart(alt.Data(values=values)).properties(width=width, height=height)


def _configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_view(stroke=None).configure_axis(
        labelFontSize=10, titleFontSize=10, grid=True, gridColor="#e6e6e6")


def monthly_lines(values: list[dict[str, Any]], *, title: str, y_title: str,
                  series_title: str, target: float | None = None, target_label: str = "",
                  width: int = 620, height: int = 190) -> alt.TopLevelMixin:
    """A value per month, one line per series (`series` key), an optional target
    line; points with `preliminary` true are drawn hollow (KPI 5 until 30 days after
    the month). `values`: {"month": "2024-03-01", "value": …, "series": label,
    "colour": "#…", "preliminary": bool}."""
    base = _base(values, width, height)
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0,
                                                    tickCount="year"))
    colour = alt.Color("series:N", title=series_title,
                       scale=alt.Scale(domain=list(dict.fromkeys(v["series"] for v in values)),
                                       range=list(dict.fromkeys(v["colour"] for v in values))),
                       legend=alt.Legend(orient="top", direction="horizontal"))
    y = alt.Y("value:Q", title=y_title)
    layers: list[alt.TopLevelMixin] = [
        base.mark_line(strokeWidth=2).encode(x=x, y=y, color=colour),
        base.mark_point(size=28, filled=True).encode(
            x=x, y=y, color=colour,
            fill=alt.condition("datum.preliminary", alt.value("white"), colour)),
    ]
    if target is not None:
        rule = alt.Chart(alt.Data(values=[{"target": target, "label": target_label}]))
        layers += [
            rule.mark_rule(strokeDash=[6, 4], color="#2e7d32", strokeWidth=1.5).encode(
                y="target:Q"),
            rule.mark_text(align="right", dy=-7, color="#2e7d32", fontSize=10,
                           fontWeight="bold").encode(
                y="target:Q", x=alt.value(width), text="label:N"),
        ]
    return _configured(alt.layer(*layers).properties(title=title))


def sparkline(values: list[dict[str, Any]], *, width: int = 110,
              height: int = 22) -> alt.TopLevelMixin:
    """A municipality's own trend in a table cell: `values` {"month", "value"}."""
    chart = _base(values, width, height).mark_line(strokeWidth=1.2, color="#1f5fa8").encode(
        x=alt.X("month:T", axis=None), y=alt.Y("value:Q", axis=None))
    return chart.configure_view(stroke=None).properties(padding=0)
