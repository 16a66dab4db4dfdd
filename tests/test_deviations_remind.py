"""The deviations' deadlines kept, on DuckDB and PostgreSQL, through a real SMTP server:
the automatic close, overdue reminders (once each), the daily digest per organisation,
and what happens without an address or without a mail server."""

from __future__ import annotations

from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.deviations import records, reminders
from flyt.deviations.records import NewDeviation
from flyt.deviations.reminder_settings import ReminderSettings
from flyt.deviations.reminders import remind
from flyt.distribution.settings import DistributionSettings, MailSettings
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database
from tests.support.mail import free_port, smtp_server

STOLAV = ("avvik@stolav.no", "kvalitet@stolav.no")
TRONDHEIM = ("avvik@trondheim.kommune.no",)
PATIENT_REF = "pas-2024-117"
DESCRIPTION = "Hemmelig beskrivelse som aldri skal i e-post"


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch):
    """Set the one clock: at(datetime) makes it that moment from then on."""
    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
    return set_to


def report(db: Database, at, when: datetime, reporter: str, receiver: str, severity: str,
           summary: str) -> str:
    at(when)
    return records.create(db, NewDeviation(
        reporter_org=reporter, receiver_orgs=[receiver], occurred_at=when.date(),
        category="utskrivning", severity=severity, level="pasient", summary=summary,
        patient_ref=PATIENT_REF, description=DESCRIPTION), user_id=3).id


def step(db: Database, at, deviation_id: str, to: str, when: datetime, org: str,
         **extra: str) -> None:
    at(when)
    current = records.get(db, deviation_id)
    records.transition(db, deviation_id, to, version=current.version, organisation=org,
                       user_id=4, **extra)


def answered(db: Database, at, when: datetime) -> str:
    """5001 reports to stolav, which acknowledges, handles and answers at `when`."""
    made = report(db, at, datetime(2024, 2, 20, 9, 0), "5001", "stolav", "moderat_skade",
                  "Utskrevet uten legemiddelliste")
    step(db, at, made, "mottatt", datetime(2024, 2, 21, 9, 0), "stolav")
    step(db, at, made, "under_behandling", datetime(2024, 2, 22, 9, 0), "stolav")
    step(db, at, made, "besvart", when, "stolav", answer="Rutinen er endret.")
    return made


def mail_to(port: int) -> DistributionSettings:
    return DistributionSettings(mail=MailSettings(
        host="127.0.0.1", port=port, starttls=False, sender="flyt@example.no", timeout=5))


def run(db: Database, when: datetime, port: int, contacts: dict | None = None,
        lang: str = "nb", dry_run: bool = False) -> reminders.RunResult:
    chosen = {"stolav": STOLAV, "5001": TRONDHEIM} if contacts is None else contacts
    return remind(db, when, dry_run=dry_run, dist=mail_to(port),
                  reminder_settings=ReminderSettings(contacts=chosen, lang=lang))


