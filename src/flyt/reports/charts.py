"""Chart definitions (Vega-Lite through Altair), rendered offline to SVG by vl-convert.

One definition serves the PDF, the HTML report and (later) the dashboard, which
can hand the same spec to vega-embed (vl-convert ships its JavaScript). Numbers
on the axes follow the language (Babel's symbols, flyt.i18n): decimal comma and a
non-breaking space in Norwegian.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt

from flyt import i18n


def number_locale(lang: str) -> dict[str, Any]:
    """d3-format's locale for the axes, from Babel's (flyt.i18n): "1 234,5" in bokmål."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    where = i18n.locale(lang)
    currency = ["", " kr"] if lang == "nb" else ["NOK ", ""]
    return {"decimal": get_decimal_symbol(where), "thousands": get_group_symbol(where),
            "grouping": [3], "currency": currency}


def time_locale(lang: str) -> dict[str, Any] | None:
    """d3-time-format's locale for the month axis ("mar 2024"), from Babel's month and
    day names; None for English, d3's own."""
    if lang != "nb":
        return None
    where = i18n.locale(lang)
    months, days = where.months["stand-alone"], where.days["stand-alone"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday, d3 from Sunday
    return {
        "dateTime": "%A %e. %B %Y kl. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S",
        "periods": ["", ""],
        "days": [days["wide"][d] for d in sunday_first],
        "shortDays": [days["abbreviated"][d].rstrip(".") for d in sunday_first],
        "months": [months["wide"][m] for m in range(1, 13)],
        "shortMonths": [months["abbreviated"][m] for m in range(1, 13)],
    }


SECTOR_COLOURS = {"somatikk": "#1f5fa8", "psykisk_helsevern": "#b5651d", "alle": "#555555"}
FONT = "DejaVu Sans"
LegendOrient = Literal["top", "right", "bottom", "left"]  # of Vega-Lite's orients


@dataclass(frozen=True)
class Style:
    """How a chart is laid out: the reports' (and a wide screen's) default, or `PHONE`."""

    font_size: int = 10
    legend_orient: LegendOrient = "top"
    legend_columns: int | None = None  # None: one row (a horizontal legend)
    legend_title: bool = True
    y_ticks: int | None = None  # None: as many as Vega-Lite likes
    point_size: int = 28
    # The width given is the whole chart's (axes and legend included), not the plot's:
    # a narrow screen gets a chart exactly as wide as itself, so nothing is scaled down.
    fit_width: bool = False
    show_title: bool = True
    # Vega's ARIA attributes (a label on every point). Off where the SVG is hidden
    # from screen readers beside its data table (the pages): a third of the bytes and
    # nearly half the drawing time.
    aria: bool = True


REPORT = Style()
# A wide screen: the legend beside the plot, one name a line (a row of up to sixteen
# names is wider than the plot), words a size larger than on paper.
SCREEN = Style(font_size=12, legend_orient="right", legend_columns=1, aria=False)
# A phone (~360 CSS px of content): words as large as the page's small print, the
# legend under the plot in one column (a legend beside or above squeezes the plot, and
# two columns of region names are wider than a phone), a few y ticks, and no title (the
# page's heading and caption already say it).
PHONE = Style(font_size=13, legend_orient="bottom", legend_columns=1, legend_title=False,
              y_ticks=4, point_size=22, fit_width=True, show_title=False, aria=False)


def to_svg(chart: alt.TopLevelMixin, lang: str = "nb") -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(
        chart.to_dict(), format_locale=number_locale(lang),
        time_format_locale=time_locale(lang))


def _base(values: list[dict[str, Any]], width: int, height: int) -> alt.Chart:
    return alt.Chart(alt.Data(values=values)).properties(width=width, height=height)


def _configured(chart: alt.TopLevelMixin, style: Style = REPORT) -> alt.TopLevelMixin:
    # configure() replaces the chart's config: whatever it sets goes into this one call.
    aria: dict[str, Any] = {} if style.aria else {"aria": False}
    chart = chart.configure(font=FONT, **aria).configure_view(stroke=None).configure_axis(
        labelFontSize=style.font_size, titleFontSize=style.font_size, grid=True,
        gridColor="#e6e6e6")
    if style.fit_width:
        chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return chart


def _legend(title: str, style: Style) -> alt.Legend:
    if style.legend_columns is None:
        return alt.Legend(orient=style.legend_orient, direction="horizontal",
                          title=title if style.legend_title else None)
    return alt.Legend(orient=style.legend_orient, direction="vertical",
                      columns=style.legend_columns, columnPadding=12, labelLimit=0,
                      labelFontSize=style.font_size, titleFontSize=style.font_size,
                      symbolSize=style.font_size * 8,
                      title=title if style.legend_title else None)


def monthly_lines(values: list[dict[str, Any]], *, title: str, y_title: str,
                  series_title: str, target: float | None = None, target_label: str = "",
                  width: int = 620, height: int = 190,
                  style: Style = REPORT) -> alt.TopLevelMixin:
    """A value per month, one line per series (`series` key), an optional target
    line; points with `preliminary` true are drawn hollow (KPI 5 until 30 days after
    the month). `values`: {"month": "2024-03-01", "value": …, "series": label,
    "colour": "#…", "preliminary": bool}. `style`: `PHONE` for a narrow screen."""
    base = _base(values, width, height)
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0,
                                                    tickCount="year"))
    # Series → colour, in the order of first appearance; two series may share a colour
    # (the range is per series, so the colours stay with their names).
    colours: dict[str, str] = {}
    for v in values:
        colours.setdefault(v["series"], v["colour"])
    colour = alt.Color("series:N", title=series_title,
                       scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                       legend=_legend(series_title, style))
    y = alt.Y("value:Q", title=y_title, axis=alt.Axis(tickCount=style.y_ticks or alt.Undefined))
    layers: list[alt.Chart] = [
        base.mark_line(strokeWidth=2).encode(x=x, y=y, color=colour),
        base.mark_point(size=style.point_size, filled=True).encode(
            x=x, y=y, color=colour,
            fill=alt.condition("datum.preliminary", alt.value("white"), colour)),
    ]
    if target is not None:
        rule = alt.Chart(alt.Data(values=[{"target": target, "label": target_label}]))
        layers += [
            rule.mark_rule(strokeDash=[6, 4], color="#2e7d32", strokeWidth=1.5).encode(
                y="target:Q"),
            rule.mark_text(align="right", dy=-7, color="#2e7d32", fontSize=style.font_size,
                           fontWeight="bold").encode(
                y="target:Q", x=alt.value("width"), text="label:N"),
        ]
    chart = alt.layer(*layers)
    return _configured(chart.properties(title=title) if style.show_title else chart, style)


