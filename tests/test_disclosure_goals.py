"""Goals in the shared edition (issue 10 §2): achievement and status are linear in the
12-month value and the baseline, so they go where those are hidden; the exact edition
keeps them."""

from __future__ import annotations

from datetime import date, datetime

from flyt.config import GoalSettings, GoalSpec, Settings
from flyt.reports.data import gather
from tests.support.records import load, stay

TYDAL = GoalSpec(1, "somatikk", "municipality", "5033", target=5)
TRONDHEIM = GoalSpec(1, "somatikk", "municipality", "5001", target=50)


def stays(municipality: str, n: int, year: int) -> list:
    return [stay(f"{municipality}-{year}-{i}", None, municipality,
                 ready=f"{year}-{i % 12 + 1:02d}-03", discharged=f"{year}-{i % 12 + 1:02d}-05")
            for i in range(n)]


def test_a_goal_on_a_small_municipality_shows_no_achievement_in_the_shared_edition(db):
    # Tydal: 2 UKP stays in 2023 and 3 in 2024 (12-month figures about 2 and 3 people);
    # Selbu, in its region, 20 a year (hidden with it); Trondheim 24 a year.
    load(db, stays("5033", 2, 2023) + stays("5033", 3, 2024) + stays("5001", 24, 2023)
         + stays("5001", 24, 2024) + stays("5032", 20, 2023) + stays("5032", 20, 2024))
    settings = Settings(goals=GoalSettings(goals=(TYDAL, TRONDHEIM)))
    month, cutoff = date(2024, 12, 1), datetime(2025, 1, 10)

    shared = {g.group_id: g for g in gather(db, settings, month, cutoff).goals}
    exact = {g.group_id: g for g in gather(db, settings, month, cutoff, exact=True).goals}

    assert exact["5033"].value == 6.0 and exact["5033"].achievement is not None  # 3 x 2 days
    assert shared["5033"].hidden and (shared["5033"].value, shared["5033"].baseline,
                                      shared["5033"].achievement, shared["5033"].status) == (
        None, None, None, None)
    assert not shared["5001"].hidden and shared["5001"] == exact["5001"]
