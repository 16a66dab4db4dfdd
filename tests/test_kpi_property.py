"""The engine agrees with the plain reference implementation (tests/support/oracle.py)
on random small data sets: a handful of stays over a few months in three municipalities,
both sectors, overlapping and withdrawn UKP periods, patients readmitted at the edges of
the 8-hour and 30-day limits, deaths, short-term stays, and a random cut-off."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flyt.engine.compute import compute
from flyt.engine.read import kpi_rows
from tests.support.oracle import Cell, expected_table
from tests.support.records import (
    Period,
    ShortStay,
    Stay,
    at,
    clear,
    load,
    period,
    short_stay,
    stay,
)

MUNICIPALITIES = ("5001", "5031", "5028")  # Trondheim; Malvik and Melhus share a region
UNITS = ("Øya helsehus korttid", "Malvik korttid", "Trondheim korttid")
PATIENTS = ("p1", "p2", "p3", "p4")
DESTINATIONS = ("hjem", "hjem_med_tjenester", "korttidsopphold", "langtidsopphold",
                "annen_institusjon", "dod", "annet")
SOURCES = ("default", "other")
CLUSTER = datetime(2023, 12, 1)  # most stays fall in Dec 2023 .. Apr 2024
ANCHOR = datetime(2023, 1, 1)  # an optional early stay starts the data, for rolling values
# gaps after a discharge at which the same patient comes back
READMISSION_GAPS = (timedelta(hours=8), timedelta(hours=8, minutes=1), timedelta(hours=720),
                    timedelta(hours=720, minutes=1), timedelta(hours=1), timedelta(days=3))


@dataclass(frozen=True)
class DataSet:
    stays: list[Stay]
    periods: list[Period]
    short_stays: list[ShortStay]
    cutoff: datetime


def later(draw, start: datetime, max_days: int) -> datetime:
    """A moment 0..max_days after start, in steps of 30 minutes, often on the same day."""
    if draw(st.booleans()):
        return start + timedelta(minutes=30 * draw(st.integers(0, 16)))
    return start + timedelta(minutes=30 * draw(st.integers(0, max_days * 48)))


@st.composite
def hospital_stay(draw, earlier: list[Stay], base: datetime, span_days: int):
    """A stay after ``earlier`` ones. Ids are numbered per source, so sources share ids."""
    source = draw(st.sampled_from(SOURCES))
    stay_id = f"s{sum(1 for s in earlier if s.source == source)}"
    returning = [s for s in earlier if s.discharged_at is not None]
    if returning and draw(st.integers(0, 2)) == 0:  # the same patient comes back
        before = draw(st.sampled_from(returning))
        patient = before.patient_id
        admitted = before.discharged_at + draw(st.sampled_from(READMISSION_GAPS))
    else:
        patient = draw(st.sampled_from(PATIENTS))
        admitted = base + timedelta(minutes=30 * draw(st.integers(0, span_days * 48)))
        admitted += timedelta(minutes=draw(st.sampled_from((0, 0, 1, 59))))
    ready = later(draw, admitted, 6) if draw(st.integers(0, 4)) > 0 else None
    discharged = None
    if draw(st.integers(0, 3)) > 0:
        discharged = later(draw, ready or admitted, 25)
    return stay(
        stay_id, patient, draw(st.sampled_from(MUNICIPALITIES)),
        admitted=admitted, ready=ready, discharged=discharged,
        destination=draw(st.sampled_from(DESTINATIONS)) if discharged else None,
        sector=draw(st.sampled_from(("somatikk", "psykisk_helsevern"))),
        admission=draw(st.sampled_from(("akutt", "akutt", "planlagt"))),
        source=source,
    )


@st.composite
def ukp_periods(draw, s: Stay) -> list[Period]:
    """Declarations and withdrawals within the stay; they may overlap. The stay's ready_at
    becomes the start of its first period."""
    last = s.discharged_at or s.admitted_at + timedelta(days=40)
    starts = sorted(set(draw(st.lists(
        st.integers(0, int((last - s.admitted_at).total_seconds() // 1800)),
        min_size=1, max_size=3,
    ))))
    periods = []
    for step in starts:
        start = s.admitted_at + timedelta(minutes=30 * step)
        stop = later(draw, start, 8) if draw(st.booleans()) else None
        if stop is not None and s.discharged_at is not None:
            stop = min(stop, s.discharged_at)
        periods.append(period(s.stay_id, start, stop, source=s.source))
    return periods


@st.composite
def data_sets(draw) -> DataSet:
    stays: list[Stay] = []
    periods: list[Period] = []
    plan = [(ANCHOR, 50)] if draw(st.integers(0, 3)) > 0 else []
    plan += [(CLUSTER, 140)] * draw(st.integers(1, 6))
    for base, span in plan:
        s = draw(hospital_stay(stays, base, span))
        if s.ready_at is not None and draw(st.integers(0, 2)) == 0:
            own = draw(ukp_periods(s))
            s = replace(s, ready_at=own[0].ready_from)
            periods += own
        stays.append(s)
    shorts = []
    for i in range(draw(st.integers(0, 4))):
        started = CLUSTER + timedelta(minutes=30 * draw(st.integers(0, 140 * 48)))
        ended = later(draw, started, 30) if draw(st.integers(0, 3)) > 0 else None
        shorts.append(short_stay(f"k{i}", draw(st.sampled_from(MUNICIPALITIES)),
                                 draw(st.sampled_from(UNITS)), started=started, ended=ended))
    cutoff = datetime(2023, 12, 15) + timedelta(days=draw(st.integers(0, 200)))
    if draw(st.booleans()):
        cutoff += timedelta(minutes=draw(st.integers(0, 24 * 60 - 1)))
    return DataSet(stays, periods, shorts, cutoff)


def engine_table(db, cutoff: datetime) -> dict[tuple, Cell]:
    compute(db, cutoff)
    return {
        (r.month, r.group_type, r.group_id, r.sector, r.kpi): Cell(
            r.value, r.numerator, r.denominator, r.value_12m, r.numerator_12m,
            r.denominator_12m, r.preliminary,
        )
        for r in kpi_rows(db, cutoff)
    }


# FLYT_PROPERTY_EXAMPLES=500 searches deeper (and with a fresh random seed each run).
DEEP = os.environ.get("FLYT_PROPERTY_EXAMPLES")


@settings(max_examples=int(DEEP or 25), deadline=None, derandomize=not DEEP,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=data_sets())
def test_the_engine_agrees_with_the_reference_implementation(db, data):
    clear(db)  # one store for all examples: empty it instead of making a new one
    load(db, data.stays, data.periods, data.short_stays)
    got = engine_table(db, data.cutoff)
    want = expected_table(data.stays, data.periods, data.short_stays, data.cutoff)
    assert sorted(got) == sorted(want), "the engine and the oracle report different cells"
    wrong = {key: (got[key], want[key]) for key in want if got[key] != want[key]}
    assert not wrong, "\n".join(f"{k}:\n  engine {g}\n  oracle {w}"
                                for k, (g, w) in sorted(wrong.items())[:8])


# The oracle itself is checked on hand-computed cases, so that agreement means something.

def test_the_oracle_gives_the_spec_example_two_days_in_january_and_one_in_february():
    table = expected_table([stay("a", ready="2024-01-30 10:00", discharged="2024-02-02 14:00")],
                           [], [], at("2024-03-01"))
    assert table[("2024-01", "community", "all", "somatikk", 1)].value == 2  # 30, 31 Jan
    assert table[("2024-02", "municipality", "5001", "alle", 1)].value == 1  # 1 Feb
    assert table[("2024-02", "community", "all", "somatikk", 3)].value == 3.0  # 3 / 1
    assert table[("2024-02", "region", "Fosen", "somatikk", 3)].value is None


def test_the_oracle_counts_overlapping_periods_once_and_pools_the_rolling_mean():
    stays = [
        stay("early", ready="2023-01-10", discharged="2023-01-14"),  # 4 days
        stay("a", admitted="2023-12-01", ready="2023-12-10 08:00", discharged="2023-12-25"),
    ]
    periods = [period("a", "2023-12-10 08:00", "2023-12-15 12:00"),  # 10..14 Dec
               period("a", "2023-12-13 09:00", "2023-12-20 10:00")]  # 13..19 Dec
    table = expected_table(stays, periods, [], at("2024-01-01"))
    dec = table[("2023-12", "community", "all", "somatikk", 3)]
    assert (dec.value, dec.value_12m) == (10.0, 7.0)  # 10 / 1; (4 + 10) / 2
    assert table[("2023-11", "community", "all", "somatikk", 3)].value_12m is None


def test_the_oracle_counts_a_readmission_after_8_hours_up_to_30_days_and_rounds_half_up():
    stays = [stay(f"i{n}", f"p{n}", ready="2024-01-08", discharged="2024-01-10 12:00",
                  destination="hjem") for n in range(8)]
    stays.append(stay("r", "p0", admitted="2024-01-10 20:01"))  # 8 h 1 min after
    stays.append(stay("x", "p1", admitted="2024-01-10 20:00"))  # exactly 8 h: no
    kpi5 = expected_table(stays, [], [], at("2024-03-01"))[
        ("2024-01", "community", "all", "somatikk", 5)]
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (1, 8, 12.5)  # 100 * 1/8
    assert kpi5.preliminary  # 1 Mar is before 1 Feb + 30 days = 2 Mar
    kpi6 = expected_table([], [], [short_stay("k", started="2024-01-01", ended="2024-01-02"),
                                   short_stay("l", started="2024-01-01", ended="2024-01-01"),
                                   short_stay("m", started="2024-01-01", ended="2024-01-01")],
                          at("2024-02-01"))[("2024-01", "unit", "Øya helsehus korttid", "alle", 6)]
    assert kpi6.value == 0.33  # 1 / 3
