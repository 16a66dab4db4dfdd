"""D-nummer, hjelpenummer and the identifier kinds of PLO messages (flyt.domain.identity).

The numbers named here are the fictitious ones of the PLO acceptance test; the rest
are built with valid control digits by `with_control_digits`.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flyt.domain.identity import (
    K1_WEIGHTS,
    K2_WEIGHTS,
    classify_identifier,
    identifier_kind,
    is_valid_d_number,
    is_valid_fnr,
    is_valid_help_number,
)
from tests.support.plo import case, standard_patient_id  # noqa: E402

FNR = standard_patient_id(case("1"), "FNR")  # acceptance test Case1: 15.07.1965
DNR = standard_patient_id(case("1-16c"), "DNR")  # Case1-16c: the same date, day + 40
HNR = standard_patient_id(case("1-16a"), "HNR")  # Case1-16a/b: the same date, month + 40
BAD_HNR = "25436000305"  # Case1-11b: sent as HNR, fails both control digits


def with_control_digits(nine: str) -> str | None:
    """The 11-digit number for 9 leading digits, or None when no control digit fits."""
    digits = [int(c) for c in nine]
    k1 = (11 - sum(w * d for w, d in zip(K1_WEIGHTS, digits, strict=False)) % 11) % 11
    if k1 == 10:
        return None
    digits.append(k1)
    k2 = (11 - sum(w * d for w, d in zip(K2_WEIGHTS, digits, strict=False)) % 11) % 11
    return None if k2 == 10 else nine + f"{k1}{k2}"


def first_valid(prefix: str) -> str:
    """The first number starting with `prefix` (6 digits) that has valid control digits."""
    for individual in range(100, 400):
        number = with_control_digits(f"{prefix}{individual:03d}")
        if number:
            return number
    raise AssertionError(prefix)


def test_the_acceptance_test_numbers_are_what_their_type_says() -> None:
    assert classify_identifier(FNR, "FNR") == "fnr"
    assert classify_identifier(DNR, "DNR") == "dnr"
    assert classify_identifier(HNR, "HNR") == "hnr"


def test_the_acceptance_test_hjelpenummer_of_case_11b_is_invalid() -> None:
    assert not is_valid_help_number(BAD_HNR)
    assert classify_identifier(BAD_HNR, "HNR") is None


def test_a_d_number_is_a_d_number_and_a_fodselsnummer_is_not() -> None:
    assert is_valid_d_number(DNR)
    assert not is_valid_d_number(FNR)
    assert not is_valid_d_number(HNR)


def test_an_h_number_has_month_plus_40_and_a_real_date() -> None:
    assert is_valid_help_number(HNR)
    assert is_valid_help_number(first_valid("294264"))  # 29 February 1964, a leap year
    assert not is_valid_help_number(first_valid("294265"))  # 29 February 1965
    assert not is_valid_help_number(first_valid("015365"))  # month 53 - 40 = 13
    assert not is_valid_help_number(first_valid("150765"))  # month 07: a fødselsnummer


def test_an_h_number_born_in_the_future_is_invalid() -> None:
    # 01.01.2030: month 41, individual number 5xx (born 2000–2039)
    number = next(n for i in range(500, 600) if (n := with_control_digits(f"014130{i}")))
    assert is_valid_help_number(number, today=date(2031, 1, 1))
    assert not is_valid_help_number(number, today=date(2029, 1, 1))


def test_an_fh_number_starts_with_8_or_9_and_needs_only_control_digits() -> None:
    for prefix in ("812345", "998877"):
        number = first_valid(prefix)
        assert is_valid_help_number(number)
        assert classify_identifier(number, "HNR") == "hnr"
        assert classify_identifier(number, "FHN") == "hnr"
        assert not is_valid_fnr(number)


@pytest.mark.parametrize("position", range(11))
def test_a_help_number_with_one_digit_changed_is_invalid(position: int) -> None:
    changed = HNR[:position] + str((int(HNR[position]) + 1) % 10) + HNR[position + 1:]
    assert not is_valid_help_number(changed)


def test_the_fodselsnummer_check_still_rejects_help_numbers() -> None:
    # is_valid_fnr is mirrored by the SQL check of the CSV import: it must not widen.
    assert not is_valid_fnr(HNR)
    assert not is_valid_fnr(first_valid("812345"))


@pytest.mark.parametrize(("value", "type_code", "kind"), [
    (DNR, "FNR", "dnr"),  # systems label D-numbers FNR: same person, accepted
    (FNR, "fnr", "fnr"),  # the type code is case-insensitive
    (f" {FNR} ", "FNR", "fnr"),  # surrounding blanks are ignored
    (FNR, "DNR", None),  # a fødselsnummer is not a D-nummer
    (FNR, "HNR", None),
    (HNR, "FNR", None),  # an H-nummer sent as FNR does not fit its type
    (DNR, "HNR", None),
    (FNR, "XYZ", None),  # unknown type code
    ("g18", "FNR", None),  # Case1-14b
    ("", "FNR", None),
])
def test_an_identifier_must_be_valid_and_fit_its_type_code(
    value: str, type_code: str, kind: str | None,
) -> None:
    assert classify_identifier(value, type_code) == kind


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_a_number_is_at_most_one_kind_and_its_kind_fits_its_own_type(number: str) -> None:
    kinds = [is_valid_fnr(number) and not is_valid_d_number(number),
             is_valid_d_number(number), is_valid_help_number(number)]
    assert sum(kinds) <= 1
    kind = identifier_kind(number)
    assert (kind is None) == (sum(kinds) == 0)
    if kind:
        assert classify_identifier(number, kind.upper()) == kind


@given(st.text(max_size=20), st.text(max_size=5))
def test_classification_never_fails_on_any_text(value: str, type_code: str) -> None:
    assert classify_identifier(value, type_code) in (None, "fnr", "dnr", "hnr")
