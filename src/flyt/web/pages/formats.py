"""How the pages write numbers, dates and small charts in HTML (the JSON twins keep
numbers as numbers and dates ISO). Registered as Jinja filters and globals on the
web environment when a page module is imported, so templates say
``{{ value | kpi(1, lang) }}`` or ``{{ iso | day(lang) }}``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import jinja2
from markupsafe import Markup, escape

from flyt import i18n
from flyt.reports.monthly import fmt
from flyt.web.pages.charts import line_chart
from flyt.web.render import environment

SPARK_WIDTH, SPARK_HEIGHT = 120, 32


def _mark(mark: str, label: str) -> Markup:
    """A mark for a figure not shown, with its meaning for screen readers and on hover."""
    text = escape(label)
    return Markup(f'<span class="mark" title="{text}"><span aria-hidden="true">{mark}</span>'
                  f'<span class="visually-hidden">{text}</span></span>')


def kpi_value(value: Any, kpi: int, lang: str = "nb", hidden: bool = False) -> Markup:
    """A KPI value as the reports write it (shares with %), or the mark for hidden
    (i18n.HIDDEN_MARK) or no value (i18n.NO_VALUE_MARK)."""
    if hidden:
        return _mark(i18n.HIDDEN_MARK, i18n.t("hidden", lang))
    if value is None:
        return _mark(i18n.NO_VALUE_MARK, i18n.t("none", lang))
    return escape(fmt(kpi, value, lang))


def shown(value: Any, hidden: bool, decimals: int = 0, lang: str = "nb") -> Markup:
    """A derived number (a rate per 1 000) that is hidden with what it is computed from."""
    if hidden:
        return _mark(i18n.HIDDEN_MARK, i18n.t("hidden", lang))
    if value is None:
        return _mark(i18n.NO_VALUE_MARK, i18n.t("none", lang))
    return escape(i18n.number(value, decimals, lang))


def trend_text(points: list[dict], kpi: int, lang: str = "nb") -> str:
    """A small trend's values as plain text (a chart's text alternative)."""
    return ", ".join(fmt(kpi, p.get("value"), lang, hidden=bool(p.get("hidden")))
                     for p in points)


@jinja2.pass_context
def marks_legend(context: Any) -> str:
    """What ":" and "–" mean, with the threshold of this installation."""
    threshold = context["request"].app.state.settings.suppression_threshold
    return i18n.t("marks_legend", context["lang"]).format(below=threshold - 1)


def day(value: str | date | None, lang: str = "nb") -> str:
    """An ISO date or moment as a day: 20.05.2024 in Norwegian."""
    if not value:
        return i18n.NO_VALUE_MARK
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return i18n.day(moment, lang)


def moment(value: str | datetime | None, lang: str = "nb") -> str:
    """An ISO moment as 20.05.2024 08:00 in Norwegian; 00:00 is left out (a date)."""
    if not value:
        return i18n.NO_VALUE_MARK
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return i18n.day(at, lang) if (at.hour, at.minute) == (0, 0) else i18n.moment(at, lang)


def month(value: str, lang: str = "nb") -> str:
    """``2024-03`` as "mars 2024" / "March 2024"."""
    year, number = value.split("-")
    return i18n.month(date(int(year), int(number), 1), lang)


def sparkline(values: list[Any], label: str) -> Markup:
    """A small line of the numbers in `values` (others are gaps) as inline SVG, with
    `label` as its text alternative. Drawn here, not by vl-convert: six tiles at
    ~45 ms a chart would be most of a page's time budget."""
    numbers = [v for v in values if isinstance(v, int | float)]
    if len(numbers) < 2:
        return Markup("")
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{SPARK_HEIGHT - 2 - (v - low) / span * (SPARK_HEIGHT - 4):.1f}"
        for i, v in enumerate(values) if isinstance(v, int | float))
    text = escape(label)
    return Markup(
        f'<svg class="spark" role="img" aria-label="{text}" width="{SPARK_WIDTH}" '
        f'height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">'
        f'<title>{text}</title><polyline fill="none" stroke="#1f5fa8" stroke-width="2" '
        f'points="{points}"/></svg>')


def _install() -> None:
    env = environment()
    env.filters.update(kpi=kpi_value, shown=shown, day=day, moment=moment, month=month)
    env.globals.update(sparkline=sparkline, line_chart=line_chart, marks_legend=marks_legend,
                       trend_text=trend_text)


_install()
