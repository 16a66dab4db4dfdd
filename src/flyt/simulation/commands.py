"""``flyt simulate``: the what-if model's baseline, scenario and difference as CSV or
JSON (spec/capacity.md, "What-if simulation"; docs/simulation.md)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from flyt.cli.common import Context, db_option, user_errors

COLUMNS = ("run", "group_type", "group_id", "measure", "mean", "lower", "upper")


@click.command(name="simulate")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]),
              help="First day simulated (YYYY-MM-DD); the model learns from the years "
                   "before it.")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]),
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
@click.option("--validate", is_flag=True,
              help="Simulate each past year from the years before it and compare its UKP "
                   "days with what happened (community and municipalities); --from/--to "
                   "and --scenario are not used.")
@click.option("--year", "years_checked", type=int, multiple=True,
              help="With --validate: only this year (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "text"]), default=None,
              help="csv or json; with --validate also text (its default).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@db_option
@user_errors
def simulate(first: date | None, last: date | None, replications: int, seed: int,
             scenario_path: Path | None, years: int, validate: bool,
             years_checked: tuple[int, ...], fmt: str | None, output: Path | None,
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

    if validate:
        _validate(Context(db_url), years, replications, seed, list(years_checked),
                  fmt or "text", output, lang)
        return
    if first is None or last is None:
        raise click.ClickException(t("simulation_period_missing", lang))
    if fmt == "text":
        raise click.ClickException(t("simulation_text_only_validate", lang))
    first, last = _day(first), _day(last)
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
    write([row.record() for row in result.rows], COLUMNS, fmt or "csv", output, sys.stdout)


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


VALIDATION_COLUMNS = ("year", "group_type", "group_id", "actual", "mean", "lower", "upper",
                      "inside")


def _validate(ctx: Context, years: int, replications: int, seed: int, only: list[int],
              fmt: str, output: Path | None, lang: str) -> None:
    from flyt.output.writers import write, write_text
    from flyt.simulation import validation
    from flyt.simulation.text import validation_table

    checks = validation.validate(
        ctx.db, years, replications, seed, only or None,
        progress=lambda year: click.echo(f"… {year}", err=True))
    if not checks:
        from flyt.i18n import t

        raise click.ClickException(t("simulation_validate_nothing", lang))
    if fmt == "text":
        write_text(validation_table(checks, lang), output, sys.stdout)
    else:
        write([c.record() for c in checks], VALIDATION_COLUMNS, fmt, output, sys.stdout)
