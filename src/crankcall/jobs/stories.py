"""Story jobs over the store: place coded articles in stories, rank a window (contract 3),
draft the issue (contract 4), record editors' decisions, and score stories on labelled months.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crankcall.compose import draft_issue
from crankcall.errors import InputError
from crankcall.jobs import RunReport
from crankcall.models import Story, StoryBundle
from crankcall.settings import Settings
from crankcall.store import Store
from crankcall.stories.cluster import Seed, cluster, story_id
from crankcall.stories.evaluation import BCubed, PickRanks, bcubed, pick_ranks
from crankcall.stories.features import ArticleFacts, facts_from_row
from crankcall.stories.rank import (
    Featured,
    StoryDraft,
    event_type,
    is_relevant,
    rank,
    whole_life,
)

STORY_BATCH = 20_000
"""Newcomers placed per round by default: bounds memory when a run meets a large backlog."""


def build_stories(
    store: Store,
    settings: Settings,
    *,
    now: datetime,
    report: RunReport | None = None,
    batch: int = STORY_BATCH,
) -> RunReport:
    """Place new coded articles into stories, oldest first, `STORY_BATCH` at a time: open stories
    (last article within the story window of the earliest newcomer) are the seeds; placed
    articles never move; the stories that changed are described again and saved with the new
    memberships in one transaction per round (`batch` newcomers at a time)."""
    report = report or RunReport()
    new_ids = store.articles_without_story()
    for start in range(0, len(new_ids), batch):
        _place(store, settings, new_ids[start : start + batch], now=now, report=report)
    return report


def _place(
    store: Store, settings: Settings, new_ids: Sequence[str], *, now: datetime, report: RunReport
) -> None:
    fresh = [facts_from_row(row) for row in store.story_inputs(new_ids)]
    if not fresh:
        return
    window = timedelta(days=settings.stories_window_days)
    seeds = [
        Seed(id=sid, members=tuple(members), locked=frozenset(locked))
        for sid, members, locked in store.story_seeds(
            active_since=min(f.published for f in fresh) - window
        )
    ]
    held = [m for seed in seeds for m in seed.members]
    facts = fresh + [facts_from_row(row) for row in store.story_inputs(held)]
    clusters = cluster(
        facts,
        seeds=seeds,
        threshold=settings.stories_threshold,
        window_days=settings.stories_window_days,
    )
    by_id = {f.id: f for f in facts}
    fresh_ids = {f.id for f in fresh}
    known = {seed.id for seed in seeds}
    rows, memberships = [], []
    for c in clusters:
        added = [m for m in c.members if m in fresh_ids]
        if not added:
            continue
        rows.append(_story_row([by_id[m] for m in c.members], c.id))
        memberships += [(c.id, m) for m in added]
        report.placed += len(added)
        if c.id in known:
            report.stories_updated += 1
        else:
            report.stories_new += 1
    store.save_stories(rows, memberships, now=now)


def _story_row(members: Sequence[ArticleFacts], story_id: str) -> dict[str, Any]:
    """The stored row of a story over its whole life (ranking for a window happens on reading)."""
    story = whole_life(StoryDraft(id=story_id, members=list(members)))
    relevant = is_relevant(members)
    if not relevant:  # out of scope: kept, described, never scored
        story = replace(story, score=0.0, components={})
    return {
        "id": story_id,
        "representative_id": story.representative_id,
        "headline": story.headline,
        "dyads": list(story.dyads),
        "relation": story.relation,
        "topic": story.topic,
        "first_seen": story.first_seen,
        "last_seen": story.last_seen,
        "score": story.score,
        "components": story.components,
        "section": story.section,
        "relevant": relevant,
        "event_type": event_type(members),
    }


def move_articles(
    store: Store, article_ids: Sequence[str], story: str | None, *, now: datetime
) -> str:
    """An editor's placement: move articles into `story`, or into a new story when `story` is
    None (a split). The placement is kept through later runs. Returns the receiving story's id."""
    if not article_ids:
        raise InputError("name at least one article")
    new = None
    if story is None:
        story = story_id("editor:" + ",".join(sorted(article_ids)) + now.isoformat())
        facts = [facts_from_row(row) for row in store.story_inputs(article_ids, with_text=False)]
        if len(facts) != len(set(article_ids)):
            known = {f.id for f in facts}
            missing = next(i for i in article_ids if i not in known)
            raise InputError(f"no coded article {missing!r}; run `crankcall run` first")
        new = _story_row(facts, story)
    left = store.place_articles(article_ids, story, now=now, new=new)
    _refresh_stories(store, [story, *left], now=now)
    return story


