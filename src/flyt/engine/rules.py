"""The KPI rules of spec/kpi.md, each written once, in SQL that DuckDB and PostgreSQL both run.

Every step is a temp table built from the previous ones, named after what it
holds. The cut-off lives in the one-row table ``params``: nothing after it exists
(an admission after it is ignored, a discharge or withdrawal after it has not
happened yet), and day counts are differences of calendar dates.

The SQL sticks to what both engines share: CAST(... AS DATE), date - date =
days, INTERVAL 'n hours', LEAST/GREATEST skipping NULLs, window frames.
"""

from __future__ import annotations

from flyt.domain.codes import DEATH, HOME_DESTINATIONS

_HOME = ", ".join(f"'{d}'" for d in HOME_DESTINATIONS)

# The periods each stay was declared ready for discharge, each with its stay's columns:
# a stay with rows in ukp_periods uses them (found by the stays key); otherwise its
# ready_at opens one period that lasts until discharge. Two branches rather than a
# union joined back to stays, so no engine builds a hash of every stay (the snapshot
# uses this too).
DECLARED = """
declared AS (
    SELECT s.source, s.stay_id, s.patient_id, s.municipality, s.sector, s.location,
           s.department, s.admitted_at, s.discharged_at, s.discharge_destination,
           u.ready_from AS start_at, u.ready_to AS stop_at
    FROM ukp_periods u JOIN stays s ON s.source = u.source AND s.stay_id = u.stay_id
    UNION ALL
    SELECT s.source, s.stay_id, s.patient_id, s.municipality, s.sector, s.location,
           s.department, s.admitted_at, s.discharged_at, s.discharge_destination,
           s.ready_at, NULL
    FROM stays s
    WHERE s.ready_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM ukp_periods u WHERE u.source = s.source AND u.stay_id = s.stay_id)
)"""

# The periods as known at the cut-off: a period ends at the withdrawal, at discharge or
# at the cut-off, whichever comes first.
UKP_PERIOD = f"""
CREATE TEMP TABLE ukp_period AS
WITH {DECLARED}
SELECT d.source, d.stay_id, d.patient_id, d.municipality, d.sector,
       CASE WHEN d.discharged_at <= p.cutoff THEN d.discharged_at END AS discharged_at,
       CASE WHEN d.discharged_at <= p.cutoff THEN d.discharge_destination END AS destination,
       d.start_at,
       LEAST(COALESCE(d.stop_at, p.cutoff), COALESCE(d.discharged_at, p.cutoff), p.cutoff)
           AS end_at
FROM declared d
CROSS JOIN params p
WHERE d.start_at <= p.cutoff AND d.admitted_at <= p.cutoff
"""

# One row per UKP day: a night in hospital while ready. Day d of a period counts when
# date(start) <= d < date(end); a day covered by two overlapping periods counts once.
# The payment ranks these days (the rising rate); the KPIs count them per month in
# stay_month without a row per day, and a test holds the two counts equal.
UKP_DAY = """
CREATE TEMP TABLE ukp_day AS
SELECT DISTINCT p.source, p.stay_id, c.d, c.month
FROM ukp_period p
JOIN calendar c ON c.d >= CAST(p.start_at AS DATE) AND c.d < CAST(p.end_at AS DATE)
"""

