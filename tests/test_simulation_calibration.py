"""flyt.simulation.calibration: what the store knows before the cut-off, by hand.

The store: a cut-off of 01.01.2025 and a window of one year (2024, 366 days). UKP stays
(ready, discharged, destination; UKP days by the engine's rule):

    A 5001 20.12.2023 10:00 - 03.01.2024 12:00 hjem          14  ready before the window
    B 5001 04.03.2024 23:59 - 06.03.2024 10:00 hjem           2
    C 5001 05.03.2024 00:00 - 05.03.2024 15:00 hjem           0  same day
    D 5001 30.12.2024 09:00 - 02.01.2025                      2  open at the cut-off
    E 5028 02.05 08:00-04.05 08:00, again 10.05 12:00 - 12.05.2024 09:00 korttid  2 + 2
    F 5001 30.05.2024 10:00 - 01.06.2024 10:00 hjem           2  back after exactly 8 h
    G 5001 29.06.2024 10:00 - 01.07.2024 10:00 hjem m/tj.     2  back after 8 h 1 min
    H 5001 31.07.2024 10:00 - 01.08.2024 10:00 langtid        1  back after exactly 720 h
    I 5001 30.08.2024 10:00 - 01.09.2024 10:00 hjem           2  back after 720 h 1 min
    J 5028 10.12.2024 10:00 - 20.12.2024 10:00 død           10
    K 5001 02.11 00:00-05.11.2024 00:00 withdrawn, discharged 01.02.2025   3  not waiting
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from flyt.payment.rates import load_payment_settings
from flyt.simulation.calibration import (
    DESTINATION_PRIOR,
    READINESS_PRIOR,
    CalibrationError,
    read,
)
from flyt.store import schema
from tests.support.records import load, period, results, short_stay, stay

BEFORE = date(2025, 1, 1)
PAYMENT = load_payment_settings({})  # the published rates, whatever the local config says
OYA = "Øya helsehus korttid"
MELHUS = "Melhus korttid"


def readmission(stay_id: str, patient: str, admitted: str):
    return stay(stay_id, patient, admitted=admitted, discharged="2024-12-31 12:00")


STAYS = [
    stay("A", ready="2023-12-20 10:00", discharged="2024-01-03 12:00", destination="hjem"),
    stay("B", ready="2024-03-04 23:59", discharged="2024-03-06 10:00", destination="hjem"),
    stay("C", ready="2024-03-05 00:00", discharged="2024-03-05 15:00", destination="hjem"),
    stay("D", ready="2024-12-30 09:00", discharged="2025-01-02 10:00", destination="hjem"),
    stay("E", municipality="5028", admitted="2024-05-01 08:00", ready="2024-05-02 08:00",
         discharged="2024-05-12 09:00", destination="korttidsopphold"),
    stay("F", "P1", ready="2024-05-30 10:00", discharged="2024-06-01 10:00",
         destination="hjem"),
    stay("G", "P2", ready="2024-06-29 10:00", discharged="2024-07-01 10:00",
         destination="hjem_med_tjenester"),
    stay("H", "P3", ready="2024-07-31 10:00", discharged="2024-08-01 10:00",
         destination="langtidsopphold"),
    stay("I", "P4", ready="2024-08-30 10:00", discharged="2024-09-01 10:00",
         destination="hjem"),
    stay("J", municipality="5028", ready="2024-12-10 10:00", discharged="2024-12-20 10:00",
         destination="dod"),
    stay("K", admitted="2024-11-01 08:00", ready="2024-11-02 00:00",
         discharged="2025-02-01 10:00", destination="hjem"),
    readmission("R1", "P1", "2024-06-01 18:00"),
    readmission("R2", "P2", "2024-07-01 18:01"),
    readmission("R3", "P3", "2024-08-31 10:00"),
    readmission("R4", "P4", "2024-10-01 10:01"),
]
PERIODS = [
    period("E", "2024-05-02 08:00", "2024-05-04 08:00"),
    period("E", "2024-05-10 12:00"),
    period("K", "2024-11-02 00:00", "2024-11-05 00:00"),
]
SHORT = [
    short_stay("S1", started="2024-02-01 14:00", ended="2024-02-11 10:00"),  # 10 days
    short_stay("S2", started="2024-03-01 09:00", ended="2024-03-03 09:00"),  # 2
    short_stay("S3", started="2024-04-01 09:00", ended="2024-04-04 20:00"),  # 3
    short_stay("S4", started="2024-12-20 12:00"),  # open: 12 days at the cut-off
    short_stay("S5", started="2024-12-31 23:00", ended="2025-01-03 10:00"),  # open: 1
    short_stay("S6", "5028", MELHUS, started="2023-11-01 12:00"),  # before the window, open
    short_stay("S7", started="2023-12-01 12:00", ended="2024-01-05 12:00"),  # neither
]


def seed(db) -> None:
    load(db, STAYS, PERIODS, SHORT)
    census = [("2024-12-31 07:00", 25), ("2025-01-01 00:00", 30)]  # the second at the cut-off
    with db.engine.begin() as conn:
        conn.execute(sa.insert(schema.bed_census), [
            {"source": "default", "unit": MELHUS, "counted_at": datetime.fromisoformat(t),
             "available": beds, "occupied": 10, "over_capacity": False, "import_id": 0}
            for t, beds in census])


@pytest.fixture
def calibrated(db):
    seed(db)
    return db, read(db, BEFORE, years=1, payment=PAYMENT)


def test_readiness_counts_each_ready_day_with_the_date_boundary(calibrated):
    _, c = calibrated
    assert c.first == date(2024, 1, 1)
    assert c.readiness.shape == (366, 20)  # every day of 2024, every municipality
    assert c.readiness.index[0] == pd.Timestamp("2024-01-01")
    assert c.readiness.index[-1] == pd.Timestamp("2024-12-31")
    day = c.readiness["5001"]
    assert day["2024-03-04"] == 1  # B at 23:59
    assert day["2024-03-05"] == 1  # C at 00:00 the next day
    assert day["2024-03-06"] == 0
    assert day["2024-12-30"] == 1  # D, still waiting, became ready in the window
    assert day["2024-11-02"] == 1  # K, withdrawn
    assert int(day.sum()) == 8  # A was ready before the window
    assert int(c.readiness["5028"].sum()) == 2
    assert int(c.readiness["5031"].sum()) == 0


def test_stays_are_the_discharged_ones_with_the_engines_days(calibrated):
    db, c = calibrated
    days = dict(zip(c.stays["ready_day"].astype(str) + " " + c.stays["municipality"],
                    c.stays["ukp_days"], strict=True))
    assert days == {"2024-03-04 5001": 2, "2024-03-05 5001": 0, "2024-05-02 5028": 4,
                    "2024-05-30 5001": 2, "2024-06-29 5001": 2, "2024-07-31 5001": 1,
                    "2024-08-30 5001": 2, "2024-12-10 5028": 10}
    e = c.stays[c.stays["municipality"] == "5028"].iloc[0]
    assert e["discharged_day"] == date(2024, 5, 12)
    assert e["destination"] == "korttidsopphold"
    # Every UKP day of the store: the window's stays, the waiting D (2), A (14), K (3).
    total = int(c.stays["ukp_days"].sum()) + int(c.open_stays["ukp_days"].sum()) + 14 + 3
    assert total == 42
    kpi = results(db, "2025-01-01")
    assert sum(kpi.of(m, 1, sector="alle").numerator or 0 for m in kpi.months) == total


def test_open_stays_are_those_waiting_at_the_cut_off(calibrated):
    _, c = calibrated
    assert c.open_stays.to_dict("records") == [
        {"municipality": "5001", "ready_day": date(2024, 12, 30), "waited": 2, "ukp_days": 2}]


def test_readmission_after_more_than_8_hours_and_at_most_30_days(calibrated):
    _, c = calibrated
    flag = dict(zip(c.stays["ready_day"].astype(str), c.stays["readmitted"], strict=True))
    assert not flag["2024-05-30"]  # F: exactly 8 h
    assert flag["2024-06-29"]  # G: 8 h 1 min
    assert flag["2024-07-31"]  # H: exactly 720 h
    assert not flag["2024-08-30"]  # I: 720 h 1 min
    # Alive and discharged 30 days before the cut-off: 5001 B C F G H I, 5028 E.
    assert c.readmission_share["5001"] == pytest.approx(2 / 6)
    assert c.readmission_share["5028"] == 0


def test_destination_shares_shrunk_to_the_communitys(calibrated):
    _, c = calibrated
    assert DESTINATION_PRIOR == 20
    # The community: 8 stays, 4 hjem, 1 each hjem_med_tjenester, langtid, korttid, dod.
    shares = c.destination_shares
    assert shares.loc["5001", "hjem"] == pytest.approx((4 + 20 * 4 / 8) / (6 + 20))
    assert shares.loc["5028", "hjem"] == pytest.approx((0 + 20 * 4 / 8) / (2 + 20))
    assert shares.loc["5028", "dod"] == pytest.approx((1 + 20 * 1 / 8) / (2 + 20))
    assert shares.loc["5031", "hjem"] == pytest.approx(4 / 8)
    assert shares.sum(axis=1).to_numpy() == pytest.approx([1.0] * 20)


def test_waits_per_municipality_and_destination(calibrated):
    _, c = calibrated
    home = c.waits.loc[("5001", "hjem")]  # B 2, C 0, F 2, I 2
    assert (home["stays"], home["zero_share"], home["positive_mean"]) == (4, 0.25, 2.0)
    assert c.waits.loc[("5028", "korttidsopphold"), "positive_mean"] == 4.0


def test_readiness_factors_by_hand(calibrated):
    _, c = calibrated
    assert c.readiness_base["5001"] == pytest.approx(8 / 366)
    # 2024 has 53 Mondays; both Monday readiness days (B, D) are in 5001.
    pooled = (2 / 53) / (10 / 366)
    own, w = (2 / 53) / (8 / 366), 8 / (8 + READINESS_PRIOR)
    assert c.weekday_factors.loc[0, "5001"] == pytest.approx(w * own + (1 - w) * pooled)
    assert c.weekday_factors.loc[0, "5031"] == pytest.approx(pooled)
    # March: B and C in 5001, of 31 days.
    pooled = (2 / 31) / (10 / 366)
    assert c.month_factors.loc[3, "5028"] == pytest.approx(
        (2 / (2 + READINESS_PRIOR)) * 0 + (1 - 2 / (2 + READINESS_PRIOR)) * pooled)


def test_short_stays_with_open_ones_censored(calibrated):
    _, c = calibrated
    rows = {r["start_day"].isoformat(): (r["unit"], r["days"], r["ended"])
            for r in c.short_stays.to_dict("records")}
    assert rows == {"2024-02-01": (OYA, 10, True), "2024-03-01": (OYA, 2, True),
                    "2024-04-01": (OYA, 3, True), "2024-12-20": (OYA, 12, False),
                    "2024-12-31": (OYA, 1, False)}
    under_way = sorted((r["unit"], r["days"]) for r in c.short_open.to_dict("records"))
    assert under_way == [(MELHUS, 427), (OYA, 1), (OYA, 12)]
    assert c.short_length.loc[OYA, "median"] == 3
    assert c.short_length.loc[OYA, "mean"] == pytest.approx(5)


def test_units_beds_from_the_latest_census_before_the_cut_off(calibrated):
    _, c = calibrated
    beds = dict(zip(c.units["name"], c.units["beds"], strict=True))
    assert beds[MELHUS] == 25  # not the count at the cut-off itself
    assert beds[OYA] == 60  # no census: the reference default
    assert c.units.set_index("name").loc[MELHUS, "owner"] == "5028"
    assert c.rates == {2024: Decimal(5745), 2025: Decimal(5981)}


def test_census_of_the_last_year_before_the_cut_off(calibrated):
    _, c = calibrated
    rows = c.census.to_dict("records")
    assert rows == [{"unit": MELHUS, "day": date(2024, 12, 31), "available": 25,
                     "occupied": 10}]  # the count at the cut-off itself is after it


def test_too_little_history_or_no_stay_is_a_clear_error(db):
    seed(db)
    with pytest.raises(CalibrationError) as short:
        read(db, date(2024, 6, 1), years=3, payment=PAYMENT)
    assert short.value.key == "simulation_calibration_short_history"
    assert short.value.values == {"days": 164, "needed": 365}
    assert short.value.message("nb") == ("For kort historikk til å kalibrere modellen: 164 "
                                         "dager før startdatoen, minst 365 trengs.")
    with pytest.raises(CalibrationError) as years:
        read(db, BEFORE, years=0, payment=PAYMENT)
    assert years.value.key == "simulation_calibration_years"
    with pytest.raises(CalibrationError) as none:  # a year after the last stay
        read(db, date(2027, 1, 1), years=1, payment=PAYMENT)
    assert none.value.key == "simulation_calibration_no_stays"
    assert none.value.message("en") == ("No discharged UKP stays from 2026-01-01 to "
                                        "2027-01-01: the model cannot be calibrated.")
    assert "01.01.2026" in none.value.message("nb")
