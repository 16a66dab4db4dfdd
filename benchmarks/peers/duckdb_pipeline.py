"""Peer: Flyt's full KPI table from the canonical CSV files in one plain DuckDB script.

    python benchmarks/peers/duckdb_pipeline.py DATA_DIR --cutoff 2026-11-01 --output kpi.csv

What a data engineer would write by hand to get the numbers of spec/kpi.md (as Flyt
implements them, docs/kpi-rules.md) out of `stays.csv`, `ukp_periods.csv` and
`short_stays.csv`: no validation, no database file, no import log, nothing kept but the
table. It is the yardstick of issue 11 and must agree with ``flyt kpi --rolling
--format csv`` on every cell (benchmarks/peers/check.py proves it).

The files come from one source (``flyt generate``), so a stay is keyed by its id alone.
The community's municipalities, regions and short-term units are the reference CSV files
Flyt ships (``--reference`` for others). Independent of the ``flyt`` package on purpose.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

import duckdb

DEFAULT_REFERENCE = Path(__file__).resolve().parents[2] / "src" / "flyt" / "reference"
HOME = "('hjem', 'hjem_med_tjenester')"
SECTORS = "SELECT * FROM (VALUES ('somatikk', 'somatikk'), ('psykisk_helsevern', " \
          "'psykisk_helsevern'), ('somatikk', 'alle'), ('psykisk_helsevern', 'alle')) " \
          "t(sector, sector_group)"


def load(con: duckdb.DuckDBPyConnection, data: Path, reference: Path, cutoff: str) -> None:
    """The records as of the cut-off: nothing after it exists (admissions and starts after
    it are dropped; a discharge or end after it has not happened yet)."""
    ts = "timestampformat = '%Y-%m-%dT%H:%M'"
    con.execute(f"""
        CREATE TABLE stay AS
        SELECT stay_id, patient_id, municipality, sector, admission_type, admitted_at,
               ready_at,
               CASE WHEN discharged_at <= {cutoff} THEN discharged_at END AS discharged_at,
               CASE WHEN discharged_at <= {cutoff} THEN discharge_destination END AS destination
        FROM read_csv('{data / "stays.csv"}', {ts},
                      types = {{'municipality': 'VARCHAR', 'admitted_at': 'TIMESTAMP',
                                'ready_at': 'TIMESTAMP', 'discharged_at': 'TIMESTAMP'}})
        WHERE admitted_at <= {cutoff}""")
    con.execute(f"""
        CREATE TABLE period_file AS
        SELECT stay_id, ready_from, ready_to
        FROM read_csv('{data / "ukp_periods.csv"}', {ts},
                      types = {{'ready_from': 'TIMESTAMP', 'ready_to': 'TIMESTAMP'}})""")
    con.execute(f"""
        CREATE TABLE short_stay AS
        SELECT municipality, unit, started_at, ended_at
        FROM read_csv('{data / "short_stays.csv"}', {ts},
                      types = {{'municipality': 'VARCHAR', 'started_at': 'TIMESTAMP',
                                'ended_at': 'TIMESTAMP'}})
        WHERE started_at <= {cutoff}""")
    con.execute(f"""
        CREATE TABLE member AS
        WITH m AS (SELECT * FROM read_csv('{reference / "municipalities.csv"}',
                                          types = {{'kommunenummer': 'VARCHAR'}}))
        SELECT kommunenummer AS municipality, 'municipality' AS group_type,
               kommunenummer AS group_id FROM m
        UNION ALL SELECT kommunenummer, 'region', region FROM m
        UNION ALL SELECT kommunenummer, 'community', 'all' FROM m""")
    con.execute(f"""
        CREATE TABLE short_unit AS
        SELECT unit FROM read_csv('{reference / "units.csv"}') WHERE kind = 'short_term'""")


def ukp(con: duckdb.DuckDBPyConnection, cutoff: str) -> None:
    """UKP periods, days and stays as of the cut-off."""
    # A stay's periods: the periods file when it lists the stay, else its ready_at
    # until discharge. A period ends at its withdrawal, discharge or the cut-off.
    con.execute(f"""
        CREATE TABLE period AS
        WITH declared AS (
            SELECT stay_id, ready_from AS start_at, ready_to AS stop_at FROM period_file
            UNION ALL
            SELECT stay_id, ready_at, NULL FROM stay
            WHERE ready_at IS NOT NULL
              AND stay_id NOT IN (SELECT stay_id FROM period_file))
        SELECT s.stay_id, d.start_at,
               least(coalesce(d.stop_at, {cutoff}), coalesce(s.discharged_at, {cutoff}),
                     {cutoff}) AS end_at
        FROM declared d JOIN stay s USING (stay_id)
        WHERE d.start_at <= {cutoff}""")
    # One row per night in hospital while ready; overlapping periods count a day once.
    con.execute("""
        CREATE TABLE ukp_day AS
        SELECT DISTINCT stay_id, start_at::DATE + k::INTEGER AS d
        FROM period, unnest(range(0, end_at::DATE - start_at::DATE)) AS t(k)""")
    con.execute("""
        CREATE TABLE ukp_stay AS
        SELECT s.stay_id, s.patient_id, s.municipality, s.sector, s.discharged_at,
               s.destination, coalesce(n.days, 0) AS ukp_days
        FROM (SELECT DISTINCT stay_id FROM period) p
        JOIN stay s USING (stay_id)
        LEFT JOIN (SELECT stay_id, count(*) AS days FROM ukp_day GROUP BY stay_id) n
            USING (stay_id)""")


def facts(con: duckdb.DuckDBPyConnection, cutoff: str) -> None:
    """Numerator and denominator per month x municipality x sector x KPI (KPI 6 also per
    unit)."""
    con.execute("""
        CREATE TABLE readmitted AS
        SELECT DISTINCT u.stay_id
        FROM ukp_stay u JOIN stay r ON r.patient_id = u.patient_id
        WHERE u.destination <> 'dod' AND r.admission_type = 'akutt'
          AND r.admitted_at > u.discharged_at + INTERVAL 8 HOUR
          AND r.admitted_at <= u.discharged_at + INTERVAL 720 HOUR""")
    con.execute(f"""
        CREATE TABLE fact AS
        SELECT date_trunc('month', d.d)::DATE AS month, u.municipality, u.sector, 1 AS kpi,
               count(*) AS num, NULL::BIGINT AS den
        FROM ukp_day d JOIN ukp_stay u USING (stay_id)
        GROUP BY ALL
        UNION ALL
        SELECT month, municipality, sector, kpi,
               CASE kpi WHEN 2 THEN zero WHEN 3 THEN days WHEN 4 THEN home ELSE readm END,
               CASE WHEN kpi IN (2, 3) THEN stays ELSE alive END
        FROM (SELECT date_trunc('month', u.discharged_at)::DATE AS month, u.municipality,
                     u.sector, count(*) AS stays,
                     count(*) FILTER (WHERE u.ukp_days = 0) AS zero,
                     sum(u.ukp_days) AS days,
                     count(*) FILTER (WHERE u.destination <> 'dod') AS alive,
                     count(*) FILTER (WHERE u.destination IN {HOME}) AS home,
                     count(r.stay_id) AS readm
              FROM ukp_stay u LEFT JOIN readmitted r USING (stay_id)
              WHERE u.discharged_at IS NOT NULL
              GROUP BY ALL),
             (VALUES (2), (3), (4), (5)) k(kpi)""")
    con.execute(f"""
        CREATE TABLE short_fact AS
        SELECT date_trunc('month', ended_at)::DATE AS month, municipality, unit,
               sum(ended_at::DATE - started_at::DATE) AS num, count(*) AS den
        FROM short_stay WHERE ended_at <= {cutoff}
        GROUP BY ALL""")


def table(con: duckdb.DuckDBPyConnection, cutoff: str) -> duckdb.DuckDBPyRelation:
    """Every cell of every month from the first with data to the cut-off's, with its
    rolling 12 months, rounded half up."""
    con.execute(f"""
        CREATE TABLE months AS
        SELECT unnest(range(first, date_trunc('month', {cutoff}) + INTERVAL 1 MONTH,
                            INTERVAL 1 MONTH))::DATE AS month
        FROM (SELECT date_trunc('month', least((SELECT min(admitted_at) FROM stay),
                                               (SELECT min(started_at) FROM short_stay)))
                     AS first)""")
    con.execute(f"""
        CREATE TABLE cell AS
        WITH rolled AS (
            SELECT f.month, m.group_type, m.group_id, s.sector_group AS sector, f.kpi,
                   sum(f.num) AS num, sum(f.den) AS den
            FROM fact f JOIN member m USING (municipality) JOIN ({SECTORS}) s USING (sector)
            GROUP BY ALL
            UNION ALL
            SELECT f.month, m.group_type, m.group_id, 'alle', 6, sum(f.num), sum(f.den)
            FROM short_fact f JOIN member m USING (municipality) GROUP BY ALL
            UNION ALL
            SELECT month, 'unit', unit, 'alle', 6, sum(num), sum(den)
            FROM short_fact GROUP BY ALL),
        grid AS (
            SELECT month, group_type, group_id, sector_group AS sector, kpi
            FROM months, (SELECT DISTINCT group_type, group_id FROM member),
                 (SELECT DISTINCT sector_group FROM ({SECTORS})),
                 (VALUES (1), (2), (3), (4), (5)) k(kpi)
            UNION ALL
            SELECT month, group_type, group_id, 'alle', 6
            FROM months, (SELECT DISTINCT group_type, group_id FROM member
                          UNION ALL SELECT 'unit', unit FROM short_unit))
        SELECT g.*, coalesce(r.num, 0) AS num,
               CASE WHEN g.kpi <> 1 THEN coalesce(r.den, 0) END AS den
        FROM grid g LEFT JOIN rolled r USING (month, group_type, group_id, sector, kpi)""")
    con.execute("""
        CREATE TABLE windowed AS
        SELECT *,
               CASE WHEN count(*) OVER w = 12 THEN sum(num) OVER w END AS num_12m,
               CASE WHEN count(*) OVER w = 12 THEN sum(den) OVER w END AS den_12m
        FROM cell
        WINDOW w AS (PARTITION BY group_type, group_id, sector, kpi ORDER BY month
                     ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)""")

    def value(num: str, den: str) -> str:
        # Shares in percent with one decimal, means with two, both rounded half up on
        # integers (exact); KPI 1 is the count; an empty denominator is no value.
        return f"""CASE WHEN kpi = 1 THEN {num}::DOUBLE
                        WHEN {den} = 0 THEN NULL
                        WHEN kpi IN (2, 4, 5) THEN ((2000 * {num} + {den}) // (2 * {den})) / 10
                        ELSE ((200 * {num} + {den}) // (2 * {den})) / 100 END"""

    return con.sql(f"""
        SELECT strftime(month, '%Y-%m') AS month, group_type, group_id, sector, kpi,
               {value('num', 'den')} AS value, num AS numerator, den AS denominator,
               kpi = 5 AND {cutoff} < month + INTERVAL 1 MONTH + INTERVAL 30 DAY
                   AS preliminary,
               {value('num_12m', 'den_12m')} AS value_12m, num_12m AS numerator_12m,
               den_12m AS denominator_12m
        FROM windowed
        ORDER BY month, kpi, group_type, group_id, sector""")


def run(data: Path, cutoff: datetime, output: Path, reference: Path = DEFAULT_REFERENCE,
        ) -> None:
    literal = f"TIMESTAMP '{cutoff:%Y-%m-%d %H:%M:%S}'"
    con = duckdb.connect()
    load(con, data, reference, literal)
    ukp(con, literal)
    facts(con, literal)
    result = table(con, literal)
    if output.suffix == ".parquet":
        result.write_parquet(str(output))
    else:
        result.write_csv(str(output))
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="Folder with stays.csv, ukp_periods.csv, "
                        "short_stays.csv (flyt generate --output).")
    parser.add_argument("--cutoff", type=datetime.fromisoformat, required=True,
                        help="Data as of this moment (a date = 00:00).")
    parser.add_argument("--output", type=Path, required=True, help="CSV or .parquet file.")
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                        help="Folder with municipalities.csv and units.csv.")
    args = parser.parse_args()
    run(args.data, args.cutoff, args.output, args.reference)


if __name__ == "__main__":
    main()
