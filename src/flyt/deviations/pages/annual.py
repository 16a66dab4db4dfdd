"""/avvik/rapport: the annual (or tertial) report of deviations on the dashboard, its JSON
twin /avvik/rapport.json and its files /avvik/rapport.pdf|html|xlsx|csv
(docs/deviations.md, "The annual report").

The page shows the very numbers of the report: flyt.deviations.annual.gather reads them
once and the page renders annual.context with the document's own body template; the
files are made by the code of `flyt report deviations` (annual.render, documents.pdf,
report.rows and flyt.output.writers).

Who: every signed-in user. The report holds counts only: no deviation, no free text,
no patient data, no person. The contract's "Who sees what" is about deviations (their
text and fields); a count of a community's deviations by organisation is not one, and
the report is made for the improvement group and ASU, whose readers see the community.
"""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from flyt import i18n
from flyt.deviations import annual, report
from flyt.domain import clock
from flyt.web.deps import CurrentUser, Db
from flyt.web.render import download, language, render_page

router = APIRouter()
PATH = "/avvik/rapport"
FORMATS = ("pdf", "html", "xlsx", "csv")
Year = Annotated[str | None, Query()]
Tertial = Annotated[str | None, Query()]


def chosen(year: str | None, tertial: str | None, lang: str) -> tuple[int, int | None]:
    """The period asked for (default: the year before this one, the last whole year),
    or 422 with one sentence in the user's language."""
    if year is None or not year.strip():
        picked = clock.today().year - 1
    else:
        given = year.strip()
        if not (given.isdigit() and len(given) == 4
                and report.FIRST_YEAR <= int(given) <= report.LAST_YEAR):
            raise HTTPException(422, i18n.t(
                "devrep_bad_year", lang).format(value=given[:20], first=report.FIRST_YEAR,
                                                last=report.LAST_YEAR))
        picked = int(given)
    if tertial is None or not tertial.strip():
        return picked, None
    if tertial.strip() not in {str(t) for t in report.TERTIALS}:
        raise HTTPException(422, i18n.t(
            "devrep_bad_tertial", lang).format(value=tertial.strip()[:20]))
    return picked, int(tertial.strip())


def query_string(year: int, tertial: int | None) -> str:
    return f"year={year}" + (f"&tertial={tertial}" if tertial else "")


def tertials(lang: str) -> list[dict[str, Any]]:
    """The form's choices beside the whole year."""
    return [{"value": 1, "label": i18n.t("devann_page_tertial_1", lang)},
            {"value": 2, "label": i18n.t("devann_page_tertial_2", lang)},
            {"value": 3, "label": i18n.t("devann_page_tertial_3", lang)}]


def links(year: int, tertial: int | None, lang: str) -> list[dict[str, str]]:
    query = query_string(year, tertial)
    names = {"pdf": i18n.t("devann_page_format_pdf", lang),
             "html": i18n.t("devann_page_format_html", lang),
             "xlsx": i18n.t("devann_page_format_xlsx", lang),
             "csv": i18n.t("devann_page_format_csv", lang)}
    return [{"format": f, "label": names[f], "href": f"{PATH}.{f}?{query}"} for f in FORMATS]


def page_data(found: annual.Figures, lang: str) -> dict[str, Any]:
    period = found.period
    return {"year": period.year, "tertial": period.tertial, "tertials": tertials(lang),
            "links": links(period.year, period.tertial, lang),
            "json": f"{PATH}.json?{query_string(period.year, period.tertial)}",
            "report": annual.context(found, lang)}


# The twin first: /avvik/rapport.{fmt} would otherwise take "json" as a format.
@router.get(f"{PATH}.json", name="deviation_report_json")
def report_json(request: Request, user: CurrentUser, db: Db, year: Year = None,
                tertial: Tertial = None) -> JSONResponse:
    picked, part = chosen(year, tertial, language(request))
    return JSONResponse(annual.as_json(annual.gather(db, picked, part)))


@router.get(PATH, name="deviation_report", response_class=HTMLResponse)
async def report_page(request: Request, user: CurrentUser, db: Db, year: Year = None,
                      tertial: Tertial = None) -> HTMLResponse:
    """Reading the store and drawing the charts block: in a worker thread."""
    lang = language(request)
    try:
        picked, part = chosen(year, tertial, lang)
    except HTTPException as refused:  # the form again, with the sentence
        response = render_page(request, "deviations/annual_page.html.j2", {
            "year": (year or "")[:20], "tertial": None, "tertials": tertials(lang),
            "error": refused.detail}, title="devann_page_title")
        response.status_code = refused.status_code
        return response

    def make() -> HTMLResponse:
        data = page_data(annual.gather(db, picked, part), lang)
        return render_page(request, "deviations/annual_page.html.j2", data,
                           title="devann_page_title")

    return await run_in_threadpool(make)


@router.get(PATH + ".{fmt}", name="deviation_report_file")
def report_file(request: Request, fmt: Literal["pdf", "html", "xlsx", "csv"],
                user: CurrentUser, db: Db, year: Year = None,
                tertial: Tertial = None) -> Response:
    """The files of `flyt report deviations`. Not cached: a step taken on a deviation
    changes the status counts, and the pages' data stamp follows imports only."""
    lang = language(request)
    picked, part = chosen(year, tertial, lang)
    name = f"flyt-avvik-{report.Period(picked, part).label}"
    if fmt in ("pdf", "html"):
        from flyt.output import documents

        document = annual.render(annual.gather(db, picked, part), lang)
        return download(documents.pdf(document) if fmt == "pdf" else document, fmt, name)
    from flyt.output import writers

    table = report.rows(db, picked, part)
    if fmt == "csv":
        return download(writers.to_csv(table, report.COLUMNS), fmt, name)
    buffer = io.BytesIO()
    writers.to_xlsx(table, report.COLUMNS, buffer)
    return download(buffer.getvalue(), fmt, name)
