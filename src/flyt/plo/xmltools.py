"""Small helpers for reading KITH XML: safe parsing, namespaced lookups, coded
values and time stamps. Everything here tolerates missing elements (returns
None), because the same code reads the head of a message that failed
validation, to address its error receipt.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from typing import TypeAlias, cast

from lxml import etree

from flyt.domain import clock
from flyt.plo.validate import MSGHEAD_NS

FK1_NS = "http://www.kith.no/xmlstds/felleskomponent1"
# poKomponent namespace per version of the standard (the events live there).
PO_NS = {
    "1.5": "http://www.kith.no/xmlstds/po/poKomponent/2009-06-30",
    "1.6": "http://www.kith.no/xmlstds/po/poKomponent/2012-04-01",
}

Element: TypeAlias = etree._Element


XINCLUDE_NS = "http://www.w3.org/2001/XInclude"


def parser(*, recover: bool = False) -> etree.XMLParser:
    """A parser that never fetches anything and never expands entities: a message
    comes from outside, and a DOCTYPE in it must not reach the network or the disk
    (XXE) nor blow up memory (billion laughs). read_message refuses a DOCTYPE before
    this parser sees the document (has_doctype); this is the second line."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, recover=recover)


class _Doctype(Exception):
    """The prolog has a DOCTYPE."""


class _RootStarts(Exception):
    """The root element begins: the prolog is over, and it had no DOCTYPE."""


class _PrologWatch:
    """A parser target that stops the parse at the DOCTYPE (before its internal subset,
    so before any entity is declared or fetched) or else at the root element."""

    def doctype(self, name: str | None, public_id: str | None, system_url: str | None) -> None:
        raise _Doctype

    def start(self, tag: str, attrib: object, nsmap: object = None) -> None:
        raise _RootStarts

    def close(self) -> None:
        return None


_local = threading.local()  # a parser serves one parse at a time: one per thread


# An XML declaration (XML 1.0, production XMLDecl) whose encoding writes every ASCII
# character as that one byte, so that a DOCTYPE can only be the bytes "<!DOCTYPE". Other
# encodings (UTF-16, UTF-7, EBCDIC, ...) may hide it, and go to libxml2's prolog parse.
_SPACE = rb"[ \t\r\n]"
_PLAIN_DECLARATION = re.compile(
    rb"<\?xml" + _SPACE + rb"+version" + _SPACE + rb"*=" + _SPACE + rb"*([\"'])1\.[0-9]+\1"
    rb"(?:" + _SPACE + rb"+encoding" + _SPACE + rb"*=" + _SPACE
    + rb"*([\"'])(?i:utf-8|iso-8859-1|us-ascii)\2)?"
    rb"(?:" + _SPACE + rb"+standalone" + _SPACE + rb"*=" + _SPACE + rb"*([\"'])(?:yes|no)\3)?"
    + _SPACE + rb"*\?>")


def has_doctype(data: bytes) -> bool:
    """Whether the document declares a DOCTYPE (and with it entities or a DTD). libxml2
    reads the prolog in the document's own encoding (UTF-16 too) and stops at the root
    element: 15 µs a message. A document declared in UTF-8 or ISO-8859-1 (or US-ASCII)
    without the bytes "<!DOCTYPE" has none, which is known in 1 µs. False also for a
    document that is not well-formed before its root: the full parse reports that."""
    if _PLAIN_DECLARATION.match(data) and b"<!DOCTYPE" not in data:
        return False
    watch = getattr(_local, "prolog_parser", None)
    if watch is None:
        # cast: types-lxml's ParserTarget protocol asks for every target method, where
        # lxml calls only those the target has (lxml.de/parsing.html, "The target parser
        # interface"); an empty data() or end() here would only cost time.
        target = cast("etree.ParserTarget[None]", _PrologWatch())
        watch = _local.prolog_parser = etree.XMLParser(
            target=target, resolve_entities=False, no_network=True, load_dtd=False,
            huge_tree=False)
    try:
        etree.fromstring(data, watch)
    except _Doctype:
        return True
    except (_RootStarts, etree.XMLSyntaxError):
        return False
    return False


def has_xinclude(root: Element) -> bool:
    """Whether the document holds an XInclude element (Flyt never expands one)."""
    return next(root.iter(f"{{{XINCLUDE_NS}}}*"), None) is not None


