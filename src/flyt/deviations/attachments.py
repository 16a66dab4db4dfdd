"""Attachments of a deviation: PDF, PNG and JPEG files its organisations add, store,
list, open and remove (docs/deviations.md, "Attachments").

* The type is decided from the content, never from the name or the client's content
  type: the magic bytes, then a real parse (Pillow for images; for a PDF its `%PDF-`
  header and the `%%EOF` marker in its last 1024 bytes). The stored media type is the
  one found.
* The upload is read in chunks into a private file and refused as soon as it passes
  `[deviations] attachment_max_bytes`; a refused file is removed at once.
* Files lie under the data directory (`attachments/`, or `[deviations] attachments_dir`),
  outside the package and its static files, under a random name: nothing the user gave
  touches the file system. The name they gave is kept (sanitised, bounded) in the table
  only, with the size and the SHA-256.
* Who: a user who acts for the reporter's or a receiver's organisation adds, lists,
  opens and removes them. The improvement group sees every deviation but not its
  attachments (they may name the patient, whose `patient_ref` it may not see), unless
  the user acts for one of the deviation's organisations itself. A deviation or an
  attachment one may not see is "not found" (404).
* Audited: `deviation.attachment.add`, `deviation.attachment.read`,
  `deviation.attachment.remove` (target: the deviation's id; detail: the attachment's id
  and size, never its name, which may hold a person's).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa

from flyt.accounts import User, audit
from flyt.config import PRIVATE_FILE, private_dir
from flyt.deviations import access
from flyt.deviations.attachment_settings import (
    MIB,
    AttachmentSettings,
    load_attachment_settings,
)
from flyt.deviations.errors import DeviationNotFound, InvalidDeviation
from flyt.deviations.handling import user_id
from flyt.deviations.records import Deviation
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.turns import advisory_key, local_lock

CHUNK = 64 * 1024
NAME_LENGTH = 120  # characters of the user's file name kept
PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
EXTENSIONS = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg")}
# A PDF ends with %%EOF within its last 1024 bytes (ISO 32000-1, 7.5.5); a trailing
# newline or a few bytes of padding after it are common.
PDF_TAIL = 1024
# Images larger than this (pixels) are refused before they are decoded: a small file
# can claim a huge picture (a decompression bomb).
MAX_PIXELS = 60_000_000

A = schema.deviation_attachments


# --- what a file is ---------------------------------------------------------------------

def _image_type(path: Path) -> str | None:
    """PNG or JPEG if Pillow reads the whole file as one (None otherwise)."""
    from PIL import Image  # Pillow (with WeasyPrint): loaded when an image comes

    try:
        with Image.open(path, formats=("PNG", "JPEG")) as image:
            kind = image.format
            if image.width * image.height > MAX_PIXELS:
                return None
            image.verify()  # PNG: every chunk and its checksum, to IEND
        if kind == "JPEG":
            # A whole JPEG ends with its end-of-image marker. Checked by hand: WeasyPrint
            # sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it loads,
            # and then a cut JPEG decodes without a complaint.
            if not _ends_with(path, b"\xff\xd9"):
                return None
            # verify() checks nothing for a JPEG: decode it, at an eighth of its size
            # (the DCT's own scaling), which reads every byte; a broken one raises.
            with Image.open(path, formats=("JPEG",)) as image:
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a bad file
        return None
    return {"PNG": PNG, "JPEG": JPEG}.get(kind or "")


def _ends_with(path: Path, marker: bytes, tail: int = 1024) -> bool:
    """Whether `marker` is in the last `tail` bytes (a writer may pad after it)."""
    with path.open("rb") as file:
        file.seek(0, 2)
        file.seek(max(0, file.tell() - tail))
        return marker in file.read(tail)


def _pdf(path: Path, size: int) -> bool:
    with path.open("rb") as file:
        file.seek(max(0, size - PDF_TAIL))
        return b"%%EOF" in file.read(PDF_TAIL)


def detected_type(path: Path) -> str | None:
    """The media type of the file at `path` from its content: PDF, PNG or JPEG, or None
    for anything else (also a damaged or cut one)."""
    size = path.stat().st_size
    with path.open("rb") as file:
        head = file.read(16)
    if head.startswith(b"%PDF-"):
        return PDF if _pdf(path, size) else None
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff"):
        return _image_type(path)
    return None


# --- names ------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"*:<>?|;\\/]+')


def safe_name(name: str | None) -> str:
    """The user's file name for display and the download: its last path component only
    (either slash), no control, format or shell-special characters, no leading dots, at
    most NAME_LENGTH characters with its extension kept; "vedlegg" if nothing is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    # Control and format characters out with the rest below (a right-to-left override
    # shows "gnp.exe" as "exe.png").
    text = "".join("\x00" if unicodedata.category(c)[0] == "C" else c for c in text)
    text = " ".join(_UNSAFE.sub("_", text).split()).lstrip(".").strip()
    if not text.strip("._ "):
        return "vedlegg"
    if len(text) > NAME_LENGTH:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            text = stem[:NAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            text = text[:NAME_LENGTH]
    return text


def download_name(file_name: str, media_type: str) -> str:
    """The name to save as: the stored name with the extension of its real type (a
    PNG sent as "skjema.pdf" is saved as "skjema.pdf.png", so it opens as what it is)."""
    if file_name.lower().endswith(EXTENSIONS[media_type]):
        return file_name
    return file_name + EXTENSIONS[media_type][0]


# --- the store --------------------------------------------------------------------------

@dataclass(frozen=True)
class Attachment:
    id: int
    deviation_id: str
    file_name: str  # sanitised; for display and the download's name only
    media_type: str
    size: int
    sha256: str
    created_at: Any  # datetime (naive Oslo time)
    organisation: str  # the side that added it
    stored_name: str  # random; the file's name in the folder

    @property
    def download_name(self) -> str:
        return download_name(self.file_name, self.media_type)

    def as_dict(self) -> dict[str, Any]:
        """For JSON: no stored name (where the file lies is not the client's business)."""
        return {"id": self.id, "deviation_id": self.deviation_id, "file_name": self.file_name,
                "media_type": self.media_type, "size": self.size, "sha256": self.sha256,
                "created_at": self.created_at.isoformat(timespec="seconds"),
                "organisation": self.organisation}


_COLUMNS = (A.c.id, A.c.deviation_id, A.c.file_name, A.c.media_type, A.c.size, A.c.sha256,
            A.c.created_at, A.c.organisation, A.c.stored_name)


def _attachment(row: Mapping[Any, Any]) -> Attachment:
    """An Attachment from a row (or the values just stored)."""
    return Attachment(row["id"], row["deviation_id"], row["file_name"], row["media_type"],
                      row["size"], row["sha256"], row["created_at"], row["organisation"],
                      row["stored_name"])


def may_open(item: Deviation, user: User) -> bool:
    """Whether `user` may add and open attachments of `item`: acting for its reporter's
    or one of its receivers' organisations. Not the improvement group as such (see the
    module's note), nor anyone else."""
    own = user.organisation
    return own is not None and (own == item.reporter_org or own in item.receiver_orgs)


def _deviation(db: Database, user: User, deviation_id: str) -> Deviation:
    """The deviation if `user` may have its attachments; DeviationNotFound otherwise."""
    item = access.get_for(db, deviation_id, user)  # 404 for one the user may not see
    if not may_open(item, user):
        raise DeviationNotFound("dev_not_found", id=item.id)
    return item


def listed(db: Database, user: User, deviation_id: str) -> list[Attachment] | None:
    """The deviation's attachments, oldest first; None for a deviation the user may see
    whose attachments are not for it (the improvement group); DeviationNotFound for one
    it may not see at all. Not audited: the deviation's read is (handling.read)."""
    item = access.get_for(db, deviation_id, user)
    if not may_open(item, user):
        return None
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(*_COLUMNS).where(A.c.deviation_id == item.id)
                            .order_by(A.c.id)).all()
    return [_attachment(row._mapping) for row in rows]


