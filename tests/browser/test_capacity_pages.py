"""The capacity pages in Chromium: axe-core finds nothing on /kapasitet and
/kapasitet/treffsikkerhet on a desktop (1280) and a phone (390), no page scrolls
sideways on a phone, the level grid has the community's 20 tiles and the chart its
table (screenshots in tests/browser/screenshots/capacity-*.png).

A server of its own on a demo store (`flyt demo`) with the levels stored by `flyt
escalation`, both run before the server opens the DuckDB file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from flyt.accounts import users
from flyt.store.db import Database
from tests.browser.conftest import _flyt, isolated, served
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

READER = Person("rita", "reader")
PAGES = ["/kapasitet", "/kapasitet/treffsikkerhet"]


@pytest.fixture(scope="module")
def site(_tools: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("capacity")
    env, url = isolated(root)
    _flyt(env, "demo", "--stays", "3000", "--db", url)
    _flyt(env, "escalation", "--db", url)
    db = Database.open(url)
    users.add(db, READER.name, READER.role, password=READER.password)
    db.close()
    with served(root, url, env) as base_url:
        yield Site(base_url=base_url, kpi_db_url=url, env=env)


def opened(new_page, site: Site, path: str,  # type: ignore[no-untyped-def]
           viewport: str = "desktop") -> Page:
    page = new_page(VIEWPORTS[viewport])
    page.set_default_timeout(60_000)  # the first /kapasitet fits the forecasts
    sign_in(page, site, READER)
    response = page.goto(site.url(path))
    assert response is not None and response.status == 200, path
    return page


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_the_capacity_pages_pass_axe_and_fit_a_phone(new_page, site, path, viewport):
    page = opened(new_page, site, path, viewport)
    screenshot(page, f"capacity-{path}-{viewport}")
    assert_accessible(page)
    if VIEWPORTS[viewport] == PHONE:
        assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_grid_has_twenty_tiles_and_the_chart_its_table(new_page, site, viewport):
    page = opened(new_page, site, "/kapasitet", viewport)
    assert page.locator(".cap-grid .cap-tile").count() == 20
    assert page.locator(".cap-tile").first.is_visible()
    # The level is in words in every tile, not colour alone.
    levels = page.locator(".cap-tile-level").all_inner_texts()
    assert len(levels) == 20 and all(text.strip() for text in levels)
    assert page.locator("figure .chart svg:visible").count() == 1  # wide or narrow
    table = page.locator(".cap-chart-table")
    table.locator("summary").click()
    assert table.locator("tbody tr").count() == 28 + 56
    assert_accessible(page)  # the opened table too


def test_the_backtest_page_ends_with_its_table(new_page, site):
    page = opened(new_page, site, "/kapasitet/treffsikkerhet")
    # "Beregner …" reloads itself (static/capacity.js) until the scores are there.
    page.wait_for_selector("table.cap-accuracy, p.warn", timeout=240_000)
    assert_accessible(page)
    screenshot(page, "capacity-accuracy-done")
