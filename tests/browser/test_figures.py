"""The overview's tiles show exactly what `flyt kpi` prints for the same month and
cut-off: exact for the hospital's analysts, with disclosure control for readers."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from flyt.reports.monthly import fmt
from tests.browser.conftest import REPO
from tests.browser.helpers import CAST, Site, sign_in

pytestmark = pytest.mark.browser


def flyt_kpi(site: Site, month: str, cutoff: str, suppress: bool) -> dict[tuple, dict]:
    """`flyt kpi` as CSV, keyed by (group_type, group_id, sector, kpi)."""
    args = ["kpi", "--from", month, "--to", month, "--cutoff", cutoff, "--rolling",
            "--db", site.kpi_db_url] + (["--suppress"] if suppress else [])
    done = subprocess.run([sys.executable, "-m", "flyt", *args], env=site.env, cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=True)
    return {(r["group_type"], r["group_id"], r["sector"], int(r["kpi"])): r
            for r in csv.DictReader(io.StringIO(done.stdout))}


def number(text: str) -> float | None:
    return float(text) if text else None


@pytest.mark.parametrize("sector", ["somatikk", "psykisk_helsevern"])
@pytest.mark.parametrize(("role", "suppress"), [("analyst", False), ("reader", True)])
def test_the_overview_tiles_equal_flyt_kpi(new_page, site, role, suppress, sector):
    page = new_page()
    sign_in(page, site, CAST[role])
    page.goto(site.url(f"/?sector={sector}"))
    shown = page.request.get(site.url(f"/index.json?sector={sector}")).json()
    expected = flyt_kpi(site, shown["month"], shown["cutoff"], suppress)
    tiles = page.locator("ul.tiles > li")
    assert tiles.count() == 6
    for i, tile in enumerate(shown["tiles"]):
        row = expected[(tile["group_type"], tile["group_id"], tile["sector"], tile["kpi"])]
        hidden = row.get("suppressed") == "true"
        # The JSON twin carries the number itself ...
        assert tile["hidden"] == hidden, tile
        assert tile["value"] == number(row["value"]), tile
        assert tile["value_12m"] == number(row["value_12m"]), tile
        # ... and the page shows it as the reports write it ("12,3 %", "skjult").
        text = tiles.nth(i).locator(".value").inner_text()
        assert text.startswith(fmt(tile["kpi"], number(row["value"]), "nb", hidden=hidden)), (
            f"KPI {tile['kpi']}: the page shows {text!r}, flyt kpi {row['value']!r}")
