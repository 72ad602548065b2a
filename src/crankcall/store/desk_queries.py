"""The SQL of the editor's desk: accounts, sessions, tokens, login attempts, editor labels, the
story queue of a window, issue items with their revisions, and the frozen files of published
issues.

A mixin of `Store` (see repository.py). Item edits are optimistic: a save names the version it
was made from, and a save against a newer version changes nothing and raises `StaleVersionError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    String,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from crankcall.errors import CrankcallError, InputError, NotFoundError
from crankcall.store import schema
from crankcall.store.rows import utc as _utc
from crankcall.store.search import like_pattern

SECTIONS = ("highlights", "links", "analysis", "perspectives")
ROLES = ("viewer", "editor", "admin")


class StaleVersionError(CrankcallError):
    """An item was saved from a version that is no longer the newest; nothing was changed."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            f"item {current['id']} changed meanwhile (now version {current['version']})"
        )
        self.current = current


@dataclass(frozen=True, kw_only=True, slots=True)
class QueueFilter:
    """What the desk's story queue is narrowed to; empty fields filter nothing."""

    dyad: str = ""
    relation: str = ""
    topic: str = ""
    section: str = ""
    kind: str = ""
    text: str = ""
    scope: str = ""  # "in": only stories in scope, "out": only those out of it


