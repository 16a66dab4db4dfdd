"""Uploading a file on the data page: the same all-or-nothing import as `flyt import`,
with every row error shown (row, column, value, reason)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from flyt.store.db import Database
from flyt.web.app import create_app
from tests.conftest import count
from tests.support.config import configure
from tests.support.web import add_cast, csrf, signed_in
from tests.support.xlsx import text_cell, workbook

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


# --- attacks on the upload (issue 10) -------------------------------------------------

XFD_BOMB = workbook(
    '<row r="1">' + "".join(text_cell(f"{chr(65 + i)}1", n)
                            for i, n in enumerate(HEADER.split(",")[:6])) + "</row>"
    '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', dimension="A1:XFD1048576")


def send(client, name: str, data: bytes, path: str = "/data/upload.json", **form: str):  # type: ignore[no-untyped-def]
    fields = {"kind": "stays", "source": "default", "csrf_token": csrf(client)} | form
    return client.post(path, data=fields, files={"file": (name, data, "application/octet-stream")})


def test_an_xlsx_bomb_is_refused_in_the_users_language_and_pages_still_answer(
    app: FastAPI,
) -> None:
    client = signed_in(app, "analyst")
    answer = send(client, "stays.xlsx", XFD_BOMB)
    assert answer.status_code == 422
    assert answer.json()["message"].startswith(
        "Arket «Ark1» sier at det når til celle XFD1048576 (1\u00a0048\u00a0576 rader, "
        "16\u00a0384 kolonner)")
    client.cookies.set("lang", "en")
    page = send(client, "stays.xlsx", XFD_BOMB, path="/data/upload")
    assert page.status_code == 422
    assert "declares that it reaches cell XFD1048576" in page.text
    assert client.get("/data").status_code == 200
    assert count(app.state.db, "stays") == 0


def test_an_upload_over_max_upload_bytes_is_refused_before_its_body_is_read(
    app: FastAPI, tmp_path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(tmp_path, monkeypatch, "[ingest]\nmax_upload_bytes = 1048576\n")
    client = signed_in(app, "analyst")
    big = (f"{HEADER}\n" + f"{GOOD}\n" * 20_000).encode()  # 1.6 MB
    answer = send(client, "stays.csv", big)
    assert answer.status_code == 413
    assert answer.json()["message"] == "Opplastingen er større enn 1 MB; ingenting er importert"
    page = send(client, "stays.csv", big, path="/data/upload?lang=en")
    assert page.status_code == 413
    assert "the upload is larger than 1 MB; nothing was imported" in page.text

    def chunked():  # no Content-Length: counted as it streams
        boundary = b"--flytboundary\r\n"
        yield boundary + b'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
        yield csrf(client).encode() + b"\r\n" + boundary
        yield b'Content-Disposition: form-data; name="file"; filename="s.csv"\r\n\r\n'
        for _ in range(40):
            yield b"x" * 65536

    streamed = client.post("/data/upload.json", content=chunked(), headers={
        "content-type": "multipart/form-data; boundary=flytboundary"})
    assert streamed.status_code == 413
    assert count(app.state.db, "imports") == 0  # refused before an import was tried
    assert client.get("/data.json").status_code == 200


def test_many_bad_rows_show_the_first_200_errors_and_the_total(app: FastAPI) -> None:
    client = signed_in(app, "analyst")
    rows = [f"s{i},p{i},9999,somatikk,akutt,01.13.2024,,,," for i in range(1500)]
    text = "\n".join([HEADER, *rows]) + "\n"
    answer = upload(client, text, "/data/upload.json")
    report = answer.json()
    assert answer.status_code == 422
    assert (report["rejected"], report["error_count"], len(report["errors"])) == (1500, 3000, 200)
    assert report["message"] == "1\u00a0500 rad(er) med feil: ingenting er importert"
    page = upload(client, text)
    assert "3\u00a0000 feil i 1\u00a0500 rader; de første 200 vises her." in page.text
    assert page.text.count('<th scope="row">') < 260  # the errors and the history, no more
    assert len(page.text) < 200_000


def test_a_bad_source_name_is_refused_in_the_users_language(app: FastAPI) -> None:
    client = signed_in(app, "analyst")
    answer = send(client, "stays.csv", f"{HEADER}\n{GOOD}\n".encode(), source="x\x1b[2Jy z")
    assert answer.status_code == 422
    assert answer.json()["message"] == ("Kildenavnet må ha 1–64 tegn: bokstaver, sifre, «.», "
                                        "«_» og «-» (ikke «x\\x1b[2Jy z»)")
    assert count(app.state.db, "stays") == 0


def test_control_characters_in_a_bad_cell_are_escaped_on_the_page_and_in_json(
    app: FastAPI,
) -> None:
    client = signed_in(app, "analyst")
    bad = GOOD.replace("5031", "\x1b[31m50\u202e31")
    answer = upload(client, f"{HEADER}\n{bad}\n", "/data/upload.json")
    [error] = answer.json()["errors"]
    assert error["value"] == "\\x1b[31m50\\u202e31"
    page = upload(client, f"{HEADER}\n{bad}\n")
    assert "\x1b" not in page.text and "\u202e" not in page.text
    assert "\\x1b[31m50\\u202e31" in page.text


def test_records_under_another_source_are_stopped_unless_new_records_is_ticked(
    app: FastAPI,
) -> None:
    client = signed_in(app, "analyst")
    data = f"{HEADER}\n{GOOD}\n".encode()
    assert send(client, "stays.csv", data, source="hospital").status_code == 200
    answer = send(client, "stays.csv", data)
    assert answer.status_code == 422
    assert answer.json()["message"] == (
        "1 av 1 opphold finnes allerede under kilden «hospital» (samme pasient, "
        "innleggelsestid og kommune); ingenting er importert. Last opp med kilde «hospital» "
        "for å oppdatere dem, eller kryss av for «Nye registreringer» hvis dette er andre "
        "opphold.")
    assert 'name="new_records"' in client.get("/data").text
    assert send(client, "stays.csv", data, new_records="true").status_code == 200
    assert count(app.state.db, "stays") == 2


def test_a_broken_ingest_section_is_reported_not_a_server_error(
    app: FastAPI, tmp_path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(tmp_path, monkeypatch, "[ingest]\nmax_rows = 0\n")
    client = signed_in(app, "admin")
    answer = upload(client, f"{HEADER}\n{GOOD}\n", "/data/upload.json")
    assert answer.status_code == 422
    assert answer.json()["message"] == ("Konfigurasjonen er feil: [ingest] max_rows must be a "
                                        "whole number above 0, not 0")
