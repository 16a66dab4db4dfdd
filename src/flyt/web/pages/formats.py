"""How the pages write numbers, dates and small charts in HTML (the JSON twins keep
numbers as numbers and dates ISO). Registered as Jinja filters and globals on the
web environment when a page module is imported, so templates say
``{{ value | kpi(1, lang) }}`` or ``{{ iso | day(lang) }}``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from markupsafe import Markup, escape

from flyt import i18n
from flyt.reports.monthly import fmt
from flyt.web.pages.charts import line_chart
from flyt.web.render import environment

SPARK_WIDTH, SPARK_HEIGHT = 120, 32


def kpi_value(value: Any, kpi: int, lang: str = "nb", hidden: bool = False) -> str:
    """A KPI value as the reports write it: shares with %, "skjult", "–", "<5"."""
    return fmt(kpi, value, lang, hidden=hidden)


def day(value: str | date | None, lang: str = "nb") -> str:
    """An ISO date or moment as a day: 20.05.2024 in Norwegian."""
    if not value:
        return "–"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return i18n.day(moment, lang)


def moment(value: str | datetime | None, lang: str = "nb") -> str:
    """An ISO moment as 20.05.2024 08:00 in Norwegian; 00:00 is left out (a date)."""
    if not value:
        return "–"
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return i18n.day(at, lang) if (at.hour, at.minute) == (0, 0) else i18n.moment(at, lang)


def month(value: str, lang: str = "nb") -> str:
    """``2024-03`` as "mars 2024" / "March 2024"."""
    year, number = value.split("-")
    return f"{i18n.month_name(int(number), lang)} {year}"


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
    env.filters.update(kpi=kpi_value, day=day, moment=moment, month=month)
    env.globals.update(sparkline=sparkline, line_chart=line_chart)


_install()
