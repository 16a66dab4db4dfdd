"""What every command shares: the --db option, opening the store, user-facing errors."""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import click

from flyt.config import Settings, load_settings
from flyt.domain.months import parse_moment, parse_month
from flyt.store.db import Database, StoreError, StoreInUse

db_option = click.option(
    "--db", "db_url", metavar="URL", default=None,
    help="Database URL: postgresql://user:pw@host/db, duckdb:///path/file.duckdb or a file path. "
         "Default: $FLYT_DATABASE_URL, else the embedded database in the data directory.",
)


class Context:
    def __init__(self, db_url: str | None):
        self.settings: Settings = load_settings(db_url)
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database.open(self.settings.database_url)
        return self._db

    def cutoff(self, given: datetime | None) -> datetime:
        """The cut-off given, else the data as of now (flyt.engine.moments)."""
        from flyt.engine import moments

        return given or moments.default_cutoff(self.db)

    def results(self, cutoff: datetime, *, shared: bool = False) -> None:
        """The stored results of ``cutoff``, computed first if missing or stale; with
        ``shared`` the shared edition's hidden cells decided too."""
        from flyt.engine import compute, pattern

        if shared:
            pattern.ensure(self.db, cutoff, self.settings.goals,
                           self.settings.suppression_threshold)
        else:
            compute.ensure(self.db, cutoff, self.settings.goals)


def announce(cutoff: datetime, month: date | None = None, lang: str = "nb") -> str:
    """One line naming the moment (and month) the numbers are for, in the user's language."""
    from flyt import i18n

    text = i18n.t("as_of", lang).format(moment=i18n.moment(cutoff, lang))
    if month is not None:
        text += "; " + i18n.t("month_is", lang).format(
            month=i18n.month(month, lang))
    return text


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn expected failures into one clear line and a non-zero exit, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StoreInUse as busy:  # the embedded file is held: go through its server, or say so
            from flyt.cli import forward

            forward.through_server_or_explain(busy, click.get_current_context(), kwargs)
        except (StoreError, ValueError, OSError) as exc:
            raise click.ClickException(str(exc)) from exc
        except (click.ClickException, click.exceptions.Exit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: say so plainly, show the traceback only on request
            if os.environ.get("FLYT_DEBUG"):
                raise
            click.echo(f"Error: unexpected {type(exc).__name__}: {exc}", err=True)
            click.echo("This is a bug in Flyt. Run again with FLYT_DEBUG=1 for details.", err=True)
            sys.exit(70)

    return wrapper


def stop_on_signals() -> threading.Event:
    """An event set by Ctrl+C (SIGINT) and SIGTERM (what systemd sends), for a command
    that runs until stopped and finishes the work under way first: a signal raised
    inside the database driver could otherwise come out as a driver error, be reported
    like any other, and the loop would go on."""
    stopping = threading.Event()

    def ask(signum: int, frame: Any) -> None:
        stopping.set()

    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), ask)
    return stopping


class MonthType(click.ParamType):
    name = "YYYY-MM"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_month(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class MomentType(click.ParamType):
    name = "DATE[THH:MM]"

    def convert(self, value: Any, param: Any, ctx: Any) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return parse_moment(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


MONTH = MonthType()
MOMENT = MomentType()
