"""The capacity history: the 08:00 census per day by the snapshot's rule, the units'
beds, the waits; hand-counted on tiny stores, on both engines."""

from __future__ import annotations

import math
from datetime import date, datetime

import sqlalchemy as sa

from flyt.capacity import history
from flyt.engine import snapshot
from flyt.store import schema
from tests.support.records import load, stay

# 5001: A waits over several 08:00s; B is discharged 07:59, before its second census;
# D waits over the change to summer time (31.03.2024) and leaves 01.04 at 08:00 exactly,
# so 01.04 does not count it. 5028: C is ready at 08:00 exactly, so that day counts it.
STAYS = [
    stay("A", ready="2024-03-01 10:00", discharged="2024-03-04 09:00"),
    stay("B", ready="2024-03-02 06:00", discharged="2024-03-03 07:59"),
    stay("C", municipality="5028", ready="2024-03-03 08:00", discharged="2024-03-05 12:00"),
    stay("D", ready="2024-03-30 20:00", discharged="2024-04-01 08:00"),
]


def test_census_per_day_and_municipality(db):
    load(db, STAYS)
    known = history.read(db, datetime(2024, 4, 2, 8, 0))
    assert (known.first, known.last) == (date(2024, 3, 2), date(2024, 4, 2))
    assert list(known.ukp.columns) == ["5001", "5028"]
    assert len(known.ukp) == 32  # 02.03 … 02.04
    trondheim = {d.date(): v for d, v in known.ukp["5001"].items() if v}
    assert trondheim == {date(2024, 3, 2): 2, date(2024, 3, 3): 1, date(2024, 3, 4): 1,
                         date(2024, 3, 31): 1}
    melhus = {d.date(): v for d, v in known.ukp["5028"].items() if v}
    assert melhus == {date(2024, 3, 3): 1, date(2024, 3, 4): 1, date(2024, 3, 5): 1}
    assert int(known.community.sum()) == 8


def test_census_equals_the_snapshot_at_08(db):
    load(db, STAYS)
    known = history.read(db, datetime(2024, 4, 2, 8, 0))
    for day in ("2024-03-02", "2024-03-03", "2024-03-05", "2024-03-31", "2024-04-01"):
        taken = snapshot.take(db, datetime.fromisoformat(f"{day} 08:00"))
        assert known.community[day] == taken.total, day


def test_no_peeking_and_the_patients_waiting_at_the_start(db):
    load(db, STAYS)
    # At 03.03 12:00 the census of 03.03 is known; A's discharge on 04.03 is not.
    known = history.read(db, datetime(2024, 3, 3, 12, 0))
    assert known.last == date(2024, 3, 3)
    assert known.community.to_list() == [2, 2]
    waiting = known.waiting_at_start().sort_values("municipality").to_dict("records")
    assert waiting == [{"municipality": "5001", "days": 2}, {"municipality": "5028", "days": 1}]
    # Before 08:00 the day's census is not yet taken.
    assert history.read(db, datetime(2024, 3, 3, 7, 0)).last == date(2024, 3, 2)


def test_municipality_without_an_08_census_still_has_a_series(db):
    load(db, [stay("E", municipality="5031", ready="2024-03-01 09:00",
                   discharged="2024-03-01 15:00"), *STAYS])
    known = history.read(db, datetime(2024, 4, 2, 8, 0))
    assert "5031" in known.ukp.columns and int(known.ukp["5031"].sum()) == 0


def test_unit_beds_carry_the_latest_count_at_08_for_a_week(db):
    with db.engine.begin() as conn:
        conn.execute(sa.insert(schema.bed_census), [
            {"source": "default", "unit": "Øya helsehus", "counted_at": datetime(2024, 3, 2, 7),
             "available": 20, "occupied": 10, "over_capacity": False, "import_id": 0},
            {"source": "default", "unit": "Øya helsehus", "counted_at": datetime(2024, 3, 3, 9),
             "available": 20, "occupied": 12, "over_capacity": False, "import_id": 0},
            {"source": "default", "unit": "Melhus korttid",
             "counted_at": datetime(2024, 3, 2, 8), "available": 21, "occupied": 21,
             "over_capacity": False, "import_id": 0},
            {"source": "default", "unit": "Melhus korttid",  # after --at: unknown
             "counted_at": datetime(2024, 3, 12, 8), "available": 21, "occupied": 5,
             "over_capacity": False, "import_id": 0},
        ])
    load(db, STAYS)
    known = history.read(db, datetime(2024, 3, 11, 12, 0))
    oya = known.units["Øya helsehus"]
    assert oya["2024-03-02"] == 10 and oya["2024-03-03"] == 10  # the 09:00 count is later
    assert all(oya[f"2024-03-{d:02d}"] == 12 for d in range(4, 11))
    assert math.isnan(oya["2024-03-11"])  # the count of 03.03 is over a week old
    melhus = known.units["Melhus korttid"]
    assert melhus["2024-03-02"] == 21 and melhus["2024-03-08"] == 21
    assert math.isnan(melhus["2024-03-09"])  # exactly seven days old: stale
    assert math.isnan(melhus["2024-03-11"])  # the count of 12.03 is after --at
    assert known.unit_kinds["Melhus korttid"] == "short_term"
    assert known.unit_kinds["Øya helsehus"] == "aftercare"
