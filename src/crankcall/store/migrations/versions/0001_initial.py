"""The first schema: outlets, articles (with full-text search), codings, mentions, interactions,
stories and their articles, issues, items, revisions and runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _article_ref(ondelete: str | None = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey("articles.id", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(300), nullable=False, unique=True),
        sa.Column("domain", sa.String(253), unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("language", sa.String(12)),
        sa.Column("state_affiliated", sa.Boolean, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("origin", sa.String(10), nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(200), nullable=False, unique=True),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text, unique=True),
        sa.Column("outlet_id", sa.Integer, sa.ForeignKey("outlets.id"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("authors", sa.JSON, nullable=False),
        sa.Column("published", TZ),
        sa.Column("fetched", TZ, nullable=False),
        sa.Column("language", sa.String(12)),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("extra", sa.JSON, nullable=False),
        sa.Column("source", sa.Text),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_outlet", "articles", ["outlet_id"])
    _create_search()

    op.create_table(
        "codings",
        sa.Column("article_id", sa.String(200), _article_ref(), primary_key=True),
        sa.Column("relevant", sa.Boolean, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("crank", sa.JSON, nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(30), nullable=False),
        sa.Column("event_type", sa.String(20)),
        sa.Column("intensity", sa.Float),
        sa.Column("coder_version", sa.String(40), nullable=False),
        sa.Column("coded_at", TZ, nullable=False),
    )
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(200), _article_ref(), nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Integer, nullable=False),
        sa.Column("coder_version", sa.String(40), nullable=False),
    )
    op.create_index("ix_mentions_article", "mentions", ["article_id"])
    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(200), _article_ref(), nullable=False),
        sa.Column("dyad", sa.String(5), nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("event_type", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(30), nullable=False),
        sa.Column("intensity", sa.Float, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("coder_version", sa.String(40), nullable=False),
        sa.UniqueConstraint("article_id", "dyad", name="uq_interactions_article_dyad"),
    )
    op.create_index("ix_interactions_dyad", "interactions", ["dyad"])
    _create_editorial_tables()
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("coder_version", sa.String(40)),
        sa.Column("stats", sa.JSON, nullable=False),
        sa.Column("args", sa.JSON, nullable=False),
    )


def _create_editorial_tables() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("representative_id", sa.String(200), _article_ref(None)),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("dyads", sa.JSON, nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(30), nullable=False),
        sa.Column("first_seen", TZ, nullable=False),
        sa.Column("last_seen", TZ, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("components", sa.JSON, nullable=False),
        sa.Column("section", sa.String(20), nullable=False),
        sa.Column("pinned", sa.Boolean, nullable=False),
        sa.Column("excluded", sa.Boolean, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_stories_last_seen", "stories", ["last_seen"])
    op.create_table(
        "story_articles",
        sa.Column(
            "story_id",
            sa.String(64),
            sa.ForeignKey("stories.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("article_id", sa.String(200), _article_ref(), primary_key=True),
        sa.Column("added_by", sa.String(20), nullable=False),
    )
    op.create_index("ix_story_articles_article", "story_articles", ["article_id"])
    op.create_table(
        "issues",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("month", sa.String(7), nullable=False, unique=True),
        sa.Column("window_start", TZ, nullable=False),
        sa.Column("window_end", TZ, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("masthead", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("published_at", TZ),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "issue_id", sa.Integer, sa.ForeignKey("issues.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("story_id", sa.String(64), sa.ForeignKey("stories.id", ondelete="SET NULL")),
        sa.Column("section", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("updated_by", sa.String(100)),
    )
    op.create_index("ix_items_issue", "items", ["issue_id"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "item_id", sa.Integer, sa.ForeignKey("items.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(100)),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
        sa.UniqueConstraint("item_id", "version", name="uq_revisions_item_version"),
    )


def _create_search() -> None:
    """Full-text search over title and text: FTS5 on SQLite, a tsvector column on PostgreSQL."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
            "content_rowid='pk', tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.pk, old.title, old.text); END"
        )
        return
    op.execute(
        "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED"
    )
    op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")


def downgrade() -> None:
    for table in (
        "revisions",
        "items",
        "issues",
        "story_articles",
        "stories",
        "runs",
        "interactions",
        "mentions",
        "codings",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    op.drop_table("articles")
    op.drop_table("outlets")
