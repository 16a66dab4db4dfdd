"""/avvik/rapport in a real browser: axe-core finds nothing (WCAG 2.1 AA) on a desktop
and on a phone, the phone does not scroll sideways, and the download links are there.
A server of its own on a fresh store with deviations imported by `flyt deviations
import` (the shared site has none)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

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

GROUP = Person("fg", "improvement")
CATEGORIES = ("utskrivning", "meldinger", "legemidler", "transport")
SEVERITIES = ("ingen_skade", "mindre_skade", "moderat_skade", "betydelig_skade")
PAIRS = (("5001", "stolav"), ("stolav", "5031"), ("fastlege-5001", "stolav"),
         ("5031", "fastlege-5031"))


def write_deviations(path: Path) -> None:
    """48 synthetic deviations over 2023 and 2024 (codes only: the summary is a fixed
    word)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["source_id", "reporter_org", "receiver_org", "occurred_at",
                      "reported_at", "category", "severity", "level", "agreement_clause",
                      "status", "summary"])
        for i in range(48):
            year, month = 2023 + i % 2, 1 + i % 12
            reporter, receiver = PAIRS[i % len(PAIRS)]
            out.writerow([f"B{i}", reporter, receiver, f"{year}-{month:02d}-{1 + i % 27:02d} "
                          f"{8 + i % 9:02d}:15", f"{year}-{month:02d}-{2 + i % 27:02d}",
                          CATEGORIES[i % 3 if i % 5 else 3], SEVERITIES[i % 4], "pasient", "",
                          ("meldt", "mottatt", "besvart", "lukket")[i % 4], "Syntetisk"])


@pytest.fixture(scope="module")
def annual_site(_tools: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("browser-annual")
    env, db_url = isolated(root)
    write_deviations(root / "avvik.csv")
    _flyt(env, "deviations", "import", str(root / "avvik.csv"), "--source", "eqs",
          "--db", db_url)
    _flyt(env, "user", "add", GROUP.name, "--role", GROUP.role, "--password-stdin",
          "--db", db_url, stdin=GROUP.password + "\n")
    with served(root, db_url, env) as base_url:
        yield Site(base_url=base_url, kpi_db_url=db_url, env=env)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_annual_report_page_passes_axe_on_desktop_and_phone(new_page, annual_site,
                                                                viewport):
    page = new_page(VIEWPORTS[viewport])
    sign_in(page, annual_site, GROUP)
    response = page.goto(annual_site.url("/avvik/rapport?year=2024"))
    assert response is not None and response.status == 200
    assert page.locator("[data-dimension=total]").inner_text() == "24"
    screenshot(page, f"avvik-rapport-{viewport}")
    assert_accessible(page)
    if VIEWPORTS[viewport] == PHONE:
        assert_no_horizontal_scroll(page)


def test_the_form_picks_a_tertial_and_the_links_download_it(new_page, annual_site):
    page = new_page()
    sign_in(page, annual_site, GROUP)
    page.goto(annual_site.url("/avvik/rapport?year=2024"))
    page.select_option("select[name=tertial]", "2")
    with page.expect_navigation():
        page.click("form.controls button[type=submit]")
    assert "tertial=2" in page.url
    assert page.locator("h2").first.inner_text() == "Samhandlingsavvik – 2. tertial 2024"
    href = page.get_attribute("a[href^='/avvik/rapport.csv']", "href")
    assert href == "/avvik/rapport.csv?year=2024&tertial=2"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    csv_text = httpx.get(annual_site.url(href), cookies=cookies, timeout=30).text
    assert csv_text.splitlines()[0] == "year,period,dimension,value,count"
    assert "2024,2024-T2,total,alle,8" in csv_text.splitlines()
