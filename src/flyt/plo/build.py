"""Writing PLO pasientlogistikk v1.6 messages: for tests and for the demo stream.

Every message is one of the standard's published v1.6 examples (kept in
``flyt/plo/samples``, "testmelding med fiktive personer") made into a new one:
its MsgId, patient, times, receiver and so on replaced, so that what comes out
is as valid against the schemas as the example itself.

`plo_message` edits one message with lxml (flexible, ~1 ms). `Template` does
the same edits once with placeholders and then fills them in with plain string
formatting (~10 µs a message), for streams of hundreds of thousands.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

if TYPE_CHECKING:  # lxml is imported where it is used
    from lxml.etree import _Element

MH = "http://www.kith.no/xmlstds/msghead/2006-05-24"
KINDS = {
    "innlagt": "Innlagt_pasient_v1-6_Ny",
    "klar": "Utskrivningsklar_pasient_v1-6_Ny",
    "avmelding": "Avmelding_av_utskrivningsklar_pasient_v1-6_Ny",
    "utskrevet": "Melding_om_utskrevet_pasient_v1-6_Ny",
    "dod": "Orientering_om_dodsfall_v1-6_Ny",
}
SEX_NAMES = {"1": "Mann", "2": "Kvinne"}  # code list 3101
EVENT_CODES = {"innlagt": "1", "klar": "3", "avmelding": "4", "utskrevet": "2", "dod": "13"}
ALVDAL = ("99387", "5078")  # the samples' receiver: Alvdal kommune, sykepleietjeneste
PERSON_ID_OID = "2.16.578.1.12.4.1.1.8116"
QUOTE = {'"': "&quot;"}


def sample_bytes(kind: str) -> bytes:
    """The published v1.6 example for a message kind (innlagt, klar, ...)."""
    name = f"Pasientlogistikk_{KINDS[kind]}.xml"
    return resources.files("flyt.plo").joinpath("samples", name).read_bytes()


def synthetic_fnr(individual: int = 100, born: str = "1965-07-15") -> str:
    """A synthetic fødselsnummer (month + 80) with valid control digits."""
    from flyt.domain.identity import make_fnr

    for n in range(individual, 500):
        found = make_fnr(date.fromisoformat(born), n, synthetic=True)
        if found:
            return found
    raise AssertionError("no synthetic number")


def _local(element: Any) -> str | None:
    from lxml import etree

    return etree.QName(element).localname if isinstance(element.tag, str) else None


def _find(parent: _Element, path: str) -> _Element:
    """The element at `path`, which every sample has (plo_message edits only those)."""
    found = parent.find(path)
    assert found is not None, path
    return found


def plo_message(kind: str, msg_id: str, *, ids: list[tuple[str, str]] | None = None,
                at: str | None = None, admitted: str | None = None, ready: str | None = None,
                estimate: bool = False, status: str = "N", refers_to: str | None = None,
                receiver: tuple[str, str] = ALVDAL, gen_date: str | None = None,
                discharged_to: str | None = None, dead: bool = False,
                discharged_to_text: str | None = None, receiver_name: str | None = None,
                department: str | None = None, contact_unit: str | None = None,
                place: str | None = None, born: str | None = None, sex: str | None = None,
                anonymous: bool = False) -> bytes:
    """A v1.6 sample message of `kind` made into a new one: its MsgId, patient ids
    ((type, number) pairs), the main event's time (`at`), the admission and ready
    times it repeats, Forsendelsesstatus and RefToParent, receiver HER-ids (top,
    department; for "dod" the GP office and the GP).

    Optional, for the demo stream: the destination's text, the receiving
    organisation's name, the sender's department, the contact unit's name, the main
    event's place (StedForHendelse), the patient's DateOfBirth and Sex (code list
    3101: "1" mann, "2" kvinne); `anonymous` replaces the example patient's name
    and drops its address and the events' free-text descriptions."""
    from lxml import etree

    root = etree.fromstring(sample_bytes(kind))
    info = _find(root, f"{{{MH}}}MsgInfo")
    _find(info, f"{{{MH}}}MsgId").text = msg_id
    if gen_date:
        _find(info, f"{{{MH}}}GenDate").text = gen_date
    ref = info.find(f"{{{MH}}}ConversationRef")
    if refers_to and ref is None:
        ref = etree.Element(f"{{{MH}}}ConversationRef")
        etree.SubElement(ref, f"{{{MH}}}RefToParent").text = refers_to
        etree.SubElement(ref, f"{{{MH}}}RefToConversation").text = refers_to
        _find(info, f"{{{MH}}}MsgId").addnext(ref)
    receiver_element = _find(info, f"{{{MH}}}Receiver")
    for ident, value in zip(receiver_element.iter(f"{{{MH}}}Ident"), receiver, strict=False):
        _find(ident, f"{{{MH}}}Id").text = value
    if receiver_name:
        _find(receiver_element, f"{{{MH}}}Organisation/{{{MH}}}OrganisationName").text = \
            receiver_name
    if department:
        _find(info, f"{{{MH}}}Sender/{{{MH}}}Organisation/{{{MH}}}Organisation/"
                  f"{{{MH}}}OrganisationName").text = department
    patient = _find(info, f"{{{MH}}}Patient")
    old = patient.findall(f"{{{MH}}}Ident")
    anchor = old[0].getprevious()
    assert anchor is not None  # the samples' Patient begins with a name, not an Ident
    for ident in old:
        patient.remove(ident)
    for type_code, number in reversed(ids or [("FNR", synthetic_fnr())]):
        ident = etree.Element(f"{{{MH}}}Ident")
        etree.SubElement(ident, f"{{{MH}}}Id").text = number
        etree.SubElement(ident, f"{{{MH}}}TypeId", V=type_code, DN=type_code, S=PERSON_ID_OID)
        anchor.addnext(ident)
    if born:
        _find(patient, f"{{{MH}}}DateOfBirth").text = born
    if sex:
        _find(patient, f"{{{MH}}}Sex").attrib.update({"V": sex, "DN": SEX_NAMES.get(sex, sex)})
    if anonymous:
        _find(patient, f"{{{MH}}}FamilyName").text = "Pasient"
        _find(patient, f"{{{MH}}}GivenName").text = "Syntetisk"
        address = patient.find(f"{{{MH}}}Address")
        if address is not None:
            patient.remove(address)
    times = {"1": (admitted, False), "3": (ready, estimate)}
    times[EVENT_CODES[kind]] = (at, estimate if kind == "klar" else False)
    for element in list(root.iter()):
        name = _local(element)
        if name == "Forsendelsesstatus":
            element.set("V", status)
        elif name == "IssueDate" and gen_date:
            element.set("V", gen_date)
        elif name == "Kontaktenhet" and contact_unit:
            for child in element:
                if _local(child) == "OrganisationName":
                    child.text = contact_unit
        elif name == "BeskrivelseAvHendelse" and anonymous:
            parent = element.getparent()
            assert parent is not None  # an element inside the message, never its root
            parent.remove(element)
        elif name == "TidsfestetHendelse":
            code = next((c.get("V") for c in element if _local(c) == "Hendelsekode"), None)
            when, guess = times.get(code or "", (None, False))
            for child in element:
                local = _local(child)
                if local == "TidspunktForHendelse" and when:
                    child.set("V", when)
                elif local == "Anslag" and when:
                    child.text = "true" if guess else "false"
            if place and code == EVENT_CODES[kind]:
                ns = etree.QName(element).namespace
                where = etree.SubElement(element, f"{{{ns}}}StedForHendelse")
                etree.SubElement(where, f"{{{ns}}}StedHendelse").text = place
        elif name == "UtTil" and discharged_to:
            element.set("V", discharged_to)
            if discharged_to_text:
                element.set("DN", discharged_to_text)
        elif name == "Uttilstand" and dead:
            element.attrib.update({"V": "2", "DN": "Som død"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class Template:
    """One message kind with placeholders, filled in by string formatting.

    `fields` names what varies (each becomes a placeholder `@NAME@` passed to
    plo_message; `options` are passed as they are); fill() takes those names as
    keyword arguments, already as the text they should be (it escapes them for XML)."""

    def __init__(self, kind: str, options: dict[str, Any] | None = None,
                 **fields: str) -> None:
        self.kind = kind
        # Any: mypy cannot tell that `fields` names only plo_message's text parameters.
        marked: dict[str, Any] = {key: f"@{value}@" for key, value in fields.items()}
        ids = [("FNR", marked.pop("fnr"))] if "fnr" in marked else None
        receiver = (marked.pop("receiver_top"), marked.pop("receiver")) \
            if "receiver" in marked else ALVDAL
        text = plo_message(kind, ids=ids, receiver=receiver, anonymous=True,
                           **(options or {}), **marked).decode("utf-8")
        text = text.replace("{", "{{").replace("}", "}}")
        self.names = list(fields.values())
        self._sex = fields.get("sex")
        if self._sex:
            text = text.replace(f'DN="@{self._sex}@"', f'DN="@{self._sex}_DN@"')
            self.names.append(f"{self._sex}_DN")
        for name in self.names:
            assert f"@{name}@" in text, (kind, name)
            text = text.replace(f'"@{name}@"', f'"{{{name}_a}}"').replace(
                f"@{name}@", f"{{{name}}}")
        self._text = text

    def fill(self, **values: str) -> bytes:
        if self._sex:
            values[f"{self._sex}_DN"] = SEX_NAMES[values[self._sex]]
        cooked = {k: escape(v) for k, v in values.items()}
        cooked |= {f"{k}_a": escape(v, QUOTE) for k, v in values.items()}
        return self._text.format(**cooked).encode("utf-8")
