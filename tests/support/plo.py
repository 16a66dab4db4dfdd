"""The PLO standard's example and acceptance-test messages (../shared/data/plo) and
small ways to derive broken or re-encoded messages from them for tests."""

from __future__ import annotations

from pathlib import Path

import pytest

PLO_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "plo"
ACCEPTANCE = PLO_DATA / "acceptance-test-v1.5"
SAMPLES = sorted((PLO_DATA / "samples-v1.5").glob("*.xml")) + sorted(
    (PLO_DATA / "samples-v1.6").glob("*.xml"))

needs_plo_data = pytest.mark.skipif(not PLO_DATA.is_dir(), reason="../shared/data/plo not here")


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


# --- building message streams for the importer's tests ---------------------------------

MH = "http://www.kith.no/xmlstds/msghead/2006-05-24"
KINDS = {
    "innlagt": "Innlagt_pasient_v1-6_Ny",
    "klar": "Utskrivningsklar_pasient_v1-6_Ny",
    "avmelding": "Avmelding_av_utskrivningsklar_pasient_v1-6_Ny",
    "utskrevet": "Melding_om_utskrevet_pasient_v1-6_Ny",
    "dod": "Orientering_om_dodsfall_v1-6_Ny",
}
EVENT_CODES = {"innlagt": "1", "klar": "3", "avmelding": "4", "utskrevet": "2", "dod": "13"}
ALVDAL = ("99387", "5078")  # the samples' receiver: Alvdal kommune, sykepleietjeneste


def synthetic_fnr(individual: int = 100, born: str = "1965-07-15") -> str:
    """A synthetic fødselsnummer (month + 80) with valid control digits."""
    from datetime import date

    from flyt.domain.identity import make_fnr

    for n in range(individual, 500):
        found = make_fnr(date.fromisoformat(born), n, synthetic=True)
        if found:
            return found
    raise AssertionError("no synthetic number")


def plo_message(kind: str, msg_id: str, *, ids: list[tuple[str, str]] | None = None,
                at: str | None = None, admitted: str | None = None, ready: str | None = None,
                estimate: bool = False, status: str = "N", refers_to: str | None = None,
                receiver: tuple[str, str] = ALVDAL, gen_date: str | None = None,
                discharged_to: str | None = None, dead: bool = False) -> bytes:
    """A v1.6 sample message of `kind` made into a new one: its MsgId, patient ids
    ((type, number) pairs), the main event's time (`at`), the admission and ready
    times it repeats, Forsendelsesstatus and RefToParent, receiver HER-ids (top,
    department; for "dod" the GP office and the GP)."""
    from lxml import etree

    root = etree.fromstring(sample("1.6", KINDS[kind]))
    info = root.find(f"{{{MH}}}MsgInfo")
    info.find(f"{{{MH}}}MsgId").text = msg_id
    if gen_date:
        info.find(f"{{{MH}}}GenDate").text = gen_date
    ref = info.find(f"{{{MH}}}ConversationRef")
    if refers_to and ref is None:
        ref = etree.Element(f"{{{MH}}}ConversationRef")
        etree.SubElement(ref, f"{{{MH}}}RefToParent").text = refers_to
        etree.SubElement(ref, f"{{{MH}}}RefToConversation").text = refers_to
        info.find(f"{{{MH}}}MsgId").addnext(ref)
    receiver_ids = info.find(f"{{{MH}}}Receiver").iter(f"{{{MH}}}Ident")
    for ident, value in zip(receiver_ids, receiver, strict=False):
        ident.find(f"{{{MH}}}Id").text = value
    patient = info.find(f"{{{MH}}}Patient")
    old = patient.findall(f"{{{MH}}}Ident")
    anchor = old[0].getprevious()
    for ident in old:
        patient.remove(ident)
    for type_code, number in reversed(ids or [("FNR", synthetic_fnr())]):
        ident = etree.Element(f"{{{MH}}}Ident")
        etree.SubElement(ident, f"{{{MH}}}Id").text = number
        etree.SubElement(ident, f"{{{MH}}}TypeId", V=type_code, DN=type_code,
                         S="2.16.578.1.12.4.1.1.8116")
        anchor.addnext(ident)
    times = {"1": (admitted, False), "3": (ready, estimate)}
    times[EVENT_CODES[kind]] = (at, estimate if kind == "klar" else False)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name == "Forsendelsesstatus":
            element.set("V", status)
        elif name == "TidsfestetHendelse":
            code = next((c.get("V") for c in element if isinstance(c.tag, str)
                         and etree.QName(c).localname == "Hendelsekode"), None)
            when, guess = times.get(code or "", (None, False))
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                local = etree.QName(child).localname
                if local == "TidspunktForHendelse" and when:
                    child.set("V", when)
                elif local == "Anslag" and when:
                    child.text = "true" if guess else "false"
        elif name == "UtTil" and discharged_to:
            element.set("V", discharged_to)
        elif name == "Uttilstand" and dead:
            element.set("V", "2")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
