"""Attachments of a deviation (issue 12; docs/deviations.md, "Attachments"): PDF, PNG and
JPEG decided from the content, size- and count-limited, stored under the data directory
by a random name, opened only by the deviation's own organisations, every upload and
download audited. Real files (Pillow, a hand-made PDF), real HTTP through the app, on
both engines."""

from __future__ import annotations

import asyncio
import hashlib
import io
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader

import flyt
from flyt.accounts import User, users
from flyt.deviations import attachments, handling
from flyt.deviations.errors import DeviationNotFound, InvalidDeviation
from flyt.deviations.pages.attachments import part
from flyt.deviations.records import NewDeviation
from flyt.domain import clock
from flyt.store.db import Database, _alembic_config
from flyt.web.app import create_app
from flyt.web.render import environment
from tests.conftest import count
from tests.support.config import configure
from tests.support.web import HTTPS, PASSWORD, csrf

TRD = User("trd", "municipality", "5001")  # reports the deviation (Trondheim)
OLA = User("ola", "analyst")  # the hospital (stolav): receives it
LEGE = User("lege", "gp", organisation="fastlege-5001")  # neither side
FG = User("fg", "improvement")  # sees every deviation, not its attachments
ASU = User("asu", "reader")  # no organisation
MALVIK = User("malvik", "municipality", "5031")  # reports another deviation
PEOPLE = (TRD, OLA, LEGE, FG, ASU, MALVIK)
T0 = datetime(2024, 11, 21, 9, 30)


# --- files made here ----------------------------------------------------------------------

