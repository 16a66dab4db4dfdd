"""Mailing a report through a real SMTP server on loopback, and the [mail] settings."""

from __future__ import annotations

from datetime import date

import pytest

from flyt import reports
from flyt.config import load_settings
from flyt.distribution.delivery import Target, deliver
from flyt.distribution.mail import MailError, build_message, send_message
from flyt.distribution.send_log import history
from flyt.distribution.settings import (
    ConfigError,
    DistributionSettings,
    MailSettings,
    load_distribution,
)
from tests.support.mail import (
    PASSWORD,
    USER,
    free_port,
    html_part,
    pdf_attachment,
    self_signed_certificate,
    smtp_server,
    tiny_pdf,
    tiny_report,
)

SENDER = "flyt@stolav.no"
LIST = ("leder@malvik.kommune.no", "raadgiver@melhus.kommune.no")


def plain(port: int, **overrides) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=port, starttls=False, sender=SENDER, timeout=5,
                        **overrides)


def distribution(mail: MailSettings) -> DistributionSettings:
    return DistributionSettings(mail=mail, recipients={"monthly": LIST, "snapshot": LIST})


@pytest.fixture
def report(monkeypatch):
    """The report renderer replaced by a fixed report; the calls it got."""
    calls: list[dict] = []

    def build(db, settings, kind, *, month=None, at=None, lang="nb"):
        calls.append({"kind": kind, "month": month, "at": at, "lang": lang})
        return tiny_report(kind)

    monkeypatch.setattr(reports, "render_for_mail", build)
    return calls


# --- the message and the transport ---------------------------------------------------


def test_the_report_arrives_with_its_subject_html_body_and_pdf_attachment(db, report):
    with smtp_server() as (inbox, port):
        row = deliver(db, load_settings(), distribution(plain(port)),
                      Target.monthly(date(2024, 3, 1)))
    (envelope,) = inbox.envelopes
    (message,) = inbox.messages()
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == list(LIST)
    assert message["Subject"] == "UKP-rapport mars 2024"
    assert message["From"] == SENDER
    assert message["To"] == ", ".join(LIST)
    assert message["Date"] and message["Message-ID"].endswith("@stolav.no>")
    assert "Liggedøgn: 1 234" in html_part(message)
    assert "vedlagt som PDF" in str(message.get_body(preferencelist=("plain",)).get_content())
    assert pdf_attachment(message) == ("flyt-monthly-rapport.pdf", "application/pdf",
                                       tiny_pdf())
    assert report == [{"kind": "monthly", "month": date(2024, 3, 1), "at": None, "lang": "nb"}]
    assert (row.kind, row.period, row.status, row.attempt, row.error) == (
        "monthly", "2024-03", "sent", 1, None)
    assert row.recipients == ", ".join(LIST)


def test_it_sends_over_starttls_with_a_login(tmp_path):
    cert = self_signed_certificate(tmp_path)
    with smtp_server(cert) as (inbox, port):
        refused = send_message(
            build_message(tiny_report(), SENDER, LIST),
            MailSettings(host="127.0.0.1", port=port, username=USER, password=PASSWORD,
                         sender=SENDER, timeout=5, ca_file=cert[0]))
    assert refused == {}
    assert [m["Subject"] for m in inbox.messages()] == ["UKP-rapport mars 2024"]


def test_a_certificate_that_is_not_trusted_is_refused(tmp_path):
    cert = self_signed_certificate(tmp_path)
    with smtp_server(cert) as (inbox, port), pytest.raises(MailError, match="SSLCertVerification"):
        send_message(build_message(tiny_report(), SENDER, LIST),
                     MailSettings(host="127.0.0.1", port=port, username=USER,
                                  password=PASSWORD, sender=SENDER, timeout=5))
    assert inbox.envelopes == []


def test_a_wrong_password_is_a_clear_failure_and_is_logged(db, report, tmp_path):
    cert = self_signed_certificate(tmp_path)
    mail = MailSettings(host="127.0.0.1", port=0, username=USER, password="feil",
                        sender=SENDER, timeout=5, ca_file=cert[0])
    with smtp_server(cert) as (inbox, port):
        row = deliver(db, load_settings(), distribution(
            MailSettings(**{**mail.__dict__, "port": port})), Target.monthly(date(2024, 3, 1)))
    assert inbox.envelopes == []
    assert row.status == "failed" and row.attempt == 1
    assert f"refused the login for '{USER}': 535" in (row.error or "")
    assert "\n" not in (row.error or "")
    assert [(r.status, r.attempt) for r in history(db)] == [("failed", 1)]


