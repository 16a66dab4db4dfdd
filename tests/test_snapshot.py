"""The Monday/Thursday snapshot (spec/kpi.md "Snapshot", case 4/24).

Every test takes the snapshot at T = Monday 2024-03-04 08:00. 2024 is a leap year:
February has 29 days, so from 26 February to 4 March is 3 + 4 = 7 days.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.engine.snapshot import MunicipalityLine, Snapshot, take
from tests.support.records import period, stay
from tests.support.snapshot_data import census, load

T = datetime(2024, 3, 4, 8, 0)
T_TEXT = "2024-03-04T08:00"

MUNICIPALITY_CODES = sorted([
    "5001", "5031", "5028", "5029", "5027", "5057", "5054", "5058", "5020", "5059",
    "5055", "5056", "5014", "5061", "5021", "5022", "5032", "5033", "5025", "5026",
])


def line(snap: Snapshot, code: str) -> MunicipalityLine:
    (found,) = [m for m in snap.municipalities if m.municipality == code]
    return found


# --- who is a UKP patient in hospital at T ------------------------------------------


def test_a_patient_in_hospital_with_an_open_period_is_counted_with_the_days_waited(db):
    load(db, [
        # date(T) - date(start) = 4 Mar - 26 Feb = 3 (27, 28, 29 Feb) + 4 = 7
        stay("open", "p1", "5001", admitted="2024-02-20 10:00", ready="2024-02-26 14:00"),
        # ready late on the evening before: 4 Mar - 3 Mar = 1 day, calendar dates not hours
        stay("late", "p2", "5001", admitted="2024-03-01", ready="2024-03-03 23:59"),
    ])

    trondheim = line(take(db, T), "5001")

    assert trondheim.patients == 2
    assert trondheim.days_waited == 7 + 1
    assert trondheim.longest_wait == 7


def test_a_patient_discharged_exactly_at_t_is_gone_and_one_discharged_a_minute_later_is_not(db):
    load(db, [
        stay("at-t", "p1", "5001", ready="2024-03-01 10:00", discharged="2024-03-04 08:00"),
        # still in hospital at 08:00: 4 Mar - 2 Mar = 2 days
        stay("minute-after", "p2", "5001", ready="2024-03-02 09:00",
             discharged="2024-03-04 08:01"),
    ])

    trondheim = line(take(db, T), "5001")

    assert trondheim.patients == 1
    assert trondheim.days_waited == 2


def test_a_patient_admitted_or_declared_ready_after_t_is_not_counted(db):
    load(db, [
        stay("admitted-after", "p1", "5001", admitted="2024-03-04 09:00",
             ready="2024-03-04 09:30"),
        stay("ready-after", "p2", "5001", admitted="2024-03-01", ready="2024-03-04 08:01"),
        # declared ready exactly at T: in, with 4 Mar - 4 Mar = 0 days waited
        stay("ready-at-t", "p3", "5001", admitted="2024-03-01", ready="2024-03-04 08:00"),
    ])

    snap = take(db, T)

    assert snap.total == 1
    assert line(snap, "5001").days_waited == 0
    assert line(snap, "5001").longest_wait == 0


def test_a_period_withdrawn_before_t_is_not_counted_and_a_new_period_counts_from_its_start(db):
    load(
        db,
        [
            # ready_at is the start of the first period; the periods file replaces it
            stay("withdrawn", "p1", "5001", admitted="2024-02-05", ready="2024-02-10"),
            stay("withdrawn-at-t", "p2", "5001", admitted="2024-02-05", ready="2024-03-01"),
            stay("again", "p3", "5001", admitted="2024-01-25", ready="2024-02-01"),
        ],
        [
            period("withdrawn", "2024-02-10", "2024-02-15 12:00"),
            period("withdrawn-at-t", "2024-03-01", "2024-03-04 08:00"),
            period("again", "2024-02-01", "2024-02-05"),
            # the new period: 4 Mar - 28 Feb = 1 (29 Feb) + 4 = 5 days, not 4 Mar - 1 Feb = 32
            period("again", "2024-02-28 10:00"),
        ],
    )

    trondheim = line(take(db, T), "5001")

    assert trondheim.patients == 1
    assert trondheim.days_waited == 5


def test_overlapping_periods_count_once_from_the_earliest_start_among_those_containing_t(db):
    load(
        db,
        [stay("overlap", "p1", "5001", admitted="2024-01-25", ready="2024-02-01")],
        [
            # ended before T: its earlier start does not count
            period("overlap", "2024-02-01", "2024-02-10"),
            # both contain T; the earliest is 20 Feb: 4 Mar - 20 Feb = 9 (21..29 Feb) + 4 = 13
            period("overlap", "2024-02-20", "2024-03-10"),
            period("overlap", "2024-02-25"),
        ],
    )

    trondheim = line(take(db, T), "5001")

    assert trondheim.patients == 1
    assert trondheim.days_waited == 13
    assert trondheim.longest_wait == 13


def test_a_patient_in_an_after_care_unit_is_utlokalisert_and_others_lie_at_the_hospital(db):
    load(
        db,
        [
            stay("roros", "p1", "5031", ready="2024-03-01"),
            stay("oya", "p2", "5031", ready="2024-03-01"),
            stay("fosen", "p3", "5031", ready="2024-03-01"),
            stay("st-olav", "p4", "5031", ready="2024-03-01"),
            stay("orkdal", "p5", "5031", ready="2024-03-01"),
            stay("nowhere", "p6", "5031", ready="2024-03-01"),
        ],
        locations={"roros": "Røros sykehus", "oya": "Øya helsehus", "fosen": "Fosen DMS",
                   "st-olav": "St. Olavs hospital", "orkdal": "Orkdal sykehus"},
    )

    snap = take(db, T)
    malvik = line(snap, "5031")

    assert (malvik.patients, malvik.utlokalisert, malvik.at_hospital) == (6, 3, 3)
    assert (snap.total, snap.utlokalisert, snap.at_hospital) == (6, 3, 3)


# --- per municipality ------------------------------------------------------------------


def _three_municipalities(db) -> None:
    load(
        db,
        [
            # Trondheim: 7 days (26 Feb -> 4 Mar) and 2 days (2 -> 4 Mar), the first utlokalisert
            stay("t1", "p1", "5001", admitted="2024-02-20", ready="2024-02-26 14:00"),
            stay("t2", "p2", "5001", admitted="2024-03-01", ready="2024-03-02 09:00"),
            # Indre Fosen: 4 Mar - 23 Feb = 6 (24..29 Feb) + 4 = 10 days
            stay("f1", "p3", "5054", admitted="2024-02-20", ready="2024-02-23"),
            # Holtålen: ready at T, 0 days
            stay("h1", "p4", "5026", admitted="2024-03-01", ready="2024-03-04 08:00"),
            # discharged before T: nowhere
            stay("gone", "p5", "5028", ready="2024-02-01", discharged="2024-03-01"),
        ],
        locations={"t1": "Øya helsehus", "t2": "St. Olavs hospital"},
    )


def test_every_municipality_has_a_line_in_code_order_with_zero_where_nobody_waits(db):
    _three_municipalities(db)

    snap = take(db, T)

    assert [m.municipality for m in snap.municipalities] == MUNICIPALITY_CODES
    empty = [m for m in snap.municipalities if m.municipality not in ("5001", "5054", "5026")]
    assert len(empty) == 17
    for m in empty:
        assert (m.patients, m.at_hospital, m.utlokalisert, m.days_waited) == (0, 0, 0, 0)
        assert m.longest_wait is None


def test_each_municipality_has_its_count_days_and_longest_wait(db):
    _three_municipalities(db)

    snap = take(db, T)

    assert line(snap, "5001") == MunicipalityLine(
        "5001", "Trondheim", "Trondheim", patients=2, at_hospital=1, utlokalisert=1,
        days_waited=7 + 2, longest_wait=7)
    assert line(snap, "5054") == MunicipalityLine(
        "5054", "Indre Fosen", "Fosen", patients=1, at_hospital=1, utlokalisert=0,
        days_waited=10, longest_wait=10)
    assert line(snap, "5026") == MunicipalityLine(
        "5026", "Holtålen", "Fjellregionen", patients=1, at_hospital=1, utlokalisert=0,
        days_waited=0, longest_wait=0)
    assert line(snap, "5028").patients == 0
    # 2 + 1 + 1 patients, one of them utlokalisert
    assert (snap.total, snap.at_hospital, snap.utlokalisert) == (4, 3, 1)


# --- after-care occupancy ----------------------------------------------------------------


def _censuses(db) -> None:
    load(db, beds=[
        census("Øya helsehus", "2024-03-03 08:00", available=20, occupied=10),
        census("Øya helsehus", "2024-03-04 07:00", available=20, occupied=18),  # latest <= T
        census("Øya helsehus", "2024-03-04 09:00", available=20, occupied=5),  # after T
        census("Røros sykehus", "2024-03-04 08:00", available=8, occupied=10),  # exactly at T
        census("Fosen DMS", "2024-03-04 08:01", available=6, occupied=6),  # only after T
        census("Malvik korttid", "2024-03-04 07:00", available=18, occupied=3),  # short-term
    ])


def test_occupancy_comes_from_the_latest_census_at_or_before_t(db):
    _censuses(db)

    units = {o.unit: o for o in take(db, T).aftercare}

    assert set(units) == {"Røros sykehus", "Øya helsehus", "Fosen DMS"}
    oya = units["Øya helsehus"]
    assert (oya.counted_at, oya.available, oya.occupied) == (
        datetime(2024, 3, 4, 7, 0), 20, 18)
    assert oya.occupancy_pct == 90.0  # 18 / 20
    assert oya.over_capacity is False
    fosen = units["Fosen DMS"]
    assert (fosen.counted_at, fosen.available, fosen.occupied, fosen.occupancy_pct) == (
        None, None, None, None)
    assert fosen.over_capacity is False


def test_more_patients_than_beds_is_over_capacity_above_100_percent(db):
    _censuses(db)

    roros = {o.unit: o for o in take(db, T).aftercare}["Røros sykehus"]

    assert (roros.counted_at, roros.available, roros.occupied) == (T, 8, 10)
    assert roros.occupancy_pct == 125.0  # 10 / 8
    assert roros.over_capacity is True


# --- the command ---------------------------------------------------------------------------


def _snapshot_cli(db_url: str, fmt: str) -> str:
    result = CliRunner().invoke(
        cli, ["snapshot", "--at", T_TEXT, "--format", fmt, "--db", db_url])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_json_snapshot_has_the_totals_municipalities_and_after_care_units(db, db_url):
    _three_municipalities(db)
    _censuses(db)

    data = json.loads(_snapshot_cli(db_url, "json"))

    assert list(data) == ["at", "total", "at_hospital", "utlokalisert", "municipalities",
                          "aftercare"]
    assert (data["at"], data["total"], data["at_hospital"], data["utlokalisert"]) == (
        T_TEXT, 4, 3, 1)
    assert len(data["municipalities"]) == 20
    by_code = {m["municipality"]: m for m in data["municipalities"]}
    assert by_code["5001"] == {
        "municipality": "5001", "name": "Trondheim", "region": "Trondheim", "patients": 2,
        "at_hospital": 1, "utlokalisert": 1, "days_waited": 9, "longest_wait": 7}
    assert by_code["5028"]["patients"] == 0
    assert by_code["5028"]["longest_wait"] is None
    units = {u["unit"]: u for u in data["aftercare"]}
    assert set(units) == {"Røros sykehus", "Øya helsehus", "Fosen DMS"}
    assert units["Røros sykehus"] == {
        "unit": "Røros sykehus", "counted_at": T_TEXT, "available": 8, "occupied": 10,
        "occupancy_pct": 125.0, "over_capacity": True}
    assert units["Øya helsehus"]["counted_at"] == "2024-03-04T07:00"
    assert units["Fosen DMS"] == {
        "unit": "Fosen DMS", "counted_at": None, "available": None, "occupied": None,
        "occupancy_pct": None, "over_capacity": False}


def test_the_csv_snapshot_has_a_line_per_municipality_and_a_totals_line(db, db_url):
    _three_municipalities(db)

    rows = list(csv.DictReader(io.StringIO(_snapshot_cli(db_url, "csv"))))

    assert list(rows[0]) == ["at", "municipality", "name", "region", "patients", "at_hospital",
                             "utlokalisert", "days_waited", "longest_wait"]
    assert [r["municipality"] for r in rows] == [*MUNICIPALITY_CODES, "all"]
    assert rows[0]["at"] == T_TEXT
    trondheim = next(r for r in rows if r["municipality"] == "5001")
    assert (trondheim["patients"], trondheim["at_hospital"], trondheim["utlokalisert"],
            trondheim["days_waited"], trondheim["longest_wait"]) == ("2", "1", "1", "9", "7")
    melhus = next(r for r in rows if r["municipality"] == "5028")
    assert (melhus["patients"], melhus["days_waited"], melhus["longest_wait"]) == ("0", "0", "")
    total = rows[-1]
    # 2 + 1 + 1 patients; days 9 + 10 + 0 = 19; longest max(7, 10, 0) = 10
    assert (total["at"], total["name"], total["region"]) == (T_TEXT, "", "")
    assert (total["patients"], total["at_hospital"], total["utlokalisert"],
            total["days_waited"], total["longest_wait"]) == ("4", "3", "1", "19", "10")


def test_the_csv_totals_line_of_an_empty_snapshot_has_no_longest_wait(db_url):
    rows = list(csv.DictReader(io.StringIO(_snapshot_cli(db_url, "csv"))))

    total = rows[-1]
    assert (total["municipality"], total["patients"], total["days_waited"],
            total["longest_wait"]) == ("all", "0", "0", "")
