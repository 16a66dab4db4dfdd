"""Offline schema validation of PLO messages (flyt.plo.validate)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from lxml import etree

from flyt.plo.validate import PLO_NAMESPACES, PLO_XSD, XSD_DIR, schema, schema_errors
from tests.support.plo import ACCEPTANCE, PLO_DATA, SAMPLES, as_latin1, case, edit

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


# SHA-256 of the standard's schema files as published (MsgHead 1.2, Pasientlogistikk
# and poKomponent v1.5 and v1.6, their common components, W3C xmldsig), taken from the
# project's shared copy of the standard (data/plo/xsd) when they were added.
STANDARD_XSD_SHA256 = {
    "EPJ-cave-mv.xsd": "7dc7935d6099ab77cc980be9d95db4885cb8678bece840985bd5e8f84de5bc1f",
    "EPJ-journalnotat-mv.xsd": "4d651aa3f5bacd26fff4015a689a9494397893bc962bad3551040273761ce2cc",
    "EPJ-legemiddel-mv.xsd": "c8b7714fa3b15c8fb7ec3eb793589a225274239c9fa1b54c4515de43166829bb",
    "EPJ-meta.xsd": "27b557b98f28ee279ececeae801463e74810c96e6f32568050227eca2545a7d3",
    "MsgHead-v1_2.xsd": "a477a7d948ac3c26cc5f7f9808863697671dcea7cb163a520a8f1af06cd5a6a6",
    "Pasientlogistikk-v1.5.xsd": "d10cecd4b583a8623fb24ef2e806bd7fbb0275fe881afebdfc519a1d18ad99fa",
    "Pasientlogistikk-v1.6.xsd": "4fec12683de779281ffe21f22d75f9d0386f0449c4f2086736d9bba7906bf35c",
    "felleskomponent1.xsd": "30c1bc802200c48643765057c2fa61b63a913cb2b5c27cf6e2efdf8cdaf0a403",
    "kith-base64.xsd": "64cfbb8d2fe05374c2188a9c6a3e4f83d779aca5c9e9658f6309a2b7b5cfb6b7",
    "kith.xsd": "c7b77db37e82f0d8ff41a3fd63bc69a6661aa51cbc45b6bfef6b2e6c6628fee2",
    "poKomponent-v1.5.xsd": "3d4209ccdc7105241b551b63d0abd8a6ada455c18c57cde3d19c395532c69a0e",
    "poKomponent-v1.6.xsd": "08a9f9e23c4fe5821bd2049937b00f020203adec23261f12123adad9208baefe",
    "xmldsig-core-schema.xsd": "27a1509dccbba6b2b9d47bf798f9615c5abb0586317ddebcb1882e01b3743068",
}


def test_the_shipped_schemas_are_the_standards_files() -> None:
    shipped = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in XSD_DIR.glob("*.xsd")}
    assert shipped == STANDARD_XSD_SHA256