def test_a_server_that_is_down_fails_each_attempt_and_logs_every_one(db, report):
    waits: list[float] = []
    row = deliver(db, load_settings(), distribution(plain(free_port())),
                  Target.monthly(date(2024, 3, 1)), attempts=3, wait_seconds=300,
                  sleep=waits.append)
    assert row.status == "failed" and row.attempt == 3
    assert "cannot send through the SMTP server 127.0.0.1" in (row.error or "")
    assert "ConnectionRefusedError" in (row.error or "")
    assert waits == [300, 300]
    assert [(r.status, r.attempt) for r in history(db)] == [
        ("failed", 3), ("failed", 2), ("failed", 1)]
    assert len(report) == 1, "the report is built once and reused for the retries"


def test_a_recipient_refused_while_others_accept_is_sent_with_the_refusal_logged(db, report):
    with smtp_server(refuse=(LIST[1],)) as (inbox, port):
        row = deliver(db, load_settings(), distribution(plain(port)),
                      Target.monthly(date(2024, 3, 1)), attempts=3)
    assert [e.rcpt_tos for e in inbox.envelopes] == [[LIST[0]]]
    assert (row.status, row.attempt) == ("sent", 1), "no retry: the others would get it twice"
    assert row.error == f"refused by the server: {LIST[1]} (550 5.1.1 No such mailbox)"


def test_a_report_that_cannot_be_built_is_a_logged_failure(db, monkeypatch):
    def broken(*args, **kwargs):
        raise ImportError("No module named 'flyt.reports.monthly'")

    monkeypatch.setattr(reports, "render_for_mail", broken)
    row = deliver(db, load_settings(), distribution(plain(free_port())),
                  Target.monthly(date(2024, 3, 1)))
    assert row.status == "failed"
    assert row.error == ("cannot build the report: ImportError: "
                         "No module named 'flyt.reports.monthly'")


def test_starttls_is_asked_for_by_default_and_a_server_without_it_is_refused():
    with smtp_server() as (inbox, port), pytest.raises(MailError, match="STARTTLS"):
        send_message(build_message(tiny_report(), SENDER, LIST),
                     MailSettings(host="127.0.0.1", port=port, sender=SENDER, timeout=5))
    assert inbox.envelopes == []


def test_a_login_without_a_password_in_the_environment_is_a_clear_error():
    with pytest.raises(MailError, match="set the environment variable FLYT_SMTP_PASSWORD"):
        send_message(build_message(tiny_report(), SENDER, LIST),
                     MailSettings(host="127.0.0.1", username=USER, sender=SENDER))


def test_the_plain_text_alternative_is_in_english_with_lang_en():
    message = build_message(tiny_report(), SENDER, LIST, lang="en")
    text = str(message.get_body(preferencelist=("plain",)).get_content())
    assert "attached as a PDF" in text


# --- the settings ------------------------------------------------------------------------


def test_the_settings_default_to_starttls_on_587_and_the_oslo_schedule():
    settings = load_distribution({})
    assert (settings.mail.port, settings.mail.starttls, settings.mail.ssl) == (587, True, False)
    assert settings.schedule.snapshot_days == (0, 3)
    assert (settings.schedule.monthly_day, settings.schedule.retries) == (20, 3)


def test_the_password_comes_from_the_named_environment_variable(monkeypatch):
    monkeypatch.setenv("SMTP_SECRET", "hemmelig")
    settings = load_distribution({"mail": {"host": "smtp.stolav.no", "username": "flyt",
                                           "password_env": "SMTP_SECRET"}})
    assert settings.mail.password == "hemmelig"
    assert "hemmelig" not in repr(settings)


@pytest.mark.parametrize(("raw", "message"), [
    ({"mail": {"password": "x"}}, "do not write the SMTP password in the configuration"),
    ({"mail": {"port": "587"}}, r"\[mail\] port must be a whole number from 1 to 65535"),
    ({"mail": {"starttls": "yes"}}, r"\[mail\] starttls must be true or false"),
    ({"mail": {"sender": "flyt"}}, r"\[mail\] sender: 'flyt' is not an e-mail address"),
    ({"mail": {"hots": "smtp"}}, r"\[mail\] hots: unknown setting"),
    ({"distribution": {"monthly": ["a@malvik.kommune.no", "b(at)melhus.no"]}},
     r"\[distribution\] monthly: 'b\(at\)melhus.no' is not an e-mail address"),
    ({"distribution": {"snapshot": "a@malvik.kommune.no"}}, "must be a list of addresses"),
    ({"schedule": {"snapshot_days": ["mon", "tors"]}}, "'tors' is not a day"),
    ({"schedule": {"snapshot_time": "7"}}, "'7' is not a time of day"),
    ({"schedule": {"monthly_day": 31}}, "monthly_day must be a whole number from 1 to 28"),
    ({"schedule": {"retry_wait_seconds": -1}}, "retry_wait_seconds must be a number"),
])
def test_a_bad_setting_is_a_clear_error_naming_it(raw, message):
    with pytest.raises(ConfigError, match=message):
        load_distribution(raw)
