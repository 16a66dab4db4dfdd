"""The escalation levels at the 08:00 census and one e-mail when a level rises
(flyt.capacity.escalation_alert; docs/capacity.md, "At every snapshot and the e-mail"),
through a real SMTP server, on DuckDB and PostgreSQL.

The store: tests/test_capacity_commands.py's seed (100 days from 01.01.2024: two UKP
patients from Trondheim at every 08:00, one a week from Melhus, Øya helsehus 10 of 20
after-care beds) and Malvik's short-term beds, counted at 07:30 on the day of each run:
10 of 20 (50 %) is level 1, 19 of 20 (95 %) level 2, 23 of 20 (115 %) level 4 — for Malvik
and for the community, whose only short-term unit Malvik's is."""

from __future__ import annotations

from datetime import UTC, datetime, time
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from flyt.capacity.escalation_alert import AlertResult, DailyAlert, alert, snapshot_moment
from flyt.capacity.escalation_settings import (
    DEFAULTS,
    AlertSettings,
    load_alert_settings,
    load_escalation_settings,
)
from flyt.cli.main import cli
from flyt.distribution.settings import ConfigError, DistributionSettings, MailSettings
from flyt.store import schema
from flyt.store.db import Database
from tests.conftest import count
from tests.support.mail import free_port, smtp_server
from tests.test_capacity_commands import seed
from tests.test_capacity_escalation import short_term

RECIPIENTS = ("beredskap@stolav.no", "koordinator@malvik.kommune.no")


def mail_to(port: int) -> DistributionSettings:
    return DistributionSettings(mail=MailSettings(
        host="127.0.0.1", port=port, starttls=False, sender="flyt@example.no", timeout=5))


def run(db: Database, day: int, port: int, *, malvik: tuple[int, int] | None = None,
        recipients: tuple[str, ...] = RECIPIENTS, dry_run: bool = False,
        lang: str = "nb") -> AlertResult:
    """The run at 08:00 on `day` April 2024, Malvik counted (occupied, available) at 07:30
    before it when given."""
    if malvik is not None:
        short_term(db, *malvik, datetime(2024, 4, day, 7, 30))
    return alert(db, datetime(2024, 4, day, 8, 0), dry_run=dry_run, dist=mail_to(port),
                 settings=AlertSettings(recipients, lang=lang), thresholds=DEFAULTS)


