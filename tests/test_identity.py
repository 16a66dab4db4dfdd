"""Fødselsnummer validation and pseudonymisation (flyt.domain.identity).

Every number here is synthetic (month + 80) or deliberately invalid.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flyt.domain.identity import (
    birth_date,
    is_valid_fnr,
    make_fnr,
    pseudonymize,
)
from flyt.ingest.values import evaluate, fnr_normal, fnr_problem

KEY = b"test-key"


def synthetic(born: date, start: int = 100, **kw: bool) -> str:
    """The first valid synthetic number for `born` from individual number `start` on."""
    for individual in range(start, start + 100):
        fnr = make_fnr(born, individual, **kw)
        if fnr:
            return fnr
    raise AssertionError("no valid number")


def test_it_accepts_a_synthetic_fodselsnummer() -> None:
    fnr = synthetic(date(1944, 5, 17))
    assert int(fnr[2:4]) == 85  # month + 80
    assert is_valid_fnr(fnr)
    assert birth_date(fnr) == date(1944, 5, 17)


def test_it_accepts_a_d_number() -> None:
    fnr = synthetic(date(1990, 12, 3), d_number=True)
    assert fnr[0] == "4"
    assert is_valid_fnr(fnr)
    assert birth_date(fnr) == date(1990, 12, 3)


@pytest.mark.parametrize("position", range(11))
def test_it_rejects_a_number_with_one_digit_changed(position: int) -> None:
    fnr = synthetic(date(1950, 2, 28))
    changed = fnr[:position] + str((int(fnr[position]) + 1) % 10) + fnr[position + 1 :]
    assert not is_valid_fnr(changed)


@pytest.mark.parametrize("value", ["", "123", "1234567890a", "018180123456", "abcdefghijk"])
def test_it_rejects_what_is_not_eleven_digits(value: str) -> None:
    assert not is_valid_fnr(value)


def test_it_rejects_an_impossible_birth_date_even_with_valid_control_digits() -> None:
    # 30 February: build the digits by hand with correct control digits.
    for individual in range(100, 200):
        digits = [int(c) for c in f"308250{individual:03d}"]
        k1 = (11 - sum(w * d for w, d in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), digits, strict=True))
              % 11) % 11
        if k1 == 10:
            continue
        k2 = (11 - sum(w * d for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), [*digits, k1],
                                             strict=True)) % 11) % 11
        if k2 == 10:
            continue
        fnr = "".join(map(str, digits)) + f"{k1}{k2}"
        assert not is_valid_fnr(fnr)
        return
    raise AssertionError("no number to test")


def test_it_rejects_a_birth_date_in_the_future() -> None:
    fnr = synthetic(date(2038, 1, 1), start=500)
    assert is_valid_fnr(fnr, today=date(2039, 1, 1))
    assert not is_valid_fnr(fnr, today=date(2030, 1, 1))


def test_pseudonymisation_is_deterministic_for_a_key_and_differs_with_another_key() -> None:
    fnr = synthetic(date(1960, 6, 6))
    first = pseudonymize([fnr, fnr], KEY)
    assert first[0] == first[1]
    assert first[0].startswith("h:") and len(first[0]) == 2 + 64
    assert fnr not in first[0]
    assert pseudonymize([fnr], b"another key") != first[:1]


def test_pseudonymisation_refuses_an_empty_key() -> None:
    with pytest.raises(ValueError):
        pseudonymize(["x"], b"")


# One DuckDB query per example, over a list, as over a file.
batched = settings(max_examples=40, deadline=None)
eleven_digits = st.text(alphabet="0123456789", min_size=11, max_size=11)


@batched
@given(st.lists(eleven_digits, min_size=1, max_size=200))
def test_the_sql_check_agrees_with_the_python_check_on_any_eleven_digits(
    numbers: list[str],
) -> None:
    parsed = evaluate(numbers, fnr_normal("x"), fnr_problem("v"))
    assert [p.error is None for p in parsed] == [is_valid_fnr(n) for n in numbers]


@batched
@given(st.lists(st.tuples(st.dates(min_value=date(1855, 1, 1), max_value=date(2024, 12, 31)),
                          st.integers(0, 999), st.booleans()), min_size=1, max_size=100))
def test_the_sql_check_accepts_every_generated_valid_number(
    people: list[tuple[date, int, bool]],
) -> None:
    numbers = [make_fnr(born, individual, d_number=d) for born, individual, d in people]
    valid = [n for n in numbers if n is not None]
    assert all(is_valid_fnr(n) for n in valid)
    assert [p.error for p in evaluate(valid, fnr_normal("x"), fnr_problem("v"))] == [None] * len(
        valid)