@cache  # a few dozen distinct paths, looked up for every message
def mh(path: str) -> str:
    """An ElementPath in the MsgHead namespace: mh("MsgInfo/MsgId")."""
    return "/".join(f"{{{MSGHEAD_NS}}}{step}" for step in path.split("/"))


@cache
def ns_path(namespace: str, path: str) -> str:
    return "/".join(f"{{{namespace}}}{step}" for step in path.split("/"))


def tag_of(element: Element) -> str:
    """The element's tag as text. types-lxml types a tag as str | bytes | bytearray |
    QName, because lxml keeps a tag set by hand as it was given; an element from a parse
    has a str tag, and Flyt never sets the tag of an element it reads."""
    tag = element.tag
    assert isinstance(tag, str)
    return tag


def local_name(element: Element) -> str:
    """The tag without its namespace. Plain text work, not etree.QName: a recovering
    parse (salvaged_head) keeps a broken tag such as "O:rganisation", which QName
    refuses with ValueError."""
    return tag_of(element).rpartition("}")[2]


def namespace_of(element: Element) -> str | None:
    namespace, brace, _ = tag_of(element).partition("}")
    return namespace[1:] if brace else None


@cache
def child_steps(path: str) -> tuple[str, ...] | None:
    """An ElementPath of namespaced child steps ("{ns}A/{ns}B") as its tags; None for
    any other kind of path."""
    steps = re.findall(r"\{[^}]*\}[A-Za-z_][\w.-]*", path)
    return tuple(steps) if "/".join(steps) == path else None


def find(element: Element, path: str) -> Element | None:
    """element.find(path): the first match in document order. A message is looked
    into about a hundred times; lxml's own iteration over the children with a tag
    (in C) does a child step in a third of the time of a compiled XPath, and
    element.find (ElementPath, in Python) takes twice as long again."""
    steps = child_steps(path)
    if steps is None:
        return element.find(path)
    if len(steps) == 1:  # most lookups: no recursion
        return next(element.iterchildren(steps[0]), None)
    return _first(element, steps, 0)


def find_all(element: Element, path: str) -> list[Element]:
    """element.findall(path): every match in document order, as find does it."""
    steps = child_steps(path)
    if steps is None:
        return element.findall(path)
    return list(_all(element, steps, 0))


def _all(element: Element, steps: tuple[str, ...], at: int) -> Iterator[Element]:
    if at == len(steps) - 1:
        yield from element.iterchildren(steps[at])
        return
    for child in element.iterchildren(steps[at]):
        yield from _all(child, steps, at + 1)


def _first(element: Element, steps: tuple[str, ...], at: int) -> Element | None:
    """The first element at the end of steps[at:] below element, in document order:
    depth first, children in order (the matches under an earlier child come first)."""
    last = at == len(steps) - 1
    for child in element.iterchildren(steps[at]):
        found = child if last else _first(child, steps, at + 1)
        if found is not None:
            return found
    return None


def text(element: Element | None, path: str | None = None) -> str | None:
    """The stripped text of element (or of its first match of path); None when absent or blank."""
    if element is not None and path is not None:
        element = find(element, path)
    if element is None or element.text is None:
        return None
    value = element.text.strip()
    return value or None


def attr(element: Element | None, path: str, name: str = "V") -> str | None:
    """An attribute (by default V, the code of a KITH CS/CV/TS) of the first match of path."""
    if element is None:
        return None
    found = find(element, path)
    if found is None:
        return None
    value = (found.get(name) or "").strip()
    return value or None


def parse_time(value: str | None) -> tuple[datetime | None, bool]:
    """(naive local date-time, date_only) from a KITH time stamp (xs:dateTime or xs:date).

    A time with an offset ("...Z", "+01:00") is converted to Norwegian local time;
    one without is taken as local already. A date alone gives midnight, date_only
    True. A year or a year-month (allowed by KITH's TS type) is too coarse for a
    UKP day count: (None, False).
    """
    if not value:
        return None, False
    value = value.strip()
    date_only = re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
    if not date_only and not re.match(r"\d{4}-\d{2}-\d{2}T", value):
        return None, False
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None, False
    if parsed.tzinfo is not None:
        parsed = clock.wall_clock(parsed)  # Flyt keeps naive Oslo wall-clock time
    return parsed, date_only


def parse_bool(value: str | None) -> bool | None:
    """xs:boolean: "true"/"1" and "false"/"0"; None for anything else."""
    if value is None:
        return None
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())
