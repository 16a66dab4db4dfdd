"""A rendered report as an e-mail, and sending it over SMTP (stdlib ``email`` + ``smtplib``).

The message: the report's HTML as the body with a short plain-text alternative, the
PDF attached. The transport: plain, STARTTLS or implicit TLS, with an optional login.
Every failure becomes a ``MailError`` with one sentence for the user and the log.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flyt.distribution.settings import MailSettings
from flyt.domain import clock
from flyt.i18n import t
from flyt.reports import RenderedReport


class MailError(Exception):
    """Sending failed; the message says why in one line."""


def build_message(report: RenderedReport, sender: str, recipients: tuple[str, ...],
                  lang: str = "nb", now: datetime | None = None) -> EmailMessage:
    """The e-mail for a report: multipart/mixed of (plain text | HTML) and the PDF."""
    message = EmailMessage()
    message["Subject"] = report.title
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(clock.local(now or clock.now()))
    message["Message-ID"] = make_msgid("flyt", domain=sender.rpartition("@")[2])
    # The plain part is for clients that do not show HTML; the PDF is the report.
    message.set_content(f"{report.title}\n\n{t('dist_mail_body', lang)}\n")
    message.add_alternative(report.html, subtype="html")
    message.add_attachment(report.pdf, maintype="application", subtype="pdf",
                           filename=report.filename)
    return message


def send_text(subject: str, body: str, recipients: tuple[str, ...],
              settings: MailSettings) -> dict[str, str]:
    """A plain-text mail from ``[mail] sender`` (the notices of the daily jobs), sent as
    ``send_message`` sends; MailError also when no sender is configured."""
    if not settings.sender:
        raise MailError("no sender: set sender = \"flyt@example.no\" under [mail]")
    message = EmailMessage()
    headers = {"Subject": subject, "From": settings.sender, "To": ", ".join(recipients),
               "Date": format_datetime(clock.local(clock.now())),
               "Message-ID": make_msgid("flyt", domain=settings.sender.rpartition("@")[2])}
    for name, value in headers.items():
        message[name] = value
    message.set_content(body)
    return send_message(message, settings)


def send_message(message: EmailMessage, settings: MailSettings) -> dict[str, str]:
    """Send through the configured SMTP server. Returns the recipients the server refused
    while accepting others (address → reply); raises ``MailError`` when nothing was sent."""
    if not settings.host:
        raise MailError("no SMTP server configured: set host under [mail] in the configuration")
    if settings.username and not settings.password:
        raise MailError(f"no SMTP password: set the environment variable {settings.password_env}")
    where = f"{settings.host}:{settings.port}"
    try:
        with _connect(settings) as smtp:
            if settings.starttls and not settings.ssl:
                smtp.starttls(context=_tls_context(settings))
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"the SMTP server {where} refused the login for "
                        f"'{settings.username}': {_reply(exc)}") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"the SMTP server {where} refused every recipient: "
                        f"{_refused(exc.recipients)}") from exc
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"the SMTP server {where} answered {_reply(exc)}") from exc
    except smtplib.SMTPNotSupportedError as exc:
        # STARTTLS or AUTH asked for by [mail] but not offered by the server
        raise MailError(f"the SMTP server {where} cannot do what [mail] asks: {exc}") from exc
    except (smtplib.SMTPException, OSError) as exc:  # refused, timeout, TLS (ssl.SSLError)
        raise MailError(f"cannot send through the SMTP server {where}: "
                        f"{type(exc).__name__}: {exc}") from exc
    return {addr: _text(reply) for addr, reply in refused.items()}


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.ssl:
        return smtplib.SMTP_SSL(settings.host or "", settings.port, timeout=settings.timeout,
                                context=_tls_context(settings))
    return smtplib.SMTP(settings.host or "", settings.port, timeout=settings.timeout)


def _tls_context(settings: MailSettings) -> ssl.SSLContext:
    # Certificates are always verified; an internal CA is added with ca_file, never bypassed.
    cafile = str(settings.ca_file) if settings.ca_file else None
    return ssl.create_default_context(cafile=cafile)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"


def _refused(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr} ({code} {_text(reply)})" for addr, (code, reply) in
                     recipients.items())


def _text(reply: object) -> str:
    if isinstance(reply, tuple):  # (code, bytes) as smtplib reports a refused recipient
        return " ".join(_text(part) for part in reply)
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())  # one line: server replies may span several


def summary(message: EmailMessage, lang: str = "nb") -> str:
    """A few lines for ``--dry-run``: who, what, and the attachment's size."""
    lines = [f"{name}: {message[name]}" for name in ("From", "To", "Subject", "Date")]
    for part in message.iter_attachments():
        size = len(part.get_payload(decode=True) or b"")
        lines.append(t("dist_attachment", lang).format(
            name=part.get_filename(), type=part.get_content_type(), size=size))
    return "\n".join(lines)
