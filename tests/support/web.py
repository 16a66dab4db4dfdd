"""The web tests' world: a store with demo data loaded once per module and engine,
the fixed cast of users, and a signed-in TestClient for each (the real sign-in).

Test modules import the fixtures: ``from tests.support.web import demo_csv, site``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flyt.accounts import User, users
from flyt.cli.main import cli
from flyt.store.db import Database
from flyt.web.app import create_app

CUTOFF = "2024-05-20"
MONTH = "2024-03"
AT = "2024-05-16T08:00"  # a Thursday morning inside the demo data
PASSWORD = "correct horse battery"
HTTPS = "https://testserver"
# An analyst at the hospital, an administrator, a case officer in Malvik and one in
# Melhus, an ASU reader: every permission test uses them.
CAST = {
    "analyst": User("ola", "analyst"),
    "admin": User("anna", "admin"),
    "malvik": User("malvik", "municipality", "5031"),
    "melhus": User("melhus", "municipality", "5028"),
    "reader": User("asu", "reader"),
}


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def add_cast(db: Database) -> None:
    for user in CAST.values():
        users.add(db, user.name, user.role, user.municipality, password=PASSWORD)


def csrf(client: TestClient) -> str:
    page = client.get("/login").text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def signed_in(app: FastAPI, who: str) -> TestClient:
    """A client signed in as one of the cast, through the real sign-in form."""
    return signed_in_as(app, CAST[who].name)


def signed_in_as(app: FastAPI, name: str, *, follow_redirects: bool = True) -> TestClient:
    """A client signed in as the user `name` (password PASSWORD), through the real form."""
    client = TestClient(app, base_url=HTTPS, follow_redirects=follow_redirects)
    response = client.post("/login", data={"name": name, "password": PASSWORD,
                                           "csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


@dataclass
class Site:
    url: str
    app: FastAPI
    clients: dict[str, TestClient] = field(default_factory=dict)

    def as_(self, who: str) -> TestClient:
        if who not in self.clients:
            self.clients[who] = signed_in(self.app, who)
        return self.clients[who]


@pytest.fixture(scope="session")
def demo_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web-demo")
    run("generate", "--output", str(root), "--stays", "6000", "--seed", "5",
        "--until", "2024-05-01")
    return root


def load(url: str, root: Path) -> None:
    for kind, name in (("stays", "stays.csv"), ("ukp-periods", "ukp_periods.csv"),
                       ("short-stays", "short_stays.csv"), ("beds", "beds.csv")):
        run("import", kind, str(root / name), "--db", url, "--no-recompute")


def fresh_store(request: pytest.FixtureRequest, folder: Path, template: Path,
                env: pytest.MonkeyPatch) -> str:
    """The URL of an empty, migrated store for a module's app on the engine
    `request.param` names (a copy of the DuckDB template in `folder`, or the PostgreSQL
    test database emptied; skipped without one), with `env` set for the app."""
    from tests.conftest import _reset_postgres

    env.setenv("FLYT_DATA_DIR", str(folder / "data"))
    env.setenv("FLYT_PSEUDONYM_KEY", "test-key")
    env.delenv("FLYT_DATABASE_URL", raising=False)
    env.delenv("FLYT_CONFIG", raising=False)
    if request.param == "duckdb":
        path = folder / "flyt.duckdb"
        shutil.copy(template, path)
        return f"duckdb:///{path}"
    pg = request.getfixturevalue("_postgres")
    if pg is None:
        pytest.skip("FLYT_TEST_POSTGRES_URL not set")
    _reset_postgres(pg)
    return str(pg.engine.url.render_as_string(hide_password=False))


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         demo_csv: Path, _duckdb_template: Path) -> Iterator[Site]:
    """Demo data and the cast in a fresh store, loaded once for a module's tests."""
    with pytest.MonkeyPatch.context() as env:
        url = fresh_store(request, tmp_path_factory.mktemp("web-site"), _duckdb_template, env)
        load(url, demo_csv)
        db = Database.open(url)
        add_cast(db)
        db.close()
        app = create_app(url)
        yield Site(url, app)
        app.state.db.close()
