"""/api/avvik: the JSON API for machines and other systems (spec/deviations.md, "API").

    POST /api/avvik               report a deviation               201 {id, version, status}
    GET  /api/avvik/{id}          one deviation, its history       200
    POST /api/avvik/{id}/status   a step of the workflow           200 {id, version, status}
    GET  /api/avvik?…             the list one may see, filtered   200 {total, offset, limit, items}

A caller signs in with a bearer token (flyt.web.auth.bearer) or, from the dashboard, with
its session cookie (and then the CSRF header on POST). Everything goes through
flyt.deviations.handling: checked, and audited. Every error is `{"detail": "…"}` in
English, or Norwegian with `?lang=nb` or `Accept-Language: nb`; a deviation one may not
see is 404 with the very body of one that does not exist.

Bodies are read here, not by FastAPI, so that their size is bounded before they are
parsed and every refusal is one clear sentence; the OpenAPI still describes them.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flyt import i18n
from flyt.deviations import codes, handling, listing
from flyt.deviations.errors import (
    DeviationError,
    DeviationNotFound,
    InvalidDeviation,
    StaleVersion,
    TransitionRefused,
)
from flyt.deviations.records import Deviation, NewDeviation
from flyt.deviations.settings import load_deviation_settings
from flyt.domain import clock
from flyt.web.auth.bearer import api_language
from flyt.web.deps import CurrentUser, Db, client_ip

MAX_BODY = 64 * 1024  # a report is a few kilobytes; more is not one
MAX_RECEIVERS = 20
ORG = Annotated[str, Field(max_length=40, examples=["stolav"])]
CODE = Annotated[str, Field(max_length=60)]
LINE = Annotated[str, Field(max_length=300)]
TEXT = Annotated[str, Field(max_length=10_000)]
# Given by Flyt, never by the reporter.
FLYT_FIELDS = ("id", "reported_at", "status", "version", "history")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# The OpenAPI's bearer scheme. auto_error=False: who the caller is was settled before
# the route (flyt.web.auth.bearer), with its own 401 answers.
bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearer",
                           description="A token from `flyt token create --user NAME`.")
router = APIRouter(prefix="/api/avvik", tags=["avvik"],
                   dependencies=[Depends(bearer_scheme)])


# --- the bodies ---------------------------------------------------------------------

class _Strict(BaseModel):
    # strict: "true" is not a boolean and "3" not a number; unknown fields are refused.
    model_config = ConfigDict(extra="forbid", strict=True)


class ReportIn(_Strict):
    """A new deviation (spec/deviations.md, "A deviation")."""

    reporter_org: ORG = Field(description="Your own organisation's org_id.")
    receiver_org: list[ORG] | ORG = Field(
        description="The receivers' org_ids: a list, or one as a string.",
        examples=[["stolav"]])
    occurred_at: str = Field(
        max_length=40, description="When it happened, Oslo time, ISO 8601: a date "
        "(2024-11-20) or a date and time (2024-11-20T14:30).",
        examples=["2024-11-20T14:30"])
    category: CODE = Field(examples=["utskrivning"])
    subcategory: CODE | None = None
    severity: CODE = Field(examples=["moderat_skade"])
    level: CODE = Field(description="pasient or system.", examples=["pasient"])
    agreement_clause: LINE | None = Field(None, description="Required for level system.")
    patient_ref: CODE | None = Field(None, description="A pseudonymous reference; never a "
                                     "national identity number.")
    place: LINE | None = None
    summary: LINE = Field(examples=["Utskrevet uten legemiddelliste"])
    description: TEXT | None = None
    immediate_action: TEXT | None = None
    anonymous: bool = Field(False, description="Hide the reporting person from the receiver.")


class StatusIn(_Strict):
    """A step of the workflow, based on the version the caller has seen."""

    to: CODE = Field(examples=["mottatt"])
    version: int = Field(ge=1, description="The version the step is based on.")
    comment: TEXT | None = None
    answer: TEXT | None = Field(None, description="Required for besvart.")
    reason: TEXT | None = Field(None, description="Required for avvist.")


class Changed(BaseModel):
    id: str = Field(examples=["AV-2024-00017"])
    version: int
    status: str


class EventOut(BaseModel):
    """One step: the organisation that took it (persons are not given out here)."""

    version: int
    at: str
    organisation: str | None
    from_status: str | None
    to_status: str
    comment: str | None
    answer: str | None
    reason: str | None


class DeviationOut(BaseModel):
    id: str
    version: int
    status: str
    reporter_org: str
    receiver_org: list[str]
    occurred_at: str = Field(description="A date, or a date and time (Oslo).")
    reported_at: str
    category: str
    subcategory: str | None
    severity: str
    level: str
    agreement_clause: str | None
    patient_ref: str | None = Field(description="Not shown to the improvement group.")
    place: str | None
    summary: str
    description: str | None
    immediate_action: str | None
    anonymous: bool
    source: str | None
    source_id: str | None
    acknowledged_at: str | None
    answered_at: str | None
    closed_at: str | None
    history: list[EventOut]


class ItemOut(BaseModel):
    id: str
    version: int
    status: str
    reporter_org: str
    receiver_org: list[str]
    occurred_at: str
    reported_at: str
    category: str
    severity: str
    level: str
    summary: str
    overdue: list[str] = Field(description="The steps past their deadline today.")


class ListOut(BaseModel):
    total: int = Field(description="Every match, not only this page.")
    offset: int
    limit: int
    items: list[ItemOut]


class Problem(BaseModel):
    detail: str = Field(examples=["Deviation AV-2024-00017 not found."])


def _errors(*codes_: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem} for code in (401, *codes_)}


def _body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI of a body the route reads itself."""
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": model.model_json_schema()}}}}


