"""The what-if model on flows with known answers (no store: parameters made by hand)."""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from flyt.domain.codes import DISCHARGE_DESTINATIONS
from flyt.payment.rates import DEFAULT_STEPS, Step
from flyt.simulation import model, summary
from flyt.simulation.parameters import Parameters
from flyt.simulation.pools import Pool
from flyt.simulation.scenario import parse

D = len(DISCHARGE_DESTINATIONS)
SHORT = DISCHARGE_DESTINATIONS.index("korttidsopphold")
HOME = DISCHARGE_DESTINATIONS.index("hjem")
FIRST = date(2024, 1, 1)


def params(*, rate: float = 1.0, destination: int = HOME, zero: float = 0.0,
           wait: int = 3, beds: int = 1000, lengths: np.ndarray | None = None,
           municipalities: tuple[str, ...] = ("5001",)) -> Parameters:
    """Every patient to one destination, every positive wait `wait` days, no uncertainty
    of the levels, no season: a flow whose answer can be worked out by hand."""
    m = len(municipalities)
    shares = np.zeros((m, D))
    shares[:, destination] = 1.0
    lengths = np.array([10]) if lengths is None else lengths
    return Parameters(
        before=FIRST, municipalities=municipalities, destinations=DISCHARGE_DESTINATIONS,
        short_term=SHORT, rate=np.full(m, rate), weekday=np.ones((m, 7)),
        month=np.ones((m, 12)), level_sd=0.0, level_sd_m=np.zeros(m), shares=shares,
        zero=np.full((m, D), zero), waits=Pool.of([np.array([wait])] * (m * D)),
        wait_level=1.0, wait_month=np.ones(12), wait_sd=0.0, wait_sd_m=np.zeros(m),
        zero_sd=0.0, units=tuple(f"unit {c}" for c in municipalities),
        unit_owner=np.arange(m), beds=np.full(m, beds), home_rate=np.zeros(m),
        lengths=Pool.of([lengths] * m, [np.full(len(lengths), i) for i in range(m)]),
        open_m=np.array([], dtype=np.int64), open_waited=np.array([], dtype=np.int64),
        short_m=np.array([], dtype=np.int64), short_unit=np.array([], dtype=np.int64),
        short_elapsed=np.array([], dtype=np.int64), rates={2024: Decimal(5745)})


def run(p: Parameters, last: date = date(2024, 12, 31), replications: int = 50,
        seed: int = 1, scenario: str | None = None) -> model.Outcome:
    chosen = (parse(scenario, set(p.municipalities),
                    {u: "short_term" for u in p.units}) if scenario else None)
    return model.simulate(p, model.plan_of(p, FIRST, last, chosen), replications, seed,
                          DEFAULT_STEPS)


def test_every_wait_three_days_gives_three_ukp_days_each():
    out = run(params(wait=3))
    discharged = out.discharged.sum()
    assert out.days_of_discharged.sum() == 3 * discharged
    assert out.zero_days.sum() == 0
    # KPI 1: 3 days a patient, less those of the last three days' patients cut at 31.12
    per_year = out.ukp_days[:, 0].mean()
    assert per_year == pytest.approx(366 * 3, rel=0.05)


def test_zero_share_one_means_every_patient_leaves_the_same_day():
    out = run(params(zero=1.0))
    assert out.ukp_days.sum() == 0
    assert out.zero_days.sum() == out.discharged.sum() > 0


def test_same_seed_same_numbers_another_seed_others():
    p = params(rate=2.0, destination=SHORT, beds=5, lengths=np.arange(1, 30))
    a, b, c = run(p, seed=7), run(p, seed=7), run(p, seed=8)
    for field in dataclasses.fields(model.Outcome):
        assert np.array_equal(getattr(a, field.name), getattr(b, field.name))
    assert not np.array_equal(a.ukp_days, c.ukp_days)


