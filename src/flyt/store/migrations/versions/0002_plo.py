"""PLO pasientlogistikk: received messages, receiver configuration, patient links, receipts.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"

PLO_TABLES = ("plo_receipts", "plo_patient_links", "plo_messages", "plo_receivers")


def upgrade() -> None:
    op.create_table(
        "plo_receivers",
        sa.Column("her_id", sa.String, primary_key=True),
        sa.Column("municipality", sa.String(4), nullable=False),
    )

    op.create_table(
        "plo_messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("msg_id", sa.String),  # MsgInfo/MsgId; empty when unreadable
        sa.Column("file_name", sa.String, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),  # the bytes exactly as received
        sa.Column("msg_type", sa.String),
        sa.Column("version", sa.String),
        sa.Column("status", sa.String, nullable=False),  # applied|duplicate|cancelled|…
        sa.Column("reason", sa.Text),
        sa.Column("error_code", sa.String),
        sa.Column("receiver_her_id", sa.String),  # the mapped HER-id (or the receiver's own)
        sa.Column("as_copy", sa.Boolean),  # reached us as copy receiver
        sa.Column("patient_key", sa.String),  # canonical pseudonym (see plo_patient_links)
        sa.Column("send_status", sa.String(1)),  # Forsendelsesstatus N | C | M | A
        sa.Column("refers_to", sa.String),  # RefToParent
        sa.Column("match_key", sa.String),
        sa.Column("content_digest", sa.String(64)),
        sa.Column("replaced_by", sa.Integer),  # the cancellation or change that undid it
        sa.Column("gen_date", sa.DateTime),
        sa.Column("event_at", sa.DateTime),
        sa.Column("admitted_at", sa.DateTime),
        sa.Column("ready_at", sa.DateTime),
        sa.Column("ready_estimate", sa.Boolean),
        sa.Column("deregistered_at", sa.DateTime),
        sa.Column("discharged_at", sa.DateTime),
        sa.Column("died_at", sa.DateTime),
        sa.Column("discharged_to", sa.String),  # code list 8408
        sa.Column("discharge_state", sa.String),  # code list 8431 (2 = dead)
        sa.Column("sector_hint", sa.String),  # names of the sender/unit, for the sector rule
        sa.Column("department", sa.String),
        sa.Column("birth_year", sa.Integer),
        sa.Column("sex", sa.String(1)),
    )

    op.create_table(
        "plo_patient_links",
        sa.Column("alias_key", sa.String, primary_key=True),
        sa.Column("patient_key", sa.String, nullable=False),
    )

    op.create_table(
        "plo_receipts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("message_id", sa.Integer, nullable=False),
        sa.Column("msg_id", sa.String),
        sa.Column("status", sa.String, nullable=False),  # ok | error
        sa.Column("code", sa.String),
        sa.Column("text", sa.Text),
        sa.Column("xml", sa.LargeBinary, nullable=False),
        sa.Column("path", sa.String),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in PLO_TABLES:
        op.drop_table(table)
