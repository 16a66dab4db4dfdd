"""National ids where they do not belong: the vectorised check (a whole column at once)
says what identifier_kind says number by number, and free text is masked.

Every number here is synthetic (month + 80), built with make_fnr, or invalid."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from flyt.domain.identity import (
    as_digits,
    has_valid_control_digits,
    identifier_kind,
    make_fnr,
    mask_national_ids,
    national_id_like,
)

TODAY = date(2025, 6, 1)


def with_controls(first_nine: str) -> str | None:
    """`first_nine` + the two control digits, or None when there are none."""
    for k1 in range(10):
        for k2 in range(10):
            number = f"{first_nine}{k1}{k2}"
            if has_valid_control_digits(number):
                return number
    return None


def synthetic(born: date, **kw: bool) -> str:
    return next(f for i in range(100, 1000) if (f := make_fnr(born, i, **kw)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("0123456789", min_size=9, max_size=9), min_size=1, max_size=50))
def test_the_column_check_agrees_with_identifier_kind(prefixes: list[str]) -> None:
    numbers = [n for p in prefixes if (n := with_controls(p))]
    numbers += [p + "00" for p in prefixes]  # mostly without valid control digits
    like = national_id_like(as_digits(numbers), today=TODAY)
    assert like.tolist() == [identifier_kind(n, today=TODAY) is not None for n in numbers]


def test_each_kind_of_number_is_recognised() -> None:
    fnr = synthetic(date(1980, 1, 1))
    d_number = synthetic(date(1985, 7, 1), d_number=True)
    h_number = next(n for i in range(100, 500)  # 15.07.1965, month + 40
                    if (n := with_controls(f"154765{i:03d}")))
    fh_number = with_controls("812345678")
    not_born_yet = synthetic(date(2030, 1, 1))
    wrong_control = fnr[:-1] + str((int(fnr[-1]) + 1) % 10)
    numbers = [fnr, d_number, h_number, fh_number, not_born_yet, wrong_control]
    assert None not in numbers
    assert national_id_like(as_digits(numbers), today=TODAY).tolist() == [
        True, True, True, True, False, False]


def test_free_text_is_masked_where_it_holds_one_and_left_alone_elsewhere() -> None:
    fnr = synthetic(date(1980, 1, 1))
    spaced = f"{fnr[:6]} {fnr[6:]}"
    assert mask_national_ids(f"Pas. {spaced} ortopedi") == ("Pas. ****** ***** ortopedi", 1)
    assert mask_national_ids(f"{fnr}") == ("*" * 11, 1)
    assert mask_national_ids(f"id{fnr}x, {fnr}") == ("id***********x, ***********", 2)
    assert mask_national_ids(f"9{fnr}") == (f"9{fnr}", 0)  # part of a longer number
    assert mask_national_ids(f"{fnr[1:]}") == ("*" * 10, 1)  # lost its leading zero
    assert mask_national_ids("Medisinsk avdeling 3") == ("Medisinsk avdeling 3", 0)
    assert mask_national_ids("12345678901") == ("12345678901", 0)  # not a valid number
