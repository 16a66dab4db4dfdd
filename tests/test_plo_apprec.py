"""Application receipts for PLO messages (flyt.plo.apprec).

There is no AppRec schema in the project; the receipt's shape is checked here
against the element order of AppRec-v1-2004-11-21.xsd.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from lxml import etree

from flyt.plo import ErrorCode, MessageError, Party, Problem, build_apprec, read_message
from flyt.plo.apprec import (
    APPREC_ERRORS,
    APPREC_NS,
    ERROR_CODE_LIST,
    apprec_for_error,
    ok_apprec,
)
from tests.support.plo import case, sample

A = f"{{{APPREC_NS}}}"
TOP_LEVEL = ["MsgType", "MIGversion", "SoftwareName", "GenDate", "Id", "Sender", "Receiver",
             "Status", "Error", "OriginalMsgId"]  # the schema's sequence (Error repeats)
NOW = datetime(2025, 3, 4, 8, 0)


def parse(receipt: bytes) -> etree._Element:
    assert receipt.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return etree.fromstring(receipt)


def names(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def in_schema_order(found: list[str]) -> bool:
    positions = [TOP_LEVEL.index(name) for name in found]
    return positions == sorted(positions)


def her_ids(party: etree._Element) -> list[str]:
    return [ident.text for ident in party.iter(f"{A}Id")
            if ident.getnext() is not None and ident.getnext().get("V") == "HER"]


def test_an_ok_receipt_answers_the_message_from_its_receiver_to_its_sender() -> None:
    message = read_message(sample("1.6", "Utskrivningsklar_pasient_v1-6_Ny"))
    root = parse(build_apprec(message, now=NOW, apprec_id="r-1"))
    assert root.tag == f"{A}AppRec" and in_schema_order(names(root))
    assert root.find(f"{A}MsgType").get("V") == "APPREC"
    assert root.findtext(f"{A}GenDate") == "2025-03-04T08:00:00"
    assert root.findtext(f"{A}Id") == "r-1"
    assert root.find(f"{A}Status").attrib == {"V": "1", "DN": "OK"}
    assert root.find(f"{A}Error") is None
    assert her_ids(root.find(f"{A}Sender")) == ["99387", "5078"]  # the message's receiver
    assert her_ids(root.find(f"{A}Receiver")) == ["59", "90998"]  # back to its sender
    assert root.findtext(f"{A}Receiver/{A}HCP/{A}Inst/{A}Dept/{A}Name") == "Ortopedisk kirurgi"
    original = root.find(f"{A}OriginalMsgId")
    assert names(original) == ["MsgType", "IssueDate", "Id"]
    assert original.find(f"{A}MsgType").get("V") == "LOG_UTSKRIVNINGSKLAR"
    assert original.findtext(f"{A}IssueDate") == "2018-01-31T10:20:11"
    assert original.findtext(f"{A}Id") == message.msg_id


def test_a_rejection_lists_every_problem_with_its_8221_code_and_reason() -> None:
    with pytest.raises(MessageError) as caught:
        read_message(case("1-13b"))
    root = parse(apprec_for_error(caught.value))
    assert root.find(f"{A}Status").attrib == {"V": "2", "DN": "Avvist"}
    errors = root.findall(f"{A}Error")
    assert [e.get("V") for e in errors] == ["X99", "T02"]  # missing sender, schema
    assert all(e.get("S") == ERROR_CODE_LIST for e in errors)
    assert errors[0].get("OT") == "the message has no sender organisation"
    assert in_schema_order(names(root))


@pytest.mark.parametrize(("name", "code"), [
    ("1-2", "T01"), ("1-11a", "E36"), ("1-11c", "E30"), ("1-14b", "E31"), ("1-15a", "T02"),
])
def test_each_acceptance_test_error_gets_its_receipt_code(name: str, code: str) -> None:
    with pytest.raises(MessageError) as caught:
        read_message(case(name))
    assert parse(apprec_for_error(caught.value)).find(f"{A}Error").get("V") == code


def test_every_error_code_has_a_receipt_code() -> None:
    assert set(APPREC_ERRORS) == set(ErrorCode)


def test_an_unknown_receiver_is_answered_with_e21() -> None:
    # Decided by the importer from its configuration, answered by the same builder.
    message = read_message(sample("1.5", "Innlagt_pasient_v1-5_Ny"))
    problem = Problem(ErrorCode.UNKNOWN_RECEIVER, "HER-id 5078 is not mapped to a municipality")
    error = parse(build_apprec(message, [problem])).find(f"{A}Error")
    assert (error.get("V"), error.get("OT")) == ("E21", problem.reason)


def test_a_copy_receiver_answers_in_that_role() -> None:
    message = read_message(case("1-19"))
    root = parse(build_apprec(message, as_party=message.copy_receivers[0]))
    sender = root.find(f"{A}Sender")
    assert names(sender) == ["Role", "HCP"] and sender[0].get("V") == "COP"
    assert root.findtext(f"{A}Sender/{A}HCP/{A}Inst/{A}HCPerson/{A}Id") == "148985"
    assert parse(build_apprec(message)).find(f"{A}Sender/{A}Role") is None


def test_a_lone_health_professional_is_an_hcprof() -> None:
    message = read_message(case("2"))  # the GP copy receiver is a HealthcareProfessional only
    root = parse(build_apprec(message, as_party=message.copy_receivers[0]))
    assert root.findtext(f"{A}Sender/{A}HCP/{A}HCProf/{A}Id") == "369767"


def test_a_receipt_for_unreadable_bytes_is_still_well_formed() -> None:
    with pytest.raises(MessageError) as caught:
        read_message(b"\x00\x01 not xml")
    root = parse(apprec_for_error(caught.value, now=NOW))
    assert root.findtext(f"{A}OriginalMsgId/{A}Id") == ""
    assert root.findtext(f"{A}OriginalMsgId/{A}IssueDate") == "2025-03-04T08:00:00"
    assert names(root.find(f"{A}Receiver/{A}HCP")) == ["Inst"]


def test_norwegian_letters_and_markup_in_a_reason_survive() -> None:
    reason = 'pasientens fødselsnummer <"æøå"> & mer'
    root = parse(build_apprec(None, [Problem(ErrorCode.INVALID_NATIONAL_ID, reason)],
                              as_party=Party()))
    assert root.find(f"{A}Error").get("OT") == reason


@pytest.mark.parametrize("name", ["1", "2", "5", "1-19"])
def test_the_templated_ok_receipt_is_the_built_one(name: str) -> None:
    message = read_message(case(name))
    now = datetime(2024, 3, 1, 12, 0, 0)
    for party in (None, *message.copy_receivers):  # as receiver, and as each copy receiver
        for msg_id in (message.msg_id, "a&b<c>'\"d"):  # markup in a MsgId is escaped
            head = dataclasses.replace(message, msg_id=msg_id)
            templated = ok_apprec(head, as_party=party, now=now)
            apprec_id = parse(templated).findtext(f"{{{APPREC_NS}}}Id")
            assert templated == build_apprec(head, as_party=party, apprec_id=apprec_id, now=now)
            original = parse(templated).findtext(f"{{{APPREC_NS}}}OriginalMsgId/{{{APPREC_NS}}}Id")
            assert original == msg_id
