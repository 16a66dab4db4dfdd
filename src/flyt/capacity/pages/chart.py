"""The forecast chart of /kapasitet: the recent census and the forecast of one series as
rows (the JSON's, the chart's text alternative) and as SVG, drawn by the reports'
definition (flyt.reports.charts.forecast_band) wide and narrow as the dashboard's
charts (flyt.web.pages.charts): decorative beside its table."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from flyt.capacity.overview import Series
from flyt.i18n import t
from flyt.reports import charts
from flyt.web.pages.charts import LAYOUTS

DECIMALS = 2  # a fraction of a patient is enough; more only pretends


def _number(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), DECIMALS)


def rows(series: Series) -> dict[str, list[dict[str, Any]]]:
    """{"recent": [{"date", "count"}], "forecast": [{"date", "mean", "lower", "upper"}]};
    a day without a count has count None."""
    recent = [{"date": day.date().isoformat(), "count": _number(value)}
              for day, value in series.recent.items()]
    ahead = [] if series.forecast is None else [
        {"date": day.date().isoformat(), "mean": _number(r["mean"]),
         "lower": _number(r["lower"]), "upper": _number(r["upper"])}
        for day, r in series.forecast.iterrows()]
    return {"recent": recent, "forecast": ahead}


def chart(data: dict[str, list[dict[str, Any]]], today: str, y_title: str,
          lang: str) -> Markup:
    """The chart twice, wide and narrow (flyt.css shows the one that fits)."""
    values = [{"date": r["date"], "kind": "recent", "value": r["count"]}
              for r in data["recent"] if r["count"] is not None]
    values += [{"date": r["date"], "kind": "forecast", "value": r["mean"],
                "lower": r["lower"], "upper": r["upper"]} for r in data["forecast"]]
    if not values:
        return Markup("")
    names = json.dumps({"recent": t("capacity_pages_census", lang),
                        "forecast": t("capacity_pages_forecast_mean", lang),
                        "band": t("capacity_pages_band", lang)})
    text = json.dumps(values)
    return Markup("".join(
        f'<div class="chart chart-{layout}">'
        f'{_svg(text, today, t("capacity_pages_today", lang), y_title, names, lang, layout)}'
        f'</div>' for layout in LAYOUTS))


@lru_cache(maxsize=64)
def _svg(values: str, today: str, today_label: str, y_title: str, names: str, lang: str,
         layout: str) -> str:
    width, height, style = LAYOUTS[layout]
    drawn = charts.forecast_band(json.loads(values), today=today, today_label=today_label,
                                 y_title=y_title, names=json.loads(names), width=width,
                                 height=height, style=style)
    svg = charts.to_svg(drawn, lang)
    # Decorative beside its table (aria-hidden): the table is the chart's text.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
