"""Learning points and measures (flyt.deviations.learning), on DuckDB and PostgreSQL:
links only to deviations the author may see, who sees which learning point and which
of its links, measure statuses, stale saves refused, the annual report's `for_period`
counted by hand, and every read and change in the audit log."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from flyt.accounts import User, audit
from flyt.deviations import learning
from flyt.deviations.errors import DeviationNotFound, InvalidDeviation, StaleVersion
from flyt.deviations.learning import Draft, MeasureDraft
from flyt.deviations.records import NewDeviation, create
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database

TRONDHEIM = User("trd", "municipality", "5001")
MALVIK = User("malvik", "municipality", "5031")
HOSPITAL = User("ola", "analyst")
GP_TRONDHEIM = User("lege", "gp", organisation="fastlege-5001")
IMPROVEMENT = User("fg", "improvement")
READER = User("asu", "reader")
READER_OF_TRONDHEIM = User("asu2", "reader", organisation="5001")


@pytest.fixture
def made(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Three deviations: [0] Trondheim → the hospital (occurred 10.03.2024),
    [1] the hospital → Malvik (occurred 30.04.2024 23:30), [2] Trondheim's GPs →
    Trondheim (occurred 01.05.2024 00:10)."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 5, 2, 9, 0))
    ids = []
    for reporter, receivers, occurred in [
            ("5001", ["stolav"], datetime(2024, 3, 10, 14, 0)),
            ("stolav", ["5031"], datetime(2024, 4, 30, 23, 30)),
            ("fastlege-5001", ["5001"], datetime(2024, 5, 1, 0, 10))]:
        ids.append(create(db, NewDeviation(
            reporter_org=reporter, receiver_orgs=receivers, occurred_at=occurred,
            category="utskrivning", severity="moderat_skade", level="pasient",
            summary="Sendt hjem uten legemiddelliste"), user_id=None).id)
    return ids


def draft(*ids: str, title: str = "Legemiddelliste følger pasienten") -> Draft:
    return Draft(title=title, description="Sjekkliste ved utskrivning", deviation_ids=ids)


def test_it_links_a_learning_point_only_to_deviations_the_author_may_see(
        db: Database, made: list[str]) -> None:
    with pytest.raises(InvalidDeviation) as refused:
        learning.create(db, MALVIK, draft(made[1], made[0]))
    assert refused.value.key == "learn_unknown_link"
    assert refused.value.values["id"] == made[0]
    with pytest.raises(InvalidDeviation) as missing:
        learning.create(db, MALVIK, draft("AV-2024-99999"))
    # Not there and not visible read the same: existence is not revealed.
    assert missing.value.key == "learn_unknown_link"
    with pytest.raises(InvalidDeviation) as none:
        learning.create(db, MALVIK, draft())
    assert none.value.key == "learn_no_link"
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            schema.learning_points)).scalar_one() == 0


def test_the_improvement_group_links_any_deviation_and_ids_are_read_in_any_case(
        db: Database, made: list[str]) -> None:
    point = learning.create(db, IMPROVEMENT, draft(*learning.parse_ids(
        f"{made[2].lower()}, {made[0]};{made[2]}")))
    assert point.deviation_ids == tuple(sorted([made[0], made[2]]))
    assert point.version == 1
    assert point.created_org is None


@pytest.mark.parametrize(("user", "seen_links"), [
    (IMPROVEMENT, [0, 1]), (TRONDHEIM, [0]), (HOSPITAL, [0, 1]), (MALVIK, [1]),
    (READER_OF_TRONDHEIM, [0]),
])
def test_each_user_sees_a_learning_point_with_only_the_links_it_may_see(
        db: Database, made: list[str], user: User, seen_links: list[int]) -> None:
    point = learning.create(db, HOSPITAL, draft(made[0], made[1]))
    seen = learning.read(db, user, point.id)
    assert seen.deviation_ids == tuple(sorted(made[i] for i in seen_links))


@pytest.mark.parametrize("user", [GP_TRONDHEIM, READER, User("x", "municipality", "5028")])
def test_a_learning_point_of_no_deviation_one_may_see_is_not_found(
        db: Database, made: list[str], user: User) -> None:
    point = learning.create(db, HOSPITAL, draft(made[0], made[1]))
    with pytest.raises(DeviationNotFound):
        learning.read(db, user, point.id)
    assert learning.search(db, user) == []
    with pytest.raises(DeviationNotFound):
        learning.read(db, user, point.id + 1000)


def test_an_edit_keeps_the_links_the_editor_may_not_see(db: Database, made: list[str]) -> None:
    point = learning.create(db, HOSPITAL, draft(made[0], made[1]))
    # Trondheim sees only made[0]; it adds made[2] (its own, received from its GPs).
    changed = learning.update(db, TRONDHEIM, point.id, draft(made[0], made[2], title="Ny"),
                              version=1)
    assert changed.version == 2
    assert changed.title == "Ny"
    assert changed.deviation_ids == tuple(sorted([made[0], made[2]]))
    assert learning.read(db, IMPROVEMENT, point.id).deviation_ids == tuple(sorted(made))


def test_a_stale_save_of_a_learning_point_is_refused_and_changes_nothing(
        db: Database, made: list[str]) -> None:
    point = learning.create(db, HOSPITAL, draft(made[0]))
    learning.update(db, TRONDHEIM, point.id, draft(made[0], title="Først"), version=1)
    with pytest.raises(StaleVersion):
        learning.update(db, HOSPITAL, point.id, draft(made[0], title="Sist"), version=1)
    stored = learning.read(db, HOSPITAL, point.id)
    assert (stored.title, stored.version) == ("Først", 2)


def test_measures_move_through_their_statuses_and_a_stale_one_is_refused(
        db: Database, made: list[str]) -> None:
    point = learning.create(db, HOSPITAL, draft(made[0]))
    measure = learning.add_measure(db, TRONDHEIM, point.id, MeasureDraft(
        text="Sjekkliste i utskrivningsrommet", owner_org="stolav",
        owner_person="Seksjonsleder", due_on=date(2024, 6, 30)))
    assert (measure.status, measure.version) == ("planlagt", 1)
    for version, status in enumerate(("pagar", "gjennomfort"), start=1):
        measure = learning.change_measure(db, HOSPITAL, point.id, measure.id, MeasureDraft(
            text=measure.text, owner_org="stolav", owner_person="Seksjonsleder",
            due_on=date(2024, 6, 30), status=status), version=version)
    assert (measure.status, measure.version) == ("gjennomfort", 3)
    with pytest.raises(StaleVersion):
        learning.change_measure(db, TRONDHEIM, point.id, measure.id, MeasureDraft(
            text="x", owner_org="stolav", status="forkastet"), version=2)
    with pytest.raises(InvalidDeviation) as bad:
        learning.change_measure(db, HOSPITAL, point.id, measure.id, MeasureDraft(
            text="x", owner_org="stolav", status="ferdig"), version=3)
    assert bad.value.key == "learn_bad_status"
    with pytest.raises(InvalidDeviation) as owner:
        learning.add_measure(db, HOSPITAL, point.id, MeasureDraft(text="x", owner_org="9999"))
    assert owner.value.key == "learn_unknown_owner"
    stored = learning.read(db, IMPROVEMENT, point.id).measures
    assert [(m.status, m.version, m.owner_person) for m in stored] == [
        ("gjennomfort", 3, "Seksjonsleder")]


def test_readers_read_learning_points_but_do_not_change_them(
        db: Database, made: list[str]) -> None:
    point = learning.create(db, TRONDHEIM, draft(made[0]))
    with pytest.raises(learning.NotAllowed):
        learning.create(db, READER_OF_TRONDHEIM, draft(made[0]))
    with pytest.raises(learning.NotAllowed):
        learning.add_measure(db, READER_OF_TRONDHEIM, point.id,
                             MeasureDraft(text="x", owner_org="5001"))
    assert learning.read(db, READER_OF_TRONDHEIM, point.id).title == point.title


def test_the_list_filters_by_measure_status_and_organisation(
        db: Database, made: list[str]) -> None:
    first = learning.create(db, HOSPITAL, draft(made[0], title="A"))
    second = learning.create(db, HOSPITAL, draft(made[1], title="B"))
    learning.add_measure(db, HOSPITAL, first.id, MeasureDraft(text="m", owner_org="stolav",
                                                              status="pagar"))
    learning.add_measure(db, HOSPITAL, second.id, MeasureDraft(text="m", owner_org="5031"))

    def titles(user: User, **filters: str) -> list[str]:
        return sorted(p.title for p in learning.search(db, user, learning.Filters(**filters)))

    assert titles(HOSPITAL) == ["A", "B"]
    assert titles(HOSPITAL, status="pagar") == ["A"]
    assert titles(HOSPITAL, status="planlagt") == ["B"]
    assert titles(HOSPITAL, organisation="5031") == ["B"]  # owner and linked
    assert titles(HOSPITAL, organisation="5001") == ["A"]  # the reporter of made[0]
    assert titles(MALVIK) == ["B"]
    assert titles(MALVIK, organisation="5001") == []


def test_for_period_counts_learning_points_and_measures_of_the_period(
        db: Database, made: list[str]) -> None:
    # In January–April: made[0] (10.03) and made[1] (30.04 23:30); not made[2] (01.05).
    both = learning.create(db, IMPROVEMENT, draft(made[0], made[2], title="Begge"))
    late = learning.create(db, IMPROVEMENT, draft(made[2], title="Mai"))
    april = learning.create(db, IMPROVEMENT, draft(made[1], title="April"))
    for point, status in ((both, "planlagt"), (both, "gjennomfort"), (both, "gjennomfort"),
                          (late, "pagar"), (april, "forkastet"), (april, "planlagt")):
        learning.add_measure(db, IMPROVEMENT, point.id, MeasureDraft(
            text=f"tiltak {status}", owner_org="stolav", owner_person="Kari Nordmann",
            status=status))
    period = learning.for_period(db, date(2024, 1, 1), date(2024, 4, 30))
    assert [(p.title, p.deviation_ids) for p in period.points] == [
        ("Begge", (made[0],)), ("April", (made[1],))]
    # Begge: planlagt, gjennomført ×2; April: forkastet, planlagt. Mai is not in it.
    assert period.by_status == {"planlagt": 2, "pagar": 0, "gjennomfort": 2, "forkastet": 1}
    assert [m.status for m in period.points[1].measures] == ["forkastet", "planlagt"]
    # No person's name in the annual report, and nothing of the deviations but their ids.
    assert "Kari Nordmann" not in repr(period)
    assert "legemiddelliste" not in repr(period).lower()
    may = learning.for_period(db, date(2024, 5, 1), date(2024, 8, 31))
    assert [p.title for p in may.points] == ["Begge", "Mai"]
    assert may.by_status == {"planlagt": 1, "pagar": 1, "gjennomfort": 2, "forkastet": 0}


def test_every_read_and_change_of_a_learning_point_is_audited(
        db: Database, made: list[str]) -> None:
    point = learning.create(db, TRONDHEIM, draft(made[0]))
    learning.read(db, HOSPITAL, point.id)
    learning.update(db, TRONDHEIM, point.id, draft(made[0], title="Ny"), version=1)
    measure = learning.add_measure(db, HOSPITAL, point.id,
                                   MeasureDraft(text="m", owner_org="stolav"))
    learning.change_measure(db, HOSPITAL, point.id, measure.id, MeasureDraft(
        text="m", owner_org="stolav", status="pagar"), version=1)
    with pytest.raises(DeviationNotFound):
        learning.read(db, MALVIK, point.id)
    learning.search(db, IMPROVEMENT, learning.Filters(status="pagar"))
    entries = [(e.user_name, e.action, e.target, e.detail) for e in reversed(
        audit.entries(db, audit.Filters(action="learning.")))]
    target = str(point.id)
    assert entries == [
        ("trd", "learning.create", target, made[0]),
        ("ola", "learning.read", target, ""),
        ("trd", "learning.change", target, "v2"),
        ("ola", "learning.change", target, f"measure {measure.id} added"),
        ("ola", "learning.change", target, f"measure {measure.id} pagar v2"),
        ("malvik", "learning.read.refused", target, ""),
        ("fg", "learning.list", "1 hits", "status=pagar"),
    ]


def test_undoing_0014_drops_the_learning_and_incident_tables_and_their_sequences(
        tmp_path) -> None:
    from alembic import command

    from flyt.store.db import _alembic_config

    url = f"duckdb:///{tmp_path / 'down.duckdb'}"
    Database.open(url).close()
    db = Database.open(url, migrate=False)
    with db.engine.begin() as conn:
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
        tables = set(conn.execute(sa.text(
            "SELECT table_name FROM information_schema.tables")).scalars())
        sequences = set(conn.execute(sa.text(
            "SELECT sequence_name FROM duckdb_sequences()")).scalars())
    db.close()
    assert "deviations" in tables
    assert not tables & {"learning_points", "learning_links", "learning_measures",
                         "deviation_incidents", "deviation_incident_steps"}
    assert not sequences & {"learning_points_id_seq", "learning_measures_id_seq"}
    again = Database.open(url)  # and up again to the head
    assert learning.for_period(again, date(2024, 1, 1), date(2024, 12, 31)).points == ()
    again.close()