def merge_stories(store: Store, source: str, target: str, *, now: datetime) -> str:
    """An editor's merge: every article of `source` moves into `target` (kept through runs)."""
    if source == target:
        raise InputError("a story cannot be merged into itself")
    memberships = {sid: members for sid, members, _ in store.story_memberships([source])}
    if not memberships[source]:
        raise InputError(f"no story {source!r}")
    if store.story_row(target) is None:
        raise InputError(f"no story {target!r}")
    held = [m for _, members, _ in store.story_memberships([target]) for m in members]
    store.place_articles([*memberships[source], *held], target, now=now, new=None)
    _refresh_stories(store, [target], now=now)
    return target


def _refresh_stories(store: Store, ids: Sequence[str], *, now: datetime) -> None:
    """Describe these stories again from their current members."""
    memberships = [(sid, members) for sid, members, _ in store.story_memberships(ids) if members]
    wanted = [m for _, members in memberships for m in members]
    facts = {row["id"]: facts_from_row(row) for row in store.story_inputs(wanted, with_text=False)}
    rows = [
        _story_row([facts[m] for m in members if m in facts], sid)
        for sid, members in memberships
        if any(m in facts for m in members)
    ]
    store.save_stories(rows, [], now=now)


def ranked_stories(
    store: Store, settings: Settings, *, since: datetime, until: datetime, month: str
) -> list[tuple[Story, list[ArticleFacts]]]:
    """The window's stories in scope, ranked best first, each with its members in the window by
    date.
    Stories featured in the issues before `month` lower the novelty of what repeats them."""
    rows = {row["id"]: row for row in store.stories_in_window(since, until)}
    memberships = store.story_memberships(list(rows))
    featured_rows = store.featured_stories(before_month=month)
    featured_members = store.story_memberships([sid for sid, _ in featured_rows])
    wanted = {m for _, members, _ in memberships + featured_members for m in members}
    # Terms (from the text) matter only for novelty against stories featured before.
    inputs = store.story_inputs(sorted(wanted), with_text=bool(featured_rows))
    facts = {row["id"]: facts_from_row(row) for row in inputs}
    drafts = [
        StoryDraft(
            id=sid,
            members=[facts[m] for m in members if m in facts],
            pinned=bool(rows[sid]["pinned"]),
            excluded=bool(rows[sid]["excluded"]),
        )
        for sid, members, _ in memberships
    ]
    featured = [
        Featured(
            story_id=sid,
            members=tuple(facts[m] for m in members if m in facts),
            until=until_featured,
        )
        for (sid, until_featured), (_, members, _) in zip(
            featured_rows, featured_members, strict=True
        )
    ]
    drafts = [d for d in drafts if d.members]
    ranked = rank(
        drafts,
        since=since,
        until=until,
        featured=[f for f in featured if f.members],
        highlights=settings.issue_highlights,
    )
    ranked = _editor_order(ranked, store.story_overrides(_window_key(since, until, month)))
    return [(story, [facts[m] for m in story.article_ids]) for story in ranked]


def _window_key(since: datetime, until: datetime, month: str) -> str:
    """The key the desk keeps a window's overrides under: the month for a calendar month,
    else "first..last" days."""
    last = (until - timedelta(days=1)).date()
    if since.day == 1 and until.day == 1 and f"{since:%Y-%m}" == month == f"{last:%Y-%m}":
        return month
    return f"{since.date()}..{last}"


