"""``flyt plan show``, ``flyt plan import`` and ``flyt plan export`` (docs/plan.md)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import click

from flyt.cli.common import Context, db_option, user_errors

DATE = click.DateTime(formats=["%Y-%m-%d", "%d.%m.%Y"])


@click.group(name="plan")
def plan() -> None:
    """Tiltaksplan: the Theory of Change and the action plan with statuses by rule."""


def _at(given: datetime | None) -> date:
    from flyt.domain import clock

    return given.date() if given else clock.today()


def _view(ctx: Context, at: date):  # noqa: ANN202 (flyt.plan.view.PlanAt; imported late)
    from flyt.plan.settings import load_plan_settings
    from flyt.plan.view import plan_at

    return plan_at(ctx.db, at, load_plan_settings(), ctx.settings.goals)


@plan.command(name="show")
@click.option("--at", type=DATE, help="The date the statuses are computed at (default: "
              "today).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text",
              show_default=True)
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@db_option
@user_errors
def show(at: datetime | None, fmt: str, lang: str, db_url: str | None) -> None:
    """The whole plan with each item's status as set and as computed."""
    from flyt.plan import exchange, text

    view = _view(Context(db_url), _at(at))
    if fmt == "json":
        click.echo(json.dumps(exchange.document(view.plan, view.computed),
                              ensure_ascii=False, indent=1))
    else:
        click.echo(text.plan_text(view, lang), nl=False)


@plan.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@db_option
@user_errors
def import_command(file: Path, lang: str, db_url: str | None) -> None:
    """Replace the plan with FILE (XLSX or the JSON of `plan show`), all or nothing."""
    from flyt.i18n import t
    from flyt.ingest.errors import InputError
    from flyt.plan import exchange, storage

    try:
        new = exchange.read_file(file)
    except InputError as bad:
        raise click.ClickException(f"{file.name}: {bad.message_in(lang)}") from None
    except exchange.PlanRejected as rejected:
        for problem in rejected.problems:
            click.echo(problem.line(lang), err=True)
        raise click.ClickException(t("plan_rejected", lang).format(
            file=file.name, count=len(rejected.problems))) from None
    stored = storage.replace_plan(Context(db_url).db, new, who=None)
    click.echo(t("plan_imported", lang).format(
        file=file.name, measures=len(stored.measures),
        activities=sum(len(m.activities) for m in stored.measures),
        elements=len(stored.elements)))


@plan.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json"]), required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The file written.")
@db_option
@user_errors
def export(fmt: str, output: Path, db_url: str | None) -> None:
    """Write the plan to a file that `flyt plan import` reads back unchanged."""
    from flyt.plan import exchange, storage

    current = storage.read_plan(Context(db_url).db)
    if fmt == "xlsx":
        exchange.write_xlsx(current, output)
    else:
        exchange.write_json(current, output)


@plan.command(name="notify")
@click.option("--at", type=DATE, help="The day the statuses are judged at (default: today).")
@click.option("--dry-run", is_flag=True, help="Say what would be mailed; send and keep "
              "nothing.")
@db_option
@user_errors
def notify_command(at: datetime | None, dry_run: bool, db_url: str | None) -> None:
    """Mail the owner of each activity that turned yellow or red, once per change
    (addresses under [plan.contacts])."""
    import sys

    from flyt.i18n import t
    from flyt.plan.notify import notify

    result = notify(Context(db_url).db, _at(at), dry_run=dry_run)
    for line in result.lines or [t("planmail_nothing", result.lang)]:
        click.echo(line)
    if result.failures:
        sys.exit(1)


@click.command(name="plan")  # flyt report plan
@click.option("--since", type=DATE, required=True, help="The last meeting: changes from "
              "this day on are listed.")
@click.option("--at", type=DATE, help="The day the statuses are computed at (default: "
              "today).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "xlsx"]), default="pdf",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (needed for pdf and xlsx; html goes to standard output "
              "without it).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@db_option
@user_errors
def report_plan(since: datetime, at: datetime | None, fmt: str, output: Path | None, lang: str,
                db_url: str | None) -> None:
    """The action plan's status report for a meeting: the vision and Theory of Change,
    the effects with their KPI status and trend, every measure and activity, what
    changed since --since, what is late and what is red."""
    from flyt import i18n
    from flyt.plan import report
    from flyt.plan.settings import load_plan_settings

    day = _at(at)
    if since.date() > day:
        raise click.ClickException(i18n.t("planrep_since_after_at", lang).format(
            since=i18n.day(since, lang), at=i18n.day(day, lang)))
    if fmt != "html" and output is None:
        raise click.UsageError(f"--format {fmt} needs --output FILE")
    ctx = Context(db_url)
    found = report.gather(ctx.db, since.date(), day, load_plan_settings(), ctx.settings.goals)
    if fmt == "xlsx":
        data = report.to_xlsx(found, lang)
    else:
        from flyt.output import documents

        document = report.to_html(found, lang)
        if output is None:
            click.echo(document)
            return
        data = documents.pdf(document) if fmt == "pdf" else document.encode("utf-8")
    assert output is not None  # refused above for pdf and xlsx
    output.write_bytes(data)
    click.echo(i18n.t("planrep_wrote", lang).format(
        path=output, size=i18n.number(len(data), 0, lang)), err=True)
