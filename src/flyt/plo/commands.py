"""PLO messages: ``flyt import plo PATH [--watch]`` and ``flyt plo …`` (receivers,
receipts, quarantine, retry). See docs/plo.md."""

from __future__ import annotations

import json
import os
import signal
import threading
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import click

from flyt.cli.common import Context, db_option, user_errors
from flyt.config import data_dir
from flyt.plo import receivers as config
from flyt.plo.limits import PloLimits, load_plo_limits
from flyt.plo.outcomes import FAILED, UNREADABLE, Outcome
from flyt.plo.receive import message_files, receive_files
from flyt.plo.replay import ReplayResult, replay_messages
from flyt.plo.retry import retry

format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]),
                             default="text", show_default=True)
receipts_option = click.option(
    "--receipts", "receipts_dir", type=click.Path(file_okay=False, path_type=Path),
    default=None, help="Folder for the application receipts (default: <data dir>/plo/receipts).")


def receipts_folder(option: Path | None) -> Path:
    return option or data_dir() / "plo" / "receipts"


def echo_outcomes(outcomes: list[Outcome], fmt: str) -> None:
    for o in outcomes:
        if fmt == "json":
            click.echo(json.dumps(o.as_dict(), ensure_ascii=False))
        else:
            reason = f": {o.reason}" if o.reason else ""
            click.echo(f"{o.file}: {o.status} ({o.type or '?'} {o.msg_id or 'no MsgId'}){reason}")


def echo_replay(result: ReplayResult, fmt: str) -> None:
    if fmt == "text":
        click.echo(f"Replayed: {result.stays} stays, {result.periods} UKP periods; "
                   f"{result.pending} events wait for their stay, "
                   f"{result.ignored} came after their stay ended.", err=True)


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


# What tells a new file from one already read: name, size, modification time and change
# time (a chmod changes the last, so a file made readable is read again).
FileKey = tuple[str, int, int, int]


def file_key(path: Path) -> FileKey | None:
    """None when the file is gone."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return path.name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def fresh_files(paths: list[Path], seen: set[FileKey]) -> dict[Path, FileKey]:
    """The listed files not read yet, as they are now (a file gone since the listing is
    left out)."""
    keys = {path: file_key(path) for path in paths}
    return {path: key for path, key in keys.items() if key is not None and key not in seen}


def watch(ctx: Context, folder: Path, receipts: Path, fmt: str, limits: PloLimits,
          interval: float, max_cycles: int | None) -> None:
    """Read new files every `interval` seconds until stopped. Nothing one file or one
    look at the folder does stops it: a file that could not be read is tried again
    when it changes, one that could not be stored at the next look, and an error of
    the store (say, PostgreSQL restarting) is reported and the next look tried."""
    seen: set[FileKey] = set()
    cycles = 0
    stopping = _stop_on_signals()
    while not stopping.is_set():
        try:
            fresh = fresh_files(message_files(folder), seen)
            if fresh:
                outcomes = receive_and_replay(ctx, list(fresh), receipts, fmt, limits)
                seen.update(key for key, done in zip(fresh.values(), outcomes, strict=True)
                            if done.status != FAILED)
        except Exception as exc:  # the watcher must go on; say what happened
            if os.environ.get("FLYT_DEBUG"):
                traceback.print_exc()
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            click.echo(f"Error: {first} (looking again in {interval:g} s)", err=True)
        cycles += 1
        if max_cycles is not None and cycles >= max_cycles:
            return
        pause(stopping, interval)
    click.echo("Stopped watching.", err=True)


def pause(stopping: threading.Event, seconds: float) -> None:
    """Wait between looks at the folder, or until asked to stop."""
    stopping.wait(seconds)


def _stop_on_signals() -> threading.Event:
    """Ctrl+C (SIGINT) and SIGTERM (what systemd sends) ask the watcher to stop after
    the look at the folder under way: a signal raised inside the database driver could
    otherwise come out as a driver error, be reported like any other, and the watcher
    would go on."""
    stopping = threading.Event()

    def ask(signum: int, frame: Any) -> None:
        stopping.set()

    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), ask)
    return stopping


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