def plain(message: EmailMessage) -> str:
    """The plain-text body, with the wire's CRLF line ends as newlines."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def by_subject(inbox, start: str) -> list[EmailMessage]:
    return [m for m in inbox.messages() if str(m["Subject"]).startswith(start)]


# --- the automatic close --------------------------------------------------------


def test_an_answered_deviation_closes_on_its_day_and_not_the_day_before(db, at):
    # Answered Friday 1 March 2024; 14 days later is Friday 15 March.
    made = answered(db, at, datetime(2024, 3, 1, 10, 0))
    at(datetime(2024, 3, 14, 7, 0))
    with smtp_server() as (_, port):
        before = run(db, datetime(2024, 3, 14, 7, 0), port)
        assert before.closed == []
        assert records.get(db, made).status == "besvart"
        at(datetime(2024, 3, 15, 7, 0))
        on_the_day = run(db, datetime(2024, 3, 15, 7, 0), port)
        again = run(db, datetime(2024, 3, 15, 7, 5), port)
    assert on_the_day.closed == [made]
    assert f"{made} lukket automatisk." in on_the_day.lines
    closed = records.get(db, made)
    assert (closed.status, closed.version) == ("lukket", 5)
    assert closed.closed_at == datetime(2024, 3, 15, 7, 0)
    last = closed.history[-1]
    assert (last.organisation, last.user_id, last.from_status) == (None, None, "besvart")
    assert last.comment == ("Lukket automatisk: besvart 01.03.2024, ingen reaksjon fra "
                            "melder på 14 dager.")
    assert again.closed == []


def test_a_deviation_changed_meanwhile_is_skipped_not_fatal(db, at, monkeypatch):
    made = answered(db, at, datetime(2024, 3, 1, 10, 0))
    real_fetch = reminders._fetch

    def fetch_then_reopen(db_, where):
        found = real_fetch(db_, where)
        if any(c.id == made and c.status == "besvart" for c in found):
            step(db, at, made, "gjenapnet", datetime(2024, 3, 15, 6, 59), "5001")
        return found

    monkeypatch.setattr(reminders, "_fetch", fetch_then_reopen)
    at(datetime(2024, 3, 15, 7, 0))
    with smtp_server() as (_, port):
        result = run(db, datetime(2024, 3, 15, 7, 0), port)
    assert result.closed == []
    assert any(line.startswith(f"{made}: ") for line in result.lines)
    assert records.get(db, made).status == "gjenapnet"


# --- reminders ------------------------------------------------------------------


def test_an_acknowledgement_reminder_comes_after_five_working_days_across_easter(db, at):
    # Reported Wednesday 27 March 2024. Maundy Thursday, Good Friday, the weekend and
    # Easter Monday are not working days: the 5th is Monday 8 April, overdue on the 9th.
    made = report(db, at, datetime(2024, 3, 27, 10, 0), "5001", "stolav", "mindre_skade",
                  "Manglende epikrise")
    with smtp_server() as (inbox, port):
        at(datetime(2024, 4, 8, 7, 0))
        run(db, datetime(2024, 4, 8, 7, 0), port)
        assert by_subject(inbox, "Påminnelse") == []
        at(datetime(2024, 4, 9, 7, 0))
        run(db, datetime(2024, 4, 9, 7, 0), port)
        (reminder,) = by_subject(inbox, "Påminnelse")
    assert reminder["Subject"] == f"Påminnelse: avvik {made} er ikke bekreftet mottatt"
    assert reminder["To"] == ", ".join(STOLAV)
    assert reminder["From"] == "flyt@example.no"
    body = plain(reminder)
    assert (f"Avvik {made} «Manglende epikrise» ble meldt 27.03.2024. Fristen for å "
            "bekrefte mottak var 08.04.2024. Status: meldt.") in body


def test_a_reminder_is_sent_once_and_a_second_run_sends_nothing(db, at):
    report(db, at, datetime(2024, 3, 27, 10, 0), "5001", "stolav", "mindre_skade",
           "Manglende epikrise")
    with smtp_server() as (inbox, port):
        at(datetime(2024, 4, 9, 7, 0))
        run(db, datetime(2024, 4, 9, 7, 0), port)
        first = len(inbox.envelopes)
        second = run(db, datetime(2024, 4, 9, 12, 0), port)
        assert len(inbox.envelopes) == first
        at(datetime(2024, 4, 10, 7, 0))
        run(db, datetime(2024, 4, 10, 7, 0), port)  # a new day: a digest, no reminder
        assert len(by_subject(inbox, "Påminnelse")) == 1
    # One reminder and the two organisations' digests on the 9th.
    assert first == 3
    assert second.lines == []


# --- the digest -----------------------------------------------------------------


def seed_digest(db: Database, at) -> dict[str, str]:
    ids = {
        # ack due Monday 8 April (Easter): overdue on the 9th
        "a": report(db, at, datetime(2024, 3, 27, 10, 0), "5001", "stolav", "mindre_skade",
                    "Manglende epikrise"),
        # ack due Thursday 11 April: within 2 working days of the 9th
        "c": report(db, at, datetime(2024, 4, 4, 10, 0), "5001", "stolav", "ingen_skade",
                    "Sen PLO-melding"),
        # ack due Monday 15 April: beyond the horizon, not listed
        "b": report(db, at, datetime(2024, 4, 8, 9, 0), "stolav", "5001", "ingen_skade",
                    "Feil adresse"),
        # moderat_skade, acknowledged: the answer was due 7 April (8 March + 30 days)
        "d": report(db, at, datetime(2024, 3, 8, 9, 0), "stolav", "5001", "moderat_skade",
                    "Uavklart legemiddelansvar"),
    }
    step(db, at, ids["d"], "mottatt", datetime(2024, 3, 11, 9, 0), "5001")
    at(datetime(2024, 4, 9, 7, 0))
    return ids


def test_the_digest_lists_each_organisations_deadlines_to_its_addresses(db, at):
    ids = seed_digest(db, at)
    with smtp_server() as (inbox, port):
        run(db, datetime(2024, 4, 9, 7, 0), port)
        digests = {m["To"]: m for m in by_subject(inbox, "Avvik med frist")}
        envelopes = {tuple(e.rcpt_tos) for e in inbox.envelopes}
    assert set(digests) == {", ".join(STOLAV), ", ".join(TRONDHEIM)}
    assert STOLAV in envelopes and TRONDHEIM in envelopes
    stolav = digests[", ".join(STOLAV)]
    assert stolav["Subject"] == "Avvik med frist 09.04.2024: 3"
    assert plain(stolav) == (
        "Åpne avvik per 09.04.2024 som har passert fristen eller har frist innen 2 "
        "arbeidsdager:\n\n"
        "Mottatt av dere:\n"
        f"- {ids['a']} «Manglende epikrise» – meldt, frist 08.04.2024 (passert)\n"
        f"- {ids['c']} «Sen PLO-melding» – meldt, frist 11.04.2024\n\n"
        "Meldt av dere:\n"
        f"- {ids['d']} «Uavklart legemiddelansvar» – mottatt, frist 07.04.2024 (passert)\n\n"
        "Denne e-posten er sendt automatisk av Flyt. Åpne avviket i Flyt for å behandle "
        "det.\n")
    trondheim = plain(digests[", ".join(TRONDHEIM)])
    assert trondheim.index(ids["d"]) < trondheim.index("Meldt av dere:")
    assert trondheim.index("Meldt av dere:") < trondheim.index(ids["a"])
    assert ids["b"] not in trondheim


def test_the_digest_is_in_english_when_configured(db, at):
    ids = seed_digest(db, at)
    with smtp_server() as (inbox, port):
        run(db, datetime(2024, 4, 9, 7, 0), port, lang="en")
        (digest,) = [m for m in by_subject(inbox, "Deviations with a deadline")
                     if m["To"] == ", ".join(TRONDHEIM)]
    body = plain(digest)
    assert f'- {ids["d"]} "Uavklart legemiddelansvar" – acknowledged, due 2024-04-07 ' \
           "(overdue)" in body


def test_no_mail_holds_a_patient_ref_a_description_or_the_reporting_person(db, at):
    seed_digest(db, at)
    with smtp_server() as (inbox, port):
        run(db, datetime(2024, 4, 9, 7, 0), port)
        sent = [m.as_string() for m in inbox.messages()]
    assert len(sent) == 4  # reminders for a and d, two digests
    for text in sent:
        assert PATIENT_REF not in text
        assert DESCRIPTION not in text


def test_an_organisation_without_an_address_is_reported_not_fatal(db, at):
    ids = seed_digest(db, at)
    with smtp_server() as (inbox, port):
        result = run(db, datetime(2024, 4, 9, 7, 0), port, contacts={"stolav": STOLAV})
        recipients = [tuple(e.rcpt_tos) for e in inbox.envelopes]
    assert recipients == [STOLAV, STOLAV]  # the reminder of a, stolav's digest
    assert result.failures == 0
    assert ("Ingen adresse for organisasjon 5001 under [deviations.contacts]: "
            f"{ids['d']} answer ikke sendt til den.") in result.lines
    assert ("Ingen adresse for organisasjon 5001 under [deviations.contacts]: "
            "2024-04-09 5001 ikke sendt til den.") in result.lines


def test_a_mail_server_down_does_not_stop_the_close_and_the_reminder_waits(db, at):
    made = answered(db, at, datetime(2024, 3, 1, 10, 0))
    late = report(db, at, datetime(2024, 3, 6, 10, 0), "5001", "stolav", "mindre_skade",
                  "Manglende epikrise")  # acknowledgement due 13 March
    at(datetime(2024, 3, 15, 7, 0))
    down = run(db, datetime(2024, 3, 15, 7, 0), free_port())
    assert down.closed == [made]
    assert records.get(db, made).status == "lukket"
    assert down.failures == 3  # the reminder, and the digests of receiver and reporter
    with db.engine.connect() as conn:
        s = schema.report_sends.c
        logged = conn.execute(sa.select(s.kind, s.period, s.status).order_by(s.id)).all()
    assert [tuple(r) for r in logged] == [
        ("deviation-reminder", f"{late} acknowledge", "failed"),
        ("deviation-digest", "2024-03-15 5001", "failed"),
        ("deviation-digest", "2024-03-15 stolav", "failed")]
    with smtp_server() as (inbox, port):
        run(db, datetime(2024, 3, 15, 8, 0), port)
        assert len(by_subject(inbox, "Påminnelse")) == 1


def test_a_dry_run_changes_and_sends_nothing(db, at):
    made = answered(db, at, datetime(2024, 3, 1, 10, 0))
    report(db, at, datetime(2024, 3, 6, 10, 0), "5001", "stolav", "mindre_skade",
           "Manglende epikrise")
    at(datetime(2024, 3, 15, 7, 0))
    with smtp_server() as (inbox, port):
        result = run(db, datetime(2024, 3, 15, 7, 0), port, dry_run=True)
        assert inbox.envelopes == []
    assert result.closed == [made]
    assert f"{made} ville blitt lukket automatisk." in result.lines
    assert records.get(db, made).status == "besvart"
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count())
                            .select_from(schema.report_sends)).scalar_one() == 0


# --- the command ----------------------------------------------------------------


def test_the_command_closes_reminds_and_prints_what_it_did(db, db_url, at, tmp_path: Path,
                                                           monkeypatch):
    made = answered(db, at, datetime(2024, 3, 1, 10, 0))
    late = report(db, at, datetime(2024, 3, 6, 10, 0), "5001", "stolav", "mindre_skade",
                  "Manglende epikrise")
    at(datetime(2024, 3, 15, 7, 0))
    with smtp_server() as (inbox, port):
        config = tmp_path / "flyt.toml"
        config.write_text(f"""
