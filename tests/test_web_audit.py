"""The audit log: `record`, the admin page with its JSON twin and CSV export."""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from flyt.accounts import User, audit, users
from flyt.store.db import Database
from flyt.web.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def client(db_url: str):  # type: ignore[no-untyped-def]
    db = Database.open(db_url)
    users.add(db, "anna", "admin", password=PASSWORD)
    users.add(db, "ola", "analyst", password=PASSWORD)
    db.close()
    app = create_app(db_url)
    yield TestClient(app, base_url="https://testserver")
    app.state.db.close()


def sign_in(client: TestClient, name: str) -> None:
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})


def test_record_appends_an_entry_with_who_what_and_where(db):
    audit.record(db, User("malvik", "municipality", "5031"), "patients.read", "5031",
                 "12 rows", ip="10.0.0.7")
    audit.record(db, None, "sign_in.failed", "bob")
    newest, first = audit.entries(db)
    assert (first.user_name, first.action, first.target, first.detail, first.ip) == (
        "malvik", "patients.read", "5031", "12 rows", "10.0.0.7")
    assert newest.user_name is None and newest.id == first.id + 1


def test_concurrent_readers_are_all_on_record_with_distinct_ids(db):
    """Twenty requests showing patient rows at once (a busy Monday morning): each
    returns only after its entry is committed, none is lost, ids stay unique."""
    def read(n: int) -> None:
        audit.record(db, User(f"u{n}", "municipality", "5031"), "patients.read", "5031")

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(read, range(40)))
    found = audit.entries(db, limit=None)
    assert sorted(e.user_name for e in found) == sorted(f"u{n}" for n in range(40))
    ids = sorted(e.id for e in found)
    assert ids == list(range(ids[0], ids[0] + 40))


def test_entries_filter_by_user_and_action_prefix(db):
    audit.record(db, User("a", "admin"), "sign_in.ok", "a")
    audit.record(db, User("b", "admin"), "sign_in.failed", "b")
    audit.record(db, User("a", "admin"), "user.add", "c")
    assert [e.target for e in audit.entries(db, audit.Filters(action="sign_in"))] == ["b", "a"]
    assert [e.action for e in audit.entries(db, audit.Filters(user_name="a"))] == [
        "user.add", "sign_in.ok"]


def test_the_csv_export_defuses_spreadsheet_formulas(db):
    audit.record(db, None, "sign_in.failed", "=HYPERLINK(\"x\")")
    rows = list(csv.DictReader(io.StringIO(audit.to_csv(audit.entries(db)))))
    assert rows[0]["target"].startswith("'=")


def test_only_administrators_see_the_audit_log(client):
    assert client.get("/admin/audit.json").status_code == 401
    sign_in(client, "ola")
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403


def test_the_admin_page_lists_sign_ins_newest_first_with_filters(client):
    sign_in(client, "anna")
    data = client.get("/admin/audit.json", params={"action": "sign_in"}).json()
    assert [(e["user_name"], e["action"]) for e in data["entries"]] == [("anna", "sign_in.ok")]
    assert client.get("/admin/audit", params={"since": "", "until": ""}).status_code == 200
    assert "sign_in.ok" in client.get("/admin/audit").text
    assert client.get("/admin/audit.json", params={"since": "2099-01-01"}).json()[
        "entries"] == []
    assert client.get("/admin/audit.json", params={"since": "nope"}).status_code == 400


def test_the_csv_export_is_itself_audited(client):
    sign_in(client, "anna")
    response = client.get("/admin/audit.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.splitlines()[0] == "id,created_at,user_name,action,target,detail,ip"
    latest = client.get("/admin/audit.json").json()["entries"][0]
    assert (latest["user_name"], latest["action"]) == ("anna", "audit.export")
