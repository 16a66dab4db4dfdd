"""Stores as an older revision of the schema left them, to test the upgrades."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import command

from flyt.store.db import Database, _alembic_config


@contextmanager
def store_at(url: str, revision: str) -> Iterator[sa.Connection]:
    """A connection to the store at `url` migrated up to `revision` only, in one
    transaction (committed when the block ends) for the rows of that time."""
    old = Database.open(url, migrate=False)
    try:
        with old.engine.begin() as conn:
            config = _alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            yield conn
    finally:
        old.close()
