"""Codings keep the cues' event type beside the event model's reading.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("codings", sa.Column("cue_event", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("codings") as batch:
        batch.drop_column("cue_event")
