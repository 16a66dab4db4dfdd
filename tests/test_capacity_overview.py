"""The overview the capacity page and report share, on the store (both engines)."""

from __future__ import annotations

from datetime import datetime

import pytest

from flyt.capacity import escalation_store, overview
from flyt.capacity.escalation import GroupLevel
from tests.test_capacity_commands import seed
from tests.test_capacity_escalation import short_term

AT = datetime(2024, 4, 9, 9)


def test_the_overview_of_the_community_and_a_unit(db):
    seed(db)  # 100 days from 01.01.2024: two in 5001 every day, Øya helsehus 10 of 20
    short_term(db, 17, 18, datetime(2024, 4, 9, 7, 30))
    found = overview.build(db, AT)
    assert found.last == datetime(2024, 4, 9, 8)
    assert found.census["5001"] == 2 and found.census["5020"] == 0
    assert len(found.census) == 20  # every municipality of the community, 0 included
    assert found.series.measure == "ukp_patients" and found.series.problem is None
    assert len(found.series.recent) == overview.RECENT_DAYS
    assert found.series.forecast is not None and len(found.series.forecast) == 56
    assert found.series.forecast.index[0] == datetime(2024, 4, 10)
    assert [(u.unit, u.free) for u in found.beds] == [("Øya helsehus", 10),
                                                       ("Malvik korttid", 1)]
    assert found.levels == []  # none stored yet
    # Easter 2024 ended 01.04; the influenza season under way ends 19.05.2024.
    assert [p.key for p in found.periods][:3] == ["influenza-2023", "summer-2024",
                                                  "influenza-2024"]
    unit = overview.build(db, AT, ("unit", "Øya helsehus"), horizon=7)
    assert unit.series.measure == "aftercare_occupied"
    assert unit.series.forecast is not None
    assert unit.series.forecast["mean"].tolist() == pytest.approx([10.0] * 7, abs=0.3)


def test_too_little_history_and_an_unknown_group(db):
    seed(db)
    early = overview.build(db, datetime(2024, 2, 1, 9))
    assert early.series.forecast is None and early.series.problem == "too_little_history"
    with pytest.raises(ValueError, match="no series"):
        overview.build(db, AT, ("municipality", "9999"))


def test_the_latest_stored_levels_with_since(db):
    moments = [datetime(2024, 4, 8, 8), datetime(2024, 4, 9, 8), datetime(2024, 4, 10, 8)]
    for moment, level in zip(moments, (2, 2, 3), strict=True):
        escalation_store.save(db, moment, [GroupLevel("community", "all", level, (), ()),
                                           GroupLevel("municipality", "5001", 1, (), ())],
                              moment)
    found = escalation_store.latest(db, datetime(2024, 4, 9, 20))
    assert [(s.group_id, s.level, s.at, s.since) for s in found] == [
        ("all", 2, moments[1], moments[0]), ("5001", 1, moments[1], moments[0])]
    assert escalation_store.latest(db, datetime(2024, 4, 8, 7)) == []


def test_the_demo_stores_the_levels_of_its_last_census(db_url, monkeypatch):
    from flyt.cli.common import Context
    from flyt.cli.data import demo_escalation_text
    from flyt.domain import clock

    ctx = Context(db_url)
    seed(ctx.db)
    short_term(ctx.db, 23, 20, datetime(2024, 4, 8, 7, 30))  # Malvik 115 %: level 4
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 4, 9, 7, 59))
    line = demo_escalation_text(ctx, "nb")
    assert line.startswith("Eskaleringsnivåer beregnet og lagret for 08.04.2024 08:00")
    assert "fellesskapet nivå 4, 1 av 3 kommuner på nivå 2 eller høyere" in line
    stored = escalation_store.latest(ctx.db, datetime(2024, 4, 9, 8))
    assert stored[0].at == datetime(2024, 4, 8, 8)  # 07:59: the 8th's census is the last
    assert {(s.group_id, s.level) for s in stored} >= {("all", 4), ("5031", 4)}
