"""The editor's desk: accounts, sessions, API tokens, login attempts, editor labels, story
overrides per window and the frozen files of published issues.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sessions_expires", "sessions", ["expires_at"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
    )
    op.create_index("ix_login_attempts_name_at", "login_attempts", ["name", "at"])
    op.create_index("ix_login_attempts_ip_at", "login_attempts", ["ip", "at"])
    op.create_table(
        "editor_labels",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "article_id",
            sa.String(200),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("dyads", sa.JSON, nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(30), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_editor_labels_article", "editor_labels", ["article_id"])
    op.create_table(
        "story_overrides",
        sa.Column("window_key", sa.String(30), primary_key=True),
        sa.Column(
            "story_id",
            sa.String(64),
            sa.ForeignKey("stories.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("section", sa.String(20)),
        sa.Column("position", sa.Integer),
        sa.Column("updated_by", sa.String(100)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "issue_files",
        sa.Column(
            "issue_id",
            sa.Integer,
            sa.ForeignKey("issues.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("format", sa.String(8), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # The desk's queue reads only these columns to filter, count and order a window's stories.
    op.create_index(
        "ix_stories_queue",
        "stories",
        [
            "relevant",
            "last_seen",
            "first_seen",
            "pinned",
            "excluded",
            "score",
            "relation",
            "topic",
            "section",
            "id",
        ],
    )
    op.create_index("ix_stories_updated_at", "stories", ["updated_at"])
    op.create_index("ix_revisions_item", "revisions", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_revisions_item", "revisions")
    op.drop_index("ix_stories_updated_at", "stories")
    op.drop_index("ix_stories_queue", "stories")
    for table in (
        "issue_files",
        "story_overrides",
        "editor_labels",
        "login_attempts",
        "api_tokens",
        "sessions",
        "users",
    ):
        op.drop_table(table)