def _editor_order(
    ranked: list[Story], overrides: dict[str, tuple[str | None, int | None]]
) -> list[Story]:
    """The ranking with the editor's sections applied and the stories they placed first, in
    their places (as the desk's queue shows them)."""
    if not overrides:
        return ranked
    moved = [
        replace(story, section=overrides[story.id][0] or story.section)
        if story.id in overrides
        else story
        for story in ranked
    ]
    placed = [s for s in moved if s.id in overrides and overrides[s.id][1] is not None]
    placed.sort(key=lambda s: (overrides[s.id][1] or 0, s.id))
    return placed + [s for s in moved if s not in placed]


def draft(
    store: Store,
    settings: Settings,
    *,
    since: datetime,
    until: datetime,
    month: str,
    save: bool = True,
) -> dict[str, Any]:
    """Contract 4: draft the issue of `month` from the window's ranked stories and, with `save`,
    keep it as the month's draft (an approved or published issue is never replaced)."""
    ranked = ranked_stories(store, settings, since=since, until=until, month=month)
    articles = store.articles_by_id([m.id for _, members in ranked for m in members])
    outlets = {o.name: o for o in store.outlets()}
    bundles = []
    for n, (story, members) in enumerate(ranked, start=1):
        ordered = sorted(
            (articles[m.id] for m in members if m.id in articles),
            key=lambda a: (a.id != story.representative_id, a.published or a.fetched, a.id),
        )
        bundles.append(
            StoryBundle(
                rank=n,
                story=story,
                articles=tuple(ordered),
                outlets={a.outlet: outlets[a.outlet] for a in ordered if a.outlet in outlets},
                copies={m.id: m.original for m in members if m.original},
            )
        )
    issue = draft_issue(month=month, since=since, until=until, bundles=bundles, settings=settings)
    if save:
        home = {m.id: story.id for story, members in ranked for m in members}
        stories = {
            (section, position): sid
            for section in ("highlights", "links")
            for position, entry in enumerate(issue[section])
            if (sid := entry.get("story") or _first_home(entry.get("articles", []), home))
        }
        store.save_draft(issue, since=since, until=until, stories=stories, now=datetime.now(UTC))
    return issue


def _first_home(ids: Sequence[str], home: dict[str, str]) -> str | None:
    return next((home[i] for i in ids if i in home), None)


def candidates(
    store: Store,
    settings: Settings,
    *,
    since: datetime,
    until: datetime,
    month: str,
    limit: int | None = None,
) -> dict[str, Any]:
    """Contract 3: the window's ranked stories with their components, sections and articles."""
    ranked = ranked_stories(store, settings, since=since, until=until, month=month)
    if limit is not None:
        ranked = ranked[:limit]
    return {
        "window": {"since": since.date().isoformat(), "until": until.date().isoformat()},
        "stories": [
            {
                "rank": n,
                "id": story.id,
                "headline": story.headline,
                "score": story.score,
                "components": story.components,
                "section": story.section,
                "dyads": list(story.dyads),
                "relation": story.relation,
                "topic": story.topic,
                "articles": [
                    {
                        "id": m.id,
                        "url": m.url,
                        "outlet": m.outlet,
                        "published": m.published.isoformat(),
                    }
                    for m in members
                ],
            }
            for n, (story, members) in enumerate(ranked, start=1)
        ],
    }


