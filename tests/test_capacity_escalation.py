"""Escalation levels (docs/capacity.md, "Escalation levels"): each rule at its thresholds
(a value *at* a threshold passes it), the level is the highest indicator's, a missing
indicator is left out, the small-count rule, the settings' errors, `since` over stored
runs, and `flyt escalation`'s JSON on both engines."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from flyt.capacity import escalation_inputs, escalation_store
from flyt.capacity.escalation import (
    Beds,
    GroupInput,
    GroupLevel,
    Indicator,
    Ratio,
    assess,
    occupancy_indicator,
    ratio_indicator,
)
from flyt.capacity.escalation_settings import DEFAULTS, load_escalation_settings
from flyt.capacity.forecast import day_features, normal_level
from flyt.cli.main import cli
from flyt.store import schema
from tests.test_capacity_commands import seed
from tests.test_capacity_forecast import days_before, made

RATIO = (1.15, 1.30, 1.50)
OCCUPANCY = (90.0, 100.0, 110.0)


# --- the rules (pure) -------------------------------------------------------------------

@pytest.mark.parametrize(("count", "level", "threshold"), [
    (22.9, 1, None),  # 1,145: just below 1,15
    (23.0, 2, 1.15),  # at 1,15: passes
    (23.2, 2, 1.15),  # 1,16: above
    (25.9, 2, 1.15),  # 1,295: just below 1,30
    (26.0, 3, 1.30),
    (29.9, 3, 1.30),  # 1,495
    (30.0, 4, 1.50),
    (40.0, 4, 1.50),
])
def test_ukp_against_the_normal_at_its_thresholds(count, level, threshold):
    found = ratio_indicator("ukp_vs_normal", Ratio(count, 20.0), RATIO, 2.0)
    assert found == Indicator("ukp_vs_normal", pytest.approx(count / 20.0), threshold, level)


@pytest.mark.parametrize(("occupied", "available", "level", "threshold"), [
    (179, 200, 1, None),  # 89,5 %
    (180, 200, 2, 90.0),  # 90 %: at passes
    (181, 200, 2, 90.0),
    (199, 200, 2, 90.0),  # 99,5 %
    (200, 200, 3, 100.0),
    (219, 200, 3, 100.0),  # 109,5 %
    (220, 200, 4, 110.0),
    (260, 200, 4, 110.0),
])
def test_occupancy_at_its_thresholds(occupied, available, level, threshold):
    found = occupancy_indicator("short_term_occupancy", Beds(occupied, available), OCCUPANCY)
    assert found is not None
    assert (found.value, found.level, found.threshold) == (
        pytest.approx(100 * occupied / available), level, threshold)


def test_no_available_beds_is_no_indicator_not_a_zero():
    assert occupancy_indicator("aftercare_occupancy", Beds(0, 0), OCCUPANCY) is None
    assert occupancy_indicator("aftercare_occupancy", Beds(3, 0), OCCUPANCY) is None


def test_the_forecast_peak_uses_its_own_thresholds():
    settings = load_escalation_settings({"escalation": {"forecast_ratio": [1.1, 1.2, 1.3],
                                                        "min_excess": 0}})
    group = GroupInput("community", "all", peak=Ratio(24.0, 20.0))  # 1,20
    found = assess(group, settings)
    assert found is not None and found.level == 3
    assert found.indicators == (Indicator("forecast_peak_7d", 1.2, 1.2, 3),)


def test_small_counts_need_a_minimum_excess_in_patients():
    # One patient against a normal of 0,4: a ratio of 2,5 (the normal floored at 0,5: 2,0),
    # but only 0,6 patients above it: normal.
    one = ratio_indicator("ukp_vs_normal", Ratio(1.0, 0.4), RATIO, 2.0)
    assert (one.value, one.threshold, one.level) == (2.0, None, 1)
    # Two above the normal (at the minimum): the ratio counts, 3 / 1 = 3,0: level 4.
    assert ratio_indicator("ukp_vs_normal", Ratio(3.0, 1.0), RATIO, 2.0).level == 4
    assert ratio_indicator("ukp_vs_normal", Ratio(2.9, 1.0), RATIO, 2.0).level == 1
    # A normal of 0 keeps the ratio finite (0,5 patients): 4 / 0,5 = 8.
    zero = ratio_indicator("ukp_vs_normal", Ratio(4.0, 0.0), RATIO, 2.0)
    assert (zero.value, zero.level) == (8.0, 4)
    # Large counts pass the minimum easily: 23 against 20 is 3 above.
    assert ratio_indicator("ukp_vs_normal", Ratio(23.0, 20.0), RATIO, 2.0).level == 2
    # With a minimum of 4 it is not enough.
    assert ratio_indicator("ukp_vs_normal", Ratio(23.0, 20.0), RATIO, 4.0).level == 1


def test_the_level_is_the_highest_indicator_and_missing_ones_are_left_out():
    group = GroupInput("municipality", "5001", ukp=Ratio(23.0, 20.0),  # level 2
                       aftercare=Beds(21, 20),  # 105 %: level 3
                       short_term=Beds(5, 0))  # no beds: left out
    found = assess(group, DEFAULTS)
    assert found is not None
    assert found.level == 3
    assert [(i.name, i.level) for i in found.indicators] == [
        ("ukp_vs_normal", 2), ("aftercare_occupancy", 3)]
    assert found.missing == ("short_term_occupancy", "forecast_peak_7d")
    quiet = assess(GroupInput("municipality", "5001", aftercare=Beds(2, 20)), DEFAULTS)
    assert quiet is not None and quiet.level == 1 and len(quiet.indicators) == 1
    assert assess(GroupInput("municipality", "5020"), DEFAULTS) is None


def test_the_normal_is_the_forecasts_own():
    last = date(2025, 6, 1)  # a Sunday
    pattern = pd.Series([20.0 if d.weekday() < 5 else 5.0 for d in days_before(last, 730)],
                        index=pd.DatetimeIndex(days_before(last, 730)))
    known = made({"5001": pattern.to_numpy()}, last)
    features = day_features(known, last + timedelta(days=7))
    assert normal_level(pattern, features, last) == pytest.approx(5.0, rel=0.05)
    assert normal_level(pattern, features, date(2025, 6, 3)) == pytest.approx(20.0, rel=0.05)


# --- the settings -----------------------------------------------------------------------

def test_settings_defaults_and_a_change():
    assert load_escalation_settings({}) == DEFAULTS
    assert DEFAULTS.ukp_ratio == (1.15, 1.30, 1.50)
    assert DEFAULTS.aftercare_occupancy == (90.0, 100.0, 110.0)
    assert DEFAULTS.min_excess == 2.0
    changed = load_escalation_settings({"escalation": {"short_term_occupancy": [85, 95, 105],
                                                       "min_excess": 1}})
    assert changed.short_term_occupancy == (85.0, 95.0, 105.0) and changed.min_excess == 1.0
    assert changed.ukp_ratio == DEFAULTS.ukp_ratio


@pytest.mark.parametrize(("section", "message"), [
    ({"ukp_treshold": [1, 2, 3]}, "unknown key [escalation] ukp_treshold"),
    ({"ukp_ratio": [1.3, 1.15, 1.5]}, "[escalation] ukp_ratio must rise with the level"),
    ({"aftercare_occupancy": [90, 90, 110]}, "aftercare_occupancy must rise"),
    ({"forecast_ratio": [1.15, 1.3]}, "[escalation] forecast_ratio must be a list of three"),
    ({"short_term_occupancy": [90, "100", 110]}, "short_term_occupancy must be a list"),
    ({"ukp_ratio": [0, 1.3, 1.5]}, "ukp_ratio must be a list of three numbers above 0"),
    ({"ukp_ratio": [True, 1.3, 1.5]}, "ukp_ratio must be a list"),
    ({"ukp_ratio": 1.2}, "ukp_ratio must be a list"),
    ({"min_excess": -1}, "[escalation] min_excess must be a number from 0"),
    ({"min_excess": "2"}, "min_excess must be a number"),
])
def test_settings_errors_name_the_key(section, message):
    with pytest.raises(ValueError, match=None) as error:
        load_escalation_settings({"escalation": section})
    assert message in str(error.value)


def test_the_section_must_be_a_table():
    with pytest.raises(ValueError, match=r"\[escalation\] in the configuration file"):
        load_escalation_settings({"escalation": 3})


# --- the store: since and replacing -----------------------------------------------------

def level(value: int, group_id: str = "all") -> GroupLevel:
    group_type = "community" if group_id == "all" else "municipality"
    return GroupLevel(group_type, group_id, value,
                      (Indicator("aftercare_occupancy", 80.0 + 10 * value, None, value),), ())


MOMENTS = [datetime(2025, 3, 3, 8) + timedelta(hours=6 * i) for i in range(4)]


def stored(db, levels: list[int], group_id: str = "all") -> None:
    """One computation per moment (each replaces what its moment had)."""
    for moment, value in zip(MOMENTS, levels, strict=False):
        escalation_store.save(db, moment, [level(value, group_id)], moment)


def test_since_is_the_start_of_the_latest_unbroken_run(db):
    stored(db, [1, 1, 2, 2])
    assert escalation_store.since(db, MOMENTS[3], [level(2)]) == {("community", "all"):
                                                                   MOMENTS[2]}
    # A new level at a later moment begins there; the same level goes on from the run.
    later = MOMENTS[3] + timedelta(hours=6)
    assert escalation_store.since(db, later, [level(3)])[("community", "all")] == later
    assert escalation_store.since(db, later, [level(2)])[("community", "all")] == MOMENTS[2]
    # Rows after the moment asked for say nothing about it.
    assert escalation_store.since(db, MOMENTS[1], [level(1)])[("community", "all")] == \
        MOMENTS[0]


def test_since_after_a_break_is_the_last_run(db):
    stored(db, [2, 1, 2], "5001")
    assert escalation_store.since(db, MOMENTS[2], [level(2, "5001")]) == {
        ("municipality", "5001"): MOMENTS[2]}
    assert escalation_store.since(db, MOMENTS[3], [level(2, "5001")]) == {
        ("municipality", "5001"): MOMENTS[2]}


def test_the_same_moment_twice_keeps_one_row_per_group(db):
    at = MOMENTS[0]
    escalation_store.save(db, at, [level(1), level(2, "5001")], at)
    escalation_store.save(db, at, [level(3), level(2, "5001")], at + timedelta(minutes=5))
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.escalation_levels)
                            .order_by(schema.escalation_levels.c.group_id)).all()
    assert [(r.group_id, r.level) for r in rows] == [("5001", 2), ("all", 3)]
    assert all(r.computed_at == at + timedelta(minutes=5) and r.at == at for r in rows)
    assert json.loads(rows[1].indicators) == [
        {"name": "aftercare_occupancy", "value": 110.0, "threshold": None, "level": 3}]
    escalation_store.save(db, at, [level(1)], at)  # 5001 no longer has a level
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            schema.escalation_levels)).scalar_one() == 1


# --- what the store gives and the command -----------------------------------------------

def short_term(db, occupied: int, available: int, at: datetime) -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.insert(schema.bed_census), [
            {"source": "default", "unit": "Malvik korttid", "counted_at": at,
             "available": available, "occupied": occupied, "over_capacity": True,
             "import_id": 0}])


def escalate(*args: str):
    return CliRunner().invoke(cli, ["escalation", *args])


def test_the_inputs_from_the_store(db):
    seed(db)  # tests/test_capacity_commands.py: 100 days from 01.01.2024
    found = {g.group_id: g for g in escalation_inputs.read(db, datetime(2024, 4, 9, 8))}
    trondheim = found["5001"]
    assert trondheim.ukp is not None and trondheim.peak is not None
    assert trondheim.ukp.count == 2.0 and trondheim.ukp.normal == pytest.approx(2.0, abs=0.1)
    assert trondheim.peak.count == pytest.approx(2.0, abs=0.1)
    assert trondheim.aftercare == Beds(10, 20) and trondheim.short_term is None
    assert found["all"].aftercare == Beds(10, 20)
    assert found["5028"].ukp is not None and found["5028"].aftercare is None
    assert found["5020"] == GroupInput("municipality", "5020")  # nothing known
    # 32 days of history: too little for a normal, so no UKP indicator anywhere.
    early = {g.group_id: g for g in escalation_inputs.read(db, datetime(2024, 2, 1, 8))}
    assert early["all"].ukp is None and early["5001"].peak is None
    assert early["5001"].aftercare == Beds(10, 20)
    # A count more than seven days old says nothing.
    stale = {g.group_id: g for g in escalation_inputs.read(db, datetime(2024, 4, 17, 8))}
    assert stale["5001"].aftercare is None


def test_the_command_gives_the_contract_keys_and_stores(db, db_url):
    seed(db)
    short_term(db, 23, 20, datetime(2024, 4, 9, 7, 30))  # Malvik (5031): 115 %, level 4
    out = escalate("--at", "2024-04-09T08:00", "--format", "json", "--db", db_url)
    assert out.exit_code == 0, out.output
    objects = json.loads(out.stdout)
    assert all(list(o) == ["group_type", "group_id", "level", "indicators", "since"]
               for o in objects)
    assert all(list(i) == ["name", "value", "threshold", "level"]
               for o in objects for i in o["indicators"])
    by_id = {o["group_id"]: o for o in objects}
    assert list(by_id) == ["all", "5001", "5028", "5031"]  # the others have no data
    assert by_id["5031"] == {
        "group_type": "municipality", "group_id": "5031", "level": 4,
        "indicators": [{"name": "short_term_occupancy", "value": 115.0, "threshold": 110.0,
                        "level": 4}],
        "since": "2024-04-09T08:00"}
    community = by_id["all"]
    assert community["level"] == 4  # the highest of its indicators: short-term beds
    assert [i["name"] for i in community["indicators"]] == [
        "ukp_vs_normal", "aftercare_occupancy", "short_term_occupancy", "forecast_peak_7d"]
    assert community["indicators"][1] == {"name": "aftercare_occupancy", "value": 50.0,
                                          "threshold": None, "level": 1}
    assert by_id["5001"]["level"] == 1  # two patients as normal, half the beds
    assert "5028 Melhus: uten data for Belegg etterbehandling, Belegg korttid" in out.stderr
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            schema.escalation_levels)).scalar_one() == 4
    # The same moment again: still one row per group; --no-store adds none.
    assert escalate("--at", "2024-04-09T08:00", "--db", db_url).exit_code == 0
    assert escalate("--at", "2024-04-09T14:00", "--no-store", "--db", db_url).exit_code == 0
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            schema.escalation_levels)).scalar_one() == 4


def test_since_through_the_command(db, db_url):
    seed(db)
    short_term(db, 23, 20, datetime(2024, 4, 8, 7, 30))
    for moment in ("2024-04-08T08:00", "2024-04-08T20:00"):
        assert escalate("--at", moment, "--db", db_url).exit_code == 0
    short_term(db, 10, 20, datetime(2024, 4, 9, 7, 0))  # 50 %: back to normal
    out = escalate("--at", "2024-04-09T08:00", "--format", "json", "--db", db_url)
    malvik = {o["group_id"]: o for o in json.loads(out.stdout)}["5031"]
    assert (malvik["level"], malvik["since"]) == (1, "2024-04-09T08:00")
    out = escalate("--at", "2024-04-08T22:00", "--format", "json", "--no-store",
                   "--db", db_url)
    malvik = {o["group_id"]: o for o in json.loads(out.stdout)}["5031"]
    assert (malvik["level"], malvik["since"]) == (4, "2024-04-08T08:00")


def test_the_text_table_in_both_languages(db, db_url):
    seed(db)
    short_term(db, 23, 20, datetime(2024, 4, 9, 7, 30))
    out = escalate("--at", "2024-04-09T08:00", "--no-store", "--db", db_url)
    assert out.exit_code == 0, out.output
    assert "Beredskapsnivå 09.04.2024 08:00" in out.stdout
    assert "Helsefellesskapet" in out.stdout and "4 kritisk" in out.stdout
    assert "115,0" in out.stdout and "Belegg korttid" in out.stdout
    assert "5031 Malvik" in out.stdout  # a municipality by its number and name
    english = escalate("--at", "2024-04-09T08:00", "--no-store", "--lang", "en",
                       "--db", db_url)
    assert "Escalation levels 2024-04-09 08:00" in english.stdout
    assert "4 critical" in english.stdout and "1 normal" in english.stdout


def test_clear_errors_and_nothing_stored(db, db_url, tmp_path, monkeypatch):
    out = escalate("--at", "2024-04-09T08:00", "--db", db_url, "--lang", "en")
    assert out.exit_code == 1 and "No group has data for an escalation level" in out.output
    assert "Traceback" not in out.output
    seed(db)
    config = tmp_path / "flyt.toml"
    config.write_text("[escalation]\nukp_ratio = [1.5, 1.3, 1.15]\n", encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    out = escalate("--at", "2024-04-09T08:00", "--db", db_url)
    assert out.exit_code == 1 and "[escalation] ukp_ratio must rise with the level" in out.output
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            schema.escalation_levels)).scalar_one() == 0


def test_a_rising_count_reaches_the_levels_in_order():
    # A sanity check across the rules: 20 as the normal, 20 → 32 patients.
    levels = [ratio_indicator("ukp_vs_normal", Ratio(float(c), 20.0), RATIO, 2.0).level
              for c in np.arange(20, 33)]
    assert levels == sorted(levels) and levels[0] == 1 and levels[-1] == 4
