"""Rapporter: download the monthly report, the snapshot and the payment basis.

The files are the very ones `flyt report` writes (flyt.reports), streamed. Editions
follow the user: a municipality gets its own edition (its figures exact), everyone
else the shared edition, which is the document meant to leave the hospital. The
payment basis's links, note and files are the payment area's (flyt.payment.pages).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import Response

from flyt import i18n
from flyt.domain.months import parse_moment
from flyt.engine import moments
from flyt.payment import pages as payment
from flyt.reports import monthly
from flyt.reports import snapshot as snapshot_report
from flyt.web.deps import AppSettings, CurrentUser, Db
from flyt.web.pages import formats, page  # noqa: F401  (formats: the template filters)
from flyt.web.pages.common import Cutoff, Month, report_month
from flyt.web.pages.snapshot import shot
from flyt.web.render import download, language, rendered_files

router = APIRouter()


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
    if payment.for_user(user):
        links += payment.links(query)
        data["payment"] = payment.rate_note(chosen.year, language(request))
    return data


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

    content, month_key = rendered_files.get(db, ("monthly", fmt, lang, chosen, cutoff, own), make)
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

    content = rendered_files.get(db, ("snapshot", fmt, lang, moment, own), make)
    return download(content, fmt,
                    f"flyt-{i18n.t('snapshot_file', lang)}-{moment:%Y-%m-%d-%H%M}")


def _pdf(document: str) -> bytes:
    from flyt.output import documents

    return documents.pdf(document)
