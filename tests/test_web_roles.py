"""Who sees what on the dashboard: a municipality's own patients for its own users
only (audited), the data page for the hospital's administrators and analysts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from flyt.store import schema
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.support import records, snapshot_data
from tests.support.web import add_cast, signed_in

AT = "2024-03-04T08:00"


@pytest.fixture
def app(db_url: str) -> Iterator[FastAPI]:
    """Two Malvik patients waiting (one utlokalisert), one discharged, one from Melhus."""
    db = Database.open(db_url)
    snapshot_data.load(db, [
        records.stay("m1", "pm1", "5031", admitted="2024-02-20", ready="2024-02-25"),
        records.stay("m2", "pm2", "5031", admitted="2024-03-01", ready="2024-03-02 10:00"),
        records.stay("m3", "pm3", "5031", admitted="2024-02-01", ready="2024-02-05",
                     discharged="2024-02-10", destination="hjem"),
        records.stay("h1", "ph1", "5028", admitted="2024-02-25", ready="2024-02-28"),
    ], locations={"m2": "Øya helsehus"})
    add_cast(db)
    db.close()
    app = create_app(db_url)
    yield app
    app.state.db.close()


def audit_rows(app: FastAPI) -> list[tuple]:
    a = schema.audit_log.c
    with app.state.db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(a.user_name, a.action, a.target, a.detail)
            .where(a.action == "patients.read").order_by(a.id))]


def test_a_municipality_sees_only_its_own_patients_and_it_is_audited(app: FastAPI) -> None:
    client = signed_in(app, "malvik")
    body = client.get(f"/municipality/5031/patients.json?at={AT}").json()
    assert [(r["patient_id"], r["days_waited"], r["utlokalisert"]) for r in body["rows"]] == [
        ("pm1", 8, False), ("pm2", 2, True)]
    page = client.get(f"/municipality/5031?at={AT}&cutoff=2024-03-04").text
    assert "pm1" in page and "pm2" in page and "ph1" not in page
    assert audit_rows(app) == [("malvik", "patients.read", "5031", "2 rows")] * 2


@pytest.mark.parametrize("who", ["melhus", "analyst", "admin", "reader"])
def test_nobody_else_sees_a_municipalitys_patients(app: FastAPI, who: str) -> None:
    client = signed_in(app, who)
    assert client.get(f"/municipality/5031/patients.json?at={AT}").status_code == 403
    assert client.get(f"/municipality/5031/patients?at={AT}").status_code == 403
    page = client.get(f"/municipality/5031.json?at={AT}&cutoff=2024-03-04").json()
    assert page["patients"] is None
    assert audit_rows(app) == []


def test_melhus_sees_its_own_patient_not_malviks(app: FastAPI) -> None:
    body = signed_in(app, "melhus").get(f"/municipality/5028/patients.json?at={AT}").json()
    assert [r["patient_id"] for r in body["rows"]] == ["ph1"]


@pytest.mark.parametrize(("who", "code"), [("analyst", 200), ("admin", 200),
                                           ("malvik", 403), ("reader", 403)])
def test_the_data_page_is_for_the_hospitals_staff(app: FastAPI, who: str, code: int) -> None:
    client = signed_in(app, who)
    assert client.get("/data").status_code == code
    assert client.get("/data.json").status_code == code


def test_pages_need_a_signed_in_user(app: FastAPI) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="https://testserver")
    assert client.get("/trends.json").status_code == 401
