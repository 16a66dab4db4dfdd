"""Capacity: the forecast of the daily 08:00 census (history, calendar, forecast,
backtest; docs/capacity.md). Escalation, plans and pages are to build on it."""
