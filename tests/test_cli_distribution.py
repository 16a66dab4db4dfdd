"""``flyt send`` and ``flyt schedule`` on both engines, through an SMTP server on loopback."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from flyt import reports
from flyt.cli.main import cli
from flyt.distribution.send_log import history
from flyt.domain.months import add_months
from flyt.store.db import Database
from tests.support.mail import (
    PASSWORD,
    USER,
    free_port,
    pdf_attachment,
    self_signed_certificate,
    smtp_server,
    tiny_pdf,
    tiny_report,
)

MONTHLY = ["leder@malvik.kommune.no", "raadgiver@melhus.kommune.no"]
SNAPSHOT = ["koordinator@stolav.no"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, port: int, mail: str = "",
              extra: str = "", monthly: list[str] = MONTHLY) -> None:
    config = tmp_path / "flyt.toml"
    config.write_text(f"""
[mail]
host = "127.0.0.1"
port = {port}
starttls = false
sender = "flyt@stolav.no"
timeout = 5
{mail}

[distribution]
monthly = {monthly!r}
snapshot = {SNAPSHOT!r}

[schedule]
retries = 2
retry_wait_seconds = 0
{extra}
""".replace("'", '"'), encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """The renderer replaced by a fixed report; each call's arguments."""
    calls: list[dict] = []

    def build(db, settings, kind, *, month=None, at=None, lang="nb"):
        calls.append({"kind": kind, "month": month, "at": at, "lang": lang})
        return tiny_report(kind, title=f"UKP {kind} {month or at}")

    monkeypatch.setattr(reports, "render_for_mail", build)
    return calls


def logged(db_url: str) -> list[tuple[str, str, str, int]]:
    db = Database.open(db_url)
    try:
        return [(r.kind, r.period, r.status, r.attempt) for r in reversed(history(db))]
    finally:
        db.close()


# --- flyt send ---------------------------------------------------------------------------


def test_send_monthly_mails_the_report_for_the_given_month(tmp_path, monkeypatch, db_url, built):
    with smtp_server() as (inbox, port):
        configure(tmp_path, monkeypatch, port)
        code, out = run("send", "monthly", "--month", "2024-03", "--db", db_url)
    assert code == 0, out
    assert out.strip() == "Sendt: månedsrapport 2024-03, mottakere: 2 (forsøk 1)."
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == MONTHLY
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "UKP monthly 2024-03-01"
    assert pdf_attachment(message)[2] == tiny_pdf()
    assert built == [{"kind": "monthly", "month": date(2024, 3, 1), "at": None, "lang": "nb"}]
    assert logged(db_url) == [("monthly", "2024-03", "sent", 1)]


def test_send_monthly_defaults_to_the_previous_month(tmp_path, monkeypatch, db_url, built):
    with smtp_server() as (inbox, port):
        configure(tmp_path, monkeypatch, port)
        code, out = run("send", "monthly", "--lang", "en", "--db", db_url)
    assert code == 0, out
    previous = add_months(datetime.now(ZoneInfo("Europe/Oslo")).date(), -1)
    assert built[0]["month"] == previous and built[0]["lang"] == "en"
    assert out.startswith(f"Sent: monthly report {previous:%Y-%m}, recipients: 2")


def test_send_snapshot_at_a_moment_goes_to_the_snapshot_list(tmp_path, monkeypatch, db_url,
                                                             built):
    with smtp_server() as (inbox, port):
        configure(tmp_path, monkeypatch, port)
        code, out = run("send", "snapshot", "--at", "2024-03-04T07:00", "--db", db_url)
    assert code == 0, out
    assert [e.rcpt_tos for e in inbox.envelopes] == [SNAPSHOT]
    assert built[0]["at"] == datetime(2024, 3, 4, 7, 0)
    assert logged(db_url) == [("snapshot", "2024-03-04T07:00", "sent", 1)]


def test_a_wrong_password_exits_non_zero_with_one_line_and_logs_the_failure(
        tmp_path, monkeypatch, db_url, built):
    cert = self_signed_certificate(tmp_path)
    monkeypatch.setenv("FLYT_SMTP_PASSWORD", "feil")
    with smtp_server(cert) as (inbox, port):
        configure(tmp_path, monkeypatch, port, mail=f'username = "{USER}"')
        text = (tmp_path / "flyt.toml").read_text().replace("starttls = false",
                                                            f'ca_file = "{cert[0]}"')
        (tmp_path / "flyt.toml").write_text(text)
        code, out = run("send", "monthly", "--month", "2024-03", "--db", db_url)
    assert code == 1
    assert out.startswith("Error: Ikke sendt: månedsrapport 2024-03 (forsøk 1): the SMTP server")
    assert f"refused the login for '{USER}': 535" in out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out
    assert inbox.envelopes == []
    assert logged(db_url) == [("monthly", "2024-03", "failed", 1)]
    # With the right password it goes through, as attempt 2 of the same period.
    monkeypatch.setenv("FLYT_SMTP_PASSWORD", PASSWORD)
    with smtp_server(cert) as (inbox, port):
        (tmp_path / "flyt.toml").write_text(text.replace(f"port = {_port(text)}",
                                                         f"port = {port}"))
        code, out = run("send", "monthly", "--month", "2024-03", "--db", db_url)
    assert code == 0, out
    assert logged(db_url)[-1] == ("monthly", "2024-03", "sent", 2)


