"""``flyt report monthly|snapshot|payment``: the reports of case 4/24 (docs/reports.md)."""

from __future__ import annotations

import click


@click.group(name="report")
def report() -> None:
    """Write a report: monthly KPI report, snapshot, payment basis."""
