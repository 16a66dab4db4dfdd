"""What-if runs of the page, each on a thread of its own, kept in this process's memory.

A year with 1 000 replications takes seconds to a minute, so a run is started and the
page asks again while it goes. Bounded: the last KEEP runs are kept, at most RUNNING
at once (the server's cores are shared with everyone's pages), and a run is seen
only by the user who started it.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date

from flyt.ingest.errors import Text
from flyt.simulation import run
from flyt.simulation.calibration import CalibrationError
from flyt.simulation.scenario import Scenario
from flyt.store.db import Database

KEEP = 20  # runs kept; the oldest finished one goes first
RUNNING = 2  # runs at once
_log = logging.getLogger(__name__)


class Busy(RuntimeError):
    """RUNNING runs are under way: the user is asked to wait."""


@dataclass
class Job:
    """One run: `result` or `problem` (its text in a language) once `done` is set."""

    id: str
    owner: str
    first: date
    last: date
    replications: int
    seed: int
    scenario: Scenario | None
    step: str = run.STEPS[0]
    result: run.Result | None = None
    problem: CalibrationError | Text | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def status(self) -> str:
        if not self.done.is_set():
            return "running"
        return "done" if self.result is not None else "failed"

    def problem_text(self, lang: str) -> str | None:
        if isinstance(self.problem, CalibrationError):
            return self.problem.message(lang)
        return None if self.problem is None else self.problem(lang)


_jobs: dict[str, Job] = {}  # in the order started
_lock = threading.Lock()


def start(db: Database, owner: str, first: date, last: date, replications: int, seed: int,
          scenario: Scenario | None) -> Job:
    """A new run on its thread; Busy when RUNNING are under way."""
    with _lock:
        if sum(not j.done.is_set() for j in _jobs.values()) >= RUNNING:
            raise Busy
        finished = [key for key, j in _jobs.items() if j.done.is_set()]
        for key in finished[:max(0, len(_jobs) - KEEP + 1)]:
            del _jobs[key]
        job = Job(secrets.token_urlsafe(12), owner, first, last, replications, seed, scenario)
        _jobs[job.id] = job
    threading.Thread(target=_run, args=(db, job), daemon=True, name="flyt-whatif").start()
    return job


def find(job_id: str, owner: str) -> Job | None:
    """The run, if it is this user's (someone else's is as unknown as none)."""
    job = _jobs.get(job_id)
    return job if job is not None and job.owner == owner else None


def _run(db: Database, job: Job) -> None:
    def progress(step: str) -> None:
        job.step = step

    try:
        job.result = run.simulate(db, job.first, job.last, job.replications, job.seed,
                                  job.scenario, progress=progress)
    except CalibrationError as error:
        job.problem = error
    except Exception:  # noqa: BLE001  (the page says so; the server's log has it)
        _log.exception("a what-if run failed")
        job.problem = Text.of("simpage_failed")
    finally:
        job.done.set()
