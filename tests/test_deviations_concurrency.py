"""Many people press the same button at once (spec/deviations.md: "A change based on a
stale version is refused (HTTP 409) and changes nothing"). Sixteen threads change one
deviation from the same version, through handling.change and through the real app, on
DuckDB and PostgreSQL: exactly one wins, every other one is refused as stale, the
history has exactly one new event (the winner's), and no refused text is lost — each
409 page gives the sender's own text back."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from flyt.accounts import User, audit, users
from flyt.deviations import handling, records
from flyt.deviations.errors import StaleVersion
from flyt.deviations.records import NewDeviation
from flyt.domain import clock
from flyt.store.db import Database
from flyt.web.app import create_app

THREADS = 16
HOSPITAL = User("ola", "analyst")  # acts for stolav
PASSWORD = "correct horse battery"


def reported(db: Database, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 3, 25, 9, 0))
    return records.create(db, NewDeviation(
        reporter_org="5001", receiver_orgs=["stolav"], occurred_at=datetime(2024, 3, 24),
        category="utskrivning", severity="moderat_skade", level="pasient",
        summary="Utskrevet uten epikrise"), user_id=None).id


def all_at_once(attempt, count: int = THREADS) -> list:  # type: ignore[no-untyped-def]
    """Run attempt(i) for i in 0..count-1 in as many threads, released together."""
    start = threading.Barrier(count)

    def released(i: int):  # type: ignore[no-untyped-def]
        start.wait()
        return attempt(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(released, range(count)))


def status_changes(db: Database, deviation_id: str) -> int:
    return sum(1 for e in audit.entries(db, audit.Filters(action="deviation.status"),
                                        limit=None) if e.target == deviation_id)


def test_of_sixteen_concurrent_changes_from_one_version_exactly_one_wins(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    made = reported(db, monkeypatch)

    def attempt(i: int) -> str:
        try:
            handling.change(db, HOSPITAL, made, "mottatt", version=1, comment=f"nr {i}")
        except StaleVersion:
            return "stale"
        return f"won {i}"

    results = all_at_once(attempt)
    winners = [r for r in results if r.startswith("won")]
    assert len(winners) == 1 and results.count("stale") == THREADS - 1
    after = records.get(db, made)
    assert (after.status, after.version, len(after.history)) == ("mottatt", 2, 2)
    assert after.history[1].comment == f"nr {winners[0].split()[1]}"
    assert status_changes(db, made) == 1


def test_sixteen_concurrent_posts_through_the_app_give_one_303_and_fifteen_409s(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database.open(db_url)
    users.add(db, "ola", "analyst", password=PASSWORD)
    made = reported(db, monkeypatch)
    db.close()
    app = create_app(db_url)
    try:
        client = TestClient(app, base_url="https://testserver", follow_redirects=False)
        token = client.get("/login").text.split('name="csrf_token" value="', 1)[1]\
            .split('"', 1)[0]
        assert client.post("/login", data={"name": "ola", "password": PASSWORD,
                                           "csrf_token": token}).status_code == 303
        token = client.get("/login").text.split('name="csrf_token" value="', 1)[1]\
            .split('"', 1)[0]

        def attempt(i: int) -> tuple[int, str]:
            response = client.post(f"/avvik/{made}/status", data={
                "to": "avvist", "version": "1", "reason": f"Begrunnelse nummer {i:02d}",
                "csrf_token": token})
            return response.status_code, response.text

        results = all_at_once(attempt)
        codes = sorted(code for code, _ in results)
        assert codes == [303] + [409] * (THREADS - 1)
        # Every refused sender gets the page of the current version with their own
        # reason kept, never someone else's.
        for i, (code, page) in enumerate(results):
            if code == 409:
                assert f"Begrunnelse nummer {i:02d}" in page
                assert "Noen andre endret avviket i mellomtiden" in page
        after = records.get(app.state.db, made)
        assert (after.status, after.version, len(after.history)) == ("avvist", 2, 2)
        winner = next(i for i, (code, _) in enumerate(results) if code == 303)
        assert after.history[1].reason == f"Begrunnelse nummer {winner:02d}"
        assert status_changes(app.state.db, made) == 1
    finally:
        app.state.db.close()
