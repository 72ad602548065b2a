"""Near-duplicate detection: MinHash signatures, their LSH bands, and copy-to-original links.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_signatures",
        sa.Column(
            "article_id",
            sa.String(200),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("shingles", sa.Integer, nullable=False),
    )
    op.create_table(
        "article_bands",
        sa.Column("band", sa.Integer, nullable=False),
        sa.Column("hash", sa.BigInteger, nullable=False),
        sa.Column(
            "article_id",
            sa.String(200),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.create_index("ix_article_bands_band_hash", "article_bands", ["band", "hash"])
    op.create_table(
        "duplicates",
        sa.Column(
            "article_id",
            sa.String(200),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "original_id",
            sa.String(200),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    op.create_index("ix_duplicates_original", "duplicates", ["original_id"])


def downgrade() -> None:
    op.drop_table("duplicates")
    op.drop_table("article_bands")
    op.drop_table("article_signatures")