def _count(conn: sa.Connection, deviation_id: str) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(A)
                            .where(A.c.deviation_id == deviation_id)).scalar_one())


def _receive(stream: BinaryIO, target: Path, limit: int) -> tuple[int, str]:
    """Copy `stream` into the new private file `target` in chunks; its size and SHA-256.
    InvalidDeviation (too large) as soon as more than `limit` bytes came."""
    digest, size = hashlib.sha256(), 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise InvalidDeviation("dev_att_too_large", limit=limit_text(limit))
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def limit_text(limit: int) -> str:
    """A size limit as people read it, the same in both languages: "10 MB", "512 kB"
    (binary units, as the limit is set), "1000 B"."""
    if limit % MIB == 0:
        return f"{limit // MIB} MB"
    return f"{limit // 1024} kB" if limit % 1024 == 0 else f"{limit} B"


def add(db: Database, user: User, deviation_id: str, name: str | None, stream: BinaryIO, *,
        ip: str | None = None, settings: AttachmentSettings | None = None) -> Attachment:
    """Store the file read from `stream` as an attachment of the deviation, for the
    user's organisation. Refused, with nothing stored and no file left: DeviationNotFound
    (not the user's), InvalidDeviation (too many, too large, empty, not PDF/PNG/JPEG)."""
    settings = settings or load_attachment_settings()
    item = _deviation(db, user, deviation_id)
    with db.engine.connect() as conn:  # early, before a byte is read; again below
        if _count(conn, item.id) >= settings.max_count:
            raise InvalidDeviation("dev_att_too_many", limit=settings.max_count)
    folder = private_dir(settings.folder())
    stored_name = secrets.token_hex(16)
    final, part = folder / stored_name, folder / f"{stored_name}.part"
    try:
        size, sha256 = _receive(stream, part, settings.max_bytes)
        if size == 0:
            raise InvalidDeviation("dev_att_empty")
        media_type = detected_type(part)
        if media_type is None:
            raise InvalidDeviation("dev_att_type")
        attachment = _insert(db, item, user, settings, part, final, {
            "deviation_id": item.id, "file_name": safe_name(name),
            "stored_name": stored_name, "media_type": media_type, "size": size,
            "sha256": sha256, "created_at": clock.stamp(), "user_id": user_id(db, user),
            "organisation": user.organisation})
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    audit.record(db, user, "deviation.attachment.add", item.id,
                 f"#{attachment.id} {media_type} {size} B", ip)
    return attachment


