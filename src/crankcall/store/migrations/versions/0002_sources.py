"""Sources (feeds crankcall polls) and the items their feeds announce.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("canonical_url", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlets.id")),
        sa.Column("interval_minutes", sa.Integer, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("added_at", TZ, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_checked", TZ),
        sa.Column("last_success", TZ),
        sa.Column("last_status", sa.Integer),
        sa.Column("last_diagnosis", sa.String(30)),
        sa.Column("last_detail", sa.Text),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("next_due", TZ, nullable=False),
        sa.Column("items_seen", sa.Integer, nullable=False),
    )
    op.create_index("ix_sources_next_due", "sources", ["next_due"])
    op.create_table(
        "feed_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("canonical_url", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("published", TZ),
        sa.Column("authors", sa.JSON, nullable=False),
        sa.Column("discovered_at", TZ, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_diagnosis", sa.String(30)),
        sa.Column("article_id", sa.String(200), sa.ForeignKey("articles.id", ondelete="SET NULL")),
    )
    op.create_index("ix_feed_items_status", "feed_items", ["status"])


def downgrade() -> None:
    op.drop_table("feed_items")
    op.drop_table("sources")
