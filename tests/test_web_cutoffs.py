"""A cut-off chosen on the web is bounded (issue 10 §3.6): readers and municipality users
choose days, not minutes; nobody chooses the future; each user may have only a few new
cut-offs computed an hour; and only so many result sets are kept."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from flyt.engine import compute
from flyt.web.pages import common
from tests.support.web import demo_csv, site  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def fresh_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "_new_cutoffs", common.Quota())


def cutoff_of(site, who: str, cutoff: str) -> tuple[int, str | None]:  # noqa: F811
    response = site.as_(who).get("/index.json", params={"cutoff": cutoff})
    return response.status_code, response.json().get("cutoff") if response.is_success \
        else None


def test_a_reader_chooses_a_day_and_an_analyst_a_minute(site):  # noqa: F811
    assert cutoff_of(site, "reader", "2024-05-20T13:37") == (200, "2024-05-20T00:00")
    assert cutoff_of(site, "malvik", "2024-05-20T13:37") == (200, "2024-05-20T00:00")
    assert cutoff_of(site, "analyst", "2024-05-20T13:37") == (200, "2024-05-20T13:37")


def test_a_cut_off_in_the_future_is_refused(site):  # noqa: F811
    response = site.as_("reader").get("/index.json", params={"cutoff": "2999-01-01"})
    assert response.status_code == 422 and "future" in response.text


def test_a_reader_gets_six_new_cut_offs_an_hour_and_the_computed_ones_for_free(site):  # noqa: F811
    days = [f"2024-04-{d:02d}" for d in range(1, 8)]
    assert [cutoff_of(site, "reader", d)[0] for d in days[:6]] == [200] * 6
    assert cutoff_of(site, "reader", days[6])[0] == 429
    # Already computed, or the default: no work, no count.
    assert cutoff_of(site, "reader", days[0])[0] == 200
    assert site.as_("reader").get("/index.json").status_code == 200
    # Another user has a quota of their own.
    assert cutoff_of(site, "melhus", days[6])[0] == 200


def test_only_the_newest_result_sets_are_kept(site, monkeypatch):  # noqa: F811
    monkeypatch.setattr(compute, "MAX_RESULT_SETS", 3)
    for day in ("2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-05"):
        assert cutoff_of(site, "analyst", day)[0] == 200
    with site.app.state.db.engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT COUNT(*) FROM result_sets")).scalar_one()
        rows = conn.execute(sa.text("SELECT COUNT(DISTINCT cutoff) FROM kpi_results")
                            ).scalar_one()
    assert kept == rows == 3
