"""The report form and the guide in Chromium: a municipality case officer reports a
deviation on a phone (390×844) and on a desktop, through the name warning; the form
(empty, with errors, with the warning) and the guide pass axe-core and do not scroll
sideways on a phone. Screenshots go to tests/browser/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import (
    CAST,
    PHONE,
    VIEWPORTS,
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def check(page: Page, name: str, viewport: str) -> None:
    screenshot(page, f"deviations-{name}-{viewport}")
    assert_accessible(page)
    if VIEWPORTS[viewport] == PHONE:
        assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_municipality_reports_a_deviation_through_the_name_warning(new_page, site,
                                                                     viewport):
    site.require_page("/avvik/ny")
    page = new_page(VIEWPORTS[viewport])
    sign_in(page, site, CAST["municipality"])
    response = page.goto(site.url("/avvik/ny"))
    assert response is not None and response.status == 200
    assert "Malvik kommune" in page.inner_text(".reporter")
    check(page, "form", viewport)

    # Sent empty: every missing field named, nothing stored.
    with page.expect_navigation():
        page.click("button.primary")
    assert page.is_visible("#problems")
    assert page.inner_text("#summary-error") == "Avviket må ha en kort beskrivelse (sammendrag)."
    check(page, "form-errors", viewport)

    page.check("input[name=receiver_org][value=stolav]")
    page.fill("#occurred_date", "2024-11-20")
    page.fill("#occurred_time", "14:30")
    page.check("input[name=category][value=utskrivning]")
    page.check("input[name=severity][value=mindre_skade]")
    page.check("input[name=level][value=pasient]")
    page.fill("#summary", "Kari Hansen ble skrevet ut uten legemiddelliste")
    page.fill("#place", "Øya helsehus")
    with page.expect_navigation():
        page.click("button.primary")
    assert page.is_visible("#warning")
    assert ("Kort beskrivelse: teksten ser ut til å inneholde et personnavn."
            in page.inner_text("#warning"))
    # What was typed is still there.
    assert page.input_value("#summary") == "Kari Hansen ble skrevet ut uten legemiddelliste"
    assert page.is_checked("input[name=receiver_org][value=stolav]")
    check(page, "form-warning", viewport)

    page.check("input[name=confirm]")
    with page.expect_navigation():
        page.click("button.primary")
    assert re.search(r"/avvik/AV-\d{4}-\d{5}$", page.url), page.url


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_guide_passes_axe_and_explains_every_category(new_page, site, viewport):
    site.require_page("/avvik/veileder")
    page = new_page(VIEWPORTS[viewport])
    sign_in(page, site, CAST["reader"])
    response = page.goto(site.url("/avvik/veileder"))
    assert response is not None and response.status == 200
    assert page.locator(".guide-list dt").count() == 10 + 5
    check(page, "guide", viewport)
