"""`flyt serve` computes the results of the data as of now before a visitor asks
(keep_warm), and again when another process imports."""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa

from flyt.config import load_settings
from flyt.engine import moments
from flyt.ingest.importer import import_table
from flyt.store import schema
from flyt.web import freshness
from flyt.web.pages import common
from tests.support.records import stay, stays_table


def stored_cutoffs(db) -> set:
    with db.engine.connect() as conn:
        return set(conn.execute(sa.select(schema.result_sets.c.cutoff)).scalars())


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_keep_warm_computes_the_current_cut_off_again_after_an_import_and_stops(
        db, db_url, monkeypatch):
    monkeypatch.setattr(common, "WARM_SECONDS", 0.2)
    settings = load_settings(db_url)
    stop = threading.Event()
    worker = threading.Thread(target=common.keep_warm, args=(db, settings, stop), daemon=True)
    worker.start()
    try:
        assert wait_for(lambda: moments.default_cutoff(db) in stored_cutoffs(db))
        # Another process imports (here: the importer without recomputing).
        import_table(db, "stays", stays_table([stay("A", ready="2024-01-02",
                                                    discharged="2024-01-05")]),
                     recompute=False)
        freshness.forget()  # another process: seen within a second; here at once
        new = moments.default_cutoff(db)
        assert wait_for(lambda: new in stored_cutoffs(db))
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()
