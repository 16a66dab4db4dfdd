"""/kapasitet: the capacity overview (issue 14, item 5)

    GET /kapasitet        the forecast chart of a series (?gruppe=, 56 days) with the
                          census now, the level grid, the calendar of the year ahead,
                          the free beds per unit and municipality; ?at= a moment
    GET /kapasitet.json   the same figures

Everything comes from flyt.capacity.overview.build; this module only chooses what the
user may see (access.py) and words it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from flyt import i18n
from flyt.accounts import User
from flyt.capacity import beds, overview, plans_store, seasons
from flyt.capacity.escalation_text import municipality_label
from flyt.capacity.pages import access, chart, grid
from flyt.config import Settings
from flyt.i18n import t
from flyt.ingest.errors import Text
from flyt.store.db import Database
from flyt.web.deps import AppSettings, CurrentUser, Db
from flyt.web.pages import formats  # noqa: F401  (the day/moment filters of the templates)
from flyt.web.render import language, render_page

router = APIRouter()

PERIOD_WORDS = {"easter": Text.of("capacity_pages_easter"),
                "summer": Text.of("capacity_pages_summer"),
                "christmas": Text.of("capacity_pages_christmas"),
                "influenza": Text.of("capacity_pages_influenza")}
MEASURE_WORDS = {"ukp_patients": Text.of("capacity_pages_ukp_patients"),
                 "aftercare_occupied": Text.of("capacity_pages_aftercare_occupied"),
                 "short_term_occupied": Text.of("capacity_pages_short_term_occupied")}
KIND_WORDS = {"aftercare": Text.of("capacity_pages_aftercare"),
              "short_term": Text.of("capacity_pages_short_term")}


def _label(code: str, names: dict[str, str], lang: str) -> str:
    """A bed unit's owner: a municipality as «5031 Malvik», else as stored."""
    return municipality_label(code, names) if code in names else code


def percent_change(value: float | None, lang: str) -> str:
    """+12 % against a normal day; the no-value mark for none."""
    if value is None:
        return i18n.NO_VALUE_MARK
    return ("+" if value > 0 else "") + i18n.percent(value, 0, lang)


def _calendar(found: overview.Overview, lang: str) -> list[dict[str, Any]]:
    out = []
    for period in found.periods:
        pressure: seasons.Pressure | None = found.pressure.get(period.key)
        out.append({
            "key": period.key, "kind": period.kind, "name": PERIOD_WORDS[period.kind](lang),
            "start": period.start.isoformat(), "end": period.end.isoformat(),
            "meeting": period.meeting.isoformat() if period.meeting else None,
            "normal": None if pressure is None else round(pressure.normal, 2),
            # +12 means 12 % above the normal's mean over the year ahead
            "vs_year_percent": None if pressure is None else round(
                (pressure.ratio - 1) * 100, 1),
            "vs_year_text": percent_change(
                None if pressure is None else (pressure.ratio - 1) * 100, lang),
            "forecast_mean": None if pressure is None or pressure.forecast_mean is None
            else round(pressure.forecast_mean, 2),
            "forecast_upper": None if pressure is None or pressure.forecast_upper is None
            else round(pressure.forecast_upper, 2)})
    return out


def _beds(found: overview.Overview, lang: str) -> dict[str, Any]:
    names = {m.code: m.name for m in found.municipalities}
    units = [{"unit": u.unit, "kind": u.kind, "kind_name": KIND_WORDS[u.kind](lang),
              "owner": u.owner, "owner_label": _label(u.owner, names, lang),
              "counted_at": u.counted_at.isoformat(timespec="minutes"),
              "occupied": u.occupied, "available": u.available, "free": u.free,
              "over_capacity": u.free < 0} for u in found.beds]
    sums: list[dict[str, Any]] = []
    for kind in ("short_term", "aftercare"):
        for owner in sorted({u.owner for u in found.beds if u.kind == kind}):
            summed = beds.summed(found.beds, kind, owner)
            if summed:
                count = sum(u.kind == kind and u.owner == owner for u in found.beds)
                sums.append({"kind": kind, "kind_name": KIND_WORDS[kind](lang),
                             "owner": owner, "owner_label": _label(owner, names, lang),
                             "units": count, "occupied": summed[0], "available": summed[1],
                             "free": summed[1] - summed[0]})
        total = beds.summed(found.beds, kind, None)
        if total:
            sums.append({"kind": kind, "kind_name": KIND_WORDS[kind](lang), "owner": None,
                         "owner_label": t("capacity_pages_all_units", lang),
                         "units": sum(u.kind == kind for u in found.beds),
                         "occupied": total[0], "available": total[1],
                         "free": total[1] - total[0]})
    return {"units": units, "sums": sums}


