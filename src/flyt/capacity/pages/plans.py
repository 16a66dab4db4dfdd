"""The municipalities' escalation plans (issue 14, item 4).

    GET  /kapasitet/beredskapsplaner             every municipality: plan or not, the
                                                 short-term beds it can lend, last change
    GET  /kapasitet/beredskapsplaner.json        the same as JSON
    GET  /kapasitet/beredskapsplaner/{kommune}   its plan (levels 1–4, contacts, beds),
                                                 printable; the form for its own users
    GET  /kapasitet/beredskapsplaner/{kommune}.json
    POST /kapasitet/beredskapsplaner/{kommune}   a change from the version the form
                                                 showed: 303 back; 400 naming the field;
                                                 409 when someone saved meanwhile (the
                                                 input kept); 403 for everyone but a
                                                 `municipality` user of that municipality

Every signed-in user reads: a plan is a shared work document without patient data, so
reading it is not audited. Only the municipality's own users change it — not an
administrator, who manages accounts, not plans. A change is audited
(`capacity.plan_change`, the parts changed).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from flyt import i18n
from flyt.accounts import audit
from flyt.capacity import plans, plans_store
from flyt.capacity.escalation import LEVEL_KEYS
from flyt.capacity.plans import LEVELS, EscalationPlan, PlanRefused, StalePlan
from flyt.ingest.errors import Text
from flyt.store import reference
from flyt.store.db import Database
from flyt.web.deps import CurrentUser, Db, User, client_ip
from flyt.web.pages import formats  # noqa: F401  (the day/moment filters of the templates)
from flyt.web.render import language, render_page

router = APIRouter()
BASE = "/kapasitet/beredskapsplaner"


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (its size is bounded by flyt.web.auth.csrf)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


Typed = Annotated[dict[str, str], Depends(form_fields)]


def may_edit(user: User, municipality: str) -> bool:
    """Only a `municipality` user of that municipality (User.own)."""
    return user.own(municipality)


def municipality_name(db: Database, code: str) -> str:
    """The store's name of the municipality; 404 for a code it does not know."""
    found = next((m.name for m in reference.municipalities(db) if m.code == code), None)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"unknown municipality {code[:8]}")
    return found


def _stamp(plan: EscalationPlan) -> str | None:
    return plan.updated_at.isoformat(timespec="minutes") if plan.updated_at else None


def summary(plan: EscalationPlan, name: str) -> dict[str, Any]:
    """A plan's line in the list (and the head of its JSON)."""
    return {"municipality": plan.municipality, "name": name, "has_plan": plan.exists,
            "lendable_short_term_beds": plan.lendable_short_term_beds if plan.exists else None,
            "version": plan.version, "updated_at": _stamp(plan), "updated_by": plan.updated_by}


def plan_data(plan: EscalationPlan, name: str) -> dict[str, Any]:
    """The JSON twin of a plan."""
    return {**summary(plan, name),
            "levels": [{"level": level, "actions": text}
                       for level, text in zip(LEVELS, plan.actions, strict=True)],
            "contacts": [{f: getattr(c, f) for f in plans.CONTACT_FIELDS}
                         for c in plan.contacts],
            "note": plan.note}


def list_data(db: Database) -> dict[str, Any]:
    stored = plans_store.read_all(db)
    rows = [summary(stored.get(m.code, EscalationPlan(m.code)), m.name)
            for m in reference.municipalities(db)]
    return {"plans": rows, "with_plan": sum(r["has_plan"] for r in rows),
            "lendable_short_term_beds": sum(r["lendable_short_term_beds"] or 0 for r in rows)}


@router.get(BASE + ".json", name="escalation_plans_json")
def plans_json(user: CurrentUser, db: Db) -> Response:
    return JSONResponse(list_data(db))


@router.get(BASE, name="escalation_plans")
def plans_page(request: Request, user: CurrentUser, db: Db) -> Response:
    return render_page(request, "capacity/plans.html.j2", list_data(db),
                       title="escplan_list_title")


@router.get(BASE + "/{kommune}.json", name="escalation_plan_json")
def plan_json(kommune: str, user: CurrentUser, db: Db) -> Response:
    name = municipality_name(db, kommune)
    return JSONResponse({**plan_data(plans_store.read(db, kommune), name),
                         "may_edit": may_edit(user, kommune)})


def words(lang: str) -> dict[str, dict[Any, str]]:
    """The levels' names (flyt.capacity.escalation) and the fields' words."""
    return {"level": {level: i18n.t(LEVEL_KEYS[level], lang) for level in LEVELS},
            "field": {f: w(lang) for f, w in plans.FIELD_WORDS.items()}}


def _show(request: Request, db: Database, user: User, kommune: str, *,
          typed: dict[str, str] | None = None, error: str | None = None,
          error_field: str = "", status_code: int = 200) -> Response:
    name = municipality_name(db, kommune)
    plan = plans_store.read(db, kommune)
    form = typed if typed is not None else plans.form_values(plan)
    rows = max(1, plans.contact_rows(form)) if typed is not None else plans.contact_rows(form)
    response: HTMLResponse = render_page(request, "capacity/plan.html.j2", {
        **plan_data(plan, name), "may_edit": may_edit(user, kommune), "form": form,
        "contact_rows": min(rows, plans.MAX_CONTACTS),
        "limits": {"actions": plans.MAX_ACTIONS, "note": plans.MAX_NOTE,
                   "beds": plans.MAX_LENDABLE_BEDS, **plans.CONTACT_LIMITS},
        "contact_fields": plans.CONTACT_FIELDS, "error": error, "error_field": error_field,
        "base": BASE, "words": words(language(request))}, title="escplan_title")
    response.status_code = status_code
    return response


@router.get(BASE + "/{kommune}", name="escalation_plan")
def plan_page(request: Request, kommune: str, user: CurrentUser, db: Db) -> Response:
    return _show(request, db, user, kommune)


@router.post(BASE + "/{kommune}", name="escalation_plan_change")
def plan_change(request: Request, kommune: str, user: CurrentUser, db: Db,
                typed: Typed) -> Response:
    municipality_name(db, kommune)
    if not may_edit(user, kommune):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only the municipality's own users")
    lang = language(request)
    typed = {k: v for k, v in typed.items() if k != "csrf_token"}
    old = plans_store.read(db, kommune)
    version = typed.get("version", "")
    try:
        if not (version.isascii() and version.isdigit() and len(version) < 10):
            raise StalePlan(Text.of("escplan_stale", municipality=kommune))
        new = plans.from_form(kommune, typed)
        parts = plans.changed(old, new)
        if parts or int(version) != old.version:
            plans_store.save(db, new, int(version), user.name)
    except StalePlan as exc:
        return _show(request, db, user, kommune, typed=typed, error=exc.message(lang),
                     status_code=409)
    except PlanRefused as exc:
        return _show(request, db, user, kommune, typed=typed, error=exc.message(lang),
                     error_field=exc.field, status_code=400)
    if parts:
        audit.record(db, user, "capacity.plan_change", kommune, ", ".join(parts),
                     client_ip(request))
    return RedirectResponse(f"{BASE}/{kommune}", status_code=303)
