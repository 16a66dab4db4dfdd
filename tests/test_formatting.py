"""Numbers and dates for people (flyt.i18n, by Babel): bokmål with a non-breaking space
(U+00A0) between thousands and a decimal comma, English with commas and a point; half-up
rounding as the engine's; the ASCII hyphen for negatives; dd.mm.yyyy in bokmål and ISO
in English. Every expected string is written by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from flyt import i18n
from flyt.ingest.errors import Text
from flyt.reports import charts
from flyt.reports.monthly import fmt

NBSP = "\u00a0"
REPO = Path(__file__).resolve().parents[1]


def test_bokmal_numbers_have_a_non_breaking_space_between_thousands_and_a_decimal_comma():
    assert i18n.number(1234567.8, 1) == f"1{NBSP}234{NBSP}567,8"
    assert i18n.number(1234) == f"1{NBSP}234"
    assert i18n.number(999) == "999"
    assert i18n.number(0) == "0"
    assert i18n.number(Decimal("37342.50"), 2) == f"37{NBSP}342,50"
    assert i18n.number(12.5, 2) == "12,50"


def test_english_numbers_have_commas_between_thousands_and_a_decimal_point():
    assert i18n.number(1234567.8, 1, "en") == "1,234,567.8"
    assert i18n.number(1234, 0, "en") == "1,234"
    assert i18n.number(Decimal("37342.50"), 2, "en") == "37,342.50"


def test_percentages_are_written_as_each_language_writes_them():
    assert i18n.percent(12.5) == f"12,5{NBSP}%"
    assert i18n.percent(100.0) == f"100,0{NBSP}%"
    assert i18n.percent(1234.5) == f"1{NBSP}234,5{NBSP}%"
    assert i18n.percent(0) == f"0,0{NBSP}%"
    assert i18n.percent(12.5, 1, "en") == "12.5%"
    assert i18n.percent(8.3333, 1, "en") == "8.3%"


def test_display_rounds_half_up_as_the_engine_does():
    # Babel alone (half to even) would give 0,12, 2,67 (binary 2.67499…), 2 and 6,2 %.
    assert i18n.number(0.125, 2) == "0,13"
    assert i18n.number(Decimal("0.125"), 2) == "0,13"
    assert i18n.number(2.675, 2) == "2,68"
    assert i18n.number(2.5) == "3"
    assert i18n.number(0.5) == "1"
    assert i18n.percent(6.25) == f"6,3{NBSP}%"
    assert i18n.number(0.125, 2, "en") == "0.13"
    assert i18n.number(1234.44, 1) == f"1{NBSP}234,4"


def test_a_kpi_is_shown_with_its_own_decimals_and_the_ties_rounded_up():
    # KPI 3 (a mean) has two decimals, KPI 2 (a share) one and a per cent sign.
    assert fmt(3, 0.125, "nb") == "0,13"
    assert fmt(3, 1234.5, "nb") == f"1{NBSP}234,50"
    assert fmt(3, 0.125, "en") == "0.13"
    assert fmt(2, 6.25, "nb") == f"6,3{NBSP}%"
    assert fmt(2, 12.5, "en") == "12.5%"
    assert fmt(1, 1098, "nb") == f"1{NBSP}098"
    assert fmt(2, None, "nb") == "–"


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=2))
def test_a_value_already_rounded_is_shown_with_its_own_digits(units, decimals):
    """A stored KPI (rounded by the engine, kept as a double) shown with its decimals:
    the digits of the value, grouped by three, a comma before the decimals."""
    value = units / 10**decimals  # the double the store hands back
    digits = str(units).rjust(decimals + 1, "0")
    whole, fraction = digits[:len(digits) - decimals], digits[len(digits) - decimals:]
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    expected = NBSP.join(groups) + ("," + fraction if decimals else "")
    assert i18n.number(value, decimals) == expected


def test_negative_numbers_have_the_ascii_hyphen():
    assert i18n.number(-1234.5, 1) == f"-1{NBSP}234,5"
    assert i18n.number(-1234.5, 1, "en") == "-1,234.5"
    assert i18n.percent(-3.2) == f"-3,2{NBSP}%"
    assert i18n.percent(-3.2, 1, "en") == "-3.2%"


def test_a_value_that_rounds_to_zero_is_shown_without_a_minus():
    # Python's own format gives "-0.0" for -0.04 with one decimal.
    assert i18n.number(-0.04, 1) == "0,0"
    assert i18n.number(-0.0) == "0"
    assert i18n.percent(-0.04, 1, "en") == "0.0%"
    assert i18n.signed(-0.4) == "0"
    assert i18n.signed(0.04, 1) == "0,0"


def test_a_change_has_its_sign_and_none_for_no_change():
    assert i18n.signed(3) == "+3"
    assert i18n.signed(1234) == f"+1{NBSP}234"
    assert i18n.signed(-3) == "-3"
    assert i18n.signed(-1234, 0, "en") == "-1,234"
    assert i18n.signed(0) == "0"


def test_no_value_is_the_no_value_mark():
    for shown in (i18n.number(None), i18n.number(None, 2, "en"), i18n.percent(None),
                  i18n.signed(None), i18n.number(float("nan"), 1)):
        assert shown == i18n.NO_VALUE_MARK == "–"


def test_dates_are_dd_mm_yyyy_in_bokmal_and_iso_in_english_across_the_year_boundary():
    assert i18n.day(date(2024, 12, 31)) == "31.12.2024"
    assert i18n.day(date(2025, 1, 1)) == "01.01.2025"
    # 30.12.2024 is in ISO week 1 of 2025: the calendar year is shown, not the week's.
    assert i18n.day(date(2024, 12, 30)) == "30.12.2024"
    assert i18n.day(date(2027, 1, 1)) == "01.01.2027"  # in week 53 of 2026
    assert i18n.day(datetime(2024, 12, 31, 23, 59)) == "31.12.2024"
    assert i18n.moment(datetime(2024, 12, 31, 23, 59)) == "31.12.2024 23:59"
    assert i18n.moment(datetime(2025, 1, 1, 0, 5)) == "01.01.2025 00:05"
    assert i18n.day(date(2024, 12, 30), "en") == "2024-12-30"
    assert i18n.moment(datetime(2024, 12, 31, 23, 59), "en") == "2024-12-31 23:59"


def test_month_names_come_in_each_language():
    assert i18n.month(date(2024, 3, 1)) == "mars 2024"
    assert i18n.month(date(2024, 12, 1), "en") == "December 2024"
    assert i18n.month_name(1) == "januar"
    assert i18n.month_name(5, "en") == "May"


def test_a_moment_is_shown_as_its_wall_clock_time_in_any_machine_zone():
    """Flyt's times are naive Oslo wall-clock times: Babel must not move them into the
    machine's zone (it takes a naive time for UTC)."""
    probe = ("from datetime import datetime; from flyt import i18n; "
             "print(i18n.moment(datetime(2024, 3, 31, 2, 30)), "
             "i18n.moment(datetime(2024, 12, 31, 23, 30), 'en'))")
    for zone in ("Pacific/Auckland", "America/New_York", "Europe/Oslo"):
        env = {**os.environ, "TZ": zone}
        shown = subprocess.run([sys.executable, "-c", probe], env=env, cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
        assert shown == "31.03.2024 02:30 2024-12-31 23:30", zone


def test_the_chart_axes_take_bokmals_separators_and_month_names_from_babel():
    """The d3 locales handed to vl-convert (a guard: the same as the hand-written
    tables they replace)."""
    assert charts.number_locale("nb") == {"decimal": ",", "thousands": NBSP, "grouping": [3],
                                          "currency": ["", " kr"]}
    assert charts.number_locale("en")["thousands"] == ","
    nb = charts.time_locale("nb")
    assert nb is not None and charts.time_locale("en") is None
    assert nb["days"] == ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag",
                          "lørdag"]
    assert nb["shortDays"] == ["søn", "man", "tir", "ons", "tor", "fre", "lør"]
    assert nb["months"][0] == "januar" and nb["months"][11] == "desember"
    assert nb["shortMonths"] == ["jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug",
                                 "sep", "okt", "nov", "des"]


def test_an_import_message_keeps_the_non_breaking_space_and_escapes_only_the_files_words():
    """Import messages are escaped for the screen (flyt.ingest.echo); the thousands
    separator of bokmål is Flyt's own and must not come out as the text "\\xa0"."""
    assert Text.of("ingest_bad_rows", rows=1500)("nb") == (
        f"1{NBSP}500 rad(er) med feil: ingenting er importert")
    assert Text.of("ingest_bad_rows", rows=1500)("en") == (
        "1,500 bad row(s): nothing was imported")
    kind = "rows\x1b[2J\u202e"  # a terminal escape and a bidi override from the form
    assert Text.of("ingest_unknown_kind", kind=kind, kinds="stays")("nb") == (
        "Ukjent type «rows\\x1b[2J\\u202e»; velg stays")
