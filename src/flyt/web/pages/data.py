"""Data: upload a file (the same import as `flyt import`: all or nothing, every row
error reported with row, column, value and reason), the import history, and how
complete each source is. For the hospital's administrators and analysts only."""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import jinja2
import sqlalchemy as sa
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flyt import i18n
from flyt.accounts import audit
from flyt.config import Settings
from flyt.deviations.pages import attachments as deviation_attachments
from flyt.ingest.errors import Text
from flyt.ingest.importer import import_file
from flyt.ingest.kinds import KIND_SPECS
from flyt.ingest.limits import DEFAULT
from flyt.ingest.limits import limits as configured_limits
from flyt.ingest.sources import BadSourceName, checked_source
from flyt.store import completeness as completeness_of
from flyt.store import schema
from flyt.store.db import Database
from flyt.web import freshness
from flyt.web.deps import AppSettings, DataKeeper, Db, User, client_ip
from flyt.web.freshness import Memo
from flyt.web.pages import formats, page  # noqa: F401  (formats: the template filters)
from flyt.web.render import environment, language, render_page

router = APIRouter()
HISTORY = 50
SUFFIXES = (".csv", ".xlsx")
_log = Memo(4)  # the import log changes only with an import (freshness)


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def history(db: Database) -> list[dict]:
    i = schema.imports.c
    query = sa.select(schema.imports).order_by(i.id.desc()).limit(HISTORY)
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [{"id": r.id, "kind": r.kind, "source": r.source, "file": r.file_name,
             "started_at": _iso(r.started_at), "finished_at": _iso(r.finished_at),
             "status": r.status, "read": r.rows_read, "new": r.rows_new,
             "updated": r.rows_updated, "unchanged": r.rows_unchanged,
             "rejected": r.rows_rejected, "message": r.message} for r in rows]


def completeness(db: Database) -> list[dict]:
    """Per kind and source: the newest accepted import, the newest attempt, and the
    newest record time in the data (how far the source reaches; flyt.store.completeness)."""
    return [{"kind": s.kind, "source": s.source, "last_ok": _iso(s.last_ok),
             "last_attempt": _iso(s.last_attempt), "attempts": s.attempts,
             "newest_record": _iso(completeness_of.newest_record(db, s.kind, s.source))}
            for s in completeness_of.sources(db)]


def data_page(db: Database, result: dict | None = None) -> dict:
    log = _log.get(db, (), lambda: {"history": history(db), "completeness": completeness(db)})
    return {"kinds": list(KIND_SPECS), "result": result, **log}


@page(router, "/data", "data.html.j2", title="data")
def data(user: DataKeeper, db: Db) -> dict:
    return data_page(db)


def _safe_name(name: str | None) -> str:
    base = Path(name or "upload.csv").name
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)[-120:] or "upload.csv"


# --- the upload ----------------------------------------------------------------------
#
# The body is bounded before it is read (UploadLimit), and everything after the form
# is parsed runs in a worker thread: copying the file, the import, the import log and
# the page with its (bounded) error list, so that a big bad file does not hold up
# every other user's pages.

UPLOAD_PATHS = frozenset({"/data/upload", "/data/upload.json"})
ERRORS_SHOWN = 200  # errors listed on the page and in its JSON; the total is given


class _TooLarge(BaseException):  # noqa: N818 - a signal, not a failure
    """The body passed the limit while it streamed in. A BaseException, so that no broad
    `except Exception` on its way out (the CSRF check's) takes it for a bad body."""


Refusal = Callable[[Scope, Receive, Send, int], Awaitable[None]]
# A form or an API request is text typed by a person or a small JSON document: the
# largest (a deviation's report, four texts of 10 000 characters) is far below this.
FORM_MAX_BYTES = 1 << 20


class UploadLimit:
    """Answers 413, in the user's language, to an upload larger than [ingest]
    max_upload_bytes: by its Content-Length before a byte of the body is read, or as
    soon as a body sent without one passes the limit. Plain ASGI, outside the session
    and CSRF middleware (the CSRF check reads the whole body). A deviation's attachment
    (/avvik/{id}/vedlegg) is bounded the same way by its own limit
    (flyt.deviations.pages.attachments)."""

    def __init__(self, app: ASGIApp, max_bytes: int | None = None) -> None:
        self.app = app
        self._max = max_bytes

    @property
    def max_bytes(self) -> int:
        if self._max is None:
            try:
                self._max = configured_limits().max_upload_bytes
            except ValueError:  # a broken [ingest] section: the upload itself says so
                self._max = DEFAULT.max_upload_bytes
        return self._max

    def _bound(self, scope: Scope) -> tuple[int, Refusal] | None:
        """The limit of this request's body and how to refuse it; None: not a POST."""
        if scope["type"] != "http" or scope["method"] != "POST":
            return None
        if scope["path"] in UPLOAD_PATHS:
            return self.max_bytes, _too_large
        if deviation_attachments.UPLOAD_PATH.fullmatch(scope["path"]):
            return deviation_attachments.body_limit(), deviation_attachments.too_large
        # Every other form or API body: the CSRF check would read it whole otherwise.
        return FORM_MAX_BYTES, _form_too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        bound = self._bound(scope)
        if bound is None:
            await self.app(scope, receive, send)
            return
        limit, refuse = bound
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await refuse(scope, receive, send, limit)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await refuse(scope, receive, send, limit)


