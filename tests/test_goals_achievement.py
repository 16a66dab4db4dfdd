"""Goal achievement, expected achievement and status (spec/kpi.md, "Targets and the road to
them"): the pure rules in flyt.domain.goals, then the goal rows the engine stores."""

from datetime import date

import pytest

from flyt.config import GoalSettings, GoalSpec
from flyt.domain.codes import Better
from flyt.domain.goals import achievement, expected, status
from flyt.engine.compute import compute
from flyt.engine.read import GoalRow, goal_rows
from tests.support.records import at, load, short_stay, stay

LOWER, HIGHER = Better.LOWER, Better.HIGHER
START = date(2024, 1, 1)


def exactly(x: float) -> object:
    """Equal up to the last bits of a double (the order of operations may differ)."""
    return pytest.approx(x, rel=1e-12, abs=1e-12)


# -- the pure rules -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "achieved"),
    [
        (2.5, 50.0),  # 100 * (3 - 2.5) / (3 - 2)
        (2.0, 100.0),  # the target reached
        (3.0, 0.0),  # still at the baseline
        (3.5, -50.0),  # worse than the baseline: negative
        (1.5, 150.0),  # beyond the target: above 100
    ],
)
def test_achievement_when_lower_is_better_is_the_way_from_baseline_to_target(value, achieved):
    assert achievement(3.0, value, 2.0, LOWER) == exactly(achieved)


@pytest.mark.parametrize(
    ("value", "achieved"),
    [
        (75.0, 50.0),  # 100 * (75 - 60) / (90 - 60)
        (90.0, 100.0),
        (60.0, 0.0),
        (45.0, -50.0),  # 100 * (45 - 60) / 30
        (96.0, 120.0),  # 100 * 36 / 30
    ],
)
def test_achievement_when_higher_is_better_is_the_way_from_baseline_to_target(value, achieved):
    assert achievement(60.0, value, 90.0, HIGHER) == exactly(achieved)


@pytest.mark.parametrize(
    ("baseline", "value", "target", "better", "achieved"),
    [
        (1.5, 1.9, 2.0, LOWER, 100.0),  # baseline 1.5 <= 2 already; value meets it
        (1.5, 2.0, 2.0, LOWER, 100.0),  # exactly at the target meets it
        (1.5, 2.1, 2.0, LOWER, 0.0),  # value misses it
        (2.0, 2.5, 2.0, LOWER, 0.0),  # a baseline at the target meets it too
        (95.0, 90.0, 90.0, HIGHER, 100.0),
        (95.0, 89.9, 90.0, HIGHER, 0.0),
    ],
)
def test_achievement_is_all_or_nothing_when_the_baseline_already_meets_the_target(
    baseline, value, target, better, achieved
):
    assert achievement(baseline, value, target, better) == achieved


@pytest.mark.parametrize(
    ("baseline", "value", "target"), [(None, 2.0, 2.0), (3.0, None, 2.0), (3.0, 2.0, None)]
)
def test_there_is_no_achievement_without_baseline_value_or_target(baseline, value, target):
    assert achievement(baseline, value, target, LOWER) is None


@pytest.mark.parametrize(
    ("month", "expected_pct"),
    [
        (date(2023, 12, 1), 0.0),  # before the start
        (date(2023, 1, 1), 0.0),
        (date(2024, 1, 1), 100 * 1 / 24),  # 4.1666..: shown as 4.2, kept exact
        (date(2024, 6, 1), 25.0),  # 100 * 6 / 24
        (date(2024, 12, 1), 50.0),  # 100 * 12 / 24: half way after one year
        (date(2025, 1, 1), 100 * 13 / 24),
        (date(2025, 11, 1), 100 * 23 / 24),
        (date(2025, 12, 1), 100.0),  # 24 months: the whole way after two years
        (date(2026, 6, 1), 100.0),  # never above 100
    ],
)
def test_expected_achievement_grows_linearly_from_the_start_month(month, expected_pct):
    assert expected(month, START, 24) == expected_pct


def test_expected_achievement_follows_the_configured_months_to_full():
    assert expected(date(2024, 3, 1), START, 4) == 75.0  # 100 * 3 / 4
    assert expected(date(2024, 4, 1), START, 4) == 100.0


