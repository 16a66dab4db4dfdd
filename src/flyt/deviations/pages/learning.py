"""Learning points and measures, and the incident analysis of a notifiable deviation.

    GET  /avvik/laering(.json)                   the list; filters: measure status, organisation
    GET  /avvik/laering/ny, POST                  a new learning point
    GET  /avvik/laering/{id}(.json), POST         view and edit (title, text, deviations)
    POST /avvik/laering/{id}/tiltak               add a measure
    POST /avvik/laering/{id}/tiltak/{measure}     change a measure (its status …)
    GET  /avvik/{id}/hendelsesanalyse(.json), POST  the notification duty, checklist, outcome

Everything goes through flyt.deviations.learning and .incident (checked and audited).
A refusal is the page again with one sentence and its status (422, 409 stale — the
typed text kept in the form —, 404, 403), never a traceback; the JSON twins answer
``{"error": sentence}`` with the same status.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from flyt.deviations import incident, learning
from flyt.deviations.errors import (
    DeviationError,
    DeviationNotFound,
    InvalidDeviation,
    StaleVersion,
)
from flyt.store.reference import packaged_organisations
from flyt.web.deps import CurrentUser, Db, User, client_ip
from flyt.web.pages import words  # noqa: F401  (the templates' filters)
from flyt.web.render import language, render_page

router = APIRouter()
FormText = Annotated[str, Form()]
# What a redirect after a change says it did (learn_done_<code> in i18n).
DONE = ("created", "saved", "measure_added", "measure_saved")
_STATUS = ((DeviationNotFound, 404), (StaleVersion, 409), (learning.NotAllowed, 403),
           (InvalidDeviation, 422))


def _code(exc: DeviationError) -> int:
    return next(code for kind, code in _STATUS if isinstance(exc, kind))


def _organisations() -> list[dict[str, str]]:
    return [{"org_id": o.org_id, "name": o.name} for o in packaged_organisations()]


def _status(response: HTMLResponse, code: int) -> HTMLResponse:
    response.status_code = code
    return response


def _refused(request: Request, exc: DeviationError, as_json: bool) -> Response:
    message = exc.message(language(request))
    if as_json:
        return JSONResponse({"error": message}, status_code=_code(exc))
    return _status(render_page(request, "deviations/learning_error.html.j2",
                               {"error": message}, title="learn_title"), _code(exc))


def _day(text: str | None) -> date | None:
    """A day as a date field sends it (ISO) or as typed (dd.mm.yyyy)."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidDeviation("learn_bad_day", value=text[:40])


def _number(text: str | None, *, refusal: str) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        raise InvalidDeviation(refusal, value=(text or "")[:40]) from None