def _port(config: str) -> str:
    return next(line.split("=")[1].strip() for line in config.splitlines()
                if line.startswith("port"))


def test_dry_run_prints_a_summary_and_sends_nothing(tmp_path, monkeypatch, db_url, built):
    configure(tmp_path, monkeypatch, free_port())
    code, out = run("send", "monthly", "--month", "2024-03", "--dry-run", "--db", db_url)
    assert code == 0, out
    assert f"To: {', '.join(MONTHLY)}" in out
    assert "Subject: UKP monthly 2024-03-01" in out
    assert f"Vedlegg: flyt-monthly-rapport.pdf (application/pdf, {len(tiny_pdf())} byte)" in out
    assert "Prøvekjøring, ingenting er sendt." in out
    assert logged(db_url) == []


def test_eml_writes_the_message_to_a_file(tmp_path, monkeypatch, db_url, built):
    configure(tmp_path, monkeypatch, free_port())
    path = tmp_path / "rapport.eml"
    code, out = run("send", "snapshot", "--at", "2024-03-04T07:00", "--eml", str(path),
                    "--db", db_url)
    assert code == 0, out
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == SNAPSHOT[0]
    assert pdf_attachment(message) == ("flyt-snapshot-rapport.pdf", "application/pdf",
                                       tiny_pdf())
    assert logged(db_url) == []


def test_a_bad_address_in_the_configuration_is_named(tmp_path, monkeypatch, db_url, built):
    configure(tmp_path, monkeypatch, free_port())
    config = tmp_path / "flyt.toml"
    config.write_text(config.read_text().replace("leder@malvik.kommune.no", "leder.malvik.no"))
    code, out = run("send", "monthly", "--db", db_url)
    assert code == 1
    assert out.strip() == ("Error: [distribution] monthly: 'leder.malvik.no' is not an e-mail "
                           "address (write a plain address such as ola.nordmann@kommune.no)")


def test_a_kind_without_recipients_is_a_clear_error(tmp_path, monkeypatch, db_url, built):
    configure(tmp_path, monkeypatch, free_port())
    config = tmp_path / "flyt.toml"
    config.write_text(config.read_text().replace(f"snapshot = {SNAPSHOT!r}".replace("'", '"'),
                                                 ""))
    code, out = run("send", "snapshot", "--db", db_url)
    assert code == 1 and "no recipients for the snapshot report" in out


# --- flyt schedule -----------------------------------------------------------------------


def test_schedule_run_once_sends_the_monday_snapshot_once(tmp_path, monkeypatch, db_url, built):
    with smtp_server() as (inbox, port):
        configure(tmp_path, monkeypatch, port)
        # January's report (due 20 February) went out by hand: the schedule counts it.
        run("send", "monthly", "--month", "2024-01", "--db", db_url)
        first = run("schedule", "run", "--once", "--now", "2024-03-04T07:05", "--db", db_url)
        again = run("schedule", "run", "--once", "--now", "2024-03-04T07:30", "--db", db_url)
    assert first == (0, "Sendt: øyeblikksbilde 2024-03-04T07:00, mottakere: 1 (forsøk 1).\n")
    assert again == (0, "Ingenting å sende nå.\n")
    assert [e.rcpt_tos for e in inbox.envelopes] == [MONTHLY, SNAPSHOT]
    assert built[1:] == [{"kind": "snapshot", "month": None, "at": datetime(2024, 3, 4, 7, 0),
                          "lang": "nb"}]


def test_schedule_run_once_on_the_20th_sends_the_monthly_report(tmp_path, monkeypatch, db_url,
                                                                 built):
    with smtp_server() as (inbox, port):
        configure(tmp_path, monkeypatch, port)
        # Tuesday 2024-04-16 was the last snapshot; Saturday the 20th has only the monthly.
        run("send", "snapshot", "--at", "2024-04-18T07:00", "--db", db_url)
        code, out = run("schedule", "run", "--once", "--now", "2024-04-20T08:00", "--db", db_url)
    assert code == 0, out
    assert out == "Sendt: månedsrapport 2024-03, mottakere: 2 (forsøk 1).\n"
    assert built[-1]["month"] == date(2024, 3, 1)
    assert [e.rcpt_tos for e in inbox.envelopes] == [SNAPSHOT, MONTHLY]


