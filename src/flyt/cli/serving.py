"""What ``flyt serve`` runs beside the dashboard, in the same process, each in a thread
of its own (docs/deployment.md, "One process"):

- keeping the current results computed (flyt.web.pages.common.keep_warm);
- watching PLO folders (``--watch-plo``, ``[serve] plo_folders``: flyt.plo.watching);
- mailing the reports on the schedule (``--schedule``, ``[serve] schedule``:
  flyt.distribution.running);
- on the embedded database, the local channel that lets ``flyt import`` and
  ``flyt user disable|enable|passwd`` work while the server holds the file
  (flyt.cli.channel_server).

One bad message, a mail server down, an error in a round: said on standard error, and
the thread goes on; none of them stops the server. ``stop`` ends them all, each after
the work under way (a message or an e-mail is never left half done).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from flyt import i18n
from flyt.config import ServeSettings, Settings, data_dir
from flyt.distribution.running import check_schedulable, run_schedule
from flyt.distribution.settings import DistributionSettings, load_distribution
from flyt.plo.commands import outcome_lines, replay_lines
from flyt.plo.limits import load_plo_limits
from flyt.plo.replay import ReplayResult
from flyt.plo.watching import Reporter, Watch, watch
from flyt.store.db import Database
from flyt.web import freshness
from flyt.web.pages.common import keep_warm

if TYPE_CHECKING:
    from flyt.cli.channel_server import ChannelServer
    from flyt.plo.outcomes import Outcome

log = logging.getLogger(__name__)
Echo = Callable[[str], None]
# How long a stop waits for the work under way (an import through the channel, a send
# to a slow mail server: [mail] timeout is 60 s) before the process ends anyway.
STOP_SECONDS = 90.0
RESTART_SECONDS = 60.0  # after an error that ended a thread's loop itself


def say(line: str) -> None:
    click.echo(line, err=True)


@dataclass(frozen=True)
class Plan:
    """What runs beside the dashboard, settled (and checked) before the server starts."""

    plo: Watch | None
    dist: DistributionSettings | None
    receipts: Path  # the PLO receipts' folder, for the watcher and the channel
    lang: str


def plan_for(configured: ServeSettings, folders: tuple[Path, ...], receipts: Path | None,
             schedule: bool | None) -> Plan:
    """The options where given, else the ``[serve]`` section; ValueError (naming what
    is wrong) before anything starts."""
    folders = folders or configured.plo_folders
    for folder in folders:
        if not folder.is_dir():
            raise ValueError(f"[serve] plo_folders: {folder} is not a folder")
    receipts = receipts or configured.receipts or data_dir() / "plo" / "receipts"
    plo = (Watch(list(folders), receipts, load_plo_limits(), configured.plo_interval)
           if folders else None)
    dist = None
    if configured.schedule if schedule is None else schedule:
        dist = load_distribution()
        check_schedulable(dist)
    return Plan(plo, dist, receipts, configured.lang)


def embedded_file(db: Database) -> Path | None:
    """The embedded database's file (None on PostgreSQL)."""
    name = db.engine.url.database
    if db.dialect != "duckdb" or not name or name == ":memory:":
        return None
    return Path(name)


class Background:
    """The threads beside the dashboard: ``start`` them, ``stop`` them."""

    def __init__(self, db: Database, settings: Settings, plan: Plan, *,
                 echo: Echo = say) -> None:
        self.db, self.settings, self.plan, self.echo = db, settings, plan, echo
        self.stopping = threading.Event()
        self.writing = threading.Lock()  # the watcher and the channel take turns
        self.threads: list[threading.Thread] = []
        self.channel: ChannelServer | None = None
        database = embedded_file(db)
        if database is not None:
            from flyt.cli.channel_server import ChannelServer, Work

            self.channel = ChannelServer(Work(db, settings, plan.receipts, self.writing),
                                         database, echo)

    def describe(self, lang: str) -> list[str]:
        """What runs beside the dashboard, for the first lines the server prints."""
        lines = []
        if self.plan.plo:
            interval = self.plan.plo.interval
            lines.append(i18n.t("serve_watching", lang).format(
                folders=", ".join(str(f) for f in self.plan.plo.folders),
                interval=i18n.number(interval, 0 if interval == int(interval) else 1, lang),
                receipts=self.plan.plo.receipts))
        if self.plan.dist:
            kinds = check_schedulable(self.plan.dist)
            lines.append(i18n.t("serve_scheduling", lang).format(
                kinds=", ".join(i18n.t(f"dist_kind_{k}", lang) for k in kinds)))
        if self.channel:
            lines.append(i18n.t("serve_channel", lang))
        return lines

    def start(self) -> None:
        self._run("keep-warm", lambda: keep_warm(self.db, self.settings, self.stopping))
        if self.plan.plo:
            self._run("plo", self._watch)
        if self.plan.dist:
            self._run("schedule", self._schedule)
        if self.channel:
            self.channel.start()

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Ask every thread to stop and wait for the work under way, at most ``timeout``
        seconds in all. Again: nothing more to do."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        if self.channel:
            self.channel.stop()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        busy = [t.name for t in self.threads if t.is_alive()]
        if self.channel and not self.channel.join(max(0.0, deadline - time.monotonic())):
            busy.append(self.channel.thread.name)
        if busy:
            self.echo(f"stopping without waiting longer for: {', '.join(busy)}")

    def _run(self, name: str, work: Callable[[], None]) -> None:
        thread = threading.Thread(target=self._guarded, args=(name, work),
                                  name=f"flyt-{name}", daemon=True)
        self.threads.append(thread)
        thread.start()

    def _guarded(self, name: str, work: Callable[[], None]) -> None:
        """The loops say and survive the errors of a round themselves; an error that
        ends one all the same is said, and the loop started again after a while."""
        while not self.stopping.is_set():
            try:
                work()
                return
            except Exception as exc:
                log.exception("flyt serve: %s stopped by an error", name)
                self.echo(f"{name}: stopped by an error ({type(exc).__name__}: {exc}); "
                          f"starting again in {RESTART_SECONDS:g} s")
                self.stopping.wait(RESTART_SECONDS)

    def _watch(self) -> None:
        assert self.plan.plo is not None
        report = Reporter(received=self._received, replayed=self._replayed,
                          failed=lambda line: self.echo(f"plo: {line}"))
        watch(self.db, self.settings, self.plan.plo, report, self.stopping,
              writing=self.writing)

    def _received(self, outcomes: list[Outcome]) -> None:
        for line in outcome_lines(outcomes, "text"):
            self.echo(f"plo: {line}")

    def _replayed(self, result: ReplayResult) -> None:
        freshness.forget()  # the next page view shows what came, not a second later
        for line in replay_lines(result, "text"):
            self.echo(f"plo: {line}")

    def _schedule(self) -> None:
        assert self.plan.dist is not None

        def echo(line: str) -> None:
            self.echo(f"schedule: {line}")

        run_schedule(self.db, self.settings, self.plan.dist, self.stopping,
                     lang=self.plan.lang, echo=echo, warn=echo)
