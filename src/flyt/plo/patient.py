"""The patient of a PLO message: identifiers only.

Health-data rules: a message names the patient and gives an address, but Flyt
keeps only what identifies (fødselsnummer, D-nummer, hjelpenummer: pseudonymized
by the importer at read time) and what the statistics break down by (birth year,
sex, municipality number). Names and addresses are looked at only to tell an
emptied patient block from one that merely lacks an id, and are not returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flyt.domain.identity import ACCEPTED_KINDS, birth_date, classify_identifier
from flyt.plo.errors import ErrorCode, Problem
from flyt.plo.xmltools import Element, attr, find, find_all, mh, text

# Code list 8116 (type of person identifier): the OID a patient's TypeId should carry.
PERSON_ID_CODE_LIST = "2.16.578.1.12.4.1.1.8116"
SEXES = {"1": "m", "2": "k"}  # code list 3101: 1 mann, 2 kvinne (0 and 9: not known)
H_MONTH_OFFSET = 40


@dataclass(frozen=True)
class PatientId:
    type_code: str  # as sent: FNR, DNR, HNR (or FHN)
    value: str  # the number; the importer pseudonymizes it at once
    kind: str  # fnr | dnr | hnr, from flyt.domain.identity.classify_identifier


@dataclass(frozen=True)
class PatientInfo:
    ids: tuple[PatientId, ...]
    birth_year: int | None
    sex: str | None  # k | m
    municipality: str | None  # 4-digit kommunenummer of residence, when the message has one


def read_patient(msg_info: Element | None, *, today: date | None = None
                 ) -> tuple[PatientInfo | None, list[Problem]]:
    """The patient's identifiers and breakdown fields, or the problems that stop it.

    missing_patient: no Patient element, or one with neither a name nor any id value
    (acceptance test 11a: the block emptied). missing_national_id: a named patient
    without a usable id (11c: no Ident; 14a: an empty one). invalid_national_id: an id
    that fails its check or its type, or comes from another code list (11b, 14b).
    Any invalid id rejects the message, even beside a valid one: a wrong number could
    join two people's stays.
    """
    patient = find(msg_info, mh("Patient")) if msg_info is not None else None
    if patient is None:
        return None, [Problem(ErrorCode.MISSING_PATIENT, "the message names no patient")]
    named = bool(text(patient, mh("FamilyName")) or text(patient, mh("GivenName")))
    idents = [(attr(i, mh("TypeId")), attr(i, mh("TypeId"), "S"), text(i, mh("Id")))
              for i in find_all(patient, mh("Ident"))]
    if not named and not any(value for _, _, value in idents):
        return None, [Problem(ErrorCode.MISSING_PATIENT,
                              "the patient has neither a name nor an identifier")]
    ids: list[PatientId] = []
    problems: list[Problem] = []
    for type_code, code_list, value in idents:
        kind_code = (type_code or "").upper()
        if kind_code not in ACCEPTED_KINDS or not value:
            continue  # another kind of id (or an empty one): not a national id
        if code_list and code_list != PERSON_ID_CODE_LIST:
            problems.append(Problem(ErrorCode.INVALID_NATIONAL_ID,
                                    f"the {kind_code} is from an unknown code list {code_list}"))
            continue
        kind = classify_identifier(value, kind_code, today=today)
        if kind is None:
            problems.append(Problem(ErrorCode.INVALID_NATIONAL_ID,
                                    f"the patient's {kind_code} is not a valid number"))
        else:
            ids.append(PatientId(kind_code, value.strip(), kind))
    if problems:
        return None, problems
    if not ids:
        return None, [Problem(ErrorCode.MISSING_NATIONAL_ID,
                              "the patient has no fødselsnummer, D-nummer or hjelpenummer")]
    return PatientInfo(
        ids=tuple(ids),
        birth_year=year_of_birth(patient, ids),
        sex=SEXES.get(attr(patient, mh("Sex")) or "") or sex_from_number(ids),
        municipality=municipality(patient),
    ), []


def year_of_birth(patient: Element, ids: list[PatientId]) -> int | None:
    """From DateOfBirth, else from a fødselsnummer/D-nummer/H-nummer's date."""
    born = text(patient, mh("DateOfBirth"))
    if born and born[:4].isdigit():
        return int(born[:4])
    for pid in ids:
        value = pid.value
        if pid.kind == "hnr" and value[0] not in "89":  # H-nummer: month + 40
            value = f"{value[:2]}{int(value[2:4]) - H_MONTH_OFFSET:02d}{value[4:]}"
        found = birth_date(value)
        if found:
            return found.year
    return None


def sex_from_number(ids: list[PatientId]) -> str | None:
    """The ninth digit is odd for men, even for women (not in an FH-nummer)."""
    for pid in ids:
        if pid.value[0] not in "89":
            return "m" if int(pid.value[8]) % 2 else "k"
    return None


def municipality(patient: Element) -> str | None:
    """Address/County when it is a kommunenummer (4 digits); the address itself is not read."""
    code = attr(patient, mh("Address/County"))
    return code if code and len(code) == 4 and code.isdigit() else None
