"""Name keys of entities: (kind, transliteration key, entity id) rows, filled for the stored entities.

An incremental reconcile looks up the stored entities that a new entity's names spell in this indexed
table instead of reading every entity. Chained after 0004 (dispute stances).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from rashomon.reconcile.entities_stored import name_keys
from rashomon.records import Entity

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "entity_keys",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("entity_id", sa.String(64), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_entity_keys_entity_id", "entity_keys", ["entity_id"])
    if op.get_context().as_sql:  # SQL written out, not run: there are no rows to read
        return
    rows = op.get_bind().execute(sa.text("SELECT id, type, name, aliases FROM entities"))
    keys = []
    for eid, type_, name, aliases in rows:
        names = json.loads(aliases) if isinstance(aliases, str) else aliases or []  # SQLite gives the JSON text
        ent = Entity(name=name, type=type_, aliases=list(names), id=eid)
        keys += [{"kind": k, "key": key, "entity_id": eid} for k, key in name_keys(ent)]
    if keys:
        op.bulk_insert(table, keys)


def downgrade() -> None:
    op.drop_index("ix_entity_keys_entity_id", "entity_keys")
    op.drop_table("entity_keys")