# --- errors -----------------------------------------------------------------------

class Refused(Exception):  # noqa: N818 - an answer, not a fault
    """A request refused with `status` and a sentence for the caller."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


_STATUS_OF = ((DeviationNotFound, 404), (StaleVersion, 409), (TransitionRefused, 422),
              (InvalidDeviation, 422))


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


def _refusal(exc: Exception, lang: str) -> JSONResponse:
    if isinstance(exc, Refused):
        return _problem(exc.status, exc.message)
    assert isinstance(exc, DeviationError)
    status = next((code for kind, code in _STATUS_OF if isinstance(exc, kind)), 422)
    return _problem(status, exc.message(lang))


# --- reading a body ---------------------------------------------------------------

async def _json_body(request: Request, lang: str) -> dict[str, Any]:
    """The body as a JSON object, at most MAX_BODY bytes (413 as soon as it passes)."""
    length = request.headers.get("content-length", "")
    too_large = Refused(413, i18n.t("api_too_large", lang).format(
        max=i18n.number(MAX_BODY // 1024, 0, lang)))
    if length.isdigit() and int(length) > MAX_BODY:
        raise too_large
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise too_large
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise Refused(422, i18n.t("api_bad_json", lang)) from None
    if not isinstance(value, dict):
        raise Refused(422, i18n.t("api_not_object", lang))
    return value


M = TypeVar("M", bound=BaseModel)


def _validated(model: type[M], body: dict[str, Any], lang: str) -> M:
    """`body` as `model`, or 422 naming the fields that are wrong."""
    given_by_flyt = [f for f in FLYT_FIELDS if f in body and f not in model.model_fields]
    if given_by_flyt:
        raise Refused(422, i18n.t("api_flyt_fields", lang).format(
            fields=", ".join(given_by_flyt)))
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise Refused(422, _explained(exc, lang)) from None


def _explained(exc: ValidationError, lang: str) -> str:
    """One sentence for what is wrong: the unknown fields, else the missing ones, else
    the first wrong one."""
    errors = exc.errors()
    unknown = [str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden"]
    if unknown:
        return i18n.t("api_unknown_fields", lang).format(fields=_names(unknown))
    missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing"]
    if missing:
        return i18n.t("api_missing_fields", lang).format(fields=", ".join(missing))
    first = errors[0]
    field = str(first["loc"][0]) if first["loc"] else "?"
    limit = (first.get("ctx") or {}).get("max_length")
    if first["type"] == "string_too_long":
        return i18n.t("api_too_long", lang).format(field=field, max=limit)
    if first["type"] == "too_long":
        return i18n.t("api_too_many", lang).format(field=field, max=limit)
    return i18n.t("api_bad_field", lang).format(field=field, expected=_expected(field, lang))


def _names(names: list[str], most: int = 10, longest: int = 40) -> str:
    """Names the caller chose, echoed bounded: a hostile body's keys may be anything."""
    shown = [n if len(n) <= longest else n[:longest] + "…" for n in names[:most]]
    return ", ".join(shown) + (", …" if len(names) > most else "")


def _expected(field: str, lang: str) -> str:
    if field == "anonymous":
        return i18n.t("api_expect_boolean", lang)
    if field == "version":
        return i18n.t("api_expect_version", lang)
    if field == "receiver_org":
        return i18n.t("api_expect_receivers", lang)
    return i18n.t("api_expect_text", lang)


def _moment(text: str, lang: str) -> date | datetime:
    """A date, or a date and time (Oslo wall clock; one with an offset is turned into
    it)."""
    try:
        if _DATE.match(text):
            return date.fromisoformat(text)
        if "T" not in text and " " not in text:
            raise ValueError(text)
        return clock.wall_clock(datetime.fromisoformat(text))
    except ValueError:
        raise Refused(422, i18n.t("api_bad_moment", lang).format(field="occurred_at")) from None