@pytest.mark.parametrize(
    ("achieved", "expected_pct", "colour"),
    [
        (50.0, 50.0, "green"),  # at the expected level
        (120.0, 50.0, "green"),
        (49.99, 50.0, "yellow"),  # just behind
        (25.0, 50.0, "yellow"),  # exactly 25 points behind: still yellow
        (24.99, 50.0, "red"),
        (-20.0, 100 / 24, "yellow"),  # 4.17 - 25 = -20.83 <= -20
        (-21.0, 100 / 24, "red"),
        (0.0, 0.0, "green"),  # before the start nothing is expected
        (-25.0, 0.0, "yellow"),
        (-25.01, 0.0, "red"),
    ],
)
def test_status_is_green_on_track_yellow_within_25_points_and_red_beyond(
    achieved, expected_pct, colour
):
    assert status(achieved, expected_pct, 25.0) == colour


def test_there_is_no_status_without_achievement():
    assert status(None, 50.0, 25.0) is None


def test_the_yellow_band_is_configurable():
    assert status(45.0, 50.0, 5.0) == "yellow"  # exactly 5 points behind
    assert status(44.9, 50.0, 5.0) == "red"


# -- the goal rows the engine stores --------------------------------------------------------
# 2023 gives the baselines, 2024 the road; all in Trondheim (5001), somatikk.
STAYS = [
    stay("a1", ready="2023-01-02 08:00", discharged="2023-01-06 10:00", destination="hjem"),  # 4
    stay("a2", ready="2023-05-10 08:00", discharged="2023-05-14 10:00", destination="hjem"),  # 4
    stay("b1", "pb1", ready="2024-06-03 08:00", discharged="2024-06-06 10:00",
         destination="hjem"),  # 3 days, readmitted by b1r
    stay("b1r", "pb1", admitted="2024-06-10 08:00", discharged="2024-06-12 10:00"),  # not UKP
    stay("b2", ready="2024-06-10 10:00", discharged="2024-06-10 16:00", destination="hjem"),  # 0
    stay("b3", ready="2024-11-01 08:00", discharged="2024-11-21 10:00", destination="hjem"),  # 20
]
SHORT_STAYS = [
    short_stay("k1", started="2023-03-01", ended="2023-03-11"),  # Øya: 10 days
    short_stay("k2", started="2023-09-05 10:00", ended="2023-09-05 16:00"),  # Øya: 0 days
    short_stay("k3", started="2024-06-01", ended="2024-06-05"),  # Øya: 4 days
    short_stay("other-unit", "5001", "Trondheim korttid", started="2023-04-01",
               ended="2023-05-01"),  # 30 days, not at Øya
]
CUTOFF = "2025-01-15"


def goals_at(db, month: str, cutoff: str = CUTOFF) -> dict[int, GoalRow]:
    rows = goal_rows(db, at(cutoff), date.fromisoformat(month + "-01"))
    return {row.kpi: row for row in rows}


@pytest.fixture
def road(db):
    load(db, STAYS, short_stays=SHORT_STAYS)
    compute(db, at(CUTOFF))
    return db


def test_the_default_goals_are_the_community_somatikk_and_the_oya_short_term_unit(road):
    rows = goal_rows(road, at(CUTOFF), date(2024, 6, 1))
    assert [(r.kpi, r.sector, r.group_type, r.group_id) for r in rows] == [
        (1, "somatikk", "community", "all"),
        (2, "somatikk", "community", "all"),
        (3, "somatikk", "community", "all"),
        (4, "somatikk", "community", "all"),
        (5, "somatikk", "community", "all"),
        (6, "alle", "unit", "Øya helsehus korttid"),
    ]


def test_the_baseline_is_the_pooled_value_of_2023_and_the_targets_are_configured(road):
    g = goals_at(road, "2024-06")
    assert (g[1].baseline, g[1].target) == (8, 1000)  # 4 + 4 UKP days in 2023
    assert (g[2].baseline, g[2].target) == (0, 90)  # 0 zero-day stays of 2
    assert (g[3].baseline, g[3].target) == (4, 2)  # (4 + 4) / 2
    assert (g[4].baseline, g[4].target) == (100, 30)  # 2 of 2 went home
    assert (g[5].baseline, g[5].target) == (0, 16)  # no readmission of 2


