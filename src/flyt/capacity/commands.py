"""``flyt forecast``: the capacity forecast as CSV or JSON, or its backtest; ``flyt
escalation``: the escalation levels (docs/capacity.md)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from flyt.cli.common import MOMENT, Context, db_option, user_errors

COLUMNS = ("date", "group_type", "group_id", "measure", "mean", "lower", "upper")
DECIMALS = 3  # enough for a fraction of a patient; more only pretends


@click.command(name="forecast")
@click.option("--at", type=MOMENT, help="What the store knows at this moment (default: now).")
@click.option("--horizon", type=click.IntRange(1, 90), default=None,
              help="Days ahead, 1–90 (default 56).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@click.option("--backtest", is_flag=True,
              help="Score the forecast from earlier origins beside the seasonal-naive ones.")
@click.option("--origins", type=click.IntRange(1, 104), default=12, show_default=True,
              help="With --backtest: how many origins, a week apart.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@db_option
@user_errors
def forecast(at: datetime | None, horizon: int | None, fmt: str, output: Path | None,
             backtest: bool, origins: int, lang: str, db_url: str | None) -> None:
    """Forecast the daily 08:00 census of UKP patients and of unit beds, 1–90 days ahead."""
    from flyt.capacity import history
    from flyt.capacity.forecast import ForecastError
    from flyt.domain import clock
    from flyt.i18n import t
    from flyt.output.writers import write

    ctx = Context(db_url)
    moment = at or clock.now()
    try:
        known = history.read(ctx.db, moment)
        if backtest:
            from flyt.capacity import backtest as scoring
            from flyt.capacity.text import backtest_table
            from flyt.output.writers import write_text

            result = scoring.run(known, origins, horizon or 56)
            write_text(backtest_table(result, lang), output, sys.stdout)
            return
        from flyt.capacity.forecast import forecast as make

        made = make(known, horizon or 56)
    except ForecastError as error:
        raise click.ClickException(t(error.key, lang).format(**error.values)) from None
    for skipped in made.skipped:
        click.echo(t("capacity_unit_skipped", lang).format(unit=skipped.group_id), err=True)
    records = [{"date": r.day.isoformat(), "group_type": r.group_type,
                "group_id": r.group_id, "measure": r.measure, "mean": round(r.mean, DECIMALS),
                "lower": round(r.lower, DECIMALS), "upper": round(r.upper, DECIMALS)}
               for r in made.rows]
    write(records, COLUMNS, fmt, output, sys.stdout)


ESCALATION_KEYS = ("group_type", "group_id", "level", "indicators", "since")


@click.group(name="escalation", invoke_without_command=True)
@click.option("--at", type=MOMENT, help="The levels at this moment (default: now).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("--no-store", is_flag=True, help="Compute without keeping the levels.")
@db_option
@click.pass_context
@user_errors
def escalation(click_ctx: click.Context, at: datetime | None, fmt: str, lang: str,
               no_store: bool, db_url: str | None) -> None:
    """Escalation levels 1–4 of the community and each municipality, with their indicators
    (`flyt escalation notify`: at the 08:00 census, with an e-mail when a level rises)."""
    if click_ctx.invoked_subcommand is not None:
        return
    import json

    from flyt.capacity import escalation_inputs, escalation_store
    from flyt.capacity.escalation_settings import load_escalation_settings
    from flyt.capacity.escalation_text import (
        escalation_table,
        missing_note,
        municipality_label,
    )
    from flyt.domain import clock
    from flyt.i18n import t
    from flyt.store import reference

    settings = load_escalation_settings()  # a bad setting stops before any work
    ctx = Context(db_url)
    names = {m.code: m.name for m in reference.municipalities(ctx.db)}
    moment = (at or clock.now()).replace(second=0, microsecond=0)
    levels, left_out = escalation_inputs.assess_all(ctx.db, moment, settings)
    for group_id in left_out:
        click.echo(t("esc_group_left_out", lang).format(
            group=municipality_label(group_id, names)), err=True)
    if not levels:
        raise click.ClickException(t("esc_nothing", lang))
    since = escalation_store.since(ctx.db, moment, levels)
    if not no_store:
        escalation_store.save(ctx.db, moment, levels, clock.stamp())
    if fmt == "text":
        click.echo(escalation_table(moment, levels, since, lang, names), nl=False)
        return
    for level in levels:
        if level.missing:
            click.echo(missing_note(level, lang, names), err=True)
    records = [{"group_type": g.group_type, "group_id": g.group_id, "level": g.level,
                "indicators": escalation_store.indicator_records(g),
                "since": since[(g.group_type, g.group_id)].isoformat(timespec="minutes")}
               for g in levels]
    click.echo(json.dumps(records, ensure_ascii=False, indent=2))


@escalation.command(name="notify")
@click.option("--at", type=MOMENT, help="The snapshot moment (default: the latest 08:00).")
@click.option("--dry-run", is_flag=True, help="Say what would be stored and mailed; change "
              "and send nothing.")
@db_option
@user_errors
def notify_command(at: datetime | None, dry_run: bool, db_url: str | None) -> None:
    """Compute and store the levels at the 08:00 census and mail [escalation.mail]
    recipients once when a level rises."""
    from flyt.capacity.escalation_alert import alert

    result = alert(Context(db_url).db, at, dry_run=dry_run)
    for line in result.lines:
        click.echo(line)
    if result.failures:
        sys.exit(1)


@click.command(name="capacity")  # flyt report capacity
@click.option("--at", type=MOMENT, help="The moment the report is for (default: now); its "
              "census is the last 08:00 at or before it.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "xlsx"]), default="pdf",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (needed for pdf and xlsx; html goes to standard output "
              "without it).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@db_option
@user_errors
def report_capacity(at: datetime | None, fmt: str, output: Path | None, lang: str,
                    db_url: str | None) -> None:
    """The weekly capacity report for the Monday meeting: escalation levels, the
    community's forecast by week, the units' beds and the seasonal calendar (shared
    edition: small counts hidden)."""
    from flyt import i18n
    from flyt.capacity import report
    from flyt.capacity.escalation_settings import load_escalation_settings
    from flyt.domain import clock

    if fmt != "html" and output is None:
        raise click.UsageError(f"--format {fmt} needs --output FILE")
    settings = load_escalation_settings()  # a bad setting stops before any work
    ctx = Context(db_url)
    moment = (at or clock.now()).replace(second=0, microsecond=0)
    found = report.gather(ctx.db, moment, ctx.settings.suppression_threshold, settings)
    if not report.has_data(found):
        raise click.ClickException(i18n.t("caprep_nothing", lang).format(
            at=i18n.moment(moment, lang)))
    if fmt == "xlsx":
        data = report.to_xlsx(found, lang)
    else:
        document = report.to_html(found, lang)
        if output is None:
            click.echo(document)
            return
        from flyt.output import documents

        data = documents.pdf(document) if fmt == "pdf" else document.encode("utf-8")
    assert output is not None  # refused above for pdf and xlsx
    output.write_bytes(data)
    click.echo(i18n.t("caprep_wrote", lang).format(
        path=output, size=i18n.number(len(data), 0, lang)), err=True)
