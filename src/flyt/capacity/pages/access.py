"""What the capacity pages share: the asked moment (``?at=``) and series (``?gruppe=``),
who may see which exact figures, and the refusal page.

The rule (docs/capacity.md, "Who sees what"): admin and analyst users see every figure
exact; a municipality user sees its own municipality exact; everyone else reads the
shared edition, where a municipality's UKP census of 1 to threshold - 1 is hidden
(flyt.disclosure.census, as the snapshot). A single municipality's forecast (its recent
census is drawn) is chosen only by those who see that municipality exact. The
community's total, the levels (categories) and the units' beds are shown to everyone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from flyt.accounts import User
from flyt.capacity.overview import COMMUNITY
from flyt.disclosure.census import hidden_lines
from flyt.domain import clock
from flyt.domain.months import parse_moment
from flyt.ingest.errors import Text
from flyt.web.render import language, render_page

MAX_QUERY = 120  # characters of a query value read at all
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a moment outside is a typing error
_MUNICIPALITY = re.compile(r"\d{4}")
UNIT_PREFIX = "unit:"


class Refused(Exception):
    """A query the page cannot answer: HTTP ``status`` with a sentence (``text``)."""

    def __init__(self, text: Text, status: int = 400) -> None:
        super().__init__(text.key)
        self.text = text
        self.status = status


def moment(query: Mapping[str, str]) -> datetime:
    """``?at=`` (a date or date-time, ISO or dd.mm.yyyy); default now, to the minute."""
    raw = (query.get("at") or "").strip()
    if not raw:
        return clock.now().replace(second=0, microsecond=0)
    try:
        if len(raw) > MAX_QUERY:
            raise ValueError(raw)
        found = parse_moment(raw)
    except ValueError:
        raise Refused(Text.of("capacity_pages_bad_at", value=raw[:40])) from None
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise Refused(Text.of("capacity_pages_bad_at", value=raw[:40]))
    return found


def group(query: Mapping[str, str], user: User) -> tuple[str, str]:
    """``?gruppe=all|<kommunenummer>|unit:<name>``: (group type, id); a municipality
    only for those who see it exact (``may_see``)."""
    raw = (query.get("gruppe") or "all").strip()
    if len(raw) > MAX_QUERY:
        raise Refused(Text.of("capacity_pages_bad_group", value=raw[:40]))
    if raw == "all":
        return COMMUNITY
    if _MUNICIPALITY.fullmatch(raw):
        if not sees_exact(user, raw):
            raise Refused(Text.of("capacity_pages_group_not_yours", code=raw), 404)
        return ("municipality", raw)
    if raw.startswith(UNIT_PREFIX) and raw[len(UNIT_PREFIX):].strip():
        return ("unit", raw[len(UNIT_PREFIX):].strip())
    raise Refused(Text.of("capacity_pages_bad_group", value=raw[:40]))


def sees_exact(user: User, code: str) -> bool:
    """Whether ``user`` sees municipality ``code``'s census exact."""
    return user.sees_exact or user.own(code)


def hidden(user: User, census: Mapping[str, int], threshold: int) -> set[str]:
    """The municipalities whose census ``user`` must not see."""
    if user.sees_exact:
        return set()
    return hidden_lines(census, threshold, user.own_municipality)


def edition(user: User) -> str:
    """exact | own | shared: which figures the page shows (the JSON says it)."""
    return "exact" if user.sees_exact else "own" if user.own_municipality else "shared"


def refused(request: Request, exc: Refused, *, as_json: bool = False) -> Response:
    lang = language(request)
    message = exc.text(lang)
    if as_json:
        return JSONResponse({"error": message}, status_code=exc.status)
    response: HTMLResponse = render_page(request, "capacity/refused.html.j2",
                                         {"error": message}, title="capacity_pages_error_title")
    response.status_code = exc.status
    return response