[mail]
host = "127.0.0.1"
port = {port}
starttls = false
sender = "flyt@example.no"

[deviations.contacts]
stolav = ["avvik@stolav.no"]
""", encoding="utf-8")
        monkeypatch.setenv("FLYT_CONFIG", str(config))
        result = CliRunner().invoke(cli, ["deviations", "remind", "--at", "2024-03-15",
                                          "--db", db_url])
        assert len(inbox.envelopes) == 2
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{made} lukket automatisk.",
        f"Sendt avvikspåminnelse {late} acknowledge til 1 mottakere.",
        "Ingen adresse for organisasjon 5001 under [deviations.contacts]: 2024-03-15 5001 "
        "ikke sendt til den.",
        "Sendt avvikssammendrag 2024-03-15 stolav til 1 mottakere."]


def test_the_command_says_when_nothing_was_due(db_url, at):
    at(datetime(2024, 3, 15, 7, 0))
    result = CliRunner().invoke(cli, ["deviations", "remind", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert result.output == "Ingenting å lukke eller minne om.\n"


def test_a_bad_contact_address_is_one_clear_line(db_url, tmp_path: Path, monkeypatch):
    config = tmp_path / "flyt.toml"
    config.write_text('[deviations.contacts]\nstolav = ["ikke en adresse"]\n',
                      encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    result = CliRunner().invoke(cli, ["deviations", "remind", "--db", db_url])
    assert result.exit_code == 1
    assert "[deviations.contacts] stolav: 'ikke en adresse' is not an e-mail address" \
        in result.output
    assert "Traceback" not in result.output


def test_a_reminder_to_two_organisations_hides_each_ones_addresses_from_the_other(db, at):
    at(datetime(2024, 3, 27, 10, 0))
    made = records.create(db, NewDeviation(
        reporter_org="5031", receiver_orgs=["stolav", "5001"], occurred_at=date(2024, 3, 27),
        category="utskrivning", severity="mindre_skade", level="pasient",
        summary="Manglende epikrise"), user_id=3).id
    with smtp_server() as (inbox, port):
        at(datetime(2024, 4, 9, 7, 0))
        run(db, datetime(2024, 4, 9, 7, 0), port)
        (reminder,) = by_subject(inbox, "Påminnelse")
        # The digests go to one organisation each; the reminder is the one to three.
        (envelope,) = [e for e in inbox.envelopes if len(e.rcpt_tos) == 3]
    # Every address got it (the envelope), none of them is written in the mail itself.
    assert sorted(envelope.rcpt_tos) == sorted((*STOLAV, *TRONDHEIM))
    assert made in reminder["Subject"] and reminder["To"] is None
    assert reminder["Bcc"] is None
    assert not any(address in envelope.content.decode() for address in (*STOLAV, *TRONDHEIM))