class DeskQueries:
    """Desk queries; `Store` supplies `engine`, `backend` and `transaction`."""

    engine: Engine
    backend: str

    def transaction(self) -> AbstractContextManager[Connection]:  # provided by Store
        raise NotImplementedError

    # -- accounts -------------------------------------------------------------------------------

    def add_user(self, name: str, *, role: str, password_hash: str, now: datetime) -> int:
        """Create an account; the name must be new."""
        if role not in ROLES:
            raise InputError(f"unknown role {role!r} (use {', '.join(ROLES)})")
        u = schema.users
        with self.transaction() as connection:
            if connection.execute(select(u.c.id).where(u.c.name == name)).first() is not None:
                raise InputError(f"a user named {name!r} already exists")
            done = connection.execute(
                insert(u).values(name=name, role=role, password_hash=password_hash, created_at=now)
            )
            return int(done.inserted_primary_key[0])  # type: ignore[index]

    def set_password(self, name: str, *, password_hash: str) -> None:
        """Replace a user's password hash (after a rehash or a reset)."""
        u = schema.users
        with self.transaction() as connection:
            connection.execute(
                update(u).where(u.c.name == name).values(password_hash=password_hash)
            )

    def user_by_name(self, name: str) -> dict[str, Any] | None:
        """The account with this name, or None."""
        u = schema.users
        with self.engine.connect() as connection:
            row = connection.execute(select(u).where(u.c.name == name)).first()
        return dict(row._mapping) if row is not None else None

    def users(self) -> list[dict[str, Any]]:
        """Every account (without password hashes), by name."""
        u = schema.users
        query = select(u.c.id, u.c.name, u.c.role, u.c.created_at, u.c.disabled).order_by(u.c.name)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    # -- sessions -------------------------------------------------------------------------------

    def create_session(
        self, key: str, *, user_id: int, csrf: str, now: datetime, expires: datetime
    ) -> None:
        """Store a session under the hash of its cookie value; expired sessions are cleared."""
        s = schema.sessions
        with self.transaction() as connection:
            connection.execute(delete(s).where(s.c.expires_at < now))
            connection.execute(
                insert(s).values(
                    id=key, user_id=user_id, csrf=csrf, created_at=now, expires_at=expires
                )
            )

    def session_user(self, key: str, *, now: datetime) -> dict[str, Any] | None:
        """The user of a live session with the session's CSRF token and end, or None."""
        s, u = schema.sessions, schema.users
        query = (
            select(u.c.id, u.c.name, u.c.role, s.c.csrf, s.c.expires_at)
            .join(u, u.c.id == s.c.user_id)
            .where(s.c.id == key, s.c.expires_at > now, u.c.disabled.is_(False))
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return dict(row._mapping) if row is not None else None

    def delete_session(self, key: str) -> None:
        """End a session."""
        with self.transaction() as connection:
            connection.execute(delete(schema.sessions).where(schema.sessions.c.id == key))

    # -- API tokens -----------------------------------------------------------------------------

    def add_token(self, name: str, *, token_hash: str, now: datetime) -> None:
        """Store an API token's hash under a new name."""
        t = schema.api_tokens
        with self.transaction() as connection:
            if connection.execute(select(t.c.id).where(t.c.name == name)).first() is not None:
                raise InputError(f"a token named {name!r} already exists")
            connection.execute(insert(t).values(name=name, token_hash=token_hash, created_at=now))

    def token_name(self, token_hash: str, *, now: datetime) -> str | None:
        """The name of the token with this hash, or None. Its use is noted at most once a
        minute: a read of the API should not cost a write every time."""
        t = schema.api_tokens
        with self.engine.connect() as connection:
            row = connection.execute(
                select(t.c.name, t.c.last_used).where(t.c.token_hash == token_hash)
            ).first()
        if row is None:
            return None
        last_used = _utc(row.last_used)
        if last_used is None or last_used < now - timedelta(minutes=1):
            with self.transaction() as connection:
                connection.execute(
                    update(t).where(t.c.token_hash == token_hash).values(last_used=now)
                )
        return str(row.name)

    # -- login attempts -------------------------------------------------------------------------

    def record_login(self, name: str, *, ip: str, ok: bool, now: datetime) -> None:
        """Note one login attempt."""
        with self.transaction() as connection:
            connection.execute(
                insert(schema.login_attempts).values(name=name[:100], ip=ip[:64], at=now, ok=ok)
            )

    def login_failures(self, *, name: str, ip: str, since: datetime) -> tuple[int, int]:
        """Failed logins since `since`: for this name, and from this address."""
        a = schema.login_attempts
        failed = and_(a.c.at >= since, a.c.ok.is_(False))
        with self.engine.connect() as connection:
            by_name = connection.execute(
                select(func.count()).where(failed, a.c.name == name[:100])
            ).scalar_one()
            by_ip = connection.execute(
                select(func.count()).where(failed, a.c.ip == ip[:64])
            ).scalar_one()
        return int(by_name), int(by_ip)

    # -- editor labels --------------------------------------------------------------------------

    def add_label(
        self,
        article_id: str,
        *,
        dyads: Sequence[str],
        relation: str,
        topic: str,
        author: str,
        now: datetime,
    ) -> None:
        """Store an editor's coding of an article, apart from the machine's."""
        a = schema.articles
        with self.transaction() as connection:
            if connection.execute(select(a.c.id).where(a.c.id == article_id)).first() is None:
                raise NotFoundError(f"no article {article_id!r}")
            connection.execute(
                insert(schema.editor_labels).values(
                    article_id=article_id,
                    dyads=sorted(set(dyads)),
                    relation=relation,
                    topic=topic,
                    author=author,
                    created_at=now,
                )
            )

    def labels(self, article_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Editor labels, newest first (of these articles, or all: the gold set editors make)."""
        e = schema.editor_labels
        query = select(e).order_by(e.c.created_at.desc(), e.c.id.desc())
        if article_ids is not None:
            query = query.where(e.c.article_id.in_(list(article_ids)))
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    # -- the story queue ------------------------------------------------------------------------

    def set_override(
        self,
        window_key: str,
        story_id: str,
        *,
        by: str,
        now: datetime,
        section: str | None = None,
        position: int | None = None,
    ) -> None:
        """Keep an editor's section or place for a story in one window (None leaves it)."""
        o = schema.story_overrides
        key = and_(o.c.window_key == window_key, o.c.story_id == story_id)
        values: dict[str, Any] = {"updated_by": by, "updated_at": now}
        if section is not None:
            values["section"] = section
        if position is not None:
            values["position"] = position
        with self.transaction() as connection:
            if (
                connection.execute(
                    select(schema.stories.c.id).where(schema.stories.c.id == story_id)
                ).first()
                is None
            ):
                raise NotFoundError(f"no story {story_id!r}")
            if connection.execute(select(o.c.story_id).where(key)).first() is None:
                connection.execute(
                    insert(o).values(window_key=window_key, story_id=story_id, **values)
                )
            else:
                connection.execute(update(o).where(key).values(**values))

    def story_overrides(self, window_key: str) -> dict[str, tuple[str | None, int | None]]:
        """The editor's section and place for stories in one window: id -> (section, position)."""
        o = schema.story_overrides
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(o.c.story_id, o.c.section, o.c.position).where(o.c.window_key == window_key)
            )
            return {row.story_id: (row.section, row.position) for row in rows}

    def queue(
        self,
        *,
        since: datetime,
        until: datetime,
        window_key: str,
        filters: QueueFilter,
        offset: int,
        limit: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the window's stories (those whose coverage overlaps it), editor's order
        first, then pinned, then by score; with the number of stories matching in all."""
        s, o = schema.stories, schema.story_overrides
        section = func.coalesce(o.c.section, s.c.section)
        joined = s.outerjoin(o, and_(o.c.story_id == s.c.id, o.c.window_key == window_key))
        conditions = [s.c.last_seen >= since, s.c.first_seen < until]
        conditions += self._queue_conditions(filters, section)
        base = select(
            s, o.c.position.label("manual_position"), section.label("effective_section")
        ).select_from(joined)
        order = [
            case((o.c.position.is_(None), 1), else_=0),
            o.c.position,
            s.c.pinned.desc(),
            s.c.excluded.asc(),
            s.c.score.desc(),
            s.c.id,
        ]
        with self.engine.connect() as connection:
            total = connection.execute(
                select(func.count()).select_from(joined).where(*conditions)
            ).scalar_one()
            # Sort only the keys, then read the page's full rows: sorting whole rows (JSON and
            # all) of thousands of stories is what made a page slow.
            ids = list(
                connection.execute(
                    select(s.c.id)
                    .select_from(joined)
                    .where(*conditions)
                    .order_by(*order)
                    .offset(offset)
                    .limit(limit)
                ).scalars()
            )
            found = {
                row.id: dict(row._mapping)
                for row in connection.execute(base.where(s.c.id.in_(ids)))
            }
        return [found[i] for i in ids if i in found], int(total)

    def queue_index(
        self, *, since: datetime, until: datetime, window_key: str
    ) -> list[dict[str, Any]]:
        """What the desk filters and orders a window's queue by, for every story overlapping the
        window (small columns only, and the kinds of the outlets covering each story)."""
        s, o = schema.stories, schema.story_overrides
        sa, a, out = schema.story_articles, schema.articles, schema.outlets
        joined = s.outerjoin(o, and_(o.c.story_id == s.c.id, o.c.window_key == window_key))
        overlap = [s.c.last_seen >= since, s.c.first_seen < until]
        query = (
            select(
                s.c.id,
                s.c.headline,
                s.c.dyads,
                s.c.relation,
                s.c.topic,
                func.coalesce(o.c.section, s.c.section).label("effective_section"),
                s.c.relevant,
                s.c.pinned,
                s.c.excluded,
                s.c.score,
                o.c.position,
            )
            .select_from(joined)
            .where(*overlap)
        )
        kinds = (
            select(sa.c.story_id, out.c.kind)
            .join(a, a.c.id == sa.c.article_id)
            .join(out, out.c.id == a.c.outlet_id)
            .where(sa.c.story_id.in_(select(s.c.id).where(*overlap)))
            .distinct()
        )
        with self.engine.connect() as connection:
            rows = {row.id: {**row._mapping, "kinds": set()} for row in connection.execute(query)}
            for story_id, kind in connection.execute(kinds):
                if story_id in rows:
                    rows[story_id]["kinds"].add(kind)
        return list(rows.values())

    def queue_rows(self, ids: Sequence[str], *, window_key: str) -> list[dict[str, Any]]:
        """The full rows of these stories, in the order given, with the window's overrides."""
        s, o = schema.stories, schema.story_overrides
        joined = s.outerjoin(o, and_(o.c.story_id == s.c.id, o.c.window_key == window_key))
        query = (
            select(
                s,
                o.c.position.label("manual_position"),
                func.coalesce(o.c.section, s.c.section).label("effective_section"),
            )
            .select_from(joined)
            .where(s.c.id.in_(list(ids)))
        )
        with self.engine.connect() as connection:
            found = {row.id: dict(row._mapping) for row in connection.execute(query)}
        return [found[i] for i in ids if i in found]

    def queue_stamp(self) -> tuple[Any, ...]:
        """A cheap summary that changes when what the queue shows changes: the latest update of
        stories, overrides and issues (novelty looks at earlier issues) and the latest coding.
        The desk keeps a window's ranking and pages while it stays the same."""
        s, o = schema.stories, schema.story_overrides
        i, c = schema.issues, schema.codings
        query = select(
            select(func.max(s.c.updated_at)).scalar_subquery(),
            select(func.max(o.c.updated_at)).scalar_subquery(),
            select(func.count()).select_from(o).scalar_subquery(),
            select(func.max(i.c.updated_at)).scalar_subquery(),
            select(func.max(c.c.coded_at)).scalar_subquery(),
        )
        with self.engine.connect() as connection:
            return tuple(connection.execute(query).one())

    def _queue_conditions(self, filters: QueueFilter, section: Any) -> list[Any]:
        s = schema.stories
        found: list[Any] = []
        if filters.dyad:
            found.append(cast(s.c.dyads, String).like(f'%"{filters.dyad}"%'))
        if filters.scope in {"in", "out"}:
            found.append(s.c.relevant.is_(filters.scope == "in"))
        if filters.relation:
            found.append(s.c.relation == filters.relation)
        if filters.topic:
            found.append(s.c.topic == filters.topic)
        if filters.section:
            found.append(section == filters.section)
        if filters.text:
            found.append(
                func.lower(s.c.headline).like(like_pattern(filters.text.lower()), escape="\\")
            )
        if filters.kind:
            sa, a, out = schema.story_articles, schema.articles, schema.outlets
            found.append(
                s.c.id.in_(
                    select(sa.c.story_id)
                    .join(a, a.c.id == sa.c.article_id)
                    .join(out, out.c.id == a.c.outlet_id)
                    .where(out.c.kind == filters.kind)
                )
            )
        return found

    def story_members(self, story_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Each story's articles with outlet, kind, date and the machine's coding, by date."""
        sa, a, out, c = schema.story_articles, schema.articles, schema.outlets, schema.codings
        found: dict[str, list[dict[str, Any]]] = {sid: [] for sid in story_ids}
        if not story_ids:
            return found
        query = (
            select(
                sa.c.story_id,
                sa.c.added_by,
                a.c.id,
                a.c.url,
                a.c.title,
                a.c.published,
                out.c.name.label("outlet"),
                out.c.kind.label("outlet_kind"),
                c.c.relation,
                c.c.topic,
                c.c.crank,
            )
            .join(a, a.c.id == sa.c.article_id)
            .join(out, out.c.id == a.c.outlet_id)
            .outerjoin(c, c.c.article_id == a.c.id)
            .where(sa.c.story_id.in_(list(story_ids)))
            .order_by(a.c.published, a.c.id)
        )
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                entry = dict(row._mapping)
                entry["published"] = _utc(entry["published"])
                found[row.story_id].append(entry)
        return found

    # -- issues and items -----------------------------------------------------------------------

    def issue_by_month(self, month: str) -> dict[str, Any] | None:
        """The issue row of a month, or None."""
        i = schema.issues
        with self.engine.connect() as connection:
            row = connection.execute(select(i).where(i.c.month == month)).first()
        return _issue(row) if row is not None else None

    def issues_list(self, *, published_only: bool) -> list[dict[str, Any]]:
        """Issue rows, newest month first."""
        i = schema.issues
        query = select(i).order_by(i.c.month.desc())
        if published_only:
            query = query.where(i.c.status == "published")
        with self.engine.connect() as connection:
            return [_issue(row) for row in connection.execute(query)]

    def issue_items(self, issue_id: int) -> list[dict[str, Any]]:
        """The items of an issue, section by section in the issue's order, then by position."""
        it = schema.items
        order = case({name: n for n, name in enumerate(SECTIONS)}, value=it.c.section, else_=9)
        query = select(it).where(it.c.issue_id == issue_id).order_by(order, it.c.position, it.c.id)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def item(self, item_id: int) -> dict[str, Any] | None:
        """One item, or None."""
        it = schema.items
        with self.engine.connect() as connection:
            row = connection.execute(select(it).where(it.c.id == item_id)).first()
        return dict(row._mapping) if row is not None else None

    def save_item(
        self,
        item_id: int,
        *,
        headline: str,
        body: Mapping[str, Any],
        version: int,
        author: str,
        now: datetime,
        note: str | None = None,
    ) -> int:
        """Save an item edited from `version`, keeping a revision; returns the new version.
        Raises `StaleVersionError` (changing nothing) when the item has moved past `version`."""
        it, rv = schema.items, schema.revisions
        with self.transaction() as connection:
            row = connection.execute(select(it).where(it.c.id == item_id)).first()
            if row is None:
                raise NotFoundError(f"no item {item_id}")
            self._keep_first_revision(connection, dict(row._mapping))
            done = connection.execute(
                update(it)
                .where(it.c.id == item_id, it.c.version == version)
                .values(
                    headline=headline,
                    body=dict(body),
                    version=version + 1,
                    updated_at=now,
                    updated_by=author,
                )
            )
            if not done.rowcount:
                current = connection.execute(select(it).where(it.c.id == item_id)).one()
                raise StaleVersionError(dict(current._mapping))
            connection.execute(
                insert(rv).values(
                    item_id=item_id,
                    version=version + 1,
                    author=author,
                    created_at=now,
                    headline=headline,
                    body=dict(body),
                    note=note,
                )
            )
        return version + 1

    def _keep_first_revision(self, connection: Connection, row: dict[str, Any]) -> None:
        """The drafted text is revision 1, so the first edit has something to differ from."""
        rv = schema.revisions
        if connection.execute(select(rv.c.id).where(rv.c.item_id == row["id"]).limit(1)).first():
            return
        connection.execute(
            insert(rv).values(
                item_id=row["id"],
                version=row["version"],
                author=row["updated_by"],
                created_at=row["updated_at"],
                headline=row["headline"],
                body=row["body"],
                note="as drafted",
            )
        )

    def revisions_of(self, item_id: int) -> list[dict[str, Any]]:
        """An item's revisions, oldest first."""
        rv = schema.revisions
        query = select(rv).where(rv.c.item_id == item_id).order_by(rv.c.version)
        with self.engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
        for row in rows:
            row["created_at"] = _utc(row["created_at"])
        return rows

    def add_item(
        self,
        issue_id: int,
        *,
        section: str,
        headline: str,
        body: Mapping[str, Any],
        story_id: str | None,
        author: str,
        now: datetime,
    ) -> int:
        """Append an item to a section of an issue; returns its id."""
        if section not in SECTIONS:
            raise InputError(f"unknown section {section!r}")
        it = schema.items
        with self.transaction() as connection:
            last = connection.execute(
                select(func.max(it.c.position)).where(
                    it.c.issue_id == issue_id, it.c.section == section
                )
            ).scalar()
            done = connection.execute(
                insert(it).values(
                    issue_id=issue_id,
                    story_id=story_id,
                    section=section,
                    position=(last + 1) if last is not None else 0,
                    headline=headline,
                    body=dict(body),
                    version=1,
                    updated_at=now,
                    updated_by=author,
                )
            )
            return int(done.inserted_primary_key[0])  # type: ignore[index]

    def set_issue_status(
        self, issue_id: int, *, status: str, allowed_from: Sequence[str], now: datetime
    ) -> None:
        """Move an issue to `status` if it is in one of `allowed_from`."""
        i = schema.issues
        with self.transaction() as connection:
            done = connection.execute(
                update(i)
                .where(i.c.id == issue_id, i.c.status.in_(list(allowed_from)))
                .values(status=status, updated_at=now)
            )
            if not done.rowcount:
                raise InputError(f"the issue must be {' or '.join(allowed_from)} to be {status}")

    def publish_issue(self, issue_id: int, files: Mapping[str, bytes], *, now: datetime) -> None:
        """Freeze the rendered files of an approved issue and mark it published, together."""
        i, f = schema.issues, schema.issue_files
        with self.transaction() as connection:
            done = connection.execute(
                update(i)
                .where(i.c.id == issue_id, i.c.status == "approved")
                .values(status="published", published_at=now, updated_at=now)
            )
            if not done.rowcount:
                raise InputError("only an approved issue can be published")
            connection.execute(delete(f).where(f.c.issue_id == issue_id))
            connection.execute(
                insert(f),
                [
                    {"issue_id": issue_id, "format": fmt, "content": content, "created_at": now}
                    for fmt, content in files.items()
                ],
            )

    def issue_file(self, month: str, fmt: str) -> bytes | None:
        """A frozen file of a published issue, or None."""
        i, f = schema.issues, schema.issue_files
        query = (
            select(f.c.content)
            .join(i, i.c.id == f.c.issue_id)
            .where(i.c.month == month, i.c.status == "published", f.c.format == fmt)
        )
        with self.engine.connect() as connection:
            content = connection.execute(query).scalar()
        return bytes(content) if content is not None else None

    def article_by_url(self, canonical: str) -> Any:
        """The stored article with this canonical URL, or None."""
        a = schema.articles
        with self.engine.connect() as connection:
            ident = connection.execute(
                select(a.c.id).where(a.c.canonical_url == canonical)
            ).scalar()
        return self.get_article(str(ident)) if ident is not None else None  # type: ignore[attr-defined]

    # -- the JSON API ---------------------------------------------------------------------------

    def api_articles(
        self,
        *,
        since: datetime | None,
        until: datetime | None,
        outlet: str,
        text: str,
        offset: int,
        limit: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of articles (newest first) with outlet and coding, and the count matching."""
        a, out, c = schema.articles, schema.outlets, schema.codings
        conditions: list[Any] = []
        if since is not None:
            conditions.append(a.c.published >= since)
        if until is not None:
            conditions.append(a.c.published < until)
        if outlet:
            conditions.append(out.c.name == outlet)
        if text:
            pattern = like_pattern(text.lower())
            conditions.append(
                or_(
                    func.lower(a.c.title).like(pattern, escape="\\"),
                    func.lower(a.c.text).like(pattern, escape="\\"),
                )
            )
        joined = a.join(out, out.c.id == a.c.outlet_id).outerjoin(c, c.c.article_id == a.c.id)
        query = (
            select(
                a.c.id,
                a.c.url,
                a.c.title,
                a.c.published,
                a.c.language,
                out.c.name.label("outlet"),
                out.c.kind.label("outlet_kind"),
                c.c.relevant,
                c.c.relation,
                c.c.topic,
                c.c.event_type,
                c.c.crank,
            )
            .select_from(joined)
            .where(*conditions)
            .order_by(a.c.published.desc(), a.c.pk.desc())
            .offset(offset)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            total = connection.execute(
                select(func.count()).select_from(joined).where(*conditions)
            ).scalar_one()
            rows = [dict(row._mapping) for row in connection.execute(query)]
        for row in rows:
            row["published"] = _utc(row["published"])
        return rows, int(total)

    def interaction_counts(
        self, *, dyad: str, since: datetime | None, until: datetime | None
    ) -> list[tuple[str, str, str, int]]:
        """(month, dyad, relation, articles) from the coded interactions, by month and dyad."""
        n, a = schema.interactions, schema.articles
        if self.backend == "postgresql":
            month = func.to_char(a.c.published, "YYYY-MM")
        else:
            month = func.strftime("%Y-%m", a.c.published)
        conditions: list[Any] = [a.c.published.is_not(None)]
        if dyad:
            conditions.append(n.c.dyad == dyad)
        if since is not None:
            conditions.append(a.c.published >= since)
        if until is not None:
            conditions.append(a.c.published < until)
        query = (
            select(month.label("month"), n.c.dyad, n.c.relation, func.count().label("n"))
            .join(a, a.c.id == n.c.article_id)
            .where(*conditions)
            .group_by(month, n.c.dyad, n.c.relation)
            .order_by(month, n.c.dyad, n.c.relation)
        )
        with self.engine.connect() as connection:
            return [
                (str(row.month), row.dyad, row.relation, int(row.n))
                for row in connection.execute(query)
            ]


def _issue(row: Any) -> dict[str, Any]:
    found = dict(row._mapping)
    for key in ("window_start", "window_end", "created_at", "updated_at", "published_at"):
        found[key] = _utc(found[key])
    return found