def sparkline(values: list[dict[str, Any]], *, width: int = 110,
              height: int = 22) -> alt.TopLevelMixin:
    """A municipality's own trend in a table cell: `values` {"month", "value"}."""
    chart = _base(values, width, height).mark_line(strokeWidth=1.2, color="#1f5fa8").encode(
        x=alt.X("month:T", axis=None), y=alt.Y("value:Q", axis=None))
    return chart.configure_view(stroke=None).properties(padding=0)


def forecast_band(values: list[dict[str, Any]], *, today: str, today_label: str,
                  y_title: str, names: dict[str, str], title: str | None = None,
                  width: int = 620, height: int = 220,
                  style: Style = REPORT) -> alt.TopLevelMixin:
    """A census and its forecast: the counted days as a solid line, the forecast mean
    dashed, its 80 % interval shaded, a rule at ``today``. ``values``: {"date":
    "2024-04-09", "kind": "recent" | "forecast", "value", "lower", "upper"};
    ``names``: the legend's words for "recent", "forecast" and "band"."""
    base = _base(values, width, height)
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%d.%m", labelAngle=0))
    y = alt.Y("value:Q", title=y_title, axis=alt.Axis(tickCount=style.y_ticks or alt.Undefined))
    # The legend names the three marks (line, dashed line, band) by their words.
    legend_domain = [names["recent"], names["forecast"], names["band"]]
    colour = alt.Color("series:N", title=None, legend=_legend("", style), scale=alt.Scale(
        domain=legend_domain, range=["#222222", "#0072b2", "#9ecae1"]))
    recent = base.transform_filter("datum.kind == 'recent'").transform_calculate(
        series=json.dumps(names["recent"]))
    ahead = base.transform_filter("datum.kind == 'forecast'")
    layers: list[alt.Chart] = [
        ahead.transform_calculate(series=json.dumps(names["band"])).mark_area(opacity=0.6).encode(
            x=x, y=alt.Y("lower:Q", title=y_title), y2="upper:Q", color=colour),
        recent.mark_line(strokeWidth=2).encode(x=x, y=y, color=colour),
        ahead.transform_calculate(series=json.dumps(names["forecast"])).mark_line(
            strokeWidth=2, strokeDash=[6, 4]).encode(x=x, y=y, color=colour),
    ]
    rule = alt.Chart(alt.Data(values=[{"date": today, "label": today_label}]))
    layers += [
        rule.mark_rule(color="#8e1b1b", strokeWidth=1.5).encode(x="date:T"),
        rule.mark_text(align="left", dx=4, dy=-4, baseline="top", color="#8e1b1b",
                       fontSize=style.font_size, fontWeight="bold").encode(
            x="date:T", y=alt.value(0), text="label:N"),
    ]
    chart = alt.layer(*layers)
    return _configured(chart.properties(title=title) if title and style.show_title else chart,
                       style)


def simulation_intervals(values: list[dict[str, Any]], *, x_title: str, names: list[str],
                         title: str | None = None, width: int = 620,
                         height: int | None = None,
                         style: Style = REPORT) -> alt.TopLevelMixin:
    """A what-if measure per group (the community, the regions) on one axis: each run's
    mean as a point and its 90 % interval as a bar through it, the runs side by side
    within a group. ``values``: {"group", "run", "mean", "lower", "upper"}, the groups
    in the order to show; ``names``: the runs' words, in the legend's order (baseline,
    scenario)."""
    groups = list(dict.fromkeys(v["group"] for v in values))
    base = _base(values, width, height or max(60, 22 * len(groups) * max(1, len(names))))
    y = alt.Y("group:N", title=None, sort=groups, axis=alt.Axis(labelLimit=220))
    offset = alt.YOffset("run:N", sort=names)
    colour = alt.Color("run:N", title=None, legend=_legend("", style),
                       scale=alt.Scale(domain=names, range=["#555555", "#0072b2"]))
    # A phone's chart has no titles: the page's heading names the measure, and a long
    # label would be cut at the narrow chart's edge.
    x = alt.X("lower:Q", title=x_title if style.show_title else None,
              scale=alt.Scale(zero=False),
              axis=alt.Axis(tickCount=style.y_ticks or alt.Undefined))
    chart = alt.layer(
        base.mark_rule(strokeWidth=3).encode(x=x, x2="upper:Q", y=y, yOffset=offset,
                                             color=colour),
        base.mark_point(filled=True, size=style.point_size * 3, shape="diamond").encode(
            x=alt.X("mean:Q"), y=y, yOffset=offset, color=colour),
    )
    return _configured(chart.properties(title=title) if title and style.show_title else chart,
                       style)
