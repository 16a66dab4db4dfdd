"""What-if scenario files (flyt.simulation.scenario): the contract's example, every
refusal with its words and change number, the bounds, and how changes combine."""

from __future__ import annotations

import math
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flyt.simulation.scenario import (
    MAX_BYTES,
    MAX_CHANGES,
    Change,
    Scenario,
    ScenarioError,
    load,
    parse,
)
from flyt.store.reference import packaged_municipalities, packaged_units

MUNICIPALITIES = {"5001", "5028", "5031"}
UNITS = {"Øya helsehus korttid": "short_term", "Trondheim korttid": "short_term",
         "Melhus korttid": "short_term", "Øya helsehus": "aftercare",
         "St. Olavs hospital": "hospital"}


def refused(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        parse(text, MUNICIPALITIES, UNITS)
    return caught.value


def only(text: str) -> tuple[int | None, str | None, str, str]:
    """The one problem of `text`: change number, key, bokmål and English words."""
    error = refused(text)
    assert len(error.problems) == 1, error.messages("en")
    problem = error.problems[0]
    return problem.change, problem.key, problem.message("nb"), problem.message("en")


# --- the contract's example -----------------------------------------------------------

def test_the_packaged_example_is_the_contracts_example():
    text = (resources.files("flyt.simulation") / "examples" / "scenario.toml").read_text(
        encoding="utf-8")
    scenario = parse(text, {m.code for m in packaged_municipalities()},
                     {u.name: u.kind for u in packaged_units()})
    assert scenario.changes == (
        Change("short_term_beds", 3, municipality="5028"),
        Change("length_of_stay", -0.20, unit="Øya helsehus korttid"),
        Change("arrivals", 0.30, first=date(2024, 1, 1), last=date(2024, 2, 29)),
        Change("ukp_wait", -0.25, municipality="5001"),
    )
    assert scenario.name is not None and scenario.name.startswith("Eksempel")
    assert isinstance(scenario.changes[0].value, int)


def test_load_reads_a_file(tmp_path: Path):
    path = tmp_path / "s.toml"
    path.write_text('name = "  Tre senger  "\n[[change]]\nmunicipality = "5028"\n'
                    "short_term_beds = -3\n", encoding="utf-8-sig")  # a BOM is fine
    scenario = load(path, MUNICIPALITIES, UNITS)
    assert scenario == Scenario((Change("short_term_beds", -3, municipality="5028"),),
                                "Tre senger")


def test_load_refuses_a_missing_file_and_bytes_that_are_not_utf8(tmp_path: Path):
    with pytest.raises(ScenarioError) as caught:
        load(tmp_path / "none.toml", MUNICIPALITIES, UNITS)
    assert caught.value.messages("nb")[0].startswith("Kan ikke lese scenariofila ")
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "Øya"\n'.encode("latin-1"))
    with pytest.raises(ScenarioError) as caught:
        load(path, MUNICIPALITIES, UNITS)
    assert caught.value.messages("en") == ["The scenario file is not UTF-8 text."]


# --- every refusal, its words and its change --------------------------------------------

BEDS = '[[change]]\nmunicipality = "5028"\nshort_term_beds = 3\n'


def test_a_toml_syntax_error_names_line_and_column():
    assert only(BEDS + "[[change]\narrivals = 0.1\n") == (
        None, None, "Scenariofila er ikke gyldig TOML: feil på linje 4, kolonne 9.",
        "The scenario file is not valid TOML: an error at line 4, column 9.")


def test_an_unknown_top_level_key():
    assert only("nme = 'x'\n" + BEDS) == (
        None, "nme", "Ukjent nøkkel «nme» øverst i fila; bare «name» og [[change]] er tillatt.",
        "Unknown key \u201cnme\u201d at the top of the file; only \u201cname\u201d and "
        "[[change]] are allowed.")


def test_a_name_that_is_not_text():
    assert only("name = 3\n" + BEDS)[1:] == (
        "name", "«name» må være tekst i anførselstegn, fant 3.",
        "\u201cname\u201d must be text in quotes, found 3.")


def test_no_changes_and_a_single_bracket_change():
    assert only('name = "x"\n')[2] == "Scenariofila har ingen endringer ([[change]])."
    assert only("[change]\narrivals = 0.1\n")[1:3] == (
        "change", "«change» må være en liste av endringer, skrevet [[change]] (ikke [change]).")
    assert only("change = [1]\n")[:3] == (1, None, "Endring 1: må være en tabell med nøkler, "
                                                  "som [[change]].")


def test_a_change_without_a_kind():
    assert only(BEDS + '[[change]]\nmunicipality = "5001"\n') == (
        2, None, "Endring 2: sier ikke hva som endres; bruk én av short_term_beds, "
        "length_of_stay, arrivals, ukp_wait.",
        "Change 2: does not say what changes; use one of short_term_beds, length_of_stay, "
        "arrivals, ukp_wait.")


def test_a_change_with_two_kinds():
    assert only("[[change]]\narrivals = 0.1\nukp_wait = -0.1\n") == (
        1, None, "Endring 1: endrer flere ting (arrivals, ukp_wait); skriv én endring per "
        "[[change]].",
        "Change 1: changes several things (arrivals, ukp_wait); write one change per "
        "[[change]].")


def test_an_unknown_key_in_a_change():
    assert only(BEDS + "[[change]]\narrivals = 0.1\nfra = 2024-01-01\n") == (
        2, "fra", "Endring 2: ukjent nøkkel «fra».", "Change 2: unknown key \u201cfra\u201d.")


@pytest.mark.parametrize(("written", "found"), [('"3"', '"3"'), ("3.0", "3.0"),
                                                 ("true", "true")])
def test_beds_must_be_a_whole_number(written: str, found: str):
    assert only(f'[[change]]\nunit = "Melhus korttid"\nshort_term_beds = {written}\n') == (
        1, "short_term_beds", f"Endring 1: «short_term_beds» må være et helt tall, fant {found}.",
        f"Change 1: \u201cshort_term_beds\u201d must be a whole number, found {found}.")


def test_beds_are_bounded():
    assert only('[[change]]\nunit = "Melhus korttid"\nshort_term_beds = -1001\n')[2] == (
        # Babel writes bokmål's thousands with a no-break space
        "Endring 1: «short_term_beds» = -1001 er utenfor det tillatte "
        "(fra -1\xa0000 til 1\xa0000).")
    assert parse('[[change]]\nunit = "Melhus korttid"\nshort_term_beds = -1000\n',
                 MUNICIPALITIES, UNITS).changes[0].value == -1000


@pytest.mark.parametrize(("written", "found"), [('"mye"', '"mye"'), ("false", "false"),
                                                 ("[0.1]", "[…]")])
def test_a_relative_change_must_be_a_number(written: str, found: str):
    assert only(f"[[change]]\narrivals = {written}\n") == (
        1, "arrivals", "Endring 1: «arrivals» må være et tall (en relativ endring, -0.2 er 20 % "
        f"mindre), fant {found}.",
        "Change 1: \u201carrivals\u201d must be a number (a relative change, -0.2 is 20 % less), "
        f"found {found}.")


@pytest.mark.parametrize("written", ["-1", "-1.0", "10.000001", "11", "nan", "inf", "-inf"])
def test_a_relative_change_out_of_bounds(written: str):
    change, key, nb, en = only(f"[[change]]\nukp_wait = {written}\n")
    assert (change, key) == (1, "ukp_wait")
    assert nb.startswith("Endring 1: «ukp_wait» = ") and nb.endswith(
        " er utenfor det tillatte: større enn -1 (-100 %) og høyst 10 (+1 000 %).")
    assert en.endswith(" is out of bounds: above -1 (-100 %) and at most 10 (+1 000 %).")


def test_the_bounds_of_a_relative_change_themselves():
    scenario = parse("[[change]]\nukp_wait = 10\n[[change]]\narrivals = -0.999\n",
                     MUNICIPALITIES, UNITS)
    assert [c.value for c in scenario.changes] == [10.0, -0.999]


def test_an_unknown_municipality_and_a_code_that_is_not_text():
    assert only('[[change]]\nmunicipality = "9999"\narrivals = 0.1\n')[1:] == (
        "municipality", "Endring 1: ukjent kommunenummer «9999» i «municipality».",
        "Change 1: unknown municipality number \u201c9999\u201d in \u201cmunicipality\u201d.")
    assert only("[[change]]\nmunicipality = 5028\narrivals = 0.1\n")[2] == (
        "Endring 1: «municipality» må være tekst i anførselstegn, fant 5028.")


def test_an_unknown_unit_and_one_that_is_not_short_term():
    assert only('[[change]]\nunit = "Øya"\nlength_of_stay = 0.1\n')[1:] == (
        "unit", "Endring 1: ukjent enhet «Øya» i «unit».",
        "Change 1: unknown unit \u201cØya\u201d in \u201cunit\u201d.")
    assert only('[[change]]\nunit = "Øya helsehus"\nlength_of_stay = 0.1\n')[1:] == (
        "unit", "Endring 1: «Øya helsehus» er ikke en korttidsenhet; «unit» må være en "
        "korttidsenhet.",
        "Change 1: \u201cØya helsehus\u201d is not a short-term unit; \u201cunit\u201d must be "
        "one.")


def test_both_municipality_and_unit():
    assert only('[[change]]\nmunicipality = "5028"\nunit = "Melhus korttid"\n'
                "short_term_beds = 1\n") == (
        1, None, "Endring 1: har både «municipality» og «unit»; bruk én av dem.",
        "Change 1: has both \u201cmunicipality\u201d and \u201cunit\u201d; use one of them.")


@pytest.mark.parametrize("kind", ["arrivals", "ukp_wait"])
def test_arrivals_and_waits_are_not_for_one_unit(kind: str):
    assert only(f'[[change]]\nunit = "Melhus korttid"\n{kind} = 0.1\n')[:3] == (
        1, "unit", f"Endring 1: «{kind}» kan ikke gjelde én enhet («unit»); bruk «municipality» "
        "eller ingen (alle kommuner).")


def test_beds_need_a_municipality_or_a_unit():
    assert only("[[change]]\nshort_term_beds = 2\n") == (
        1, None, "Endring 1: «short_term_beds» må ha «municipality» (alle kommunens "
        "korttidsenheter) eller «unit».",
        "Change 1: \u201cshort_term_beds\u201d needs \u201cmunicipality\u201d (all the "
        "municipality's short-term units) or \u201cunit\u201d.")


@pytest.mark.parametrize(("written", "found"), [
    ('"2024-02-30"', '"2024-02-30"'), ('"01.02.2024"', '"01.02.2024"'),
    ("2024-01-01T08:00:00", "2024-01-01 08:00:00"), ("20240101", "20240101")])
def test_a_bad_date(written: str, found: str):
    assert only(f"[[change]]\narrivals = 0.1\nfrom = {written}\n") == (
        1, "from", f"Endring 1: «from» må være en dato som 2024-01-31, fant {found}.",
        f"Change 1: \u201cfrom\u201d must be a date like 2024-01-31, found {found}.")


def test_to_before_from():
    assert only('[[change]]\narrivals = 0.1\nfrom = "2024-03-01"\nto = 2024-02-29\n') == (
        1, "to", "Endring 1: «to» (2024-02-29) er før «from» (2024-03-01).",
        "Change 1: \u201cto\u201d (2024-02-29) is before \u201cfrom\u201d (2024-03-01).")


def test_every_problem_of_a_file_is_reported_together_in_order():
    error = refused(
        "name = 3\nfoo = 1\n"
        '[[change]]\nmunicipality = "5028"\nshort_term_beds = 3\n'  # fine
        '[[change]]\nunit = "St. Olavs hospital"\narrivals = "mye"\nfrom = "2024-13-01"\n'
        '[[change]]\nmunicipality = "9999"\nukp_wait = nan\nbogus = 1\n')
    assert [(p.change, p.key) for p in error.problems] == [
        (None, "foo"), (None, "name"),
        (2, "arrivals"), (2, "unit"), (2, "unit"), (2, "from"),
        (3, "bogus"), (3, "ukp_wait"), (3, "municipality")]
    assert error.messages("en")[4] == ("Change 2: \u201carrivals\u201d cannot apply to one "
                                       "unit (\u201cunit\u201d); use \u201cmunicipality\u201d "
                                       "or neither (all municipalities).")
    assert error.messages("en")[6] == "Change 3: unknown key \u201cbogus\u201d."
    assert str(error) == error.message("en")


def test_a_quoted_value_is_escaped_and_cut():
    message = only('[[change]]\nunit = "\\u001b[2J' + "x" * 100 + '"\nlength_of_stay = 0.1\n')[2]
    assert "\x1b" not in message and "\\x1b[2J" in message and "…" in message
    assert len(message) < 120


# --- bounds before parsing --------------------------------------------------------------

def test_a_file_too_large_is_refused_before_parsing(tmp_path: Path):
    text = BEDS + "# " + "x" * MAX_BYTES + "\n[[[ not toml"
    assert only(text)[2] == "Scenariofila er større enn 64 kB."
    path = tmp_path / "big.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load(path, MUNICIPALITIES, UNITS)
    assert caught.value.messages("en") == ["The scenario file is larger than 64 kB."]


def test_too_many_changes_are_refused_before_parsing():
    many = "[[change]]\narrivals = 0.01\n" * (MAX_CHANGES + 1)
    # the syntax error at the end is never reached: the headers are counted first
    assert only(many + "[[[")[1:3] == ("change", "Scenariofila har flere enn 200 endringer.")
    assert len(parse(many[len("[[change]]\narrivals = 0.01\n"):], MUNICIPALITIES,
                     UNITS).changes) == MAX_CHANGES
    inline = "change = [" + ", ".join(["{arrivals = 0.01}"] * (MAX_CHANGES + 1)) + "]\n"
    assert only(inline)[3] == "The scenario file has more than 200 changes."


# --- combining changes ------------------------------------------------------------------

def scenario(*changes: Change) -> Scenario:
    return Scenario(changes)


def test_arrivals_on_overlapping_periods_multiply_on_the_overlap_only():
    s = parse('[[change]]\narrivals = 0.30\nfrom = 2024-01-01\nto = 2024-02-29\n'
              '[[change]]\narrivals = 0.10\nfrom = 2024-02-01\nto = 2024-03-31\n'
              '[[change]]\nmunicipality = "5001"\narrivals = -0.5\n', MUNICIPALITIES, UNITS)
    assert s.factor("arrivals", date(2023, 12, 31), municipality="5028") == 1.0
    assert s.factor("arrivals", date(2024, 1, 1), municipality="5028") == pytest.approx(1.3)
    assert s.factor("arrivals", date(2024, 2, 1), municipality="5028") == pytest.approx(1.43)
    assert s.factor("arrivals", date(2024, 2, 29), municipality="5028") == pytest.approx(1.43)
    assert s.factor("arrivals", date(2024, 3, 1), municipality="5028") == pytest.approx(1.1)
    assert s.factor("arrivals", date(2024, 4, 1), municipality="5028") == 1.0
    # Trondheim's own change multiplies too: 1.3 × 1.1 × 0.5
    assert s.factor("arrivals", date(2024, 2, 15), municipality="5001") == pytest.approx(0.715)
    assert s.factor("ukp_wait", date(2024, 2, 15), municipality="5001") == 1.0


def test_length_of_stay_for_a_unit_its_municipality_and_all():
    s = scenario(Change("length_of_stay", -0.2, unit="Øya helsehus korttid"),
                 Change("length_of_stay", 0.5, municipality="5001"),
                 Change("length_of_stay", 0.1))
    day = date(2024, 6, 1)
    assert s.factor("length_of_stay", day, municipality="5001",
                    unit="Øya helsehus korttid") == pytest.approx(0.8 * 1.5 * 1.1)
    assert s.factor("length_of_stay", day, municipality="5001",
                    unit="Trondheim korttid") == pytest.approx(1.5 * 1.1)
    assert s.factor("length_of_stay", day, municipality="5028",
                    unit="Melhus korttid") == pytest.approx(1.1)


def test_bed_changes_add_for_exactly_their_target():
    s = scenario(Change("short_term_beds", 3, municipality="5028"),
                 Change("short_term_beds", -1, municipality="5028", first=date(2024, 7, 1)),
                 Change("short_term_beds", 2, unit="Melhus korttid"))
    assert s.beds(date(2024, 6, 30), municipality="5028") == 3
    assert s.beds(date(2024, 7, 1), municipality="5028") == 2
    assert s.beds(date(2024, 7, 1), unit="Melhus korttid") == 2
    assert s.beds(date(2024, 7, 1), municipality="5001") == 0
    with pytest.raises(ValueError):
        s.beds(date(2024, 7, 1))
    with pytest.raises(ValueError):
        s.factor("short_term_beds", date(2024, 7, 1))


# --- any valid scenario -----------------------------------------------------------------

DAY0 = date(2024, 1, 1)
relative = st.floats(min_value=-0.999, max_value=10, allow_nan=False)
period = st.tuples(st.integers(0, 60), st.integers(0, 60)).map(
    lambda p: (DAY0 + timedelta(days=p[0]), DAY0 + timedelta(days=p[0] + p[1])))
arrivals = st.builds(lambda v, m, p: ("arrivals", v, m, None, p), relative,
                     st.sampled_from([None, "5001", "5028"]), st.none() | period)
beds = st.builds(lambda v, m, p: ("short_term_beds", v, m, None, p), st.integers(-1000, 1000),
                 st.sampled_from(["5001", "5028"]), st.none() | period)


def written(kind: str, value: float, municipality: str | None, period) -> str:
    lines = ["[[change]]", f"{kind} = {value!r}"]
    if municipality:
        lines.append(f'municipality = "{municipality}"')
    if period:
        lines += [f"from = {period[0].isoformat()}", f"to = {period[1].isoformat()}"]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(st.lists(arrivals | beds, min_size=1, max_size=12), st.integers(0, 130))
def test_any_valid_scenario_round_trips_its_factors_and_beds(changes, offset):
    s = parse("".join(written(k, v, m, p) for k, v, m, _, p in changes), MUNICIPALITIES, UNITS)
    assert len(s.changes) == len(changes)
    day = DAY0 + timedelta(days=offset)

    def on(p) -> bool:
        return p is None or p[0] <= day <= p[1]

    for municipality in ("5001", "5028", "5031"):
        expected = math.prod(1 + v for k, v, m, _, p in changes
                             if k == "arrivals" and m in (None, municipality) and on(p))
        factor = s.factor("arrivals", day, municipality=municipality)
        assert factor > 0
        assert factor == pytest.approx(expected, rel=1e-9)
        assert s.beds(day, municipality=municipality) == sum(
            v for k, v, m, _, p in changes if k == "short_term_beds" and m == municipality
            and on(p))
