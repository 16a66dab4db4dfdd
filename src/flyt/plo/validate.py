"""Offline XML Schema validation of PLO pasientlogistikk messages.

A message is a MsgHead 1.2 document whose Document/RefDoc/Content holds one
Pasientlogistikk element, v1.5 or v1.6 (told apart by its namespace). MsgHead
declares Content with ``processContents="strict"``, so the head and the content
are validated in one pass against a small bundle schema per version that
imports both. The schema files ship with the package (``xsd/``); nothing is
fetched: MsgHead's import of the W3C xmldsig schema by absolute URL is mapped
to the local copy, and any other network address fails loudly.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:  # the opaque result of Resolver.resolve_*, known to types-lxml only
    from lxml.etree._docloader import _InputDocument

MSGHEAD_NS = "http://www.kith.no/xmlstds/msghead/2006-05-24"
# Pasientlogistikk namespace → version of the standard.
PLO_VERSIONS = {
    "http://www.kith.no/xmlstds/po/Pasientlogistikk/2009-06-30": "1.5",
    "http://www.kith.no/xmlstds/po/Pasientlogistikk/2012-04-01": "1.6",
}
PLO_NAMESPACES = {version: ns for ns, version in PLO_VERSIONS.items()}
XSD_DIR = Path(__file__).resolve().parent / "xsd"
MSGHEAD_XSD = "MsgHead-v1_2.xsd"
PLO_XSD = {"1.5": "Pasientlogistikk-v1.5.xsd", "1.6": "Pasientlogistikk-v1.6.xsd"}
MAX_REPORTED_ERRORS = 5  # enough to act on; a broken message can produce hundreds


class LocalSchemas(etree.Resolver):
    """Resolves a schema import given by network address to the file of that name in xsd/."""

    def resolve(self, system_url: str | None, public_id: str | None,
                context: object) -> _InputDocument | None:
        if system_url and system_url.startswith(("http://", "https://")):
            local = XSD_DIR / system_url.rsplit("/", 1)[-1]
            if not local.is_file():
                raise OSError(f"schema {system_url} is not available offline")
            return self.resolve_filename(str(local), context)
        return None  # a relative location: lxml finds it next to the importing file


def schema_parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    parser.resolvers.add(LocalSchemas())
    return parser


@cache
def schema(version: str) -> etree.XMLSchema:
    """The bundle schema (MsgHead + Pasientlogistikk) for "1.5" or "1.6"; built once."""
    namespace = PLO_NAMESPACES[version]
    bundle = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="{MSGHEAD_NS}" schemaLocation="{MSGHEAD_XSD}"/>'
        f'<xs:import namespace="{namespace}" schemaLocation="{PLO_XSD[version]}"/>'
        "</xs:schema>"
    )
    # The base URL places the bundle in xsd/, so relative imports find their files.
    base_url = (XSD_DIR / "bundle.xsd").as_uri()
    root = etree.fromstring(bundle.encode(), schema_parser(), base_url=base_url)
    return etree.XMLSchema(etree.ElementTree(root))


def schema_errors(document: etree._ElementTree | etree._Element, version: str) -> list[str]:
    """The schema violations of a whole message (empty when valid), as
    "line N: message" in document order, at most MAX_REPORTED_ERRORS of them."""
    checker = schema(version)
    if checker.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in list(checker.error_log)[:MAX_REPORTED_ERRORS]]
