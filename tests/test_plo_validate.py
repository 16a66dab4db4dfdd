"""Offline schema validation of PLO messages (flyt.plo.validate)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from flyt.plo.validate import PLO_NAMESPACES, PLO_XSD, XSD_DIR, schema, schema_errors
from tests.support.plo import ACCEPTANCE, PLO_DATA, SAMPLES, as_latin1, case, edit, needs_plo_data

pytestmark = needs_plo_data
# The acceptance-test messages that are broken on purpose (2: not well-formed;
# 13b, 15a, 15b: schema violations); every other message of the standard is valid.
BROKEN = ("Case1-2-", "Case1-13b-", "Case1-15a-", "Case1-15b-")
VALID = SAMPLES + sorted(p for p in ACCEPTANCE.glob("*.xml") if not p.name.startswith(BROKEN))


def version_of(path: Path) -> str:
    return "1.6" if "v1-6" in path.name else "1.5"


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_published_message_validates_against_its_version(path: Path) -> None:
    assert schema_errors(parse(path.read_bytes()), version_of(path)) == []


@pytest.mark.parametrize("path", SAMPLES[-3:], ids=lambda p: p.name)
def test_a_message_fails_against_the_other_versions_schema(path: Path) -> None:
    other = "1.5" if version_of(path) == "1.6" else "1.6"
    assert schema_errors(parse(path.read_bytes()), other)


@pytest.mark.parametrize(("name", "line", "words"), [
    ("1-13b", 9, "Sender"),  # the sender emptied
    ("1-15a", 75, "Forsendelsesstatus"),  # a mandatory element commented out
    ("1-15b", 78, "boolean"),  # an empty boolean
])
def test_a_violation_is_reported_with_its_line(name: str, line: int, words: str) -> None:
    errors = schema_errors(parse(case(name)), "1.5")
    assert errors and errors[0].startswith(f"line {line}:") and words in errors[0]


def test_an_iso_8859_1_message_validates() -> None:
    data = as_latin1((PLO_DATA / "samples-v1.6" /
                      "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml").read_bytes())
    assert schema_errors(parse(data), "1.6") == []


def test_an_element_the_schema_does_not_know_is_a_violation() -> None:
    data = edit(case("5"), "<Forsendelsesstatus V=\"N\" DN=\"Ny\"/>",
                "<Forsendelsesstatus V=\"N\" DN=\"Ny\"/><Hemmelig>x</Hemmelig>")
    assert any("Hemmelig" in e for e in schema_errors(parse(data), "1.5"))


def test_at_most_five_violations_are_reported() -> None:
    data = case("5").replace(b'V="N" DN="Ny"', b'V="N" DN="Ny" X="1" Y="2" Z="3" W="4" Q="5" R="6"')
    assert len(schema_errors(parse(data), "1.5")) == 5


def test_every_schema_import_resolves_to_a_shipped_file() -> None:
    # Validation must work offline: each schemaLocation (relative, or the W3C
    # xmldsig URL MsgHead imports) names a file in the package's xsd/ folder.
    for xsd in XSD_DIR.glob("*.xsd"):
        tree = etree.parse(str(xsd))
        for imported in tree.iter("{http://www.w3.org/2001/XMLSchema}import",
                                  "{http://www.w3.org/2001/XMLSchema}include"):
            location = imported.get("schemaLocation")
            assert location and (XSD_DIR / location.rsplit("/", 1)[-1]).is_file(), (xsd, location)


def test_both_versions_build_their_schema_once() -> None:
    assert set(PLO_NAMESPACES) == set(PLO_XSD) == {"1.5", "1.6"}
    assert schema("1.5") is schema("1.5")
    assert schema("1.5") is not schema("1.6")


def test_the_shipped_schemas_are_the_standards_files() -> None:
    for original in (PLO_DATA / "xsd").glob("*.xsd"):
        assert (XSD_DIR / original.name).read_bytes() == original.read_bytes(), original.name