def _insert(db: Database, item: Deviation, user: User, settings: AttachmentSettings,
            part: Path, final: Path, values: dict[str, Any]) -> Attachment:
    """The row, the count checked again under a lock every adder of the deviation takes
    (two uploads at once cannot both be the tenth), and the file moved to its name."""
    turn = f"deviation attachments {item.id}"
    try:
        with local_lock(turn), db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(advisory_key(turn))))
            if _count(conn, item.id) >= settings.max_count:
                raise InvalidDeviation("dev_att_too_many", limit=settings.max_count)
            new_id = conn.execute(A.insert().values(**values).returning(A.c.id)).scalar_one()
            os.replace(part, final)  # before the commit: a row never lacks its file
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return _attachment({**values, "id": int(new_id)})


def _one(db: Database, user: User, deviation_id: str, attachment_id: int) -> Attachment:
    item = _deviation(db, user, deviation_id)
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(*_COLUMNS).where(A.c.id == attachment_id,
                                                      A.c.deviation_id == item.id)).first()
    if row is None:  # none, or another deviation's: the same answer
        raise DeviationNotFound("dev_att_not_found", id=item.id)
    return _attachment(row._mapping)


def path_of(attachment: Attachment, settings: AttachmentSettings | None = None) -> Path:
    return (settings or load_attachment_settings()).folder() / attachment.stored_name


def for_download(db: Database, user: User, deviation_id: str, attachment_id: int, *,
                 ip: str | None = None, settings: AttachmentSettings | None = None,
                 ) -> tuple[Attachment, Path]:
    """The attachment and where its file lies, for the user to download; audited.
    DeviationNotFound for one the user may not open, or another deviation's."""
    try:
        attachment = _one(db, user, deviation_id, attachment_id)
        path = path_of(attachment, settings)
        if not path.is_file():
            raise DeviationNotFound("dev_att_not_found", id=attachment.deviation_id)
    except DeviationNotFound:
        # The id a user typed is not echoed into the log unbounded.
        audit.record(db, user, "deviation.attachment.read.refused", deviation_id[:40],
                     f"#{attachment_id}", ip)
        raise
    audit.record(db, user, "deviation.attachment.read", attachment.deviation_id,
                 f"#{attachment.id}", ip)
    return attachment, path


def remove(db: Database, user: User, deviation_id: str, attachment_id: int, *,
           ip: str | None = None, settings: AttachmentSettings | None = None) -> None:
    """Remove an attachment the user's own organisation added (the row, then the file);
    DeviationNotFound for one it may not open; InvalidDeviation for another side's."""
    attachment = _one(db, user, deviation_id, attachment_id)
    if attachment.organisation != user.organisation:
        raise InvalidDeviation("dev_att_not_own_side")
    with db.engine.begin() as conn:
        conn.execute(A.delete().where(A.c.id == attachment.id))
    path_of(attachment, settings).unlink(missing_ok=True)
    audit.record(db, user, "deviation.attachment.remove", attachment.deviation_id,
                 f"#{attachment.id}", ip)


