"""The owner of an action-plan activity that turns yellow or red is told by e-mail, once
per change (flyt.plan.notify), through a real SMTP server, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.distribution.settings import ConfigError, DistributionSettings, MailSettings
from flyt.domain import clock
from flyt.plan import storage
from flyt.plan.notify import DailyNotify, NotifyResult, notify
from flyt.plan.notify_settings import NotifySettings, load_notify_settings
from flyt.plan.settings import PlanSettings, load_plan_settings
from flyt.store.db import Database
from tests.conftest import count
from tests.support.mail import free_port, smtp_server

OWNER = ("kompetansegruppen@stolav.no",)
END = date(2026, 3, 31)  # T1.1's end in these tests
# The contacts name the owner in another case: found with case and spaces ignored.
CONTACTS = {"kompetansegruppen ": OWNER}


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 4, 1, 7, 0))


def plan_with_a_deadline(db: Database) -> None:
    """T1.1 (of T1 «Utarbeide overordnet plan for kapasitet») ends 31.03.2026, owned by
    the competence group; everything else as the default plan (no dates: never late)."""
    plan = storage.read_plan(db)
    version = next(a.version for a in plan.measures[0].activities if a.id == "T1.1")
    storage.update_item(db, "T1.1", version, "test", end=END,
                        responsible="Kompetansegruppen")


def version_of(db: Database, item_id: str) -> int:
    plan = storage.read_plan(db)
    return next(x.version for m in plan.measures for x in (m, *m.activities) if x.id == item_id)


def mail_to(port: int) -> DistributionSettings:
    return DistributionSettings(mail=MailSettings(
        host="127.0.0.1", port=port, starttls=False, sender="flyt@example.no", timeout=5))


def run(db: Database, day: date, port: int, *, contacts: dict | None = None,
        dry_run: bool = False, lang: str = "nb",
        base_url: str | None = "https://flyt.example.no") -> NotifyResult:
    chosen = CONTACTS if contacts is None else contacts
    return notify(db, day, dry_run=dry_run, dist=mail_to(port), plan_settings=PlanSettings(),
                  settings=NotifySettings(contacts=chosen, lang=lang, base_url=base_url))


def plain(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def test_the_first_run_notes_every_status_and_mails_nothing(db):
    plan_with_a_deadline(db)
    # Already yellow on the first run (the day after its end): noted, not mailed — the
    # group set the plan up knowing what was late then.
    with smtp_server() as (inbox, port):
        first = run(db, date(2026, 4, 1), port)
    assert inbox.envelopes == []
    activities = sum(len(m.activities) for m in storage.read_plan(db).measures)
    assert first.lines == [f"{activities} aktiviteter sett for første gang: statusen er "
                           "notert uten e-post."]
    assert count(db, "plan_notices") == activities


def test_turning_yellow_mails_the_owner_once_and_red_once_more(db):
    plan_with_a_deadline(db)
    with smtp_server() as (inbox, port):
        run(db, date(2026, 3, 31), port)  # the day of the end: green, first seen
        yellow = run(db, date(2026, 4, 1), port)  # the day after: yellow
        assert len(inbox.envelopes) == 1
        again = run(db, date(2026, 4, 2), port)  # still yellow: nothing
        thirty = run(db, date(2026, 4, 30), port)  # 30 days after: still yellow
        assert len(inbox.envelopes) == 1
        red = run(db, date(2026, 5, 1), port)  # 31 days after: red
        (first, second) = inbox.messages()
    assert (yellow.sent, again.sent, thirty.sent, red.sent) == (1, 0, 0, 1)
    assert again.lines == [] and thirty.lines == []
    assert yellow.lines == ["Sendt: T1.1 «Kjente sesongvariasjoner: påske, jul, sommer – "
                            "planmessig møter» er gul, til Kompetansegruppen (1 mottakere)."]
    assert first["To"] == "kompetansegruppen@stolav.no"
    assert first["From"] == "flyt@example.no"
    assert first["Subject"] == ("Tiltaksplanen: «Kjente sesongvariasjoner: påske, jul, "
                                "sommer – planmessig møter» er gul")
    body = plain(first)
    assert ("Aktiviteten «Kjente sesongvariasjoner: påske, jul, sommer – planmessig møter» i "
            "tiltaket «Utarbeide overordnet plan for kapasitet» er gul per 01.04.2026 (var "
            "grønn).") in body
    assert "Sluttdato: 31.03.2026" in body
    assert "Hvorfor: ikke utført 1 dager etter sluttdatoen 31.03.2026." in body
    assert "Åpne aktiviteten: https://flyt.example.no/tiltaksplan/T1.1" in body
    assert second["Subject"].endswith("er rød")
    assert "er rød per 01.05.2026 (var gul)" in plain(second)
    assert "ikke utført 31 dager etter sluttdatoen" in plain(second)


def test_red_then_green_then_red_again_is_mailed_again(db):
    plan_with_a_deadline(db)
    with smtp_server() as (inbox, port):
        run(db, date(2026, 3, 1), port)
        run(db, date(2026, 5, 1), port)  # green -> red: one mail
        storage.update_item(db, "T1.1", version_of(db, "T1.1"), "test", done=True)
        back = run(db, date(2026, 5, 2), port)  # done: green, noted without a mail
        storage.update_item(db, "T1.1", version_of(db, "T1.1"), "test", done=False)
        again = run(db, date(2026, 5, 3), port)  # red again: mailed again
        subjects = [m["Subject"] for m in inbox.messages()]
    assert back.sent == 0 and back.lines == []
    assert again.sent == 1
    assert [s.rsplit(" ", 1)[1] for s in subjects] == ["rød", "rød"]


def test_a_better_status_is_noted_without_a_mail(db):
    plan_with_a_deadline(db)
    with smtp_server() as (inbox, port):
        run(db, date(2026, 3, 1), port)
        run(db, date(2026, 5, 1), port)  # red
        # Set yellow by hand and the end moved on: red -> yellow is no warning.
        storage.update_item(db, "T1.1", version_of(db, "T1.1"), "test", status="yellow",
                            end=date(2026, 6, 30))
        better = run(db, date(2026, 5, 2), port)
        assert len(inbox.envelopes) == 1
        # Yellow -> red again (set by hand, not late): mailed, saying why.
        storage.update_item(db, "T1.1", version_of(db, "T1.1"), "test", status="red")
        worse = run(db, date(2026, 5, 3), port)
        last = inbox.messages()[-1]
    assert (better.sent, worse.sent) == (0, 1)
    assert "Hvorfor: statusen er satt slik i planen." in plain(last)


def test_an_owner_without_an_address_is_listed_each_run_and_mailed_once_configured(db):
    plan_with_a_deadline(db)
    with smtp_server() as (inbox, port):
        run(db, date(2026, 3, 1), port, contacts={})
        first = run(db, date(2026, 4, 1), port, contacts={})
        second = run(db, date(2026, 4, 2), port, contacts={})
        assert inbox.envelopes == []
        configured = run(db, date(2026, 4, 3), port)
        assert len(inbox.envelopes) == 1
    line = ("Ingen adresse for ansvarlig «Kompetansegruppen» under [plan.contacts]: T1.1 "
            "«Kjente sesongvariasjoner: påske, jul, sommer – planmessig møter» er gul, ikke "
            "sendt.")
    assert first.lines == [line] and second.lines == [line]
    assert first.missing == ["T1.1"]
    assert configured.sent == 1


def test_an_activity_without_an_owner_falls_back_to_its_measures(db):
    plan_with_a_deadline(db)
    storage.update_item(db, "T1.1", version_of(db, "T1.1"), "test", responsible="")
    with smtp_server() as (inbox, port):
        run(db, date(2026, 3, 1), port)
        result = run(db, date(2026, 4, 1), port,
                     contacts={"Eirik/Runar utarbeider utkast": ("eirik@stolav.no",)})
        (message,) = inbox.messages()
    assert result.sent == 1
    assert message["To"] == "eirik@stolav.no"
    assert "Ansvarlig: Eirik/Runar utarbeider utkast" in plain(message)


def test_a_dry_run_sends_nothing_and_keeps_nothing(db):
    plan_with_a_deadline(db)
    with smtp_server() as (inbox, port):
        first = run(db, date(2026, 3, 1), port, dry_run=True)
        assert count(db, "plan_notices") == 0
        run(db, date(2026, 3, 1), port)
        notices = count(db, "plan_notices")
        would = run(db, date(2026, 4, 1), port, dry_run=True)
        assert inbox.envelopes == []
        assert count(db, "plan_notices") == notices
        assert count(db, "report_sends") == 0
        real = run(db, date(2026, 4, 1), port)  # the dry run kept nothing back
    assert first.lines[0].endswith("statusen ville blitt notert uten e-post.")
    assert would.lines == ["Ville sendt: T1.1 «Kjente sesongvariasjoner: påske, jul, sommer "
                           "– planmessig møter» er gul, til Kompetansegruppen (1 mottakere)."]
    assert real.sent == 1


def test_a_mail_server_down_is_logged_and_tried_again_at_the_next_run(db):
    plan_with_a_deadline(db)
    with smtp_server() as (_, port):
        run(db, date(2026, 3, 1), port)
    down = run(db, date(2026, 4, 1), free_port())  # nothing listens there
    assert (down.sent, down.failures) == (0, 1)
    assert down.lines[0].startswith("Kunne ikke sende om T1.1 «Kjente sesongvariasjoner")
    assert "(forsøk 1): cannot send through the SMTP server" in down.lines[0]
    with smtp_server() as (inbox, port):
        retried = run(db, date(2026, 4, 2), port)
        assert len(inbox.envelopes) == 1
    assert retried.sent == 1
    assert count(db, "report_sends") == 2  # the failed try and the sent one


def test_english_mails_and_no_link_without_a_base_url(db):
    plan_with_a_deadline(db)
    with smtp_server() as (inbox, port):
        run(db, date(2026, 3, 1), port)
        run(db, date(2026, 4, 2), port, lang="en", base_url=None)
        (message,) = inbox.messages()
    assert message["Subject"] == ("Action plan: 'Kjente sesongvariasjoner: påske, jul, sommer "
                                  "– planmessig møter' is yellow")
    body = plain(message)
    assert "Why: not done 2 days after its end date 2026-03-31." in body
    assert "tiltaksplan/" not in body


def configure(tmp_path: Path, port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A configuration file with the test's mail server and the owner's address."""
    config = tmp_path / "flyt.toml"
    config.write_text(
        f'[mail]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        'sender = "flyt@example.no"\n\n[plan.contacts]\n'
        '"Kompetansegruppen" = ["kompetansegruppen@stolav.no"]\n', encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))


