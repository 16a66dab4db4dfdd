"""xmltools.find (compiled XPath) finds what Element.find finds."""

from __future__ import annotations

import pytest
from lxml import etree

from flyt.plo.xmltools import compiled, find

NS = "{urn:test}"
DOC = etree.fromstring(
    b'<r xmlns="urn:test" xmlns:o="urn:other"><a><c/></a><a><b>2</b><b>3</b></a>'
    b"<b>1</b><o:b>4</o:b><!-- a comment --></r>")


@pytest.mark.parametrize("path", [
    f"{NS}b", f"{NS}a", f"{NS}a/{NS}b", f"{NS}a/{NS}c", f"{NS}a/{NS}z", f"{NS}z",
    "{urn:other}b", f"{NS}a/{{urn:other}}b",
])
def test_find_gives_the_first_match_in_document_order_like_element_find(path):
    assert compiled(path) is not None
    assert find(DOC, path) is DOC.find(path)


@pytest.mark.parametrize("path", ["b", f".//{NS}b", f"{NS}a[2]", f"{NS}a/*"])
def test_other_paths_fall_back_to_element_find(path):
    assert compiled(path) is None
    assert find(DOC, path) is DOC.find(path)
