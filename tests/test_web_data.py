"""Uploading a file on the data page: the same all-or-nothing import as `flyt import`,
with every row error shown (row, column, value, reason)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from flyt.store.db import Database
from flyt.web.app import create_app
from tests.conftest import count
from tests.support.web import add_cast, csrf, signed_in

HEADER = ("stay_id,patient_id,municipality,sector,admission_type,admitted_at,ready_at,"
          "discharged_at,discharge_destination,location")
GOOD = "s1,p1,5031,somatikk,akutt,2024-03-01 10:00,2024-03-03 09:00,2024-03-05 12:00,hjem,"
BAD_MUNICIPALITY = "s2,p2,9999,somatikk,akutt,2024-03-01 10:00,,,,"
BAD_DATE = "s3,p3,5031,somatikk,akutt,01.13.2024,,,,"


@pytest.fixture
def app(db_url: str) -> Iterator[FastAPI]:
    db = Database.open(db_url)
    add_cast(db)
    db.close()
    app = create_app(db_url)
    yield app
    app.state.db.close()


def upload(client, text: str, path: str = "/data/upload"):  # type: ignore[no-untyped-def]
    return client.post(path, data={"kind": "stays", "source": "default",
                                   "csrf_token": csrf(client)},
                       files={"file": ("stays.csv", text.encode(), "text/csv")})


def test_a_file_with_errors_shows_every_row_error_and_changes_nothing(app: FastAPI) -> None:
    client = signed_in(app, "analyst")
    text = "\n".join([HEADER, GOOD, BAD_MUNICIPALITY, BAD_DATE]) + "\n"
    answer = upload(client, text, "/data/upload.json")
    assert answer.status_code == 422
    errors = {(e["row"], e["column"]) for e in answer.json()["errors"]}
    assert {(3, "municipality"), (4, "admitted_at")} <= errors
    page = upload(client, text)
    assert page.status_code == 422
    assert "9999" in page.text and "Ingenting er importert" in page.text
    assert "<th scope=\"row\">3</th>" in page.text
    assert count(app.state.db, "stays") == 0
    history = client.get("/data.json").json()["history"]
    assert [h["status"] for h in history] == ["rejected", "rejected"]


def test_a_good_file_is_imported_and_shows_in_the_history(app: FastAPI) -> None:
    client = signed_in(app, "admin")
    answer = upload(client, f"{HEADER}\n{GOOD}\n", "/data/upload.json")
    assert answer.status_code == 200, answer.text
    assert answer.json()["new"] == 1
    assert count(app.state.db, "stays") == 1
    data = client.get("/data.json").json()
    assert data["history"][0]["status"] == "ok"
    assert data["completeness"][0]["kind"] == "stays"


def test_a_reader_cannot_upload(app: FastAPI) -> None:
    client = signed_in(app, "reader")
    assert upload(client, f"{HEADER}\n{GOOD}\n").status_code == 403
    assert count(app.state.db, "stays") == 0
