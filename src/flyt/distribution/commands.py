"""``flyt send monthly|snapshot|capacity`` and ``flyt schedule run|show`` (docs/distribution.md)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from flyt.cli.common import MOMENT, MONTH, Context, db_option, stop_on_signals, user_errors
from flyt.distribution.delivery import (
    Target,
    deliver,
    outcome_line,
    render,
    run_due,
    scheduled_kinds,
    sender_of,
    utc_now,
)
from flyt.distribution.mail import build_message, summary
from flyt.distribution.running import check_schedulable, run_schedule
from flyt.distribution.schedule import (
    attempts,
    latest_slot,
    next_slot,
    remaining_attempts,
    wall_clock,
)
from flyt.distribution.send_log import history
from flyt.distribution.settings import KINDS, DistributionSettings, load_distribution
from flyt.domain.months import add_months
from flyt.i18n import LANGS, moment, t

lang_option = click.option("--lang", type=click.Choice(LANGS), default="nb", show_default=True,
                           help="Language of the report and the messages.")


def send_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed((
        lang_option,
        click.option("--dry-run", is_flag=True,
                     help="Build the e-mail and print a summary instead of sending it."),
        click.option("--eml", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Write the e-mail to this .eml file instead of sending it."),
        db_option,
    )):
        func = option(func)
    return func


@click.group(name="send")
def send() -> None:
    """Mail a report to its list under [distribution] in the configuration."""


@send.command(name="monthly")
@click.option("--month", type=MONTH, default=None,
              help="The month the report covers (YYYY-MM). Default: the previous month.")
@send_options
@user_errors
def send_monthly(month: date | None, lang: str, dry_run: bool, eml: Path | None,
                 db_url: str | None) -> None:
    """Send the monthly KPI report (PDF attached, HTML body)."""
    month = month or add_months(wall_clock(utc_now()).date(), -1)
    _send(Target.monthly(month), lang, dry_run, eml, db_url)


@send.command(name="snapshot")
@click.option("--at", "at", type=MOMENT, default=None,
              help="The moment of the snapshot (Oslo time). Default: now.")
@send_options
@user_errors
def send_snapshot(at: datetime | None, lang: str, dry_run: bool, eml: Path | None,
                  db_url: str | None) -> None:
    """Send the snapshot report (the Monday/Thursday picture)."""
    at = at or wall_clock(utc_now()).replace(second=0)
    _send(Target.snapshot(at), lang, dry_run, eml, db_url)


@send.command(name="capacity")
@click.option("--at", "at", type=MOMENT, default=None,
              help="The moment the report is for (Oslo time). Default: now.")
@send_options
@user_errors
def send_capacity(at: datetime | None, lang: str, dry_run: bool, eml: Path | None,
                  db_url: str | None) -> None:
    """Send the weekly capacity report (the Monday meeting's)."""
    at = at or wall_clock(utc_now()).replace(second=0)
    _send(Target.capacity(at), lang, dry_run, eml, db_url)


def _send(target: Target, lang: str, dry_run: bool, eml: Path | None,
          db_url: str | None) -> None:
    ctx = Context(db_url)
    dist = load_distribution()
    if dry_run or eml:
        _preview(ctx, dist, target, lang, eml)
        return
    row = deliver(ctx.db, ctx.settings, dist, target, lang=lang)
    line = outcome_line(row, lang)
    if row.status != "sent":
        raise click.ClickException(line)
    click.echo(line)


def _preview(ctx: Context, dist: DistributionSettings, target: Target, lang: str,
             eml: Path | None) -> None:
    recipients, sender = dist.recipients_for(target.kind), sender_of(dist)
    try:
        report = render(ctx.db, ctx.settings, target, lang)
    except (ImportError, LookupError, ValueError) as exc:  # renderer not there, no data
        raise click.ClickException(f"cannot build the report: {exc}") from exc
    message = build_message(report, sender, recipients, lang)
    if eml:
        eml.write_bytes(message.as_bytes())
        click.echo(t("dist_eml_written", lang).format(path=eml))
        return
    click.echo(summary(message, lang))
    click.echo(t("dist_dry_run", lang))


@click.group(name="schedule")
def schedule() -> None:
    """Send the reports when due: snapshot Monday and Thursday, the monthly on the 20th,
    the capacity report Monday."""


@schedule.command(name="run")
@click.option("--once", is_flag=True, help="Send what is due now (or at --now) and exit.")
@click.option("--now", "now", type=MOMENT, default=None,
              help="With --once: act as if it were this moment (Oslo time).")
@lang_option
@db_option
@user_errors
def schedule_run(once: bool, now: datetime | None, lang: str, db_url: str | None) -> None:
    """Run the schedule: sleep until a report is due, send it, retry failures; Ctrl+C
    or SIGTERM stops it (once the send under way is done)."""
    if now and not once:
        raise click.UsageError("--now goes with --once")
    ctx = Context(db_url)
    dist = load_distribution()
    if not once:
        kinds = check_schedulable(dist)
        db = ctx.db
        stopping = stop_on_signals()
        click.echo(t("dist_schedule_started", lang).format(
            kinds=", ".join(t(f"dist_kind_{k}", lang) for k in kinds)))
        run_schedule(db, ctx.settings, dist, stopping, lang=lang, echo=_echo_now,
                     warn=lambda line: click.echo(line, err=True))
        return
    rows = run_due(ctx.db, ctx.settings, dist, now or utc_now(), lang=lang, echo=click.echo)
    if not rows:
        click.echo(t("dist_nothing_due", lang))
    failed = [row for row in rows if row.status != "sent"]
    if failed:
        raise click.ClickException(outcome_line(failed[-1], lang))


def _echo_now(line: str) -> None:
    # The long-running loop's output goes to a journal: flush each line as it happens.
    click.echo(line)
    sys.stdout.flush()


@schedule.command(name="show")
@click.option("--now", "now", type=MOMENT, default=None, help="As of this moment (Oslo time).")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="How many logged attempts to list.")
@lang_option
@db_option
@user_errors
def schedule_show(now: datetime | None, limit: int, lang: str, db_url: str | None) -> None:
    """Print the next due times, the latest slots' state and the recent attempts."""
    ctx = Context(db_url)
    dist = load_distribution()
    current = now or utc_now()
    kinds = scheduled_kinds(dist)
    click.echo(t("dist_next", lang))
    for kind in KINDS:
        name = t(f"dist_kind_{kind}", lang)
        if kind not in kinds:
            click.echo(f"  {name:<18} {t('dist_not_scheduled', lang)}")
            continue
        slot = next_slot(dist.schedule, kind, current)
        click.echo(f"  {name:<18} {moment(slot.at, lang)}  ({slot.period})")
    latest = [latest_slot(dist.schedule, kind, current) for kind in kinds]
    log = history(ctx.db, kinds=kinds, periods=tuple(s.period for s in latest))
    click.echo(t("dist_latest", lang))
    for slot in latest:
        sent, failed = attempts(log, slot)
        state = ("dist_state_sent" if sent else "dist_state_due"
                 if remaining_attempts(dist.schedule, failed) else "dist_state_given_up")
        click.echo(f"  {t(f'dist_kind_{slot.kind}', lang):<18} {slot.period:<17} "
                   f"{t(state, lang).format(n=failed)}")
    click.echo(t("dist_recent", lang))
    rows = history(ctx.db, limit=limit)
    if not rows:
        click.echo(f"  {t('dist_no_sends', lang)}")
    for row in rows:
        click.echo(f"  {moment(row.created_at, lang)}  {t(f'dist_kind_{row.kind}', lang):<18} "
                   f"{row.period:<17} {t(f'dist_status_{row.status}', lang):<7} "
                   f"#{row.attempt}  {row.error or row.recipients}")


schedule.add_command(schedule_show, name="list")
