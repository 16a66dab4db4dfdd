"""Capacity: the forecast of the daily 08:00 census (history, calendar, forecast,
backtest; docs/capacity.md) and the escalation levels built on it (escalation*). Plans
and pages are to build on it.

Its public surface for other areas: ``escalation_alert`` (the daily run of the levels
with their e-mail, run by the schedule loop) and ``escalation_settings``.
"""

__all__ = ["escalation_alert", "escalation_settings"]
