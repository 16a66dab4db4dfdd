"""``flyt report payment``: the payment basis of a month per municipality (docs/payment.md)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from flyt import i18n
from flyt.cli.common import MOMENT, MONTH, Context, db_option, user_errors
from flyt.output import writers
from flyt.payment import render
from flyt.payment.basis import gather
from flyt.payment.rates import load_payment_settings


@click.command()
@click.option("--month", type=MONTH, required=True, help="The month billed (YYYY-MM).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (needed for xlsx and pdf; csv goes to standard output).")
@click.option("--cutoff", type=MOMENT, help="Data as of this moment (a date = 00:00). "
              "Default: 00:00 today.")
@click.option("--scenario", is_flag=True, help="CSV: add the scenario's columns "
              "scenario_amount and difference (xlsx and pdf always show it).")
@click.option("--lang", type=click.Choice(i18n.LANGS), default="nb", show_default=True)
@db_option
@user_errors
def payment(month: date, fmt: str, output: Path | None, cutoff: datetime | None,
            scenario: bool, lang: str, db_url: str | None) -> None:
    """Payment basis: UKP days x the year's day rate per municipality, and a scenario
    with a rate that rises with the wait."""
    if fmt != "csv" and output is None:
        raise click.UsageError(f"--format {fmt} writes a file: give it with --output FILE")
    settings = load_payment_settings()  # a bad [payment] section fails before any work
    ctx = Context(db_url)
    basis = gather(ctx.db, month, ctx.cutoff(cutoff), settings, ctx.settings.goals)
    if (provisional := render.provisional_note(basis.day_rate, lang)) is not None:
        click.echo(provisional, err=True)  # also in every output (docs/payment.md)
    if fmt == "csv":
        columns, records = render.csv_records(basis, scenario)
        writers.write(records, columns, "csv", output, sys.stdout)
    elif fmt == "xlsx":
        assert output is not None
        render.xlsx(basis, output, lang)
    else:
        assert output is not None
        output.write_bytes(render.pdf(basis, lang))
    if output is not None:
        click.echo(f"Wrote {output}", err=True)