def test_the_command_notifies_from_the_configuration(db, db_url, tmp_path: Path, monkeypatch):
    plan_with_a_deadline(db)
    with smtp_server() as (inbox, port):
        configure(tmp_path, port, monkeypatch)
        runner = CliRunner()
        first = runner.invoke(cli, ["plan", "notify", "--at", "2026-03-01", "--db", db_url])
        dry = runner.invoke(cli, ["plan", "notify", "--at", "01.04.2026", "--dry-run",
                                  "--db", db_url])
        assert inbox.envelopes == []
        sent = runner.invoke(cli, ["plan", "notify", "--at", "2026-04-01", "--db", db_url])
        nothing = runner.invoke(cli, ["plan", "notify", "--at", "2026-04-02", "--db", db_url])
        assert len(inbox.envelopes) == 1
    assert first.exit_code == 0, first.output
    assert "sett for første gang" in first.output
    assert dry.output.startswith("Ville sendt: T1.1")
    assert sent.exit_code == 0 and sent.output.startswith("Sendt: T1.1")
    assert nothing.output == "Ingen aktivitet har endret status.\n"


def test_the_daily_run_notifies_once_a_day_after_its_time(db, tmp_path: Path, monkeypatch):
    plan_with_a_deadline(db)
    with smtp_server() as (inbox, port):
        configure(tmp_path, port, monkeypatch)
        notify(db, date(2026, 3, 1))  # the statuses noted before
        daily = DailyNotify(time(7, 0))
        lines: list[str] = []
        # 1 April 2026 is summer time: 07:00 in Oslo is 05:00 UTC.
        daily.run_if_due(db, datetime(2026, 4, 1, 4, 59, tzinfo=UTC), lines.append)
        assert lines == []
        daily.run_if_due(db, datetime(2026, 4, 1, 5, 0, tzinfo=UTC), lines.append)
        daily.run_if_due(db, datetime(2026, 4, 1, 9, 0, tzinfo=UTC), lines.append)
        assert len(inbox.envelopes) == 1
    assert lines == ["plan: Sendt: T1.1 «Kjente sesongvariasjoner: påske, jul, sommer – "
                     "planmessig møter» er gul, til Kompetansegruppen (1 mottakere)."]


