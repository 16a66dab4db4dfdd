"""Cell values: dates, numbers and booleans as Norwegian Excel and ISO 8601 write them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flyt.ingest.values import (
    evaluate,
    integer_error,
    integer_value,
    parse_booleans,
    parse_integers,
    parse_timestamps,
    timestamp_error,
    timestamp_value,
)

OSLO = ZoneInfo("Europe/Oslo")
moments = st.lists(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2099, 12, 31)),
                  min_size=1, max_size=40)
# Each example runs one DuckDB query over a whole list of values, as a file would.
batched = settings(max_examples=40, deadline=None)


def to_the_second(d: datetime) -> datetime:
    return d.replace(microsecond=0)


@batched
@given(moments)
def test_a_date_time_round_trips_through_norwegian_and_iso_formats(
    moments: list[datetime],
) -> None:
    seconds = [to_the_second(m) for m in moments]
    formats = [
        lambda m: m.strftime("%d.%m.%Y %H:%M:%S"),
        lambda m: m.strftime("%Y-%m-%dT%H:%M:%S"),
        lambda m: m.strftime("%Y-%m-%d %H:%M:%S"),
        lambda m: f"{m.day}.{m.month}.{m.year:04d} {m.hour}:{m.minute:02d}:{m.second:02d}",
    ]
    texts = [write(m) for write in formats for m in seconds]
    assert parse_timestamps(texts) == seconds * len(formats)


@batched
@given(moments)
def test_a_date_time_to_the_minute_round_trips(moments: list[datetime]) -> None:
    minutes = [m.replace(second=0, microsecond=0) for m in moments]
    norwegian = [m.strftime("%d.%m.%Y %H:%M") for m in minutes]
    iso = [m.strftime("%Y-%m-%dT%H:%M") for m in minutes]
    assert parse_timestamps(norwegian + iso) == minutes + minutes


@batched
@given(moments)
def test_a_date_without_time_means_midnight(moments: list[datetime]) -> None:
    midnights = [m.replace(hour=0, minute=0, second=0, microsecond=0) for m in moments]
    norwegian = [m.strftime("%d.%m.%Y") for m in midnights]
    iso = [m.strftime("%Y-%m-%d") for m in midnights]
    assert parse_timestamps(norwegian + iso) == midnights + midnights


@batched
@given(st.lists(st.tuples(
    st.datetimes(min_value=datetime(1980, 1, 1), max_value=datetime(2060, 1, 1)),
    st.integers(-14 * 4, 14 * 4).map(lambda quarters: timedelta(minutes=15 * quarters)),
), min_size=1, max_size=40))
def test_a_value_with_an_offset_becomes_oslo_wall_clock_time(
    moments: list[tuple[datetime, timedelta]],
) -> None:
    aware = [to_the_second(m).replace(tzinfo=timezone(offset)) for m, offset in moments]
    expected = [a.astimezone(OSLO).replace(tzinfo=None) for a in aware]
    assert parse_timestamps([a.isoformat() for a in aware]) == expected


def test_z_means_utc() -> None:
    assert parse_timestamps(["2024-07-01T12:00Z", "2024-01-01T12:00:00Z"]) == [
        datetime(2024, 7, 1, 14, 0), datetime(2024, 1, 1, 13, 0)
    ]
    assert datetime(2024, 7, 1, 12, tzinfo=UTC).astimezone(OSLO).hour == 14


@pytest.mark.parametrize("text", [
    "31.01.24", "2024/01/31", "31-01-2024", "2024-1-31", "31.01.2024 25:00", "31.01.2024T14:05",
    "2024-01-31Z", "i går", "45321", "01.13.2024 10:00",
])
def test_it_does_not_guess_an_unreadable_date(text: str) -> None:
    [parsed] = evaluate([text], timestamp_value("x"), timestamp_error("x", "v"))
    assert parsed.value is None
    assert parsed.error is not None and text in parsed.error


@pytest.mark.parametrize("text", ["30.02.2024", "2023-02-29", "31.04.2024 10:00"])
def test_it_says_no_such_date_for_a_well_formed_impossible_date(text: str) -> None:
    [parsed] = evaluate([text], timestamp_value("x"), timestamp_error("x", "v"))
    assert parsed.value is None
    assert parsed.error == f"no such date '{text}'"


@batched
@given(st.lists(st.integers(-(2**31) + 1, 2**31 - 1), min_size=1, max_size=40))
def test_a_whole_number_round_trips_with_decimal_comma_or_point(numbers: list[int]) -> None:
    texts = [t for n in numbers for t in (str(n), f"{n},0", f"{n}.00", f" {n} ")]
    assert parse_integers(texts) == [n for n in numbers for _ in range(4)]


@batched
@given(st.lists(st.tuples(st.integers(-1000, 1000), st.integers(1, 99)), min_size=1,
                max_size=40))
def test_a_number_with_a_fraction_is_not_a_whole_number(numbers: list[tuple[int, int]]) -> None:
    texts = [f"{n},{fraction:02d}" for n, fraction in numbers]
    parsed = evaluate(texts, integer_value("x"), integer_error("x", "v"))
    assert [p.value for p in parsed] == [None] * len(texts)
    assert [p.error for p in parsed] == [f"'{t}' is not a whole number" for t in texts]


def test_booleans_in_norwegian_and_english() -> None:
    yes = ["true", "TRUE", "ja", "Ja", "yes", "1", "SANN"]
    no = ["false", "nei", "NEI", "no", "0", "usann"]
    assert parse_booleans(yes) == [True] * len(yes)
    assert parse_booleans(no) == [False] * len(no)
    assert parse_booleans(["kanskje", "", None]) == [None, None, None]
