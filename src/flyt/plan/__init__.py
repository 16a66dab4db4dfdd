"""Tiltaksplan: the competence group's Theory of Change and action plan (spec/plan.md,
docs/plan.md).

Module map:

- ``model``: the plan as frozen dataclasses and its checks (pure).
- ``rules``: the status rules at a date (pure); ``settings``: ``[plan] red_after_days``.
- ``effects``: an effect's status from the KPI engine's goals (as ``flyt goals``).
- ``storage``: the plan in the store (read, replace whole, change one item with
  optimistic concurrency, the history); ``defaults``: the default plan
  (``default_plan.json``, transcribed from the seeds).
- ``view``: the whole plan with its statuses computed at a date (what every output uses).
- ``exchange``: JSON and XLSX in and out; ``text``: the terminal's text.
- ``report``: the meeting report (``flyt report plan``: HTML, PDF, XLSX; its template in
  ``templates/report/``).
- ``notify``: the e-mail to an activity's owner when it turns yellow or red, once per
  change (``flyt plan notify`` and the schedule loop); ``notify_settings``:
  ``[plan.contacts]`` and ``[plan.notify]``.
- ``errors``: the refusals; ``commands``: ``flyt plan show|import|export|notify`` and
  ``flyt report plan``.
"""

__all__ = ["errors", "exchange", "model", "notify", "notify_settings", "rules", "storage",
           "view"]
