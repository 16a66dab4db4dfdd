"""The demo generator: reproducible, valid against the import rules, calibrated.

The calibration figures are recomputed here from the CSV files with DuckDB
(UKP days as in spec/kpi.md: union of a stay's periods, day by day), not taken
from the generator's own summary.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flyt.demo.generate import DEFAULT_STAYS, format_calibration, generate
from flyt.domain.codes import ADMISSION_TYPES, DISCHARGE_DESTINATIONS, SECTORS, SEXES

UNTIL = date(2026, 11, 1)
REFERENCE = Path(__file__).parents[1] / "src" / "flyt" / "reference"
TS = "'%Y-%m-%dT%H:%M'"
ISO = r"'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$'"


def _sql_list(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _ts(col: str) -> str:
    return f'strptime("{col}", {TS}) AS "{col}"'


def _open(folder: Path) -> duckdb.DuckDBPyConnection:
    """The four files as typed views, plus the reference data as tables."""
    con = duckdb.connect()
    raw = {k: f"read_csv('{folder / (k + '.csv')}', header=true, all_varchar=true, delim=',')"
           for k in ("stays", "ukp_periods", "short_stays", "beds")}
    for kind, src in raw.items():
        con.execute(f"CREATE VIEW raw_{kind} AS SELECT * FROM {src}")
    con.execute(f"""CREATE VIEW stays AS SELECT stay_id, patient_id, municipality, sector,
        admission_type, {_ts('admitted_at')}, {_ts('ready_at')}, {_ts('discharged_at')},
        discharge_destination, location, department, CAST(birth_year AS INT) AS birth_year, sex,
        CAST(frailty_score AS INT) AS frailty_score FROM raw_stays""")
    con.execute(f"CREATE VIEW periods AS SELECT stay_id, {_ts('ready_from')}, {_ts('ready_to')} "
                "FROM raw_ukp_periods")
    con.execute(f"""CREATE VIEW short AS SELECT stay_id, patient_id, municipality, unit,
        {_ts('started_at')}, {_ts('ended_at')}, from_hospital FROM raw_short_stays""")
    con.execute(f"""CREATE VIEW beds AS SELECT unit, {_ts('at')}, CAST(available AS INT) AS
        available, CAST(occupied AS INT) AS occupied FROM raw_beds""")
    for table, name in (("munis", "municipalities.csv"), ("units", "units.csv")):
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM "
                    f"read_csv('{REFERENCE / name}', all_varchar=true)")
    return con


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def _ukp_days(con: duckdb.DuckDBPyConnection, until: date) -> None:
    """Table ukp_day(stay_id, sector, day): one row per UKP day, periods united."""
    con.execute(f"""
        CREATE OR REPLACE TABLE ukp_day AS
        WITH p AS (
            SELECT s.stay_id, s.sector, p.ready_from AS f,
                   coalesce(p.ready_to, s.discharged_at, DATE '{until}') AS t
            FROM periods p JOIN stays s USING (stay_id)
            UNION ALL
            SELECT stay_id, sector, ready_at, coalesce(discharged_at, DATE '{until}')
            FROM stays
            WHERE ready_at IS NOT NULL AND stay_id NOT IN (SELECT stay_id FROM periods)
        )
        SELECT DISTINCT stay_id, sector, d::DATE AS day
        FROM p, LATERAL unnest(generate_series(f::DATE, t::DATE - 1, INTERVAL 1 DAY)) AS g(d)
        WHERE f::DATE < t::DATE""")


def _days_by_year(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    return dict(con.execute(
        "SELECT year(day), count(*) FROM ukp_day GROUP BY 1 ORDER BY 1").fetchall())


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return next(csv.reader(f))


@pytest.fixture(scope="module")
def default(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    summary = generate(folder, until=UNTIL)
    con = _open(folder)
    _ukp_days(con, UNTIL)
    return summary, con


def test_it_writes_the_requested_number_of_stays_and_the_four_files(default):
    summary, con = default
    assert summary.stays == DEFAULT_STAYS == _count(con, "SELECT count(*) FROM stays")
    assert set(summary.files) == {"stays", "ukp_periods", "short_stays", "beds"}
    assert summary.ukp_stays == _count(con, "SELECT count(*) FROM stays WHERE ready_at NOT NULL")
    assert summary.ukp_periods == _count(con, "SELECT count(*) FROM periods")
    assert summary.short_stays == _count(con, "SELECT count(*) FROM short")
    assert summary.bed_censuses == _count(con, "SELECT count(*) FROM beds")
    assert _header(summary.files["stays"]) == [
        "stay_id", "patient_id", "municipality", "sector", "admission_type", "admitted_at",
        "ready_at", "discharged_at", "discharge_destination", "location", "department",
        "birth_year", "sex", "frailty_score"]
    assert _header(summary.files["ukp_periods"]) == ["stay_id", "ready_from", "ready_to"]
    assert _header(summary.files["short_stays"]) == [
        "stay_id", "patient_id", "municipality", "unit", "started_at", "ended_at",
        "from_hospital"]
    assert _header(summary.files["beds"]) == ["unit", "at", "available", "occupied"]


STAY_RULES = {
    "stay_id not unique": "SELECT count(*) - count(DISTINCT stay_id) FROM raw_stays",
    "bad patient_id": r"SELECT count(*) FROM raw_stays "
                      r"WHERE NOT regexp_matches(patient_id, '^P\d{8,}$')",
    "unknown municipality": "SELECT count(*) FROM raw_stays WHERE municipality NOT IN "
                            "(SELECT kommunenummer FROM munis) OR length(municipality) <> 4",
    "bad sector": f"SELECT count(*) FROM raw_stays WHERE sector NOT IN {_sql_list(SECTORS)}",
    "bad admission type": "SELECT count(*) FROM raw_stays WHERE admission_type NOT IN "
                          f"{_sql_list(ADMISSION_TYPES)}",
    "bad date format": f"""SELECT count(*) FROM raw_stays
        WHERE NOT regexp_matches(admitted_at, {ISO})
        OR NOT regexp_matches(coalesce(ready_at, '2020-01-01T00:00'), {ISO})
        OR NOT regexp_matches(coalesce(discharged_at, '2020-01-01T00:00'), {ISO})""",
    "ready before admission": "SELECT count(*) FROM stays WHERE ready_at < admitted_at",
    "discharge before ready": "SELECT count(*) FROM stays WHERE discharged_at < ready_at",
    "discharge before admission": "SELECT count(*) FROM stays WHERE discharged_at < admitted_at",
    "destination iff discharged": "SELECT count(*) FROM stays WHERE "
                                  "(discharge_destination IS NULL) <> (discharged_at IS NULL)",
    "bad destination": "SELECT count(*) FROM stays WHERE discharge_destination NOT IN "
                       f"{_sql_list(DISCHARGE_DESTINATIONS)}",
    "bad location": "SELECT count(*) FROM stays WHERE location NOT IN "
                    "(SELECT unit FROM units WHERE kind IN ('hospital', 'aftercare'))",
    "location without UKP": "SELECT count(*) FROM stays "
                            "WHERE location NOT NULL AND ready_at IS NULL",
    "bad sex": f"SELECT count(*) FROM stays WHERE sex NOT IN {_sql_list(SEXES)} OR sex IS NULL",
    "bad frailty": "SELECT count(*) FROM stays WHERE frailty_score NOT BETWEEN 1 AND 9",
    "bad birth year": "SELECT count(*) FROM stays WHERE birth_year IS NULL "
                      "OR birth_year > year(admitted_at) OR birth_year < 1900",
    "missing department": "SELECT count(*) FROM stays WHERE department IS NULL",
    "after the cut-off": f"""SELECT count(*) FROM stays WHERE admitted_at >= DATE '{UNTIL}'
        OR ready_at >= DATE '{UNTIL}' OR discharged_at >= DATE '{UNTIL}'""",
    "overlapping stays of a patient": """SELECT count(*) FROM (SELECT admitted_at,
        lag(discharged_at) OVER (PARTITION BY patient_id ORDER BY admitted_at) AS prev,
        lag(admitted_at) OVER (PARTITION BY patient_id ORDER BY admitted_at) AS prev_in
        FROM stays) WHERE admitted_at < prev OR (prev IS NULL AND prev_in IS NOT NULL)""",
    "a stay after death": """SELECT count(*) FROM stays a JOIN stays b USING (patient_id)
        WHERE a.discharge_destination = 'dod' AND b.admitted_at > a.admitted_at""",
}

PERIOD_RULES = {
    "unknown stay": "SELECT count(*) FROM periods WHERE stay_id NOT IN (SELECT stay_id FROM stays)",
    "duplicate period": "SELECT count(*) - count(DISTINCT (stay_id, ready_from)) FROM periods",
    "bad date format": f"""SELECT count(*) FROM raw_ukp_periods
        WHERE NOT regexp_matches(ready_from, {ISO})
        OR NOT regexp_matches(coalesce(ready_to, '2020-01-01T00:00'), {ISO})""",
    "outside the stay": """SELECT count(*) FROM periods p JOIN stays s USING (stay_id)
        WHERE p.ready_from < s.admitted_at OR p.ready_from > s.discharged_at
        OR p.ready_to > s.discharged_at OR p.ready_to < p.ready_from""",
    "ready_at is not the first period": """SELECT count(*) FROM (SELECT stay_id, min(ready_from)
        AS first FROM periods GROUP BY 1) JOIN stays s USING (stay_id)
        WHERE s.ready_at IS DISTINCT FROM first""",
    "overlapping or open non-last period": """SELECT count(*) FROM (SELECT ready_from, ready_to,
        lead(ready_from) OVER (PARTITION BY stay_id ORDER BY ready_from) AS next FROM periods)
        WHERE next IS NOT NULL AND (ready_to IS NULL OR ready_to > next)""",
    "after the cut-off": f"""SELECT count(*) FROM periods WHERE ready_from >= DATE '{UNTIL}'
        OR ready_to >= DATE '{UNTIL}'""",
}

SHORT_RULES = {
    "stay_id not unique": "SELECT count(*) - count(DISTINCT stay_id) FROM short",
    "unknown municipality": "SELECT count(*) FROM short WHERE municipality NOT IN "
                            "(SELECT kommunenummer FROM munis)",
    "not the municipality's short-term unit": """SELECT count(*) FROM short s LEFT JOIN units u
        ON u.unit = s.unit AND u.kind = 'short_term' AND u.owner = s.municipality
        WHERE u.unit IS NULL""",
    "ends before it starts": "SELECT count(*) FROM short WHERE ended_at < started_at",
    "bad boolean": "SELECT count(*) FROM short WHERE from_hospital NOT IN ('true', 'false') "
                   "OR from_hospital IS NULL",
    "bad date format": f"""SELECT count(*) FROM raw_short_stays
        WHERE NOT regexp_matches(started_at, {ISO})
        OR NOT regexp_matches(coalesce(ended_at, '2020-01-01T00:00'), {ISO})""",
    "after the cut-off": f"""SELECT count(*) FROM short WHERE started_at >= DATE '{UNTIL}'
        OR ended_at >= DATE '{UNTIL}'""",
    "from hospital without a discharge to korttidsopphold": """SELECT count(*) FROM short k
        WHERE from_hospital = 'true' AND NOT EXISTS (SELECT 1 FROM stays s
        WHERE s.patient_id = k.patient_id AND s.discharge_destination = 'korttidsopphold'
        AND k.started_at BETWEEN s.discharged_at AND s.discharged_at + INTERVAL 3 HOUR)""",
}

BED_RULES = {
    # spec/formats.md: the bed census of after-care and short-term units
    "not an after-care or short-term unit": "SELECT count(*) FROM beds WHERE unit NOT IN "
        "(SELECT unit FROM units WHERE kind IN ('aftercare', 'short_term'))",
    "available is not the unit's beds": """SELECT count(*) FROM beds b JOIN units u USING (unit)
        WHERE b.available <> CAST(u.beds_default AS INT) OR b.available <= 0""",
    "negative occupancy": "SELECT count(*) FROM beds WHERE occupied < 0 OR occupied IS NULL",
    "not Monday or Thursday 08:00": "SELECT count(*) FROM beds WHERE isodow(\"at\") NOT IN (1, 4) "
                                    "OR hour(\"at\") <> 8 OR minute(\"at\") <> 0",
    "duplicate census": "SELECT count(*) - count(DISTINCT (unit, \"at\")) FROM beds",
    "after the cut-off": f"SELECT count(*) FROM beds WHERE \"at\" >= DATE '{UNTIL}'",
}


@pytest.mark.parametrize("rules", [STAY_RULES, PERIOD_RULES, SHORT_RULES, BED_RULES],
                         ids=["stays", "ukp_periods", "short_stays", "beds"])
def test_every_row_satisfies_the_import_rules(default, rules):
    _, con = default
    broken = {name: n for name, sql in rules.items() if (n := _count(con, sql))}
    assert broken == {}


def test_the_stays_look_like_a_hospital(default):
    _, con = default
    somatic, acute = con.execute("""SELECT avg((sector = 'somatikk')::INT),
        avg((admission_type = 'akutt')::INT) FROM stays""").fetchone()
    assert 0.82 <= somatic <= 0.88
    assert 0.66 <= acute <= 0.74
    assert _count(con, "SELECT count(*) FROM stays WHERE discharged_at IS NULL") > 100
    # several stays per patient are common
    assert _count(con, """SELECT count(*) FROM (SELECT patient_id FROM stays GROUP BY 1
        HAVING count(*) > 1)""") > 10_000
    # after UKP: korttidsopphold first, then hjem_med_tjenester; some die
    dest = [d for d, _ in con.execute("""SELECT discharge_destination, count(*) FROM stays
        WHERE ready_at NOT NULL AND discharge_destination NOT NULL GROUP BY 1 ORDER BY 2 DESC"""
                                      ).fetchall()]
    assert dest[:2] == ["korttidsopphold", "hjem_med_tjenester"] and "dod" in dest
    # frailer among UKP
    ukp, other = con.execute("""SELECT avg(frailty_score) FILTER (ready_at NOT NULL),
        avg(frailty_score) FILTER (ready_at IS NULL) FROM stays""").fetchone()
    assert ukp > other + 1


def test_municipalities_and_locations_differ(default):
    _, con = default
    per_muni = dict(con.execute("""SELECT municipality, count(*) FROM stays
        WHERE ready_at NOT NULL GROUP BY 1""").fetchall())
    assert max(per_muni, key=per_muni.get) == "5001"
    assert per_muni["5020"] < per_muni["5001"] / 50 and per_muni["5033"] < per_muni["5001"] / 50
    mean_days = dict(con.execute("""SELECT municipality, count(*) / count(DISTINCT stay_id)
        FROM ukp_day JOIN stays USING (stay_id) GROUP BY 1""").fetchall())
    assert max(mean_days.values()) > 1.5 * min(mean_days.values())
    where = dict(con.execute("""SELECT location, count(*) FROM stays WHERE ready_at NOT NULL
        GROUP BY 1""").fetchall())
    assert where["St. Olavs hospital"] > where["Orkdal sykehus"] > where["Øya helsehus"]
    assert where["Røros sykehus"] > 0 and where["Fosen DMS"] > 0
    assert _count(con, """SELECT count(*) FROM stays s JOIN munis m
        ON m.kommunenummer = s.municipality WHERE s.location = 'Røros sykehus'
        AND m.region <> 'Fjellregionen'""") == 0


def test_readmissions_populate_the_kpi5_edges(default):
    _, con = default
    gaps = dict(con.execute("""SELECT gap, count(*) FROM (
        SELECT date_diff('minute', s.discharged_at, r.admitted_at) AS gap
        FROM stays s JOIN stays r ON r.patient_id = s.patient_id AND r.admitted_at > s.admitted_at
        WHERE s.ready_at NOT NULL AND r.admission_type = 'akutt')
        WHERE gap IN (479, 480, 481, 43199, 43200, 43201) GROUP BY 1""").fetchall())
    assert all(gaps.get(g, 0) > 0 for g in (480, 481, 43200, 43201))


def test_some_ukp_stays_are_withdrawn_and_declared_ready_again(default):
    summary, con = default
    stays_with_periods = _count(con, "SELECT count(DISTINCT stay_id) FROM periods")
    assert 0.01 * summary.ukp_stays < stays_with_periods < 0.03 * summary.ukp_stays
    assert _count(con, """SELECT count(*) FROM (SELECT stay_id FROM periods GROUP BY 1
        HAVING count(*) = 2 AND count(ready_to) = 1)""") > 0.8 * stays_with_periods


def test_short_stays_and_beds_look_like_the_municipalities(default):
    _, con = default
    from_hospital, ongoing, median = con.execute("""SELECT avg((from_hospital = 'true')::INT),
        count(*) FILTER (ended_at IS NULL),
        median(date_diff('day', started_at, ended_at)) FROM short""").fetchone()
    assert 0.4 < from_hospital < 0.8 and ongoing > 10 and 12 <= median <= 28
    units = {u for (u,) in con.execute("SELECT DISTINCT unit FROM short WHERE municipality = '5001'"
                                        ).fetchall()}
    assert units == {"Øya helsehus korttid", "Trondheim korttid"}
    counted = {u for (u,) in con.execute("SELECT DISTINCT unit FROM beds").fetchall()}
    short_term = {u for (u,) in con.execute(
        "SELECT unit FROM units WHERE kind = 'short_term'").fetchall()}
    assert counted == {"Røros sykehus", "Øya helsehus", "Fosen DMS", *short_term}
    assert len(short_term) == 21
    # A short-term unit's count holds its demo short-term stays under way (others too).
    assert _count(con, """SELECT count(*) FROM beds b WHERE b.unit = 'Trondheim korttid'
        AND b.occupied < (SELECT count(*) FROM short s WHERE s.unit = b.unit
            AND s.started_at <= b."at" AND (s.ended_at IS NULL OR s.ended_at > b."at"))""") == 0
    assert _count(con, "SELECT count(*) FROM beds WHERE occupied > available") > 0
    assert _count(con, "SELECT count(*) FROM beds WHERE occupied <= available") > 0


def test_the_calibration_holds_in_the_files(default):
    summary, con = default
    by_year = _days_by_year(con)
    assert by_year == summary.ukp_days_by_year  # the generator counts as the KPI rules do
    assert abs(by_year[2022] / 11588 - 1) <= 0.03
    assert 1.8 <= by_year[2022] / by_year[2019] <= 2.2
    assert 0.9 <= by_year[2023] / by_year[2022] <= 1.1
    assert by_year[2024] < by_year[2023] and by_year[2025] < by_year[2024]
    for sector, limit, lo, hi in (("somatikk", 8, 11, 15), ("psykisk_helsevern", 18, 3.5, 6.5)):
        share_stays, share_days = con.execute(f"""
            WITH t AS (SELECT s.stay_id, count(d.day) AS days FROM stays s
                LEFT JOIN ukp_day d USING (stay_id)
                WHERE year(s.ready_at) = 2022 AND s.sector = '{sector}' GROUP BY 1)
            SELECT 100 * avg((days > {limit})::INT),
                   100 * sum(days) FILTER (days > {limit}) / sum(days) FROM t""").fetchone()
        assert lo <= share_stays <= hi, sector
        assert share_days > 50, sector
    zero = con.execute("""SELECT avg((n = 0)::INT) FROM (SELECT s.stay_id, count(d.day) AS n
        FROM stays s LEFT JOIN ukp_day d USING (stay_id) WHERE year(s.ready_at) = 2022
        GROUP BY 1)""").fetchone()[0]
    assert 0.2 <= zero <= 0.45
    season = dict(con.execute("""SELECT m, avg(n) / (SELECT count(*) / 730 FROM ukp_day
            WHERE year(day) IN (2022, 2023)) FROM (
        SELECT day, CASE WHEN month(day) = 7 THEN 'july' WHEN month(day) <= 2 THEN 'winter'
            ELSE 'other' END AS m, count(*) AS n
        FROM ukp_day WHERE year(day) IN (2022, 2023) GROUP BY 1, 2) GROUP BY 1""").fetchall())
    assert season["july"] > 1 and season["winter"] > 1
    readmitted = con.execute(f"""SELECT avg(EXISTS (SELECT 1 FROM stays r
        WHERE r.patient_id = s.patient_id AND r.admission_type = 'akutt'
        AND r.admitted_at > s.discharged_at + INTERVAL 8 HOUR
        AND r.admitted_at <= s.discharged_at + INTERVAL 720 HOUR)::INT)
        FROM stays s WHERE s.ready_at NOT NULL AND s.discharge_destination <> 'dod'
        AND s.discharged_at <= DATE '{UNTIL}' - INTERVAL 30 DAY""").fetchone()[0]
    assert 0.10 <= readmitted <= 0.20


def test_the_generator_reports_its_calibration_as_met(default):
    summary, _ = default
    assert len(summary.calibration) >= 12
    assert [line.name for line in summary.calibration if not line.ok] == []
    table = format_calibration(summary)
    assert "UKP days 2022" in table and "NO" not in table.split()


def test_it_is_deterministic_for_a_seed(tmp_path):
    args = {"stays": 20_000, "until": date(2024, 6, 15)}
    a = generate(tmp_path / "a", seed=3, **args)
    b = generate(tmp_path / "b", seed=3, **args)
    c = generate(tmp_path / "c", seed=4, **args)
    for kind in a.files:
        assert a.files[kind].read_bytes() == b.files[kind].read_bytes(), kind
    assert a.files["stays"].read_bytes() != c.files["stays"].read_bytes()
    assert a.files["short_stays"].read_bytes() != c.files["short_stays"].read_bytes()


def test_ukp_days_scale_with_the_number_of_stays(tmp_path, default):
    small = generate(tmp_path, stays=30_000, until=UNTIL)
    con = _open(tmp_path)
    _ukp_days(con, UNTIL)
    ratio = _days_by_year(con)[2022] / _days_by_year(default[1])[2022]
    assert 0.095 <= ratio <= 0.105
    assert small.stays == 30_000


def test_a_cut_off_inside_the_data_leaves_open_stays_and_periods(tmp_path):
    until = date(2023, 3, 9)
    summary = generate(tmp_path, stays=40_000, seed=5, until=until)
    con = _open(tmp_path)
    assert _count(con, f"""SELECT count(*) FROM stays WHERE admitted_at >= DATE '{until}'
        OR discharged_at >= DATE '{until}'""") == 0
    assert _count(con, "SELECT count(*) FROM stays WHERE ready_at NOT NULL "
                       "AND discharged_at IS NULL") > 2
    assert max(summary.ukp_days_by_year) == 2023


def test_it_refuses_an_empty_period(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, stays=1000, start=date(2024, 1, 1), until=date(2024, 1, 1))
