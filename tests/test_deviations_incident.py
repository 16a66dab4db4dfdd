"""The incident record of a notifiable deviation (flyt.deviations.incident), on DuckDB
and PostgreSQL: refused for one that is not notifiable, recorded only by the
deviation's own organisations, read by the improvement group, the checklist saved
with its days, the notification duty's rules, stale saves refused, audited."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from flyt.accounts import User, audit
from flyt.deviations import incident, learning
from flyt.deviations.errors import DeviationNotFound, InvalidDeviation, StaleVersion
from flyt.deviations.incident import Draft
from flyt.deviations.records import NewDeviation, create
from flyt.domain import clock
from flyt.store.db import Database

TRONDHEIM = User("trd", "municipality", "5001")
MALVIK = User("malvik", "municipality", "5031")
HOSPITAL = User("ola", "analyst")
IMPROVEMENT = User("fg", "improvement")
READER_OF_TRONDHEIM = User("asu2", "reader", organisation="5001")


@pytest.fixture
def made(db: Database, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Trondheim → the hospital, one deviation of each of three severities; today is
    15.05.2024."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 5, 15, 9, 0))
    return {severity: create(db, NewDeviation(
        reporter_org="5001", receiver_orgs=["stolav"], occurred_at=datetime(2024, 5, 2, 7, 0),
        category="legemidler", severity=severity, level="pasient",
        summary="Feil dose etter utskrivning"), user_id=None).id
        for severity in ("mindre_skade", "betydelig_skade", "dod")}


def test_an_incident_record_is_refused_for_a_deviation_that_is_not_notifiable(
        db: Database, made: dict[str, str]) -> None:
    for action in (lambda: incident.read(db, TRONDHEIM, made["mindre_skade"]),
                   lambda: incident.save(db, TRONDHEIM, made["mindre_skade"],
                                         Draft(conclusion="x"), version=0)):
        with pytest.raises(InvalidDeviation) as refused:
            action()
        assert refused.value.key == "incident_not_notifiable"
    assert "betydelig skade eller død" in refused.value.message("nb")


def test_the_checklist_is_saved_with_its_days_and_who(db: Database,
                                                      made: dict[str, str]) -> None:
    first = incident.read(db, HOSPITAL, made["dod"])
    assert first.version == 0
    assert [s.code for s in first.steps] == list(incident.STEPS)
    saved = incident.save(db, HOSPITAL, made["dod"], Draft(
        notice="sendt", notice_sent_on=date(2024, 5, 3), notice_reference="HT 2024/123",
        steps={"mandate": (date(2024, 5, 6), "Klinikksjef"),
               "team": (date(2024, 5, 7), "Kvalitetsrådgiver"),
               "causes": (date(2024, 5, 14), None)}), version=0)
    assert saved.version == 1
    done = {s.code: (s.done_on, s.done_by) for s in saved.steps if s.done_on}
    assert done == {"mandate": (date(2024, 5, 6), "Klinikksjef"),
                    "team": (date(2024, 5, 7), "Kvalitetsrådgiver"),
                    "causes": (date(2024, 5, 14), None)}
    assert (saved.notice, saved.notice_sent_on, saved.notice_reference) == (
        "sendt", date(2024, 5, 3), "HT 2024/123")
    point = learning.create(db, TRONDHEIM, learning.Draft("Dobbeltkontroll av dose", None,
                                                          [made["dod"]]))
    again = incident.save(db, TRONDHEIM, made["dod"], Draft(
        notice="sendt", notice_sent_on=date(2024, 5, 3), conclusion="Manglende kontroll",
        learning_id=point.id, steps={"mandate": (date(2024, 5, 6), "Klinikksjef")}),
        version=1)
    assert again.version == 2
    assert [s.code for s in again.steps if s.done_on] == ["mandate"]
    assert (again.conclusion, again.learning_id) == ("Manglende kontroll", point.id)
    # The improvement group reads it, as does the other side.
    assert incident.read(db, IMPROVEMENT, made["dod"]).conclusion == "Manglende kontroll"
    assert incident.read(db, HOSPITAL, made["dod"]).version == 2


@pytest.mark.parametrize(("fields", "key"), [
    ({"notice": "ikke_sendt"}, "incident_reason_required"),
    ({"notice": "ikke_aktuelt", "notice_reason": "  "}, "incident_reason_required"),
    ({"notice": "sendt"}, "incident_sent_on_required"),
    ({"notice": "kanskje"}, "incident_bad_notice"),
    ({"notice": "sendt", "notice_sent_on": date(2024, 5, 16)}, "incident_day_in_future"),
    ({"steps": {"team": (None, "Kari")}}, "incident_step_day_required"),
    ({"steps": {"team": (date(2024, 5, 16), "Kari")}}, "incident_day_in_future"),
    ({"steps": {"nothing": (date(2024, 5, 1), None)}}, "incident_bad_step"),
    ({"learning_id": 4242}, "incident_unknown_learning"),
    ({"conclusion": "x" * 10_001}, "incident_text_too_long"),
])
def test_a_wrong_field_refuses_the_save_and_stores_nothing(
        db: Database, made: dict[str, str], fields: dict, key: str) -> None:
    with pytest.raises(InvalidDeviation) as refused:
        incident.save(db, HOSPITAL, made["betydelig_skade"], Draft(**fields), version=0)
    assert refused.value.key == key
    assert incident.read(db, HOSPITAL, made["betydelig_skade"]).version == 0


def test_only_the_deviations_own_organisations_record_it(db: Database,
                                                         made: dict[str, str]) -> None:
    for user in (IMPROVEMENT, READER_OF_TRONDHEIM):
        with pytest.raises(learning.NotAllowed):
            incident.save(db, user, made["dod"], Draft(conclusion="x"), version=0)
        assert incident.read(db, user, made["dod"]).may_change is False
    with pytest.raises(DeviationNotFound):
        incident.save(db, MALVIK, made["dod"], Draft(conclusion="x"), version=0)
    with pytest.raises(DeviationNotFound):
        incident.read(db, MALVIK, made["dod"])
    assert incident.read(db, TRONDHEIM, made["dod"]).may_change is True


def test_a_stale_save_is_refused_and_the_first_stays(db: Database,
                                                     made: dict[str, str]) -> None:
    incident.save(db, HOSPITAL, made["dod"], Draft(conclusion="Sykehusets"), version=0)
    with pytest.raises(StaleVersion):
        incident.save(db, TRONDHEIM, made["dod"], Draft(conclusion="Kommunens"), version=0)
    incident.save(db, TRONDHEIM, made["dod"], Draft(conclusion="Kommunens"), version=1)
    with pytest.raises(StaleVersion):
        incident.save(db, HOSPITAL, made["dod"], Draft(conclusion="Sent"), version=1)
    assert incident.read(db, HOSPITAL, made["dod"]).conclusion == "Kommunens"


def test_reads_and_changes_of_the_incident_record_are_audited(
        db: Database, made: dict[str, str]) -> None:
    incident.read(db, IMPROVEMENT, made["dod"])
    incident.save(db, HOSPITAL, made["dod"], Draft(conclusion="x"), version=0)
    entries = [(e.user_name, e.action, e.target, e.detail) for e in reversed(
        audit.entries(db, audit.Filters(action="incident.")))]
    assert entries == [("fg", "incident.read", made["dod"], ""),
                       ("ola", "incident.change", made["dod"], "v1")]
