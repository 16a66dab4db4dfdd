"""/admin/audit (and .json): the audit log for administrators, newest first, with
filters; /admin/audit.csv exports what the filters select. Administrators only (403)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from flyt.accounts import audit
from flyt.web.deps import Db, User, client_ip, require_role
from flyt.web.pages import page

router = APIRouter()
Admin = Annotated[User, Depends(require_role("admin"))]
MAX_ROWS = 10_000


def filters(user_name: Annotated[str | None, Query(alias="user", max_length=200)] = None,
            action: Annotated[str | None, Query(max_length=100)] = None,
            since: Annotated[str, Query(max_length=10)] = "",
            until: Annotated[str, Query(max_length=10)] = "") -> audit.Filters:
    """Days as YYYY-MM-DD (empty: no limit, as an empty date field sends); `until` is
    inclusive: the whole day."""
    first, last = _date(since), _date(until)
    return audit.Filters(
        user_name=user_name or None, action=action or None,
        since=datetime.combine(first, time()) if first else None,
        until=datetime.combine(last + timedelta(days=1), time()) if last else None)


Selected = Annotated[audit.Filters, Depends(filters)]


@page(router, "/admin/audit", "audit.html.j2", title="audit_log")
def audit_log(user: Admin, db: Db, selected: Selected,
              limit: Annotated[int, Query(ge=1, le=MAX_ROWS)] = 200) -> dict:
    rows = audit.entries(db, selected, limit)
    return {"filters": {"user": selected.user_name or "", "action": selected.action or "",
                        "since": _day(selected.since), "until": _until_day(selected.until)},
            "limit": limit, "entries": [e.as_row() for e in rows]}


@router.get("/admin/audit.csv", name="audit_log_csv")
def audit_log_csv(request: Request, user: Admin, db: Db, selected: Selected) -> Response:
    rows = audit.entries(db, selected, MAX_ROWS)
    audit.record(db, user, "audit.export", "csv", f"{len(rows)} rows", ip=client_ip(request))
    return Response(audit.to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="flyt-audit.csv"'})


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise HTTPException(400, f"not a date (YYYY-MM-DD): {text!r}") from None


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""


def _until_day(moment: datetime | None) -> str:
    return (moment.date() - timedelta(days=1)).isoformat() if moment else ""