def test_the_short_term_stay_target_is_20_percent_below_the_oya_baseline(road):
    g = goals_at(road, "2024-06")[6]
    assert g.baseline == 5.0  # (10 + 0) / 2 at Øya; the 30 days at Trondheim korttid left out
    assert g.target == exactly(4.0)  # 0.8 * 5.0


def test_the_goal_value_is_the_rolling_12_value_of_the_month(road):
    g = goals_at(road, "2024-12")  # Jan..Dec 2024: b1, b2, b3; 3 + 0 + 20 = 23 days
    assert g[1].value == 23
    assert g[2].value == exactly(100 / 3)  # 1 zero-day stay of 3
    assert g[3].value == exactly(23 / 3)  # 7.666..
    assert g[4].value == 100.0  # 3 of 3 home
    assert g[5].value == exactly(100 / 3)  # b1 readmitted after 3 days 22 hours
    assert g[6].value == 4.0  # k3 alone


def test_goals_one_year_in_are_green_yellow_or_red_by_their_achievement(road):
    g = goals_at(road, "2024-12")
    assert {k: g[k].expected for k in g} == {k: 50.0 for k in range(1, 7)}  # 100 * 12 / 24
    # KPI 1: baseline 8 <= 1000 already, value 23 <= 1000: 100
    assert (g[1].achievement, g[1].status) == (100.0, "green")
    # KPI 2, higher is better: 100 * (33.33 - 0) / (90 - 0) = 37.04; 50 - 25 <= 37.04 < 50
    assert g[2].achievement == exactly(100 * (100 / 3) / 90)
    assert g[2].status == "yellow"
    # KPI 3, lower is better: 100 * (4 - 7.667) / (4 - 2) = -183.33
    assert g[3].achievement == exactly(100 * (4 - 23 / 3) / 2)
    assert g[3].status == "red"
    # KPI 4: baseline 100 >= 30 already, value 100 >= 30
    assert (g[4].achievement, g[4].status) == (100.0, "green")
    # KPI 5: baseline 0 <= 16 already, value 33.3 > 16: 0, and 0 < 50 - 25
    assert (g[5].achievement, g[5].status) == (0.0, "red")
    # KPI 6: 100 * (5 - 4) / (5 - 4) = 100
    assert g[6].achievement == exactly(100.0)
    assert g[6].status == "green"


def test_goals_half_a_year_in(road):
    g = goals_at(road, "2024-06")  # Jul 2023..Jun 2024: b1 (3 days, readmitted), b2 (0)
    assert g[1].expected == 25.0  # 100 * 6 / 24
    assert (g[1].value, g[1].achievement, g[1].status) == (3, 100.0, "green")
    assert g[2].value == 50.0  # 1 of 2
    assert g[2].achievement == exactly(100 * 50 / 90)  # 55.56
    assert g[2].status == "green"
    assert (g[3].value, g[3].achievement, g[3].status) == (1.5, 125.0, "green")
    # 100 * (4 - 1.5) / (4 - 2) = 125: beyond the target
    assert (g[5].value, g[5].achievement) == (50.0, 0.0)  # baseline met, value 50 > 16
    assert g[5].status == "yellow"  # 0 = 25 - 25: exactly on the yellow edge
    assert g[6].value == 2.0  # (k2 0 + k3 4) / 2
    assert g[6].achievement == exactly(300.0)  # 100 * (5 - 2) / (5 - 4)


def test_the_first_month_expects_one_twenty_fourth_of_the_way(road):
    g = goals_at(road, "2024-01")  # Feb 2023..Jan 2024: a2 (4 days); k1, k2 at Øya
    for kpi in g:
        assert g[kpi].expected == 100 / 24  # 4.1666.., stored exactly (shown as 4.2)
    assert (g[3].value, g[3].achievement, g[3].status) == (4.0, 0.0, "yellow")
    # 0 >= 4.17 - 25; KPI 2: value 0 % is the baseline: 0
    assert (g[2].value, g[2].achievement, g[2].status) == (0.0, 0.0, "yellow")
    assert (g[6].value, g[6].achievement, g[6].status) == (5.0, 0.0, "yellow")
    assert (g[1].value, g[1].achievement, g[1].status) == (4, 100.0, "green")


