"""Samhandlingsavvik: deviations between the hospital, the municipalities and the GPs,
reported by one organisation to one or more others and followed to an answer
(spec/deviations.md, docs/deviations.md).

    codes.py      severities, levels, statuses, the default category taxonomy
    settings.py   the ``[deviations]`` configuration: categories and deadlines
    errors.py     the refusals, each with an i18n key (nb/en)
    workflow.py   pure: the allowed transitions, what each needs, which side does it
    deadlines.py  pure: Norwegian working days, when each step is due, what is overdue
    records.py    storage: create, read, transition (optimistic concurrency), history
    listing.py    the list one may see: filters, free text, overdue, paged in SQL
    changes.py    when the deviations last changed: the stamp the list's pages are kept by
    handling.py   a user's report, read, change and list, checked and audited (the
                  pages and the API use these, nothing below them)
    access.py     who sees which deviation, and what the improvement group may not see
    importing.py  an organisation's list in (CSV/XLSX), all or nothing, idempotent
    exporting.py  every deviation out (CSV/XLSX/JSON), importable back unchanged
    report.py     the annual report's long table, counted in the database
    timeliness.py time to acknowledge and to answer against the deadlines (SQL)
    annual.py     the annual report as HTML/PDF, and its numbers for the page
    answer_mail.py  the written answer mailed to the reporting organisation
    attachments.py  PDF/PNG/JPEG checked from the content, stored outside the web root
    learning.py   learning points linked to deviations, their measures and follow-up
    incident.py   the notification duty and the incident analysis (IS-0583 checklist)
    guide.py      each category and severity explained, with an example (form and guide)
    privacy.py    the warning when free text looks like a national id or a name
    reminders.py  the automatic close, reminders, the daily digest
    commands.py   flyt deviations import|export|remind, flyt report deviations
    pages/        the pages and /api/avvik (one router per part)

Its public surface: the modules below (the pages, API, import and annual report of
later parts build on them).
"""

__all__ = ["access", "changes", "codes", "deadlines", "errors", "exporting", "handling",
           "importing", "listing", "records", "reminder_settings", "reminders", "report",
           "settings", "workflow"]
