"""Who sees what on the dashboard: a municipality's own patients for its own users
only (audited), the data page for the hospital's administrators and analysts, and for a
GP (`gp`) and the improvement group (`improvement`) what a reader gets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from flyt.accounts import users
from flyt.store import schema
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.support import records, snapshot_data
from tests.support.web import HTTPS, PASSWORD, add_cast, csrf, signed_in

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
    users.add(db, "lege", "gp", organisation="fastlege-5031", password=PASSWORD)
    users.add(db, "fg", "improvement", password=PASSWORD)
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


# Every page and file of the UKP dashboard; a GP and the improvement group get each as a
# reader does.
PAGES = ["/", "/snapshot", "/trends", "/reports", "/municipality/5031",
         "/municipality/5031/patients", "/data", "/admin/users", "/admin/audit"]
FILES = ["/reports/monthly.html?month=2024-02&cutoff=2024-03-04",
         f"/reports/snapshot.html?at={AT}", "/reports/payment.csv?month=2024-02",
         "/admin/audit.csv"]


def signed_in_as(app: FastAPI, name: str):  # type: ignore[no-untyped-def]
    """A client signed in through the real form as one of the fixture's extra users."""
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url=HTTPS)
    response = client.post("/login", data={"name": name, "password": PASSWORD,
                                           "csrf_token": csrf(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


@pytest.mark.parametrize("who", ["lege", "fg"])
def test_a_gp_and_the_improvement_group_get_every_page_as_a_reader_does(
        app: FastAPI, who: str) -> None:
    reader, client = signed_in(app, "reader"), signed_in_as(app, who)
    paths = [p + suffix for p in PAGES for suffix in ("", ".json")] + FILES
    got = {p: client.get(p).status_code for p in paths}
    assert got == {p: reader.get(p).status_code for p in paths}
    for forbidden in ("/municipality/5031/patients", "/municipality/5031/patients.json",
                      "/data", "/admin/users", "/reports/payment.csv?month=2024-02"):
        assert got[forbidden] == 403, forbidden
    assert got["/snapshot.json"] == got["/municipality/5031.json"] == got[FILES[1]] == 200
    assert got[FILES[0]] == 200


@pytest.mark.parametrize("who", ["lege", "fg"])
def test_a_gp_and_the_improvement_group_see_the_shared_edition_and_no_patient(
        app: FastAPI, who: str) -> None:
    reader, client = signed_in(app, "reader"), signed_in_as(app, who)
    for path in (f"/snapshot.json?at={AT}", f"/municipality/5031.json?at={AT}&cutoff=2024-03-04",
                 "/trends.json"):
        assert client.get(path).json() == reader.get(path).json(), path
    page = client.get(f"/municipality/5031.json?at={AT}&cutoff=2024-03-04").json()
    assert page["patients"] is None and page["edition"] == "shared"
    text = client.get(f"/municipality/5031?at={AT}&cutoff=2024-03-04").text
    assert "pm1" not in text and "pm2" not in text
    assert audit_rows(app) == []
