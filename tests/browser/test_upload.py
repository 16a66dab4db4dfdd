"""Uploading a file with errors on /data: nothing is imported, and every row error is
on the page with its row, column and reason."""

from __future__ import annotations

import pytest

from tests.browser.helpers import CAST, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser

HEADER = ("stay_id,patient_id,municipality,sector,admission_type,admitted_at,ready_at,"
          "discharged_at,discharge_destination,location,department,birth_year,sex,frailty_score")
# Rows 2 and 4 are good; row 3 is discharged before it was admitted, row 5 has a
# municipality that does not exist.
STAYS = [
    "W1,P1,5001,somatikk,akutt,2024-01-01T10:00,,2024-01-05T12:00,hjem,,Medisin,1950,k,5",
    "W2,P2,5001,somatikk,akutt,2024-01-05T10:00,,2024-01-01T12:00,hjem,,Medisin,1950,k,5",
    "W3,P3,5031,somatikk,akutt,2024-02-01T10:00,,2024-02-03T12:00,hjem,,Medisin,1948,m,4",
    "W4,P4,9999,somatikk,akutt,2024-02-01T10:00,,2024-02-03T12:00,hjem,,Medisin,1948,m,4",
]


def test_an_upload_with_row_errors_shows_them_and_imports_nothing(new_page, site, tmp_path):
    site.require_page("/data")
    bad = tmp_path / "stays-with-errors.csv"
    bad.write_text("\n".join([HEADER, *STAYS]) + "\n", encoding="utf-8")
    page = new_page()
    sign_in(page, site, CAST["analyst"])
    page.goto(site.url("/data"))
    page.select_option("select[name=kind]", "stays")
    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.click("form.controls button[type=submit]")
    result = page.locator("section.result")
    assert "rejected" in (result.get_attribute("class") or "")
    errors = result.locator("table tbody tr")
    assert errors.count() >= 2
    rows = {errors.nth(i).locator("th").inner_text() for i in range(errors.count())}
    assert {"3", "5"} <= rows, rows  # the file's own line numbers (header = 1)
    screenshot(page, "analyst-upload-errors-desktop")
    assert_accessible(page)
