"""Capacity: the forecast of the daily 08:00 census (history, calendar, forecast,
backtest), the escalation levels, the seasonal calendar and the weekly capacity report
(docs/capacity.md).

Its public surface for other areas: ``report`` (what flyt.reports mails for the
schedule, kind ``capacity``).
"""

__all__ = ["report"]  # modules other areas may import (tests/test_layout.py)
