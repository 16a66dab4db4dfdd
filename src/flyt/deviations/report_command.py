"""``flyt report deviations``: the annual report's long table as CSV or XLSX
(docs/deviations.md, "The annual report"). PDF and HTML come in a later part."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from flyt import i18n
from flyt.cli.common import Context, db_option, user_errors
from flyt.deviations import report as numbers
from flyt.output import writers

_YEAR = re.compile(r"^\d{4}$")


def parse_year(text: str, lang: str) -> int:
    """A four-digit year within the report's range, or a one-line refusal."""
    given = text.strip()
    if not _YEAR.match(given) or not numbers.FIRST_YEAR <= int(given) <= numbers.LAST_YEAR:
        raise click.ClickException(i18n.t("devrep_bad_year", lang).format(
            value=given, first=numbers.FIRST_YEAR, last=numbers.LAST_YEAR))
    return int(given)


def parse_tertial(text: str | None, lang: str) -> int | None:
    """1, 2 or 3 (None: the whole year), or a one-line refusal."""
    if text is None:
        return None
    given = text.strip()
    if given not in {str(t) for t in numbers.TERTIALS}:
        raise click.ClickException(i18n.t("devrep_bad_tertial", lang).format(value=given))
    return int(given)


@click.command(name="deviations")
@click.option("--year", required=True, metavar="YYYY", help="The year the deviations "
              "occurred in.")
@click.option("--tertial", metavar="1|2|3", help="Only this tertial: 1 January–April, "
              "2 May–August, 3 September–December.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (needed for xlsx; csv goes to standard output).")
@click.option("--lang", type=click.Choice(i18n.LANGS), default="nb", show_default=True,
              help="Language of the messages.")
@db_option
@user_errors
def deviations(year: str, tertial: str | None, fmt: str, output: Path | None, lang: str,
               db_url: str | None) -> None:
    """Deviations (samhandlingsavvik) counted by category, severity, level, direction,
    organisation, month, weekday, hour and status: year,period,dimension,value,count."""
    chosen_year, chosen_tertial = parse_year(year, lang), parse_tertial(tertial, lang)
    if fmt == "xlsx" and output is None:
        raise click.ClickException(i18n.t("devrep_needs_output", lang).format(format=fmt))
    table = numbers.rows(Context(db_url).db, chosen_year, chosen_tertial)
    writers.write(table, numbers.COLUMNS, fmt, output, sys.stdout)
    if output is not None:
        click.echo(i18n.t("devrep_wrote", lang).format(path=output, rows=len(table)),
                   err=True)
