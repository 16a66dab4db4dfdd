"""The standard's acceptance test for receiving pasientlogistikk
(akseptansetest mottak pasientlogistikk v1.5; its messages are in tests/data/plo), at
the reading layer.

Each test names the criterion (Nr.) it checks. What this layer decides is
checked here: the outcome of reading each test message, and what the importer
needs to finish the job (ids to link, keys to find duplicates and cancelled
messages). Criteria 6 and 7 (logging and keeping the original) and the store's
half of 12, 17, 18, 20, 21 and 22 belong to the importer's tests.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from lxml import etree

from flyt.plo import ErrorCode, MessageError, MessageHead, build_apprec, read_message
from flyt.plo.apprec import APPREC_NS, apprec_for_error
from tests.support.plo import ACCEPTANCE, case, standard_patient_id


def rejected(name: str) -> MessageError:
    with pytest.raises(MessageError) as caught:
        read_message(case(name))
    return caught.value


def test_criterion_1_2_a_syntax_error_is_reported_with_a_receipt() -> None:
    error = rejected("1-2")  # the closing tag of the sender's Organisation commented out
    assert error.code == ErrorCode.INVALID_XML and "line 33" in error.reason
    receipt = etree.fromstring(apprec_for_error(error))
    assert receipt.findtext(f"{{{APPREC_NS}}}OriginalMsgId/{{{APPREC_NS}}}Id") == (
        "987885e0-dd93-11de-8a39-0800200c9a66")
    assert receipt.find(f"{{{APPREC_NS}}}Error").get("V") == "T01"


def test_criterion_3_the_namespace_gives_the_version() -> None:
    assert read_message(case("1")).version == "1.5"


@pytest.mark.parametrize("name", ["1", "2", "3", "4", "5"])
def test_criterion_4_either_character_set_reads_the_same(name: str) -> None:
    utf8 = case(name)
    latin1 = utf8.decode("utf-8").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1)
    assert read_message(latin1.encode("iso-8859-1")) == read_message(utf8)


def test_criteria_5_9_10_case1_is_read_into_the_right_fields() -> None:
    message = read_message(case("1"))
    assert (message.msg_type, message.status, message.event_code) == ("LOG_DOD", "N", "13")
    assert message.died_at == datetime(2007, 3, 1)  # a date (xs:date) in a TS
    assert message.gen_date == datetime(2007, 1, 20, 5, 30, 47)  # xs:dateTime with Z
    assert (message.sender_top_her_id, message.sender_her_id) == ("99387", "5078")
    assert message.receiver_her_ids == ("56704", "369767")  # the GP's "369.767"
    assert [(p.type_code, p.kind) for p in message.patient_ids] == [("FNR", "fnr")]
    assert message.contact_unit_name == "Avdeling kroken"


def test_criterion_8_every_test_message_gets_a_well_formed_receipt() -> None:
    for path in sorted(ACCEPTANCE.glob("*.xml")):
        head: MessageHead | None
        try:
            message = read_message(path.read_bytes())
            receipt, head = build_apprec(message), message
        except MessageError as error:
            receipt, head = apprec_for_error(error), error.head
        root = etree.fromstring(receipt)
        assert root.tag == f"{{{APPREC_NS}}}AppRec", path.name
        assert head is not None and head.msg_id, path.name
        assert root.findtext(f"{{{APPREC_NS}}}OriginalMsgId/{{{APPREC_NS}}}Id") == head.msg_id


@pytest.mark.parametrize(("name", "code"), [
    ("1-11a", ErrorCode.MISSING_PATIENT),  # name and number emptied
    ("1-11b", ErrorCode.INVALID_NATIONAL_ID),  # a hjelpenummer that fails its control digits
    ("1-11c", ErrorCode.MISSING_NATIONAL_ID),  # name and birth date, no identifier at all
])
def test_criterion_11_missing_patient_information_is_reported(name: str, code: ErrorCode) -> None:
    assert rejected(name).code == code


def test_criterion_12_an_unknown_patient_is_read() -> None:
    # A statistics system keeps no patient register: an unknown patient is a new
    # pseudonymous patient, not an error (no "E35 not in the receiver's system").
    message = read_message(case("1-12"))
    assert [p.value for p in message.patient_ids] == [standard_patient_id(case("1-12"), "FNR")]


@pytest.mark.parametrize(("name", "words"), [
    ("1-13a", "no HER-id"),  # the sender's name and ids emptied
    ("1-13b", "no sender organisation"),  # everything under Sender removed
])
def test_criterion_13_a_missing_sender_is_reported(name: str, words: str) -> None:
    error = rejected(name)
    assert error.code == ErrorCode.MISSING_SENDER and words in error.reason


@pytest.mark.parametrize(("name", "code"), [
    ("1-14a", ErrorCode.MISSING_NATIONAL_ID),  # the fødselsnummer emptied
    ("1-14b", ErrorCode.INVALID_NATIONAL_ID),  # "g18", from a code list that does not exist
])
def test_criterion_14_a_missing_fodselsnummer_is_reported(name: str, code: ErrorCode) -> None:
    assert rejected(name).code == code


@pytest.mark.parametrize("name", ["1-15a", "1-15b"])
def test_criterion_15_errors_in_the_content_are_reported(name: str) -> None:
    assert rejected(name).code == ErrorCode.SCHEMA_VIOLATION


@pytest.mark.parametrize(("name", "ids"), [
    ("1-16a", [("HNR", "hnr")]),  # hjelpenummer and birth date
    ("1-16b", [("HNR", "hnr")]),  # hjelpenummer only
    ("1-16c", [("DNR", "dnr")]),  # D-nummer only
    ("1-16d", [("FNR", "fnr"), ("HNR", "hnr")]),  # both: the importer links them
])
def test_criterion_16_each_kind_of_patient_identifier_is_read(
    name: str, ids: list[tuple[str, str]],
) -> None:
    message = read_message(case(name))
    assert [(p.type_code, p.kind) for p in message.patient_ids] == ids
    assert message.birth_year == 1965


def test_criterion_17_one_patient_known_by_two_numbers_can_be_linked() -> None:
    # 17a sends the hjelpenummer, 17b the fødselsnummer; 16d carries both at once,
    # which is what lets the importer know they are one patient.
    both = {p.value for p in read_message(case("1-16d")).patient_ids}
    assert {p.value for p in read_message(case("1-17a")).patient_ids} <= both
    assert {p.value for p in read_message(case("1-17b")).patient_ids} <= both


def test_criterion_18_a_known_organisation_with_an_unknown_service_is_read() -> None:
    # The receiver's top organisation (56704) is known, its service (999.999) not:
    # whether that maps to a municipality is the importer's receiver configuration.
    message = read_message(case("1-18"))
    assert message.receiver_her_ids == ("56704", "999999")
    assert message.sender_her_id == "999888" and message.department == "Ukjent tjeneste"


def test_criterion_19_a_copy_receiver_is_read_and_answers_as_copy_receiver() -> None:
    message = read_message(case("1-19"))
    assert message.copy_receiver_her_ids == (("56704", "148985"),)
    receipt = etree.fromstring(build_apprec(message, as_party=message.copy_receivers[0]))
    role = receipt.find(f"{{{APPREC_NS}}}Sender/{{{APPREC_NS}}}Role")
    assert role is not None and role.get("V") == "COP"


def test_criterion_20_the_same_message_twice_under_two_msg_ids_is_recognisable() -> None:
    a, b = read_message(case("1-20a")), read_message(case("1-20b"))
    assert a.msg_id != b.msg_id
    assert a.content_digest == b.content_digest and a.patient_ids == b.patient_ids


@pytest.mark.parametrize("order", [("1", "1-21"), ("1-21", "1")])
def test_criteria_21_22_a_cancellation_matches_its_message_in_either_order(
    order: tuple[str, str],
) -> None:
    # Case1-21 has no ConversationRef: it is tied to Case1 by content (type, sender,
    # event and its time, patient), which does not depend on which arrives first.
    first, second = (read_message(case(name)) for name in order)
    original, cancellation = (first, second) if order[0] == "1" else (second, first)
    assert cancellation.is_cancellation and cancellation.refers_to is None
    assert not original.is_cancellation
    assert cancellation.match_key == original.match_key
    assert cancellation.patient_ids == original.patient_ids


def test_criterion_23_case2_utskrevet() -> None:
    message = read_message(case("2"))
    assert message.discharged_at == datetime(2006, 10, 10)
    assert message.discharged_to is not None
    assert (message.discharged_to.code, message.discharged_to.text) == (
        "1", "Vanlig bosted, arbeidssted m.v.")
    assert message.copy_receiver_her_ids == (("369767",),)  # the GP, as a lone person


def test_criterion_24_case3_utskrivningsklar() -> None:
    message = read_message(case("3"))
    assert message.admitted_at == datetime(2006, 10, 10)
    assert message.ready_at == datetime(2006, 11, 30) and message.ready_is_estimate
    assert (message.sender_top_her_id, message.sender_her_id) == ("905", "12471")


def test_criterion_25_case4_avmelding() -> None:
    message = read_message(case("4"))
    assert message.deregistered_at == datetime(2006, 11, 20)
    assert message.ready_at == datetime(2006, 11, 30)  # withdrawn before the estimated day
    assert message.sender.her_ids == ("905.12471",)  # "905.12471": kept as sent


def test_criterion_26_case5_innlagt() -> None:
    message = read_message(case("5"))
    assert (message.msg_type, message.admitted_at) == ("LOG_INNLAGT", datetime(2006, 10, 10))
    assert message.main_event is not None and message.main_event.place == (
        "Køfri Sykehus - Ortopedisk avdeling")
