"""xmltools.find (lxml's iteration over children by tag) finds what Element.find finds."""

from __future__ import annotations

import pytest
from lxml import etree

from flyt.plo.xmltools import child_steps, find, find_all

NS = "{urn:test}"
DOC = etree.fromstring(
    b'<r xmlns="urn:test" xmlns:o="urn:other"><a><c/></a><a><b>2</b><b>3</b></a>'
    b"<b>1</b><o:b>4</o:b><!-- a comment --></r>")


@pytest.mark.parametrize("path", [
    f"{NS}b", f"{NS}a", f"{NS}a/{NS}b", f"{NS}a/{NS}c", f"{NS}a/{NS}z", f"{NS}z",
    "{urn:other}b", f"{NS}a/{{urn:other}}b",
])
def test_find_gives_the_first_match_in_document_order_like_element_find(path):
    assert child_steps(path) is not None
    assert find(DOC, path) is DOC.find(path)


@pytest.mark.parametrize("path", ["b", f".//{NS}b", f"{NS}a[2]", f"{NS}a/*"])
def test_other_paths_fall_back_to_element_find(path):
    assert child_steps(path) is None
    assert find(DOC, path) is DOC.find(path)


DEEP = etree.fromstring(
    b'<r xmlns="urn:test"><a><b/></a><a><b>no c</b><b><c>1</c></b></a><a><b><c>2</c></b></a></r>')


@pytest.mark.parametrize("path", [f"{NS}a/{NS}b/{NS}c", f"{NS}a/{NS}b", f"{NS}a/{NS}b/{NS}z"])
def test_find_looks_past_a_first_branch_without_the_rest_of_the_path(path):
    assert find(DEEP, path) is DEEP.find(path)


@pytest.mark.parametrize("doc, path", [
    *((DOC, p) for p in (f"{NS}b", f"{NS}a", f"{NS}a/{NS}b", f"{NS}a/{NS}z", "{urn:other}b",
                         "b", f".//{NS}b", f"{NS}a/*")),
    *((DEEP, p) for p in (f"{NS}a/{NS}b/{NS}c", f"{NS}a/{NS}b", f"{NS}a")),
])
def test_find_all_gives_every_match_in_document_order_like_element_findall(doc, path):
    found = find_all(doc, path)
    assert found == doc.findall(path)
    assert all(x is y for x, y in zip(found, doc.findall(path), strict=True))