def _plain(value: Any) -> Any:
    """Dates and moments as ISO text, for JSON and the templates alike."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _point_data(point: learning.LearningPoint, user: User) -> dict[str, Any]:
    return _plain(asdict(point)) | {"may_change": learning.may_change(user)}


# --- the list ------------------------------------------------------------------------


def _filters(status: str | None, organisation: str | None) -> learning.Filters:
    status = (status or "").strip() or None
    organisation = (organisation or "").strip() or None
    if status is not None and status not in learning.STATUSES:
        raise InvalidDeviation("learn_bad_status", value=status[:40],
                               known=", ".join(learning.STATUSES))
    if organisation is not None and organisation not in {o["org_id"] for o in
                                                          _organisations()}:
        raise InvalidDeviation("learn_unknown_owner", org=organisation[:40])
    return learning.Filters(status=status, organisation=organisation)


def _list(request: Request, user: User, db: Db, status: str | None,
          organisation: str | None, as_json: bool) -> Response:
    try:
        filters = _filters(status, organisation)
        points = learning.search(db, user, filters, ip=client_ip(request))
    except DeviationError as exc:
        return _refused(request, exc, as_json)
    data = {"filters": asdict(filters), "statuses": list(learning.STATUSES),
            "points": [_plain(asdict(p)) | {"by_status": {
                s: sum(m.status == s for m in p.measures) for s in learning.STATUSES}}
                for p in points]}
    if as_json:
        return JSONResponse(data)
    return render_page(request, "deviations/learning_list.html.j2", data | {
        "organisations": _organisations(), "may_change": learning.may_change(user)},
        title="learn_title")


@router.get("/avvik/laering.json", name="learning_list_json")
def list_json(request: Request, user: CurrentUser, db: Db, status: Annotated[
        str | None, Query(max_length=40)] = None, organisation: Annotated[
        str | None, Query(max_length=40)] = None) -> Response:
    return _list(request, user, db, status, organisation, as_json=True)


@router.get("/avvik/laering", name="learning_list")
def list_page(request: Request, user: CurrentUser, db: Db, status: Annotated[
        str | None, Query(max_length=40)] = None, organisation: Annotated[
        str | None, Query(max_length=40)] = None) -> Response:
    return _list(request, user, db, status, organisation, as_json=False)


# --- a new learning point ------------------------------------------------------------


def _new_form(request: Request, typed: dict[str, str], error: str | None = None,
              code: int = 200) -> HTMLResponse:
    return _status(render_page(request, "deviations/learning_new.html.j2",
                               {"typed": typed, "error": error}, title="learn_new_title"),
                   code)


@router.get("/avvik/laering/ny", name="learning_new")
def new_form(request: Request, user: CurrentUser,
             avvik: Annotated[str, Query(max_length=2000)] = "") -> Response:
    if not learning.may_change(user):
        return _refused(request, learning.NotAllowed("learn_not_allowed"), False)
    return _new_form(request, {"title": "", "description": "", "deviations": avvik})


@router.post("/avvik/laering/ny", name="learning_create")
def create(request: Request, user: CurrentUser, db: Db, title: FormText = "",
           description: FormText = "", deviations: FormText = "") -> Response:
    typed = {"title": title, "description": description, "deviations": deviations}
    try:
        point = learning.create(db, user, learning.Draft(
            title, description, learning.parse_ids(deviations)), ip=client_ip(request))
    except DeviationError as exc:
        return _new_form(request, typed, exc.message(language(request)), _code(exc))
    return RedirectResponse(f"/avvik/laering/{point.id}?done=created", status_code=303)


# --- one learning point --------------------------------------------------------------


def _detail(request: Request, db: Db, user: User, point_id: int, *,
            done: str | None = None, error: str | None = None, code: int = 200,
            typed: dict[str, Any] | None = None) -> Response:
    """The page of a learning point; after a refused change, the sentence and what the
    user typed (`typed`: which form, and its fields) instead of the stored values."""
    try:
        point = learning.read(db, user, point_id, ip=client_ip(request))
    except DeviationError as exc:
        return _refused(request, exc, False)
    data = _point_data(point, user) | {
        "done": done, "error": error, "typed": typed or {"form": ""},
        "statuses": list(learning.STATUSES), "organisations": _organisations(),
        "org_names": {o["org_id"]: o["name"] for o in _organisations()}}
    return _status(render_page(request, "deviations/learning_detail.html.j2", data,
                               title="learn_point_title"), code)


@router.get("/avvik/laering/{point_id}.json", name="learning_point_json")
def point_json(request: Request, point_id: int, user: CurrentUser, db: Db) -> Response:
    try:
        point = learning.read(db, user, point_id, ip=client_ip(request))
    except DeviationError as exc:
        return _refused(request, exc, True)
    return JSONResponse(_point_data(point, user))


@router.get("/avvik/laering/{point_id}", name="learning_point")
def point_page(request: Request, point_id: int, user: CurrentUser, db: Db, done: Annotated[
        str | None, Query(pattern=f"^({'|'.join(DONE)})$")] = None
               ) -> Response:
    return _detail(request, db, user, point_id, done=done)


@router.post("/avvik/laering/{point_id}", name="learning_update")
def update(request: Request, point_id: int, user: CurrentUser, db: Db, title: FormText = "",
           description: FormText = "", deviations: FormText = "",
           version: FormText = "") -> Response:
    typed = {"form": "point", "title": title, "description": description,
             "deviations": deviations, "version": version}
    try:
        learning.update(db, user, point_id, learning.Draft(
            title, description, learning.parse_ids(deviations)),
            version=_number(version, refusal="learn_bad_number"), ip=client_ip(request))
    except DeviationError as exc:
        return _after_refusal(request, db, user, point_id, exc, typed)
    return RedirectResponse(f"/avvik/laering/{point_id}?done=saved", status_code=303)


def _after_refusal(request: Request, db: Db, user: User, point_id: int,
                   exc: DeviationError, typed: dict[str, Any]) -> Response:
    if isinstance(exc, DeviationNotFound) and exc.key == "learn_not_found":
        return _refused(request, exc, False)
    return _detail(request, db, user, point_id, error=exc.message(language(request)),
                   code=_code(exc), typed=typed)


def _measure_draft(text: str, owner_org: str, owner_person: str, due_on: str,
                   status: str) -> learning.MeasureDraft:
    return learning.MeasureDraft(text=text, owner_org=owner_org, owner_person=owner_person,
                                 due_on=_day(due_on), status=status or "planlagt")


@router.post("/avvik/laering/{point_id}/tiltak", name="learning_measure_add")
def add_measure(request: Request, point_id: int, user: CurrentUser, db: Db,
                text: FormText = "", owner_org: FormText = "", owner_person: FormText = "",
                due_on: FormText = "", status: FormText = "") -> Response:
    typed = {"form": "new_measure", "text": text, "owner_org": owner_org,
             "owner_person": owner_person, "due_on": due_on, "status": status}
    try:
        learning.add_measure(db, user, point_id, _measure_draft(
            text, owner_org, owner_person, due_on, status), ip=client_ip(request))
    except DeviationError as exc:
        return _after_refusal(request, db, user, point_id, exc, typed)
    return RedirectResponse(f"/avvik/laering/{point_id}?done=measure_added", status_code=303)


@router.post("/avvik/laering/{point_id}/tiltak/{measure_id}", name="learning_measure_change")
def change_measure(request: Request, point_id: int, measure_id: int, user: CurrentUser,
                   db: Db, text: FormText = "", owner_org: FormText = "",
                   owner_person: FormText = "", due_on: FormText = "",
                   status: FormText = "", version: FormText = "") -> Response:
    typed = {"form": f"measure-{measure_id}", "text": text, "owner_org": owner_org,
             "owner_person": owner_person, "due_on": due_on, "status": status,
             "version": version}
    try:
        learning.change_measure(db, user, point_id, measure_id, _measure_draft(
            text, owner_org, owner_person, due_on, status),
            version=_number(version, refusal="learn_bad_number"), ip=client_ip(request))
    except DeviationError as exc:
        return _after_refusal(request, db, user, point_id, exc, typed)
    return RedirectResponse(f"/avvik/laering/{point_id}?done=measure_saved", status_code=303)


# --- the incident analysis -----------------------------------------------------------


def _incident_data(record: incident.Incident) -> dict[str, Any]:
    return _plain(asdict(record)) | {"step_codes": list(incident.STEPS),
                                     "notices": list(incident.NOTICES)}


def _incident_page(request: Request, db: Db, user: User, deviation_id: str, *,
                   done: bool = False, error: str | None = None, code: int = 200,
                   typed: dict[str, Any] | None = None) -> Response:
    try:
        record = incident.read(db, user, deviation_id, ip=client_ip(request))
    except DeviationError as exc:
        return _refused(request, exc, False)
    data = _incident_data(record) | {"done": done, "error": error, "typed": typed or {}}
    return _status(render_page(request, "deviations/learning_incident.html.j2", data,
                               title="incident_title"), code)


@router.get("/avvik/{deviation_id}/hendelsesanalyse.json", name="incident_json")
def incident_json(request: Request, deviation_id: str, user: CurrentUser,
                  db: Db) -> Response:
    try:
        record = incident.read(db, user, deviation_id, ip=client_ip(request))
    except DeviationError as exc:
        return _refused(request, exc, True)
    return JSONResponse(_incident_data(record))


@router.get("/avvik/{deviation_id}/hendelsesanalyse", name="incident_page")
def incident_form(request: Request, deviation_id: str, user: CurrentUser, db: Db,
                  done: Annotated[str | None, Query(pattern="^saved$")] = None) -> Response:
    return _incident_page(request, db, user, deviation_id, done=done == "saved")


@router.post("/avvik/{deviation_id}/hendelsesanalyse", name="incident_save")
async def incident_save(request: Request, deviation_id: str, user: CurrentUser,
                        db: Db) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    # The store's work off the event loop, as every page's.
    return await run_in_threadpool(incident_store, request, deviation_id, user, db, form)


def incident_store(request: Request, deviation_id: str, user: User, db: Db,
                   form: dict[str, str]) -> Response:
    """The form's fields: notice, notice_reason, notice_sent_on, notice_reference,
    conclusion, learning_id, version, and per step `<code>_on`, `<code>_by`."""
    try:
        draft = incident.Draft(
            notice=form.get("notice"), notice_reason=form.get("notice_reason"),
            notice_sent_on=_day(form.get("notice_sent_on")),
            notice_reference=form.get("notice_reference"),
            conclusion=form.get("conclusion"),
            learning_id=_number(form["learning_id"], refusal="incident_bad_learning")
            if form.get("learning_id", "").strip() else None,
            steps={code: (_day(form.get(f"{code}_on")), form.get(f"{code}_by"))
                   for code in incident.STEPS})
        incident.save(db, user, deviation_id, draft,
                      version=_number(form.get("version"), refusal="learn_bad_number"),
                      ip=client_ip(request))
    except DeviationError as exc:
        if isinstance(exc, DeviationNotFound) or exc.key == "incident_not_notifiable":
            return _refused(request, exc, False)
        return _incident_page(request, db, user, deviation_id,
                              error=exc.message(language(request)), code=_code(exc),
                              typed=form)
    return RedirectResponse(f"/avvik/{deviation_id}/hendelsesanalyse?done=saved",
                            status_code=303)