# The UKP days of each stay in each month, with the stay's municipality and sector:
# what KPI 1, the whole-stay days and the persons over 12 months are summed from.
# Day d of a period counts when date(start) <= d < date(end), and a day covered by two
# overlapping periods counts once: the periods of a stay are merged into islands first
# (gaps and islands), then each island is cut at month ends and its days counted as
# date differences. No row per day (ukp_day) is made: on PostgreSQL that was 2.2 M rows
# and 8 s at 10 M stays, the islands take 2.6 s.
STAY_MONTH = """
CREATE TEMP TABLE stay_month AS
WITH RECURSIVE span AS (  -- a period as calendar dates: days first_d <= d < stop_d
    SELECT source, stay_id, municipality, sector,
           CAST(start_at AS DATE) AS first_d, CAST(end_at AS DATE) AS stop_d
    FROM ukp_period WHERE CAST(end_at AS DATE) > CAST(start_at AS DATE)
),
reach AS (  -- the furthest any earlier period of the stay reaches
    SELECT span.*, MAX(stop_d) OVER (PARTITION BY source, stay_id ORDER BY first_d, stop_d
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM span
),
island AS (  -- numbered runs of periods that overlap or touch
    SELECT reach.*, SUM(CASE WHEN reach IS NULL OR first_d > reach THEN 1 ELSE 0 END)
                    OVER (PARTITION BY source, stay_id ORDER BY first_d, stop_d
                          ROWS UNBOUNDED PRECEDING) AS k
    FROM reach
),
merged AS (
    SELECT source, stay_id, municipality, sector, MIN(first_d) AS first_d, MAX(stop_d) AS stop_d
    FROM island GROUP BY source, stay_id, municipality, sector, k
),
piece AS (  -- an island cut at month ends: its first month, then each next one it reaches
    SELECT source, stay_id, municipality, sector, first_d, stop_d,
           CAST(date_trunc('month', CAST(first_d AS TIMESTAMP)) AS DATE) AS month
    FROM merged
    UNION ALL
    SELECT source, stay_id, municipality, sector, first_d, stop_d,
           CAST(month + INTERVAL '1 month' AS DATE)
    FROM piece WHERE CAST(month + INTERVAL '1 month' AS DATE) < stop_d
)
SELECT source, stay_id, municipality, sector, month,
       SUM(LEAST(stop_d, CAST(month + INTERVAL '1 month' AS DATE))
           - GREATEST(first_d, month)) AS days
FROM piece
GROUP BY source, stay_id, municipality, sector, month
"""

# One row per UKP stay at the cut-off, with its whole-stay UKP days and, when it has
# ended by the cut-off, its discharge and destination.
UKP_STAY = """
CREATE TEMP TABLE ukp_stay AS
SELECT u.source, u.stay_id, u.patient_id, u.municipality, u.sector, u.discharged_at,
       u.destination, COALESCE(n.days, 0) AS ukp_days
FROM (SELECT DISTINCT source, stay_id, patient_id, municipality, sector, discharged_at,
             destination FROM ukp_period) u
LEFT JOIN (SELECT source, stay_id, SUM(days) AS days FROM stay_month
           GROUP BY source, stay_id) n
    ON n.source = u.source AND n.stay_id = u.stay_id
"""

# KPI 5: a UKP stay discharged alive is a readmission case when the same patient has
# an acute admission (any sector, any source) more than 8 hours and at most 30 x 24
# hours after the discharge, by the wall-clock times as given, before the cut-off.
READMITTED = f"""
CREATE TEMP TABLE readmitted AS
SELECT DISTINCT u.source, u.stay_id
FROM ukp_stay u
JOIN stays r ON r.patient_id = u.patient_id
CROSS JOIN params p
WHERE u.discharged_at IS NOT NULL AND u.destination <> '{DEATH}'
  AND r.admission_type = 'akutt' AND r.admitted_at <= p.cutoff
  AND r.admitted_at > u.discharged_at + INTERVAL '8 hours'
  AND r.admitted_at <= u.discharged_at + INTERVAL '720 hours'
"""

