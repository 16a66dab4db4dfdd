"""`flyt serve` computes today's results before the first visitor asks (keep_warm)."""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa

from flyt.config import load_settings
from flyt.domain.months import default_cutoff
from flyt.store import schema
from flyt.web.pages.common import keep_warm


def test_keep_warm_computes_todays_cutoff_and_stops_when_asked(db, db_url):
    settings = load_settings(db_url)
    stop = threading.Event()
    worker = threading.Thread(target=keep_warm, args=(db, settings, stop), daemon=True)
    worker.start()
    r = schema.result_sets.c
    stored = None
    for _ in range(300):
        with db.engine.connect() as conn:
            stored = conn.execute(sa.select(r.cutoff).where(r.cutoff == default_cutoff())
                                  ).scalar()
        if stored is not None:
            break
        time.sleep(0.1)
    stop.set()
    worker.join(timeout=10)
    assert stored == default_cutoff()
    assert not worker.is_alive()
