"""The list of deviations (flyt.deviations.listing and handling.search): who sees which,
each filter, free text with LIKE's wildcards taken literally, overdue across Easter, and
the audit entries of reads, lists and changes. Dates and deadlines by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from flyt.accounts import User, audit
from flyt.deviations import handling, listing
from flyt.deviations.errors import DeviationNotFound, InvalidDeviation, StaleVersion
from flyt.deviations.records import NewDeviation, create
from flyt.deviations.settings import load_deviation_settings
from flyt.domain import clock
from flyt.store.db import Database

TRONDHEIM = User("trd", "municipality", "5001")
MALVIK = User("malvik", "municipality", "5031")
HOSPITAL = User("ola", "analyst")
IMPROVEMENT = User("fg", "improvement")
SETTINGS = load_deviation_settings()


def reported(db: Database, monkeypatch: pytest.MonkeyPatch, at: datetime, reporter: str,
             receivers: list[str], *, severity: str = "mindre_skade",
             category: str = "utskrivning", summary: str = "Manglende epikrise",
             occurred: datetime | None = None) -> str:
    monkeypatch.setattr(clock, "now", lambda: at)
    return create(db, NewDeviation(
        reporter_org=reporter, receiver_orgs=receivers, occurred_at=occurred or at,
        category=category, severity=severity, level="pasient", summary=summary),
        user_id=None).id


def test_the_acknowledgement_is_overdue_after_five_working_days_across_easter() -> None:
    # Easter 2024: 28.03 (Thursday), 29.03 (Good Friday) and 01.04 (Easter Monday) are
    # holidays. Reported Monday 25.03: the 5th working day after is Thursday 04.04
    # (26, 27, 02, 03, 04), so it is overdue from 05.04; reported 26.03 it is due 05.04.
    assert listing.acknowledge_overdue_before(date(2024, 4, 5), SETTINGS) == date(2024, 3, 26)
    # On 04.04 only those reported by Sunday 24.03 are late (due 03.04 at the latest).
    assert listing.acknowledge_overdue_before(date(2024, 4, 4), SETTINGS) == date(2024, 3, 25)
    assert listing.answer_overdue_before(date(2024, 4, 5), SETTINGS) == date(2024, 3, 6)


def test_each_filter_narrows_the_list_and_overdue_agrees_with_the_deadlines(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    late = reported(db, monkeypatch, datetime(2024, 3, 25, 9), "5001", ["stolav"])
    in_time = reported(db, monkeypatch, datetime(2024, 3, 26, 9), "5001", ["stolav"],
                       severity="moderat_skade", category="legemidler",
                       summary="Legemiddelliste 50% feil")
    malvik = reported(db, monkeypatch, datetime(2024, 3, 27, 9), "stolav", ["5031"],
                      occurred=datetime(2024, 2, 29, 23, 30))

    def ids(user: User, on: date = date(2024, 4, 5), **given: object) -> list[str]:
        page = listing.search(db, user, listing.Filters(**given),  # type: ignore[arg-type]
                              on=on, settings=SETTINGS)
        assert page.total == len(page.lines)
        return [line.id for line in page.lines]

    assert ids(HOSPITAL) == [malvik, in_time, late]  # newest reported first
    assert ids(TRONDHEIM) == [in_time, late]
    assert ids(MALVIK) == [malvik]
    assert ids(User("asu", "reader")) == []
    assert ids(IMPROVEMENT) == [malvik, in_time, late]
    assert ids(HOSPITAL, overdue=True) == [late]
    assert ids(HOSPITAL, on=date(2024, 4, 4), overdue=True) == []
    # moderat_skade: the answer is due 30 days after 26.03, i.e. 25.04; late on 26.04
    # (and the two meldt ones are late for their acknowledgement by then).
    assert ids(HOSPITAL, on=date(2024, 4, 26), overdue=True) == [malvik, in_time, late]
    assert ids(HOSPITAL, category="legemidler") == [in_time]
    assert ids(HOSPITAL, severity="moderat_skade") == [in_time]
    assert ids(HOSPITAL, organisation="5031") == [malvik]
    assert ids(HOSPITAL, status="meldt") == [malvik, in_time, late]
    # occurred 29.02.2024 (a leap day) at 23:30: inside a period ending that day.
    assert ids(HOSPITAL, occurred_from=date(2024, 2, 29), occurred_to=date(2024, 2, 29)) \
        == [malvik]
    assert ids(HOSPITAL, occurred_from=date(2024, 3, 1)) == [in_time, late]
    assert ids(HOSPITAL, text="LEGEMIDDELLISTE") == [in_time]
    assert ids(HOSPITAL, text="50%") == [in_time]
    assert ids(HOSPITAL, text="5_%") == []  # the underscore is a character, not "any"
    assert ids(HOSPITAL, text=late) == [late]
    line = listing.search(db, HOSPITAL, listing.Filters(), on=date(2024, 4, 5),
                          settings=SETTINGS).lines[2]
    assert (line.id, line.receiver_orgs, line.overdue) == (late, ("stolav",),
                                                           frozenset({"acknowledge"}))


def test_paging_counts_every_match_and_returns_the_page_asked_for(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    made = [reported(db, monkeypatch, datetime(2024, 5, day, 9), "5001", ["stolav"])
            for day in range(1, 8)]
    page = listing.search(db, HOSPITAL, listing.Filters(), on=date(2024, 5, 10),
                          settings=SETTINGS, offset=2, limit=3)
    assert (page.total, [line.id for line in page.lines]) == (7, made[::-1][2:5])


def test_reads_lists_and_changes_are_audited_and_a_refused_read_reveals_nothing(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 5, 2, 9))
    item = handling.report(db, TRONDHEIM, NewDeviation(
        reporter_org="5001", receiver_orgs=["stolav"], occurred_at=date(2024, 5, 1),
        category="meldinger", severity="ingen_skade", level="pasient",
        summary="PLO-melding kom ikke"))
    with pytest.raises(InvalidDeviation):
        handling.report(db, TRONDHEIM, NewDeviation(
            reporter_org="5031", receiver_orgs=["stolav"], occurred_at=date(2024, 5, 1),
            category="meldinger", severity="ingen_skade", level="pasient", summary="x"))
    assert handling.read(db, HOSPITAL, item.id).id == item.id
    with pytest.raises(DeviationNotFound):
        handling.read(db, MALVIK, item.id)
    with pytest.raises(DeviationNotFound):
        handling.change(db, MALVIK, item.id, "mottatt", version=1)
    moved = handling.change(db, HOSPITAL, item.id, "mottatt", version=1, comment="Sett")
    assert (moved.status, moved.version) == ("mottatt", 2)
    with pytest.raises(StaleVersion):
        handling.change(db, HOSPITAL, item.id, "under_behandling", version=1)
    handling.search(db, HOSPITAL, listing.Filters(text="Kari Nordmann"), on=date(2024, 5, 2))
    log = [(e.user_name, e.action, e.target, e.detail)
           for e in reversed(audit.entries(db, audit.Filters(action="deviation")))]
    assert log == [
        ("trd", "deviation.create", item.id, "5001->stolav"),
        ("ola", "deviation.read", item.id, ""),
        ("malvik", "deviation.read.refused", item.id, ""),
        ("ola", "deviation.status", item.id, "meldt->mottatt v2"),
        ("ola", "deviation.list", "0 hits", "text=…"),  # the searched name is not logged
    ]


def test_a_list_made_before_a_change_is_never_shown_after_it(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    first = reported(db, monkeypatch, datetime(2024, 5, 2, 9), "5001", ["stolav"])

    def meldt() -> list[str]:
        page = listing.search(db, HOSPITAL, listing.Filters(status="meldt"),
                              on=date(2024, 5, 3), settings=SETTINGS)
        return [line.id for line in page.lines]

    assert meldt() == [first]
    assert meldt() == [first]  # the same page again (kept)
    second = reported(db, monkeypatch, datetime(2024, 5, 2, 10), "5031", ["stolav"])
    assert meldt() == [second, first]  # a new report
    handling.change(db, HOSPITAL, first, "mottatt", version=1)
    assert meldt() == [second]  # a step