# The finest grain: month x municipality x sector x KPI, with additive numerator,
# denominator and the number of people behind the cell (for disclosure control).
FACT = f"""
CREATE TEMP TABLE fact AS
SELECT month, municipality, sector, 1 AS kpi,
       SUM(days) AS numerator, CAST(NULL AS BIGINT) AS denominator, COUNT(*) AS persons
FROM stay_month
GROUP BY month, municipality, sector
UNION ALL
SELECT m.month, m.municipality, m.sector, k.kpi,
       SUM(CASE k.kpi WHEN 2 THEN m.zero_day WHEN 3 THEN m.ukp_days
                      WHEN 4 THEN m.home ELSE m.readmitted END),
       SUM(CASE WHEN k.kpi IN (2, 3) THEN 1 ELSE m.alive END),
       SUM(CASE WHEN k.kpi IN (2, 3) THEN 1 ELSE m.alive END)
FROM (
    SELECT CAST(date_trunc('month', u.discharged_at) AS DATE) AS month,
           u.municipality, u.sector, u.ukp_days,
           CASE WHEN u.ukp_days = 0 THEN 1 ELSE 0 END AS zero_day,
           CASE WHEN u.destination <> '{DEATH}' THEN 1 ELSE 0 END AS alive,
           CASE WHEN u.destination IN ({_HOME}) THEN 1 ELSE 0 END AS home,
           CASE WHEN r.stay_id IS NOT NULL THEN 1 ELSE 0 END AS readmitted
    FROM ukp_stay u
    LEFT JOIN readmitted r ON r.source = u.source AND r.stay_id = u.stay_id
    WHERE u.discharged_at IS NOT NULL
) m
CROSS JOIN (SELECT 2 AS kpi UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) k
GROUP BY m.month, m.municipality, m.sector, k.kpi
"""

# KPI 6: short-term stays ended by the cut-off, by the month they ended, with their
# length in calendar days; grouped by municipality and by unit.
SHORT_FACT = """
CREATE TEMP TABLE short_fact AS
SELECT CAST(date_trunc('month', s.ended_at) AS DATE) AS month, s.municipality, s.unit,
       SUM(CAST(s.ended_at AS DATE) - CAST(s.started_at AS DATE)) AS numerator,
       COUNT(*) AS denominator
FROM short_stays s CROSS JOIN params p
WHERE s.ended_at <= p.cutoff AND s.started_at <= p.cutoff
GROUP BY 1, 2, 3
"""

# Who belongs to which reporting group: every municipality is its own group, part
# of its region and of the whole community.
GROUP_MEMBER = """
CREATE TEMP TABLE group_member AS
SELECT code AS municipality, 'municipality' AS group_type, code AS group_id FROM municipalities
UNION ALL SELECT code, 'region', region FROM municipalities
UNION ALL SELECT code, 'community', 'all' FROM municipalities
"""

SECTOR_MEMBER = """
CREATE TEMP TABLE sector_member AS
SELECT 'somatikk' AS sector, 'somatikk' AS sector_group
UNION ALL SELECT 'psykisk_helsevern', 'psykisk_helsevern'
UNION ALL SELECT 'somatikk', 'alle'
UNION ALL SELECT 'psykisk_helsevern', 'alle'
"""

# The months reported: from the first month with data (as of the cut-off) to the
# month of the cut-off.
MONTHS = """
CREATE TEMP TABLE months AS
SELECT DISTINCT c.month FROM calendar c CROSS JOIN params p
WHERE c.d <= CAST(p.cutoff AS DATE) AND c.d >= (
    SELECT CAST(date_trunc('month', MIN(t)) AS DATE) FROM (
        SELECT MIN(admitted_at) AS t FROM stays WHERE admitted_at <= p.cutoff
        UNION ALL SELECT MIN(started_at) FROM short_stays WHERE started_at <= p.cutoff
    ) first_seen)
"""