async def _form_too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    lang = language(Request(scope))
    message = i18n.t("form_too_big", lang).format(limit=limit >> 20)
    path = scope["path"]
    response: Response = (
        JSONResponse({"detail": message}, status_code=413)
        if path.startswith("/api/") or path.endswith(".json")
        else HTMLResponse(_refused_page().render(lang=lang, title=i18n.t("form_rejected", lang),
                                                 message=message,
                                                 t=lambda key: i18n.t(key, lang)),
                          status_code=413))
    response.headers["Connection"] = "close"  # the rest of the body is not wanted
    await response(scope, receive, send)


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    request = Request(scope)
    lang = language(request)
    message = Text.of("ingest_upload_too_big", limit=limit >> 20)(lang)
    if scope["path"].endswith(".json"):
        response: Response = JSONResponse({"status": "rejected", "message": message},
                                          status_code=413)
    else:
        html = _refused_page().render(lang=lang, title=i18n.t("upload_rejected", lang),
                                      message=message, t=lambda key: i18n.t(key, lang))
        response = HTMLResponse(html, status_code=413)
    response.headers["Connection"] = "close"  # the rest of the body is not wanted
    await response(scope, receive, send)


@functools.cache
def _refused_page() -> jinja2.Template:
    return environment().from_string(
        '{% extends "base.html.j2" %}{% block main %}<p role="alert">{{ message }}</p>'
        '<p><a href="/data">{{ t("data") }}</a></p>{% endblock %}')


@dataclass(frozen=True)
class Upload:
    kind: str
    source: str
    name: str  # safe file name
    file: BinaryIO  # the uploaded bytes (spooled by Starlette)
    new_records: bool = False  # the box "New records": not those under another source


def _refusal(upload: Upload, text: Text, lang: str) -> dict:
    """A result for an upload refused before any import (nothing is logged)."""
    return {"kind": upload.kind, "file": upload.name, "source": upload.source,
            "status": "rejected", "read": 0, "accepted": 0, "rejected": 0, "new": 0,
            "updated": 0, "unchanged": 0, "removed": 0, "message": text(lang), "warnings": [],
            "error_count": 0, "errors": [], "import_id": None}


def run_upload(db: Database, settings: Settings, user: User, ip: str, upload: Upload,
               lang: str) -> dict:
    """The import of an uploaded file and its result for the page (blocking: call it in
    a worker thread). Errors: the first ERRORS_SHOWN, in the user's language."""
    if upload.kind not in KIND_SPECS:
        return _refusal(upload, Text.of("ingest_unknown_kind", kind=upload.kind[:40],
                                        kinds=", ".join(KIND_SPECS)), lang)
    if not upload.name.lower().endswith(SUFFIXES):
        return _refusal(upload, Text.of("ingest_not_csv_or_xlsx"), lang)
    try:
        checked_source(upload.source)
    except BadSourceName as bad:
        return _refusal(upload, bad.text, lang)
    try:
        limits = configured_limits()
    except ValueError as broken:  # the configuration file's [ingest] section
        return _refusal(upload, Text.of("ingest_configuration", why=str(broken)), lang)
    with tempfile.TemporaryDirectory(prefix="flyt-upload-") as folder:
        path = Path(folder) / upload.name
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        report = import_file(db, upload.kind, path, settings=settings, source=upload.source,
                             new_records=upload.new_records, limits=limits)
    freshness.forget()  # every page shows the import at once
    audit.record(db, user, "import.upload", upload.kind,
                 detail=f"{report.file_name}: {report.status}, {report.rows_read} rows", ip=ip)
    result = report.as_dict(lang=lang, max_errors=ERRORS_SHOWN)
    if report.elsewhere is not None:  # what to do about it, on this page
        result["message"] += ". " + report.elsewhere.hint(web=True)(lang)
    return result


Kind = Annotated[str, Form(max_length=40)]
Source = Annotated[str, Form(max_length=200)]
Uploaded = Annotated[UploadFile, File(description="CSV or XLSX in the canonical format")]
NewRecords = Annotated[bool, Form(description="The records are new even where the same "
                                              "ones exist under another source")]


def _upload(kind: str, source: str, file: UploadFile, new_records: bool) -> Upload:
    return Upload(kind, source.strip() or "default", _safe_name(file.filename), file.file,
                  new_records)


@router.post("/data/upload", response_class=HTMLResponse, name="upload")
async def upload(request: Request, user: DataKeeper, db: Db, settings: AppSettings,
                 kind: Kind, file: Uploaded, source: Source = "default",
                 new_records: NewRecords = False) -> HTMLResponse:
    def work() -> HTMLResponse:
        result = run_upload(db, settings, user, client_ip(request),
                            _upload(kind, source, file, new_records), language(request))
        response = render_page(request, "data.html.j2", data_page(db, result), title="data")
        response.status_code = 200 if result["status"] == "ok" else 422
        return response

    return await run_in_threadpool(work)


@router.post("/data/upload.json", name="upload_json")
async def upload_json(request: Request, user: DataKeeper, db: Db, settings: AppSettings,
                      kind: Kind, file: Uploaded, source: Source = "default",
                      new_records: NewRecords = False) -> JSONResponse:
    result = await run_in_threadpool(run_upload, db, settings, user, client_ip(request),
                                     _upload(kind, source, file, new_records),
                                     language(request))
    return JSONResponse(result, status_code=200 if result["status"] == "ok" else 422)
