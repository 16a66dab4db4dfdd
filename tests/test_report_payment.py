"""The payment basis and its scenario (flyt.payment): hand-counted days and kroner.

The 2024 day rate is Helsedirektoratet's NOK 5 745; the scenario's default steps are
days 1-7 at 1.0, 8-14 at 1.5, 15 and later at 2.0 (docs/payment.md).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from flyt.payment.basis import PaymentBasis, PaymentError, PaymentLine, gather
from flyt.payment.rates import Step, load_payment_settings
from tests.support.records import load, month, period, stay

RATE_2024 = Decimal(5745)
DEFAULTS = load_payment_settings({})


def basis(db, month_text: str, cutoff: str, settings=DEFAULTS) -> PaymentBasis:
    return gather(db, month(month_text), datetime.fromisoformat(cutoff), settings)


def line(result: PaymentBasis, municipality: str) -> PaymentLine:
    return next(x for x in result.lines if x.municipality == municipality)


def test_a_stay_ready_30_january_and_discharged_2_february_is_billed_2_days_then_1(db):
    load(db, [stay("a", "p1", "5001", admitted="2024-01-20", ready="2024-01-30 10:00",
                   discharged="2024-02-02 12:00")])
    january = line(basis(db, "2024-01", "2024-03-01"), "5001")
    february = line(basis(db, "2024-02", "2024-03-01"), "5001")
    assert (january.ukp_days, january.amount) == (2, Decimal(11490))  # 2 x 5 745
    assert (february.ukp_days, february.amount) == (1, Decimal(5745))
    assert january.step_days == (2, 0, 0) and february.step_days == (1, 0, 0)


def test_every_municipality_of_the_reference_data_has_a_line_with_0_when_it_has_no_stays(db):
    load(db, [stay("a", "p1", "5001", ready="2024-03-01", discharged="2024-03-04")])
    result = basis(db, "2024-03", "2024-04-01")
    with db.engine.connect() as conn:
        codes = conn.execute(sa.text("SELECT code FROM municipalities ORDER BY code")).scalars()
        assert [x.municipality for x in result.lines] == list(codes)
    malvik = line(result, "5031")
    assert (malvik.ukp_days, malvik.amount, malvik.scenario_amount) == (0, 0, 0)
    assert malvik.step_days == (0, 0, 0)
    assert line(result, "5001").ukp_days == 3
    assert result.rate == RATE_2024 and not result.rate_configured


def test_the_scenario_ranks_a_wait_across_months(db):
    # Ready 25 Feb, discharged 6 Mar: 10 UKP days, 25..29 Feb (wait days 1-5) and
    # 1..5 Mar (wait days 6-10): in March 6, 7 at 1.0 and 8, 9, 10 at 1.5.
    load(db, [stay("a", "p1", "5031", admitted="2024-02-20", ready="2024-02-25 10:00",
                   discharged="2024-03-06 12:00")])
    march = line(basis(db, "2024-03", "2024-04-01"), "5031")
    assert march.ukp_days == 5
    assert march.step_days == (2, 3, 0)
    assert march.amount == Decimal(28725)  # 5 x 5 745
    assert march.scenario_amount == Decimal("37342.50")  # (2 x 1.0 + 3 x 1.5) x 5 745
    assert march.difference == Decimal("8617.50")


def test_the_scenario_counts_a_day_of_overlapping_periods_once_and_ranks_over_all_periods(db):
    load(
        db,
        [stay("a", "p1", "5001", admitted="2024-02-28", ready="2024-03-01 08:00",
              discharged="2024-03-27 12:00")],
        [period("a", "2024-03-01 08:00", "2024-03-06 09:00"),  # 1..5 March
         period("a", "2024-03-04 10:00", "2024-03-11 09:00"),  # 4..10 March: union 1..10
         period("a", "2024-03-20 08:00")],  # ready again: 20..26 March, wait days 11-17
    )
    result = line(basis(db, "2024-03", "2024-04-01"), "5001")
    assert result.ukp_days == 17
    assert result.step_days == (7, 7, 3)
    assert result.scenario_amount == Decimal("135007.50")  # (7 + 10.5 + 6) x 5 745


def test_an_open_stay_counts_until_the_cut_off_and_the_month_is_not_complete(db):
    load(db, [stay("a", "p1", "5001", admitted="2024-02-01", ready="2024-02-10 10:00"),
              stay("b", "p2", "5001", ready="2024-03-05 10:00", sector="psykisk_helsevern")])
    result = basis(db, "2024-03", "2024-03-20 13:00")
    # a: 10..29 Feb are wait days 1-20, so 1..19 March (21-39) all weigh 2.0;
    # b: 5..19 March, wait days 1-15
    assert line(result, "5001").ukp_days == 19 + 15
    assert line(result, "5001").step_days == (7, 7, 1 + 19)
    assert not result.complete
    assert basis(db, "2024-02", "2024-03-20").complete


def test_configured_steps_weigh_the_days_by_their_own_thresholds(db):
    load(db, [stay("a", "p1", "5001", ready="2024-03-01", discharged="2024-03-11")])
    steps = (Step(1, Decimal("0.5")), Step(4, Decimal("3")))
    settings = load_payment_settings({"payment": {"scenario": {"steps": [
        {"from_day": 1, "factor": 0.5}, {"from_day": 4, "factor": 3}]}}})
    assert settings.steps == steps
    result = line(basis(db, "2024-03", "2024-04-01", settings), "5001")
    assert result.step_days == (3, 7)
    assert result.scenario_amount == Decimal("129262.50")  # (3 x 0.5 + 7 x 3) x 5 745


def test_a_configured_rate_is_used_and_marked_as_configured(db):
    load(db, [stay("a", "p1", "5001", ready="2024-03-01", discharged="2024-03-04")])
    settings = load_payment_settings({"payment": {"rates": {"2024": 6000.5}}})
    result = basis(db, "2024-03", "2024-04-01", settings)
    assert result.rate == Decimal("6000.5") and result.rate_configured
    assert line(result, "5001").amount == Decimal("18001.5")


def test_the_scenario_has_the_same_days_as_the_basis_in_every_municipality_and_sector(db):
    load(db, [
        stay("a", "p1", "5001", ready="2024-01-03", discharged="2024-03-02"),
        stay("b", "p2", "5001", ready="2024-02-27 23:00", sector="psykisk_helsevern"),
        stay("c", "p3", "5031", ready="2024-03-10", discharged="2024-03-10 18:00"),  # 0 days
        stay("d", "p4", "5028", ready="2024-03-30", discharged="2024-04-30"),
        stay("e", "p5", "5028", ready="2024-03-01", discharged="2024-03-31", source="psyk"),
        stay("e", "p6", "5028", ready="2024-03-15", discharged="2024-03-18"),  # same id
    ])
    result = basis(db, "2024-03", "2024-05-01")
    assert all(sum(x.step_days) == x.ukp_days for x in result.lines)
    assert line(result, "5001").ukp_days == 1 + 31
    assert line(result, "5031").ukp_days == 0
    assert line(result, "5028").ukp_days == 2 + 30 + 3
    # each stay has its own wait, also when two sources use the same stay id
    assert line(result, "5028").step_days == (2 + 7 + 3, 7, 16)
    assert sum(result.step_days) == result.ukp_days == 1 + 31 + 2 + 30 + 3


def test_a_month_after_the_cut_off_or_before_the_data_is_refused(db):
    load(db, [stay("a", "p1", "5001", ready="2024-03-01", discharged="2024-03-04")])
    with pytest.raises(PaymentError, match="after the cut-off"):
        basis(db, "2024-05", "2024-04-15")
    with pytest.raises(PaymentError, match="before the first data"):
        basis(db, "2023-12", "2024-04-15")


def test_a_year_before_the_first_rate_is_refused_before_anything_is_computed(db):
    load(db, [stay("a", "p1", "5001", ready="2013-03-01", discharged="2013-03-04")])
    with pytest.raises(ValueError, match=r"no day rate for 2013.*\[payment\.rates\]"):
        basis(db, "2013-03", "2013-04-01")
    with db.engine.connect() as conn:  # nothing computed
        assert conn.execute(sa.text("SELECT COUNT(*) FROM kpi_results")).scalar_one() == 0
