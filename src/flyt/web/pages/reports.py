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
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import Response

from flyt import i18n
from flyt.domain.months import parse_moment
from flyt.engine import moments
from flyt.output import writers
from flyt.reports import monthly, payment_render
from flyt.reports import snapshot as snapshot_report
from flyt.reports.payment import PaymentError, gather
from flyt.reports.payment_rates import PaymentConfigError, load_payment_settings
from flyt.web.deps import AppSettings, CurrentUser, Db
from flyt.web.freshness import Memo
from flyt.web.pages import formats, page  # noqa: F401  (formats: the template filters)
from flyt.web.pages.common import Cutoff, Month, report_month
from flyt.web.pages.snapshot import shot
from flyt.web.render import language

router = APIRouter()
MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
         "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def download(content: bytes | str, fmt: str, name: str) -> Response:
    body = content.encode("utf-8") if isinstance(content, str) else content
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@page(router, "/reports", "reports.html.j2", title="reports")
def reports(request: Request, user: CurrentUser, cutoff: Cutoff, month: Month) -> dict:
    chosen = report_month(month, cutoff)
    query = f"month={chosen:%Y-%m}&cutoff={cutoff:%Y-%m-%d}"
    links = [{"report": "monthly", "format": f, "href": f"/reports/monthly.{f}?{query}"}
             for f in ("pdf", "xlsx")]
    links += [{"report": "snapshot", "format": f, "href": f"/reports/snapshot.{f}"}
              for f in ("pdf", "xlsx")]
    data: dict[str, Any] = {
        "month": f"{chosen:%Y-%m}", "cutoff": cutoff.isoformat(timespec="minutes"),
        "edition": user.own_municipality or "shared", "links": links}
    if user.role != "reader":
        links += [{"report": "payment", "format": f, "href": f"/reports/payment.{f}?{query}"}
                  for f in ("pdf", "xlsx", "csv")]
        data["payment"] = payment_rate(chosen.year, language(request))
    return data


def payment_rate(year: int, lang: str) -> dict:
    """The day rate the payment basis of a month of `year` is billed at: whose rate it
    is and whether it is provisional (machines read `provisional`, people `note`); or
    why there is none (`error`), never a failure of the page."""
    try:
        rate = load_payment_settings().day_rate(year)
    except PaymentConfigError as exc:
        return {"year": year, "error": payment_render.error_text(exc, lang)}
    return {"year": year, "rate": payment_render.plain(rate.amount), "rate_year": rate.rate_year,
            "provisional": rate.provisional, "configured": rate.configured,
            "note": (payment_render.provisional_note(rate, lang)
                     or payment_render.rate_note(rate, lang))}


# Rendered files, per data stamp (freshness): a PDF takes seconds, and the committee
# downloads the same month's report many times.
_files = Memo(32)


@router.get("/reports/monthly.{fmt}", name="monthly_report")
def monthly_file(request: Request, fmt: Literal["pdf", "xlsx", "html"], user: CurrentUser,
                 db: Db, settings: AppSettings, cutoff: Cutoff, month: Month) -> Response:
    """Sync (FastAPI runs it in a worker thread): building and rendering take seconds."""
    lang, chosen, own = language(request), report_month(month, cutoff), user.own_municipality

    def make() -> tuple[bytes | str, str]:
        data = monthly.build(db, settings, chosen, cutoff=cutoff, municipality=own)
        if fmt == "xlsx":
            content: bytes | str = monthly.to_xlsx(data, lang)
        else:
            document = monthly.to_html(data, lang)
            content = _pdf(document) if fmt == "pdf" else document
        return content, data.month_key

    content, month_key = _files.get(db, ("monthly", fmt, lang, chosen, cutoff, own), make)
    return download(content, fmt, f"flyt-{i18n.t('monthly_file', lang)}-{month_key}")


@router.get("/reports/snapshot.{fmt}", name="snapshot_report")
def snapshot_file(request: Request, fmt: Literal["pdf", "xlsx", "html"], user: CurrentUser,
                  db: Db, settings: AppSettings,
                  at: Annotated[str | None, Query()] = None) -> Response:
    lang, own = language(request), user.own_municipality
    try:
        moment = parse_moment(at) if at else moments.now().replace(second=0, microsecond=0)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None

    def make() -> bytes | str:
        built = snapshot_report.build(db, settings, moment, own, shoot=lambda at: shot(db, at))
        if fmt == "xlsx":
            return snapshot_report.to_xlsx(built, lang)
        document = snapshot_report.to_html(built, lang)
        return _pdf(document) if fmt == "pdf" else document

    content = _files.get(db, ("snapshot", fmt, lang, moment, own), make)
    return download(content, fmt,
                    f"flyt-{i18n.t('snapshot_file', lang)}-{moment:%Y-%m-%d-%H%M}")


@router.get("/reports/payment.{fmt}", name="payment_report")
def payment_file(request: Request, fmt: Literal["pdf", "xlsx", "csv"], user: CurrentUser,
                 db: Db, settings: AppSettings, cutoff: Cutoff, month: Month) -> Response:
    if user.role == "reader":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the payment basis is not for readers")
    lang, chosen, own = language(request), report_month(month, cutoff), user.own_municipality

    def make() -> bytes | str:
        basis = gather(db, chosen, cutoff, load_payment_settings(), settings.goals,
                       settings.suppression_threshold)
        if own is not None:  # its own line only: the others' bills are theirs
            basis = dataclasses.replace(basis, lines=tuple(
                line for line in basis.lines if line.municipality == own))
        if fmt == "csv":
            columns, records = payment_render.csv_records(basis, scenario=True)
            return writers.to_csv(records, columns)
        if fmt == "xlsx":
            buffer = io.BytesIO()
            payment_render.xlsx(basis, buffer, lang)
            return buffer.getvalue()
        return payment_render.pdf(basis, lang)

    try:
        content = _files.get(db, ("payment", fmt, lang, chosen, cutoff, own), make)
    except (PaymentError, PaymentConfigError) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY,
                            payment_render.error_text(exc, lang)) from None
    return download(content, fmt, f"flyt-payment-{chosen:%Y-%m}")


def _pdf(document: str) -> bytes:
    from flyt.output import documents

    return documents.pdf(document)
