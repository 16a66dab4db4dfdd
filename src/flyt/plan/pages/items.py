"""One measure or activity: read by every signed-in user, changed by those who edit
the plan (User.edits_plan: admin, analyst, competence).

    GET  /tiltaksplan/{id}        its fields, computed status and history; the form for
                                  an editor
    GET  /tiltaksplan/{id}.json   the same as JSON
    POST /tiltaksplan/{id}        a change (flyt.plan.storage.update_item) from the
                                  version the form showed: 303 back; 400 with the
                                  field's message; 409 when someone saved it meanwhile
                                  — the form again with the user's input kept, never a
                                  lost edit; 403 for a user who may not edit

Every change is audited (`plan.change`, the fields changed).
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from flyt.accounts import audit
from flyt.ingest.errors import Text
from flyt.plan import storage
from flyt.plan.errors import InvalidPlan, ItemNotFound, StaleVersion
from flyt.plan.model import MAX_LENGTH, PRIORITIES, SCOPES, STATUSES, Activity, Measure
from flyt.plan.pages.common import (
    FIELD_WORDS,
    BadInput,
    day_text,
    is_late,
    iso,
    parse_day,
    refused,
    status_view,
    the_plan,
    words,
)
from flyt.plan.view import PlanAt
from flyt.store.db import Database
from flyt.web.deps import AppSettings, CurrentUser, Db, User, client_ip
from flyt.web.render import language, render_page

router = APIRouter()

FormText = Annotated[str, Form()]
TEXT_FIELDS = ("name", "description", "responsible", "comment")
CHOICES = {"priority": PRIORITIES, "scope": SCOPES, "status": STATUSES}


def find(view: PlanAt, item_id: str) -> tuple[Measure | Activity, Measure | None]:
    """The item and (for an activity) its measure; ItemNotFound otherwise."""
    for m in view.plan.measures:
        if m.id == item_id:
            return m, None
        for a in m.activities:
            if a.id == item_id:
                return a, m
    raise ItemNotFound(Text.of("plan_item_not_found", id=item_id[:40]))


def _field_names(item: Measure | Activity) -> tuple[str, ...]:
    own = {f.name for f in dataclass_fields(item)}
    return tuple(n for n in storage.ITEM_FIELDS if n in own)


def stored(item: Measure | Activity, lang: str) -> dict[str, str]:
    """The item's fields as its form writes them (dates dd.mm.yyyy)."""
    out = {}
    for name in _field_names(item):
        value = getattr(item, name)
        out[name] = (day_text(value, lang) if name in ("start", "end")
                     else ("1" if value else "") if name == "done" else value or "")
    return out


def parse_form(item: Measure | Activity, typed: dict[str, str]) -> dict[str, Any]:
    """The form's values as the item's fields; BadInput naming the field at fault."""
    values: dict[str, Any] = {}
    for name in _field_names(item):
        raw = typed.get(name, "")
        if name in TEXT_FIELDS:
            text = raw.strip()
            if len(text) > MAX_LENGTH[name]:
                raise BadInput(Text.of("plan_too_long", field=FIELD_WORDS[name],
                                       limit=MAX_LENGTH[name]), name)
            if name == "name" and not text:
                raise BadInput(Text.of("plan_empty", field=FIELD_WORDS["name"]), name)
            values[name] = text
        elif name in ("start", "end"):
            values[name] = parse_day(raw, name)
        elif name == "done":
            values[name] = raw == "1"
        elif raw and raw not in CHOICES[name]:
            raise BadInput(Text.of("plan_bad_value", value=raw[:40],
                                   allowed=", ".join(CHOICES[name])), name)
        else:
            values[name] = raw or None
    if values.get("start") and values.get("end") and values["start"] > values["end"]:
        raise BadInput(Text.of("plan_end_before_start"), "end")
    return values


def detail_data(db: Database, view: PlanAt, item: Measure | Activity,
                measure: Measure | None) -> dict[str, Any]:
    """The JSON twin: the item's fields (ISO dates), computed status and history."""
    fields = {n: (iso(v) if isinstance(v, date) else v)
              for n in _field_names(item) for v in [getattr(item, n)]}
    return {"id": item.id, "type": "activity" if measure else "measure",
            "measure": measure.id if measure else None, **fields, "version": item.version,
            "at": view.at.isoformat(), "computed_status": view.status(item.id),
            "late": is_late(item, view.at),
            "activities": [a.id for a in item.activities] if isinstance(item, Measure) else [],
            "history": [{"at": c.changed_at.isoformat(timespec="minutes"),
                         "who": c.changed_by, "field": c.field, "from": c.old,
                         "to": c.new} for c in storage.history(db, item.id)]}


