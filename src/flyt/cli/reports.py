"""``flyt report monthly|snapshot|payment``: the reports of case 4/24 (docs/reports.md)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from flyt import i18n
from flyt.cli.common import MOMENT, MONTH, Context, announce, db_option, user_errors
from flyt.engine import moments


@click.group(name="report")
def report() -> None:
    """Write a report: monthly KPI report, snapshot, payment basis."""


lang_option = click.option("--lang", type=click.Choice(i18n.LANGS), default="nb",
                           show_default=True, help="Language of the report.")
report_output = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                             help="Write to FILE (required for pdf and xlsx; html goes to "
                             "standard output without it).")


def write_report(content: bytes | str, fmt: str, output: Path | None) -> None:
    if output is None:
        if fmt != "html":
            raise click.UsageError(f"--format {fmt} needs --output FILE")
        click.echo(content)
        return
    data = content.encode("utf-8") if isinstance(content, str) else content
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data):,} bytes).", err=True)


@report.command(name="monthly")
@click.option("--month", type=MONTH, help="The month (YYYY-MM). Default: the last complete "
              "month before the cut-off.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "xlsx"]), default="pdf",
              show_default=True)
@click.option("--for-municipality", "municipality", metavar="KOMMUNENUMMER",
              help="That municipality's edition: its own figures exact.")
@click.option("--cutoff", type=MOMENT, help="Data as of this moment. Default: now (the newest "
              "data).")
@lang_option
@report_output
@db_option
@user_errors
def monthly_command(month: date | None, fmt: str, municipality: str | None,
                    cutoff: datetime | None, lang: str, output: Path | None,
                    db_url: str | None) -> None:
    """The monthly KPI report: status, trends, regions and municipalities, completeness."""
    from flyt.output import documents
    from flyt.reports import monthly

    ctx = Context(db_url)
    cutoff = ctx.cutoff(cutoff)
    month = month or moments.last_complete_month(cutoff)
    click.echo(announce(cutoff, month, lang), err=True)
    data = monthly.build(ctx.db, ctx.settings, month, cutoff=cutoff, municipality=municipality)
    if fmt == "xlsx":
        write_report(monthly.to_xlsx(data, lang), fmt, output)
        return
    document = monthly.to_html(data, lang)
    write_report(documents.pdf(document) if fmt == "pdf" else document, fmt, output)


@report.command(name="snapshot")
@click.option("--at", "at", type=MOMENT, help="The moment (YYYY-MM-DDTHH:MM). Default: now.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "xlsx"]), default="pdf",
              show_default=True)
@click.option("--for-municipality", "municipality", metavar="KOMMUNENUMMER",
              help="That municipality's edition: its own line exact.")
@lang_option
@report_output
@db_option
@user_errors
def snapshot_command(at: datetime | None, fmt: str, municipality: str | None, lang: str,
                     output: Path | None, db_url: str | None) -> None:
    """The Monday/Thursday snapshot: UKP patients now, per municipality, after-care beds."""
    from flyt.output import documents
    from flyt.reports import snapshot

    ctx = Context(db_url)
    report_data = snapshot.build(ctx.db, ctx.settings,
                                 at or moments.now().replace(second=0, microsecond=0),
                                 municipality)
    if fmt == "xlsx":
        write_report(snapshot.to_xlsx(report_data, lang), fmt, output)
        return
    document = snapshot.to_html(report_data, lang)
    write_report(documents.pdf(document) if fmt == "pdf" else document, fmt, output)