def plain(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n").replace("\xa0", " ")


def notices(db: Database) -> dict[str, tuple[int, datetime, bool]]:
    """group_id → (level, at, mailed)."""
    n = schema.escalation_notices
    with db.engine.connect() as conn:
        return {r.group_id: (r.level, r.at, r.notified_at is not None)
                for r in conn.execute(sa.select(n))}


def sends(db: Database) -> list[tuple[str, str, str]]:
    s = schema.report_sends
    with db.engine.connect() as conn:
        return [(r.kind, r.period, r.status)
                for r in conn.execute(sa.select(s).order_by(s.c.id))]


@pytest.fixture
def seeded(db: Database) -> Database:
    seed(db)
    return db


def test_the_first_run_stores_the_levels_and_records_them_without_a_mail(seeded):
    with smtp_server() as (inbox, port):
        first = run(seeded, 5, port, malvik=(23, 20))  # already critical: not mailed
    assert inbox.envelopes == []
    assert first.lines == ["Beredskapsnivå 05.04.2024 08:00: 4 grupper beregnet og lagret.",
                           "4 grupper sett for første gang: nivået er notert uten e-post."]
    at = datetime(2024, 4, 5, 8, 0)
    assert notices(seeded) == {"all": (4, at, False), "5001": (1, at, False),
                               "5028": (1, at, False), "5031": (4, at, False)}
    assert count(seeded, "escalation_levels") == 4
    assert sends(seeded) == []


def test_a_rise_is_one_mail_listing_every_group_that_rose(seeded):
    with smtp_server() as (inbox, port):
        run(seeded, 5, port, malvik=(10, 20))
        rose = run(seeded, 6, port, malvik=(23, 20))
        assert len(inbox.envelopes) == 1
        same = run(seeded, 7, port)  # the count of the 6th still holds: 4 again
        (message,) = inbox.messages()
        envelope = inbox.envelopes[0]
    assert rose.lines == [
        "Beredskapsnivå 06.04.2024 08:00: 4 grupper beregnet og lagret.",
        "Steget: Helsefellesskapet: 1 normal → 4 kritisk.",
        "Steget: 5031 Malvik: 1 normal → 4 kritisk.",
        "Sendt: én e-post om økningene til 2 mottakere."]
    assert rose.sent and [r.group.group_id for r in rose.rises] == ["all", "5031"]
    assert same.lines == ["Beredskapsnivå 07.04.2024 08:00: 4 grupper beregnet og lagret."]
    assert not same.sent and same.rises == []
    assert envelope.rcpt_tos == list(RECIPIENTS)
    assert message["From"] == "flyt@example.no"
    assert message["Subject"] == "Beredskapsnivået har steget per 06.04.2024 (høyeste: 4 kritisk)"
    assert plain(message) == (
        "Beredskapsnivået har steget ved tellingen 06.04.2024 08:00 for disse gruppene (fra "
        "nivået det sist ble varslet om):\n\n"
        "Helsefellesskapet: 1 normal → 4 kritisk\n"
        "  – Belegg korttid: 115,0 % (terskel 110,0 %, nivå 4)\n\n"
        "5031 Malvik: 1 normal → 4 kritisk\n"
        "  – Belegg korttid: 115,0 % (terskel 110,0 %, nivå 4)\n\n"
        "Alle gruppene og indikatorene: flyt escalation. Denne e-posten er sendt automatisk "
        "av Flyt, én gang per økning i nivå.\n")
    mailed = datetime(2024, 4, 6, 8, 0)
    kept = notices(seeded)
    assert kept["5031"] == (4, mailed, True) and kept["all"] == (4, mailed, True)
    assert kept["5001"] == (1, datetime(2024, 4, 5, 8, 0), False)  # unchanged
    assert sends(seeded) == [("escalation-notice", "2024-04-06T08:00", "sent")]


def test_a_fall_is_recorded_without_a_mail_and_the_next_rise_mails_again(seeded):
    with smtp_server() as (inbox, port):
        run(seeded, 5, port, malvik=(10, 20))
        run(seeded, 6, port, malvik=(23, 20))  # 1 -> 4: mailed
        fell = run(seeded, 7, port, malvik=(10, 20))  # 4 -> 1: noted
        assert len(inbox.envelopes) == 1
        again = run(seeded, 8, port, malvik=(19, 20))  # 1 -> 2: mailed again
        messages = inbox.messages()
    assert fell.lines[1:] == [
        "Sunket: Helsefellesskapet: 4 kritisk → 1 normal (notert uten e-post).",
        "Sunket: 5031 Malvik: 4 kritisk → 1 normal (notert uten e-post)."]
    assert len(messages) == 2
    assert messages[1]["Subject"] == ("Beredskapsnivået har steget per 08.04.2024 (høyeste: "
                                      "2 moderat press)")
    body = plain(messages[1])
    assert "5031 Malvik: 1 normal → 2 moderat press\n" in body
    assert "  – Belegg korttid: 95,0 % (terskel 90,0 %, nivå 2)" in body
    assert again.sent and notices(seeded)["5031"] == (2, datetime(2024, 4, 8, 8, 0), True)


def test_a_rise_from_a_level_above_normal_names_the_old_level(seeded):
    with smtp_server() as (inbox, port):
        run(seeded, 5, port, malvik=(19, 20))  # first seen at 2: noted
        run(seeded, 6, port, malvik=(21, 20))  # 105 %: 3
        (message,) = inbox.messages()
    assert "5031 Malvik: 2 moderat press → 3 høyt press" in plain(message)
    assert "105,0 % (terskel 100,0 %, nivå 3)" in plain(message)


def test_a_mail_server_down_is_logged_nothing_kept_and_the_next_run_mails(seeded):
    with smtp_server() as (_, port):
        run(seeded, 5, port, malvik=(10, 20))
    down = run(seeded, 6, free_port(), malvik=(23, 20))  # nothing listens there
    assert down.failures == 1 and not down.sent
    assert down.lines[-1].startswith("Kunne ikke sende e-posten om økningene (forsøk 1): "
                                     "cannot send through the SMTP server")
    assert notices(seeded)["5031"] == (1, datetime(2024, 4, 5, 8, 0), False)
    assert sends(seeded) == [("escalation-notice", "2024-04-06T08:00", "failed")]
    assert count(seeded, "escalation_levels") == 8  # the levels are kept all the same
    with smtp_server() as (inbox, port):
        retried = run(seeded, 7, port)
        (message,) = inbox.messages()
    assert retried.sent
    assert "5031 Malvik: 1 normal → 4 kritisk" in plain(message)
    assert sends(seeded)[1:] == [("escalation-notice", "2024-04-07T08:00", "sent")]
    assert notices(seeded)["5031"] == (4, datetime(2024, 4, 7, 8, 0), True)


def test_without_recipients_the_rises_are_listed_and_mailed_once_configured(seeded):
    with smtp_server() as (inbox, port):
        run(seeded, 5, port, malvik=(10, 20), recipients=())
        first = run(seeded, 6, port, malvik=(23, 20), recipients=())
        second = run(seeded, 7, port, recipients=())
        assert inbox.envelopes == []
        assert notices(seeded)["5031"][0] == 1
        configured = run(seeded, 8, port)
        assert len(inbox.envelopes) == 1
    line = "Ingen mottakere under [escalation.mail] recipients: ikke sendt."
    assert first.lines[-1] == line and second.lines[-1] == line
    assert "Steget: 5031 Malvik: 1 normal → 4 kritisk." in second.lines
    assert configured.sent
    assert count(seeded, "escalation_levels") == 16  # stored every day regardless


def test_a_dry_run_stores_sends_and_keeps_nothing(seeded):
    with smtp_server() as (inbox, port):
        first = run(seeded, 5, port, malvik=(10, 20), dry_run=True)
        assert count(seeded, "escalation_notices") == 0
        assert count(seeded, "escalation_levels") == 0
        run(seeded, 5, port)
        would = run(seeded, 6, port, malvik=(23, 20), dry_run=True)
        assert inbox.envelopes == []
        assert notices(seeded)["5031"] == (1, datetime(2024, 4, 5, 8, 0), False)
        assert count(seeded, "escalation_levels") == 4 and sends(seeded) == []
        real = run(seeded, 6, port)  # the dry run kept nothing back
        assert len(inbox.envelopes) == 1
    assert first.lines == [
        "Beredskapsnivå 05.04.2024 08:00: 4 grupper beregnet (ikke lagret: prøvekjøring).",
        "4 grupper sett for første gang: nivået ville blitt notert uten e-post."]
    assert would.lines[-1] == "Ville sendt én e-post om økningene til 2 mottakere."
    assert real.sent


def test_the_mail_in_english(seeded):
    with smtp_server() as (inbox, port):
        run(seeded, 5, port, malvik=(10, 20), lang="en")
        rose = run(seeded, 6, port, malvik=(21, 20), lang="en")
        (message,) = inbox.messages()
    assert rose.lines[1] == "Rose: The community: 1 normal → 3 high pressure."
    assert message["Subject"] == "Escalation level risen as of 2024-04-06 (highest: 3 high " \
                                 "pressure)"
    body = plain(message)
    assert "5031 Malvik: 1 normal → 3 high pressure" in body
    assert "  – Short-term occupancy: 105.0% (threshold 100.0%, level 3)" in body


def test_no_group_with_data_is_said_and_nothing_is_done(db):
    with smtp_server() as (inbox, port):
        result = run(db, 5, port)
    assert result.lines == ["Ingen gruppe har data til et beredskapsnivå på dette tidspunktet "
                            "(verken UKP-historikk på minst 56 dager eller sengetellinger)."]
    assert inbox.envelopes == [] and count(db, "escalation_notices") == 0


def test_the_snapshot_moment_is_the_latest_0800():
    assert snapshot_moment(datetime(2024, 4, 9, 8, 15)) == datetime(2024, 4, 9, 8, 0)
    assert snapshot_moment(datetime(2024, 4, 9, 8, 0)) == datetime(2024, 4, 9, 8, 0)
    assert snapshot_moment(datetime(2024, 4, 9, 7, 59)) == datetime(2024, 4, 8, 8, 0)
    assert snapshot_moment(datetime(2024, 1, 1, 0, 0)) == datetime(2023, 12, 31, 8, 0)


# --- the command and the daily run ------------------------------------------------------


def configure(tmp_path: Path, port: int, monkeypatch: pytest.MonkeyPatch,
              escalation: str = 'recipients = ["beredskap@stolav.no"]\n') -> None:
    """A configuration file with the test's mail server and [escalation.mail]."""
    config = tmp_path / "flyt.toml"
    config.write_text(
        f'[mail]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        f'sender = "flyt@example.no"\n\n[escalation.mail]\n{escalation}', encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))


def test_the_command_notifies_from_the_configuration(seeded, db_url, tmp_path: Path,
                                                     monkeypatch):
    runner = CliRunner()
    with smtp_server() as (inbox, port):
        configure(tmp_path, port, monkeypatch)
        short_term(seeded, 10, 20, datetime(2024, 4, 5, 7, 30))
        first = runner.invoke(cli, ["escalation", "notify", "--at", "2024-04-05T08:00",
                                    "--db", db_url])
        short_term(seeded, 23, 20, datetime(2024, 4, 6, 7, 30))
        dry = runner.invoke(cli, ["escalation", "notify", "--at", "2024-04-06T08:00",
                                  "--dry-run", "--db", db_url])
        assert inbox.envelopes == []
        sent = runner.invoke(cli, ["escalation", "notify", "--at", "2024-04-06T08:00",
                                   "--db", db_url])
        assert len(inbox.envelopes) == 1
        # The levels' own form is unchanged beside the subcommand.
        table = runner.invoke(cli, ["escalation", "--at", "2024-04-06T08:00", "--format",
                                    "json", "--no-store", "--db", db_url])
    assert first.exit_code == 0, first.output
    assert "4 grupper sett for første gang" in first.output
    assert dry.exit_code == 0 and dry.output.endswith(
        "Ville sendt én e-post om økningene til 1 mottakere.\n")
    assert sent.exit_code == 0, sent.output
    assert sent.output.endswith("Sendt: én e-post om økningene til 1 mottakere.\n")
    assert table.exit_code == 0 and '"group_id": "5031"' in table.stdout


def test_the_command_fails_with_one_line_when_the_mail_fails(seeded, db_url, tmp_path: Path,
                                                             monkeypatch):
    configure(tmp_path, free_port(), monkeypatch)
    runner = CliRunner()
    short_term(seeded, 10, 20, datetime(2024, 4, 5, 7, 30))
    runner.invoke(cli, ["escalation", "notify", "--at", "2024-04-05T08:00", "--db", db_url])
    short_term(seeded, 23, 20, datetime(2024, 4, 6, 7, 30))
    down = runner.invoke(cli, ["escalation", "notify", "--at", "2024-04-06T08:00",
                               "--db", db_url])
    assert down.exit_code == 1
    assert "Kunne ikke sende e-posten om økningene (forsøk 1)" in down.output
    assert "Traceback" not in down.output
    configure(tmp_path, 2525, monkeypatch, 'recipients = "beredskap@stolav.no"\n')
    bad = runner.invoke(cli, ["escalation", "notify", "--db", db_url])
    assert bad.exit_code == 1
    assert "[escalation.mail] recipients must be a list" in bad.output


def test_the_daily_run_computes_at_0815_once_a_day(seeded, tmp_path: Path, monkeypatch):
    with smtp_server() as (inbox, port):
        configure(tmp_path, port, monkeypatch)
        short_term(seeded, 10, 20, datetime(2024, 4, 8, 7, 30))
        alert(seeded, datetime(2024, 4, 8, 8, 0))  # the levels noted the day before
        short_term(seeded, 23, 20, datetime(2024, 4, 9, 7, 30))
        daily = DailyAlert(load_alert_settings().run_time)
        lines: list[str] = []
        # 9 April 2024 is summer time: 08:15 in Oslo is 06:15 UTC.
        daily.run_if_due(seeded, datetime(2024, 4, 9, 6, 14, tzinfo=UTC), lines.append)
        assert lines == []
        daily.run_if_due(seeded, datetime(2024, 4, 9, 6, 15, tzinfo=UTC), lines.append)
        daily.run_if_due(seeded, datetime(2024, 4, 9, 9, 0, tzinfo=UTC), lines.append)
        assert len(inbox.envelopes) == 1
    assert lines == [
        "escalation: Beredskapsnivå 09.04.2024 08:00: 4 grupper beregnet og lagret.",
        "escalation: Steget: Helsefellesskapet: 1 normal → 4 kritisk.",
        "escalation: Steget: 5031 Malvik: 1 normal → 4 kritisk.",
        "escalation: Sendt: én e-post om økningene til 1 mottakere."]


def test_the_schedule_loop_runs_the_escalation_daily_run(seeded, db_url, tmp_path: Path,
                                                         monkeypatch):
    import threading

    from flyt.config import load_settings
    from flyt.distribution.running import run_schedule
    from flyt.distribution.settings import load_distribution

    short_term(seeded, 23, 20, datetime(2024, 4, 9, 7, 30))
    stop = threading.Event()
    said: list[str] = []

    def echo(line: str) -> None:
        said.append(line)
        if line.startswith("escalation: ") and "grupper" in line:
            stop.set()

    with smtp_server() as (_, port):
        # Only escalation recipients: enough for the loop to start.
        configure(tmp_path, port, monkeypatch)
        loop = threading.Thread(target=run_schedule, args=(
            seeded, load_settings(db_url), load_distribution(), stop),
            kwargs={"clock": lambda: datetime(2024, 4, 9, 6, 20, tzinfo=UTC), "echo": echo,
                    "warn": said.append, "max_sleep": 0.1})
        loop.start()
        loop.join(60)
        stop.set()
        loop.join(20)
    assert "escalation: Beredskapsnivå 09.04.2024 08:00: 4 grupper beregnet og lagret." in said
    assert count(seeded, "escalation_levels") == 4


# --- the configuration ------------------------------------------------------------------


def test_the_mail_settings_defaults_and_values():
    assert load_alert_settings({}) == AlertSettings((), time(8, 15), "nb")
    chosen = load_alert_settings({"escalation": {"ukp_ratio": [1.2, 1.4, 1.6], "mail": {
        "recipients": ["a@stolav.no", "b@malvik.kommune.no", "a@stolav.no"],
        "time": "09:30", "lang": "en"}}})
    assert chosen == AlertSettings(("a@stolav.no", "b@malvik.kommune.no"), time(9, 30), "en")
    # The thresholds' own check leaves the sub-table to this one.
    assert load_escalation_settings({"escalation": {"mail": {}}}) == DEFAULTS
    with pytest.raises(ConfigError, match=r"^\[escalation\] in the configuration file must"):
        load_alert_settings({"escalation": 3})


@pytest.mark.parametrize(("mail", "message"), [
    ("beredskap@stolav.no", "[escalation.mail] must be a table"),
    ({"recipients": "a@stolav.no"}, "[escalation.mail] recipients must be a list of at most "
                                    "100 addresses"),
    ({"recipients": [f"a{i}@stolav.no" for i in range(101)]},
     "[escalation.mail] recipients must be a list of at most 100"),
    ({"recipients": ["ikke en adresse"]},
     "[escalation.mail] recipients: 'ikke en adresse' is not an e-mail address"),
    ({"time": "8:15"}, "[escalation.mail] time: '8:15' is not a time of day (write HH:MM"),
    ({"time": "25:00"}, "[escalation.mail] time: '25:00' is not a time of day"),
    ({"lang": "de"}, "[escalation.mail] lang: 'de' is not one of nb, en"),
    ({"to": ["a@stolav.no"]},
     "[escalation.mail] to: unknown setting (known: recipients, time, lang)"),
])
def test_a_bad_mail_setting_is_refused_naming_the_key(mail, message):
    with pytest.raises(ConfigError) as refused:
        load_alert_settings({"escalation": {"mail": mail}})
    assert str(refused.value).startswith(message)


def test_a_site_that_only_mails_escalation_levels_may_run_the_schedule(monkeypatch,
                                                                       tmp_path: Path):
    from flyt.distribution.running import check_schedulable
    from flyt.distribution.settings import load_distribution

    config = tmp_path / "flyt.toml"
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    mail = '[mail]\nhost = "127.0.0.1"\nport = 2525\nsender = "flyt@example.no"\n'
    config.write_text(mail + '[escalation.mail]\nrecipients = ["b@stolav.no"]\n',
                      encoding="utf-8")
    assert check_schedulable(load_distribution()) == ()
    config.write_text(mail + '[escalation.mail]\nrecipients = []\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"nor \[escalation.mail\] recipients"):
        check_schedulable(load_distribution())
    # A bad threshold is refused when the loop starts, not at 08:15.
    config.write_text(mail + '[escalation]\nukp_ratio = [1.5, 1.3, 1.1]\n'
                      '[escalation.mail]\nrecipients = ["b@stolav.no"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"ukp_ratio must rise"):
        check_schedulable(load_distribution())