# --- the configuration -------------------------------------------------------------


def test_contacts_match_exactly_first_then_without_case_and_outer_spaces():
    chosen = load_notify_settings({"plan": {
        "contacts": {"Kompetansegruppen": ["a@stolav.no"], "KOMPETANSEGRUPPEN": ["b@stolav.no"],
                     "Trondheim kommune": ["c@trondheim.kommune.no", "d@trondheim.kommune.no"]},
        "notify": {"time": "06:30", "lang": "en", "base_url": "https://flyt.example.no/"}}})
    assert chosen.addresses("KOMPETANSEGRUPPEN") == ("b@stolav.no",)
    assert chosen.addresses("Kompetansegruppen") == ("a@stolav.no",)
    assert chosen.addresses("  trondheim   KOMMUNE ") == ("c@trondheim.kommune.no",
                                                         "d@trondheim.kommune.no")
    assert chosen.addresses("Malvik kommune") == ()
    assert chosen.addresses("") == ()
    assert (chosen.run_time, chosen.lang, chosen.base_url) == (
        time(6, 30), "en", "https://flyt.example.no")
    assert load_notify_settings({}) == NotifySettings()
    # The [plan] section's own check leaves the sub-tables to this one.
    assert load_plan_settings({"plan": {"contacts": {}, "notify": {}}}).red_after_days == 30


