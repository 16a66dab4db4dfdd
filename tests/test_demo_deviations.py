"""The demo's deviations (flyt.demo.deviations) and its users for each kind of
organisation (`flyt demo`, `flyt generate`): deterministic, the designed shape, valid
through records' checks and the workflow step by step, stored as records.transition
would leave them (DuckDB and PostgreSQL), importable as a file, counted by the annual
report, and seen by each demo user as the access rules say."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from flyt.accounts import passwords, users
from flyt.cli.common import Context
from flyt.cli.data import demo_deviations_text, demo_user_text
from flyt.cli.main import cli
from flyt.demo import deviations as demo
from flyt.demo.stays import DEPARTMENTS
from flyt.deviations import access, deadlines, exporting, records, report, workflow
from flyt.deviations.settings import DeviationSettings
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.reference import packaged_organisations, packaged_units
from tests.support.config import configure

UNTIL = date(2026, 12, 1)  # a Tuesday: the demo's cut-off is 01.12.2026 00:00
CUTOFF = datetime(2026, 12, 1)
SETTINGS = DeviationSettings()
KIND = {o.org_id: o.kind for o in packaged_organisations()}


@pytest.fixture(scope="module")
def year() -> list[demo.DemoDeviation]:
    return demo.generate(1, UNTIL, settings=SETTINGS)


def occurred_day(item: demo.DemoDeviation) -> date:
    at = item.new.occurred_at
    return at.date() if isinstance(at, datetime) else at


def statuses(item: demo.DemoDeviation) -> list[str]:
    return ["meldt", *(step.to for step in item.steps)]


# --- the design, without a store ------------------------------------------------------


def test_the_same_seed_and_cut_off_give_the_same_deviations_and_another_seed_others(year):
    assert demo.generate(1, UNTIL, settings=SETTINGS) == year
    assert demo.generate(2, UNTIL, settings=SETTINGS) != year


def test_a_year_holds_a_few_hundred_deviations_of_the_twelve_months_before_the_cut_off(year):
    # The period: 01.12.2025 (12 complete months before December 2026) to 30.11.2026.
    assert demo.demo_period(UNTIL) == (date(2025, 12, 1), UNTIL)
    assert 220 <= len(year) <= 400
    assert all(date(2025, 12, 1) <= occurred_day(i) < UNTIL for i in year)
    assert all(i.reported_at < CUTOFF for i in year)
    assert all(i.reported_at.date() >= occurred_day(i) for i in year)
    timed = [i for i in year if isinstance(i.new.occurred_at, datetime)]
    assert all(i.reported_at >= i.new.occurred_at for i in timed)
    assert 0.6 < len(timed) / len(year) < 0.95  # most with a time, some a date alone
    # reported on working days, in working hours
    assert all(deadlines.is_working_day(i.reported_at.date()) for i in year)
    assert all(8 <= i.reported_at.hour < 16 for i in year)
    assert [i.source_id for i in year] == [f"demo-{n:05d}" for n in range(1, len(year) + 1)]
    assert [i.reported_at for i in year] == sorted(i.reported_at for i in year)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_most_are_about_discharge_and_messages_and_the_severities_are_mostly_mild(seed):
    items = demo.generate(seed, UNTIL, settings=SETTINGS)
    n = len(items)
    categories = Counter(i.new.category for i in items)
    assert {c for c, _ in categories.most_common(2)} == {"utskrivning", "meldinger"}
    assert (categories["utskrivning"] + categories["meldinger"]) / n > 0.5
    severities = Counter(i.new.severity for i in items)
    assert (severities["ingen_skade"] + severities["mindre_skade"]) / n > 0.7
    assert 0.01 < severities["betydelig_skade"] / n < 0.1
    assert severities["dod"] <= 4  # very rarely
    assert severities["moderat_skade"] > severities["betydelig_skade"] > severities["dod"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_most_are_reported_by_the_municipalities_to_the_hospital(seed):
    items = demo.generate(seed, UNTIL, settings=SETTINGS)
    directions = Counter((KIND[i.new.reporter_org], KIND[i.new.receiver_orgs[0]])
                         for i in items)
    assert directions.most_common(1)[0][0] == ("kommune", "sykehus")
    assert directions[("kommune", "sykehus")] / len(items) > 0.5
    assert len(directions) >= 5  # the hospital and the GPs report too
    assert any(len(i.new.receiver_orgs) == 2 for i in items)


def test_more_deviations_occur_in_the_holidays_than_in_the_rest_of_the_year():
    # Seed 000: "Kjente sesongvariasjoner: påske, jul, sommer". Per day, over five
    # seeds: the summer holidays (ISO weeks 26-33) and 18.12-03.01 against the rest.
    start, end = demo.demo_period(UNTIL)
    days = [start + timedelta(days=k) for k in range((end - start).days)]

    def holiday(d: date) -> bool:
        return 26 <= d.isocalendar().week <= 33 or (d.month, d.day) >= (12, 18) \
            or (d.month, d.day) <= (1, 3)

    per_day = Counter(occurred_day(i) for seed in range(1, 6)
                      for i in demo.generate(seed, UNTIL, settings=SETTINGS))
    in_holidays = [per_day[d] for d in days if holiday(d)]
    rest = [per_day[d] for d in days if not holiday(d)]
    assert sum(in_holidays) / len(in_holidays) > 1.2 * sum(rest) / len(rest)


def test_system_level_deviations_name_an_agreement_clause_and_so_do_the_breaches(year):
    system = [i for i in year if i.new.level == "system"]
    assert system and all(i.new.agreement_clause for i in system)
    breaches = [i for i in year if i.new.category == "avtalebrudd"]
    assert breaches and all(i.new.agreement_clause for i in breaches)
    assert any(i.new.level == "system" for i in breaches)
    assert all(re.fullmatch(r"tjenesteavtale \d+ §[\d.]+", i.new.agreement_clause or "")
               for i in system)


def texts_of(item: demo.DemoDeviation) -> list[str]:
    new = item.new
    found = [new.summary, new.description, new.immediate_action, new.place]
    found += [t for s in item.steps for t in (s.comment, s.answer, s.reason)]
    return [t for t in found if t]


def proper_nouns() -> set[str]:
    """The capitalised words a demo text may hold: the community's organisations,
    units, departments and systems."""
    names = [o.name for o in packaged_organisations()] + [u.name for u in packaged_units()]
    words = {w for name in [*names, *DEPARTMENTS] for w in re.findall(r"\w+", name)}
    return words | {"PLO", "EQS"}


def test_no_text_holds_a_national_id_or_anything_like_a_persons_name(year):
    allowed = proper_nouns()
    for item in year:
        for text in texts_of(item):
            assert not records.looks_like_national_id(text), item.source_id
            assert not re.search(r"\d{6}", text), (item.source_id, text)
            # every capitalised word that does not open a sentence is a proper noun of
            # the community, never a person's name
            words = re.findall(r"(^|[.:!?] |\s)([A-ZÆØÅ]\w*)", text)
            assert all(word in allowed for opens, word in words
                       if opens not in ("", ". ", ": ", "! ", "? ")), (item.source_id, text)
        assert item.new.patient_ref is None or re.fullmatch(r"(EQS|KOM|FL)-\d{4,5}",
                                                           item.new.patient_ref)


def test_every_deviation_passes_the_records_checks_and_the_workflow_step_by_step(year):
    for item in year:
        records.checked(item.new, SETTINGS)  # raises InvalidDeviation if not
        before, at = "meldt", item.reported_at
        for step in item.steps:
            workflow.check(before, step.to, step.side, answer=step.answer,
                           reason=step.reason)
            assert step.at > at, item.source_id
            if step.side != "system":  # people work on working days
                assert deadlines.is_working_day(step.at.date()), item.source_id
            before, at = step.to, step.at
        assert all(s.at < CUTOFF for s in item.steps)
        assert item.status == before


def timeline(item: demo.DemoDeviation) -> deadlines.Timeline:
    answered = [s.at for s in item.steps if s.to == "besvart"]
    return deadlines.Timeline(item.status, item.new.severity, item.reported_at,
                              answered[-1] if answered else None)


def test_old_ones_are_answered_or_closed_recent_ones_open_and_a_few_are_overdue(year):
    old = [i for i in year if i.reported_at < CUTOFF - timedelta(days=120)]
    recent = [i for i in year if i.reported_at >= CUTOFF - timedelta(days=14)]
    assert sum(i.status in ("lukket", "avvist") for i in old) / len(old) > 0.9
    assert sum(i.status in ("meldt", "mottatt", "under_behandling") for i in recent) \
        / len(recent) > 0.5
    found = Counter(i.status for i in year)
    assert {"meldt", "under_behandling", "besvart", "lukket", "avvist"} <= set(found)
    reopened = [i for i in year if "gjenapnet" in statuses(i)]
    assert reopened and any("avvist" in statuses(i) for i in reopened)
    overdue = [i for i in year if deadlines.overdue(timeline(i), UNTIL, SETTINGS)]
    assert 1 <= len(overdue) <= 25  # a few
    # The automatic close has run every day before the cut-off: no answered one is due.
    assert not any(deadlines.should_close(timeline(i), UNTIL - timedelta(days=1), SETTINGS)
                   for i in year)
    closers = Counter(s.side for i in year for s in i.steps if s.to == "lukket")
    assert closers["system"] > closers["reporter"] > 0


# --- in the store (DuckDB and PostgreSQL) ----------------------------------------------


def stored(db: Database, year: list[demo.DemoDeviation],
           acting: dict[str, int] | None = None) -> dict[str, records.Deviation]:
    """Stored, and read back as records.get reads them (three queries in all, not
    three a deviation: DuckDB takes 50 ms a query here)."""
    assert demo.store(db, year, users=acting, settings=SETTINGS) == len(year)
    r, e = schema.deviation_receivers.c, schema.deviation_events.c
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.deviations)).all()
        receivers = conn.execute(sa.select(r.deviation_id, r.org_id)).all()
        events = conn.execute(sa.select(
            e.deviation_id, e.version, e.created_at, e.user_id, e.organisation,
            e.from_status, e.to_status, e.comment, e.answer, e.reason)
            .order_by(e.deviation_id, e.version)).all()
    found = {}
    for row in rows:
        values = dict(row._mapping)
        del values["search_text"]  # the list's search column, not a field
        found[str(values["source_id"])] = records.Deviation(
            receiver_orgs=tuple(sorted(o for i, o in receivers if i == row.id)),
            history=tuple(records.Event(*ev[1:]) for ev in events if ev[0] == row.id),
            **values)
    for item in (year[0], year[-1]):  # read as records.get reads them
        assert found[item.source_id] == records.get(db, found[item.source_id].id)
    return found


def test_stored_deviations_are_as_records_transition_would_leave_them(db, year):
    acting = {"stolav": 7, "5001": 8}
    found = stored(db, year, acting)
    assert len(found) == len(year)
    for item in year:
        got = found[item.source_id]
        assert re.fullmatch(rf"AV-{item.reported_at.year}-\d{{5}}", got.id)
        assert (got.source, got.status, got.reported_at) == ("demo", item.status,
                                                              item.reported_at)
        assert got.version == len(got.history) == 1 + len(item.steps)
        assert [e.version for e in got.history] == list(range(1, got.version + 1))
        first = got.history[0]
        assert (first.from_status, first.to_status, first.created_at, first.organisation) \
            == (None, "meldt", item.reported_at, item.new.reporter_org)
        assert first.user_id == got.reported_by == acting.get(item.new.reporter_org)
        for before, event in zip(got.history, got.history[1:], strict=False):
            side = records.side_of(got, event.organisation)
            workflow.check(before.to_status, event.to_status, side, answer=event.answer,
                           reason=event.reason)
            assert event.from_status == before.to_status
            assert event.created_at > before.created_at
            assert event.user_id == (acting.get(event.organisation or "")
                                     if event.organisation else None)
        assert got.history[-1].to_status == got.status
        latest = {e.to_status: e.created_at for e in got.history}
        assert (got.acknowledged_at, got.answered_at, got.closed_at) == (
            latest.get("mottatt"), latest.get("besvart"), latest.get("lukket"))
        assert set(got.receiver_orgs) == set(item.new.receiver_orgs)


def test_a_second_demo_keeps_the_deviations_of_the_first(db_url, year):
    ctx = Context(db_url)
    first = demo_deviations_text(ctx, 1, UNTIL, "en")
    assert first == (f"Collaboration deviations: {len(year)} demo deviations from "
                     "2025-12-01 to 2026-11-30 stored.")
    again = demo_deviations_text(ctx, 2, UNTIL, "nb")
    assert again == (f"Samhandlingsavvik: {len(year)} demoavvik fra en tidligere "
                     "`flyt demo` er beholdt.")
    assert demo.stored_count(ctx.db) == len(year)


def test_a_taxonomy_without_the_demos_categories_stores_none_and_says_why(
        db_url, tmp_path, monkeypatch):
    configure(tmp_path, monkeypatch, '[deviations]\ncategories = ["meldinger", "annet"]\n')
    ctx = Context(db_url)
    line = demo_deviations_text(ctx, 1, UNTIL, "en")
    assert line.startswith("Collaboration deviations: no demo deviations stored. ")
    assert "utskrivning" in line or "legemidler" in line  # the first code it lacks
    assert demo.stored_count(ctx.db) == 0


def test_the_annual_report_of_the_demo_year_counts_every_deviation_not_rejected(db, year):
    demo.store(db, year, settings=SETTINGS)
    of_2026 = [i for i in year if occurred_day(i).year == 2026]
    table = {(r["dimension"], r["value"]): r["count"] for r in report.rows(db, 2026)}
    counted = [i for i in of_2026 if i.status != "avvist"]
    assert table[("total", "alle")] == len(counted)
    for status, n in Counter(i.status for i in of_2026).items():
        assert table[("status", status)] == n
    for category, n in Counter(i.new.category for i in counted).items():
        assert table[("category", category)] == n
    assert table[("month", "2026-11")] == sum(occurred_day(i).month == 11 for i in counted)


def test_the_demo_users_act_for_each_kind_of_organisation_and_see_their_own(db_url, year):
    ctx = Context(db_url)
    text = demo_user_text(ctx, "nb")
    expected = {"demo": ("analyst", "stolav"), "demo-kommune": ("municipality", "5001"),
                "demo-fastlege": ("gp", "fastlege-5001"),
                "demo-forbedring": ("improvement", None),
                "demo-kompetanse": ("competence", None)}
    shown = dict(re.findall(r"^  (demo-\S+) – .*: passord (\S+)$", text, re.M))
    shown["demo"] = re.search(r"passordet (\S+)$", text).group(1)
    acting = {}
    for name, (role, organisation) in expected.items():
        record = users.get(ctx.db, name)
        assert record is not None and (record.role, record.organisation) == (role,
                                                                          organisation)
        assert passwords.verify(record.password_hash, shown[name]), name
        if organisation:
            acting[organisation] = record.id
    demo.store(ctx.db, year, users=acting, settings=SETTINGS)

    def involved(org: str) -> int:
        return sum(org == i.new.reporter_org or org in i.new.receiver_orgs for i in year)

    for name, (_, organisation) in expected.items():
        seen = access.visible_to(ctx.db, users.get(ctx.db, name).as_user())
        every = len(year) if name == "demo-forbedring" else 0  # the competence group: none
        assert len(seen) == (involved(organisation) if organisation else every), name
    assert involved("fastlege-5001") > 0 and involved("5001") < len(year)


# --- the commands ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    result = CliRunner().invoke(cli, ["generate", "-o", str(folder), "--stays", "1000",
                                      "--seed", "4", "--until", UNTIL.isoformat()])
    assert result.exit_code == 0, result.output
    assert f"deviations to {folder / 'deviations.csv'}" in result.output
    return folder / "deviations.csv"


def test_generate_writes_a_deviations_file_that_imports_without_errors(db_url, generated):
    items = demo.generate(4, UNTIL)
    result = CliRunner().invoke(cli, ["deviations", "import", str(generated), "--source",
                                      "demo-file", "--format", "json", "--db", db_url])
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.output)
    assert (outcome["status"], outcome["new"], outcome["errors"], outcome["warnings"]) == (
        "ok", len(items), [], [])
    db = Database.open(db_url)
    try:
        rows = exporting.records_of(db)
    finally:
        db.close()
    assert {r["source_id"]: (r["status"], r["summary"]) for r in rows} == {
        i.source_id: (i.status, i.new.summary) for i in items}


def test_flyt_demo_stores_the_deviations_and_prints_the_users_in_reasonable_time(db_url):
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["demo", "--stays", "1000", "--db", db_url])
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    stored_line = re.search(r"Samhandlingsavvik: (\d+) demoavvik fra (\S+) til (\S+) lagret",
                            result.output)
    assert stored_line is not None and 220 <= int(stored_line.group(1)) <= 400
    for name in ("demo-kommune", "demo-fastlege", "demo-forbedring", "demo-kompetanse"):
        assert re.search(rf"^  {name} – .*: passord \S+$", result.output, re.M), name
    assert "Tiltaksplan: standardplanen fra sakspapirene har fått demoens perioder" in \
        result.output
    assert re.search(r"logg inn som demo med passordet \S+\n$", result.output)
    assert seconds < 90  # about 15 s on a 2-core machine with 1 000 stays
