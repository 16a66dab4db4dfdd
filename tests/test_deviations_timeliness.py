"""Time to acknowledge and to answer (flyt.deviations.timeliness), on DuckDB and
PostgreSQL. Every figure is worked out by hand from `seed` below, across Easter 2024
(Maundy Thursday 28.03, Good Friday 29.03, Easter Monday 01.04), Christmas (24.12 and
31.12 are working days, 25.12, 26.12 and 01.01 are not) and weekends."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from flyt.deviations import records, timeliness
from flyt.deviations.records import NewDeviation
from flyt.deviations.settings import DeviationSettings
from flyt.domain import clock

MADE = datetime(2025, 1, 15, 10, 0)
SECRET = "Tyttebærsyltetøy"  # in every summary: never in the report


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def __call__(self, moment: datetime) -> None:
        self.monkeypatch.setattr(clock, "now", lambda: moment)


def new(reporter: str, receiver: str, occurred: date, category: str, severity: str,
        subcategory: str | None = None) -> NewDeviation:
    return NewDeviation(reporter_org=reporter, receiver_orgs=[receiver], occurred_at=occurred,
                        category=category, severity=severity, level="pasient",
                        subcategory=subcategory, summary=f"{SECRET} i meldingen")


def step(db, at: Clock, item: records.Deviation, moment: datetime, to: str,
         organisation: str, **text: str) -> records.Deviation:
    at(moment)
    return records.transition(db, item.id, to, version=item.version,
                              organisation=organisation, user_id=None, **text)


def create(db, at: Clock, moment: datetime, item: NewDeviation) -> records.Deviation:
    at(moment)
    return records.create(db, item, user_id=None)


def seed(db, at: Clock) -> None:
    """Reported (= occurred) day, steps; working days to acknowledge; days to answer.

    A 5001->stolav utskrivning moderat   Wed 27.03.2024; mottatt Tue 02.04 (1, due 08.04),
      besvart 26.04 (30 days: on time), lukket 30.04
    B stolav->5001 meldinger ingen       Fri 22.03.2024; mottatt Tue 02.04 (4, due 03.04),
      besvart 20.05 (59 days)
    C 5031->stolav utskrivning betydelig Sat 06.04.2024; mottatt Mon 15.04 (6, due 12.04:
      late), besvart 07.05 (31 days: late), gjenapnet 05.01.2025 (after the year)
    D fastlege-5001->stolav legemidler moderat Mon 02.12.2024; mottatt only on 10.01.2025
      (26, due 09.12: late); no answer (due 01.01.2025)
    E 5001->fastlege-5001 meldinger mindre Mon 23.12.2024; mottatt Mon 30.12 (3, due
      02.01.2025)
    H 5001->stolav utskrivning moderat   Mon 04.03.2024; mottatt the same day (0); no
      answer (due 03.04.2024)
    F 5031->stolav meldinger             Mon 10.06.2024; avvist: not counted
    G 5001->stolav utskrivning ingen     imported as mottatt (reported 02.05.2024)
    """
    a = create(db, at, datetime(2024, 3, 27, 10), new("5001", "stolav", date(2024, 3, 27),
                                                      "utskrivning", "moderat_skade"))
    a = step(db, at, a, datetime(2024, 4, 2, 9), "mottatt", "stolav")
    a = step(db, at, a, datetime(2024, 4, 2, 9, 5), "under_behandling", "stolav")
    a = step(db, at, a, datetime(2024, 4, 26, 15), "besvart", "stolav", answer="Svar")
    step(db, at, a, datetime(2024, 4, 30, 12), "lukket", "5001")
    b = create(db, at, datetime(2024, 3, 22, 15), new("stolav", "5001", date(2024, 3, 22),
                                                      "meldinger", "ingen_skade"))
    b = step(db, at, b, datetime(2024, 4, 2, 8), "mottatt", "5001")
    b = step(db, at, b, datetime(2024, 4, 2, 8, 1), "under_behandling", "5001")
    step(db, at, b, datetime(2024, 5, 20, 8), "besvart", "5001", answer="Svar")
    c = create(db, at, datetime(2024, 4, 6, 11), new("5031", "stolav", date(2024, 4, 6),
                                                     "utskrivning", "betydelig_skade",
                                                     "epikrise"))
    c = step(db, at, c, datetime(2024, 4, 15, 9), "mottatt", "stolav")
    c = step(db, at, c, datetime(2024, 4, 15, 10), "under_behandling", "stolav")
    c = step(db, at, c, datetime(2024, 5, 7, 10), "besvart", "stolav", answer="Svar")
    step(db, at, c, datetime(2025, 1, 5, 10), "gjenapnet", "5031")
    d = create(db, at, datetime(2024, 12, 2, 8), new("fastlege-5001", "stolav",
                                                     date(2024, 12, 2), "legemidler",
                                                     "moderat_skade"))
    step(db, at, d, datetime(2025, 1, 10, 8), "mottatt", "stolav")
    e = create(db, at, datetime(2024, 12, 23, 9), new("5001", "fastlege-5001",
                                                      date(2024, 12, 23), "meldinger",
                                                      "mindre_skade"))
    step(db, at, e, datetime(2024, 12, 30, 9), "mottatt", "fastlege-5001")
    h = create(db, at, datetime(2024, 3, 4, 8), new("5001", "stolav", date(2024, 3, 4),
                                                    "utskrivning", "moderat_skade"))
    step(db, at, h, datetime(2024, 3, 4, 15), "mottatt", "stolav")
    f = create(db, at, datetime(2024, 6, 10, 8), new("5031", "stolav", date(2024, 6, 10),
                                                     "meldinger", "moderat_skade"))
    step(db, at, f, datetime(2024, 6, 11, 8), "avvist", "stolav", reason="Ikke vårt")
    at(datetime(2024, 6, 12, 8))  # the import's own moment
    records.create(db, new("5001", "stolav", date(2024, 5, 1), "utskrivning", "ingen_skade"),
                   user_id=None, source="eqs", source_id="17",
                   reported_at=datetime(2024, 5, 2, 9), status="mottatt")
    at(MADE)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def test_the_year_s_times_shares_and_open_items_are_the_hand_counted_ones(db, at):
    seed(db, at)
    found = timeliness.figures(db, 2024, made=MADE)
    assert found.end == datetime(2025, 1, 1)
    assert (found.counted, found.imported) == (6, 1)
    # Working days to acknowledge: H 0, A 1, E 3, B 4, C 6, D 26.
    assert found.acknowledged == 6
    assert found.acknowledge_median == pytest.approx(3.5)
    assert found.acknowledge_p90 == pytest.approx(16.0)  # 6 + 0.5 × (26 − 6)
    assert (found.acknowledge_on_time, found.acknowledge_known) == (4, 6)  # A B E H
    # Days to answer: A 30, C 31, B 59.
    assert found.answered == 3
    assert found.answer_median == pytest.approx(31.0)
    assert found.answer_p90 == pytest.approx(53.4)  # 31 + 0.8 × (59 − 31)
    # Moderat or worse: A on time; C late; D and H unanswered past their day.
    assert (found.answer_on_time, found.answer_known) == (1, 4)
    assert found.answer_share == pytest.approx(0.25)
    # At 01.01.2025 00:00: D meldt, E mottatt, G mottatt (imported), H mottatt; C was
    # besvart then (reopened later), A lukket, B besvart.
    assert found.open_at_end == 4
    # D's acknowledgement (due 09.12) is overdue; its answer is due 01.01 itself, so
    # not yet; H's answer (due 03.04) is.
    assert (found.overdue_acknowledge, found.overdue_answer, found.overdue) == (1, 1, 2)


def test_a_tertial_counts_its_own_deviations_and_judges_open_items_at_its_end(db, at):
    seed(db, at)
    found = timeliness.figures(db, 2024, 1, made=MADE)
    assert found.end == datetime(2024, 5, 1)
    assert (found.counted, found.imported) == (4, 0)  # H B A C; G occurred in May
    assert found.acknowledge_median == pytest.approx(2.5)  # 0 1 4 6
    assert found.acknowledge_p90 == pytest.approx(5.4)  # 4 + 0.7 × (6 − 4)
    assert (found.acknowledge_on_time, found.acknowledge_known) == (3, 4)
    assert (found.answer_on_time, found.answer_known) == (1, 3)  # A; C late, H none
    # At 01.05.2024: A lukket; B and C under_behandling, H mottatt.
    assert found.open_at_end == 3
    assert (found.overdue_acknowledge, found.overdue_answer, found.overdue) == (0, 1, 1)


def test_a_period_not_over_is_judged_at_the_moment_the_report_is_made(db, at):
    create(db, at, datetime(2024, 12, 2, 8), new("fastlege-5001", "stolav", date(2024, 12, 2),
                                                 "legemidler", "moderat_skade"))
    # On 10.12.2024 D (due 09.12, still meldt) is overdue already.
    made = datetime(2024, 12, 10, 10)
    found = timeliness.figures(db, 2024, 3, made=made)
    assert found.end == made
    assert (found.counted, found.open_at_end, found.overdue_acknowledge) == (1, 1, 1)
    assert (found.acknowledge_on_time, found.acknowledge_known) == (0, 1)
    assert found.acknowledge_share == 0


def test_a_deadline_still_running_is_in_neither_part_of_the_share(db, at):
    create(db, at, datetime(2024, 12, 2, 8), new("fastlege-5001", "stolav", date(2024, 12, 2),
                                                 "legemidler", "moderat_skade"))
    # Made on 09.12.2024, D's acknowledgement is due that very day: not known yet, and
    # not overdue.
    found = timeliness.figures(db, 2024, 3, made=datetime(2024, 12, 9, 10))
    assert (found.acknowledge_on_time, found.acknowledge_known) == (0, 0)
    assert found.acknowledge_share is None and found.acknowledge_median is None
    assert (found.open_at_end, found.overdue) == (1, 0)


def test_an_empty_period_has_no_medians_and_no_counts(db, at):
    seed(db, at)
    found = timeliness.figures(db, 2022, made=MADE)
    assert (found.counted, found.acknowledged, found.open_at_end) == (0, 0, 0)
    assert found.acknowledge_median is None and found.answer_share is None


def test_the_calendar_counts_working_days_across_easter_and_a_weekend():
    rows = timeliness.calendar_rows(date(2024, 3, 27), date(2024, 4, 8), DeviationSettings())
    worked = {day: running for day, running, _ in rows}
    wednesday = timeliness.day_number(date(2024, 3, 27))
    tuesday_after = timeliness.day_number(date(2024, 4, 2))
    assert worked[tuesday_after] - worked[wednesday] == 1
    due = {day: ack_due for day, _, ack_due in rows}
    assert due[wednesday] == timeliness.day_number(date(2024, 4, 8))
    saturday = timeliness.day_number(date(2024, 4, 6))
    assert due[saturday] == timeliness.day_number(date(2024, 4, 12))
