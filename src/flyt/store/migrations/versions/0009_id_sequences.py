"""Ids allocated by the database: a sequence per table, the id column's default.

Until 0008 every writer took MAX(id) + 1, so two writers at once (a web upload and
`flyt plo --watch` on PostgreSQL, two threads of one server) could take the same id and
one of them failed on the key. Each sequence starts after the table's largest id, so a
store upgraded in place goes on from where it was.

Sequences, not identity columns: DuckDB has sequences but no identity (nor SERIAL)
columns, and a sequence is one definition for both engines (store/schema.py,
id_column). DuckDB cannot add a constraint to an existing table, but it can set a
column's default, which is all this needs. On PostgreSQL the column also owns its
sequence (dropped with the table; TRUNCATE … RESTART IDENTITY restarts it); DuckDB
has no OWNED BY.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"

TABLES = ("imports", "plo_messages", "plo_receipts", "report_sends", "users", "audit_log")


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        name = f"{table}_id_seq"
        start = bind.execute(sa.text(f"SELECT MAX(id) FROM {table}")).scalar_one() or 0
        op.execute(sa.schema.CreateSequence(sa.Sequence(name, start=int(start) + 1)))
        op.alter_column(table, "id", server_default=sa.text(f"nextval('{name}')"))
        if bind.dialect.name == "postgresql":
            op.execute(f"ALTER SEQUENCE {name} OWNED BY {table}.id")


def downgrade() -> None:
    for table in TABLES:
        op.alter_column(table, "id", server_default=None)
        op.execute(sa.schema.DropSequence(sa.Sequence(f"{table}_id_seq")))
