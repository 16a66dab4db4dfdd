"""What an import does to the store: idempotent, replaces periods, logs every attempt,
recomputes today's results."""

from __future__ import annotations

import sqlalchemy as sa

from flyt.engine import compute, moments
from flyt.ingest.importer import import_table
from tests.conftest import count
from tests.support.records import load, period, periods_table, stay, stays_table


def imports(db):
    with db.engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT status, rows_new, rows_updated, rows_unchanged, rows_rejected "
            "FROM imports ORDER BY id")).all()


def test_a_periods_file_is_the_complete_list_for_each_stay_it_names(db):
    load(db, stays=[stay("A", admitted="2024-01-01", ready="2024-01-02"),
                    stay("B", admitted="2024-01-01", ready="2024-01-03")],
         periods=[period("A", "2024-01-02", "2024-01-04"), period("A", "2024-01-06"),
                  period("B", "2024-01-03")])
    report = import_table(db, "ukp-periods", periods_table([period("A", "2024-01-02")]),
                          recompute=False)
    assert (report.new, report.updated, report.removed) == (0, 1, 1)
    assert count(db, "ukp_periods") == 2  # A's single period and B's untouched one


def test_reimporting_the_same_periods_changes_nothing(db):
    load(db, stays=[stay("A", admitted="2024-01-01", ready="2024-01-02")],
         periods=[period("A", "2024-01-02", "2024-01-04"), period("A", "2024-01-06")])
    again = periods_table([period("A", "2024-01-02", "2024-01-04"), period("A", "2024-01-06")])
    report = import_table(db, "ukp-periods", again, recompute=False)
    assert (report.new, report.updated, report.unchanged, report.removed) == (0, 0, 2, 0)


def test_the_same_stay_id_from_two_sources_is_two_stays(db):
    load(db, stays=[stay("A", admitted="2024-01-01", source="hospital")])
    load(db, stays=[stay("A", admitted="2024-01-01", source="other")])
    assert count(db, "stays") == 2


def test_a_rejected_import_is_logged_and_changes_no_record(db):
    load(db, stays=[stay("A", admitted="2024-01-01", ready="2024-01-02")])
    report = import_table(db, "ukp-periods", periods_table([period("NOPE", "2024-01-02")]),
                          recompute=False)
    assert report.status == "rejected"
    assert count(db, "ukp_periods") == 0
    assert [tuple(r) for r in imports(db)] == [("ok", 1, 0, 0, 0), ("rejected", 0, 0, 0, 1)]


def test_an_import_computes_nothing_and_drops_the_stale_results_the_first_read_computes(db):
    load(db, [stay("A", admitted="2024-01-01", ready="2024-01-02", discharged="2024-01-05")])
    compute.ensure(db, moments.default_cutoff(db))
    assert count(db, "result_sets") == 1
    report = import_table(db, "stays", stays_table(
        [stay("B", admitted="2024-01-01", ready="2024-01-02", discharged="2024-01-06")]))
    assert report.status == "ok"
    assert count(db, "result_sets") == count(db, "kpi_results") == 0  # stale: gone
    # The first read computes once, as of now: the newest import included.
    cutoff = moments.default_cutoff(db)
    assert compute.ensure(db, cutoff).computed
    assert not compute.ensure(db, cutoff).computed
    with db.engine.connect() as conn:
        finished = conn.execute(sa.text("SELECT MAX(finished_at) FROM imports")).scalar_one()
        stored = conn.execute(sa.text("SELECT cutoff, data_version FROM result_sets")).all()
    assert [(r.cutoff, r.data_version) for r in stored] == [(finished, report.import_id)]