def test_doubling_arrivals_doubles_ukp_days_and_keeps_the_mean_wait():
    p = params(rate=3.0, wait=4)
    base = run(p, replications=100)
    double = run(p, replications=100, scenario="[[change]]\narrivals = 1.0\n")
    ratio = double.ukp_days.sum() / base.ukp_days.sum()
    assert ratio == pytest.approx(2.0, rel=0.03)
    assert double.days_of_discharged.sum() / double.discharged.sum() == pytest.approx(4.0)


def test_halving_arrivals_thins_the_same_patients():
    p = params(rate=3.0, wait=4)
    base = run(p, replications=100)
    half = run(p, replications=100, scenario="[[change]]\narrivals = -0.5\n")
    assert half.discharged.sum() / base.discharged.sum() == pytest.approx(0.5, rel=0.03)
    assert np.all(half.discharged <= base.discharged)  # a subset, replication by replication


def test_no_beds_nobody_bound_for_a_short_term_stay_leaves():
    p = params(rate=1.0, destination=SHORT, wait=2, beds=0)
    out = run(p, last=date(2024, 1, 31), replications=20)
    assert out.discharged.sum() == 0
    assert out.short_ended.sum() == 0
    # everyone ready on day t waits from t to the end of January: sum over t of (31 - t)
    assert out.ukp_days.mean() == pytest.approx(sum(31 - t for t in range(31)), rel=0.1)


def test_scenario_removing_every_bed_is_the_same_as_none():
    p = params(rate=1.0, destination=SHORT, wait=2, beds=4)
    out = run(p, last=date(2024, 1, 31), replications=20,
              scenario='[[change]]\nmunicipality = "5001"\nshort_term_beds = -10\n')
    assert out.discharged.sum() == 0


def erlang_c_wait(arrivals: float, mean_length: float, beds: int) -> float:
    """Mean wait in queue of M/M/c (Erlang C), in days."""
    a = arrivals * mean_length
    top = a ** beds / math.factorial(beds) * beds / (beds - a)
    bottom = sum(a ** k / math.factorial(k) for k in range(beds)) + top
    return top / bottom / (beds / mean_length - arrivals)


def test_a_single_bed_queue_waits_as_erlang_c_says():
    """Poisson arrivals, memoryless lengths of stay (geometric, mean 10 days), 10 beds,
    load 0.85: the mean wait for a bed is Erlang C's, within the error of whole days."""
    rng = np.random.default_rng(3)
    lengths = rng.geometric(0.1, size=200_000)
    p = params(rate=0.85, destination=SHORT, zero=1.0, beds=10, lengths=lengths)
    out = run(p, last=date(2026, 12, 31), replications=100)
    simulated = out.days_of_discharged.sum() / out.discharged.sum()
    expected = erlang_c_wait(0.85, lengths.mean(), 10)
    assert expected == pytest.approx(3.7, abs=0.3)  # the formula itself, by hand
    assert simulated == pytest.approx(expected, rel=0.2)


def test_more_beds_shorter_waits_fewer_beds_longer():
    rng = np.random.default_rng(4)
    p = params(rate=0.85, destination=SHORT, zero=1.0, beds=10,
               lengths=rng.geometric(0.1, size=50_000))
    more = run(p, replications=50, scenario='[[change]]\nmunicipality = "5001"\n'
                                            'short_term_beds = 2\n')
    base = run(p, replications=50)
    fewer = run(p, replications=50, scenario='[[change]]\nunit = "unit 5001"\n'
                                             'short_term_beds = -1\n')
    kpi3 = [o.days_of_discharged.sum() / o.discharged.sum() for o in (more, base, fewer)]
    assert kpi3[0] < kpi3[1] < kpi3[2]


def test_length_of_stay_scenario_shortens_kpi6():
    p = params(rate=0.5, destination=SHORT, zero=1.0, lengths=np.array([10, 20]))
    base = run(p, replications=30)
    short = run(p, replications=30, scenario='[[change]]\nunit = "unit 5001"\n'
                                             'length_of_stay = -0.2\n')
    kpi6 = [o.short_days.sum() / o.short_ended.sum() for o in (base, short)]
    assert kpi6[0] == pytest.approx(15, rel=0.02)
    assert kpi6[1] == pytest.approx(12, rel=0.02)


