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
