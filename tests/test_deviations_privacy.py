"""flyt.deviations.privacy: the personal-name heuristic behind the report form's warning.
Names are found (first name + surname, a title + a name, a first name inside a
sentence); place names, institutions and plain case text are not flagged."""

from __future__ import annotations

import pytest

from flyt.deviations import guide, privacy


@pytest.mark.parametrize(("text", "found"), [
    ("Kari Hansen fikk ikke med seg legemiddellisten", ["Kari Hansen"]),
    ("Epikrisen til Ola Nordmann kom aldri", ["Ola Nordmann"]),
    ("Anne-Lise Berg ble sendt hjem i drosje", ["Anne-Lise Berg"]),
    ("Vi ringte fru Hansen om kvelden", ["fru Hansen"]),
    ("pasient Ola ble sendt hjem uten følge", ["pasient Ola"]),
    ("Avtalt med dr. Berg at listen skulle sendes", ["dr. Berg"]),
    ("Fastlege Olsen svarte ikke på dialogmelding", ["Fastlege Olsen"]),
    ("Snakket med Ingrid på vakta om saken", ["Ingrid"]),
    ("Spoke to Mrs Johnson about the discharge", ["Mrs Johnson"]),
])
def test_it_finds_names(text: str, found: list[str]) -> None:
    assert privacy.name_like(text) == found
    assert privacy.looks_like_personal_name(text)


@pytest.mark.parametrize("text", [
    "St. Olavs hospital, Klinikk for medisin",
    "Pasienten kom fra St. Olav til Øya helsehus",
    "Trondheim kommune meldte til Malvik kommune og Indre Fosen",
    "Fastlegene i Melhus fikk ikke epikrisen",
    "Korttidsavdelingen på Hitra og Frøya",
    "Olav Tryggvasons gate 5, 2. etasje",
    "Per dag kom tre PLO-meldinger for sent",
    "Liv og helse står på spill når listen mangler",
    "Utskrevet uten legemiddelliste. Hjemmesykepleien ringte legevakten.",
    "Vi ringte pasienten. Han svarte ikke.",
    "Meldt i DIPS og sendt som PLO til kommunen",
    "",
])
def test_it_does_not_flag_places_institutions_or_plain_text(text: str) -> None:
    assert privacy.name_like(text) == []


def test_a_first_name_starting_a_sentence_alone_is_a_known_limit() -> None:
    # Documented: a capitalised word at a sentence start is usually not a name, so a
    # lone first name there passes (with a surname it is found).
    assert privacy.name_like("Kari ringte i går.") == []
    assert privacy.name_like("Kari Berg ringte i går.") == ["Kari Berg"]


def test_a_surname_alone_is_a_known_limit() -> None:
    assert privacy.name_like("Vi fikk ikke tak i Hansen") == []


def test_the_packaged_name_list_has_about_two_hundred_first_names() -> None:
    names = privacy.first_names()
    assert 190 <= len(names) <= 230
    assert {"Ola", "Kari", "Ingrid", "Jan", "Anne"} <= names
    assert all(name[0].isupper() for name in names)


def test_the_place_words_come_from_the_packaged_organisations() -> None:
    assert {"olavs", "trondheim", "fosen", "melhus"} <= privacy.place_words()


def test_the_guide_s_own_examples_raise_no_warning() -> None:
    texts = [text for table in (guide.CATEGORIES, guide.SEVERITIES)
             for languages in table.values() for pair in languages.values()
             for text in pair]
    assert len(texts) == (10 + 5) * 2 * 2
    assert [t for t in texts if privacy.looks_like_personal_name(t)] == []
