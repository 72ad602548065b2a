"""All SQL crankcall runs, behind one `Store` object per database.

The repository speaks in records and plain rows; the stages never see SQL. Both backends share
every statement except full-text search (FTS5 on SQLite, tsvector on PostgreSQL).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from crankcall.errors import StoreError
from crankcall.ingest import dedup
from crankcall.models import Article, CodedArticle, Mention, Outlet
from crankcall.store import schema
from crankcall.store.desk_queries import DeskQueries
from crankcall.store.engine import create_store_engine, database_url, describe_url
from crankcall.store.rows import chunks as _chunks
from crankcall.store.rows import utc as _utc
from crankcall.store.search import fts5_expression, is_cjk, like_pattern, parse_query
from crankcall.store.story_queries import StoryQueries

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, kw_only=True, slots=True)
class SearchHit:
    """One article found by full-text search."""

    id: str
    title: str
    outlet: str
    published: datetime | None
    url: str | None
    snippet: str
    rank: float


def open_store(target: str, *, create: bool = False) -> Store:
    """Open the database at `target` (URL or path). With `create`, a missing SQLite file is created
    and the schema is brought up to date; without it, the database must exist and be current."""
    url = database_url(target)
    engine = create_store_engine(url, must_exist=not create)
    store = Store(engine, name=describe_url(url))
    if create:
        store.migrate()
    else:
        store.check_current()
    return store


class Store(StoryQueries, DeskQueries):
    """A crankcall database. Create with `open_store`; close with `close()` or `with`."""

    def __init__(self, engine: Engine, *, name: str) -> None:
        self.engine = engine
        self.name = name
        self.backend = engine.dialect.name

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection inside one transaction: committed on success, rolled back on any error."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except SQLAlchemyError as e:
            raise StoreError(f"database {self.name}: {_first_line(e)}") from e

    # -- schema ------------------------------------------------------------------------------

    def _alembic_config(self, connection: Connection) -> Config:
        config = Config()
        location = resources.files("crankcall.store").joinpath("migrations")
        config.set_main_option("script_location", str(location))
        config.attributes["connection"] = connection
        return config

    def migrate(self) -> None:
        """Bring the schema up to the newest migration (safe to run again)."""
        try:
            with self.engine.begin() as connection:
                command.upgrade(self._alembic_config(connection), "head")
        except SQLAlchemyError as e:
            raise StoreError(f"cannot migrate database {self.name}: {_first_line(e)}") from e

    def schema_version(self) -> str | None:
        """The migration the database is at, or None before `init`."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def check_current(self) -> None:
        """Raise unless the database is initialised and at the newest migration."""
        with self.engine.connect() as connection:
            head = ScriptDirectory.from_config(self._alembic_config(connection)).get_current_head()
        current = self.schema_version()
        if current is None:
            raise StoreError(f"database {self.name} is not initialised; run `crankcall init`")
        if current != head:
            raise StoreError(
                f"database {self.name} is at schema {current}, crankcall needs {head}; "
                "run `crankcall init` to migrate it"
            )

    # -- outlets -----------------------------------------------------------------------------

    def sync_outlets(self, outlets: Iterable[Outlet]) -> int:
        """Insert or update the outlets of the data file (matched by name); returns rows changed."""
        changed = 0
        with self.transaction() as connection:
            existing = {
                row.name.casefold(): row for row in connection.execute(select(schema.outlets))
            }
            for outlet in outlets:
                values = _outlet_values(outlet, origin="data")
                row = existing.get(outlet.name.casefold())
                if row is None:
                    _clear_domain(connection, outlet.domain)
                    connection.execute(insert(schema.outlets).values(values))
                    changed += 1
                elif any(getattr(row, k) != v for k, v in values.items()):
                    if outlet.domain != row.domain:
                        _clear_domain(connection, outlet.domain, keep_id=row.id)
                    connection.execute(
                        update(schema.outlets).where(schema.outlets.c.id == row.id).values(values)
                    )
                    changed += 1
        return changed

    def outlets(self) -> list[Outlet]:
        """Every outlet in the store."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(schema.outlets).order_by(schema.outlets.c.name))
            return [_outlet_from_row(row) for row in rows]

    def outlet_ids(self, connection: Connection) -> dict[str, int]:
        """Outlet ids by name."""
        rows = connection.execute(select(schema.outlets.c.name, schema.outlets.c.id))
        return {row.name: row.id for row in rows}

    def add_outlet(self, connection: Connection, outlet: Outlet, *, origin: str) -> int:
        """Insert an outlet met in the input and return its id."""
        result = connection.execute(
            insert(schema.outlets).values(_outlet_values(outlet, origin=origin))
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    # -- articles ----------------------------------------------------------------------------

    def known_articles(
        self, connection: Connection, ids: Sequence[str], urls: Sequence[str]
    ) -> tuple[dict[str, str], set[str]]:
        """Of these ids and canonical URLs, those already stored: ids with their content hash,
        and the URLs."""
        found_ids: dict[str, str] = {}
        found_urls: set[str] = set()
        a = schema.articles
        for chunk in _chunks(list(ids), 500):
            rows = connection.execute(select(a.c.id, a.c.content_hash).where(a.c.id.in_(chunk)))
            found_ids.update({row.id: row.content_hash for row in rows})
        for chunk in _chunks(list(urls), 500):
            rows = connection.execute(select(a.c.canonical_url).where(a.c.canonical_url.in_(chunk)))
            found_urls.update(row.canonical_url for row in rows)
        return found_ids, found_urls

    def insert_articles(self, connection: Connection, rows: Sequence[dict[str, Any]]) -> int:
        """Insert article rows, skipping any whose id or canonical URL is already stored."""
        if not rows:
            return 0
        dialect = postgresql if self.backend == "postgresql" else sqlite
        statement = dialect.insert(schema.articles).on_conflict_do_nothing()
        connection.execute(statement, list(rows))
        hashes = {row["id"]: row["content_hash"] for row in rows}
        found, _ = self.known_articles(connection, list(hashes), [])
        return sum(1 for ident, digest in found.items() if hashes[ident] == digest)

    def link_near_duplicates(
        self, connection: Connection, entries: Sequence[tuple[str, Any, int, datetime | None]]
    ) -> int:
        """Index new articles' MinHash signatures (id, signature, 5-gram count, published) and
        link each near-duplicate to its original: the earliest published (then first stored)
        article of its group. Returns how many were linked as copies."""
        if not entries:
            return 0
        bands_of = {ident: dedup.bands(sig) for ident, sig, _, _ in entries}
        keys = {key for found in bands_of.values() for key in found}
        stored = self._articles_by_band(connection, keys)
        signatures = self._signatures(connection, {i for ids in stored.values() for i in ids})
        dates: dict[str, tuple[datetime | None, int]] = {}
        linked = 0
        duplicate_rows, band_rows, signature_rows = [], [], []
        for order, (ident, sig, size, published) in enumerate(entries):
            candidates = {c for key in bands_of[ident] for c in stored.get(key, ())} - {ident}
            matches = [
                (c, dedup.containment(sig, size, *signatures[c]))
                for c in candidates
                if c in signatures
            ]
            matches = [(c, score) for c, score in matches if score >= dedup.THRESHOLD]
            if matches:
                roots = self._roots(connection, [c for c, _ in matches], dates)
                original, score = min(
                    ((roots[c], score) for c, score in matches),
                    key=lambda pair: _age(dates[pair[0]]),
                )
                if _age(dates[original]) <= _age((published, 10**12 + order)):
                    duplicate_rows.append(
                        {
                            "article_id": ident,
                            "original_id": original,
                            "similarity": round(score, 3),
                        }
                    )
                    linked += 1
            signatures[ident] = (sig, size)
            dates[ident] = (published, 10**12 + order)
            for key in bands_of[ident]:
                stored.setdefault(key, []).append(ident)
                band_rows.append({"band": key[0], "hash": key[1], "article_id": ident})
            signature_rows.append(
                {"article_id": ident, "signature": dedup.to_bytes(sig), "shingles": size}
            )
        connection.execute(insert(schema.article_signatures), signature_rows)
        connection.execute(insert(schema.article_bands), band_rows)
        if duplicate_rows:
            connection.execute(insert(schema.duplicates), duplicate_rows)
        return linked

    def _articles_by_band(
        self, connection: Connection, keys: set[tuple[int, int]]
    ) -> dict[tuple[int, int], list[str]]:
        """Stored articles sharing any of these (band, hash) keys. One query per band with
        `band = ? AND hash IN (...)`, which both backends answer from the (band, hash) index
        (a row-value IN list is not, on SQLite)."""
        b = schema.article_bands
        by_band: dict[int, list[int]] = {}
        for band, value in keys:
            by_band.setdefault(band, []).append(value)
        found: dict[tuple[int, int], list[str]] = {}
        for band, values in sorted(by_band.items()):
            for chunk in _chunks(sorted(values), 500):
                rows = connection.execute(
                    select(b.c.hash, b.c.article_id).where(b.c.band == band, b.c.hash.in_(chunk))
                )
                for row in rows:
                    found.setdefault((band, row.hash), []).append(row.article_id)
        return found

    def _signatures(self, connection: Connection, ids: set[str]) -> dict[str, tuple[Any, int]]:
        s = schema.article_signatures
        result: dict[str, tuple[Any, int]] = {}
        for chunk in _chunks(sorted(ids), 500):
            for row in connection.execute(select(s).where(s.c.article_id.in_(chunk))):
                result[row.article_id] = (dedup.from_bytes(row.signature), row.shingles)
        return result

    def _roots(
        self, connection: Connection, ids: list[str], dates: dict[str, tuple[datetime | None, int]]
    ) -> dict[str, str]:
        """Each id's original (itself unless it is a copy), with the originals' dates loaded."""
        d, a = schema.duplicates, schema.articles
        roots = {i: i for i in ids}
        rows = connection.execute(
            select(d.c.article_id, d.c.original_id).where(d.c.article_id.in_(ids))
        )
        for row in rows:
            roots[row.article_id] = row.original_id
        missing = [r for r in set(roots.values()) if r not in dates]
        if missing:
            query = select(a.c.id, a.c.published, a.c.pk).where(a.c.id.in_(missing))
            for found in connection.execute(query):
                dates[found.id] = (_utc(found.published), found.pk)
        return roots

    def copies_of(self, article_id: str) -> list[str]:
        """Ids of the articles linked as copies of this one."""
        d = schema.duplicates
        with self.engine.connect() as connection:
            rows = connection.execute(select(d.c.article_id).where(d.c.original_id == article_id))
            return sorted(row.article_id for row in rows)

    def _count(self, connection: Connection, table: Any) -> int:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())

    def get_article(self, ident: str) -> Article | None:
        """The article with this id, or None."""
        with self.engine.connect() as connection:
            row = connection.execute(_article_select().where(schema.articles.c.id == ident)).first()
        return _article_from_row(row) if row is not None else None

    def articles_by_id(self, ids: Sequence[str]) -> dict[str, Article]:
        """The stored articles with these ids (missing ids are left out)."""
        found: dict[str, Article] = {}
        with self.engine.connect() as connection:
            for chunk in _chunks(sorted(set(ids)), 500):
                query = _article_select().where(schema.articles.c.id.in_(chunk))
                for row in connection.execute(query):
                    found[row.id] = _article_from_row(row)
        return found

    def iter_articles(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        batch: int = 1000,
    ) -> Iterator[Article]:
        """Stored articles in order of insertion, optionally within a publication window
        (`since` inclusive, `until` exclusive), read in batches so memory stays flat."""
        a = schema.articles
        conditions = []
        if since is not None:
            conditions.append(a.c.published >= since)
        if until is not None:
            conditions.append(a.c.published < until)
        last = 0
        while True:
            query = (
                _article_select().where(a.c.pk > last, *conditions).order_by(a.c.pk).limit(batch)
            )
            with self.engine.connect() as connection:
                rows = connection.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield _article_from_row(row)
            last = rows[-1].pk

    def count_articles(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> int:
        """How many articles `iter_articles` would yield."""
        a = schema.articles
        query = select(func.count()).select_from(a)
        if since is not None:
            query = query.where(a.c.published >= since)
        if until is not None:
            query = query.where(a.c.published < until)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    # -- codings -----------------------------------------------------------------------------

    def articles_to_code(self, coder_version: str, *, batch: int = 500) -> Iterator[list[Article]]:
        """Batches of articles with no coding, or a coding by another coder version."""
        a, c = schema.articles, schema.codings
        last = 0
        while True:
            query = (
                _article_select()
                .outerjoin(c, c.c.article_id == a.c.id)
                .where(a.c.pk > last)
                .where(or_(c.c.article_id.is_(None), c.c.coder_version != coder_version))
                .order_by(a.c.pk)
                .limit(batch)
            )
            with self.engine.connect() as connection:
                rows = connection.execute(query).all()
            if not rows:
                return
            yield [_article_from_row(row) for row in rows]
            last = rows[-1].pk

    def count_to_code(self, coder_version: str) -> int:
        """How many articles `articles_to_code` would yield."""
        a, c = schema.articles, schema.codings
        query = (
            select(func.count())
            .select_from(a.outerjoin(c, c.c.article_id == a.c.id))
            .where(or_(c.c.article_id.is_(None), c.c.coder_version != coder_version))
        )
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def save_codings(self, codings: Sequence[CodedArticle], *, now: datetime) -> None:
        """Store codings (replacing earlier ones for the same articles) in one transaction:
        the article's coding, its mentions and one interaction per dyad."""
        if not codings:
            return
        ids = [c.id for c in codings]
        with self.transaction() as connection:
            for table in (schema.interactions, schema.mentions, schema.codings):
                connection.execute(table.delete().where(table.c.article_id.in_(ids)))
            connection.execute(insert(schema.codings), [_coding_row(c, now) for c in codings])
            mentions = [_mention_row(c, m) for c in codings for m in c.actors]
            if mentions:
                connection.execute(insert(schema.mentions), mentions)
            interactions = [_interaction_row(i) for c in codings for i in c.interactions]
            if interactions:
                connection.execute(insert(schema.interactions), interactions)

    def coding_of(self, article_id: str) -> dict[str, Any] | None:
        """The stored coding of one article with its interactions, or None."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(schema.codings).where(schema.codings.c.article_id == article_id)
            ).first()
            if row is None:
                return None
            interactions = connection.execute(
                select(schema.interactions).where(schema.interactions.c.article_id == article_id)
            ).all()
        coding = dict(row._mapping)
        coding["interactions"] = [dict(i._mapping) for i in interactions]
        return coding

    # -- sources and the items their feeds announce ----------------------------------------------

    def add_source(
        self, *, url: str, canonical_url: str, title: str, kind: str, interval: int, now: datetime
    ) -> bool:
        """Add a source unless its canonical URL is known; True when it was added."""
        dialect = postgresql if self.backend == "postgresql" else sqlite
        statement = (
            dialect.insert(schema.sources)
            .values(
                url=url,
                canonical_url=canonical_url,
                title=title or None,
                kind=kind,
                interval_minutes=interval,
                enabled=True,
                added_at=now,
                failures=0,
                next_due=now,
                items_seen=0,
            )
            .on_conflict_do_nothing()
        )
        s = schema.sources
        with self.transaction() as connection:
            known = connection.execute(
                select(s.c.id).where(s.c.canonical_url == canonical_url)
            ).first()
            if known is not None:
                return False
            connection.execute(statement)  # ON CONFLICT covers a concurrent add
            return True

    def sources(self, *, due_by: datetime | None = None) -> list[dict[str, Any]]:
        """Every source (or the enabled ones due by `due_by`), oldest first."""
        s = schema.sources
        query = select(s).order_by(s.c.id)
        if due_by is not None:
            query = query.where(s.c.kind == "feed", s.c.enabled.is_(True), s.c.next_due <= due_by)
        with self.engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
        for row in rows:
            for key in ("added_at", "last_checked", "last_success", "next_due"):
                row[key] = _utc(row[key])
        return rows

    def record_poll(
        self, source_id: int, *, state: dict[str, Any], items: Sequence[dict[str, Any]]
    ) -> int:
        """Store a poll's outcome and the new items it found, in one transaction; returns how
        many items were new (an item already known by its canonical URL is skipped)."""
        dialect = postgresql if self.backend == "postgresql" else sqlite
        with self.transaction() as connection:
            added = 0
            if items:
                known = {
                    row.canonical_url
                    for row in connection.execute(
                        select(schema.feed_items.c.canonical_url).where(
                            schema.feed_items.c.canonical_url.in_(
                                [i["canonical_url"] for i in items]
                            )
                        )
                    )
                }
                fresh = [i for i in items if i["canonical_url"] not in known]
                if fresh:
                    connection.execute(
                        dialect.insert(schema.feed_items).on_conflict_do_nothing(), fresh
                    )
                added = len(fresh)
            s = schema.sources
            values = dict(state)
            if added:
                values["items_seen"] = s.c.items_seen + added
            connection.execute(update(s).where(s.c.id == source_id).values(values))
        return added

    def pending_items(self, *, limit: int, max_attempts: int) -> list[dict[str, Any]]:
        """Queued items whose page is still to fetch, oldest first."""
        f = schema.feed_items
        query = (
            select(f)
            .where(f.c.status == "pending", f.c.attempts < max_attempts)
            .order_by(f.c.id)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
        for row in rows:
            row["published"] = _utc(row["published"])
        return rows

    def update_item(self, item_id: int, values: dict[str, Any]) -> None:
        """Record what happened to a queued item."""
        f = schema.feed_items
        with self.transaction() as connection:
            connection.execute(update(f).where(f.c.id == item_id).values(values))

    def feed_item_counts(self) -> dict[str, int]:
        """Feed items by status."""
        f = schema.feed_items
        with self.engine.connect() as connection:
            rows = connection.execute(select(f.c.status, func.count()).group_by(f.c.status))
            return {status: int(n) for status, n in rows}

    # -- GDELT -------------------------------------------------------------------------------

    def add_gdelt_events(self, rows: Sequence[dict[str, Any]]) -> int:
        """Store GDELT events (an event already stored is left alone); returns how many were new."""
        if not rows:
            return 0
        g = schema.gdelt_events
        dialect = postgresql if self.backend == "postgresql" else sqlite
        with self.transaction() as connection:
            ids = [r["event_id"] for r in rows]
            known = {
                row.event_id
                for chunk in _chunks(ids, 500)
                for row in connection.execute(select(g.c.event_id).where(g.c.event_id.in_(chunk)))
            }
            fresh = [r for r in rows if r["event_id"] not in known]
            if fresh:
                connection.execute(dialect.insert(g).on_conflict_do_nothing(), fresh)
        return len(fresh)

    def gdelt_source(self, *, now: datetime) -> dict[str, Any]:
        """The pseudo-source that GDELT's article URLs are queued under (made on first use)."""
        self.add_source(
            url="gdelt:", canonical_url="gdelt:", title="GDELT", kind="gdelt", interval=0, now=now
        )
        with self.engine.connect() as connection:
            row = connection.execute(
                select(schema.sources).where(schema.sources.c.canonical_url == "gdelt:")
            ).one()
        return dict(row._mapping)

    # -- search ------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Articles matching a web-search style query, best first."""
        parsed = parse_query(query)
        if parsed.empty:
            return []
        if is_cjk(query):
            return self._search_substring(parsed.groups, parsed.excluded, limit)
        if self.backend == "sqlite":
            return self._search_sqlite(fts5_expression(parsed), limit)
        return self._search_postgres(query, limit)

    def _search_sqlite(self, expression: str, limit: int) -> list[SearchHit]:
        sql = text(
            "SELECT a.id, a.title, o.name AS outlet, a.published, a.url, "
            "snippet(articles_fts, 1, '[', ']', ' … ', 24) AS snippet, "
            "bm25(articles_fts, 4.0, 1.0) AS rank "
            "FROM articles_fts JOIN articles a ON a.pk = articles_fts.rowid "
            "JOIN outlets o ON o.id = a.outlet_id "
            "WHERE articles_fts MATCH :q ORDER BY rank, a.published DESC LIMIT :limit"
        )
        with self.engine.connect() as connection:
            rows = connection.execute(sql, {"q": expression, "limit": limit}).all()
        return [_hit(row, rank=-float(row.rank)) for row in rows]

    def _search_postgres(self, query: str, limit: int) -> list[SearchHit]:
        sql = text(
            "SELECT a.id, a.title, o.name AS outlet, a.published, a.url, "
            "ts_headline('english', a.text, q, 'StartSel=[, StopSel=], MaxWords=30, MinWords=12') "
            "AS snippet, ts_rank(a.search, q) AS rank "
            "FROM articles a JOIN outlets o ON o.id = a.outlet_id, "
            "websearch_to_tsquery('english', :q) AS q "
            "WHERE a.search @@ q ORDER BY rank DESC, a.published DESC LIMIT :limit"
        )
        with self.engine.connect() as connection:
            rows = connection.execute(sql, {"q": query, "limit": limit}).all()
        return [_hit(row, rank=float(row.rank)) for row in rows]

    def _search_substring(
        self, groups: Sequence[Sequence[str]], excluded: Sequence[str], limit: int
    ) -> list[SearchHit]:
        a, o = schema.articles, schema.outlets

        def contains(phrase: str) -> Any:
            pattern = like_pattern(phrase)
            return or_(a.c.title.like(pattern, escape="\\"), a.c.text.like(pattern, escape="\\"))

        conditions = [or_(*(contains(p) for p in group)) for group in groups]
        conditions += [~contains(p) for p in excluded]
        query = (
            select(a.c.id, a.c.title, o.c.name.label("outlet"), a.c.published, a.c.url, a.c.text)
            .join(o, o.c.id == a.c.outlet_id)
            .where(and_(*conditions))
            .order_by(a.c.published.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        first = groups[0][0]
        return [_hit(row, rank=0.0, snippet=_substring_snippet(row.text, first)) for row in rows]

    # -- runs and figures --------------------------------------------------------------------

    def start_run(self, kind: str, *, args: dict[str, Any], now: datetime) -> int:
        """Record the start of a run and return its id."""
        with self.transaction() as connection:
            result = connection.execute(
                insert(schema.runs).values(
                    kind=kind, started_at=now, status="running", stats={}, args=args
                )
            )
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def finish_run(self, run_id: int, *, status: str, stats: dict[str, Any], now: datetime) -> None:
        """Record how a run ended."""
        with self.transaction() as connection:
            connection.execute(
                update(schema.runs)
                .where(schema.runs.c.id == run_id)
                .values(finished_at=now, status=status, stats=stats)
            )

    def stats(self) -> dict[str, Any]:
        """Counts for contract 6 and a little more: what is in the database."""
        a = schema.articles
        with self.engine.connect() as connection:
            counts: dict[str, Any] = {
                "articles": self._count(connection, a),
                "outlets": self._count(connection, schema.outlets),
                "coded": self._count(connection, schema.codings),
                "stories": self._count(connection, schema.stories),
                "issues": self._count(connection, schema.issues),
                "interactions": self._count(connection, schema.interactions),
            }
            first, last = connection.execute(
                select(func.min(a.c.published), func.max(a.c.published))
            ).one()
            by_kind = connection.execute(
                select(schema.outlets.c.kind, func.count())
                .select_from(a.join(schema.outlets, schema.outlets.c.id == a.c.outlet_id))
                .group_by(schema.outlets.c.kind)
            ).all()
            with_articles = connection.execute(
                select(func.count(func.distinct(a.c.outlet_id)))
            ).scalar_one()
        counts["outlets_with_articles"] = int(with_articles)
        counts["articles_by_kind"] = {kind: int(n) for kind, n in sorted(by_kind)}
        counts["published"] = {
            "first": _iso(_utc(first)),
            "last": _iso(_utc(last)),
        }
        counts["backend"] = self.backend
        counts["schema"] = self.schema_version()
        return counts


def _article_select() -> Any:
    a, o = schema.articles, schema.outlets
    return select(
        a.c.pk,
        a.c.id,
        a.c.url,
        a.c.canonical_url,
        o.c.name.label("outlet"),
        o.c.kind.label("outlet_kind"),
        a.c.title,
        a.c.text,
        a.c.authors,
        a.c.published,
        a.c.fetched,
        a.c.language,
        a.c.content_hash,
        a.c.extra,
    ).join(o, o.c.id == a.c.outlet_id)


def _article_from_row(row: Any) -> Article:
    fetched = _utc(row.fetched)
    assert fetched is not None
    return Article(
        id=row.id,
        url=row.url,
        canonical_url=row.canonical_url,
        outlet=row.outlet,
        title=row.title,
        text=row.text,
        authors=tuple(row.authors or ()),
        published=_utc(row.published),
        fetched=fetched,
        language=row.language,
        content_hash=row.content_hash,
        extra=dict(row.extra or {}),
    )


def _outlet_values(outlet: Outlet, *, origin: str) -> dict[str, Any]:
    return {
        "name": outlet.name,
        "domain": outlet.domain,
        "kind": outlet.kind,
        "country": outlet.country,
        "language": outlet.language,
        "state_affiliated": outlet.state_affiliated,
        "aliases": list(outlet.aliases),
        "origin": origin,
    }


def _outlet_from_row(row: Any) -> Outlet:
    return Outlet(
        name=row.name,
        domain=row.domain,
        kind=row.kind,
        country=row.country,
        language=row.language,
        state_affiliated=bool(row.state_affiliated),
        aliases=tuple(row.aliases or ()),
    )


def _clear_domain(
    connection: Connection, domain: str | None, *, keep_id: int | None = None
) -> None:
    """An outlet met in the input may hold a domain the data file now assigns to a known outlet:
    the data file wins, and the articles keep their outlet row."""
    if not domain:
        return
    o = schema.outlets
    query = update(o).where(o.c.domain == domain)
    if keep_id is not None:
        query = query.where(o.c.id != keep_id)
    connection.execute(query.values(domain=None))


def _hit(row: Any, *, rank: float, snippet: str | None = None) -> SearchHit:
    return SearchHit(
        id=row.id,
        title=row.title,
        outlet=row.outlet,
        published=_utc(row.published),
        url=row.url,
        snippet=" ".join((snippet if snippet is not None else row.snippet or "").split()),
        rank=rank,
    )


def _substring_snippet(body: str, phrase: str, width: int = 60) -> str:
    at = body.find(phrase)
    if at < 0:
        return body[: 2 * width]
    start = max(0, at - width)
    return body[start:at] + "[" + phrase + "]" + body[at + len(phrase) : at + len(phrase) + width]


def _age(date: tuple[datetime | None, int]) -> tuple[int, float, int]:
    """Sort key for "which came first": dated before undated, then by date, then stored order."""
    published, order = date
    return (0, published.timestamp(), order) if published is not None else (1, 0.0, order)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _first_line(error: SQLAlchemyError) -> str:
    orig = getattr(error, "orig", None)
    message = str(orig) if orig is not None else str(error)
    return message.strip().splitlines()[0] if message.strip() else type(error).__name__


def _coding_row(coded: CodedArticle, now: datetime) -> dict[str, Any]:
    return {
        "article_id": coded.id,
        "relevant": coded.relevant,
        "score": coded.score,
        "crank": list(coded.crank),
        "relation": coded.relation,
        "topic": coded.topic,
        "event_type": coded.event_type,
        "intensity": coded.intensity,
        "coder_version": coded.coder,
        "cue_event": coded.cue_event,
        "coded_at": now,
    }


def _mention_row(coded: CodedArticle, mention: Mention) -> dict[str, Any]:
    return {
        "article_id": coded.id,
        "actor_id": mention.actor_id,
        "country": mention.country,
        "text": mention.text,
        "start": mention.start,
        "end": mention.end,
        "sentence": mention.sentence,
        "coder_version": coded.coder,
    }


def _interaction_row(interaction: Any) -> dict[str, Any]:
    return {
        "article_id": interaction.article_id,
        "dyad": interaction.dyad,
        "relation": interaction.relation,
        "event_type": interaction.event_type,
        "topic": interaction.topic,
        "intensity": interaction.intensity,
        "confidence": interaction.confidence,
        "evidence": [
            {"text": e.text, "start": e.start, "end": e.end} for e in interaction.evidence
        ],
        "coder_version": interaction.coder_version,
    }
