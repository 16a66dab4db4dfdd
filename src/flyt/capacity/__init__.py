"""Capacity: the forecast of the daily 08:00 census (history, calendar, forecast,
backtest; docs/capacity.md), the escalation levels built on it (escalation*), the
municipalities' escalation plans, the seasonal calendar and the weekly capacity report.

Its public surface for other areas: ``escalation_alert`` (the daily run of the levels
with their e-mail, run by the schedule loop), ``escalation_settings`` and ``report``
(what flyt.reports mails for the schedule, kind ``capacity``).
"""

__all__ = ["escalation_alert", "escalation_settings", "report"]  # tests/test_layout.py