@router.get("/tiltaksplan/{item_id}.json", name="plan_item_json")
def item_json(request: Request, item_id: str, user: CurrentUser, db: Db,
              settings: AppSettings) -> Response:
    try:
        view = the_plan(db, settings, request.query_params)
        item, measure = find(view, item_id)
    except BadInput as exc:
        return refused(request, exc, 400, as_json=True)
    except ItemNotFound as exc:
        return refused(request, exc, 404, as_json=True)
    return JSONResponse({**detail_data(db, view, item, measure), "may_edit": user.edits_plan})


def _show(request: Request, db: Database, view: PlanAt, user: User, item_id: str, *,
          typed: dict[str, str] | None = None, error: str | None = None,
          error_field: str = "", status_code: int = 200) -> Response:
    lang = language(request)
    try:
        item, measure = find(view, item_id)
    except ItemNotFound as exc:
        return refused(request, exc, 404)
    data = detail_data(db, view, item, measure)
    current = stored(item, lang)
    form = typed if typed is not None else current
    # After a 409 the stored values the user's input differs from are shown beside it.
    differs = {n: current[n] for n in current if typed is not None and status_code == 409
               and form.get(n, "") != current[n]}
    response: HTMLResponse = render_page(request, "plan/item.html.j2", {
        **data, "item": item, "parent": measure, "status": status_view(
            view.status(item.id), lang), "own_status": status_view(item.status, lang),
        "may_edit": user.edits_plan, "form": form, "differs": differs, "error": error,
        "error_field": error_field, "choices": CHOICES, "words": words(lang),
        "start_text": day_text(item.start, lang), "end_text": day_text(item.end, lang),
    }, title="plan_pages_item_title")
    response.status_code = status_code
    return response


@router.get("/tiltaksplan/{item_id}", name="plan_item")
def item_page(request: Request, item_id: str, user: CurrentUser, db: Db,
              settings: AppSettings) -> Response:
    try:
        view = the_plan(db, settings, request.query_params)
    except BadInput as exc:
        return refused(request, exc, 400)
    return _show(request, db, view, user, item_id)


@router.post("/tiltaksplan/{item_id}", name="plan_item_change")
def item_change(request: Request, item_id: str, user: CurrentUser, db: Db,
                settings: AppSettings, version: FormText = "", name: FormText = "",
                description: FormText = "", start: FormText = "", end: FormText = "",
                priority: FormText = "", scope: FormText = "", responsible: FormText = "",
                done: FormText = "", status_: Annotated[str, Form(alias="status")] = "",
                comment: FormText = "") -> Response:
    if not user.edits_plan:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not for your role")
    lang = language(request)
    typed = {"name": name, "description": description, "start": start, "end": end,
             "priority": priority, "scope": scope, "responsible": responsible,
             "done": done, "status": status_, "comment": comment}
    view = the_plan(db, settings, {})
    try:
        item, _ = find(view, item_id)
        if not version.isdigit():
            raise StaleVersion(Text.of("plan_stale", id=item_id[:40]))
        values = parse_form(item, typed)
        changes = {n: v for n, v in values.items() if getattr(item, n) != v}
        if changes or int(version) != item.version:
            storage.update_item(db, item_id, int(version), user.name, **changes)
    except ItemNotFound as exc:
        return refused(request, exc, 404)
    except StaleVersion:
        stale = Text.of("plan_pages_stale", id=item_id[:40])(lang)
        return _show(request, db, the_plan(db, settings, {}), user, item_id, typed=typed,
                     error=stale, status_code=409)
    except BadInput as exc:
        return _show(request, db, view, user, item_id, typed=typed, error=exc.message(lang),
                     error_field=exc.field, status_code=400)
    except InvalidPlan as exc:
        return _show(request, db, view, user, item_id, typed=typed, error=exc.message(lang),
                     status_code=400)
    if changes:
        audit.record(db, user, "plan.change", item_id, ", ".join(sorted(changes)),
                     client_ip(request))
    return RedirectResponse(f"/tiltaksplan/{quote(item_id)}", status_code=303)

