"""The deviations' daily run in the schedule loop: at ``[deviations.reminders] time``
(Oslo), once a day, catching up after a late start; and its configuration checked."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from flyt.deviations import records
from flyt.deviations.reminder_settings import load_reminder_settings
from flyt.deviations.reminders import DailyRun
from flyt.distribution.settings import ConfigError
from flyt.domain import clock
from tests.support.mail import smtp_server
from tests.test_deviations_remind import answered


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_the_daily_run_is_due_at_seven_oslo_time_once_a_day():
    daily = DailyRun(time(7, 0))
    # 9 April 2024 is summer time: 07:00 in Oslo is 05:00 UTC.
    assert not daily.due(utc(2024, 4, 9, 4, 59))
    assert daily.seconds_to_next(utc(2024, 4, 9, 4, 0)) == 3600.0
    assert daily.due(utc(2024, 4, 9, 5, 0))
    daily.done_on = datetime(2024, 4, 9).date()
    assert not daily.due(utc(2024, 4, 9, 9, 0))
    # From 08:00 Oslo to 07:00 the next day: 23 hours.
    assert daily.seconds_to_next(utc(2024, 4, 9, 6, 0)) == 23 * 3600.0
    assert daily.due(utc(2024, 4, 10, 5, 0))


def test_a_late_start_catches_up_the_days_run(db, monkeypatch, tmp_path: Path):
    at_moment = {"now": datetime(2024, 3, 1, 10, 0)}
    monkeypatch.setattr(clock, "now", lambda: at_moment["now"])

    def at(moment: datetime) -> None:
        at_moment["now"] = moment

    made = answered(db, at, datetime(2024, 3, 1, 10, 0))
    at(datetime(2024, 3, 15, 9, 30))
    lines: list[str] = []
    with smtp_server() as (_, port):
        config = tmp_path / "flyt.toml"
        config.write_text(f'[mail]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
                          'sender = "flyt@example.no"\n', encoding="utf-8")
        monkeypatch.setenv("FLYT_CONFIG", str(config))
        daily = DailyRun(time(7, 0))
        # 15 March is winter time: 09:30 in Oslo is 08:30 UTC, after the 07:00 run time.
        daily.run_if_due(db, utc(2024, 3, 15, 8, 30), lines.append)
        daily.run_if_due(db, utc(2024, 3, 15, 8, 40), lines.append)
    assert lines == [f"deviations: {made} lukket automatisk."]
    assert records.get(db, made).status == "lukket"


def test_the_run_time_and_language_come_from_the_configuration():
    chosen = load_reminder_settings({"deviations": {
        "reminders": {"time": "06:30", "lang": "en"},
        "contacts": {"stolav": ["avvik@stolav.no"]}}})
    assert (chosen.run_time, chosen.lang) == (time(6, 30), "en")
    assert chosen.contacts == {"stolav": ("avvik@stolav.no",)}
    assert load_reminder_settings({}).run_time == time(7, 0)


@pytest.mark.parametrize(("section", "message"), [
    ({"reminders": {"time": "7"}},
     "[deviations.reminders] time: '7' is not a time of day (write HH:MM, e.g. 07:00)"),
    ({"reminders": {"lang": "de"}}, "[deviations.reminders] lang: 'de' is not one of nb, en"),
    ({"reminders": {"when": "07:00"}},
     "[deviations.reminders] when: unknown setting (known: time, lang)"),
    ({"contacts": {"oslo": ["a@b.no"]}}, "[deviations.contacts] oslo: unknown organisation "
     "(use an org_id of organisations.csv, e.g. stolav or 5001)"),
    ({"contacts": {"stolav": "avvik@stolav.no"}}, "[deviations.contacts] stolav must be a "
     "list of addresses, e.g. [\"avvik@stolav.no\"]"),
])
def test_a_bad_reminder_setting_is_one_clear_sentence(section, message):
    with pytest.raises(ConfigError) as refused:
        load_reminder_settings({"deviations": section})
    assert str(refused.value) == message


def test_the_schedule_loop_runs_the_deviations_daily_run(db, db_url, monkeypatch,
                                                          tmp_path: Path):
    from flyt.config import load_settings
    from flyt.distribution.running import run_schedule
    from flyt.distribution.settings import load_distribution
    from tests.support.mail import tiny_report

    at_moment = {"now": datetime(2024, 3, 1, 10, 0)}
    monkeypatch.setattr(clock, "now", lambda: at_moment["now"])
    made = answered(db, lambda m: at_moment.update(now=m), datetime(2024, 3, 1, 10, 0))
    at_moment["now"] = datetime(2024, 3, 15, 7, 5)
    monkeypatch.setattr("flyt.reports.render_for_mail",
                        lambda db, settings, kind, **_: tiny_report(kind))
    stop = threading.Event()
    said: list[str] = []

    def echo(line: str) -> None:
        said.append(line)
        if line.startswith("deviations:"):
            stop.set()

    with smtp_server() as (_, port):
        config = tmp_path / "flyt.toml"
        config.write_text(f'[mail]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
                          'sender = "flyt@example.no"\n[distribution]\n'
                          'snapshot = ["koordinator@stolav.no"]\n', encoding="utf-8")
        monkeypatch.setenv("FLYT_CONFIG", str(config))
        # Friday 15 March 2024 07:05 in Oslo (winter time: 06:05 UTC).
        loop = threading.Thread(target=run_schedule, args=(
            db, load_settings(db_url), load_distribution(), stop),
            kwargs={"clock": lambda: utc(2024, 3, 15, 6, 5), "echo": echo,
                    "warn": said.append, "max_sleep": 0.1})
        loop.start()
        loop.join(20)
        stop.set()  # the loop must have ended by itself; if not, end it for the assertions
        loop.join(20)
    assert f"deviations: {made} lukket automatisk." in said
    assert records.get(db, made).status == "lukket"


def test_a_site_that_only_reminds_of_deviations_may_run_the_schedule(monkeypatch,
                                                                      tmp_path: Path):
    """No report recipients, but addresses for the deviations: the loop has work (the
    daily run). With neither, it refuses to start with one sentence naming both."""
    from flyt.distribution.running import check_schedulable
    from flyt.distribution.settings import ConfigError, load_distribution

    config = tmp_path / "flyt.toml"
    mail = '[mail]\nhost = "127.0.0.1"\nport = 2525\nsender = "flyt@example.no"\n'
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    config.write_text(mail + '[deviations.contacts]\n"5001" = ["avvik@trondheim.kommune.no"]\n',
                      encoding="utf-8")
    assert check_schedulable(load_distribution()) == ()
    config.write_text(mail, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"no recipients under \[distribution\] and no "
                                          r"addresses under \[deviations.contacts\]"):
        check_schedulable(load_distribution())
