"""``flyt simulate``: the what-if model's baseline, scenario and difference as CSV or
JSON (spec/capacity.md, "What-if simulation"; docs/simulation.md)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from flyt.cli.common import Context, db_option, user_errors

if TYPE_CHECKING:
    from flyt.simulation.run import Result

COLUMNS = ("run", "group_type", "group_id", "measure", "mean", "lower", "upper")


def run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--from, --to, --replications, --seed, --scenario, --years: a run's arguments."""
    for option in reversed((
        click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]),
                     help="First day simulated (YYYY-MM-DD); the model learns from the "
                          "years before it."),
        click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]),
                     help="Last day simulated (YYYY-MM-DD), at most three years after "
                          "--from."),
        click.option("--replications", type=click.IntRange(1, 10_000), default=1000,
                     show_default=True),
        click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=1,
                     show_default=True, help="The same seed gives the same numbers."),
        click.option("--scenario", "scenario_path",
                     type=click.Path(dir_okay=False, exists=True, path_type=Path),
                     help="A TOML file of changes (docs/simulation.md)."),
        click.option("--years", type=click.IntRange(1, 20), default=3, show_default=True,
                     help="Years of history before --from to calibrate on."),
    )):
        command = option(command)
    return command


@click.command(name="simulate")
@run_options
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

    if validate:
        _validate(Context(db_url), years, replications, seed, list(years_checked),
                  fmt or "text", output, lang)
        return
    if first is None or last is None:
        raise click.ClickException(t("simulation_period_missing", lang))
    if fmt == "text":
        raise click.ClickException(t("simulation_text_only_validate", lang))
    result = _run(Context(db_url), _day(first), _day(last), replications, seed,
                  scenario_path, years, lang)
    write([row.record() for row in result.rows], COLUMNS, fmt or "csv", output, sys.stdout)


def _run(ctx: Context, first: date, last: date, replications: int, seed: int,
         scenario_path: Path | None, years: int, lang: str) -> Result:
    """Read the scenario, calibrate and simulate; every refusal one clear message."""
    from flyt.i18n import t
    from flyt.simulation import run, scenario
    from flyt.simulation.calibration import CalibrationError
    from flyt.simulation.model import MAX_DAYS
    from flyt.store import reference

    if not 1 <= (last - first).days + 1 <= MAX_DAYS:
        raise click.ClickException(t("simulation_period_bad", lang).format(most=MAX_DAYS))
    chosen = None
    if scenario_path is not None:
        codes = {m.code for m in reference.municipalities(ctx.db)}
        try:
            chosen = scenario.load(scenario_path, codes, reference.unit_kinds(ctx.db))
        except scenario.ScenarioError as error:
            raise click.ClickException(error.message(lang)) from None
    try:
        return run.simulate(ctx.db, first, last, replications, seed, chosen, years)
    except CalibrationError as error:
        raise click.ClickException(error.message(lang)) from None


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


@click.command(name="simulation")  # flyt report simulation
@run_options
@click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (needed for pdf; html goes to standard output without it).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@db_option
@user_errors
def report_simulation(first: date | None, last: date | None, replications: int, seed: int,
                      scenario_path: Path | None, years: int, fmt: str, output: Path | None,
                      lang: str, db_url: str | None) -> None:
    """The what-if report for the committee: the scenario's changes, and baseline,
    scenario and difference with 90 % intervals per community, region and municipality."""
    from flyt import i18n
    from flyt.output import documents
    from flyt.simulation import report
    from flyt.store import reference

    if fmt != "html" and output is None:
        raise click.UsageError(f"--format {fmt} needs --output FILE")
    if first is None or last is None:
        raise click.ClickException(i18n.t("simulation_period_missing", lang))
    ctx = Context(db_url)
    result = _run(ctx, _day(first), _day(last), replications, seed, scenario_path, years,
                  lang)
    names = {m.code: m.name for m in reference.municipalities(ctx.db)}
    document = report.to_html(result, names, lang)
    if output is None:
        click.echo(document)
        return
    data = documents.pdf(document) if fmt == "pdf" else document.encode("utf-8")
    output.write_bytes(data)
    click.echo(i18n.t("simrep_wrote", lang).format(
        path=output, size=i18n.number(len(data), 0, lang)), err=True)
