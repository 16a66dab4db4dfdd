"""The Theory of Change picture and its outline (flyt.plan.diagram; pure)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from flyt.plan.defaults import default_plan
from flyt.plan.diagram import COLUMN, PAD, SIZE, Column, OutlineItem, outline, svg, text_width, wrap
from flyt.plan.model import Element, Plan
from flyt.plan.view import PlanAt

NS = {"s": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
AT = date(2026, 3, 15)


def small(status: str | None = "red") -> PlanAt:
    plan = Plan("Godt <samarbeid> & flyt", (
        Element("R1", "ressurs", "Folk & <script>", links=("A1",)),
        Element("A1", "aktivitet", "Møter", links=("U1", "E1")),
        Element("U1", "utfall", "Bedre dialog", links=("E1",)),
        Element("E1", "effekt", "Færre reinnleggelser", kpi=3),
        Element("E2", "effekt", "Uten KPI"),
    ))
    return PlanAt(plan, AT, {"E1": status})


def tree(view: PlanAt, lang: str = "nb") -> ET.Element:
    return ET.fromstring(svg(view, lang))  # also proves the text is well-formed XML


def test_the_picture_is_an_image_with_a_title_a_description_and_a_scalable_viewbox():
    root = tree(small())
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 1000 \d+", root.get("viewBox", ""))
    assert root.get("width") is None  # scales to its container
    assert root.find("s:title", NS).text == "Forandringsteori"
    assert "ressurser, aktiviteter, utfall, resultater og effekter" in root.find(
        "s:desc", NS).text
    assert tree(small(), "en").find("s:title", NS).text == "Theory of Change"


def test_every_element_of_the_default_plan_is_drawn_once_with_every_link():
    plan = default_plan()
    root = tree(PlanAt(plan, AT, {}))
    drawn = [g.get("data-element") for g in root.iter(SVG + "g")]
    assert sorted(drawn) == sorted(e.id for e in plan.elements)
    arrows = [p.get("data-link") for p in root.iter(SVG + "path")
              if p.get("data-link")]
    assert sorted(arrows) == sorted(f"{e.id} {x}" for e in plan.elements for x in e.links)
    assert len(arrows) == sum(len(e.links) for e in plan.elements) > 40


def test_the_five_column_headings_and_the_vision_are_shown():
    texts = [x.text for x in tree(small()).iter(SVG + "text")]
    for heading in ("Ressurser", "Aktiviteter", "Utfall", "Resultater", "Effekter"):
        assert heading in texts
    assert "Godt <samarbeid> & flyt" in texts


def test_user_text_is_escaped():
    out = svg(small(), "nb")
    assert "<script>" not in out and "<samarbeid>" not in out
    assert "&lt;script&gt;" in out and "Folk &amp; " in out


@pytest.mark.parametrize(("status", "word", "colour"), [
    ("red", "✕ rød", "#b3261e"), ("green", "✓ grønn", "#1e7b34"),
    ("yellow", "! gul", "#8a6d00"), (None, "– ingen status", "#555555")])
def test_an_effect_with_a_kpi_shows_its_status_by_word_and_colour(status, word, colour):
    root = tree(small(status))
    effect = next(g for g in root.iter(SVG + "g") if g.get("data-element") == "E1")
    texts = [x.text for x in effect.iter(SVG + "text")]
    assert texts[-1] == f"KPI 3 · {word}"
    assert effect.find("s:rect", NS).get("stroke") == colour
    plain = next(g for g in root.iter(SVG + "g") if g.get("data-element") == "E2")
    assert [x.text for x in plain.iter(SVG + "text")] == ["Uten KPI"]


def test_the_status_is_said_in_english_too():
    assert "KPI 3 · ✕ red" in svg(small("red"), "en")


def test_text_width_metric_counts_wide_letters_wider():
    assert text_width("iiii", 10) == pytest.approx(16)  # 0.4 em each
    assert text_width("mmmm", 10) == pytest.approx(40)  # 1 em each
    assert text_width("aaaa", 10) == pytest.approx(26)  # 0.65 em each


def test_wrapping_keeps_words_and_breaks_a_word_longer_than_a_line():
    # at size 10: "aaaa aaaa" is 0.65*8 + 0.4 = 5.6 em = 56 ≤ 80; a third word: 86 > 80
    assert wrap("aaaa aaaa aaaa aaaa", 80, 10) == ["aaaa aaaa", "aaaa aaaa"]
    long = "a" * 40  # 260 units: 15 a's + hyphen = 101.5 > 100, 14 + hyphen = 95
    assert wrap(long, 100, 10) == ["a" * 14 + "-", "a" * 14 + "-", "a" * 12]
    assert wrap("", 100, 10) == [""]


def test_no_line_of_any_box_is_wider_than_its_box():
    long_word = "Pasientforløpskoordineringssamhandlingsavtale" * 3
    plan = Plan("V", (Element("R1", "ressurs", ("Mange ord som blir lange " * 40).strip()),
                      Element("A1", "aktivitet", long_word),
                      Element("E1", "effekt", "WWWW MMMM " * 30, kpi=1)))
    root = tree(PlanAt(plan, AT, {"E1": "yellow"}))
    for g in root.iter(SVG + "g"):
        rect = g.find("s:rect", NS)
        height = float(rect.get("height"))
        top = float(rect.get("y"))
        for x in g.iter(SVG + "text"):
            bold = x.get("font-weight") == "bold"
            assert text_width(x.text, SIZE, bold) <= COLUMN - 2 * PAD
            assert top < float(x.get("y")) <= top + height - PAD + 1
    for plan_text in (plan.elements[0].text, long_word):
        joined = "".join(line.rstrip("-") if line.endswith("-") else line + " "
                         for line in wrap(plan_text, COLUMN - 2 * PAD, SIZE))
        assert joined.split() == plan_text.split()  # nothing lost in wrapping


def test_the_outline_lists_each_column_with_what_each_element_leads_to():
    columns = outline(small("green"), "nb")
    assert [c.kind for c in columns] == ["ressurs", "aktivitet", "utfall", "resultat", "effekt"]
    assert columns[1] == Column("aktivitet", "Aktiviteter", (OutlineItem(
        "A1", "Møter", None, None, ("Bedre dialog", "Færre reinnleggelser")),))
    assert columns[3].items == ()
    assert columns[4].items == (
        OutlineItem("E1", "Færre reinnleggelser", 3, "green", ()),
        OutlineItem("E2", "Uten KPI", None, None, ()))
    assert outline(small(), "en")[0].heading == "Resources"