def _lending(db: Database, found: overview.Overview) -> list[dict[str, Any]]:
    """The municipalities whose escalation plan offers short-term beds to lend, with
    their short-term beds free now (None: no unit counted), to share beds."""
    names = {m.code: m.name for m in found.municipalities}
    out = []
    for code, plan in sorted(plans_store.read_all(db).items()):
        if plan.lendable_short_term_beds > 0:
            now = beds.summed(found.beds, "short_term", code)
            out.append({"municipality": code, "label": municipality_label(code, names),
                        "lendable": plan.lendable_short_term_beds,
                        "free_now": None if now is None else now[1] - now[0]})
    return out


def _options(found: overview.Overview, user: User, lang: str) -> list[dict[str, str]]:
    """The series the user may choose: the community, the municipalities seen exact,
    the units with a bed count."""
    names = {m.code: m.name for m in found.municipalities}
    out = [{"value": "all", "label": t("esc_community", lang)}]
    out += [{"value": m.code, "label": municipality_label(m.code, names)}
            for m in found.municipalities if access.sees_exact(user, m.code)]
    out += [{"value": f"{access.UNIT_PREFIX}{u.unit}", "label": u.unit}
            for u in sorted(found.beds, key=lambda u: u.unit)]
    return out


def overview_data(db: Database, settings: Settings, user: User, query: dict[str, str],
                  lang: str) -> dict[str, Any]:
    """The page's figures for ``user``; access.Refused for a query it cannot answer."""
    at = access.moment(query)
    group = access.group(query, user)
    try:
        found = overview.build(db, at, group)
    except ValueError:
        raise access.Refused(Text.of("capacity_pages_no_series", group=group[1][:40]),
                             404) from None
    hidden = access.hidden(user, found.census, settings.suppression_threshold)
    exact = None if user.sees_exact else {c for c in found.census if user.own(c)}
    names = {m.code: m.name for m in found.municipalities}
    series = found.series
    community = next((s for s in found.levels if s.group_type == "community"), None)
    label = (t("esc_community", lang) if group == overview.COMMUNITY else
             municipality_label(group[1], names) if group[0] == "municipality" else group[1])
    return {
        "at": found.at.isoformat(timespec="minutes"),
        "last_census": found.last.isoformat(timespec="minutes"),
        "edition": access.edition(user),
        "threshold": settings.suppression_threshold,
        "group": {"type": group[0], "id": group[1], "label": label,
                  "value": "all" if group == overview.COMMUNITY else
                  group[1] if group[0] == "municipality" else f"{access.UNIT_PREFIX}{group[1]}",
                  "measure": series.measure,
                  "measure_name": MEASURE_WORDS[series.measure](lang)},
        "options": _options(found, user, lang),
        "series": {**chart.rows(series),
                   "problem": None if series.problem is None
                   else t("capacity_pages_too_little", lang)},
        "community_census": found.community_census,
        "levels": {"at": community.at.isoformat(timespec="minutes") if community else (
            found.levels[0].at.isoformat(timespec="minutes") if found.levels else None),
                   "community": grid.level_view(community, True, lang)},
        "municipalities": grid.tiles(found, hidden, exact, lang),
        "calendar": _calendar(found, lang),
        "beds": _beds(found, lang),
        "lending": _lending(db, found),
    }


@router.get("/kapasitet.json", name="capacity_overview_json")
def capacity_json(request: Request, user: CurrentUser, db: Db,
                  settings: AppSettings) -> Response:
    # A plain function: FastAPI runs it on a worker thread (the forecast takes seconds).
    try:
        return JSONResponse(overview_data(db, settings, user, dict(request.query_params),
                                          language(request)))
    except access.Refused as exc:
        return access.refused(request, exc, as_json=True)


@router.get("/kapasitet", name="capacity_overview")
def capacity(request: Request, user: CurrentUser, db: Db, settings: AppSettings) -> Response:
    lang = language(request)
    try:
        data = overview_data(db, settings, user, dict(request.query_params), lang)
    except access.Refused as exc:
        return access.refused(request, exc)
    y_title = data["group"]["measure_name"]
    data["chart"] = chart.chart(data["series"], data["at"][:10], y_title, lang)
    data["json_query"] = str(request.url.query)
    return render_page(request, "capacity/overview.html.j2", data,
                       title="capacity_pages_title")