def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def noisy_png() -> bytes:
    """A PNG that does not compress: some 10 kB."""
    out = io.BytesIO()
    Image.effect_noise((100, 100), 80).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def pdf() -> bytes:
    """A minimal valid one-page PDF, its cross-reference table counted here."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 4\n0000000000 65535 f \n"
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return body


# --- the world ----------------------------------------------------------------------------

@pytest.fixture
def app(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    monkeypatch.setattr(clock, "now", lambda: T0)
    db = Database.open(db_url)
    for person in PEOPLE:
        users.add(db, person.name, person.role, person.municipality,
                  organisation=person.organisation, password=PASSWORD)
    db.close()
    app = create_app(db_url)
    yield app
    app.state.db.close()


def report(app: FastAPI, user: User = TRD, receiver: str = "stolav") -> str:
    return handling.report(app.state.db, user, NewDeviation(
        reporter_org=user.organisation or "", receiver_orgs=[receiver], occurred_at=T0,
        category="utskrivning", severity="moderat_skade", level="pasient",
        summary="Utskrevet uten legemiddelliste")).id


def sign_in(app: FastAPI, user: User) -> TestClient:
    client = TestClient(app, base_url=HTTPS)
    answer = client.post("/login", data={"name": user.name, "password": PASSWORD,
                                          "csrf_token": csrf(client)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


def upload(client: TestClient, deviation_id: str, name: str, content: bytes,
           content_type: str = "application/octet-stream"):  # type: ignore[no-untyped-def]
    return client.post(f"/avvik/{deviation_id}/vedlegg", data={"csrf_token": csrf(client)},
                       files={"file": (name, content, content_type)}, follow_redirects=False)


def folder() -> Path:
    return attachments.load_attachment_settings().folder()


def stored_files() -> list[Path]:
    return sorted(folder().iterdir()) if folder().exists() else []


def audit_rows(db: Database) -> list[tuple[str, str, str]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT action, target, detail FROM audit_log "
            "WHERE action LIKE 'deviation.attachment%' ORDER BY id"))]


# --- stored and downloaded --------------------------------------------------------------

@pytest.mark.parametrize(("name", "make", "media_type"), [
    ("epikrise.pdf", pdf, "application/pdf"),
    ("skjermbilde.png", png, "image/png"),
    ("foto.jpg", jpeg, "image/jpeg"),
])
def test_each_allowed_type_is_stored_and_downloaded_byte_for_byte(app, name, make, media_type):
    content = make()
    deviation_id = report(app)
    trd, ola = sign_in(app, TRD), sign_in(app, OLA)
    answer = upload(trd, deviation_id, name, content)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/avvik/{deviation_id}#vedlegg"
    (stored,) = attachments.listed(app.state.db, OLA, deviation_id) or []
    assert (stored.file_name, stored.media_type, stored.size) == (name, media_type,
                                                                  len(content))
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    got = ola.get(f"/avvik/{deviation_id}/vedlegg/{stored.id}")  # the receiver
    assert got.status_code == 200
    assert got.content == content
    assert got.headers["content-type"].split(";")[0] == media_type
    assert got.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in got.headers["cache-control"]
    if media_type == "application/pdf":
        assert len(PdfReader(io.BytesIO(got.content)).pages) == 1  # a real PDF


def test_the_type_comes_from_the_content_not_the_name_or_the_clients_type(app):
    deviation_id = report(app)
    trd = sign_in(app, TRD)
    content = png()
    assert upload(trd, deviation_id, "rapport.pdf", content, "application/pdf"
                  ).status_code == 303
    (stored,) = attachments.listed(app.state.db, TRD, deviation_id) or []
    assert (stored.file_name, stored.media_type) == ("rapport.pdf", "image/png")
    got = trd.get(f"/avvik/{deviation_id}/vedlegg/{stored.id}")
    assert got.headers["content-type"] == "image/png"
    # Saved as what it is, so that it opens as a picture.
    assert got.headers["content-disposition"] == 'attachment; filename="rapport.pdf.png"'


WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b"<script>alert(1)</script></svg>")


@pytest.mark.parametrize(("name", "make"), [
    ("program.pdf", lambda: WINDOWS_PROGRAM),
    ("program.exe", lambda: WINDOWS_PROGRAM),
    ("side.png", lambda: HTML),
    ("tegning.svg", lambda: SVG),
    ("avkuttet.png", lambda: png((300, 300))[:-200]),  # cut before its end (IEND)
    ("avkuttet.jpg", lambda: jpeg()[:len(jpeg()) // 2]),
    ("avkuttet.pdf", lambda: pdf()[:-40]),  # no %%EOF
    ("bare-hode.png", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
])
def test_it_refuses_a_file_that_is_not_a_whole_pdf_png_or_jpeg(app, name, make):
    deviation_id = report(app)
    trd = sign_in(app, TRD)
    answer = upload(trd, deviation_id, name, make(), "image/png")
    assert answer.status_code == 415
    assert "Bare PDF, PNG og JPEG kan legges ved" in answer.text
    assert f'href="/avvik/{deviation_id}"' in answer.text
    assert count(app.state.db, "deviation_attachments") == 0
    assert stored_files() == []


def test_a_cut_jpeg_is_refused_also_once_weasyprint_is_loaded(tmp_path):
    """WeasyPrint tells Pillow, for the whole process, to load cut images; the server has
    it loaded (the reports), so the check must not lean on Pillow's complaint."""
    import weasyprint  # noqa: F401  (sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    whole, cut = tmp_path / "hel.jpg", tmp_path / "avkuttet.jpg"
    whole.write_bytes(jpeg())
    cut.write_bytes(jpeg()[:len(jpeg()) // 2])
    assert attachments.detected_type(whole) == "image/jpeg"
    assert attachments.detected_type(cut) is None


def test_an_empty_file_and_a_form_without_a_file_are_refused(app):
    deviation_id = report(app)
    trd = sign_in(app, TRD)
    empty = upload(trd, deviation_id, "tom.pdf", b"")
    assert empty.status_code == 422
    assert "Filen er tom" in empty.text
    bare = trd.post(f"/avvik/{deviation_id}/vedlegg", data={"csrf_token": csrf(trd)},
                    files={"other": ("x.txt", b"x")}, follow_redirects=False)
    assert bare.status_code == 422
    assert "Velg en fil" in bare.text
    assert count(app.state.db, "deviation_attachments") == 0


# --- limits --------------------------------------------------------------------------------

class Endless(io.RawIOBase):
    """A stream that never ends, counting what was read of it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        buffer[:] = b"%" * len(buffer)
        self.given += len(buffer)
        return len(buffer)


def test_a_file_over_the_limit_is_refused_while_it_is_read(app):
    deviation_id = report(app)
    limit = 256 * 1024
    stream = Endless()
    with pytest.raises(InvalidDeviation) as refused:
        attachments.add(app.state.db, TRD, deviation_id, "stor.pdf", stream,  # type: ignore[arg-type]
                        settings=attachments.AttachmentSettings(max_bytes=limit))
    assert refused.value.key == "dev_att_too_large"
    assert refused.value.message("en") == ("The file is too large: the limit is 256 kB a "
                                           "file. Nothing was stored.")
    # Stopped at the first chunk past the limit (64 KiB chunks), not at the end.
    assert limit < stream.given <= limit + attachments.CHUNK
    assert count(app.state.db, "deviation_attachments") == 0
    assert stored_files() == []


def test_an_upload_over_the_configured_limit_gets_413_and_leaves_nothing(
        app, tmp_path, monkeypatch):
    configure(tmp_path, monkeypatch, "[deviations]\nattachment_max_bytes = 2048\n")
    deviation_id = report(app)
    trd = sign_in(app, TRD)
    big = noisy_png()
    assert len(big) > 2048
    # Within the body's bound (the limit and the form around it): the reading refuses it.
    answer = upload(trd, deviation_id, "stor.png", big)
    assert answer.status_code == 413
    assert "Filen er for stor: grensen er 2 kB per fil" in answer.text
    # Far over it: refused by its Content-Length before the body is read.
    huge = upload(trd, deviation_id, "enorm.pdf", b"%PDF-" + b"0" * (200 * 1024))
    assert huge.status_code == 413
    assert "grensen er 2 kB" in huge.text
    assert count(app.state.db, "deviation_attachments") == 0
    assert stored_files() == []


def send_body(app: FastAPI, path: str, length: int | None,
              chunks: int) -> tuple[int, int]:
    """POST `chunks` chunks of 64 KiB to `path` through the whole app (ASGI, as a server
    calls it), with a Content-Length or none; the answer's status and the chunks the
    app read before it answered."""
    read = 0
    answer: list[int] = []

    start = b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\n\r\n'

    async def receive() -> dict:
        nonlocal read
        if read == chunks:
            return {"type": "http.disconnect"}
        read += 1
        body = (start if read == 1 else b"").ljust(65536, b"0")
        return {"type": "http.request", "body": body, "more_body": read < chunks}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            answer.append(message["status"])

    headers = [(b"content-type", b"multipart/form-data; boundary=b"), (b"host", b"testserver")]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "https", "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 5000), "server": ("testserver", 443)}
    # In a thread of its own: a browser test before this one (Playwright's sync API) may
    # have left an event loop running in this one, where asyncio.run refuses to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return answer[0], read


def test_an_attachment_body_over_the_bound_is_refused_before_or_while_it_streams_in(app):
    deviation_id = report(app)
    path = f"/avvik/{deviation_id}/vedlegg"
    bound_chunks = (10 * 1024 * 1024 + 64 * 1024) // 65536  # the default limit and the form
    # Its Content-Length says it is too large: not a byte is read.
    assert send_body(app, path, 50 * 1024 * 1024, 800) == (413, 0)
    # Without one: read until it passes the bound, not to its end.
    status, read = send_body(app, path, None, 800)
    assert (status, read) == (413, bound_chunks + 1)
    # The data page's own bound is unchanged.
    assert send_body(app, "/data/upload", 600 * 1024 * 1024, 10) == (413, 0)


def test_every_other_form_body_is_bounded_before_the_csrf_check_reads_it(app):
    """Any other POST (a form, the API) gets 1 MiB: refused by its length before a byte
    is read, or one chunk after it passes the bound (16 chunks of 64 KiB)."""
    deviation_id = report(app)
    remove = f"/avvik/{deviation_id}/vedlegg/1/slett"
    assert send_body(app, remove, 50 * 1024 * 1024, 800) == (413, 0)
    assert send_body(app, remove, None, 800) == (413, 17)
    assert send_body(app, "/login", 5 * 1024 * 1024, 80) == (413, 0)
    assert send_body(app, "/api/avvik", None, 800) == (413, 17)


def test_more_attachments_than_allowed_are_refused(app, tmp_path, monkeypatch):
    configure(tmp_path, monkeypatch, "[deviations]\nattachment_max_count = 2\n")
    deviation_id = report(app)
    trd, ola = sign_in(app, TRD), sign_in(app, OLA)
    assert upload(trd, deviation_id, "a.png", png()).status_code == 303
    assert upload(ola, deviation_id, "b.pdf", pdf()).status_code == 303
    third = upload(trd, deviation_id, "c.jpg", jpeg())
    assert third.status_code == 422
    assert "Avviket har allerede 2 vedlegg" in third.text
    assert count(app.state.db, "deviation_attachments") == 2
    assert len(stored_files()) == 2
    shown = part(app.state.db, TRD, deviation_id)
    assert (shown["may_add"], shown["max_count"]) == (False, 2)


def test_uploads_at_once_never_pass_the_count(app):
    deviation_id = report(app)
    settings = attachments.AttachmentSettings(max_count=1)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def add() -> None:
        start.wait()
        try:
            attachments.add(app.state.db, TRD, deviation_id, "a.png", io.BytesIO(png()),
                            settings=settings)
            outcomes.append("stored")
        except InvalidDeviation as refused:
            outcomes.append(refused.key)

    workers = [threading.Thread(target=add) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["dev_att_too_many"] * 3 + ["stored"]
    assert count(app.state.db, "deviation_attachments") == 1
    assert len(stored_files()) == 1  # the refused ones left no file behind


# --- who ------------------------------------------------------------------------------------

def test_someone_elses_deviation_is_not_found_up_or_down(app):
    ours, theirs = report(app), report(app, MALVIK)
    trd, malvik, lege, asu = (sign_in(app, u) for u in (TRD, MALVIK, LEGE, ASU))
    assert upload(trd, ours, "a.png", png()).status_code == 303
    (attachment,) = attachments.listed(app.state.db, TRD, ours) or []
    url = f"/avvik/{ours}/vedlegg/{attachment.id}"
    for stranger in (malvik, lege, asu):
        assert stranger.get(url).status_code == 404
        refused = upload(stranger, ours, "b.png", png())
        assert refused.status_code == 404
        assert f"Fant ikke avviket {ours}" in refused.text
    # Another deviation's attachment under a deviation one may see: not found either.
    assert malvik.get(f"/avvik/{theirs}/vedlegg/{attachment.id}").status_code == 404
    assert trd.get(f"/avvik/{ours}/vedlegg/{attachment.id + 1}").status_code == 404
    assert trd.get(f"/avvik/AV-2099-99999/vedlegg/{attachment.id}").status_code == 404
    assert count(app.state.db, "deviation_attachments") == 1


def test_the_improvement_group_sees_the_deviation_but_not_its_attachments(app):
    deviation_id = report(app)
    trd, fg = sign_in(app, TRD), sign_in(app, FG)
    assert upload(trd, deviation_id, "a.pdf", pdf()).status_code == 303
    (attachment,) = attachments.listed(app.state.db, TRD, deviation_id) or []
    assert handling.read(app.state.db, FG, deviation_id).id == deviation_id
    assert fg.get(f"/avvik/{deviation_id}/vedlegg/{attachment.id}").status_code == 404
    assert upload(fg, deviation_id, "b.pdf", pdf()).status_code == 404
    shown = part(app.state.db, FG, deviation_id)
    assert (shown["hidden"], shown["files"], shown["may_add"]) == (True, [], False)
    # A member of the group who acts for the deviation's organisation opens them.
    own = User("fg", "improvement", organisation="stolav")
    assert [a.id for a in attachments.listed(app.state.db, own, deviation_id) or []] == [
        attachment.id]


def test_a_path_in_the_file_name_never_reaches_the_file_system(app, tmp_path):
    deviation_id = report(app)
    trd = sign_in(app, TRD)
    for name in ("../../../etc/passwd.png", "..\\..\\windows\\system32\\a.png",
                 "/tmp/evil.png"):
        assert upload(trd, deviation_id, name, png()).status_code == 303
    names = [a.file_name for a in attachments.listed(app.state.db, TRD, deviation_id) or []]
    assert names == ["passwd.png", "a.png", "evil.png"]
    files = stored_files()
    assert len(files) == 3
    assert all(len(f.name) == 32 and int(f.name, 16) >= 0 for f in files)  # random hex
    assert not (tmp_path / "etc").exists()


def test_a_file_name_is_cleaned_and_bounded_with_its_extension_kept():
    assert attachments.safe_name('rap"port\r\n<1>.pdf') == "rap_port_1_.pdf"
    assert attachments.safe_name("bilde\u202egnp.exe") == "bilde_gnp.exe"
    assert attachments.safe_name("...") == "vedlegg"
    assert attachments.safe_name(None) == "vedlegg"
    assert attachments.safe_name(".skjult.png") == "skjult.png"
    assert attachments.safe_name("Øya helsehus.jpg") == "Øya helsehus.jpg"
    long = attachments.safe_name("a" * 300 + ".jpeg")
    assert (len(long), long[-6:]) == (120, "a.jpeg")


def test_the_side_that_added_a_file_may_remove_it_and_the_other_side_may_not(app):
    deviation_id = report(app)
    trd, ola = sign_in(app, TRD), sign_in(app, OLA)
    assert upload(trd, deviation_id, "a.png", png()).status_code == 303
    (attachment,) = attachments.listed(app.state.db, TRD, deviation_id) or []
    url = f"/avvik/{deviation_id}/vedlegg/{attachment.id}/slett"
    refused = ola.post(url, data={"csrf_token": csrf(ola)}, follow_redirects=False)
    assert refused.status_code == 422
    assert "Bare organisasjonen som la ved filen" in refused.text
    assert len(stored_files()) == 1
    removed = trd.post(url, data={"csrf_token": csrf(trd)}, follow_redirects=False)
    assert removed.status_code == 303
    assert count(app.state.db, "deviation_attachments") == 0
    assert stored_files() == []


def test_an_upload_without_the_csrf_token_is_refused(app):
    deviation_id = report(app)
    trd = sign_in(app, TRD)
    answer = trd.post(f"/avvik/{deviation_id}/vedlegg", files={"file": ("a.png", png())})
    assert answer.status_code == 403
    assert count(app.state.db, "deviation_attachments") == 0


# --- on record and on disk ------------------------------------------------------------------

def test_every_upload_and_download_is_audited_without_the_file_name(app):
    deviation_id = report(app)
    trd, ola, malvik = sign_in(app, TRD), sign_in(app, OLA), sign_in(app, MALVIK)
    content = png()
    assert upload(trd, deviation_id, "Kari Nordmann.png", content).status_code == 303
    (attachment,) = attachments.listed(app.state.db, TRD, deviation_id) or []
    assert ola.get(f"/avvik/{deviation_id}/vedlegg/{attachment.id}").status_code == 200
    assert malvik.get(f"/avvik/{deviation_id}/vedlegg/{attachment.id}").status_code == 404
    rows = audit_rows(app.state.db)
    assert rows == [
        ("deviation.attachment.add", deviation_id,
         f"#{attachment.id} image/png {len(content)} B"),
        ("deviation.attachment.read", deviation_id, f"#{attachment.id}"),
        ("deviation.attachment.read.refused", deviation_id, f"#{attachment.id}"),
    ]
    assert not any("Kari" in detail for _, _, detail in rows)


def test_the_file_lies_privately_under_the_data_directory_outside_the_package(app, tmp_path):
    deviation_id = report(app)
    trd = sign_in(app, TRD)
    assert upload(trd, deviation_id, "a.pdf", pdf()).status_code == 303
    (path,) = stored_files()
    assert path.parent == tmp_path / "data" / "attachments"  # FLYT_DATA_DIR (conftest)
    package = Path(flyt.__file__).resolve().parent
    assert not path.resolve().is_relative_to(package)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Nothing under /static serves it.
    assert trd.get(f"/static/{path.name}").status_code == 404


def test_attachments_dir_in_the_configuration_moves_the_files(app, tmp_path, monkeypatch):
    elsewhere = tmp_path / "vedlegg"
    configure(tmp_path, monkeypatch, f'[deviations]\nattachments_dir = "{elsewhere}"\n')
    deviation_id = report(app)
    assert upload(sign_in(app, TRD), deviation_id, "a.png", png()).status_code == 303
    assert [p.parent for p in elsewhere.iterdir()] == [elsewhere]


@pytest.mark.parametrize(("toml", "message"), [
    ("attachment_max_bytes = 0", "[deviations] attachment_max_bytes must be a whole number"),
    ('attachment_max_count = "ti"', "[deviations] attachment_max_count must be a whole"),
    ("attachments_dir = 3", "[deviations] attachments_dir must be a directory's path"),
])
def test_a_wrong_attachment_setting_is_named(toml, message):
    import tomllib

    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        attachments.load_attachment_settings({"deviations": tomllib.loads(toml)})


def test_a_broken_attachment_setting_is_said_on_the_page_not_a_server_error(
        app, tmp_path, monkeypatch):
    deviation_id = report(app)
    trd = sign_in(app, TRD)
    assert upload(trd, deviation_id, "a.png", png()).status_code == 303
    (attachment,) = attachments.listed(app.state.db, TRD, deviation_id) or []
    configure(tmp_path, monkeypatch, "[deviations]\nattachment_max_count = 0\n")
    refused = upload(trd, deviation_id, "b.png", png())
    assert refused.status_code == 503
    assert ("innstillingene for vedlegg i konfigurasjonsfilen er feil ([deviations] "
            "attachment_max_count must be a whole number &gt;= 1)") in refused.text
    assert trd.get(f"/avvik/{deviation_id}/vedlegg/{attachment.id}").status_code == 503
    assert count(app.state.db, "deviation_attachments") == 1
    assert part(app.state.db, TRD, deviation_id)["max_count"] == 10  # shown as the default


# --- the page's part -------------------------------------------------------------------------

def test_the_part_lists_sizes_and_dates_the_norwegian_way_and_offers_the_form(app):
    deviation_id = report(app)
    db = app.state.db
    attachments.add(db, TRD, deviation_id, "foto.png", io.BytesIO(png()))
    with db.engine.begin() as conn:  # 1.5 MiB, as if it were: the size is what is shown
        conn.execute(sa.text("UPDATE deviation_attachments SET size = 1572864"))
    html = environment().get_template("deviations/attachments_part.html.j2").render(
        attachments=part(db, OLA, deviation_id), lang="nb", csrf_token="tok",
        t=lambda key: __import__("flyt.i18n", fromlist=["t"]).t(key, "nb"))
    assert "1,5&nbsp;MB, 21.11.2024, Trondheim kommune" in html
    assert f'action="/avvik/{deviation_id}/vedlegg"' in html
    assert 'name="csrf_token" value="tok"' in html
    assert "Høyst 10 MB per fil og 10 filer per avvik" in html


def test_a_downgrade_below_0013_drops_the_attachments_table_and_an_upgrade_makes_it(db_url):
    query = sa.text("SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema IN ('public', 'main')")
    db = Database.open(db_url)
    with db.engine.begin() as conn:
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
        down = set(conn.execute(query).scalars())
        command.upgrade(config, "head")  # the shared PostgreSQL store stays at the head
        up = set(conn.execute(query).scalars())
    db.close()
    assert "deviations" in down
    assert "deviation_attachments" not in down
    assert "deviation_attachments" in up


def test_a_deviation_one_may_not_see_has_no_attachments_to_list(app):
    deviation_id = report(app)
    with pytest.raises(DeviationNotFound):
        attachments.listed(app.state.db, MALVIK, deviation_id)
