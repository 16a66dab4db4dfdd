"""The payment basis on the dashboard: its files (``/reports/payment.pdf|xlsx|csv``), the
links and the day-rate note on the reports page (flyt.web.pages.reports).

The basis is exact by nature (it is billed): the hospital's administrators and analysts
see every municipality, a municipality its own line, readers nothing.
"""

from __future__ import annotations

import dataclasses
import io
from typing import Literal

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import Response

from flyt.output import writers
from flyt.payment import render
from flyt.payment.basis import PaymentError, gather
from flyt.payment.rates import PaymentConfigError, load_payment_settings
from flyt.web.deps import AppSettings, CurrentUser, Db, User
from flyt.web.pages.common import Cutoff, Month, report_month
from flyt.web.render import download, language, rendered_files

router = APIRouter()

def for_user(user: User) -> bool:
    """Whether the user may have the basis at all (readers, GPs and the improvement
    group may not: they get the shared edition only)."""
    return not user.shared_edition_only

def links(query: str) -> list[dict[str, str]]:
    """The reports page's links to the basis of the month and cut-off in ``query``."""
    return [{"report": "payment", "format": f, "href": f"/reports/payment.{f}?{query}"}
            for f in ("pdf", "xlsx", "csv")]

def rate_note(year: int, lang: str) -> dict:
    """The day rate the payment basis of a month of `year` is billed at: whose rate it
    is and whether it is provisional (machines read `provisional`, people `note`); or
    why there is none (`error`), never a failure of the page."""
    try:
        rate = load_payment_settings().day_rate(year)
    except PaymentConfigError as exc:
        return {"year": year, "error": render.error_text(exc, lang)}
    return {"year": year, "rate": render.plain(rate.amount), "rate_year": rate.rate_year,
            "provisional": rate.provisional, "configured": rate.configured,
            "note": render.provisional_note(rate, lang) or render.rate_note(rate, lang)}

@router.get("/reports/payment.{fmt}", name="payment_report")
def payment_file(request: Request, fmt: Literal["pdf", "xlsx", "csv"], user: CurrentUser,
                 db: Db, settings: AppSettings, cutoff: Cutoff, month: Month) -> Response:
    if not for_user(user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the payment basis is not for readers")
    lang, chosen, own = language(request), report_month(month, cutoff), user.own_municipality

    def make() -> bytes | str:
        basis = gather(db, chosen, cutoff, load_payment_settings(), settings.goals)
        if own is not None:  # its own line only: the others' bills are theirs
            basis = dataclasses.replace(basis, lines=tuple(
                line for line in basis.lines if line.municipality == own))
        if fmt == "csv":
            columns, records = render.csv_records(basis, scenario=True)
            return writers.to_csv(records, columns)
        if fmt == "xlsx":
            buffer = io.BytesIO()
            render.xlsx(basis, buffer, lang)
            return buffer.getvalue()
        return render.pdf(basis, lang)

    try:
        content = rendered_files.get(db, ("payment", fmt, lang, chosen, cutoff, own), make)
    except (PaymentError, PaymentConfigError) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY,
                            render.error_text(exc, lang)) from None
    return download(content, fmt, f"flyt-payment-{chosen:%Y-%m}")
