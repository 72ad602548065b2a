"""The SQL of stories and issues: memberships, story rows, editor decisions, issue items.

A mixin of `Store` (see repository.py) kept in its own file so each part of the store stays
readable. Every article belongs to at most one story; a membership placed by an editor
(`added_by = 'editor'`) is never moved by a run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, literal, null, select, update

from crankcall.errors import InputError
from crankcall.store import schema
from crankcall.store.rows import chunks as _chunks
from crankcall.store.rows import utc as _utc

EDITOR = "editor"
MACHINE = "machine"


class StoryQueries:
    """Story and issue queries; `Store` supplies `engine` and `transaction`."""

    engine: Engine

    def transaction(self) -> AbstractContextManager[Connection]:  # provided by Store
        raise NotImplementedError

    # -- inputs of the story stage -------------------------------------------------------------

    def articles_without_story(self) -> list[str]:
        """Ids of coded articles that no story holds yet, oldest first."""
        a, c, sa = schema.articles, schema.codings, schema.story_articles
        query = (
            select(a.c.id)
            .join(c, c.c.article_id == a.c.id)
            .outerjoin(sa, sa.c.article_id == a.c.id)
            .where(sa.c.article_id.is_(None))
            .order_by(a.c.published, a.c.pk)
        )
        with self.engine.connect() as connection:
            return [row.id for row in connection.execute(query)]

    def story_inputs(self, ids: Sequence[str], *, with_text: bool = True) -> list[dict[str, Any]]:
        """What the story stage needs of these articles: article, outlet, coding, the original
        it copies and the actor ids found in it. Articles not yet coded are left out. The text
        (for terms) is read only `with_text` (else it is None): describing and ranking stories
        do without it."""
        a, o, c, d, m = (
            schema.articles,
            schema.outlets,
            schema.codings,
            schema.duplicates,
            schema.mentions,
        )
        rows: list[dict[str, Any]] = []
        with self.engine.connect() as connection:
            for chunk in _chunks(sorted(set(ids))):
                query = (
                    select(
                        a.c.id,
                        a.c.url,
                        a.c.title,
                        (func.coalesce(a.c.text, literal("")) if with_text else null()).label(
                            "text"
                        ),
                        a.c.published,
                        a.c.fetched,
                        o.c.name.label("outlet"),
                        o.c.kind.label("outlet_kind"),
                        o.c.country.label("outlet_country"),
                        c.c.relevant,
                        c.c.score,
                        c.c.crank,
                        c.c.relation,
                        c.c.topic,
                        c.c.event_type,
                        c.c.cue_event,
                        c.c.intensity,
                        d.c.original_id,
                    )
                    .join(o, o.c.id == a.c.outlet_id)
                    .join(c, c.c.article_id == a.c.id)
                    .outerjoin(d, d.c.article_id == a.c.id)
                    .where(a.c.id.in_(chunk))
                )
                result = connection.execute(query)
                keys = list(result.keys())
                found = {row[0]: dict(zip(keys, row, strict=True)) for row in result}
                for row in found.values():
                    row["dyads"], row["actors"] = [], []
                    row["published"] = _utc(row["published"] or row["fetched"])
                interactions = connection.execute(
                    select(schema.interactions.c.article_id, schema.interactions.c.dyad).where(
                        schema.interactions.c.article_id.in_(chunk)
                    )
                )
                for ident, dyad in interactions:
                    found[ident]["dyads"].append(dyad)
                # In the order named: terms of equal weight keep the order they were counted
                # in, and a server returns rows in no order unless asked.
                mentions = connection.execute(
                    select(m.c.article_id, m.c.actor_id)
                    .where(m.c.article_id.in_(chunk))
                    .order_by(m.c.article_id, m.c.start, m.c.id)
                )
                for ident, actor in mentions:
                    found[ident]["actors"].append(actor)
                rows.extend(found.values())
        return rows

    def story_seeds(self, *, active_since: datetime) -> list[tuple[str, list[str], set[str]]]:
        """Stories still open to newcomers: (id, members, members an editor placed)."""
        s = schema.stories
        with self.engine.connect() as connection:
            ids = [
                row.id
                for row in connection.execute(select(s.c.id).where(s.c.last_seen >= active_since))
            ]
        return self.story_memberships(ids)

    def story_memberships(self, story_ids: Sequence[str]) -> list[tuple[str, list[str], set[str]]]:
        """(id, members, editor-placed members) of these stories, in the order given."""
        sa = schema.story_articles
        members: dict[str, list[str]] = {i: [] for i in story_ids}
        locked: dict[str, set[str]] = {i: set() for i in story_ids}
        with self.engine.connect() as connection:
            for chunk in _chunks(list(story_ids)):
                query = select(sa.c.story_id, sa.c.article_id, sa.c.added_by).where(
                    sa.c.story_id.in_(chunk)
                )
                for story, article, by in connection.execute(query):
                    members[story].append(article)
                    if by == EDITOR:
                        locked[story].add(article)
        return [(i, sorted(members[i]), locked[i]) for i in story_ids]

    def save_stories(
        self,
        stories: Sequence[dict[str, Any]],
        memberships: Sequence[tuple[str, str]],
        *,
        now: datetime,
    ) -> None:
        """Insert or update story rows and add machine memberships (story id, article id), in one
        transaction. Editor flags (pinned, excluded) on existing stories are kept."""
        s, sa = schema.stories, schema.story_articles
        with self.transaction() as connection:
            known = set()
            ids = [row["id"] for row in stories]
            for chunk in _chunks(ids):
                known |= {r.id for r in connection.execute(select(s.c.id).where(s.c.id.in_(chunk)))}
            for row in stories:
                values = {**row, "updated_at": now}
                if row["id"] in known:
                    connection.execute(update(s).where(s.c.id == row["id"]).values(**values))
                else:
                    connection.execute(insert(s).values(**values))
            if memberships:
                connection.execute(
                    insert(sa),
                    [
                        {"story_id": sid, "article_id": aid, "added_by": MACHINE}
                        for sid, aid in memberships
                    ],
                )
            self._drop_empty(connection)

    def clear_machine_stories(self) -> int:
        """Forget every placement the machine made (editors' placements stay, with their
        stories); returns how many were forgotten. The next run places those articles anew."""
        sa = schema.story_articles
        with self.transaction() as connection:
            done = connection.execute(delete(sa).where(sa.c.added_by == MACHINE))
            self._drop_empty(connection)
        return int(done.rowcount or 0)

    def _drop_empty(self, connection: Connection) -> None:
        s, sa = schema.stories, schema.story_articles
        held = select(sa.c.story_id).distinct()
        connection.execute(
            update(schema.items).where(~schema.items.c.story_id.in_(held)).values(story_id=None)
        )
        connection.execute(delete(s).where(~s.c.id.in_(held)))

    # -- reading stories -------------------------------------------------------------------------

    def stories_in_window(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Story rows with at least one member published in [since, until)."""
        s, sa, a = schema.stories, schema.story_articles, schema.articles
        inside = (
            select(sa.c.story_id)
            .join(a, a.c.id == sa.c.article_id)
            .where(a.c.published >= since, a.c.published < until)
            .distinct()
        )
        with self.engine.connect() as connection:
            rows = connection.execute(select(s).where(s.c.id.in_(inside)).order_by(s.c.id))
            keys = list(rows.keys())
            return [dict(zip(keys, row, strict=True)) for row in rows]

    def story_row(self, story_id: str) -> dict[str, Any] | None:
        """One story row, or None."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(schema.stories).where(schema.stories.c.id == story_id)
            ).first()
        return dict(row._mapping) if row is not None else None

    def story_of(self, article_id: str) -> str | None:
        """The story holding this article, if any."""
        return self.stories_of([article_id]).get(article_id)

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The story holding each of these articles (articles no story holds are left out)."""
        sa = schema.story_articles
        found: dict[str, str] = {}
        with self.engine.connect() as connection:
            for chunk in _chunks(list(article_ids)):
                query = select(sa.c.article_id, sa.c.story_id).where(sa.c.article_id.in_(chunk))
                found.update({row.article_id: row.story_id for row in connection.execute(query)})
        return found

    def featured_stories(self, *, before_month: str, issues: int = 3) -> list[tuple[str, datetime]]:
        """Stories featured in the latest `issues` issues before this month, with the end of
        each issue's window."""
        i, it = schema.issues, schema.items
        with self.engine.connect() as connection:
            months = connection.execute(
                select(i.c.id, i.c.window_end)
                .where(i.c.month < before_month)
                .order_by(i.c.month.desc())
                .limit(issues)
            ).all()
            found: list[tuple[str, datetime]] = []
            for issue_id, end in months:
                rows = connection.execute(
                    select(it.c.story_id).where(
                        it.c.issue_id == issue_id, it.c.story_id.is_not(None)
                    )
                )
                found += [(row.story_id, _utc(end) or end) for row in rows]
        return found

    # -- editor decisions -------------------------------------------------------------------------

    def set_story_flag(self, story_id: str, *, flag: str, value: bool, now: datetime) -> None:
        """Pin or exclude a story (flag is 'pinned' or 'excluded')."""
        if flag not in {"pinned", "excluded"}:
            raise InputError(f"unknown story flag {flag!r}")
        s = schema.stories
        with self.transaction() as connection:
            done = connection.execute(
                update(s).where(s.c.id == story_id).values({flag: value, "updated_at": now})
            )
            if not done.rowcount:
                raise InputError(f"no story {story_id!r}")

    def place_articles(
        self,
        article_ids: Sequence[str],
        story_id: str,
        *,
        now: datetime,
        new: dict[str, Any] | None,
    ) -> list[str]:
        """Move articles into a story as an editor's placement (creating the story from `new`
        when given); returns the stories they left. Emptied stories are removed."""
        s, sa, a = schema.stories, schema.story_articles, schema.articles
        with self.transaction() as connection:
            found = {
                row.id
                for row in connection.execute(select(a.c.id).where(a.c.id.in_(list(article_ids))))
            }
            missing = [i for i in article_ids if i not in found]
            if missing:
                raise InputError(f"no article {missing[0]!r}")
            if new is not None:
                connection.execute(insert(s).values(**{**new, "id": story_id, "updated_at": now}))
            elif connection.execute(select(s.c.id).where(s.c.id == story_id)).first() is None:
                raise InputError(f"no story {story_id!r}")
            left = [
                row.story_id
                for row in connection.execute(
                    select(sa.c.story_id).where(sa.c.article_id.in_(list(article_ids)))
                )
            ]
            connection.execute(delete(sa).where(sa.c.article_id.in_(list(article_ids))))
            connection.execute(
                insert(sa),
                [{"story_id": story_id, "article_id": i, "added_by": EDITOR} for i in article_ids],
            )
            connection.execute(
                update(s).where(s.c.id.in_(set(left) | {story_id})).values(updated_at=now)
            )
            self._drop_empty(connection)
        return sorted(set(left) - {story_id})

    def count_stories(self) -> int:
        """How many stories are stored."""
        with self.engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(schema.stories)).scalar_one()
            )

    # -- issues ---------------------------------------------------------------------------------

    def save_draft(
        self,
        issue: dict[str, Any],
        *,
        since: datetime,
        until: datetime,
        stories: Mapping[tuple[str, int], str],
        now: datetime,
    ) -> int:
        """Store a drafted issue (contract-4 dict) as the month's draft, replacing an earlier
        draft of that month; an approved or published issue is never replaced. `stories` maps
        (section, position) to the story an item tells. Returns the issue's row id."""
        i, it = schema.issues, schema.items
        month = issue["month"]
        with self.transaction() as connection:
            row = connection.execute(select(i.c.id, i.c.status).where(i.c.month == month)).first()
            if row is not None and row.status != "draft":
                raise InputError(
                    f"issue {month} is {row.status}; its draft is frozen (nothing was replaced)"
                )
            values = {
                "month": month,
                "window_start": since,
                "window_end": until,
                "status": "draft",
                "title": issue["title"],
                "masthead": issue.get("masthead", {}),
                "updated_at": now,
            }
            if row is None:
                inserted = connection.execute(insert(i).values(**values, created_at=now))
                issue_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
            else:
                issue_id = int(row.id)
                connection.execute(update(i).where(i.c.id == issue_id).values(**values))
                connection.execute(delete(it).where(it.c.issue_id == issue_id))
            rows = []
            for section in ("highlights", "links", "analysis", "perspectives"):
                for position, entry in enumerate(issue.get(section, [])):
                    rows.append(
                        {
                            "issue_id": issue_id,
                            "story_id": stories.get((section, position)),
                            "section": section,
                            "position": position,
                            "headline": entry.get("headline") or entry.get("title") or "",
                            "body": entry,
                            "version": 1,
                            "updated_at": now,
                            "updated_by": "crankcall",
                        }
                    )
            if rows:
                connection.execute(insert(it), rows)
        return issue_id
