"""The plan in the store (flyt.plan.storage), on both engines: the default plan of a fresh
store, replacing the plan whole, optimistic concurrency and the history of changes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from flyt.plan import storage
from flyt.plan.errors import InvalidPlan, StaleVersion
from flyt.plan.model import Element, Measure, Plan
from tests.conftest import count

VISION = ("Optimal pasientflyt gjennom god samhandling som håndterer fremtidens "
          "demografiske utvikling")


def test_a_fresh_store_holds_the_default_plan_of_the_spec(db):
    plan = storage.read_plan(db)
    assert plan.vision == VISION
    # The twelve measures spec/plan.md names, in its order.
    assert [m.name for m in plan.measures] == [
        "Utarbeide overordnet plan for kapasitet",
        "Utarbeide lokale eskaleringsplaner i hver enkelt kommune",
        "Identifisere og fremskaffe gode eksempler på eskaleringsplaner som deles mellom "
        "kommunene",
        "Pilotprosjekt PSHT - forsterket utskrivningsteam",
        "Helhetlig pasientforløp for skrøpelige eldre",
        "Tidlig tverrfaglig vurdering og avklaring",
        "Interkommunalt samarbeid om kapasitet på korttidsplasser i Helsefellesskapet",
        "System for å melde og følge opp samhandlingsavvik",
        "Utarbeide kommunikasjonsplan",
        "Gjennomføre erfaringskonferanse nr. 2",
        "Søke midler til finansiering av prosjekter",
        "Utarbeide nødvendige kvalitetsindikatorer, som det rapporteres jevnlig på",
    ]
    effects = {e.kpi: e.text for e in plan.elements if e.kind == "effekt" and e.kpi}
    assert sorted(effects) == [1, 2, 3, 4, 5, 6]
    assert effects[1] == "Antall UKP-døgn per år <= 1000"
    assert effects[5] == "Andel re-innleggelser < 30 døgn <= 16%"
    # Seed 000's Theory of Change: 9 resources, 12 activities, 9 outcomes, 6 results and
    # 7 effects (the six KPI targets and «Blant de beste i landet …»).
    kinds = [e.kind for e in plan.elements]
    assert [kinds.count(k) for k in ("ressurs", "aktivitet", "utfall", "resultat",
                                     "effekt")] == [9, 12, 9, 6, 7]
    frail = next(m for m in plan.measures if m.id == "T5")
    assert [a.name for a in frail.activities][2:] == [
        "Skrøpelighetsskåring; operasjonalisere og implementere",
        "Hjelpeark UKP; operasjonalisere og implementere"]
    # No seed gives a date: none is invented.
    assert all(x.start is None and x.end is None for m in plan.measures
               for x in (m, *m.activities))


def test_the_default_plan_is_seeded_once(db):
    storage.read_plan(db)
    storage.read_plan(db)
    assert count(db, "plan_vision") == 1
    assert count(db, "plan_measures") == 12


def small_plan(status: str | None = None, comment: str = "") -> Plan:
    return Plan("Visjon", (Element("R1", "ressurs", "Folk", links=("E1",)),
                           Element("E1", "effekt", "Færre døgn", kpi=1)),
                (Measure("M1", "Tiltak", status=status, comment=comment, toc=("E1",)),))


def test_replacing_the_plan_keeps_versions_of_what_did_not_change(db):
    storage.replace_plan(db, small_plan(), who="kari")
    assert storage.read_plan(db).measures[0].version == 1
    storage.replace_plan(db, small_plan(), who="kari")
    assert storage.read_plan(db).measures[0].version == 1
    storage.replace_plan(db, small_plan(status="yellow"), who="kari")
    assert storage.read_plan(db).measures[0].version == 2


def test_a_plan_that_fails_its_checks_is_not_stored(db):
    storage.replace_plan(db, small_plan(), who=None)
    bad = replace(small_plan(), elements=(Element("R1", "ressurs", "Folk", kpi=2),))
    with pytest.raises(InvalidPlan, match="only effects can be tied to a KPI"):
        storage.replace_plan(db, bad, who=None)
    assert storage.read_plan(db) == small_plan_stored()


def small_plan_stored() -> Plan:
    plan = small_plan()
    return replace(plan, measures=(replace(plan.measures[0], version=1),))


def test_a_save_from_a_stale_version_is_refused_and_changes_nothing(db):
    storage.replace_plan(db, small_plan(), who=None)
    assert storage.update_item(db, "M1", 1, "kari", status="yellow") == 2
    with pytest.raises(StaleVersion, match="changed by someone else"):
        storage.update_item(db, "M1", 1, "ola", status="red", comment="for sent")
    measure = storage.read_plan(db).measures[0]
    assert (measure.status, measure.comment, measure.version) == ("yellow", "", 2)


def test_every_status_and_comment_change_is_kept_with_who_and_when(db):
    storage.replace_plan(db, small_plan(), who=None)
    storage.update_item(db, "M1", 1, "kari", status="yellow", comment="Forsinket")
    storage.update_item(db, "M1", 2, "ola", status="red")
    storage.update_item(db, "M1", 3, "ola", name="Nytt navn")  # neither status nor comment
    storage.replace_plan(db, small_plan(status="green"), who="per")  # an import, too
    kept = [(c.changed_by, c.item_id, c.field, c.old, c.new) for c in storage.history(db)]
    assert kept == [
        ("kari", "M1", "status", None, "yellow"),
        ("kari", "M1", "comment", None, "Forsinket"),
        ("ola", "M1", "status", "yellow", "red"),
        ("per", "M1", "status", "red", "green"),
        ("per", "M1", "comment", "Forsinket", None),
    ]
    assert all(c.changed_at is not None for c in storage.history(db))


def test_an_update_that_breaks_a_check_is_refused(db):
    storage.replace_plan(db, small_plan(), who=None)
    with pytest.raises(InvalidPlan, match="is not allowed"):
        storage.update_item(db, "M1", 1, "kari", status="lilla")
    assert storage.read_plan(db).measures[0].version == 1


def test_a_field_the_item_does_not_have_is_refused_without_a_change(db):
    storage.replace_plan(db, small_plan(), who=None)
    with pytest.raises(ValueError, match="M1 has no field done"):
        storage.update_item(db, "M1", 1, "kari", done=True)
    with pytest.raises(ValueError, match="M1 has no field toc"):  # import only, for now
        storage.update_item(db, "M1", 1, "kari", toc=())
    assert storage.read_plan(db).measures[0].version == 1
