"""Distribution: mailing the reports to their lists, on the schedule, with a send log
(docs/distribution.md).

    settings.py  the ``[mail]``, ``[distribution]`` and ``[schedule]`` sections
    mail.py      the message (HTML body, PDF attached) and the SMTP transport
    schedule.py  when each report is due: pure functions of the settings, time and log
    send_log.py  the ``report_sends`` table: every attempt, sent or failed
    delivery.py  sending with retries
    running.py   the loop behind ``flyt schedule run`` and ``flyt serve --schedule``
    daily.py     the timing of a daily job in that loop (the deviations' reminders, the
                 action plan's mails to owners, the escalation levels and their mail)

The reports themselves come from flyt.reports (``render_for_mail``). Its public
surface: ``commands`` (``flyt send``, ``flyt schedule``), and for other areas that mail
(the deviations' reminders and digests, the plan's and the escalation levels' mails)
``settings``, ``mail``, ``send_log`` and ``daily``.
"""

__all__ = ["daily", "mail", "send_log", "settings"]