def test_a_window_without_discharges_has_no_achievement_and_no_status(road):
    g = goals_at(road, "2024-05")  # Jun 2023..May 2024: no UKP stay discharged
    for kpi in (2, 3, 4, 5):
        assert (g[kpi].value, g[kpi].achievement, g[kpi].status) == (None, None, None), kpi
        assert g[kpi].baseline is not None
    assert (g[1].value, g[1].achievement) == (0, 100.0)  # a count: 0 days meets <= 1000
    assert g[6].value == 0.0  # k2
    assert g[6].achievement == exactly(500.0)  # 100 * (5 - 0) / (5 - 4)


def test_before_the_start_nothing_is_expected(road):
    g = goals_at(road, "2023-12")  # the baseline month itself: value = baseline
    for kpi in g:
        assert g[kpi].expected == 0.0
        assert g[kpi].status == "green"  # achievement 0 or 100, both >= 0
    assert g[3].achievement == 0.0  # 100 * (4 - 4) / (4 - 2)


def test_goals_are_evaluated_for_every_stored_month(road):
    months = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 13)]
    for month in months + ["2025-01"]:
        assert len(goals_at(road, month)) == 6, month
    assert goals_at(road, "2025-02") == {}  # after the cut-off's month


def test_expected_achievement_is_full_from_the_24th_month(db):
    load(db, [stay("a", ready="2023-01-02 08:00", discharged="2023-01-06 10:00")])
    compute(db, at("2026-01-10"))
    assert goals_at(db, "2025-11", "2026-01-10")[1].expected == 100 * 23 / 24
    assert goals_at(db, "2025-12", "2026-01-10")[1].expected == 100.0  # n = 24
    assert goals_at(db, "2026-01", "2026-01-10")[1].expected == 100.0


def test_without_a_full_2023_there_is_no_baseline_and_no_achievement(db):
    shifted = [stay("first", admitted="2023-02-01 10:00"), *STAYS[1:]]  # data start Feb 2023
    load(db, shifted, short_stays=SHORT_STAYS)
    compute(db, at(CUTOFF))
    g = goals_at(db, "2024-12")
    for kpi in range(1, 7):
        assert (g[kpi].baseline, g[kpi].achievement, g[kpi].status) == (None, None, None), kpi
        assert g[kpi].value is not None  # the rolling value itself exists
        assert g[kpi].expected == 50.0
    assert g[3].target == 2  # an absolute target stays
    assert g[6].target is None  # a target relative to a missing baseline does not exist


def test_targets_per_municipality_months_to_full_and_yellow_band_are_configurable(db):
    load(db, [
        stay("m1", municipality="5031", ready="2023-01-10", discharged="2023-01-13"),  # 3 days
        stay("m2", municipality="5031", ready="2024-03-10", discharged="2024-03-12"),  # 2 days
    ])
    settings = GoalSettings(
        start=START, months_to_full=4, yellow_band=10.0,
        goals=(GoalSpec(3, "somatikk", "municipality", "5031", target=1.0),),
    )
    compute(db, at("2024-04-01"), settings)
    rows = goal_rows(db, at("2024-04-01"), date(2024, 3, 1))
    assert len(rows) == 1
    g = rows[0]
    assert (g.group_type, g.group_id, g.baseline, g.target, g.value) == (
        "municipality", "5031", 3.0, 1.0, 2.0)
    assert g.achievement == 50.0  # 100 * (3 - 2) / (3 - 1)
    assert g.expected == 75.0  # 100 * 3 / 4
    assert g.status == "red"  # 50 < 75 - 10 (with the default band of 25 it would be yellow)


def test_the_baseline_year_is_configurable(db):
    load(db, STAYS, short_stays=SHORT_STAYS)
    settings = GoalSettings(start=date(2025, 1, 1), baseline_year=2024,
                            goals=(GoalSpec(3, "somatikk", "community", "all", target=2),))
    compute(db, at(CUTOFF), settings)
    g = goals_at(db, "2025-01")[3]
    assert g.baseline == exactly(23 / 3)  # 2024: (3 + 0 + 20) / 3 stays
    assert g.expected == 100 / 24  # the first month of the configured start
    assert g.value == exactly(23 / 3)  # Feb 2024..Jan 2025: the same three stays
    assert g.achievement == 0.0  # still at the baseline