def test_payment_flat_and_rising_by_hand():
    """One stay ready three days before 1 January, discharged on day 20: 20 UKP days in
    the period, wait days 4-23: 4 x 1 + 7 x 1.5 + 9 x 2 = 32.5 days' worth."""
    p = params()
    plan = model.plan_of(p, FIRST, date(2024, 1, 31))
    paid, rising = model._payment(p, plan, DEFAULT_STEPS, np.array([-3]), np.array([20]),
                                  np.array([0]), 1)
    assert paid[0] == pytest.approx(20 * 5745)
    assert rising[0] == pytest.approx(32.5 * 5745)
    flat = (Step(1, Decimal(1)),)
    _, same = model._payment(p, plan, flat, np.array([-3]), np.array([20]), np.array([0]), 1)
    assert same[0] == pytest.approx(20 * 5745)


def test_payment_across_new_year_at_each_years_rate():
    p = dataclasses.replace(params(), rates={2024: Decimal(100), 2025: Decimal(200)})
    plan = model.plan_of(p, date(2024, 12, 30), date(2025, 1, 5))
    paid, _ = model._payment(p, plan, DEFAULT_STEPS, np.array([0]), np.array([4]),
                             np.array([0]), 1)
    assert paid[0] == 2 * 100 + 2 * 200  # 30. and 31.12, then 1. and 2.1.


def test_summary_pools_before_the_ratio_and_gives_no_value_without_stays():
    ones = np.ones((2, 2))
    out = model.Outcome(ukp_days=np.array([[3.0, 1.0], [5.0, 1.0]]),
                        discharged=np.array([[1.0, 3.0], [1.0, 3.0]]),
                        zero_days=np.array([[1.0, 0.0], [1.0, 0.0]]),
                        days_of_discharged=np.array([[0.0, 6.0], [0.0, 6.0]]),
                        short_ended=np.zeros((2, 2)), short_days=np.zeros((2, 2)),
                        payment=ones, payment_rising=ones)
    found = summary.groups(("5001", "5014"), {"5001": "Trondheim", "5014": "Fosen"})
    made = {(r.group_type, r.group_id, r.measure): r for r in summary.rows(out, None, found)}
    assert made[("community", "all", "kpi2")].mean == 25.0  # 1 of 4, not (100 + 0) / 2
    assert made[("community", "all", "kpi3")].mean == 1.5
    assert made[("municipality", "5001", "kpi1")].mean == 4.0
    assert made[("municipality", "5001", "kpi1")].lower == 3.1  # 5 % of [3, 5]
    assert made[("community", "all", "kpi6")].mean is None
    assert {r.group_id for r in made.values() if r.group_type == "region"} == {
        "Trondheim", "Fosen"}


def test_difference_rows_are_paired_by_replication():
    p = params(rate=2.0, wait=4)
    base = run(p, replications=40)
    other = run(p, replications=40, scenario='[[change]]\nukp_wait = -0.25\n')
    found = summary.groups(p.municipalities, {"5001": "Trondheim"})
    rows = summary.rows(base, other, found)
    diff = next(r for r in rows if r.run == "difference" and r.group_type == "community"
                and r.measure == "kpi3")
    assert diff.mean == pytest.approx(-1.0, abs=0.05)  # 4 days x 0.75 = 3 days
    assert diff.lower == pytest.approx(diff.upper, abs=0.1)  # same patients both runs


def test_replications_in_batches_keep_the_first_batch_and_differ_after(monkeypatch):
    """More replications than a batch: the first batch's numbers are those of a run of
    that many alone, the later batches have dice of their own."""
    monkeypatch.setattr(model, "CHUNK", 20)
    p = params(rate=2.0, wait=4)
    alone = run(p, replications=20)
    batched = run(p, replications=50)
    assert batched.ukp_days.shape == (50, 1)
    assert np.array_equal(batched.ukp_days[:20], alone.ukp_days)
    assert not np.array_equal(batched.ukp_days[20:40], alone.ukp_days)
    assert np.array_equal(run(p, replications=50).ukp_days, batched.ukp_days)
