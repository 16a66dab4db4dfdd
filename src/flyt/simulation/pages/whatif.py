"""/hva-om: the what-if page (docs/simulation.md, "The what-if page").

    GET  /hva-om                       the form: period, replications, seed, up to eight
                                       changes or a pasted TOML scenario (and .json: its
                                       defaults and choices)
    POST /hva-om                       checks it (422 with every problem beside its field,
                                       nothing run; 429 while two runs are under way),
                                       starts a run and sends the user to it (303)
    GET  /hva-om/kjoring/{id}          the step in words while it runs (the page asks
                                       again every 2 s), then the result or the reason
    GET  /hva-om/kjoring/{id}.json     the same: status, step, the changes, the rows
                                       exactly as flyt.simulation.run.simulate gave them

Admins and analysts only (403 for others): the model reads patient-level stays and its
numbers per municipality are exact. A run is its starter's alone (404 for anyone else).
Each run started is audited (`simulation.run`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from flyt import i18n
from flyt.accounts import audit
from flyt.i18n import t
from flyt.simulation.pages import form, jobs, view
from flyt.simulation.scenario import KINDS, MAX_BYTES
from flyt.simulation.words import step_label
from flyt.store import reference
from flyt.store.db import Database
from flyt.web.deps import DataKeeper, Db, User, client_ip
from flyt.web.render import language, render_page

router = APIRouter()


def _names(db: Database) -> dict[str, str]:
    return {m.code: m.name for m in reference.municipalities(db)}


def _choices(db: Database, lang: str) -> dict[str, Any]:
    return {"kinds": [{"value": k, "label": view.kind_label(k, lang),
                       "help": view.kind_help(k, lang)} for k in KINDS],
            "targets": [{"value": v, "label": label} for v, label in form.targets(
                _names(db), reference.unit_kinds(db))]}


def _form_page(request: Request, db: Database, values: dict[str, str],
               problems: dict[str, list[str]], status_code: int = 200) -> Response:
    lang = language(request)
    data = {"values": values, "problems": problems, "rows": list(range(1, form.ROWS + 1)),
            "low": form.REPLICATIONS[0], "high": form.REPLICATIONS[1],
            "max_bytes": MAX_BYTES, **_choices(db, lang)}
    response = render_page(request, "simulation/form.html.j2", data, title="simpage_title")
    response.status_code = status_code
    return response


@router.get("/hva-om.json", name="simulation_form_json")
def form_json(request: Request, user: DataKeeper, db: Db) -> Response:
    return JSONResponse({"defaults": form.defaults(), "rows": form.ROWS,
                         "replications": list(form.REPLICATIONS),
                         **_choices(db, language(request))})


@router.get("/hva-om", name="simulation_form")
def form_page(request: Request, user: DataKeeper, db: Db) -> Response:
    return _form_page(request, db, form.defaults(), {})


@router.post("/hva-om", name="simulation_start")
async def start(request: Request, user: DataKeeper, db: Db) -> Response:
    posted = await request.form()
    # Only the form's own fields; a one-line field cut (still refused if too long: the
    # cut is longer than any valid value) so a huge one is not echoed back whole.
    # The pasted text is not cut: scenario.parse refuses it whole when too big.
    values = form.defaults() | {k: v if k == "toml" else v[:form.MAX_TARGET + 1]
                                for k, v in posted.items()
                                if k in form.defaults() and isinstance(v, str)}
    return await run_in_threadpool(_start, request, user, db, values)


def _start(request: Request, user: User, db: Database, values: dict[str, str]) -> Response:
    lang = language(request)
    filled = form.read(values, _names(db), reference.unit_kinds(db), lang)
    if filled.problems or filled.first is None or filled.last is None:
        return _form_page(request, db, values, filled.problems, 422)
    try:
        job = jobs.start(db, user.name, filled.first, filled.last, filled.replications,
                         filled.seed, filled.scenario)
    except jobs.Busy:
        return _form_page(request, db, values, {form.FILE: [t("simpage_busy", lang)]}, 429)
    changes = len(filled.scenario.changes) if filled.scenario else 0
    audit.record(db, user, "simulation.run", job.id,
                 f"{filled.first.isoformat()}–{filled.last.isoformat()}, "
                 f"{filled.replications} replications, seed {filled.seed}, "
                 f"{changes} changes", client_ip(request))
    return RedirectResponse(f"/hva-om/kjoring/{job.id}", status_code=303)


def _found(job_id: str, user: User) -> jobs.Job | None:
    return jobs.find(job_id, user.name)


def run_data(job: jobs.Job, lang: str) -> dict[str, Any]:
    """The JSON twin: the rows exactly as run.simulate gave them."""
    result = job.result
    return {"status": job.status, "step": job.step, "first": job.first.isoformat(),
            "last": job.last.isoformat(), "replications": job.replications,
            "seed": job.seed, "changes": view.change_records(job.scenario),
            "problem": job.problem_text(lang),
            "rows": [r.record() for r in result.rows] if result else []}


@router.get("/hva-om/kjoring/{job_id}.json", name="simulation_run_json")
def run_json(request: Request, job_id: str, user: DataKeeper) -> Response:
    job = _found(job_id, user)
    if job is None:
        return JSONResponse({"error": t("simpage_not_found", language(request))},
                            status_code=404)
    return JSONResponse(run_data(job, language(request)))


@router.get("/hva-om/kjoring/{job_id}", name="simulation_run")
def run_page(request: Request, job_id: str, user: DataKeeper, db: Db) -> Response:
    lang = language(request)
    job = _found(job_id, user)
    if job is None:
        response = render_page(request, "simulation/missing.html.j2", {},
                               title="simpage_title")
        response.status_code = 404
        return response
    names = _names(db)
    data: dict[str, Any] = {
        "id": job.id, "status": job.status, "step": step_label(job.step, lang),
        "problem": job.problem_text(lang), "first": i18n.day(job.first, lang),
        "last": i18n.day(job.last, lang),
        "replications": i18n.number(job.replications, 0, lang), "seed": job.seed,
        "changes": view.changes(job.scenario, names, lang),
        "name": job.scenario.name if job.scenario else None}
    if job.result is not None:
        data |= {"runs": view.run_labels(job.result.rows, lang),
                 "measures": view.measures(job.result.rows, names, lang),
                 "calibrated_from": i18n.day(job.result.calibrated_from, lang)}
    return render_page(request, "simulation/run.html.j2", data, title="simpage_run_title")
