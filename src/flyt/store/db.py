"""Open the store: the embedded DuckDB file or a PostgreSQL server.

Opening runs the migrations to the newest version and seeds the default
reference data (the St. Olavs community) into an empty store.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from flyt.config import default_database_url, private_dir
from flyt.store import schema
from flyt.store.reference import seed_reference

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration (src/flyt/store/migrations/versions). A store already there opens
# without loading Alembic and its scripts (a tenth of a second of every command);
# tests/test_schema_migrations.py checks that this is Alembic's head.
HEAD_REVISION = "0019"


class StoreError(Exception):
    """The store cannot be opened or used; the message is for the user."""


class StoreInUse(StoreError):
    """The embedded database file is locked by another process (DuckDB allows one
    process at a time): ``pid`` is that process, when DuckDB names it. The command
    line turns it into one sentence in the user's language (flyt.cli.common)."""

    def __init__(self, path: Path, pid: int | None, detail: str) -> None:
        super().__init__(f"the database {path} is in use by another process"
                         f"{f' (pid {pid})' if pid else ''}: {detail}")
        self.path, self.pid = path, pid


# DuckDB's words for a file another process holds: "Could not set lock on file …:
# Conflicting lock is held in /usr/bin/python3 (PID 4242)" (POSIX; Windows says "The
# process cannot access the file because it is being used by another process").
_LOCKED = re.compile(r"Could not set lock on file|Conflicting lock is held|"
                     r"being used by another process")
_LOCK_PID = re.compile(r"\(PID (\d+)\)")


def normalize_url(url: str) -> str:
    """Accept the URLs users write (``postgresql://…``) and pick the driver Flyt uses."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("duckdb:///"):
        return url
    if "://" not in url:  # a bare path means an embedded database file
        return f"duckdb:///{Path(url).expanduser().resolve()}"
    return url


@dataclass
class Database:
    engine: sa.Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name  # "duckdb" | "postgresql"

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Database:
        url = normalize_url(url or default_database_url())
        if url.startswith("duckdb:///"):
            path = Path(url.removeprefix("duckdb:///"))
            if str(path) != ":memory:":
                private_dir(path.parent)
        try:
            engine = sa.create_engine(url, **_engine_options(url))
            if url.startswith("duckdb:"):
                sa.event.listen(engine, "connect", _quiet)
            with engine.connect():
                pass
        except Exception as exc:  # driver errors differ per engine; the user needs one sentence
            raise _open_error(url, exc) from exc
        db = cls(engine)
        if migrate:
            db.migrate()
        return db

    def migrate(self) -> None:
        with self.engine.begin() as conn:
            if _revision(conn) != HEAD_REVISION:
                from alembic import command

                from flyt.store import dialects  # noqa: F401  (Alembic learns DuckDB)

                config = _alembic_config()
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
            if conn.execute(sa.select(sa.func.count()).select_from(schema.municipalities)).scalar():
                return
            seed_reference(conn)

    def close(self) -> None:
        self.engine.dispose()


def _quiet(connection: Any, _record: object) -> None:
    """No progress bar drawn over a command's output by a slow DuckDB query (a setting
    of each connection, not of the database)."""
    connection.execute("SET enable_progress_bar = false")


def _engine_options(url: str) -> dict:
    """DuckDB: cap its memory (it spills to disk beyond it) so that a 10 M-stay import
    stays within a small server's memory; ``FLYT_DUCKDB_MEMORY_LIMIT`` overrides."""
    if not url.startswith("duckdb:"):
        return {}
    config = {"memory_limit": os.environ.get("FLYT_DUCKDB_MEMORY_LIMIT", "2GB"),
              "preserve_insertion_order": False}
    return {"connect_args": {"config": config}}


def _revision(conn: sa.Connection) -> str | None:
    """The store's migration revision (None for a new store)."""
    # information_schema: both engines have it (duckdb_engine's reflection does not work
    # with DuckDB 2.0).
    found = conn.execute(sa.text("SELECT COUNT(*) FROM information_schema.tables "
                                 "WHERE table_name = 'alembic_version'")).scalar()
    if not found:
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("flyt.store") / "migrations"))
    return config


def _open_error(url: str, exc: Exception) -> StoreError:
    """What the user is told when the store does not open: the embedded file held by
    another process is a case of its own (what to do about it differs)."""
    first = _first_line(exc)
    if url.startswith("duckdb:///") and _LOCKED.search(first):
        pid = _LOCK_PID.search(first)
        return StoreInUse(Path(url.removeprefix("duckdb:///")), int(pid[1]) if pid else None,
                          first)
    return StoreError(f"cannot open the database {_safe(url)}: {first}")


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url
