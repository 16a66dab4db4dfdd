"""Deviations in the store, on DuckDB and PostgreSQL: ids, receivers, the history of
every step, a stale change refused with nothing changed, and two writers at once."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from flyt.deviations import records
from flyt.deviations.deadlines import overdue
from flyt.deviations.errors import (
    DeviationNotFound,
    InvalidDeviation,
    StaleVersion,
    TransitionRefused,
)
from flyt.deviations.records import NewDeviation, create, get, transition, visible_ids
from flyt.deviations.settings import DeviationSettings
from flyt.domain import clock
from flyt.plo.build import synthetic_fnr
from flyt.store import schema
from flyt.store.db import Database


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch):
    """Set the one clock: at(datetime) makes it that moment from then on."""
    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
    set_to(datetime(2024, 11, 20, 15, 0, 0))
    return set_to


def discharge(**changes: object) -> NewDeviation:
    base: dict = dict(reporter_org="5001", receiver_orgs=["stolav"],
                      occurred_at=datetime(2024, 11, 20, 14, 30), category="utskrivning",
                      severity="moderat_skade", level="pasient",
                      summary="Utskrevet uten legemiddelliste")
    return NewDeviation(**{**base, **changes})


def row_counts(db: Database) -> tuple[int, int, int]:
    with db.engine.connect() as conn:
        return tuple(int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                     for t in (schema.deviations, schema.deviation_receivers,
                               schema.deviation_events))  # type: ignore[return-value]


def test_a_new_deviation_is_reported_now_as_meldt_version_1(db, at):
    made = create(db, discharge(receiver_orgs=["stolav", "fastlege-5001"],
                                patient_ref="pas-2024-117"), user_id=7)
    assert made.id == "AV-2024-00001"
    assert (made.status, made.version) == ("meldt", 1)
    assert made.reported_at == datetime(2024, 11, 20, 15, 0, 0)
    assert made.receiver_orgs == ("fastlege-5001", "stolav")
    assert (made.severity, made.category, made.level) == ("moderat_skade", "utskrivning",
                                                          "pasient")
    assert (made.occurred_at, made.occurred_has_time) == (datetime(2024, 11, 20, 14, 30), True)
    assert made.patient_ref == "pas-2024-117"
    assert [(e.version, e.from_status, e.to_status, e.user_id, e.organisation)
            for e in made.history] == [(1, None, "meldt", 7, "5001")]


def test_ids_count_up_within_a_year_and_start_again_in_the_next(db, at):
    first = create(db, discharge(), user_id=None).id
    second = create(db, discharge(severity="Ingen skade"), user_id=None).id
    at(datetime(2025, 1, 2, 8, 0))
    third = create(db, discharge(occurred_at=date(2024, 12, 31)), user_id=None)
    assert (first, second, third.id) == ("AV-2024-00001", "AV-2024-00002", "AV-2025-00001")
    assert third.occurred_has_time is False
    assert records.ID_PATTERN.match(third.id)


def test_a_patient_reference_that_looks_like_a_national_id_is_refused(db, at):
    number = synthetic_fnr()
    for ref in (number, f"{number[:6]} {number[6:]}", f"pasient {number}"):
        with pytest.raises(InvalidDeviation) as refused:
            create(db, discharge(patient_ref=ref), user_id=1)
        assert "11" in refused.value.message("nb")
        assert number not in refused.value.message("nb")
    assert row_counts(db) == (0, 0, 0)


@pytest.mark.parametrize(("changes", "key"), [
    ({"reporter_org": "9999"}, "dev_unknown_org"),
    ({"receiver_orgs": []}, "dev_no_receiver"),
    ({"receiver_orgs": ["stolav", "5001"]}, "dev_receiver_is_reporter"),
    ({"level": "system"}, "dev_clause_required"),
    ({"summary": "  "}, "dev_summary_required"),
    ({"category": "vaer"}, "dev_bad_category"),
    ({"severity": "alvorlig"}, "dev_bad_severity"),
])
def test_a_bad_deviation_is_refused_with_its_reason_and_nothing_stored(db, at, changes, key):
    with pytest.raises(InvalidDeviation) as refused:
        create(db, discharge(**changes), user_id=1)
    assert refused.value.key == key
    assert row_counts(db) == (0, 0, 0)


def test_a_system_deviation_keeps_its_agreement_clause(db, at):
    made = create(db, discharge(level="system", agreement_clause="tjenesteavtale 3 §4.2",
                                severity="ingen_skade"), user_id=None)
    assert made.agreement_clause == "tjenesteavtale 3 §4.2"


def test_an_imported_deviation_keeps_its_source_and_is_refused_a_second_time(db, at):
    made = create(db, discharge(), user_id=None, source="eqs-trondheim", source_id="E-17")
    assert (made.source, made.source_id) == ("eqs-trondheim", "E-17")
    with pytest.raises(InvalidDeviation) as refused:
        create(db, discharge(), user_id=None, source="eqs-trondheim", source_id="E-17")
    assert refused.value.key == "dev_source_taken"
    assert row_counts(db) == (1, 1, 1)


def test_every_step_is_stored_with_who_when_from_to_and_what_was_said(db, at):
    made = create(db, discharge(), user_id=7)
    at(datetime(2024, 11, 21, 9, 0))
    step = transition(db, made.id, "mottatt", version=1, organisation="stolav", user_id=3,
                      comment="Sett av koordinator")
    step = transition(db, made.id, "under_behandling", version=2, organisation="stolav",
                      user_id=3)
    at(datetime(2024, 12, 2, 13, 15))
    step = transition(db, made.id, "besvart", version=3, organisation="stolav", user_id=4,
                      answer="Sjekklisten for utskrivning er endret.")
    at(datetime(2024, 12, 3, 8, 0))
    step = transition(db, made.id, "gjenapnet", version=4, organisation="5001", user_id=7,
                      comment="Svaret mangler tiltak for helg")
    step = transition(db, made.id, "under_behandling", version=5, organisation="stolav",
                      user_id=3)
    assert (step.status, step.version) == ("under_behandling", 6)
    assert step.acknowledged_at == datetime(2024, 11, 21, 9, 0)
    assert step.answered_at == datetime(2024, 12, 2, 13, 15)
    assert [(e.version, e.created_at, e.user_id, e.organisation, e.from_status, e.to_status,
             e.comment, e.answer) for e in step.history] == [
        (1, datetime(2024, 11, 20, 15, 0), 7, "5001", None, "meldt", None, None),
        (2, datetime(2024, 11, 21, 9, 0), 3, "stolav", "meldt", "mottatt",
         "Sett av koordinator", None),
        (3, datetime(2024, 11, 21, 9, 0), 3, "stolav", "mottatt", "under_behandling",
         None, None),
        (4, datetime(2024, 12, 2, 13, 15), 4, "stolav", "under_behandling", "besvart",
         None, "Sjekklisten for utskrivning er endret."),
        (5, datetime(2024, 12, 3, 8, 0), 7, "5001", "besvart", "gjenapnet",
         "Svaret mangler tiltak for helg", None),
        (6, datetime(2024, 12, 3, 8, 0), 3, "stolav", "gjenapnet", "under_behandling",
         None, None),
    ]


def test_a_rejection_keeps_its_reason_and_the_system_closes_an_answered_one(db, at):
    rejected = create(db, discharge(), user_id=7)
    done = transition(db, rejected.id, "avvist", version=1, organisation="stolav",
                      user_id=3, reason="Gjelder Helse Møre og Romsdal")
    assert (done.status, done.history[-1].reason) == ("avvist", "Gjelder Helse Møre og Romsdal")
    answered = create(db, discharge(), user_id=7)
    for version, to in enumerate(("mottatt", "under_behandling"), start=1):
        transition(db, answered.id, to, version=version, organisation="stolav", user_id=3)
    transition(db, answered.id, "besvart", version=3, organisation="stolav", user_id=3,
               answer="Svar")
    closed = transition(db, answered.id, "lukket", version=4, organisation=None, user_id=None)
    assert (closed.status, closed.closed_at) == ("lukket", datetime(2024, 11, 20, 15, 0))
    assert (closed.history[-1].organisation, closed.history[-1].user_id) == (None, None)


def test_a_change_based_on_a_stale_version_is_refused_and_changes_nothing(db, at):
    made = create(db, discharge(), user_id=7)
    transition(db, made.id, "mottatt", version=1, organisation="stolav", user_id=3)
    before = get(db, made.id)
    with pytest.raises(StaleVersion) as refused:
        transition(db, made.id, "avvist", version=1, organisation="stolav", user_id=4,
                   reason="Feil mottaker")
    assert refused.value.message("en") == (
        f"Deviation {made.id} was changed by someone else since you opened it (version 1, "
        "now 2). Reload it; nothing was saved.")
    assert get(db, made.id) == before
    assert row_counts(db) == (1, 1, 2)


def test_a_refused_step_changes_nothing(db, at):
    made = create(db, discharge(), user_id=7)
    with pytest.raises(TransitionRefused):
        transition(db, made.id, "besvart", version=1, organisation="stolav", user_id=3,
                   answer="For tidlig")
    with pytest.raises(TransitionRefused):
        transition(db, made.id, "mottatt", version=1, organisation="5001", user_id=7)
    assert get(db, made.id) == made


def test_an_organisation_outside_the_deviation_gets_not_found(db, at):
    made = create(db, discharge(), user_id=7)
    with pytest.raises(DeviationNotFound):
        transition(db, made.id, "mottatt", version=1, organisation="5031", user_id=9)
    with pytest.raises(DeviationNotFound):
        get(db, "AV-2024-99999")
    assert get(db, made.id) == made


def test_an_organisation_sees_what_it_reported_or_received(db, at):
    to_hospital = create(db, discharge(), user_id=7).id
    to_gp = create(db, discharge(reporter_org="stolav", receiver_orgs=["fastlege-5031"]),
                   user_id=2).id
    assert visible_ids(db, "stolav") == [to_gp, to_hospital]
    assert visible_ids(db, "5001") == [to_hospital]
    assert visible_ids(db, "fastlege-5031") == [to_gp]
    assert visible_ids(db, "5031") == []


def test_of_writers_with_the_same_version_at_once_exactly_one_wins(db, at):
    made = create(db, discharge(), user_id=7)
    writers = 6
    start = threading.Barrier(writers)
    won: list[int] = []
    stale: list[int] = []
    other: list[BaseException] = []

    def write(n: int) -> None:
        start.wait()
        try:
            transition(db, made.id, "mottatt", version=1, organisation="stolav", user_id=n,
                       comment=f"writer {n}")
            won.append(n)
        except StaleVersion:
            stale.append(n)
        except BaseException as error:  # the test reports every one
            other.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert other == []
    assert len(won) == 1 and len(stale) == writers - 1
    stored = get(db, made.id)
    assert (stored.status, stored.version) == ("mottatt", 2)
    assert [(e.to_status, e.user_id) for e in stored.history] == [
        ("meldt", 7), ("mottatt", won[0])]


def test_the_overdue_rule_reads_a_stored_deviation(db, at):
    at(datetime(2024, 3, 25, 10, 0))
    made = create(db, discharge(severity="dod"), user_id=7)
    # Acknowledge by Thu 04.04 (Easter between), answer by 24.04 (30 days).
    assert overdue(made, date(2024, 4, 4), DeviationSettings()) == frozenset()
    assert overdue(made, date(2024, 4, 25), DeviationSettings()) == {"acknowledge", "answer"}
