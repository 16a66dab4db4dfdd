"""PLO messages: ``flyt import plo PATH [--watch]`` and ``flyt plo …`` (receivers,
receipts, quarantine, retry). See docs/plo.md."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import click

from flyt.cli.common import Context, db_option, stop_on_signals, user_errors
from flyt.config import data_dir
from flyt.plo import receivers as config
from flyt.plo import watching
from flyt.plo.limits import PloLimits, load_plo_limits
from flyt.plo.outcomes import FAILED, UNREADABLE, Outcome
from flyt.plo.receive import message_files, receive_files
from flyt.plo.replay import ReplayResult, replay_messages
from flyt.plo.retry import retry
from flyt.plo.watching import Reporter, Watch

format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                             default="text", show_default=True)
receipts_option = click.option(
    "--receipts", "receipts_dir", type=click.Path(file_okay=False, path_type=Path),
    default=None, help="Folder for the application receipts (default: <data dir>/plo/receipts).")


def receipts_folder(option: Path | None) -> Path:
    return option or data_dir() / "plo" / "receipts"


def outcome_lines(outcomes: list[Outcome], fmt: str) -> list[str]:
    """One line per message received (standard output)."""
    if fmt == "json":
        return [json.dumps(o.as_dict(), ensure_ascii=False) for o in outcomes]
    return [f"{o.file}: {o.status} ({o.type or '?'} {o.msg_id or 'no MsgId'})"
            + (f": {o.reason}" if o.reason else "") for o in outcomes]


def replay_lines(result: ReplayResult, fmt: str) -> list[str]:
    """What the replay did, in text format (standard error)."""
    if fmt != "text":
        return []
    return [f"Replayed: {result.stays} stays, {result.periods} UKP periods; "
            f"{result.pending} events wait for their stay, "
            f"{result.ignored} came after their stay ended."]


def echo_outcomes(outcomes: list[Outcome], fmt: str) -> None:
    for line in outcome_lines(outcomes, fmt):
        click.echo(line)


def echo_replay(result: ReplayResult, fmt: str) -> None:
    for line in replay_lines(result, fmt):
        click.echo(line, err=True)


def receive_and_replay(ctx: Context, files: list[Path], receipts_dir: Path, fmt: str,
                       limits: PloLimits) -> list[Outcome]:
    outcomes = receive_files(ctx.db, files, ctx.settings, receipts_dir, limits=limits)
    echo_outcomes(outcomes, fmt)
    echo_replay(replay_messages(ctx.db), fmt)
    return outcomes


def not_received(outcomes: list[Outcome]) -> str | None:
    """What to say when files were left unanswered (the exit code is then 1)."""
    counts = Counter(o.status for o in outcomes if o.status in (UNREADABLE, FAILED))
    parts = [f"{n} file{'s' * (n != 1)} could not be read" for n in [counts[UNREADABLE]] if n]
    parts += [f"{n} message{'s' * (n != 1)} could not be stored" for n in [counts[FAILED]] if n]
    return "; ".join(parts) + " (listed above; the others were received)" if parts else None


def watch(ctx: Context, folder: Path, receipts: Path, fmt: str, limits: PloLimits,
          interval: float, max_cycles: int | None) -> None:
    """`--watch`: read new files every `interval` seconds until Ctrl+C or SIGTERM
    (flyt.plo.watching; `flyt serve --watch-plo` runs the same loop in a thread)."""
    db = ctx.db  # a store that does not open is said at once, not at every look
    stopping = stop_on_signals()
    report = Reporter(received=lambda outcomes: echo_outcomes(outcomes, fmt),
                      replayed=lambda result: echo_replay(result, fmt),
                      failed=lambda line: click.echo(line, err=True))
    watching.watch(db, ctx.settings, Watch([folder], receipts, limits, interval), report,
                   stopping, max_cycles=max_cycles, pause=pause)
    if stopping.is_set():
        click.echo("Stopped watching.", err=True)


def pause(stopping: threading.Event, seconds: float) -> None:
    """Wait between looks at the folder, or until asked to stop."""
    watching.wait(stopping, seconds)


@click.command(name="plo")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--watch", "watching", is_flag=True,
              help="Keep reading new files in the folder as they come.")
@click.option("--interval", type=click.FloatRange(min=0), default=5.0, show_default=True,
              help="Seconds between looks at the folder (with --watch).")
@click.option("--max-cycles", type=click.IntRange(min=1), default=None, hidden=True)
@receipts_option
@format_option
@db_option
@user_errors
def import_plo(path: Path, watching: bool, interval: float, max_cycles: int | None,
               receipts_dir: Path | None, fmt: str, db_url: str | None) -> None:
    """Receive PLO pasientlogistikk messages (a file, or a folder's *.xml files)."""
    limits = load_plo_limits()  # a bad [plo] section fails before any work
    ctx = Context(db_url)
    receipts = receipts_folder(receipts_dir)
    if not watching:
        problem = not_received(receive_and_replay(ctx, message_files(path), receipts, fmt,
                                                  limits))
        if problem:
            raise click.ClickException(problem)
        return
    if not path.is_dir():
        raise click.ClickException("--watch needs a folder")
    watch(ctx, path, receipts, fmt, limits, interval, max_cycles)


@click.group(name="plo")
def plo() -> None:
    """PLO messages: receiver configuration, receipts, quarantine."""


@plo.group(name="receivers")
def receivers_group() -> None:
    """Which municipality each receiving HER-id belongs to."""


@receivers_group.command(name="add")
@click.argument("her_id")
@click.argument("municipality", metavar="KOMMUNENUMMER")
@db_option
@user_errors
def receivers_add(her_id: str, municipality: str, db_url: str | None) -> None:
    """Map a receiver's HER-id to a municipality."""
    config.add_receiver(Context(db_url).db, her_id, municipality)
    click.echo(f"HER-id {her_id} → {municipality}. Run `flyt plo retry` for quarantined messages.")


@receivers_group.command(name="list")
@format_option
@db_option
@user_errors
def receivers_list(fmt: str, db_url: str | None) -> None:
    """Show the configured receivers."""
    rows = config.receivers(Context(db_url).db)
    echo_rows(rows, fmt, lambda r: f"{r['her_id']}\t{r['municipality']}", "No receivers yet.")


@receivers_group.command(name="remove")
@click.argument("her_id")
@db_option
@user_errors
def receivers_remove(her_id: str, db_url: str | None) -> None:
    """Remove a receiver's mapping (its messages no longer count at the next replay)."""
    ctx = Context(db_url)
    if not config.remove_receiver(ctx.db, her_id):
        raise click.ClickException(f"HER-id {her_id} is not configured")
    replay_messages(ctx.db)
    click.echo(f"Removed HER-id {her_id}.")


@plo.command(name="receipts")
@format_option
@db_option
@user_errors
def receipts_command(fmt: str, db_url: str | None) -> None:
    """List the application receipts sent (OK or error with its reason)."""
    rows = config.receipts(Context(db_url).db)
    echo_rows(rows, fmt, lambda r: (f"{r['id']}\t{r['msg_id'] or '-'}\t{r['status']}\t"
                                    f"{r['text'] or ''}\t{r['path']}"), "No receipts yet.")


@plo.command(name="quarantine")
@format_option
@db_option
@user_errors
def quarantine_command(fmt: str, db_url: str | None) -> None:
    """List the messages that could not be applied, with their reasons."""
    rows = config.quarantine(Context(db_url).db)
    echo_rows(rows, fmt, lambda r: (f"{r['id']}\t{r['file_name']}\t{r['msg_id'] or '-'}\t"
                                    f"{r['status']}\t{r['reason']}"), "Nothing in quarantine.")


@plo.command(name="retry")
@receipts_option
@format_option
@db_option
@user_errors
def retry_command(receipts_dir: Path | None, fmt: str, db_url: str | None) -> None:
    """Try the quarantined and rejected messages again (after fixing the configuration)."""
    ctx = Context(db_url)
    outcomes = retry(ctx.db, ctx.settings, receipts_folder(receipts_dir), replay=False)
    echo_outcomes(outcomes, fmt)
    if outcomes:
        echo_replay(replay_messages(ctx.db), fmt)


def echo_rows(rows: list[dict[str, Any]], fmt: str, line: Any, empty: str) -> None:
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    elif not rows:
        click.echo(empty)
    else:
        for row in rows:
            click.echo(line(row))
