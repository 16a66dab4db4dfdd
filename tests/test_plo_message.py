"""Reading PLO pasientlogistikk messages into PloMessage (flyt.plo.message)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from flyt.plo import ErrorCode, MessageError, PloMessage, read_message
from tests.support.plo import (
    SAMPLES,
    as_latin1,
    case,
    edit,
    sample,
    standard_patient_id,
)

TYPES = {  # a word of the sample's file name → MsgInfo/Type
    "Innlagt": "LOG_INNLAGT",
    "Utskrivningsklar": "LOG_UTSKRIVNINGSKLAR",
    "Avmelding": "LOG_AVMELDING",
    "utskrevet": "LOG_UTSKREVET",
    "dodsfall": "LOG_DOD",
}
READY_V16 = "Utskrivningsklar_pasient_v1-6_Ny"


def rejected(data: bytes) -> MessageError:
    with pytest.raises(MessageError) as caught:
        read_message(data)
    return caught.value


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_published_sample_reads_with_its_type_version_and_status(path: Path) -> None:
    message = read_message(path.read_bytes())
    assert message.msg_type == next(t for word, t in TYPES.items() if word in path.name)
    assert message.version == ("1.6" if "v1-6" in path.name else "1.5")
    assert message.status == ("C" if path.name.endswith("_Kansellering.xml") else "N")
    assert message.patient_ids[0].kind == "fnr"
    assert message.event_at is not None


def test_it_reads_an_utskrivningsklar_message_field_by_field() -> None:
    message = read_message(sample("1.6", READY_V16))
    assert message.msg_id == "79c55ed0-0692-11e8-b566-0800200c9a66"
    assert message.gen_date == datetime(2018, 1, 31, 10, 20, 11)
    assert (message.sender_top_her_id, message.sender_her_id) == ("59", "90998")
    assert message.receiver_her_ids == ("99387", "5078")
    assert message.copy_receivers == ()
    assert message.event_code == "3"
    assert message.admitted_at == datetime(2018, 1, 29, 10, 0)
    assert message.ready_at == datetime(2018, 1, 31)
    assert message.ready_is_estimate  # Anslag=true: to be replaced by a firm time
    assert message.main_event is not None and message.main_event.date_only
    assert [(p.type_code, p.value, p.kind) for p in message.patient_ids] == [
        ("FNR",
         standard_patient_id(sample("1.6", "Utskrivningsklar_pasient_v1-6_Ny"), "FNR"),
         "fnr")]
    assert (message.birth_year, message.sex) == (1965, "m")
    assert message.department == "Ortopedisk kirurgi"
    assert (message.contact_unit_name, message.contact_unit_id) == (
        "Ortopedisk avdeling Øya", "LAV:ORTØYA")
    assert message.refers_to is None and message.status_name == "new"


def test_an_avmelding_carries_the_period_it_ends() -> None:
    message = read_message(sample("1.6", "Avmelding_av_utskrivningsklar_pasient_v1-6_Ny"))
    assert message.event_code == "4"
    assert message.deregistered_at == datetime(2018, 1, 31)
    assert message.ready_at == datetime(2018, 1, 31)
    assert message.admitted_at == datetime(2018, 1, 29, 10, 0)


def test_an_utskrevet_message_carries_the_discharge_and_where_to() -> None:
    message = read_message(sample("1.5", "Melding_om_utskrevet_pasient_v1-5_Ny"))
    assert message.discharged_at == datetime(2018, 2, 1)
    assert message.discharged_to is not None and message.discharged_to.code == "1"
    assert message.discharge_state is not None and message.discharge_state.code == "1"


def test_a_death_message_goes_from_the_municipality() -> None:
    message = read_message(sample("1.6", "Orientering_om_dodsfall_v1-6_Ny"))
    assert message.died_at == datetime(2018, 2, 20)
    assert message.sender_her_id == "5078" and message.receiver_her_ids == ("91096", "91100")


@pytest.mark.parametrize(("version", "name"), [
    ("1.5", "Innlagt_pasient_v1-5"), ("1.6", "Innlagt_pasient_v1-6"),
    ("1.5", "Orientering_om_dodsfall_v1-5"), ("1.6", "Orientering_om_dodsfall_v1-6"),
])
def test_a_cancellation_refers_to_the_msg_id_of_the_message_it_cancels(
    version: str, name: str,
) -> None:
    original = read_message(sample(version, f"{name}_Ny"))
    cancellation = read_message(sample(version, f"{name}_Kansellering"))
    assert cancellation.is_cancellation and cancellation.status_name == "cancellation"
    assert cancellation.refers_to == original.msg_id
    assert cancellation.match_key == original.match_key


def test_no_name_or_address_of_the_patient_is_kept() -> None:
    message = read_message(sample("1.6", READY_V16))
    kept = repr(message) + repr(dataclasses.asdict(message))
    for personal in ("Gundersen", "Roland", "Flåklypa", "Alvdal</", "1965-07-15", "Omsorg"):
        assert personal not in kept
    assert not any("name" in f.name and "patient" in f.name for f in dataclasses.fields(message))


def test_a_message_reencoded_to_iso_8859_1_reads_the_same() -> None:
    original = sample("1.6", READY_V16)
    latin1 = as_latin1(original)
    assert "Ø".encode("iso-8859-1") in latin1  # the unit name is there in one byte
    assert read_message(latin1) == read_message(original)


def test_a_message_in_a_wrong_declared_encoding_is_invalid_xml() -> None:
    latin1 = as_latin1(sample("1.6", READY_V16)).replace(b"ISO-8859-1", b"UTF-8", 1)
    assert rejected(latin1).code == ErrorCode.INVALID_XML


def test_broken_xml_is_invalid_xml_and_keeps_what_it_can_of_the_head() -> None:
    error = rejected(sample("1.6", READY_V16).replace(b"</Sender>", b"", 1))
    assert error.code == ErrorCode.INVALID_XML and "line" in error.reason
    assert error.head is not None and error.head.msg_id == "79c55ed0-0692-11e8-b566-0800200c9a66"


@pytest.mark.parametrize("data", [b"", b"not xml", b"<MsgHead>"])
def test_what_is_not_xml_at_all_is_invalid_xml(data: bytes) -> None:
    error = rejected(data)
    assert error.code == ErrorCode.INVALID_XML and error.head is None


def test_an_unknown_content_namespace_is_rejected() -> None:
    data = sample("1.6", READY_V16).replace(b"Pasientlogistikk/2012-04-01",
                                            b"Pasientlogistikk/2099-01-01")
    error = rejected(data)
    assert error.code == ErrorCode.UNKNOWN_NAMESPACE and "2099-01-01" in error.reason
    assert error.head is not None and error.head.msg_type == "LOG_UTSKRIVNINGSKLAR"


def test_a_document_that_is_not_a_msghead_is_an_unknown_namespace() -> None:
    data = sample("1.6", READY_V16).replace(b"msghead/2006-05-24", b"msghead/2099-01-01")
    assert rejected(data).code == ErrorCode.UNKNOWN_NAMESPACE


def test_a_schema_violation_is_rejected_with_the_line() -> None:
    data = edit(sample("1.6", READY_V16), "<Anslag>true</Anslag>", "<Anslag>kanskje</Anslag>")
    error = rejected(data)
    assert error.code == ErrorCode.SCHEMA_VIOLATION and "line 103" in error.reason


def test_every_problem_is_listed_not_only_the_first() -> None:
    data = edit(case("1-14a"), "<Forsendelsesstatus V=\"N\" DN=\"Ny\"/>", "")
    error = rejected(data)
    assert [p.code for p in error.problems] == [ErrorCode.MISSING_NATIONAL_ID,
                                                ErrorCode.SCHEMA_VIOLATION]


def test_a_type_that_does_not_match_its_content_is_unsupported() -> None:
    data = edit(sample("1.6", READY_V16), 'V="LOG_UTSKRIVNINGSKLAR"', 'V="LOG_INNLAGT"')
    assert rejected(data).code == ErrorCode.UNSUPPORTED_CONTENT


def test_a_message_type_outside_pasientlogistikk_is_unsupported() -> None:
    data = edit(sample("1.6", READY_V16), 'V="LOG_UTSKRIVNINGSKLAR"', 'V="DIALOG_FORESPORSEL"')
    assert rejected(data).code == ErrorCode.UNSUPPORTED_CONTENT


def test_an_unknown_forsendelsesstatus_is_unsupported() -> None:
    data = edit(sample("1.6", READY_V16), 'V="N" DN="Ny"', 'V="K" DN="Kansellering"')
    error = rejected(data)
    assert error.code == ErrorCode.UNSUPPORTED_CONTENT and "K" in error.reason


def test_a_change_message_is_read_as_a_change() -> None:
    data = edit(sample("1.6", READY_V16), 'V="N" DN="Ny"', 'V="M" DN="Endring"')
    message = read_message(data)
    assert message.is_change and message.status_name == "change"


def test_an_utskrivningsklar_message_without_its_ready_event_is_missing_its_event() -> None:
    data = edit(sample("1.6", READY_V16), '<Hendelsekode V="3"', '<Hendelsekode V="5"')
    assert rejected(data).code == ErrorCode.MISSING_EVENT


def test_a_lone_event_without_a_code_is_the_messages_main_event() -> None:
    data = edit(sample("1.6", "Innlagt_pasient_v1-6_Ny"),
                '<Hendelsekode V="1" DN="Pasient innlagt" S="2.16.578.1.12.4.1.1.9121"/>', "")
    assert read_message(data).admitted_at == datetime(2018, 1, 29, 10, 0)


def test_a_time_with_an_offset_becomes_norwegian_local_time() -> None:
    # Case1: GenDate 2007-01-20T04:30:47.0Z is 05:30:47 in Oslo (winter time).
    assert read_message(case("1")).gen_date == datetime(2007, 1, 20, 5, 30, 47)
    data = edit(sample("1.6", READY_V16), 'V="2018-01-29T10:00:00"', 'V="2018-07-29T08:00:00Z"')
    assert read_message(data).admitted_at == datetime(2018, 7, 29, 10, 0)  # summer time


def test_a_her_id_written_with_a_thousands_separator_is_a_plain_number() -> None:
    assert read_message(case("1")).receiver_her_ids == ("56704", "369767")


def test_the_same_content_gives_the_same_digest_whatever_the_msg_id() -> None:
    original = sample("1.6", READY_V16)
    again = edit(original, "79c55ed0-0692-11e8-b566-0800200c9a66",
                 "00000000-0692-11e8-b566-0800200c9a66")
    later = edit(original, '<TidspunktForHendelse V="2018-01-31" />',
                 '<TidspunktForHendelse V="2018-02-01" />')
    first: PloMessage = read_message(original)
    assert read_message(again).content_digest == first.content_digest
    assert read_message(later).content_digest != first.content_digest
    assert read_message(later).match_key != first.match_key


def test_a_cancellation_that_names_its_message_needs_no_event() -> None:
    data = edit(sample("1.6", "Innlagt_pasient_v1-6_Kansellering"),
                '<Hendelsekode V="1" DN="Pasient innlagt"', '<Hendelsekode V="99" DN="Annet"')
    message = read_message(data)
    assert message.is_cancellation and message.main_event is None
    assert message.refers_to == "b088a160-0698-11e8-b566-0800200c9a66"
