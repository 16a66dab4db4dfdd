"""What the schedule says is due: pure functions of the settings, the time and the send log.

Times are Oslo wall-clock (naive) unless a test is about instants. 2024-03-04 is a
Monday; summer time starts 2024-03-31 and ends 2024-10-27 (last Sundays).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

import pytest

from flyt.distribution.schedule import (
    Slot,
    due_sends,
    latest_slot,
    next_slot,
    next_wakeup,
    remaining_attempts,
    seconds_until,
)
from flyt.distribution.send_log import SendRecord
from flyt.distribution.settings import ScheduleSettings, load_distribution

DEFAULT = ScheduleSettings()
BOTH = ("monthly", "snapshot")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def sent(kind: str, period: str, attempt: int = 1) -> SendRecord:
    return SendRecord(kind, period, "sent", attempt, at("2024-01-01T00:00"))


def failed(kind: str, period: str, attempt: int) -> SendRecord:
    return SendRecord(kind, period, "failed", attempt, at("2024-01-01T00:00"), error="down")


def due(now: str, log: Sequence[SendRecord] = (), kinds: tuple[str, ...] = ("snapshot",),
        settings: ScheduleSettings = DEFAULT) -> list[tuple[str, str, int]]:
    return [(d.slot.kind, d.slot.period, d.attempts_made)
            for d in due_sends(settings, kinds, at(now), log)]


THURSDAY_BEFORE = sent("snapshot", "2024-02-29T07:00")


def test_the_snapshot_is_due_on_monday_at_seven():
    assert due("2024-03-04T07:00", [THURSDAY_BEFORE]) == [("snapshot", "2024-03-04T07:00", 0)]


def test_nothing_is_due_on_monday_before_seven_when_thursday_was_sent():
    assert due("2024-03-04T06:59", [THURSDAY_BEFORE]) == []


def test_nothing_is_due_on_tuesday_once_monday_was_sent():
    assert due("2024-03-05T07:00", [sent("snapshot", "2024-03-04T07:00")]) == []


def test_the_snapshot_is_due_again_on_thursday():
    assert due("2024-03-07T07:00", [sent("snapshot", "2024-03-04T07:00")]) == [
        ("snapshot", "2024-03-07T07:00", 0)]


def test_a_sent_snapshot_is_not_due_again_later_the_same_day():
    assert due("2024-03-07T23:59", [sent("snapshot", "2024-03-07T07:00")]) == []


def test_the_monthly_report_is_due_on_the_20th_for_the_month_before():
    log = [sent("monthly", "2024-02")]
    assert due("2024-04-20T08:00", log, kinds=("monthly",)) == [("monthly", "2024-03", 0)]
    assert due("2024-04-20T07:59", [sent("monthly", "2024-02")], kinds=("monthly",)) == []
    slot = latest_slot(DEFAULT, "monthly", at("2024-04-20T08:00"))
    assert (slot.at, slot.month) == (at("2024-04-20T08:00"), date(2024, 3, 1))


def test_the_january_report_covers_december_of_the_year_before():
    assert due("2025-01-20T08:00", kinds=("monthly",)) == [("monthly", "2024-12", 0)]


def test_a_sent_monthly_report_is_not_due_again_that_month():
    assert due("2024-04-29T12:00", [sent("monthly", "2024-03")], kinds=("monthly",)) == []


def test_a_snapshot_missed_while_the_machine_was_off_is_caught_up_once():
    # Off from Sunday to Wednesday noon: Monday's snapshot is sent then, with Monday's moment.
    assert due("2024-03-06T12:00", [THURSDAY_BEFORE]) == [("snapshot", "2024-03-04T07:00", 0)]
    assert due("2024-03-06T12:05", [THURSDAY_BEFORE, sent("snapshot", "2024-03-04T07:00")]) == []


def test_only_the_newest_missed_slot_is_caught_up():
    # Off for a fortnight: one snapshot (the latest), not four.
    assert due("2024-03-15T09:00", [THURSDAY_BEFORE]) == [("snapshot", "2024-03-14T07:00", 0)]


def test_a_monthly_report_missed_on_the_20th_is_caught_up_later_in_the_month():
    assert due("2024-04-23T09:00", [sent("monthly", "2024-02")], kinds=("monthly",)) == [
        ("monthly", "2024-03", 0)]


def test_failed_attempts_are_counted_and_the_slot_stays_due_until_they_are_used_up():
    period = "2024-03-04T07:00"
    assert due("2024-03-04T08:00", [failed("snapshot", period, 1)]) == [
        ("snapshot", period, 1)]
    used_up = [failed("snapshot", period, n) for n in (1, 2, 3, 4)]  # 1 + retries (3)
    assert due("2024-03-04T08:00", used_up) == []


def test_a_slot_has_the_first_attempt_and_the_retries_then_is_given_up():
    # One rule for the schedule, `flyt schedule run` and `flyt schedule show`.
    two_retries = ScheduleSettings(retries=2)
    assert [remaining_attempts(two_retries, failed) for failed in range(5)] == [3, 2, 1, 0, 0]
    assert remaining_attempts(ScheduleSettings(retries=0), 0) == 1


def test_a_failed_slot_that_was_given_up_does_not_block_the_next_one():
    used_up = [failed("snapshot", "2024-03-04T07:00", n) for n in (1, 2, 3, 4)]
    assert due("2024-03-07T07:00", used_up) == [("snapshot", "2024-03-07T07:00", 0)]


def test_both_kinds_can_be_due_at_once():
    # Thursday 2024-06-20 is a snapshot day and the monthly day.
    assert due("2024-06-20T08:00", kinds=BOTH) == [
        ("monthly", "2024-05", 0), ("snapshot", "2024-06-20T07:00", 0)]


def test_configured_days_and_times_are_used():
    settings = load_distribution({"schedule": {"snapshot_days": ["tue"],
                                               "snapshot_time": "12:30"}}).schedule
    assert settings.snapshot_time == time(12, 30)
    assert due("2024-03-05T12:29", settings=settings) == [
        ("snapshot", "2024-02-27T12:30", 0)]
    assert due("2024-03-05T12:30", settings=settings) == [
        ("snapshot", "2024-03-05T12:30", 0)]


def test_the_next_slots_follow_the_configuration():
    now = at("2024-03-04T07:00")  # Monday's slot itself: the next one is Thursday
    assert next_slot(DEFAULT, "snapshot", now) == Slot("snapshot", at("2024-03-07T07:00"))
    assert next_slot(DEFAULT, "monthly", now) == Slot("monthly", at("2024-03-20T08:00"))
    assert next_slot(DEFAULT, "monthly", at("2024-03-20T08:00")).at == at("2024-04-20T08:00")


# --- summer time -------------------------------------------------------------------------


def test_monday_after_the_spring_change_is_due_at_seven_summer_time():
    # 07:00 CEST is 05:00 UTC; an hour earlier in UTC than on the Thursday before.
    log = [sent("snapshot", "2024-03-28T07:00")]
    assert due_sends(DEFAULT, ["snapshot"], datetime(2024, 4, 1, 4, 59, tzinfo=UTC), log) == []
    (found,) = due_sends(DEFAULT, ["snapshot"], datetime(2024, 4, 1, 5, 0, tzinfo=UTC), log)
    assert found.slot.period == "2024-04-01T07:00"
    assert latest_slot(DEFAULT, "snapshot", at("2024-03-28T07:00")).instant == datetime(
        2024, 3, 28, 6, 0, tzinfo=UTC)


def test_the_wait_over_the_spring_change_is_an_hour_shorter():
    saturday = at("2024-03-30T07:00")
    assert next_wakeup(DEFAULT, ["snapshot"], saturday) == datetime(2024, 4, 1, 5, 0, tzinfo=UTC)
    assert seconds_until(at("2024-04-01T07:00"), saturday) == (48 - 1) * 3600


def test_the_wait_over_the_autumn_change_is_an_hour_longer():
    saturday = at("2024-10-26T07:00")
    assert next_wakeup(DEFAULT, ["snapshot"], saturday) == datetime(2024, 10, 28, 6, 0,
                                                                    tzinfo=UTC)
    assert seconds_until(at("2024-10-28T07:00"), saturday) == (48 + 1) * 3600


def test_monday_after_the_autumn_change_is_due_at_seven_winter_time():
    log = [sent("snapshot", "2024-10-24T07:00")]
    assert due_sends(DEFAULT, ["snapshot"], datetime(2024, 10, 28, 5, 59, tzinfo=UTC), log) == []
    assert len(due_sends(DEFAULT, ["snapshot"], datetime(2024, 10, 28, 6, 0, tzinfo=UTC),
                         log)) == 1


@pytest.fixture
def sunday_night() -> ScheduleSettings:
    """A snapshot in the hour that summer time skips (spring) and repeats (autumn)."""
    return load_distribution({"schedule": {"snapshot_days": ["sun"],
                                           "snapshot_time": "02:30"}}).schedule


def test_a_slot_in_the_skipped_spring_hour_is_sent_once_an_hour_later(sunday_night):
    log = [sent("snapshot", "2024-03-24T02:30")]
    # 03:29 CEST = 01:29 UTC: not yet; 03:30 CEST = 01:30 UTC: due.
    assert due_sends(sunday_night, ["snapshot"], datetime(2024, 3, 31, 1, 29, tzinfo=UTC),
                     log) == []
    (found,) = due_sends(sunday_night, ["snapshot"], datetime(2024, 3, 31, 1, 30, tzinfo=UTC),
                         log)
    assert found.slot.period == "2024-03-31T02:30"


def test_a_slot_in_the_repeated_autumn_hour_is_sent_once(sunday_night):
    first = datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # 02:30 CEST, the first 02:30
    second = datetime(2024, 10, 27, 1, 30, tzinfo=UTC)  # 02:30 CET, the repeat
    log = [sent("snapshot", "2024-10-20T02:30")]
    (found,) = due_sends(sunday_night, ["snapshot"], first, log)
    assert found.slot.period == "2024-10-27T02:30"
    assert due_sends(sunday_night, ["snapshot"], second,
                     [*log, sent("snapshot", "2024-10-27T02:30")]) == []
