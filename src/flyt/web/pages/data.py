"""Data: upload a file (the same import as `flyt import`: all or nothing, every row
error reported with row, column, value and reason), the import history, and how
complete each source is. For the hospital's administrators and analysts only."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

from flyt.config import Settings
from flyt.ingest.importer import import_file
from flyt.ingest.kinds import KIND_SPECS
from flyt.store import schema
from flyt.store.db import Database
from flyt.web import audit, freshness
from flyt.web.deps import AppSettings, DataKeeper, Db, User, client_ip
from flyt.web.freshness import Memo
from flyt.web.pages import formats, page  # noqa: F401  (formats: the template filters)
from flyt.web.render import render_page

router = APIRouter()
HISTORY = 50
MAX_BYTES = 512 * 1024 * 1024  # a year of stays for the whole community is far below this
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
    newest record time in the data (how far the source reaches)."""
    i = schema.imports.c
    ok = sa.case((i.status == "ok", i.finished_at))
    query = (sa.select(i.kind, i.source, sa.func.max(ok).label("last_ok"),
                       sa.func.max(i.finished_at).label("last_attempt"),
                       sa.func.count().label("attempts"))
             .group_by(i.kind, i.source).order_by(i.kind, i.source))
    reach = {"stays": (schema.stays, "admitted_at"), "ukp-periods": (schema.ukp_periods,
                                                                      "ready_from"),
             "short-stays": (schema.short_stays, "started_at"), "beds": (schema.bed_census,
                                                                        "counted_at")}
    out = []
    with db.engine.connect() as conn:
        for r in conn.execute(query).all():
            table, column = reach.get(r.kind, (None, None))
            newest = None
            if table is not None:
                newest = conn.execute(sa.select(sa.func.max(table.c[column]))
                                      .where(table.c.source == r.source)).scalar()
            out.append({"kind": r.kind, "source": r.source, "last_ok": _iso(r.last_ok),
                        "last_attempt": _iso(r.last_attempt), "attempts": int(r.attempts),
                        "newest_record": _iso(newest)})
    return out


def data_page(db: Database, result: dict | None = None) -> dict:
    log = _log.get(db, (), lambda: {"history": history(db), "completeness": completeness(db)})
    return {"kinds": list(KIND_SPECS), "result": result, **log}


@page(router, "/data", "data.html.j2", title="data")
def data(user: DataKeeper, db: Db) -> dict:
    return data_page(db)


def _safe_name(name: str | None) -> str:
    base = Path(name or "upload.csv").name
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)[-120:] or "upload.csv"


async def _import(request: Request, user: User, db: Database, settings: Settings, kind: str,
                  source: str, upload: UploadFile) -> dict:
    if kind not in KIND_SPECS:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, f"unknown kind {kind}")
    name = _safe_name(upload.filename)
    if not name.lower().endswith(SUFFIXES):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "send a .csv or .xlsx file")
    with tempfile.TemporaryDirectory(prefix="flyt-upload-") as folder:
        path = Path(folder) / name
        size = 0
        with path.open("wb") as out:
            while chunk := await upload.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "file too big")
                out.write(chunk)
        # The import parses, writes and recomputes: seconds of work off the event loop.
        report = await run_in_threadpool(import_file, db, kind, path, settings=settings,
                                         source=source.strip() or "default")
    freshness.forget()  # every page shows the import at once
    audit.record(db, user, "import.upload", kind,
                 detail=f"{name}: {report.status}, {report.rows_read} rows",
                 ip=client_ip(request))
    return report.as_dict()


Kind = Annotated[str, Form()]
Source = Annotated[str, Form()]
Upload = Annotated[UploadFile, File(description="CSV or XLSX in the canonical format")]


@router.post("/data/upload", response_class=HTMLResponse, name="upload")
async def upload(request: Request, user: DataKeeper, db: Db, settings: AppSettings,
                 kind: Kind, file: Upload, source: Source = "default") -> HTMLResponse:
    result = await _import(request, user, db, settings, kind, source, file)
    response = render_page(request, "data.html.j2", data_page(db, result), title="data")
    response.status_code = 200 if result["status"] == "ok" else 422
    return response


@router.post("/data/upload.json", name="upload_json")
async def upload_json(request: Request, user: DataKeeper, db: Db, settings: AppSettings,
                      kind: Kind, file: Upload, source: Source = "default") -> JSONResponse:
    result = await _import(request, user, db, settings, kind, source, file)
    return JSONResponse(result, status_code=200 if result["status"] == "ok" else 422)