@pytest.mark.parametrize(("plan", "message"), [
    ({"contacts": {"KG": "a@stolav.no"}},
     '[plan.contacts] KG must be a list of addresses, e.g. ["a@stolav.no"]'),
    ({"contacts": {"KG": ["ikke en adresse"]}},
     "[plan.contacts] KG: 'ikke en adresse' is not an e-mail address"),
    ({"notify": {"time": "7"}},
     "[plan.notify] time: '7' is not a time of day (write HH:MM, e.g. 07:00)"),
    ({"notify": {"lang": "de"}}, "[plan.notify] lang: 'de' is not one of nb, en"),
    ({"notify": {"when": "07:00"}},
     "[plan.notify] when: unknown setting (known: time, lang, base_url)"),
    ({"notify": {"base_url": "javascript:alert(1)"}},
     "[plan.notify] base_url: 'javascript:alert(1)' is not the address of the site"),
    ({"notify": {"base_url": "https://flyt.example.no/?x=1"}},
     "[plan.notify] base_url: 'https://flyt.example.no/?x=1' is not the address"),
])
def test_a_bad_configuration_is_refused_naming_the_key(plan, message):
    with pytest.raises(ConfigError) as refused:
        load_notify_settings({"plan": plan})
    assert str(refused.value).startswith(message)


def test_a_site_that_only_mails_plan_owners_may_run_the_schedule(monkeypatch, tmp_path: Path):
    from flyt.distribution.running import check_schedulable
    from flyt.distribution.settings import load_distribution

    config = tmp_path / "flyt.toml"
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    mail = '[mail]\nhost = "127.0.0.1"\nport = 2525\nsender = "flyt@example.no"\n'
    config.write_text(mail + '[plan.contacts]\n"Kompetansegruppen" = ["kg@stolav.no"]\n',
                      encoding="utf-8")
    assert check_schedulable(load_distribution()) == ()
    config.write_text(mail, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"or \[plan.contacts\]"):
        check_schedulable(load_distribution())
    # A bad [plan.contacts] is refused when the loop starts, not at 07:00.
    config.write_text(mail + '[distribution]\nsnapshot = ["k@stolav.no"]\n'
                      '[plan.contacts]\n"KG" = "kg@stolav.no"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[plan.contacts\] KG must be a list"):
        check_schedulable(load_distribution())