def test_a_server_that_is_down_is_retried_then_given_up(tmp_path, monkeypatch, db_url, built):
    # Only the snapshot is scheduled: an empty list leaves the monthly report out.
    configure(tmp_path, monkeypatch, free_port(), extra='snapshot_days = ["mon"]', monthly=[])
    code, out = run("schedule", "run", "--once", "--now", "2024-03-04T07:00", "--db", db_url)
    assert code == 1
    lines = out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["Ikke sendt"] * 3 + ["Error"]
    assert "(forsøk 3): cannot send through the SMTP server 127.0.0.1" in lines[-1]
    assert "Traceback" not in out
    assert logged(db_url) == [("snapshot", "2024-03-04T07:00", "failed", n) for n in (1, 2, 3)]
    # A restart does not try again: the attempts (1 + retries) are used up.
    assert run("schedule", "run", "--once", "--now", "2024-03-04T09:00", "--db", db_url) == (
        0, "Ingenting å sende nå.\n")
    assert len(logged(db_url)) == 3


def test_a_restart_after_one_failure_uses_the_remaining_attempts(tmp_path, monkeypatch, db_url,
                                                                  built):
    configure(tmp_path, monkeypatch, free_port(), monthly=[])
    monkeypatch.setattr(reports, "render_for_mail", _fail_once(built))
    code, _ = run("send", "snapshot", "--at", "2024-03-04T07:00", "--db", db_url)
    assert code == 1
    with smtp_server() as (inbox, port):
        text = (tmp_path / "flyt.toml").read_text()
        (tmp_path / "flyt.toml").write_text(text.replace(f"port = {_port(text)}",
                                                         f"port = {port}"))
        code, out = run("schedule", "run", "--once", "--now", "2024-03-04T08:00", "--db", db_url)
    assert code == 0, out
    assert "(forsøk 2)" in out
    assert logged(db_url) == [("snapshot", "2024-03-04T07:00", "failed", 1),
                              ("snapshot", "2024-03-04T07:00", "sent", 2)]


def _fail_once(calls: list[dict]):
    def build(db, settings, kind, *, month=None, at=None, lang="nb"):
        calls.append({"kind": kind})
        if len(calls) == 1:
            raise LookupError("no KPI results yet")
        return tiny_report(kind)

    return build


def test_schedule_show_prints_the_next_times_and_the_recent_sends(tmp_path, monkeypatch, db_url,
                                                                  built):
    with smtp_server() as (inbox, port):
        configure(tmp_path, monkeypatch, port)
        run("schedule", "run", "--once", "--now", "2024-03-04T07:05", "--db", db_url)
    code, out = run("schedule", "show", "--now", "2024-03-04T12:00", "--db", db_url)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:4] == ["Neste utsendelser",
                         "  månedsrapport      20.03.2024 08:00  (2024-02)",
                         "  øyeblikksbilde     07.03.2024 07:00  (2024-03-07T07:00)",
                         "  kapasitetsrapport  ikke planlagt (ingen mottakere)"]
    assert lines[5:7] == ["  månedsrapport      2024-01           sendt",
                          "  øyeblikksbilde     2024-03-04T07:00  sendt"]
    assert lines[8].endswith(f"øyeblikksbilde     2024-03-04T07:00  sendt   #1  {SNAPSHOT[0]}")
    assert run("schedule", "list", "--now", "2024-03-04T12:00", "--db", db_url)[1] == out


def test_now_without_once_is_a_usage_error(tmp_path, monkeypatch, db_url):
    configure(tmp_path, monkeypatch, free_port())
    code, out = run("schedule", "run", "--now", "2024-03-04T07:00", "--db", db_url)
    assert code == 2 and "--now goes with --once" in out


# --- end to end, with the real reports ------------------------------------------------------


def test_the_real_snapshot_report_arrives_as_html_body_and_readable_pdf(tmp_path, monkeypatch,
                                                                        db):
    """No stand-in: the snapshot is rendered from the store and mailed; the PDF that
    arrives holds the numbers of `flyt snapshot`."""
    import io
    import json

    from pypdf import PdfReader

    from tests.support.records import stay
    from tests.support.snapshot_data import load

    load(db, [stay(f"t{i}", f"p{i}", "5001", ready="2024-03-01") for i in range(6)])
    url = db.engine.url.render_as_string(hide_password=False)
    with smtp_server() as (inbox, port):
        configure(tmp_path, monkeypatch, port)
        code, out = run("send", "snapshot", "--at", "2024-03-04T07:00", "--db", url)
    assert code == 0, out
    (envelope,) = inbox.envelopes
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Øyeblikksbilde UKP 04.03.2024 07:00"
    html = message.get_body(("html",)).get_content()
    assert "Trondheim (5001)" in html
    name, kind, pdf = pdf_attachment(message)
    assert (name, kind) == ("flyt-oyeblikksbilde-2024-03-04-0700.pdf", "application/pdf")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    expected = json.loads(run("snapshot", "--at", "2024-03-04T07:00", "--format", "json",
                              "--db", url)[1])
    assert expected["total"] == 6 and f"UKP i sykehus nå\n{expected['total']}" in text
