"""One what-if run from the store: calibrate on the years before the period, simulate the
baseline and (with a scenario) the scenario with the same dice, summarise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flyt.payment.rates import PaymentSettings, load_payment_settings
from flyt.simulation import calibration, model, parameters, summary
from flyt.simulation.scenario import Scenario
from flyt.store import reference
from flyt.store.db import Database

DEFAULT_YEARS = 3  # of history before the period the model is calibrated on
# The steps of a run, in order, as told to `progress` (a page shows them while it waits).
STEPS = ("calibrating", "baseline", "scenario", "summary")


@dataclass(frozen=True)
class Result:
    first: date
    last: date
    replications: int
    seed: int
    calibrated_from: date  # the window the model learnt from: [calibrated_from, first)
    scenario: Scenario | None
    rows: list[summary.Row]


def simulate(db: Database, first: date, last: date, replications: int, seed: int,
             scenario: Scenario | None = None, years: int = DEFAULT_YEARS,
             payment: PaymentSettings | None = None,
             progress: Callable[[str], None] = lambda step: None) -> Result:
    """Raises CalibrationError when the store knows too little before ``first``;
    ``progress`` is told each of STEPS as it begins ("scenario" only with one)."""
    settings = payment or load_payment_settings()
    progress("calibrating")
    known = calibration.read(db, first, years=years, payment=settings)
    params = parameters.from_calibration(known)
    progress("baseline")
    base = model.simulate(params, model.plan_of(params, first, last), replications, seed,
                          settings.steps)
    other = None
    if scenario is not None:
        progress("scenario")
        other = model.simulate(params, model.plan_of(params, first, last, scenario),
                               replications, seed, settings.steps)
    progress("summary")
    region_of = {m.code: m.region for m in reference.municipalities(db)}
    found = summary.groups(params.municipalities, region_of)
    return Result(first, last, replications, seed, known.first, scenario,
                  summary.rows(base, other, found))
