"""GDELT events kept for the CRANK states.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gdelt_events",
        sa.Column("event_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("actor1_code", sa.String(40), nullable=False),
        sa.Column("actor1_country", sa.String(3)),
        sa.Column("actor2_code", sa.String(40), nullable=False),
        sa.Column("actor2_country", sa.String(3)),
        sa.Column("dyad", sa.String(5)),
        sa.Column("event_code", sa.String(4), nullable=False),
        sa.Column("root_code", sa.String(2), nullable=False),
        sa.Column("quad_class", sa.Integer, nullable=False),
        sa.Column("goldstein", sa.Float, nullable=False),
        sa.Column("num_mentions", sa.Integer, nullable=False),
        sa.Column("num_sources", sa.Integer, nullable=False),
        sa.Column("num_articles", sa.Integer, nullable=False),
        sa.Column("avg_tone", sa.Float, nullable=False),
        sa.Column("source_url", sa.Text, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
    )
    op.create_index("ix_gdelt_events_day_dyad", "gdelt_events", ["day", "dyad"])


def downgrade() -> None:
    op.drop_table("gdelt_events")