# Every cell that is reported, also those with nothing in them (KPI 1 is then 0, a
# ratio is then no value), aggregated from the finest grain.
CELL = """
CREATE TEMP TABLE cell AS
WITH rolled AS (
    SELECT f.month, g.group_type, g.group_id, sm.sector_group AS sector, f.kpi,
           SUM(f.numerator) AS numerator, SUM(f.denominator) AS denominator,
           SUM(f.persons) AS persons
    FROM fact f
    JOIN group_member g ON g.municipality = f.municipality
    JOIN sector_member sm ON sm.sector = f.sector
    GROUP BY f.month, g.group_type, g.group_id, sm.sector_group, f.kpi
    UNION ALL
    SELECT f.month, g.group_type, g.group_id, 'alle', 6,
           SUM(f.numerator), SUM(f.denominator), SUM(f.denominator)
    FROM short_fact f JOIN group_member g ON g.municipality = f.municipality
    GROUP BY f.month, g.group_type, g.group_id
    UNION ALL
    SELECT f.month, 'unit', f.unit, 'alle', 6,
           SUM(f.numerator), SUM(f.denominator), SUM(f.denominator)
    FROM short_fact f GROUP BY f.month, f.unit
),
grid AS (
    SELECT m.month, g.group_type, g.group_id, s.sector, k.kpi
    FROM months m
    CROSS JOIN (SELECT DISTINCT group_type, group_id FROM group_member) g
    CROSS JOIN (SELECT DISTINCT sector_group AS sector FROM sector_member) s
    CROSS JOIN (SELECT 1 AS kpi UNION ALL SELECT 2 UNION ALL SELECT 3
                UNION ALL SELECT 4 UNION ALL SELECT 5) k
    UNION ALL
    SELECT m.month, g.group_type, g.group_id, 'alle', 6
    FROM months m
    CROSS JOIN (SELECT DISTINCT group_type, group_id FROM group_member
                UNION ALL SELECT 'unit', name FROM units WHERE kind = 'short_term') g
)
SELECT grid.month, grid.group_type, grid.group_id, grid.sector, grid.kpi,
       COALESCE(r.numerator, 0) AS numerator,
       CASE WHEN grid.kpi = 1 THEN NULL ELSE COALESCE(r.denominator, 0) END AS denominator,
       COALESCE(r.persons, 0) AS persons
FROM grid LEFT JOIN rolled r
    ON r.month = grid.month AND r.group_type = grid.group_type
   AND r.group_id = grid.group_id AND r.sector = grid.sector AND r.kpi = grid.kpi
"""

# Rolling 12 months: KPI 1 summed, KPIs 2-6 recomputed over the pooled stays of the
# 12 months ending with M. No value while the window reaches before the first month
# with data: a 12-month figure built on fewer months would mislead.
# KPI 1 over 12 months: the UKP stays with a UKP day in the window, each once (a stay
# spanning several months is one person, not one per month; disclosure control needs it).
# A stay counts in the window ending with M when its first UKP month is at or before M
# and its last one after M - 12: so the count is the stays begun by M minus those ended
# by M - 12, two running sums over a months grid (no join of stays to months).
PERSONS_12M = """
CREATE TEMP TABLE persons_12m AS
WITH span AS (
    SELECT municipality, sector, MIN(month) AS first_month, MAX(month) AS last_month
    FROM stay_month GROUP BY source, stay_id, municipality, sector
),
edge AS (  -- per municipality first: a few thousand rows to spread over the groups
    SELECT month, municipality, sector, SUM(starts) AS starts, SUM(ends) AS ends
    FROM (SELECT first_month AS month, municipality, sector, 1 AS starts, 0 AS ends FROM span
          UNION ALL
          SELECT last_month, municipality, sector, 0, 1 FROM span) x
    GROUP BY month, municipality, sector
),
per_month AS (
    SELECT e.month, g.group_type, g.group_id, sm.sector_group AS sector,
           SUM(e.starts) AS starts, SUM(e.ends) AS ends
    FROM edge e
    JOIN group_member g ON g.municipality = e.municipality
    JOIN sector_member sm ON sm.sector = e.sector
    GROUP BY e.month, g.group_type, g.group_id, sm.sector_group
),
series AS (
    SELECT m.month, gs.group_type, gs.group_id, gs.sector,
           COALESCE(p.starts, 0) AS starts, COALESCE(p.ends, 0) AS ends
    FROM months m
    CROSS JOIN (SELECT DISTINCT group_type, group_id, sector FROM per_month) gs
    LEFT JOIN per_month p ON p.month = m.month AND p.group_type = gs.group_type
        AND p.group_id = gs.group_id AND p.sector = gs.sector
)
SELECT month, group_type, group_id, sector,
       SUM(starts) OVER (PARTITION BY group_type, group_id, sector ORDER BY month
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
       - COALESCE(SUM(ends) OVER (PARTITION BY group_type, group_id, sector ORDER BY month
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 12 PRECEDING), 0)
           AS persons
FROM series
"""

