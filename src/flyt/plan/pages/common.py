"""What the plan's pages share: the plan at the asked date (`?at=`), dates as people
write them, an item's status as symbol + word (never colour alone), and the error page."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from flyt import i18n
from flyt.domain import clock
from flyt.ingest.errors import Text
from flyt.plan import model
from flyt.plan.diagram import status_label
from flyt.plan.errors import PlanError
from flyt.plan.model import Activity, Measure
from flyt.plan.settings import load_plan_settings
from flyt.plan.text import STATUS_WORDS
from flyt.plan.view import PlanAt, plan_at
from flyt.store.db import Database
from flyt.web.deps import AppSettings
from flyt.web.pages import formats  # noqa: F401  (the day/moment filters of the templates)
from flyt.web.render import language, render_page

# The words of the codes the pages show (the i18n keys written out, so that every key
# is found where it is used).
PRIORITY_WORDS = {"hoy": Text.of("plan_pages_priority_hoy"),
                  "middel": Text.of("plan_pages_priority_middel"),
                  "lav": Text.of("plan_pages_priority_lav")}
SCOPE_WORDS = {"stort": Text.of("plan_pages_scope_stort"),
               "middels": Text.of("plan_pages_scope_middels"),
               "lite": Text.of("plan_pages_scope_lite")}
FIELD_WORDS = {"name": Text.of("plan_pages_f_name"),
               "description": Text.of("plan_pages_f_description"),
               "start": Text.of("plan_pages_f_start"), "end": Text.of("plan_pages_f_end"),
               "priority": Text.of("plan_pages_f_priority"),
               "scope": Text.of("plan_pages_f_scope"),
               "responsible": Text.of("plan_pages_f_responsible"),
               "done": Text.of("plan_pages_f_done"), "status": Text.of("plan_pages_f_status"),
               "comment": Text.of("plan_pages_f_comment")}


def words(lang: str) -> dict[str, dict[str, str]]:
    """The codes' words for the templates: words.priority["hoy"] → «høy»."""
    return {"priority": {k: w(lang) for k, w in PRIORITY_WORDS.items()},
            "scope": {k: w(lang) for k, w in SCOPE_WORDS.items()},
            "status": {k or "none": w(lang) for k, w in STATUS_WORDS.items()},
            "field": {k: w(lang) for k, w in FIELD_WORDS.items()}}


class BadInput(PlanError):
    """A query or form value the page cannot use (HTTP 400); `field` names it."""

    def __init__(self, text: Text, field: str = "") -> None:
        super().__init__(text)
        self.field = field


def parse_day(raw: str | None, field: str) -> date | None:
    """dd.mm.yyyy (as the pages write dates) or ISO yyyy-mm-dd; None when empty."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return model.parse_day(text)
    except ValueError:
        raise BadInput(Text.of("plan_bad_date", value=text[:40]), field) from None


def the_plan(db: Database, settings: AppSettings, query: Mapping[str, str]) -> PlanAt:
    """The plan with its statuses at `?at=` (default today); BadInput for a bad date."""
    at = parse_day(query.get("at"), "at") or clock.today()
    return plan_at(db, at, load_plan_settings(), settings.goals)


def status_view(status: str | None, lang: str) -> dict[str, Any]:
    """A status as the pages show it: its code, CSS class and «✓ grønn»."""
    return {"code": status, "css": f"status-{status or 'none'}",
            "label": status_label(status, lang)}


def is_late(x: Measure | Activity, at: date) -> bool:
    """Its end has passed and it is not done (a measure: not all its activities done)."""
    if x.end is None or x.end >= at:
        return False
    if isinstance(x, Activity):
        return not x.done
    return not (x.activities and all(a.done for a in x.activities))


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def refused(request: Request, exc: PlanError, status_code: int, *,
            as_json: bool = False) -> Response:
    """A refusal (bad date: 400, unknown item: 404) as a page or as JSON."""
    lang = language(request)
    if as_json:
        return JSONResponse({"error": exc.message(lang)}, status_code=status_code)
    response: HTMLResponse = render_page(request, "plan/error.html.j2",
                                         {"error": exc.message(lang)},
                                         title="plan_pages_error_title")
    response.status_code = status_code
    return response


def day_text(value: date | None, lang: str) -> str:
    return i18n.day(value, lang) if value else ""
