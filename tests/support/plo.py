"""The PLO standard's example and acceptance-test messages (tests/data/plo, see its
README) and small ways to derive broken or re-encoded messages from them for tests."""

from __future__ import annotations

from pathlib import Path

PLO_DATA = Path(__file__).resolve().parents[1] / "data" / "plo"
ACCEPTANCE = PLO_DATA / "acceptance-test-v1.5"
SAMPLES = sorted((PLO_DATA / "samples-v1.5").glob("*.xml")) + sorted(
    (PLO_DATA / "samples-v1.6").glob("*.xml"))
# The folder is part of the repository. Missing files must fail the run: an empty list
# would only make the parametrised tests skip ("got empty parameter set").
if len(SAMPLES) != 14 or len(list(ACCEPTANCE.glob("*.xml"))) != 27:
    raise RuntimeError(f"the PLO standard's messages are incomplete in {PLO_DATA}")


def sample(version: str, name: str) -> bytes:
    """A published example: sample("1.6", "Innlagt_pasient_v1-6_Ny")."""
    folder = PLO_DATA / f"samples-v{version}"
    return (folder / f"Pasientlogistikk_{name}.xml").read_bytes()


def case(name: str) -> bytes:
    """An acceptance-test message by its case name: case("1-11a"), case("3")."""
    prefix = f"Case{name}-Pasientlogistikk"
    found = [p for p in ACCEPTANCE.glob("*.xml") if p.name.startswith(prefix)]
    assert len(found) == 1, (name, found)
    return found[0].read_bytes()


def edit(data: bytes, old: str, new: str) -> bytes:
    """data with `old` replaced by `new` exactly once (fails loudly when not there)."""
    text = data.decode("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new).encode("utf-8")


def as_latin1(data: bytes) -> bytes:
    """The same UTF-8 message re-encoded to ISO-8859-1, with its declaration changed."""
    text = data.decode("utf-8")
    assert 'encoding="UTF-8"' in text
    return text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1).encode("iso-8859-1")


# --- building message streams for the importer's tests: flyt.plo.build ---------------

from flyt.plo.build import (  # noqa: E402,F401  (re-exported for the tests)
    ALVDAL,
    EVENT_CODES,
    KINDS,
    MH,
    plo_message,
    synthetic_fnr,
)


def standard_patient_id(source: bytes, type_code: str) -> str:
    """The national id of one of the standard's fictitious test persons, read from its
    message, so that no valid-looking number is written in this repository."""
    import re

    found = re.search(rb"<Id>(\d{11})</Id>\s*<TypeId V=\"" + type_code.encode(), source)
    assert found, type_code
    return found.group(1).decode()


def plo_settings():
    """Settings for receiving messages in tests: fixed pseudonym and message keys."""
    from flyt.config import Settings

    return Settings(pseudonym_key=b"test-key",
                    message_key=b"dGVzdC1tZXNzYWdlLWtleS0zMi1ieXRlcy1sb25nISE=")
