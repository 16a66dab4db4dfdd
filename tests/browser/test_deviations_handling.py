"""Handling a deviation in a real browser against a real `flyt serve`: the hospital
acknowledges, handles and answers a municipality's deviation; the municipality closes
it. The list and the deviation's page on a phone (390×844) and a desktop, axe-core
clean (WCAG 2.1 AA), screenshots in tests/browser/screenshots/.

A server of its own (not the session's demo site): an empty store with two people and
one deviation, written before the server opens it (DuckDB lets one process write)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from flyt.accounts import users
from flyt.deviations import records
from flyt.deviations.records import NewDeviation
from flyt.domain import clock
from flyt.store.db import Database
from tests.browser.conftest import isolated, served
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    Person,
    Site,
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
)

HOSPITAL = Person("sykehus", "analyst")  # acts for stolav
MALVIK = Person("malvik", "municipality", "5031")
SUMMARY = "Utskrevet uten legemiddelliste"
ANSWER = "Rutinen for legemiddellister ved utskrivning er endret fra 01.12."


@pytest.fixture(scope="module")
def handling_site(_tools: str, tmp_path_factory: pytest.TempPathFactory,
                  ) -> Iterator[tuple[Site, str]]:
    root = tmp_path_factory.mktemp("deviation-handling")
    env, db_url = isolated(root)
    db = Database.open(db_url)
    for person in (HOSPITAL, MALVIK):
        users.add(db, person.name, person.role, person.municipality, password=person.password)
    malvik = users.get(db, MALVIK.name)
    assert malvik is not None
    reported = clock.now().replace(microsecond=0)
    made = records.create(db, NewDeviation(
        reporter_org="5031", receiver_orgs=["stolav"],
        occurred_at=datetime(reported.year, reported.month, reported.day, 8, 15),
        category="legemidler", severity="betydelig_skade", level="pasient",
        summary=SUMMARY, place="Malvik helsesenter",
        description="Pasienten kom hjem uten oppdatert legemiddelliste."),
        user_id=malvik.id).id
    db.close()
    with served(root, db_url, env) as base_url:
        yield Site(base_url=base_url, kpi_db_url=db_url, env=env), made


def press(page: Page, button: str, **fields: str) -> None:
    """Fill the step's own form (the one with `button`) and send it."""
    form = page.locator("form.devcase-step").filter(
        has=page.get_by_role("button", name=button))
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name=button).click()


def look(page: Page, name: str) -> None:
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, name)


def test_the_hospital_answers_a_municipalitys_deviation_and_the_municipality_closes_it(
        handling_site: tuple[Site, str], new_page: Callable[..., Page]) -> None:
    site, made = handling_site
    for viewport, kind in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = new_page(viewport=viewport)
        sign_in(page, site, HOSPITAL)
        page.goto(site.url("/avvik"))
        expect(page.get_by_role("link", name=made)).to_be_visible()
        look(page, f"deviations-list-{kind}")
        page.get_by_role("link", name=made).click()
        expect(page.get_by_text("Statens helsetilsyn")).to_be_visible()
        look(page, f"deviation-detail-{kind}")

    hospital = new_page(viewport=DESKTOP)
    sign_in(hospital, site, HOSPITAL)
    hospital.goto(site.url(f"/avvik/{made}"))
    # The reporter's buttons are not the receiver's.
    expect(hospital.get_by_role("button", name="Lukk avviket")).to_have_count(0)
    press(hospital, "Kvitter mottatt", Kommentar="Mottatt, ser på saken")
    expect(hospital.locator("dd strong").first).to_have_text("Mottatt")
    press(hospital, "Start behandling")
    press(hospital, "Send svar", Svar=ANSWER)
    expect(hospital.locator("dd strong").first).to_have_text("Besvart")
    expect(hospital.locator("dd.devcase-answer")).to_have_text(ANSWER)
    expect(hospital.get_by_role("button", name="Send svar")).to_have_count(0)

    malvik = new_page(viewport=PHONE)
    sign_in(malvik, site, MALVIK)
    malvik.goto(site.url(f"/avvik/{made}"))
    expect(malvik.locator("dd.devcase-answer")).to_have_text(ANSWER)
    look(malvik, "deviation-answered-phone")
    press(malvik, "Lukk avviket", Kommentar="Takk for svaret")
    expect(malvik.locator("dd strong").first).to_have_text("Lukket")
    # The whole story, in order, in the history table.
    steps = malvik.locator("table.devcase-history tbody tr td:nth-child(4)").all_inner_texts()
    assert steps == ["ny → Meldt", "Meldt → Mottatt", "Mottatt → Under behandling",
                     "Under behandling → Besvart", "Besvart → Lukket"]
    look(malvik, "deviation-closed-phone")
