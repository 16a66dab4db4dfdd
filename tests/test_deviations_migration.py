"""Migration 0010 upgrades a store that already holds data, and can be undone (on
DuckDB files of their own: the shared PostgreSQL database stays at the head)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import command

from flyt.deviations.records import NewDeviation, create
from flyt.domain import clock
from flyt.store.db import Database, _alembic_config
from tests.support.migrations import store_at


def test_a_store_at_0009_with_users_upgrades_and_takes_deviations(tmp_path, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 2, 1, 9, 0))
    url = f"duckdb:///{tmp_path / 'old.duckdb'}"
    with store_at(url, "0009") as conn:
        conn.execute(sa.text("INSERT INTO users (name, role, created_at) "
                             "VALUES ('kari', 'analyst', TIMESTAMP '2024-01-05 08:00:00')"))
    db = Database.open(url)
    made = create(db, NewDeviation(
        reporter_org="stolav", receiver_orgs=["5031"], occurred_at=datetime(2024, 1, 31),
        category="meldinger", severity="ingen skade", level="pasient",
        summary="Melding om utskrivningsklar pasient kom ikke fram"), user_id=1)
    assert made.id == "AV-2024-00001"
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM users")).scalar_one() == "kari"
    db.close()


def test_undoing_0010_drops_the_deviation_tables_and_year_sequences(tmp_path, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 2, 1, 9, 0))
    url = f"duckdb:///{tmp_path / 'down.duckdb'}"
    current = Database.open(url)
    create(current, NewDeviation(
        reporter_org="5001", receiver_orgs=["stolav"], occurred_at=datetime(2024, 1, 31),
        category="annet", severity="dod", level="pasient", summary="Test"), user_id=None)
    current.close()
    db = Database.open(url, migrate=False)
    with db.engine.begin() as conn:
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0009")
        tables = set(conn.execute(sa.text(
            "SELECT table_name FROM information_schema.tables")).scalars())
        sequences = set(conn.execute(sa.text(
            "SELECT sequence_name FROM duckdb_sequences()")).scalars())
    db.close()
    assert "users" in tables
    assert not tables & {"deviations", "deviation_receivers", "deviation_events"}
    assert "users_id_seq" in sequences
    assert not {s for s in sequences if s.startswith("deviation")}



def test_0015_gives_the_deviations_before_it_their_search_text(tmp_path, monkeypatch):
    """A store whose deviations were reported before the search column existed: the
    upgrade fills it as records.search_text would, so the list finds them."""
    from datetime import date

    from flyt.accounts import User
    from flyt.deviations import listing
    from flyt.deviations.records import search_text
    from flyt.deviations.settings import load_deviation_settings

    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 2, 1, 9, 0))
    url = f"duckdb:///{tmp_path / 'search.duckdb'}"
    current = Database.open(url)
    made = create(current, NewDeviation(
        reporter_org="5001", receiver_orgs=["stolav"], occurred_at=datetime(2024, 1, 31),
        category="annet", severity="ingen_skade", level="system", summary="Øyeblikkelig hjelp",
        agreement_clause="Tjenesteavtale 3 §4.2", place="Øya helsehus"), user_id=None)
    current.close()
    old = Database.open(url, migrate=False)
    with old.engine.begin() as conn:
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
    old.close()
    db = Database.open(url)  # upgrades to the head again
    with db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT search_text FROM deviations")).scalar_one()
    assert stored == search_text(made.id, {"summary": "Øyeblikkelig hjelp",
                                           "agreement_clause": "Tjenesteavtale 3 §4.2",
                                           "place": "Øya helsehus"})
    assert stored == f"{made.id.lower()} øyeblikkelig hjelp øya helsehus tjenesteavtale 3 §4.2"
    found = listing.search(db, User("trd", "municipality", "5001"),
                           listing.Filters(text="ØYA HELSE"), on=date(2024, 2, 1),
                           settings=load_deviation_settings())
    assert [line.id for line in found.lines] == [made.id]
    db.close()
