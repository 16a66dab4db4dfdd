"""The demo data, imported through the real importer and counted by the KPI engine,
holds the seeds' calibration (seed 002: 11 588 UKP days in 2022, doubling since 2019,
falling from 2024)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from flyt.config import Settings
from flyt.demo.generate import generate
from flyt.engine.compute import compute
from flyt.engine.read import kpi_rows
from flyt.ingest.importer import import_file

pytestmark = pytest.mark.slow


def test_the_engine_counts_the_calibrated_ukp_days_in_the_demo_data(db, tmp_path):
    summary = generate(tmp_path, until=date(2026, 11, 1))
    settings = Settings(database_url="", pseudonym_key=b"k")
    for kind, name in (("stays", "stays"), ("ukp-periods", "ukp_periods"),
                       ("short-stays", "short_stays"), ("beds", "beds")):
        report = import_file(db, kind, summary.files[name], settings=settings, recompute=False)
        assert report.status == "ok", report.errors[:3]
    cutoff = datetime(2026, 11, 1)
    compute(db, cutoff)
    rows = kpi_rows(db, cutoff)
    days = {}
    for r in rows:
        if r.kpi == 1 and r.group_type == "community" and r.sector == "alle":
            days[r.month[:4]] = days.get(r.month[:4], 0) + r.numerator
    assert abs(days["2022"] - 11588) <= 0.03 * 11588
    assert 1.7 <= days["2022"] / days["2019"] <= 2.3
    assert days["2024"] < days["2023"] and days["2025"] < days["2024"]
    # The engine and the generator's own count agree to the day.
    assert days["2022"] == summary.ukp_days_by_year[2022]
    # Trondheim is the largest municipality, Tydal among the smallest.
    by_muni = {}
    for r in rows:
        if r.kpi == 1 and r.group_type == "municipality" and r.sector == "alle":
            by_muni[r.group_id] = by_muni.get(r.group_id, 0) + r.numerator
    assert max(by_muni, key=by_muni.get) == "5001"
    assert by_muni["5033"] < by_muni["5001"] / 50
