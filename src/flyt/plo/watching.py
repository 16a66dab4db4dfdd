"""Watching folders for PLO messages: the loop behind ``flyt import plo --watch`` and the
watcher thread of ``flyt serve --watch-plo`` (docs/plo.md, "Watching a folder").

Nothing one file or one look at the folders does stops it: a file that could not be
read is tried again when it changes, one that could not be stored at the next look,
and an error of the store (say, PostgreSQL restarting) is reported and the next look
tried. Only ``stop`` ends it, after the look under way: a message is never left half
received.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from flyt.config import Settings
from flyt.plo.limits import PloLimits
from flyt.plo.outcomes import FAILED, Outcome
from flyt.plo.receive import message_files, receive_files
from flyt.plo.replay import ReplayResult, replay_messages
from flyt.store.db import Database

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


@dataclass(frozen=True)
class Reporter:
    """Where a watcher says what it did: each folder's outcomes as they are received,
    the replay after a look that received something, and an error of a whole look
    (one line; the look is tried again after the interval)."""

    received: Callable[[list[Outcome]], None]
    replayed: Callable[[ReplayResult], None]
    failed: Callable[[str], None]


def wait(stop: threading.Event, seconds: float) -> None:
    """Wait between looks at the folders, or until asked to stop."""
    stop.wait(seconds)


@dataclass(frozen=True)
class Watch:
    """What to watch and how: the folders, where the receipts go, the limits on a
    message, the seconds between looks."""

    folders: Sequence[Path]
    receipts: Path
    limits: PloLimits
    interval: float


def watch(db: Database, settings: Settings, what: Watch, report: Reporter,
          stop: threading.Event, *, max_cycles: int | None = None,
          pause: Callable[[threading.Event, float], None] = wait,
          writing: AbstractContextManager[object] | None = None) -> None:
    """Read new files every ``what.interval`` seconds until ``stop`` is set (or after
    ``max_cycles`` looks). ``writing``: held while a look receives and replays, so that
    other writers of the same process (flyt serve's local channel) take turns with it."""
    looker = _Looker(db, settings, what, report)
    cycles = 0
    while not stop.is_set():
        try:
            with writing or nullcontext():
                looker.look()
        except Exception as exc:  # the watcher must go on; say what happened
            if os.environ.get("FLYT_DEBUG"):
                traceback.print_exc()
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            report.failed(f"Error: {first} (looking again in {what.interval:g} s)")
        cycles += 1
        if max_cycles is not None and cycles >= max_cycles:
            return
        pause(stop, what.interval)


@dataclass
class _Looker:
    db: Database
    settings: Settings
    what: Watch
    report: Reporter
    seen: set[FileKey] = field(default_factory=set)
    # Messages were received and not replayed yet (the replay, or a later folder, failed):
    # the next look replays, also when it finds no new file.
    replay_due: bool = False

    def look(self) -> None:
        """Receive every folder's new files, then replay once if anything came."""
        for folder in self.what.folders:
            fresh = fresh_files(message_files(folder), self.seen)
            if not fresh:
                continue
            outcomes = receive_files(self.db, list(fresh), self.settings, self.what.receipts,
                                     limits=self.what.limits)
            self.replay_due = True
            self.report.received(outcomes)
            self.seen.update(key for key, done in zip(fresh.values(), outcomes, strict=True)
                             if done.status != FAILED)
        if self.replay_due:
            result = replay_messages(self.db)
            self.replay_due = False
            self.report.replayed(result)
