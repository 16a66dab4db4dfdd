"""The municipalities' escalation plans in Chromium: the demo's municipality user
(demo-kommune, Trondheim 5001: flyt.cli.data.DEMO_USERS) writes its plan and sees it
saved; a refused number is said beside its field; the print view hides the menu and the
form. axe-core finds nothing on the list, a plan and the edit form, on a desktop and a
phone, and no page scrolls sideways on a phone (screenshots in
tests/browser/screenshots/escplan-*.png).

A server of its own on a fresh store (no KPI data is needed); Malvik's plan is stored
before it starts (DuckDB lets one process write the file)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flyt.accounts import users
from flyt.capacity import plans, plans_store
from flyt.store.db import Database
from tests.browser.conftest import isolated, served
from tests.browser.helpers import (
    PHONE,
    VIEWPORTS,
    Person,
    Site,
    assert_accessible,
    assert_no_horizontal_scroll,
    opened,
    screenshot,
)

pytestmark = pytest.mark.browser

KOMMUNE = Person("demo-kommune", "municipality", "5001")
READER = Person("rita", "reader")
URL = "/kapasitet/beredskapsplaner"
MALVIK = {"actions_1": "Daglig tavlemøte kl. 09.\nOversikt over ledige korttidsplasser.",
          "actions_3": "Åpne 2 ekstra korttidsplasser på Malvik helsesenter.",
          "actions_4": "Kriseledelsen kalles inn; " + "lang tekst uten mellomrom" * 3,
          "beds": "2", "contact_0_role": "Tildelingskontoret",
          "contact_0_name": "Kari Nordmann", "contact_0_phone": "+47 72 00 00 00",
          "contact_0_email": "tildelingskontoret.med.en.lang.adresse@malvik.kommune.no"}


@pytest.fixture(scope="module")
def site(_tools: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("escplan")
    env, url = isolated(root)
    db = Database.open(url)
    for person in (KOMMUNE, READER):
        users.add(db, person.name, person.role, person.municipality, password=person.password)
    plans_store.save(db, plans.from_form("5031", MALVIK), 0, "malvik")
    db.close()
    with served(root, url, env) as base_url:
        yield Site(base_url=base_url, kpi_db_url=url, env=env)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(("path", "person"), [(URL, READER), (f"{URL}/5031", READER),
                                              (f"{URL}/5001", KOMMUNE)])
def test_the_plan_pages_pass_axe_and_fit_a_phone(new_page, site, path, person, viewport):
    page = opened(new_page, site, path, person, viewport)
    screenshot(page, f"escplan-{path}-{person.name}-{viewport}")
    assert_accessible(page)
    if VIEWPORTS[viewport] == PHONE:
        assert_no_horizontal_scroll(page)


def test_demo_kommune_writes_its_plan(new_page, site):
    page = opened(new_page, site, f"{URL}/5001", KOMMUNE)
    assert page.get_by_text("Ingen plan registrert ennå").first.is_visible()
    page.fill("#escplan-actions_2", "Ring nabokommunene.\nVurder å låne korttidsplasser.")
    page.fill("#escplan-beds", "4")
    page.fill("#escplan-contact_0_role", "Helse- og velferdssenter")
    page.fill("#escplan-contact_0_phone", "72 54 00 00")
    with page.expect_navigation():
        page.click("form.escplan-form button[type=submit]")
    assert page.url.endswith(f"{URL}/5001")
    level = page.locator(".escplan-level-2 .escplan-text")
    assert level.inner_text() == "Ring nabokommunene.\nVurder å låne korttidsplasser."
    assert "4 korttidsplasser" in page.locator("main").inner_text()
    assert page.input_value("#escplan-beds") == "4"
    screenshot(page, "escplan-saved")


def test_a_refused_number_is_said_beside_its_field(new_page, site):
    page = opened(new_page, site, f"{URL}/5001", KOMMUNE, "phone")
    page.fill("#escplan-beds", "900")
    with page.expect_navigation() as navigation:
        page.click("form.escplan-form button[type=submit]")
    assert navigation.value is not None and navigation.value.status == 400
    assert "ikke «900»" in page.locator("#escplan-beds-error").inner_text()
    assert page.get_attribute("#escplan-beds", "aria-invalid") == "true"
    screenshot(page, "escplan-refused-phone")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_the_print_view_has_no_menu_and_no_form(new_page, site):
    page = opened(new_page, site, f"{URL}/5001", KOMMUNE)
    assert page.locator("button[data-print]").is_visible()  # shown by flyt.js
    assert page.locator("form.escplan-form").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible()
    assert not page.locator("button[data-print]").is_visible()
    assert not page.locator("form.escplan-form").is_visible()
    assert page.locator(".escplan-level-3").is_visible()
    malvik = opened(new_page, site, f"{URL}/5031", READER)
    malvik.emulate_media(media="print")
    assert "Kari Nordmann" in malvik.locator(".escplan-contacts").inner_text()
    screenshot(malvik, "escplan-print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
