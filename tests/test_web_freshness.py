"""web/freshness.py: what the pages keep is kept per data stamp. A new import (through
the web: at once; by another process: within STAMP_SECONDS) makes it derive again, and
concurrent first askers cause one computation."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from flyt.web import freshness
from flyt.web.freshness import Memo
from tests.support.records import load, stay


def test_a_value_is_kept_until_an_import_changes_the_stamp(db):
    memo, made = Memo(8), []

    def make() -> int:
        made.append(1)
        return len(made)

    assert memo.get(db, ("k",), make) == 1
    assert memo.get(db, ("k",), make) == 1  # kept
    assert memo.get(db, ("other",), make) == 2  # another key
    load(db, [stay("s1", ready="2024-01-02")])
    assert memo.get(db, ("k",), make) == 1  # the stamp is still remembered...
    freshness.forget()  # ...until a web import says so (or STAMP_SECONDS pass)
    assert memo.get(db, ("k",), make) == 3


def test_another_processs_import_shows_within_the_stamp_lifetime(db):
    memo = Memo(8)
    first = memo.get(db, ("k",), lambda: "before")
    load(db, [stay("s1", ready="2024-01-02")])
    time.sleep(freshness.STAMP_SECONDS + 0.1)
    assert (first, memo.get(db, ("k",), lambda: "after")) == ("before", "after")


def test_twenty_first_askers_cause_one_computation(db):
    memo, calls, gate = Memo(8), [], threading.Event()

    def slow() -> str:
        calls.append(1)
        gate.wait(5)
        return "figures"

    with ThreadPoolExecutor(max_workers=20) as pool:
        futures = [pool.submit(memo.get, db, ("k",), slow) for _ in range(20)]
        time.sleep(0.3)
        gate.set()
        answers = [f.result(timeout=10) for f in futures]
    assert answers == ["figures"] * 20 and len(calls) == 1
