"""/kapasitet/treffsikkerhet: how well the forecast did (flyt.capacity.backtest)

    GET /kapasitet/treffsikkerhet        MAE, MAPE and the 80 % interval's coverage per
                                         group and horizon band, beside the two naive
                                         forecasts; "Beregner …" while it runs
    GET /kapasitet/treffsikkerhet.json   the same scores ({"status": "running"} with 202
                                         while it runs)

The backtest fits hundreds of models (tens of seconds on a large store), so it runs at
most once per store state (flyt.web.freshness.stamp: the latest import) and day per
process, on a thread of its own; the page asks again every few seconds meanwhile
(/static/capacity.js) and has a link to do so by hand.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from flyt import i18n
from flyt.capacity import backtest, history
from flyt.capacity.backtest import METHODS
from flyt.capacity.forecast import ForecastError
from flyt.capacity.text import GROUP_KEYS
from flyt.domain import clock
from flyt.i18n import t
from flyt.ingest.errors import Text
from flyt.store.db import Database
from flyt.web.deps import CurrentUser, Db
from flyt.web.freshness import stamp
from flyt.web.render import language, render_page

router = APIRouter()
_log = logging.getLogger(__name__)

ORIGINS, HORIZON = 12, 56  # as `flyt forecast --backtest` by default
KEEP = 4  # results kept (store states × days); older ones are dropped


@dataclass
class Job:
    """One backtest run: ``result`` or ``problem`` (a Text) once ``done`` is set."""

    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None
    result: backtest.Backtest | None = None
    problem: Text | None = None
    done: threading.Event = field(default_factory=threading.Event)


_jobs: dict[tuple, Job] = {}
_lock = threading.Lock()


def _run(db: Database, job: Job) -> None:
    try:
        known = history.read(db, clock.now())
        job.result = backtest.run(known, ORIGINS, HORIZON)
    except ForecastError as error:
        job.problem = Text.of(error.key, **error.values)
    except Exception:  # noqa: BLE001  (the page says so; the server's log has it)
        _log.exception("the backtest failed")
        job.problem = Text.of("capacity_pages_backtest_failed")
    finally:
        job.seconds = time.monotonic() - job.started
        job.done.set()


def job(db: Database) -> Job:
    """The run of this store state and day: started here if there is none yet."""
    key = (stamp(db), clock.today())
    with _lock:
        found = _jobs.get(key)
        if found is None:
            for old in list(_jobs)[:max(0, len(_jobs) - KEEP + 1)]:
                del _jobs[old]
            found = _jobs[key] = Job()
            threading.Thread(target=_run, args=(db, found), daemon=True,
                             name="flyt-backtest").start()
    return found


def _band(band: tuple[int, int]) -> str:
    return f"{band[0]}–{band[1]}"


def scores(result: backtest.Backtest, lang: str) -> list[dict[str, Any]]:
    """One row per group and horizon band: each method's MAE and MAPE, the model's
    coverage (a share, 0–1)."""
    out = []
    seen: list[tuple[str, tuple[int, int]]] = []
    for score in result.scores:
        if (score.group, score.band) not in seen:
            seen.append((score.group, score.band))
    for group, band in seen:
        row: dict[str, Any] = {"group": group, "group_name": t(GROUP_KEYS[group], lang),
                               "band": list(band), "band_text": _band(band)}
        for method in METHODS:
            found = result.score(group, band, method)
            row[method] = None if found is None else {
                "mae": round(found.mae, 3),
                "mape": None if found.mape is None else round(found.mape, 1),
                "coverage": None if found.coverage is None else round(found.coverage, 3),
                "n": found.n}
        out.append(row)
    return out


def accuracy_data(run: Job, lang: str) -> dict[str, Any]:
    if not run.done.is_set():
        return {"status": "running"}
    seconds = round(run.seconds or 0.0, 1)
    if run.problem is not None or run.result is None:
        problem = run.problem or Text.of("capacity_pages_backtest_failed")
        return {"status": "problem", "problem": problem(lang), "seconds": seconds}
    result = run.result
    return {"status": "done", "seconds": seconds, "horizon": result.horizon,
            "origins": [d.isoformat() for d in result.origins],
            "first": i18n.day(result.origins[0], lang),
            "last": i18n.day(result.origins[-1], lang),
            "scores": scores(result, lang)}


@router.get("/kapasitet/treffsikkerhet.json", name="capacity_accuracy_json")
def accuracy_json(request: Request, user: CurrentUser, db: Db) -> Response:
    data = accuracy_data(job(db), language(request))
    return JSONResponse(data, status_code=202 if data["status"] == "running" else 200)


@router.get("/kapasitet/treffsikkerhet", name="capacity_accuracy")
def accuracy(request: Request, user: CurrentUser, db: Db) -> Response:
    data = accuracy_data(job(db), language(request))
    return render_page(request, "capacity/accuracy.html.j2", data,
                       title="capacity_pages_accuracy_title")