def _new_deviation(given: ReportIn, lang: str) -> NewDeviation:
    receivers = ([given.receiver_org] if isinstance(given.receiver_org, str)
                 else list(given.receiver_org))
    if len(receivers) > MAX_RECEIVERS:
        raise Refused(422, i18n.t("api_too_many", lang).format(field="receiver_org",
                                                               max=MAX_RECEIVERS))
    values = given.model_dump(exclude={"receiver_org", "occurred_at"})
    return NewDeviation(receiver_orgs=receivers,
                        occurred_at=_moment(given.occurred_at, lang), **values)


# --- what goes out ----------------------------------------------------------------

def _iso(at: datetime | None, has_time: bool = True) -> str | None:
    if at is None:
        return None
    if not has_time:
        return at.date().isoformat()
    return at.isoformat(timespec="seconds" if at.second else "minutes")


def _changed(item: Deviation) -> dict[str, Any]:
    return {"id": item.id, "version": item.version, "status": item.status}


def _deviation_out(item: Deviation) -> dict[str, Any]:
    history = [{"version": e.version, "at": _iso(e.created_at), "organisation": e.organisation,
                "from_status": e.from_status, "to_status": e.to_status, "comment": e.comment,
                "answer": e.answer, "reason": e.reason} for e in item.history]
    return {
        **_changed(item), "reporter_org": item.reporter_org,
        "receiver_org": list(item.receiver_orgs),
        "occurred_at": _iso(item.occurred_at, item.occurred_has_time),
        "reported_at": _iso(item.reported_at), "category": item.category,
        "subcategory": item.subcategory, "severity": item.severity, "level": item.level,
        "agreement_clause": item.agreement_clause, "patient_ref": item.patient_ref,
        "place": item.place, "summary": item.summary, "description": item.description,
        "immediate_action": item.immediate_action, "anonymous": item.anonymous,
        "source": item.source, "source_id": item.source_id,
        "acknowledged_at": _iso(item.acknowledged_at), "answered_at": _iso(item.answered_at),
        "closed_at": _iso(item.closed_at), "history": history}


def _item_out(line: listing.Line) -> dict[str, Any]:
    return {"id": line.id, "version": line.version, "status": line.status,
            "reporter_org": line.reporter_org, "receiver_org": list(line.receiver_orgs),
            "occurred_at": _iso(line.occurred_at, line.occurred_has_time),
            "reported_at": _iso(line.reported_at), "category": line.category,
            "severity": line.severity, "level": line.level, "summary": line.summary,
            "overdue": sorted(line.overdue)}


# --- the routes -------------------------------------------------------------------

@router.post("", status_code=201, response_model=Changed, responses=_errors(413, 422),
             openapi_extra=_body_doc(ReportIn), summary="Report a deviation")
async def report(request: Request, user: CurrentUser, db: Db) -> JSONResponse:
    """Report a deviation for your own organisation (status meldt, version 1)."""
    lang = api_language(request.scope)
    try:
        given = _validated(ReportIn, await _json_body(request, lang), lang)
        new = _new_deviation(given, lang)
        item = await run_in_threadpool(handling.report, db, user, new, ip=client_ip(request))
    except (Refused, DeviationError) as exc:
        return _refusal(exc, lang)
    return JSONResponse(_changed(item), status_code=201)


@router.get("/{deviation_id}", response_model=DeviationOut, responses=_errors(404),
            summary="One deviation with its history")
def read(deviation_id: str, request: Request, user: CurrentUser, db: Db) -> JSONResponse:
    """The deviation as you may see it (the improvement group: without patient_ref)."""
    lang = api_language(request.scope)
    try:
        item = handling.read(db, user, deviation_id, ip=client_ip(request))
    except DeviationError as exc:
        return _refusal(exc, lang)
    return JSONResponse(_deviation_out(item))


@router.post("/{deviation_id}/status", response_model=Changed,
             responses=_errors(404, 409, 413, 422), openapi_extra=_body_doc(StatusIn),
             summary="Move a deviation to another status")
async def change(deviation_id: str, request: Request, user: CurrentUser,
                 db: Db) -> JSONResponse:
    """A step of the workflow. 409: the deviation changed since `version`; 422: the step
    is not allowed (or for the other side), or its answer or reason is missing."""
    lang = api_language(request.scope)
    try:
        given = _validated(StatusIn, await _json_body(request, lang), lang)
        moved = await run_in_threadpool(
            lambda: handling.change(db, user, deviation_id, given.to, version=given.version,
                                    comment=given.comment, answer=given.answer,
                                    reason=given.reason, ip=client_ip(request)))
    except (Refused, DeviationError) as exc:
        return _refusal(exc, lang)
    return JSONResponse(_changed(moved))