ROLLING = """
CREATE TEMP TABLE rolling AS
SELECT c.*,
       CASE WHEN w.months = 12 THEN w.numerator END AS numerator_12m,
       CASE WHEN w.months = 12 AND c.kpi <> 1 THEN w.denominator END AS denominator_12m,
       CASE WHEN w.months < 12 THEN NULL
            WHEN c.kpi = 1 THEN COALESCE(p.persons, 0) ELSE w.persons END AS persons_12m
FROM cell c JOIN (
    SELECT month, group_type, group_id, sector, kpi,
           SUM(numerator) OVER win AS numerator,
           SUM(denominator) OVER win AS denominator,
           SUM(persons) OVER win AS persons,
           COUNT(*) OVER win AS months
    FROM cell
    WINDOW win AS (PARTITION BY group_type, group_id, sector, kpi ORDER BY month
                   ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)
) w ON w.month = c.month AND w.group_type = c.group_type AND w.group_id = c.group_id
   AND w.sector = c.sector AND w.kpi = c.kpi
LEFT JOIN persons_12m p ON c.kpi = 1 AND p.month = c.month AND p.group_type = c.group_type
   AND p.group_id = c.group_id AND p.sector = c.sector
"""


def _value(numerator: str, denominator: str) -> str:
    """The reported value: KPI 1 the count; shares in percent with one decimal; means with
    two. Rounded half up exactly: floor((2*scale*n + d) / (2*d)) / scale on integers is
    exact in double precision for any count this table can hold."""
    share = (
        f"FLOOR(CAST(2000 * {numerator} + {denominator} AS DOUBLE PRECISION)"
        f" / CAST(2 * {denominator} AS DOUBLE PRECISION)) / 10.0"
    )
    mean = (
        f"FLOOR(CAST(200 * {numerator} + {denominator} AS DOUBLE PRECISION)"
        f" / CAST(2 * {denominator} AS DOUBLE PRECISION)) / 100.0"
    )
    return (
        f"CASE WHEN r.kpi = 1 THEN CAST({numerator} AS DOUBLE PRECISION)"
        f" WHEN {denominator} IS NULL OR {denominator} = 0 THEN NULL"
        f" WHEN r.kpi IN (2, 4, 5) THEN {share} ELSE {mean} END"
    )


# KPI 5 for month M is preliminary until the cut-off is 30 days past the end of M.
# Nothing is hidden yet: flyt.engine.pattern decides that when a shared output asks.
STORE = f"""
INSERT INTO kpi_results (cutoff, month, group_type, group_id, sector, kpi, value, numerator,
    denominator, persons, value_12m, numerator_12m, denominator_12m, persons_12m, preliminary,
    hidden, hidden_12m)
SELECT p.cutoff, r.month, r.group_type, r.group_id, r.sector, r.kpi,
       {_value("r.numerator", "r.denominator")},
       r.numerator, r.denominator, r.persons,
       {_value("r.numerator_12m", "r.denominator_12m")},
       r.numerator_12m, r.denominator_12m, r.persons_12m,
       r.kpi = 5 AND p.cutoff < r.month + INTERVAL '1 month' + INTERVAL '30 days',
       FALSE, FALSE
FROM rolling r CROSS JOIN params p
"""

STEPS: tuple[tuple[str, str], ...] = (
    ("ukp_period", UKP_PERIOD),
    ("stay_month", STAY_MONTH),
    ("ukp_stay", UKP_STAY),
    ("readmitted", READMITTED),
    ("fact", FACT),
    ("short_fact", SHORT_FACT),
    ("group_member", GROUP_MEMBER),
    ("sector_member", SECTOR_MEMBER),
    ("months", MONTHS),
    ("cell", CELL),
    ("persons_12m", PERSONS_12M),
    ("rolling", ROLLING),
)
