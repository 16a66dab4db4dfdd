"""UKP core: reference data, calendar, records, import log and KPI results.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

TS = sa.DateTime


def upgrade() -> None:
    op.create_table(
        "municipalities",
        sa.Column("code", sa.String(4), primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("region", sa.String, nullable=False),
        sa.Column("population", sa.Integer),
    )
    op.create_table(
        "units",
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("owner", sa.String, nullable=False),
        sa.Column("beds_default", sa.Integer),
    )
    op.create_table(
        "calendar",
        sa.Column("d", sa.Date, primary_key=True),
        sa.Column("month", sa.Date, nullable=False),
    )
    # 2000-01-01 .. 2100-12-31, with a recursive query both engines run.
    op.execute(
        "INSERT INTO calendar (d, month) "
        "WITH RECURSIVE days(d) AS (SELECT DATE '2000-01-01' "
        "UNION ALL SELECT CAST(d + 1 AS DATE) FROM days WHERE d < DATE '2100-12-31') "
        "SELECT d, CAST(date_trunc('month', CAST(d AS TIMESTAMP)) AS DATE) FROM days"
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("file_name", sa.String, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_new", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("message", sa.Text),
    )
    op.create_table(
        "stays",
        sa.Column("source", sa.String, primary_key=True),
        sa.Column("stay_id", sa.String, primary_key=True),
        sa.Column("patient_id", sa.String, nullable=False),
        sa.Column("municipality", sa.String(4), nullable=False),
        sa.Column("sector", sa.String, nullable=False),
        sa.Column("admission_type", sa.String, nullable=False),
        sa.Column("admitted_at", TS, nullable=False),
        sa.Column("ready_at", TS),
        sa.Column("discharged_at", TS),
        sa.Column("discharge_destination", sa.String),
        sa.Column("location", sa.String),
        sa.Column("department", sa.String),
        sa.Column("birth_year", sa.Integer),
        sa.Column("sex", sa.String(1)),
        sa.Column("frailty_score", sa.Integer),
        sa.Column("import_id", sa.Integer, nullable=False),
    )
    op.create_table(
        "ukp_periods",
        sa.Column("source", sa.String, primary_key=True),
        sa.Column("stay_id", sa.String, primary_key=True),
        sa.Column("ready_from", TS, primary_key=True),
        sa.Column("ready_to", TS),
        sa.Column("import_id", sa.Integer, nullable=False),
    )
    op.create_table(
        "short_stays",
        sa.Column("source", sa.String, primary_key=True),
        sa.Column("stay_id", sa.String, primary_key=True),
        sa.Column("patient_id", sa.String, nullable=False),
        sa.Column("municipality", sa.String(4), nullable=False),
        sa.Column("unit", sa.String, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("ended_at", TS),
        sa.Column("from_hospital", sa.Boolean),
        sa.Column("import_id", sa.Integer, nullable=False),
    )
    op.create_table(
        "bed_census",
        sa.Column("source", sa.String, primary_key=True),
        sa.Column("unit", sa.String, primary_key=True),
        sa.Column("counted_at", TS, primary_key=True),
        sa.Column("available", sa.Integer, nullable=False),
        sa.Column("occupied", sa.Integer, nullable=False),
        sa.Column("over_capacity", sa.Boolean, nullable=False),
        sa.Column("import_id", sa.Integer, nullable=False),
    )
    op.create_table(
        "result_sets",
        sa.Column("cutoff", TS, primary_key=True),
        sa.Column("data_version", sa.Integer, nullable=False),
        sa.Column("computed_at", TS, nullable=False),
        sa.Column("seconds", sa.Double, nullable=False),
        sa.Column("goals_key", sa.String(64), nullable=False),
    )
    op.create_table(
        "kpi_results",
        sa.Column("cutoff", TS, primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        sa.Column("group_type", sa.String, primary_key=True),
        sa.Column("group_id", sa.String, primary_key=True),
        sa.Column("sector", sa.String, primary_key=True),
        sa.Column("kpi", sa.SmallInteger, primary_key=True),
        sa.Column("value", sa.Double),
        sa.Column("numerator", sa.BigInteger),
        sa.Column("denominator", sa.BigInteger),
        sa.Column("persons", sa.BigInteger, nullable=False),
        sa.Column("value_12m", sa.Double),
        sa.Column("numerator_12m", sa.BigInteger),
        sa.Column("denominator_12m", sa.BigInteger),
        sa.Column("persons_12m", sa.BigInteger),
        sa.Column("preliminary", sa.Boolean, nullable=False),
    )
    op.create_table(
        "goal_results",
        sa.Column("cutoff", TS, primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        sa.Column("kpi", sa.SmallInteger, primary_key=True),
        sa.Column("sector", sa.String, primary_key=True),
        sa.Column("group_type", sa.String, primary_key=True),
        sa.Column("group_id", sa.String, primary_key=True),
        sa.Column("baseline", sa.Double),
        sa.Column("target", sa.Double),
        sa.Column("value", sa.Double),
        sa.Column("achievement", sa.Double),
        sa.Column("expected", sa.Double, nullable=False),
        sa.Column("status", sa.String),
    )
    if op.get_bind().dialect.name == "postgresql":
        # The readmission rule (KPI 5) looks up a patient's later admissions.
        op.create_index("ix_stays_patient", "stays", ["patient_id", "admitted_at"])


def downgrade() -> None:
    for table in (
        "goal_results", "kpi_results", "result_sets", "bed_census", "short_stays",
        "ukp_periods", "stays", "imports", "calendar", "units", "municipalities",
    ):
        op.drop_table(table)