def story_timeline(store: Store, story_id: str) -> dict[str, Any]:
    """One story over its whole life: what it is (headline, section, coding, flags, stored
    score) and its timeline, day by day (UTC): each day's articles in publication order with
    their outlets and titles, the copies marked, and the outlets that first covered it that day.
    A development that runs for weeks reads as it unfolded."""
    row = store.story_row(story_id)
    if row is None:
        raise InputError(f"no story {story_id!r}")
    [(_, members, placed)] = store.story_memberships([story_id])
    facts = sorted(
        (facts_from_row(r) for r in store.story_inputs(members, with_text=False)),
        key=lambda f: (f.published, f.id),
    )
    days: list[dict[str, Any]] = []
    seen: set[str] = set()
    for f in facts:
        day = f.published.astimezone(UTC).date().isoformat()
        if not days or days[-1]["date"] != day:
            days.append({"date": day, "new_outlets": [], "articles": []})
        if f.outlet not in seen and not f.original:
            seen.add(f.outlet)
            days[-1]["new_outlets"].append(f.outlet)
        days[-1]["articles"].append(
            {
                "id": f.id,
                "published": f.published.isoformat(),
                "outlet": f.outlet,
                "title": f.title,
                "url": f.url,
                "copy_of": f.original,
                "placed_by": "editor" if f.id in placed else "machine",
            }
        )
    return {
        "id": story_id,
        "headline": row["headline"],
        "section": row["section"],
        "dyads": list(row["dyads"] or []),
        "relation": row["relation"],
        "topic": row["topic"],
        "event_type": row.get("event_type"),
        "relevant": bool(row["relevant"]),
        "pinned": bool(row["pinned"]),
        "excluded": bool(row["excluded"]),
        "score": row["score"],
        "components": row["components"] or {},
        "first_seen": facts[0].published.isoformat() if facts else None,
        "last_seen": facts[-1].published.isoformat() if facts else None,
        "articles": len(facts),
        "outlets": len(seen),
        "timeline": days,
    }


@dataclass(kw_only=True)
class StoriesEval:
    """Story quality on labelled months: B-cubed and where the editor's picks ranked."""

    months: dict[str, BCubed] = field(default_factory=dict)
    picks: dict[str, PickRanks] = field(default_factory=dict)

    def add(self, other: StoriesEval) -> None:
        """Take in the months of another set (a month already here is an error)."""
        for month in other.months:
            if month in self.months:
                raise InputError(f"month {month} is labelled in two sets")
            self.months[month] = other.months[month]
            self.picks[month] = other.picks[month]

    def as_dict(self) -> dict[str, Any]:
        return {
            month: {
                "bcubed": asdict(self.months[month]),
                "highlights_in_top_10": self.picks[month].share_within(10, ["highlight"]),
                "picks_in_top_25": self.picks[month].share_within(25),
                "highlights_in_top_10_of_section": self.picks[month].share_within(
                    10, ["highlight"], in_section=True
                ),
                "picks_in_top_25_of_section": self.picks[month].share_within(25, in_section=True),
                "ranks": self.picks[month].ranks,
                "section_ranks": self.picks[month].section_ranks,
            }
            for month in self.months
        }


def evaluate_stories(store: Store, settings: Settings, articles: Sequence[Path]) -> StoriesEval:
    """Score the stored stories against the labels beside each `articles-YYYY-MM.jsonl` (its
    `labels-` and `events-` files): B-cubed per month over the labelled articles, and the rank
    of every pick in that month's candidates."""
    result = StoriesEval()
    for path in articles:
        month = path.stem.removeprefix("articles-")
        labels = _read_jsonl(path.with_name(f"labels-{month}.jsonl"))
        events = _read_jsonl(path.with_name(f"events-{month}.jsonl"))
        gold = {row["id"]: row["event_key"] for row in labels}
        predicted = store.stories_of(list(gold))
        result.months[month] = bcubed(predicted, gold)
        first = datetime.fromisoformat(month + "-01T00:00:00+00:00")
        until = (first + timedelta(days=32)).replace(day=1)
        ranked = ranked_stories(store, settings, since=first, until=until, month=month)
        picks = {e["event_key"]: e["pick"] for e in events if e.get("pick")}
        result.picks[month] = pick_ranks(
            month,
            [(story.id, story.section, [m.id for m in members]) for story, members in ranked],
            gold,
            picks,
        )
    return result


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: cannot read ({e})") from e
