"""Rapporter: download the monthly report, the snapshot and the payment basis.

The files are the very ones `flyt report` writes (flyt.reports), streamed. Editions
follow the user: a municipality gets its own edition (its figures exact), everyone
else the shared edition, which is the document meant to leave the hospital. The
payment basis is exact by nature (it is billed): the hospital's administrators and
analysts see every municipality, a municipality its own line, readers nothing.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from flyt import i18n
from flyt.domain.months import parse_moment
from flyt.reports import monthly, payment_render
from flyt.reports import snapshot as snapshot_report
from flyt.reports.payment import PaymentError, gather
from flyt.reports.payment_rates import load_payment_settings
from flyt.web.deps import AppSettings, CurrentUser, Db, User
from flyt.web.pages import formats, page  # noqa: F401  (formats: the template filters)
from flyt.web.pages.common import Cutoff, Month, report_month
from flyt.web.render import language

router = APIRouter()
MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
         "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def own_edition(user: User) -> str | None:
    return user.municipality if user.role == "municipality" else None


def download(content: bytes | str, fmt: str, name: str) -> Response:
    body = content.encode("utf-8") if isinstance(content, str) else content
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@page(router, "/reports", "reports.html.j2", title="reports")
def reports(user: CurrentUser, cutoff: Cutoff, month: Month) -> dict:
    chosen = report_month(month, cutoff)
    query = f"month={chosen:%Y-%m}&cutoff={cutoff:%Y-%m-%d}"
    links = [{"report": "monthly", "format": f, "href": f"/reports/monthly.{f}?{query}"}
             for f in ("pdf", "xlsx")]
    links += [{"report": "snapshot", "format": f, "href": f"/reports/snapshot.{f}"}
              for f in ("pdf", "xlsx")]
    if user.role != "reader":
        links += [{"report": "payment", "format": f, "href": f"/reports/payment.{f}?{query}"}
                  for f in ("pdf", "xlsx", "csv")]
    return {"month": f"{chosen:%Y-%m}", "cutoff": cutoff.isoformat(timespec="minutes"),
            "edition": own_edition(user) or "shared", "links": links}


@router.get("/reports/monthly.{fmt}", name="monthly_report")
async def monthly_file(request: Request, fmt: Literal["pdf", "xlsx", "html"],
                       user: CurrentUser, db: Db, settings: AppSettings, cutoff: Cutoff,
                       month: Month) -> Response:
    lang = language(request)
    data = monthly.build(db, settings, report_month(month, cutoff), cutoff=cutoff,
                         municipality=own_edition(user))
    if fmt == "xlsx":
        content: bytes | str = monthly.to_xlsx(data, lang)
    else:
        document = monthly.to_html(data, lang)
        content = (await run_in_threadpool(_pdf, document)) if fmt == "pdf" else document
    return download(content, fmt, f"flyt-{i18n.t('monthly_file', lang)}-{data.month_key}")


@router.get("/reports/snapshot.{fmt}", name="snapshot_report")
async def snapshot_file(request: Request, fmt: Literal["pdf", "xlsx", "html"],
                        user: CurrentUser, db: Db, settings: AppSettings,
                        at: Annotated[str | None, Query()] = None) -> Response:
    lang = language(request)
    try:
        moment = parse_moment(at) if at else datetime.now().replace(second=0, microsecond=0)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None
    built = snapshot_report.build(db, settings, moment, own_edition(user))
    if fmt == "xlsx":
        content: bytes | str = snapshot_report.to_xlsx(built, lang)
    else:
        document = snapshot_report.to_html(built, lang)
        content = (await run_in_threadpool(_pdf, document)) if fmt == "pdf" else document
    return download(content, fmt,
                    f"flyt-{i18n.t('snapshot_file', lang)}-{moment:%Y-%m-%d-%H%M}")


@router.get("/reports/payment.{fmt}", name="payment_report")
async def payment_file(request: Request, fmt: Literal["pdf", "xlsx", "csv"],
                       user: CurrentUser, db: Db, settings: AppSettings, cutoff: Cutoff,
                       month: Month) -> Response:
    if user.role == "reader":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the payment basis is not for readers")
    lang = language(request)
    try:
        basis = gather(db, report_month(month, cutoff), cutoff, load_payment_settings(),
                       settings.goals)
    except PaymentError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None
    if user.role == "municipality":  # its own line only: the others' bills are theirs
        basis = dataclasses.replace(basis, lines=tuple(
            line for line in basis.lines if line.municipality == user.municipality))
    name = f"flyt-payment-{basis.month:%Y-%m}"
    if fmt == "csv":
        columns, records = payment_render.csv_records(basis, scenario=True)
        lines = [",".join(columns)] + [",".join(str(r[c]) for c in columns) for r in records]
        return download("\n".join(lines) + "\n", fmt, name)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        payment_render.xlsx(basis, buffer, lang)
        return download(buffer.getvalue(), fmt, name)
    return download(await run_in_threadpool(payment_render.pdf, basis, lang), fmt, name)


def _pdf(document: str) -> bytes:
    from flyt.reports import render

    return render.pdf(document)
