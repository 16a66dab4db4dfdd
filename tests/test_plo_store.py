"""Receiving PLO messages: each kept as received, with a status and a receipt
(acceptance test criteria 6, 7, 8, 12, 17–22 at the store's end). Both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from lxml import etree

from flyt.plo.apprec import APPREC_NS
from flyt.plo.receive import receive
from flyt.plo.receivers import add_receiver, quarantine
from flyt.plo.retry import retry
from flyt.plo.sealing import SealError, unseal
from flyt.plo.storing import receive_bytes
from flyt.store import schema
from tests.support.plo import case, plo_message, plo_settings, synthetic_fnr

SETTINGS = plo_settings()
FNR = synthetic_fnr(100)
ADMITTED = "2024-03-01T10:00:00"


@pytest.fixture
def receipts(tmp_path: Path) -> Path:
    return tmp_path / "receipts"


@pytest.fixture
def alvdal(db):
    add_receiver(db, "5078", "5001")
    return db


def send(db, receipts: Path, data: bytes, name: str = "m.xml"):
    return receive_bytes(db, data, name, SETTINGS, receipts)


def statuses(db) -> dict[str, str]:
    m = schema.plo_messages.c
    with db.engine.connect() as conn:
        return dict(conn.execute(sa.select(m.msg_id, m.status).order_by(m.id)).all())


def innlagt(msg_id: str, **kw) -> bytes:
    return plo_message("innlagt", msg_id, ids=[("FNR", FNR)], at=ADMITTED, **kw)


def test_an_applied_message_is_kept_byte_for_byte_with_its_msg_id_and_time(alvdal, receipts):
    data = innlagt("m1")
    outcome = send(alvdal, receipts, data)
    assert (outcome.msg_id, outcome.type, outcome.status, outcome.reason) == (
        "m1", "LOG_INNLAGT", "applied", None)
    m = schema.plo_messages.c
    with alvdal.engine.connect() as conn:
        sealed, received_at, key = conn.execute(
            sa.select(m.sealed, m.received_at, m.patient_key)).one()
    assert unseal(sealed, SETTINGS.message_key) == data and received_at is not None
    assert key.startswith("h:") and FNR not in key


def test_no_national_id_is_stored_in_clear(alvdal, receipts):
    """Not in any column of any table: the message itself is sealed."""
    send(alvdal, receipts, innlagt("m1"))
    with alvdal.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            rows = conn.execute(sa.select(table)).all()
            assert FNR.encode() not in repr(rows).encode(), table.name
            assert not any(FNR.encode() in bytes(v) for row in rows for v in row
                           if isinstance(v, bytes | memoryview)), table.name


def test_a_stored_message_cannot_be_opened_with_another_key(alvdal, receipts):
    send(alvdal, receipts, innlagt("m1"))
    m = schema.plo_messages.c
    with alvdal.engine.connect() as conn:
        sealed = conn.execute(sa.select(m.sealed)).scalar_one()
    with pytest.raises(SealError, match="cannot be opened with the configured message key"):
        unseal(sealed, Fernet.generate_key())


def test_the_same_msg_id_twice_is_applied_once(alvdal, receipts):
    send(alvdal, receipts, innlagt("m1"))
    again = send(alvdal, receipts, innlagt("m1"))
    assert again.status == "duplicate" and "MsgId" in again.reason


def test_criterion_20_the_same_content_under_another_msg_id_is_a_duplicate(db, receipts):
    add_receiver(db, "56704", "5001")
    assert send(db, receipts, case("1-20a")).status == "applied"
    second = send(db, receipts, case("1-20b"))
    assert second.status == "duplicate" and "content" in second.reason


def test_criterion_19_a_message_to_a_copy_receiver_is_answered_as_copy_receiver(db, receipts):
    add_receiver(db, "148985", "5001")  # only the copy receiver is ours
    outcome = send(db, receipts, case("1-19"))
    assert outcome.status == "applied"
    receipt = etree.fromstring(next(receipts.glob("*.xml")).read_bytes())
    role = receipt.find(f"{{{APPREC_NS}}}Sender/{{{APPREC_NS}}}Role")
    assert role is not None and role.get("V") == "COP"


def test_a_cancellation_after_its_message_cancels_it(alvdal, receipts):
    send(alvdal, receipts, innlagt("m1"))
    cancel = send(alvdal, receipts, innlagt("c1", status="C", refers_to="m1"))
    assert cancel.status == "applied"
    assert statuses(alvdal) == {"m1": "cancelled", "c1": "applied"}


def test_criterion_22_a_cancellation_before_its_message_cancels_it_when_it_comes(
        alvdal, receipts):
    send(alvdal, receipts, innlagt("c1", status="C", refers_to="m1"))
    original = send(alvdal, receipts, innlagt("m1"))
    assert original.status == "cancelled" and "arrived first" in original.reason


@pytest.mark.parametrize("order", [("1", "1-21"), ("1-21", "1")])
def test_criteria_21_22_a_cancellation_without_reference_matches_by_content(
        db, receipts, order):
    add_receiver(db, "56704", "5001")
    for name in order:
        send(db, receipts, case(name), name)
    assert statuses(db)["987885e0-dd93-11de-8a39-0800200c9a66"] == "cancelled"


def test_a_change_replaces_the_message_it_changes(alvdal, receipts):
    send(alvdal, receipts, innlagt("m1"))
    send(alvdal, receipts, plo_message("innlagt", "m2", ids=[("FNR", FNR)],
                                       at="2024-03-01T12:00:00", status="M", refers_to="m1"))
    assert statuses(alvdal) == {"m1": "cancelled", "m2": "applied"}


def test_an_unknown_receiver_is_quarantined_and_retried_after_it_is_configured(db, receipts):
    outcome = send(db, receipts, innlagt("m1"))
    assert outcome.status == "quarantined" and "unknown receiver" in outcome.reason
    assert "5078" in outcome.reason
    assert [q["msg_id"] for q in quarantine(db)] == ["m1"]
    assert retry(db, SETTINGS, receipts)[0].status == "quarantined"
    add_receiver(db, "99387", "5001")  # the receiver's top organisation is enough
    assert [o.status for o in retry(db, SETTINGS, receipts)] == ["applied"]
    assert quarantine(db) == []


def test_a_broken_message_is_rejected_kept_and_answered_with_an_error_receipt(db, receipts):
    outcome = send(db, receipts, case("1-2"))
    assert outcome.status == "rejected" and "well-formed" in outcome.reason
    assert outcome.msg_id == "987885e0-dd93-11de-8a39-0800200c9a66"
    with db.engine.connect() as conn:
        status, code = conn.execute(sa.select(schema.plo_receipts.c.status,
                                              schema.plo_receipts.c.code)).one()
    assert (status, code) == ("error", "invalid_xml")


def test_every_message_gets_a_receipt_file(db, receipts, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("1", "1-2", "1-11a", "1-13a", "1-14b"):
        (folder / f"{name}.xml").write_bytes(case(name))
    outcomes = receive(db, folder, SETTINGS, receipts)
    assert sorted(o.status for o in outcomes) == ["quarantined"] + ["rejected"] * 4
    assert len(list(receipts.glob("*.xml"))) == 5


def test_criterion_17_a_patient_known_by_two_identifiers_is_one_patient(alvdal, receipts):
    hnr_message = case("1-17a")  # hjelpenummer only
    add_receiver(alvdal, "56704", "5001")
    send(alvdal, receipts, hnr_message)
    send(alvdal, receipts, case("1-16d"))  # both numbers: the link
    send(alvdal, receipts, case("1-17b"))  # fødselsnummer only
    m = schema.plo_messages.c
    with alvdal.engine.connect() as conn:
        keys = set(conn.execute(sa.select(m.patient_key).where(m.status != "rejected"))
                   .scalars())
    assert len(keys) == 1
