"""``flyt deviations import`` and ``flyt deviations export`` (docs/deviations.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from flyt.cli.common import Context, db_option, user_errors

DEFAULT_SOURCE = "import"


@click.group(name="deviations")
def deviations() -> None:
    """Samhandlingsavvik: import an organisation's list, export every deviation."""


@deviations.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--source", default=DEFAULT_SOURCE, show_default=True,
              help="The system the list comes from; rows are keyed by it and source_id.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@db_option
@user_errors
def import_command(file: Path, source: str, fmt: str, db_url: str | None) -> None:
    """Import FILE (CSV or XLSX) all or nothing; every bad row is listed."""
    from flyt.deviations import importing
    from flyt.i18n import t
    from flyt.ingest.errors import InputError
    from flyt.ingest.sources import checked_source

    try:
        outcome = importing.import_file(Context(db_url).db, file, checked_source(source))
    except InputError as bad:
        if fmt == "json":
            click.echo(json.dumps({"file": file.name, "status": "rejected",
                                   "message": bad.message}, ensure_ascii=False))
            sys.exit(1)
        raise click.ClickException(f"{file.name}: {bad.message}") from None
    if fmt == "json":
        click.echo(json.dumps(outcome.as_dict(), ensure_ascii=False, indent=1))
    else:
        for line in importing.lines(outcome):
            click.echo(line, err=not outcome.accepted)
    if not outcome.accepted:
        click.echo(t("devio_rejected", "en").format(file=outcome.file_name,
                                                    count=len(outcome.errors)), err=True)
        sys.exit(1)


@deviations.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), required=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The file to write (default: standard output; XLSX needs a file or a pipe).")
@db_option
@user_errors
def export_command(fmt: str, output: Path | None, db_url: str | None) -> None:
    """Every deviation with its receivers and current status, in the import's columns."""
    from flyt.deviations import exporting

    count = exporting.export(Context(db_url).db, fmt, output, sys.stdout)
    click.echo(f"{count} deviations exported", err=True)
