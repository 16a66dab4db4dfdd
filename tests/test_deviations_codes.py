"""The codes of a deviation and the organisations that report and receive them."""

from __future__ import annotations

from collections import Counter

import pytest

from flyt.deviations.codes import (
    DEFAULT_CATEGORIES,
    answer_required,
    notifiable,
    parse_category,
    parse_severity,
)
from flyt.deviations.errors import InvalidDeviation
from flyt.deviations.settings import load_deviation_settings
from flyt.store.reference import packaged_municipalities, packaged_organisations


@pytest.mark.parametrize(("text", "code"), [
    ("ingen_skade", "ingen_skade"), ("Ingen skade", "ingen_skade"),
    ("INGEN SKADE", "ingen_skade"), ("mindre_skade", "mindre_skade"),
    ("mindre skade", "mindre_skade"), ("Mindre Skade", "mindre_skade"),
    ("moderat_skade", "moderat_skade"), ("Moderat skade", "moderat_skade"),
    ("MODERAT_SKADE", "moderat_skade"), ("betydelig_skade", "betydelig_skade"),
    ("Betydelig skade", "betydelig_skade"), (" betydelig  skade ", "betydelig_skade"),
    ("dod", "dod"), ("DOD", "dod"), ("død", "dod"), ("Død", "dod"), ("DØD", "dod"),
])
def test_every_spelling_of_a_severity_is_read_as_its_code(text, code):
    assert parse_severity(text) == code


@pytest.mark.parametrize("text", ["alvorlig", "", "moderat-skade", "dødsfall"])
def test_an_unknown_severity_is_refused_naming_it(text):
    with pytest.raises(InvalidDeviation) as refused:
        parse_severity(text)
    assert f"«{text.strip()}»" in refused.value.message("nb")
    assert "ingen_skade, mindre_skade, moderat_skade, betydelig_skade, dod" in str(refused.value)


def test_moderate_harm_and_worse_owe_an_answer_and_the_worst_two_are_notifiable():
    assert [answer_required(s) for s in ("ingen_skade", "mindre_skade", "moderat_skade",
                                         "betydelig_skade", "dod")] == [
        False, False, True, True, True]
    assert [notifiable(s) for s in ("moderat_skade", "betydelig_skade", "dod")] == [
        False, True, True]


def test_the_category_taxonomy_is_the_spec_default_unless_configured():
    assert load_deviation_settings({}).categories == (
        "meldinger", "innleggelse", "utskrivning", "legemidler", "hjelpemidler",
        "transport", "tilgjengelighet", "informasjon", "avtalebrudd", "annet")
    own = load_deviation_settings({"deviations": {"categories": ["Meldinger", "annet"]}})
    assert own.categories == ("meldinger", "annet")
    with pytest.raises(InvalidDeviation, match="transport"):
        parse_category("transport", own.categories)
    assert parse_category("Utskrivning", DEFAULT_CATEGORIES) == "utskrivning"


def test_the_organisations_load_with_the_hospital_20_municipalities_and_their_gps():
    organisations = packaged_organisations()
    assert Counter(o.kind for o in organisations) == {"sykehus": 1, "kommune": 20,
                                                      "fastlege": 20}
    hospital = next(o for o in organisations if o.kind == "sykehus")
    assert (hospital.org_id, hospital.name, hospital.municipality) == (
        "stolav", "St. Olavs hospital HF", None)
    gp = next(o for o in organisations if o.org_id == "fastlege-5001")
    assert (gp.name, gp.municipality) == ("Fastlegene i Trondheim", "5001")


def test_every_municipality_organisation_is_a_kommunenummer_of_the_reference_data():
    codes = {m.code for m in packaged_municipalities()}
    municipalities = [o for o in packaged_organisations() if o.kind == "kommune"]
    assert {o.org_id for o in municipalities} == codes
    assert all(o.municipality == o.org_id for o in municipalities)
    gps = [o for o in packaged_organisations() if o.kind == "fastlege"]
    assert {o.municipality for o in gps} == codes
    assert all(o.org_id == f"fastlege-{o.municipality}" for o in gps)
