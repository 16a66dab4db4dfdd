"""Receiver configuration (HER-id → municipality) and the listings the CLI shows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from flyt.store import reference, schema
from flyt.store.db import Database

R = schema.plo_receivers
M = schema.plo_messages


def add_receiver(db: Database, her_id: str, municipality: str) -> None:
    """Map a receiving organisation's HER-id to a configured municipality (replacing
    an earlier mapping of that HER-id)."""
    her_id = her_id.strip()
    if not her_id.isdigit():
        raise ValueError(f"a HER-id is a number, not '{her_id}'")
    with db.engine.begin() as conn:
        if not reference.is_municipality(conn, municipality):
            raise ValueError(f"unknown municipality '{municipality}': not in the reference data "
                             "(flyt reference show municipalities)")
        conn.execute(R.delete().where(R.c.her_id == her_id))
        conn.execute(R.insert().values(her_id=her_id, municipality=municipality))


def remove_receiver(db: Database, her_id: str) -> bool:
    with db.engine.begin() as conn:
        return bool(conn.execute(R.delete().where(R.c.her_id == her_id.strip())).rowcount)


def receivers(db: Database) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(R).order_by(R.c.her_id))]


def quarantine(db: Database) -> list[dict[str, Any]]:
    """Messages that could not be applied (quarantined or rejected), with their reasons."""
    query = (sa.select(M.c.id, M.c.file_name, M.c.msg_id, M.c.msg_type, M.c.status,
                       M.c.error_code, M.c.reason, M.c.received_at)
             .where(M.c.status.in_(("quarantined", "rejected"))).order_by(M.c.id))
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def receipts(db: Database) -> list[dict[str, Any]]:
    t = schema.plo_receipts.c
    query = sa.select(t.id, t.message_id, t.msg_id, t.status, t.code, t.text, t.path,
                      t.created_at).order_by(t.id)
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]
