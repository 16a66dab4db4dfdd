"""PLO messages sealed at rest: plo_messages.raw (clear bytes) becomes .sealed (Fernet).

A message names the patient and carries the national identity number, which
Flyt never stores in clear. Messages received before this revision are sealed
here with the installation's message key (flyt.config.message_key; created in
the data directory when none is configured), compressed and then encrypted as
flyt.plo.sealing does it.

Revision ID: 0003
Revises: 0002
"""

import zlib

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    from flyt.config import message_key

    op.add_column("plo_messages", sa.Column("sealed", sa.LargeBinary))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, raw FROM plo_messages")).all()
    if rows:
        box = Fernet(message_key())
        sealed = [{"id": r.id, "sealed": box.encrypt(zlib.compress(bytes(r.raw), 1))}
                  for r in rows]
        bind.execute(sa.text("UPDATE plo_messages SET sealed = :sealed WHERE id = :id"), sealed)
    op.drop_column("plo_messages", "raw")


def downgrade() -> None:
    raise NotImplementedError("the clear bytes are not written back; restore a backup instead")
