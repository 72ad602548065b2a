"""The current schema as SQLAlchemy Core tables, used by the repository to build queries.

The migrations in `migrations/versions/` create and change the real tables; this module must
describe the schema the newest migration leaves behind (a test compares the two).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

outlets = Table(
    "outlets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(300), nullable=False, unique=True),
    Column("domain", String(253), unique=True),
    Column("kind", String(20), nullable=False),
    Column("country", String(2)),
    Column("language", String(12)),
    Column("state_affiliated", Boolean, nullable=False, default=False),
    Column("aliases", JSON, nullable=False, default=list),
    Column("origin", String(10), nullable=False, default="data"),
)

articles = Table(
    "articles",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(200), nullable=False, unique=True),
    Column("url", Text),
    Column("canonical_url", Text, unique=True),
    Column("outlet_id", Integer, ForeignKey("outlets.id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("authors", JSON, nullable=False, default=list),
    Column("published", DateTime(timezone=True)),
    Column("fetched", DateTime(timezone=True), nullable=False),
    Column("language", String(12)),
    Column("content_hash", String(64), nullable=False),
    Column("extra", JSON, nullable=False, default=dict),
    Column("source", Text),
    Index("ix_articles_published", "published"),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_outlet", "outlet_id"),
)

codings = Table(
    "codings",
    metadata,
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("relevant", Boolean, nullable=False),
    Column("score", Float, nullable=False),
    Column("crank", JSON, nullable=False, default=list),
    Column("relation", String(20), nullable=False),
    Column("topic", String(30), nullable=False),
    Column("event_type", String(20)),
    Column("intensity", Float),
    Column("coder_version", String(40), nullable=False),
    # The cues' event type before the event model's reading (`CodedArticle.cue_event`).
    Column("cue_event", String(20)),
    Column("coded_at", DateTime(timezone=True), nullable=False),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    Column("actor_id", String(100), nullable=False),
    Column("country", String(2)),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("sentence", Integer, nullable=False),
    Column("coder_version", String(40), nullable=False),
    Index("ix_mentions_article", "article_id"),
)

interactions = Table(
    "interactions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    Column("dyad", String(5), nullable=False),
    Column("relation", String(20), nullable=False),
    Column("event_type", String(20), nullable=False),
    Column("topic", String(30), nullable=False),
    Column("intensity", Float, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("evidence", JSON, nullable=False, default=list),
    Column("coder_version", String(40), nullable=False),
    UniqueConstraint("article_id", "dyad", name="uq_interactions_article_dyad"),
    Index("ix_interactions_dyad", "dyad"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("representative_id", String(200), ForeignKey("articles.id")),
    Column("headline", Text, nullable=False),
    Column("dyads", JSON, nullable=False, default=list),
    Column("relation", String(20), nullable=False),
    Column("topic", String(30), nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("score", Float, nullable=False, default=0.0),
    Column("components", JSON, nullable=False, default=dict),
    Column("section", String(20), nullable=False),
    Column("pinned", Boolean, nullable=False, default=False),
    Column("excluded", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("relevant", Boolean, nullable=False, server_default=false()),
    Column("event_type", String(20)),
    Index("ix_stories_last_seen", "last_seen"),
    Index("ix_stories_relevant_last_seen", "relevant", "last_seen"),
    Index(
        "ix_stories_queue",
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
    ),
    Index("ix_stories_updated_at", "updated_at"),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", String(64), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("added_by", String(20), nullable=False, default="machine"),
    Index("ix_story_articles_article", "article_id"),
)

issues = Table(
    "issues",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("month", String(7), nullable=False, unique=True),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("window_end", DateTime(timezone=True), nullable=False),
    Column("status", String(12), nullable=False, default="draft"),
    Column("title", Text, nullable=False),
    Column("masthead", JSON, nullable=False, default=dict),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("issue_id", Integer, ForeignKey("issues.id", ondelete="CASCADE"), nullable=False),
    Column("story_id", String(64), ForeignKey("stories.id", ondelete="SET NULL")),
    Column("section", String(20), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Column("headline", Text, nullable=False, default=""),
    Column("body", JSON, nullable=False, default=list),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(100)),
    Index("ix_items_issue", "issue_id"),
)

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("headline", Text, nullable=False, default=""),
    Column("body", JSON, nullable=False, default=list),
    Column("note", Text),
    UniqueConstraint("item_id", "version", name="uq_revisions_item_version"),
    Index("ix_revisions_item", "item_id"),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(12), nullable=False, default="running"),
    Column("coder_version", String(40)),
    Column("stats", JSON, nullable=False, default=dict),
    Column("args", JSON, nullable=False, default=dict),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("kind", String(12), nullable=False),
    Column("outlet_id", Integer, ForeignKey("outlets.id")),
    Column("interval_minutes", Integer, nullable=False, default=60),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_checked", DateTime(timezone=True)),
    Column("last_success", DateTime(timezone=True)),
    Column("last_status", Integer),
    Column("last_diagnosis", String(30)),
    Column("last_detail", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("next_due", DateTime(timezone=True), nullable=False),
    Column("items_seen", Integer, nullable=False, default=0),
    Index("ix_sources_next_due", "next_due"),
)

feed_items = Table(
    "feed_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("published", DateTime(timezone=True)),
    Column("authors", JSON, nullable=False, default=list),
    Column("discovered_at", DateTime(timezone=True), nullable=False),
    Column("status", String(12), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_diagnosis", String(30)),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="SET NULL")),
    Index("ix_feed_items_status", "status"),
)

article_signatures = Table(
    "article_signatures",
    metadata,
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("signature", LargeBinary, nullable=False),
    Column("shingles", Integer, nullable=False),
)

article_bands = Table(
    "article_bands",
    metadata,
    Column("band", Integer, nullable=False),
    Column("hash", BigInteger, nullable=False),
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    Index("ix_article_bands_band_hash", "band", "hash"),
)

duplicates = Table(
    "duplicates",
    metadata,
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "original_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    Column("similarity", Float, nullable=False),
    Index("ix_duplicates_original", "original_id"),
)

gdelt_events = Table(
    "gdelt_events",
    metadata,
    Column("event_id", BigInteger, primary_key=True, autoincrement=False),
    Column("day", Date, nullable=False),
    Column("actor1_code", String(40), nullable=False),
    Column("actor1_country", String(3)),
    Column("actor2_code", String(40), nullable=False),
    Column("actor2_country", String(3)),
    Column("dyad", String(5)),
    Column("event_code", String(4), nullable=False),
    Column("root_code", String(2), nullable=False),
    Column("quad_class", Integer, nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("num_mentions", Integer, nullable=False),
    Column("num_sources", Integer, nullable=False),
    Column("num_articles", Integer, nullable=False),
    Column("avg_tone", Float, nullable=False),
    Column("source_url", Text, nullable=False),
    Column("file", Text, nullable=False),
    Index("ix_gdelt_events_day_dyad", "day", "dyad"),
)

# -- the editor's desk (migration 0006) ---------------------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(10), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_sessions_expires", "expires_at"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used", DateTime(timezone=True)),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("ok", Boolean, nullable=False),
    Index("ix_login_attempts_name_at", "name", "at"),
    Index("ix_login_attempts_ip_at", "ip", "at"),
)

editor_labels = Table(
    "editor_labels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    Column("dyads", JSON, nullable=False, default=list),
    Column("relation", String(20), nullable=False),
    Column("topic", String(30), nullable=False),
    Column("author", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_editor_labels_article", "article_id"),
)

story_overrides = Table(
    "story_overrides",
    metadata,
    Column("window_key", String(30), primary_key=True),
    Column("story_id", String(64), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("section", String(20)),
    Column("position", Integer),
    Column("updated_by", String(100)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

issue_files = Table(
    "issue_files",
    metadata,
    Column("issue_id", Integer, ForeignKey("issues.id", ondelete="CASCADE"), primary_key=True),
    Column("format", String(8), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
