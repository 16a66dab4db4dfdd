"""Chart definitions (Vega-Lite through Altair), rendered offline to SVG by vl-convert.

One definition serves the PDF, the HTML report and (later) the dashboard, which
can hand the same spec to vega-embed (vl-convert ships its JavaScript). Numbers
on the axes follow the language (Babel's symbols, flyt.i18n): decimal comma and a
non-breaking space in Norwegian.
"""

from __future__ import annotations

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


def forecast_band(values: list[dict[str, Any]], *, today: str, today_label: str, title: str,
                  y_title: str, observed_label: str, forecast_label: str,
                  width: int = 620, height: int = 200,
                  style: Style = REPORT) -> alt.TopLevelMixin:
    """A daily count and its forecast: the counts as a solid line, the forecast's mean
    dashed in its 80 % band, a rule at ``today`` (ISO day) with ``today_label``.
    ``values``: {"day": "2024-04-09", "value": count or None, "mean", "lower", "upper"
    (None before the forecast)}."""
    base = _base(values, width, height)
    x = alt.X("day:T", title=None, axis=alt.Axis(format="%d.%m", labelAngle=0))
    y_axis = alt.Axis(tickCount=style.y_ticks or alt.Undefined)
    kind = alt.Color("kind:N", title=None, legend=_legend("", style), scale=alt.Scale(
        domain=[observed_label, forecast_label], range=["#1a1a1a", "#1f5fa8"]))
    layers: list[alt.Chart] = [
        base.transform_filter("datum.lower != null").mark_area(
            color="#1f5fa8", opacity=0.2).encode(
            x=x, y=alt.Y("lower:Q", title=y_title, axis=y_axis), y2="upper:Q"),
        base.transform_filter("datum.mean != null").transform_calculate(
            kind=f"{forecast_label!r}").mark_line(strokeWidth=2, strokeDash=[6, 3]).encode(
            x=x, y=alt.Y("mean:Q", title=y_title, axis=y_axis), color=kind),
        base.transform_filter("datum.value != null").transform_calculate(
            kind=f"{observed_label!r}").mark_line(strokeWidth=2).encode(
            x=x, y=alt.Y("value:Q", title=y_title, axis=y_axis), color=kind),
    ]
    mark = alt.Chart(alt.Data(values=[{"day": today, "label": today_label}]))
    layers += [
        mark.mark_rule(color="#b00020", strokeWidth=1.5).encode(x="day:T"),
        mark.mark_text(align="left", dx=4, y=6, color="#b00020", fontSize=style.font_size,
                       fontWeight="bold").encode(x="day:T", text="label:N"),
    ]
    chart = alt.layer(*layers)
    return _configured(chart.properties(title=title) if style.show_title else chart, style)
