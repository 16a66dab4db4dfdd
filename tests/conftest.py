"""Shared fixtures: every store test runs on the embedded DuckDB file and on PostgreSQL.

PostgreSQL comes from ``FLYT_TEST_POSTGRES_URL`` (``.ci/run`` starts a server and sets
it). Without it the PostgreSQL cases are skipped locally, and fail under CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from flyt.accounts import users
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.reference import seed_reference
from flyt.web import freshness

POSTGRES_URL = os.environ.get("FLYT_TEST_POSTGRES_URL")
# A text key without a text is a programming error: under the tests i18n.t raises
# (set here, not per test, so that the servers and CLIs the tests start inherit it).
os.environ["FLYT_STRICT_I18N"] = "1"
DATA_TABLES = [t.name for t in reversed(schema.metadata.sorted_tables) if t.name != "calendar"]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's data directory or configuration."""
    monkeypatch.setenv("FLYT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FLYT_PSEUDONYM_KEY", "test-key")
    monkeypatch.delenv("FLYT_DATABASE_URL", raising=False)
    monkeypatch.delenv("FLYT_CONFIG", raising=False)


@pytest.fixture(scope="session")
def _duckdb_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "flyt.duckdb"
    Database.open(f"duckdb:///{path}").close()
    return path


@pytest.fixture(scope="session")
def _postgres() -> Database | None:
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("FLYT_TEST_POSTGRES_URL is not set: CI must test on PostgreSQL")
        return None
    db = Database.open(POSTGRES_URL)
    return db


def _reset_postgres(db: Database) -> None:
    with db.engine.begin() as conn:
        # RESTART IDENTITY: the ids' sequences (owned by their columns) from 1 again.
        conn.exec_driver_sql(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY")
        seed_reference(conn)
    # Same URL, import ids from 1 again: what the web kept for the last test is stale.
    freshness.forget()
    users.forget_known()


@pytest.fixture(params=["duckdb", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, _duckdb_template: Path) -> str:
    """A URL to an empty, migrated store with the default reference data."""
    if request.param == "duckdb":
        path = tmp_path / "flyt.duckdb"
        shutil.copy(_duckdb_template, path)
        return f"duckdb:///{path}"
    pg = request.getfixturevalue("_postgres")
    if pg is None:
        pytest.skip("FLYT_TEST_POSTGRES_URL not set")
    _reset_postgres(pg)
    return POSTGRES_URL or ""


@pytest.fixture
def db(db_url: str):
    database = Database.open(db_url)
    yield database
    database.close()


def count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
