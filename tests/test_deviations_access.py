"""Who sees which deviation (spec/deviations.md, "Who sees what"), on DuckDB and
PostgreSQL with deviations made through records.create: the reporter's and receivers'
organisations their own in full, the improvement group every one without patient_ref
and reporter persons, everyone else nothing (not found)."""

from __future__ import annotations

from datetime import datetime

import pytest

from flyt.accounts import User
from flyt.deviations import access
from flyt.deviations.errors import DeviationNotFound
from flyt.deviations.records import NewDeviation, create, get, transition
from flyt.domain import clock
from flyt.store.db import Database

# Users by organisation; the ids a deviation's steps are stored with.
TRONDHEIM = User("trd", "municipality", "5001")
MALVIK = User("malvik", "municipality", "5031")
HOSPITAL = User("ola", "analyst")
GP_TRONDHEIM = User("lege", "gp", organisation="fastlege-5001")
GP_MELHUS = User("lege2", "gp", organisation="fastlege-5028")
IMPROVEMENT = User("fg", "improvement")
READER = User("asu", "reader")
READER_OF_MALVIK = User("asu2", "reader", organisation="5031")
REPORTER_ID, RECEIVER_ID = 11, 22


@pytest.fixture
def made(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Three deviations, reported a day apart: Trondheim → the hospital and Trondheim's
    GPs (with a patient reference, acknowledged by the hospital), the hospital → Malvik,
    Melhus's GPs → the hospital."""
    ids = []
    for day, (reporter, receivers, patient_ref) in enumerate([
            ("5001", ["stolav", "fastlege-5001"], "pas-2024-117"),
            ("stolav", ["5031"], None),
            ("fastlege-5028", ["stolav"], None)], start=1):
        monkeypatch.setattr(clock, "now", lambda day=day: datetime(2024, 11, day, 9, 0))
        ids.append(create(db, NewDeviation(
            reporter_org=reporter, receiver_orgs=receivers,
            occurred_at=datetime(2024, 11, day, 8, 0), category="utskrivning",
            severity="mindre_skade", level="pasient", summary="Manglende epikrise",
            patient_ref=patient_ref), user_id=REPORTER_ID).id)
    transition(db, ids[0], "mottatt", version=1, organisation="stolav", user_id=RECEIVER_ID)
    return ids


@pytest.mark.parametrize(("user", "seen"), [
    (TRONDHEIM, [0]), (HOSPITAL, [2, 1, 0]), (MALVIK, [1]), (GP_TRONDHEIM, [0]),
    (GP_MELHUS, [2]), (IMPROVEMENT, [2, 1, 0]), (READER, []), (READER_OF_MALVIK, [1]),
])
def test_each_user_sees_the_deviations_of_its_own_organisation_newest_first(
        db: Database, made: list[str], user: User, seen: list[int]) -> None:
    assert access.visible_to(db, user) == [made[i] for i in seen]


def test_an_organisation_sees_its_own_deviation_in_full(db: Database, made: list[str]) -> None:
    for user in (TRONDHEIM, HOSPITAL, GP_TRONDHEIM):
        item = access.get_for(db, made[0], user)
        assert item.patient_ref == "pas-2024-117"
        assert item.reported_by == REPORTER_ID
        assert [e.user_id for e in item.history] == [REPORTER_ID, RECEIVER_ID]


def test_the_improvement_group_sees_no_patient_ref_and_no_reporter_person(
        db: Database, made: list[str]) -> None:
    item = access.get_for(db, made[0], IMPROVEMENT)
    assert item.patient_ref is None and item.reported_by is None
    # The report (by Trondheim) loses its person; the hospital's acknowledgement keeps it.
    assert [(e.organisation, e.user_id) for e in item.history] == [
        ("5001", None), ("stolav", RECEIVER_ID)]
    assert (item.summary, item.reporter_org, item.receiver_orgs) == (
        "Manglende epikrise", "5001", ("fastlege-5001", "stolav"))
    # Nothing of that is lost in the store.
    assert get(db, made[0]).patient_ref == "pas-2024-117"


@pytest.mark.parametrize("user", [MALVIK, GP_MELHUS, READER])
def test_a_deviation_of_other_organisations_is_not_found(
        db: Database, made: list[str], user: User) -> None:
    with pytest.raises(DeviationNotFound):
        access.get_for(db, made[0], user)
    assert not access.may_see(get(db, made[0]), user)


def test_an_unknown_deviation_is_not_found_for_the_improvement_group_either(
        db: Database, made: list[str]) -> None:
    with pytest.raises(DeviationNotFound):
        access.get_for(db, "AV-2024-09999", IMPROVEMENT)
