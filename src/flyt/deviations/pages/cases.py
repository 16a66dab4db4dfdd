"""The deviations one may see and handle (docs/deviations.md, "Handling"):

    GET  /avvik, /avvik.json            the list, filtered and paged (handling.search)
    GET  /avvik/{id}, /avvik/{id}.json  one deviation as handling.read gives it
    POST /avvik/{id}/status             a workflow step (handling.change), with the
                                        version the page showed; 303 back, or the page
                                        again with the reason (422) or, when someone
                                        else changed it meanwhile, the current version
                                        with the user's text kept (409)

Everything goes through flyt.deviations.handling (checked and audited). A deviation one
may not see is the same 404 page as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from flyt import i18n
from flyt.deviations import access, answer_mail, codes, deadlines, handling, listing, workflow
from flyt.deviations.errors import (
    DeviationError,
    DeviationNotFound,
    InvalidDeviation,
    StaleVersion,
    TransitionRefused,
)
from flyt.deviations.pages.attachments import part as attachments_part
from flyt.deviations.records import Deviation, Event
from flyt.deviations.settings import DeviationSettings, load_deviation_settings
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.reference import packaged_organisations
from flyt.web.deps import CurrentUser, Db, User, client_ip
from flyt.web.pages import formats  # noqa: F401  (the day/moment filters of the templates)
from flyt.web.render import language, render_page

router = APIRouter()

MAX_STEP_TEXT = 10_000  # a comment, answer or reason longer than this is refused
FILTER_FIELDS = ("from", "to", "category", "severity", "organisation", "status", "overdue",
                 "text")


@cache
def organisation_names() -> dict[str, str]:
    return {o.org_id: o.name for o in packaged_organisations()}


# --- the list -----------------------------------------------------------------------


def _day(value: str, field: str) -> date:
    """A date as people write it here: dd.mm.yyyy, or ISO yyyy-mm-dd."""
    for parse in (date.fromisoformat, lambda v: datetime.strptime(v, "%d.%m.%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    raise InvalidDeviation("devcase_bad_date", value=value[:40], field=field)


def _whole(value: str | None, field: str, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise InvalidDeviation("devcase_bad_number", value=value[:40], field=field, low=low,
                               high=high)
    return int(value)


def parse_filters(query: Mapping[str, str], settings: DeviationSettings,
                  ) -> tuple[listing.Filters, int, int]:
    """The filters, offset and limit of a list request; InvalidDeviation (its sentence
    names the field and value) for the first bad one."""
    given = {k: (query.get(k) or "").strip() for k in FILTER_FIELDS}
    start = _day(given["from"], "from") if given["from"] else None
    end = _day(given["to"], "to") if given["to"] else None
    if start and end and start > end:
        raise InvalidDeviation("devcase_bad_period", start=given["from"], end=given["to"])
    category = codes.parse_category(given["category"], settings.categories) \
        if given["category"] else None
    severity = codes.parse_severity(given["severity"]) if given["severity"] else None
    status = codes.parse_status(given["status"]) if given["status"] else None
    organisation = given["organisation"] or None
    if organisation is not None and organisation not in organisation_names():
        raise InvalidDeviation("devcase_bad_org", value=organisation[:40])
    text = given["text"] or None
    if text is not None and len(text) > listing.MAX_TEXT:
        raise InvalidDeviation("devcase_text_too_long", field="text", length=len(text),
                               max=listing.MAX_TEXT)
    overdue = given["overdue"].casefold() in ("1", "on", "true", "ja", "yes")
    offset = _whole(query.get("offset"), "offset", 0, 0, 10_000_000)
    limit = _whole(query.get("limit"), "limit", listing.PAGE_SIZE, 1, listing.MAX_PAGE_SIZE)
    return (listing.Filters(start, end, category, severity, organisation, status, overdue,
                            text), offset, limit)


def _occurred(at: datetime, has_time: bool) -> str:
    return at.isoformat(timespec="minutes") if has_time else at.date().isoformat()


def line_json(line: listing.Line) -> dict[str, Any]:
    return {"id": line.id, "reported_at": line.reported_at.isoformat(timespec="minutes"),
            "occurred_at": _occurred(line.occurred_at, line.occurred_has_time),
            "reporter_org": line.reporter_org, "receiver_orgs": list(line.receiver_orgs),
            "category": line.category, "severity": line.severity, "level": line.level,
            "status": line.status, "summary": line.summary, "version": line.version,
            "overdue": sorted(line.overdue), "notifiable": codes.notifiable(line.severity)}


def may_report(user: User) -> bool:
    return user.organisation is not None


def list_data(db: Database, user: User, query: Mapping[str, str], ip: str,
              settings: DeviationSettings) -> dict[str, Any]:
    """The list as JSON (codes, ISO dates); InvalidDeviation for a bad filter."""
    filters, offset, limit = parse_filters(query, settings)
    sees_any = user.organisation is not None or access.sees_every_deviation(user)
    page = handling.search(db, user, filters, on=clock.today(), offset=offset, limit=limit,
                           ip=ip, settings=settings)
    shown = {k: (v.isoformat() if isinstance(v, date) else v)
             for k, v in asdict(filters).items()}
    return {"total": page.total, "offset": page.offset, "limit": page.limit,
            "filters": shown, "rows": [line_json(line) for line in page.lines],
            "may_report": may_report(user), "sees_any": sees_any}


def _page_links(query: Mapping[str, str], total: int, offset: int,
                limit: int) -> dict[str, str | None]:
    kept = {k: v for k, v in query.items() if k in FILTER_FIELDS and v}

    def at(start: int) -> str:
        return "/avvik?" + urlencode({**kept, "offset": start, "limit": limit})

    return {"prev": at(max(0, offset - limit)) if offset > 0 else None,
            "next": at(offset + limit) if offset + limit < total else None}


def _choices(settings: DeviationSettings) -> dict[str, Any]:
    return {"categories": list(settings.categories), "severities": list(codes.SEVERITIES),
            "statuses": list(codes.STATUSES),
            "organisations": [{"org_id": o.org_id, "name": o.name}
                              for o in packaged_organisations()]}


@router.get("/avvik.json", name="deviation_list_json")
def deviation_list_json(request: Request, user: CurrentUser, db: Db) -> JSONResponse:
    lang = language(request)
    try:
        data = list_data(db, user, request.query_params, client_ip(request),
                         load_deviation_settings())
    except InvalidDeviation as exc:
        return JSONResponse({"error": exc.message(lang), "code": exc.key}, status_code=422)
    return JSONResponse(data)


@router.get("/avvik", response_class=HTMLResponse, name="deviation_list")
def deviation_list(request: Request, user: CurrentUser, db: Db) -> HTMLResponse:
    lang, settings = language(request), load_deviation_settings()
    query = request.query_params
    error, data = None, None
    try:
        data = list_data(db, user, query, client_ip(request), settings)
    except InvalidDeviation as exc:
        error = exc.message(lang)
    view = {"error": error, "list": data, "names": organisation_names(),
            "query": {k: query.get(k, "") for k in FILTER_FIELDS},
            "may_report": may_report(user), "choices": _choices(settings),
            "links": _page_links(query, data["total"], data["offset"], data["limit"])
            if data else {"prev": None, "next": None}}
    response = render_page(request, "deviations/cases_list.html.j2", view,
                           title="devcase_list_title")
    if error:
        response.status_code = 422
    return response


# --- one deviation --------------------------------------------------------------------


def _user_names(db: Database, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    u = schema.users.c
    with db.engine.connect() as conn:
        return dict(conn.execute(sa.select(u.id, u.name).where(u.id.in_(sorted(ids)))).all())


def _who(event: Event, item: Deviation, names: dict[int, str], user: User) -> dict[str, Any]:
    """Who took a step, as this user may know it: a name; "anonymous" for the reporter
    person of an anonymous deviation seen by a receiver; hidden for the improvement
    group; the system for the automatic close."""
    if event.organisation is None:
        return {"kind": "system", "name": None}
    if event.user_id is not None:
        return {"kind": "user", "name": names.get(event.user_id)}
    on_reporter_side = event.organisation == item.reporter_org
    if on_reporter_side and item.anonymous and user.organisation in item.receiver_orgs:
        return {"kind": "anonymous", "name": None}
    if on_reporter_side and user.organisation != item.reporter_org:
        return {"kind": "hidden", "name": None}
    return {"kind": "none", "name": None}


def _side(item: Deviation, user: User) -> workflow.Side | None:
    if user.organisation == item.reporter_org:
        return "reporter"
    if user.organisation is not None and user.organisation in item.receiver_orgs:
        return "receiver"
    return None  # the improvement group reads, it does not act


def _deadlines(item: Deviation, settings: DeviationSettings) -> dict[str, Any]:
    late = deadlines.overdue(item, clock.today(), settings)
    answer = deadlines.answer_due(item, settings)
    close = deadlines.close_due(item, settings)
    return {"acknowledge_due": deadlines.acknowledge_due(item.reported_at, settings)
            .isoformat(),
            "acknowledged": item.acknowledged_at is not None or item.status != "meldt",
            "answer_due": answer.isoformat() if answer else None,
            "answer_required": codes.answer_required(item.severity),
            "answered": item.answered_at is not None,
            "close_due": close.isoformat() if close else None,
            "overdue": sorted(late)}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None


def detail_data(db: Database, item: Deviation, user: User,
                settings: DeviationSettings) -> dict[str, Any]:
    """The deviation as JSON: every field the user may see, its deadlines, its history
    and the steps this user may take."""
    names = _user_names(db, {e.user_id for e in item.history if e.user_id is not None}
                        | ({item.reported_by} if item.reported_by is not None else set()))
    side = _side(item, user)
    history = [{"version": e.version, "at": _iso(e.created_at),
                "who": _who(e, item, names, user), "organisation": e.organisation,
                "from": e.from_status, "to": e.to_status, "comment": e.comment,
                "answer": e.answer, "reason": e.reason} for e in item.history]
    reporter = (names.get(item.reported_by) if item.reported_by is not None else None)
    return {
        "id": item.id, "version": item.version, "status": item.status,
        "reporter_org": item.reporter_org, "receiver_orgs": list(item.receiver_orgs),
        "occurred_at": _occurred(item.occurred_at, item.occurred_has_time),
        "reported_at": _iso(item.reported_at), "reported_by": reporter,
        "category": item.category, "subcategory": item.subcategory,
        "severity": item.severity, "level": item.level,
        "agreement_clause": item.agreement_clause, "patient_ref": item.patient_ref,
        "place": item.place, "summary": item.summary, "description": item.description,
        "immediate_action": item.immediate_action, "anonymous": item.anonymous,
        "source": item.source, "source_id": item.source_id,
        "acknowledged_at": _iso(item.acknowledged_at), "answered_at": _iso(item.answered_at),
        "closed_at": _iso(item.closed_at), "notifiable": codes.notifiable(item.severity),
        # The latest written answer, for the reporter to read first (also in the history).
        "answer": next((e.answer for e in reversed(item.history) if e.answer), None),
        "deadlines": _deadlines(item, settings), "history": history,
        "side": side, "next": list(workflow.next_statuses(item.status, side)) if side else [],
    }


def _mail_note(db: Database, item: Deviation, side: str | None) -> dict[str, Any] | None:
    """How the reporter was told of the current answer (for the receiver, who sent it)."""
    if item.status != "besvart" or side != "receiver":
        return None
    outcome = answer_mail.latest(db, item)
    return None if outcome is None else {"status": outcome.status, "error": outcome.error,
                                         "recipients": ", ".join(outcome.recipients)}


def _show(request: Request, db: Database, item: Deviation, user: User, *,
          error: str | None = None, typed: dict[str, str] | None = None,
          status_code: int = 200) -> HTMLResponse:
    data = detail_data(db, item, user, load_deviation_settings())
    blank = dict.fromkeys(("to", "comment", "answer", "reason"), "")
    view = {"item": data, "names": organisation_names(), "error": error,
            "typed": typed or blank, "blank": blank,
            "mail": _mail_note(db, item, data["side"])}
    files = attachments_part(db, user, item.id)
    response = render_page(request, "deviations/cases_detail.html.j2",
                           {**view, "attachments": files}, title="devcase_list_title")
    response.status_code = status_code
    return response


def _not_found(request: Request, exc: DeviationError) -> HTMLResponse:
    response = render_page(request, "deviations/cases_not_found.html.j2",
                           {"error": exc.message(language(request))},
                           title="devcase_not_found_title")
    response.status_code = 404
    return response


# The twin first: /avvik/{id} would otherwise take "AV-2024-00001.json" as an id.
@router.get("/avvik/{deviation_id}.json", name="deviation_detail_json")
def deviation_detail_json(request: Request, deviation_id: str, user: CurrentUser,
                          db: Db) -> JSONResponse:
    try:
        item = handling.read(db, user, deviation_id, ip=client_ip(request))
    except DeviationNotFound as exc:
        return JSONResponse({"error": exc.message(language(request))}, status_code=404)
    return JSONResponse({**detail_data(db, item, user, load_deviation_settings()),
                         "attachments": attachments_part(db, user, item.id)})


@router.get("/avvik/{deviation_id}", response_class=HTMLResponse, name="deviation_detail")
def deviation_detail(request: Request, deviation_id: str, user: CurrentUser,
                     db: Db) -> HTMLResponse:
    try:
        item = handling.read(db, user, deviation_id, ip=client_ip(request))
    except DeviationNotFound as exc:
        return _not_found(request, exc)
    return _show(request, db, item, user)


# --- a step -----------------------------------------------------------------------------

Text = Annotated[str, Form()]


def _checked_texts(typed: dict[str, str]) -> None:
    for field, value in typed.items():
        if field != "to" and len(value) > MAX_STEP_TEXT:
            raise TransitionRefused("devcase_text_too_long", field=field, length=len(value),
                                    max=MAX_STEP_TEXT)


@router.post("/avvik/{deviation_id}/status", name="deviation_status")
def deviation_status(request: Request, deviation_id: str, user: CurrentUser, db: Db,
                     to: Text = "", version: Text = "", comment: Text = "",
                     answer: Text = "", reason: Text = "") -> Response:
    """One step. Never a lost edit: a refusal or a stale version shows the page again
    with what the user typed still in its form."""
    lang, ip = language(request), client_ip(request)
    typed = {"to": to, "comment": comment, "answer": answer, "reason": reason}
    try:
        if not version.isdigit():
            raise TransitionRefused("devcase_bad_version")
        _checked_texts(typed)
        handling.change(db, user, deviation_id, to, version=int(version),
                        comment=comment or None, answer=answer or None,
                        reason=reason or None, ip=ip, site=str(request.base_url))
    except DeviationNotFound as exc:
        return _not_found(request, exc)
    except StaleVersion:
        return _again(request, db, user, deviation_id, i18n.t("devcase_stale", lang), typed,
                      409)
    except (TransitionRefused, InvalidDeviation) as exc:
        return _again(request, db, user, deviation_id, exc.message(lang), typed, 422)
    return RedirectResponse(f"/avvik/{deviation_id}", status_code=303)


def _again(request: Request, db: Database, user: User, deviation_id: str, error: str,
           typed: dict[str, str], status_code: int) -> HTMLResponse:
    """The deviation as it is now, with why the step was not taken and the user's text
    back in the form (or the 404 page, should it have gone out of the user's sight)."""
    try:
        current = handling.read(db, user, deviation_id, ip=client_ip(request))
    except DeviationNotFound as exc:
        return _not_found(request, exc)
    return _show(request, db, current, user, error=error, typed=typed,
                 status_code=status_code)
