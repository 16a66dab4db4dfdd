"""The learning pages and the incident analysis page in Chromium: axe-core finds nothing
on a desktop and a phone, no page scrolls sideways on a phone, and a person can add a
measure and fill in the checklist with the forms as they are (screenshots in
tests/browser/screenshots/learning-*.png).

A server of its own on a fresh store (no UKP data is needed), with deviations and a
learning point made before it starts: DuckDB lets one process write the file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from flyt.accounts import User, users
from flyt.deviations import learning
from flyt.deviations.records import NewDeviation, create
from flyt.domain import clock
from flyt.store.db import Database
from tests.browser.conftest import isolated, served
from tests.browser.helpers import (
    PHONE,
    VIEWPORTS,
    Person,
    Site,
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

HOSPITAL = Person("anna", "analyst")
MALVIK = Person("malvik", "municipality", "5031")
GROUP = Person("fg", "improvement")


@pytest.fixture(scope="module")
def world(_tools: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, dict]]:
    root = tmp_path_factory.mktemp("learning")
    env, url = isolated(root)
    db = Database.open(url)
    for person in (HOSPITAL, MALVIK, GROUP):
        users.add(db, person.name, person.role, person.municipality, password=person.password)
    today = clock.today()
    made = {key: create(db, NewDeviation(
        reporter_org="stolav", receiver_orgs=["5031"],
        occurred_at=datetime(today.year, today.month, 1, 10, 0), category="utskrivning",
        severity=severity, level="pasient", summary="Pasient utskrevet uten epikrise"),
        user_id=None).id for key, severity in (("dod", "dod"), ("minor", "mindre_skade"))}
    hospital = User("anna", "analyst")
    point = learning.create(db, hospital, learning.Draft(
        "Epikrise følger pasienten ved utskrivning",
        "Utskrivende avdeling sender epikrise samme dag, og kommunen bekrefter mottak.",
        [made["dod"], made["minor"]]))
    learning.add_measure(db, hospital, point.id, learning.MeasureDraft(
        text="Sjekkliste for utskrivning i DIPS", owner_org="stolav",
        owner_person="Seksjonsleder medisin", due_on=today, status="pagar"))
    made["point"] = str(point.id)
    db.close()
    with served(root, url, env) as base_url:
        yield Site(base_url=base_url, kpi_db_url=url, env=env), made


PAGES = ("/avvik/laering", "/avvik/laering/{point}", "/avvik/laering/ny",
         "/avvik/{dod}/hendelsesanalyse")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("person", [MALVIK, GROUP], ids=["municipality", "improvement"])
def test_the_learning_pages_pass_axe_on_desktop_and_phone(new_page, world, person, path,
                                                          viewport):
    site, made = world
    if person is GROUP and path.endswith("/ny"):
        path = "/avvik/laering/ny?lang=en"
    page = new_page(VIEWPORTS[viewport])
    sign_in(page, site, person)
    response = page.goto(site.url(path.format(**made)))
    assert response is not None and response.status == 200, path
    # Open every folded form, so that axe checks them too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    screenshot(page, f"learning-{person.role}-{path}-{viewport}")
    assert_accessible(page)
    if VIEWPORTS[viewport] == PHONE:
        assert_no_horizontal_scroll(page)


def test_a_municipality_adds_a_measure_and_fills_in_the_checklist_on_a_phone(new_page, world):
    site, made = world
    page = new_page(PHONE)
    sign_in(page, site, MALVIK)
    page.goto(site.url(f"/avvik/laering/{made['point']}"))
    page.click("text=Legg til tiltak")
    page.fill("#new-measure-text", "Kommunen ringer avdelingen ved manglende epikrise")
    page.select_option("#new-measure-owner", "5031")
    page.fill("#new-measure-person", "Tildelingskontoret")
    with page.expect_navigation():
        page.click("form[action$='/tiltak'] button[type=submit]")
    assert "Tiltaket er lagt til." in page.inner_text("main")
    assert "Kommunen ringer avdelingen" in page.inner_text("main")
    screenshot(page, "learning-measure-added-phone")

    today = clock.today().isoformat()
    page.goto(site.url(f"/avvik/{made['dod']}/hendelsesanalyse"))
    page.check("input[name=notice][value=ikke_aktuelt]")
    page.fill("#notice-reason", "Meldt av sykehuset")
    page.fill("#mandate-on", today)
    page.fill("#mandate-by", "Kommunalsjef")
    page.fill("#conclusion", "Rutinen for epikrise ble ikke fulgt")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Lagret." in page.inner_text("main")
    assert page.input_value("#mandate-by") == "Kommunalsjef"
    assert page.input_value("#mandate-on") == today
    screenshot(page, "learning-incident-saved-phone")
    assert_accessible(page)

    minor = page.goto(site.url(f"/avvik/{made['minor']}/hendelsesanalyse"))
    assert minor is not None and minor.status == 422
    assert "ikke betydelig skade eller død" in page.inner_text("main")
