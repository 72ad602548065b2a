"""Stories know whether they are in scope and their main event type.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "stories",
        sa.Column("relevant", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("stories", sa.Column("event_type", sa.String(20)))
    op.create_index("ix_stories_relevant_last_seen", "stories", ["relevant", "last_seen"])


def downgrade() -> None:
    op.drop_index("ix_stories_relevant_last_seen", "stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("event_type")
        batch.drop_column("relevant")
