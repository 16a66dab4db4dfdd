"""``flyt simulate``: the what-if model's baseline, scenario and difference as CSV or
JSON (spec/capacity.md, "What-if simulation"; docs/simulation.md)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from flyt.cli.common import Context, db_option, user_errors

COLUMNS = ("run", "group_type", "group_id", "measure", "mean", "lower", "upper")


@click.command(name="simulate")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="First day simulated (YYYY-MM-DD); the model learns from the years "
                   "before it.")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="Last day simulated (YYYY-MM-DD), at most three years after --from.")
@click.option("--replications", type=click.IntRange(1, 10_000), default=1000,
              show_default=True)
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=1, show_default=True,
              help="The same seed gives the same numbers.")
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False, exists=True,
                                                               path_type=Path),
              help="A TOML file of changes (docs/simulation.md).")
@click.option("--years", type=click.IntRange(1, 20), default=3, show_default=True,
              help="Years of history before --from to calibrate on.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@db_option
@user_errors
def simulate(first: date, last: date, replications: int, seed: int,
             scenario_path: Path | None, years: int, fmt: str, output: Path | None,
             lang: str, db_url: str | None) -> None:
    """Simulate the flow over a period, calibrated on the store's history before it:
    KPIs 1, 2, 3, 6 and the payment with 90 % intervals, per community, region and
    municipality (with --scenario: baseline, scenario and their difference)."""
    from flyt.i18n import t
    from flyt.output.writers import write
    from flyt.simulation import run, scenario
    from flyt.simulation.calibration import CalibrationError
    from flyt.simulation.model import MAX_DAYS
    from flyt.store import reference

    first, last = first.date() if hasattr(first, "date") else first, \
        last.date() if hasattr(last, "date") else last
    if not 1 <= (last - first).days + 1 <= MAX_DAYS:
        raise click.ClickException(t("simulation_period_bad", lang).format(
            most=MAX_DAYS))
    ctx = Context(db_url)
    chosen = None
    if scenario_path is not None:
        codes = {m.code for m in reference.municipalities(ctx.db)}
        units = reference.unit_kinds(ctx.db)
        try:
            chosen = scenario.load(scenario_path, codes, units)
        except scenario.ScenarioError as error:
            raise click.ClickException(error.message(lang)) from None
    try:
        result = run.simulate(ctx.db, first, last, replications, seed, chosen, years)
    except CalibrationError as error:
        raise click.ClickException(error.message(lang)) from None
    write([row.record() for row in result.rows], COLUMNS, fmt, output, sys.stdout)