def _query(name: str, description: str, **schema: Any) -> Any:
    """A query parameter taken as text and checked by `_filters` (one sentence for a bad
    value, in the API's error shape), described in the OpenAPI as what it must be."""
    return Query(alias=name, description=description, json_schema_extra=schema or None)


def _day(name: str, text: str | None, lang: str) -> date | None:
    if not text:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(422, i18n.t("api_bad_date", lang).format(name=name)) from None


def _whole(name: str, text: str | None, default: int, low: int, high: int,
           lang: str) -> int:
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise Refused(422, i18n.t("api_bad_number", lang).format(name=name, low=low,
                                                                 high=high))
    return int(text)


def _flag(text: str | None, lang: str) -> bool:
    if text is None or text.lower() in ("", "false", "0", "no"):
        return False
    if text.lower() in ("true", "1", "yes"):
        return True
    raise Refused(422, i18n.t("api_bad_flag", lang).format(name="overdue"))


QUERY = ("from", "to", "category", "severity", "organisation", "status", "overdue", "q",
         "offset", "limit", "lang")
MAX_QUERY_VALUE = 200  # the free text's limit (listing.MAX_TEXT); codes are far shorter


def _filters(request: Request, lang: str) -> tuple[listing.Filters, int, int]:
    """The filters, offset and limit asked for, or 422 for the first that is wrong."""
    params = request.query_params
    unknown = sorted(set(params) - set(QUERY))
    if unknown:
        raise Refused(422, i18n.t("api_unknown_parameters", lang).format(
            names=_names(unknown)))
    for name, value in params.multi_items():
        if len(value) > MAX_QUERY_VALUE:
            raise Refused(422, i18n.t("api_too_long", lang).format(field=name,
                                                                   max=MAX_QUERY_VALUE))
    get = params.get
    category, severity, status = get("category"), get("severity"), get("status")
    filters = listing.Filters(
        occurred_from=_day("from", get("from"), lang), occurred_to=_day("to", get("to"), lang),
        category=(codes.parse_category(category, load_deviation_settings().categories)
                  if category else None),
        severity=codes.parse_severity(severity) if severity else None,
        organisation=get("organisation") or None,
        status=codes.parse_status(status) if status else None,
        overdue=_flag(get("overdue"), lang), text=get("q") or None)
    offset = _whole("offset", get("offset"), 0, 0, 10_000_000, lang)
    limit = _whole("limit", get("limit"), listing.PAGE_SIZE, 1, listing.MAX_PAGE_SIZE, lang)
    return filters, offset, limit


@router.get("", response_model=ListOut, responses=_errors(422),
            summary="The deviations you may see, filtered and paged")
def search(
    request: Request, user: CurrentUser, db: Db,
    from_: Annotated[str | None, _query("from", "Occurred on or after this day.",
                                        format="date")] = None,
    to: Annotated[str | None, _query("to", "Occurred on or before this day.",
                                     format="date")] = None,
    category: Annotated[str | None, _query("category", "A category code.")] = None,
    severity: Annotated[str | None, _query("severity", "A severity code.")] = None,
    organisation: Annotated[str | None, _query(
        "organisation", "An org_id, as reporter or receiver.")] = None,
    status: Annotated[str | None, _query("status", "A status code.")] = None,
    overdue: Annotated[str | None, _query("overdue", "true: only those with a step past "
                                          "its deadline today.", enum=["true", "false"])] = None,
    q: Annotated[str | None, _query("q", "Free text in the id, summary, description, "
                                    "immediate action, place and clause.")] = None,
    offset: Annotated[str | None, _query("offset", "Skip this many (default 0).",
                                         pattern="^[0-9]+$")] = None,
    limit: Annotated[str | None, _query(
        "limit", f"At most this many (default {listing.PAGE_SIZE}, at most "
        f"{listing.MAX_PAGE_SIZE}).", pattern="^[0-9]+$")] = None,
) -> JSONResponse:
    """Newest reported first. The parameters are read from the request (`_filters`);
    they are named here for the OpenAPI."""
    lang = api_language(request.scope)
    try:
        filters, first, most = _filters(request, lang)
        page = handling.search(db, user, filters, on=clock.today(), offset=first,
                               limit=most, ip=client_ip(request))
    except (Refused, DeviationError) as exc:
        return _refusal(exc, lang)
    return JSONResponse({"total": page.total, "offset": page.offset, "limit": page.limit,
                         "items": [_item_out(line) for line in page.lines]})
