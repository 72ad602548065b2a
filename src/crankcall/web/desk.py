"""The story queue of a window and the editor's decisions on stories and codings.

Pin, exclude, merge, split and move go through the same store and pipeline functions as
`crankcall story ...`; a section or place chosen for a story is kept per window; a corrected
coding is an editor label, kept apart from the machine's coding.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import escape
from starlette.concurrency import run_in_threadpool

from crankcall.analyze.coder import default_coder
from crankcall.errors import InputError
from crankcall.models import Story
from crankcall.pipeline import merge_stories, move_articles, ranked_stories, story_timeline
from crankcall.store import Store
from crankcall.store.desk_queries import QueueFilter
from crankcall.stories.features import ArticleFacts
from crankcall.web.auth import User
from crankcall.web.common import (
    DeskError,
    Window,
    now,
    page,
    reader,
    redirect,
    safe_next,
    safe_url,
    settings_of,
    store_of,
    templates_of,
    window,
    writer,
)

router = APIRouter()
DYADS = ("CN-IR", "CN-KP", "CN-RU", "IR-KP", "IR-RU", "KP-RU")
RELATIONS = ("cooperation", "contention", "mixed", "none")
TOPICS = (
    "military",
    "nuclear_missile",
    "energy",
    "trade_finance",
    "sanctions",
    "diplomacy",
    "security_law",
    "information_ops",
    "other",
)
STORY_SECTIONS = ("highlights", "links", "news", "analysis", "perspectives")
COUNTS = ("outlets", "articles")  # components that count, not score
KINDS = ("wire", "news", "analysis", "state_media", "official", "unknown")
DEFAULT_MONTH = "2024-08"
Text = Annotated[str, Form()]


def _default_month(request: Request) -> str:
    """The month of the newest issue, else the newest month with stories, else the demo month."""
    issues = store_of(request).issues_list(published_only=False)
    return str(issues[0]["month"]) if issues else DEFAULT_MONTH


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    """The desk starts at the queue."""
    return redirect("/desk")


@router.get("/desk", response_class=HTMLResponse, include_in_schema=False)
async def queue(
    request: Request,
    user: Annotated[User, Depends(reader("viewer"))],
    month: str | None = None,
    since: str | None = None,
    until: str | None = None,
    dyad: str = "",
    relation: str = "",
    topic: str = "",
    section: str = "",
    kind: str = "",
    q: str = "",
    scope: str = "in",
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The window's stories, filtered and paginated, with their components and articles.

    A page once rendered is kept (for the user's role) while the store's queue stamp stays the
    same, so a page asked for again costs no query and no rendering: only the user's name and
    CSRF token are put in."""
    default = month or (since and until)
    if not default:
        default = await run_in_threadpool(_default_month, request)
    chosen = window(month, since, until, default)
    filters = QueueFilter(
        dyad=dyad,
        relation=relation,
        topic=topic,
        section=section,
        kind=kind,
        text=q.strip(),
        scope=scope,
    )
    size = max(1, settings_of(request).web_page_size)
    cache: QueueCache = request.app.state.queue_cache
    store = store_of(request)
    stamp = cache.stamp()
    if stamp is None:
        stamp = await run_in_threadpool(cache.read_stamp, store)
    key = ("html", chosen.key, chosen.since, chosen.until, filters, page_number, size, user.role)
    body = cache.get(key, stamp)
    if body is None:
        body = await run_in_threadpool(
            cache.build,
            key,
            stamp,
            lambda: _render_queue(request, chosen, filters, page_number, size, user.role, stamp),
        )
    return HTMLResponse(cache.personal(body, user))


def _render_queue(
    request: Request,
    chosen: Window,
    filters: QueueFilter,
    page_number: int,
    size: int,
    role: str,
    stamp: tuple[Any, ...],
) -> str:
    """A page of the queue rendered for a role, with marks where the user's name and CSRF token
    go."""
    cache: QueueCache = request.app.state.queue_cache
    rows, total = _queue_page(request, chosen, filters, page_number, size, stamp)
    pages = max(1, -(-total // size))
    base_query = _query(chosen, filters)
    template = templates_of(request).get_template("queue.html")
    return template.render(
        request=request,
        user=cache.marked_user(role),
        window=chosen,
        filters=filters,
        stories=rows,
        total=total,
        page_number=page_number,
        pages=pages,
        base_query=base_query,
        here=f"/desk?{base_query}&page={page_number}",
        choices={
            "dyad": DYADS,
            "relation": RELATIONS,
            "topic": TOPICS,
            "section": STORY_SECTIONS,
            "kind": KINDS,
            "scope": ("in", "out"),
        },
    )


class QueueCache:
    """What the queue is built from, and its rendered pages, kept while the stories and
    overrides stay as they were (the store's queue stamp) and for at most `ttl` seconds; any
    change made through this app clears it. The stamp itself is read at most once every
    `stamp_ttl` seconds, so a change made elsewhere (the CLI, a run, another worker) shows
    within that time."""

    def __init__(self, *, ttl: float = 120.0, stamp_ttl: float = 1.0, size: int = 512) -> None:
        self.ttl = ttl
        self.stamp_ttl = stamp_ttl
        self.size = size
        self._pages: dict[tuple[Any, ...], tuple[tuple[Any, ...], float, Any]] = {}
        self._lock = threading.Lock()
        self._building: dict[tuple[Any, ...], threading.Lock] = {}
        self._stamp: tuple[tuple[Any, ...], float] | None = None
        # Random marks, so no article text can be mistaken for one.
        self._name_mark = f"user-{secrets.token_hex(8)}"
        self._csrf_mark = f"csrf-{secrets.token_hex(8)}"

    def stamp(self) -> tuple[Any, ...] | None:
        """The queue stamp read less than `stamp_ttl` seconds ago, else None."""
        found = self._stamp
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    def read_stamp(self, store: Store) -> tuple[Any, ...]:
        """Read the store's queue stamp (and keep it for `stamp_ttl` seconds)."""
        found = store.queue_stamp()
        self._stamp = (found, time.monotonic() + self.stamp_ttl)
        return found

    def marked_user(self, role: str) -> User:
        """A user of `role` whose name and CSRF token are marks, to render a page for anyone."""
        return User(name=self._name_mark, role=role, csrf=self._csrf_mark)

    def personal(self, body: str, user: User) -> str:
        """A page rendered for `marked_user`, made the user's own."""
        return body.replace(self._csrf_mark, user.csrf).replace(
            self._name_mark, str(escape(user.name))
        )

    def get(self, key: tuple[Any, ...], stamp: tuple[Any, ...]) -> Any:
        found = self._pages.get(key)
        if found is None or found[0] != stamp or found[1] < time.monotonic():
            return None
        return found[2]

    def put(self, key: tuple[Any, ...], stamp: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            if len(self._pages) >= self.size:
                self._pages.clear()
            self._pages[key] = (stamp, time.monotonic() + self.ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._stamp = None

    def build(self, key: tuple[Any, ...], stamp: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """The value kept under `key`, made by one thread at a time when missing (the others
        wait for it rather than all reading the same thing at once)."""
        found = self.get(key, stamp)
        if found is not None:
            return found
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        try:
            with building:
                found = self.get(key, stamp)
                if found is None:
                    found = make()
                    self.put(key, stamp, found)
        finally:
            # Keys carry the filters, search text included: keep no lock once its value is made
            # (a waiting thread holds the lock itself and then finds the value kept).
            with self._lock:
                if self._building.get(key) is building:
                    del self._building[key]
        return found


def _queue_page(
    request: Request,
    chosen: Window,
    filters: QueueFilter,
    page_number: int,
    size: int,
    stamp: tuple[Any, ...],
) -> tuple[list[dict[str, Any]], int]:
    """One page of the queue with each story's articles in the window. The window's index is
    built once and kept while the store's queue stamp stays the same."""
    store = store_of(request)
    cache: QueueCache = request.app.state.queue_cache
    index_key = ("index", chosen.key, chosen.since, chosen.until)
    index = cache.build(index_key, stamp, lambda: _window_index(request, chosen))
    matching: list[dict[str, Any]] = cache.build(
        ("match", *index_key, filters),
        stamp,
        lambda: [entry for entry in index if _matches(entry, filters)],
    )
    start = (page_number - 1) * size
    shown = matching[start : start + size]
    unranked = [entry["id"] for entry in shown if entry["rank"] is None]
    rows = {row["id"]: row for row in store.queue_rows(unranked, window_key=chosen.key)}
    members = store.story_members(unranked)
    page = []
    for entry in shown:
        if entry["rank"] is not None:
            page.append(entry)
        elif entry["id"] in rows:
            page.append(_unranked_row(rows[entry["id"]], members[entry["id"]], chosen))
    return page, len(matching)


def _window_index(request: Request, chosen: Window) -> list[dict[str, Any]]:
    """Every story of the window in the queue's order: first the window's ranking as
    `crankcall candidates` gives it (editor's places, pins and sections applied), then the
    stories it leaves out (excluded, out of scope, or with no coded article in the window) by
    an editor's place, pinned, not excluded, stored score."""
    store = store_of(request)
    ranked = ranked_stories(
        store, settings_of(request), since=chosen.since, until=chosen.until, month=chosen.month
    )
    places = {sid: place for sid, (_, place) in store.story_overrides(chosen.key).items()}
    entries = [
        _ranked_entry(n, story, members, places.get(story.id))
        for n, (story, members) in enumerate(ranked, start=1)
    ]
    seen = {entry["id"] for entry in entries}
    rest = store.queue_index(since=chosen.since, until=chosen.until, window_key=chosen.key)
    entries += sorted((entry for entry in rest if entry["id"] not in seen), key=_order)
    for entry in entries:
        entry.setdefault("rank", None)
    return entries


def _ranked_entry(
    rank: int, story: Story, members: list[ArticleFacts], place: int | None
) -> dict[str, Any]:
    """A ranked story as the queue filters and shows it: the window's description, score and
    components, and its articles in the window."""
    return {
        "id": story.id,
        "rank": rank,
        "headline": story.headline,
        "dyads": list(story.dyads),
        "relation": story.relation,
        "topic": story.topic,
        "effective_section": story.section,
        "relevant": True,
        "pinned": bool(story.components.get("pinned")),
        "excluded": False,
        "score": story.score,
        "position": place,
        "manual_position": place,
        "kinds": {m.outlet_kind for m in members},
        "components": story.components,
        "score_text": f"{story.score:.3f}",
        "components_text": _components_text(story.components),
        "articles": [
            (safe_url(m.url), m.outlet, f"{m.published:%Y-%m-%d}")
            for m in sorted(members, key=lambda m: (m.published, m.id))
        ],
    }


def _unranked_row(row: dict[str, Any], members: list[dict[str, Any]], chosen: Window) -> Any:
    """A story the window's ranking leaves out, with its stored score and components."""
    shown = [m for m in members if _inside(m["published"], chosen)] or members
    return {
        **row,
        "rank": None,
        "articles": [
            (
                safe_url(m["url"]),
                m["outlet"],
                f"{m['published']:%Y-%m-%d}" if m["published"] else "",
            )
            for m in shown
        ],
        "score_text": f"{row['score']:.3f}",
        "components_text": _components_text(row["components"] or {}),
    }


def _components_text(components: dict[str, Any]) -> str:
    """`consequence 0.78 · breadth 0.73 · ... · outlets 4`: shares with two decimals, counts
    as whole numbers."""
    return " · ".join(
        f"{name} {int(value)}"
        if name in COUNTS and isinstance(value, int | float)
        else f"{name} {value:.2f}"
        if isinstance(value, int | float)
        else f"{name} {value}"
        for name, value in components.items()
    )


def _order(entry: dict[str, Any]) -> tuple[Any, ...]:
    """The order of the stories the ranking leaves out, as `Store.queue` sorts: an editor's
    place, pinned, not excluded, score, id."""
    position = entry["position"]
    return (
        position is None,
        position or 0,
        not entry["pinned"],
        bool(entry["excluded"]),
        -entry["score"],
        entry["id"],
    )


def _matches(entry: dict[str, Any], filters: QueueFilter) -> bool:
    """The queue's filters, as `Store.queue` applies them."""
    if filters.scope in {"in", "out"} and bool(entry["relevant"]) != (filters.scope == "in"):
        return False
    if filters.dyad and filters.dyad not in (entry["dyads"] or []):
        return False
    if filters.relation and entry["relation"] != filters.relation:
        return False
    if filters.topic and entry["topic"] != filters.topic:
        return False
    if filters.section and entry["effective_section"] != filters.section:
        return False
    if filters.kind and filters.kind not in entry["kinds"]:
        return False
    return not filters.text or filters.text.lower() in entry["headline"].lower()


def _inside(published: Any, chosen: Window) -> bool:
    return published is None or chosen.since <= published < chosen.until


@router.get("/desk/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story(
    request: Request,
    story_id: str,
    user: Annotated[User, Depends(reader("viewer"))],
    month: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> HTMLResponse:
    """One story: its timeline day by day, its articles with outlets and dates, the coding
    evidence of each, the editor labels, and the forms to act on it."""
    store = store_of(request)
    row = store.story_row(story_id)
    if row is None:
        raise DeskError(404, f"no story {story_id!r}")
    chosen = window(month, since, until, month or (since and until) or _default_month(request))
    members = store.story_members([story_id])[story_id]
    articles = store.articles_by_id([m["id"] for m in members])
    labels: dict[str, list[dict[str, Any]]] = {}
    for label in store.labels([m["id"] for m in members]):
        labels.setdefault(label["article_id"], []).append(label)
    coder = default_coder()
    evidence = {}
    for ident, article in articles.items():
        evidence[ident] = coder.code(
            id=article.id,
            title=article.title,
            text=article.text,
            published=article.published.date() if article.published else None,
        )
    return page(
        request,
        "story.html",
        story=row,
        window=chosen,
        members=[{**m, "link": safe_url(m["url"])} for m in members],
        timeline=story_timeline(store, story_id),
        evidence=evidence,
        labels=labels,
        choices={"dyad": DYADS, "relation": RELATIONS, "topic": TOPICS, "section": STORY_SECTIONS},
    )


def _query(chosen: Window, filters: QueueFilter) -> str:
    """The query string of a window and filters (for the pager's links)."""
    values = {
        "dyad": filters.dyad,
        "relation": filters.relation,
        "topic": filters.topic,
        "section": filters.section,
        "kind": filters.kind,
        "q": filters.text,
        "scope": filters.scope or "all",
    }
    return chosen.query() + "&" + urlencode({k: v for k, v in values.items() if v})


def _back(next_url: str, story_id: str | None = None) -> RedirectResponse:
    fallback = f"/desk/stories/{story_id}" if story_id else "/desk"
    return redirect(safe_next(next_url, fallback))


@router.post("/desk/stories/{story_id}/pin", include_in_schema=False)
def pin(
    request: Request,
    story_id: str,
    user: Annotated[User, Depends(writer("editor"))],
    on: Text = "1",
    next_url: Annotated[str, Form(alias="next")] = "",
) -> RedirectResponse:
    """Pin a story to the top of the ranking (on=0 removes the pin)."""
    store_of(request).set_story_flag(story_id, flag="pinned", value=on == "1", now=now())
    return _back(next_url, story_id)


@router.post("/desk/stories/{story_id}/exclude", include_in_schema=False)
def exclude(
    request: Request,
    story_id: str,
    user: Annotated[User, Depends(writer("editor"))],
    on: Text = "1",
    next_url: Annotated[str, Form(alias="next")] = "",
) -> RedirectResponse:
    """Keep a story out of the issue (on=0 brings it back)."""
    store_of(request).set_story_flag(story_id, flag="excluded", value=on == "1", now=now())
    return _back(next_url, story_id)


@router.post("/desk/stories/{story_id}/merge", include_in_schema=False)
def merge(
    request: Request,
    story_id: str,
    user: Annotated[User, Depends(writer("editor"))],
    target: Text = "",
    next_url: Annotated[str, Form(alias="next")] = "",
) -> RedirectResponse:
    """Move every article of this story into the target story."""
    merged = merge_stories(store_of(request), story_id, target.strip(), now=now())
    return redirect(f"/desk/stories/{merged}")


@router.post("/desk/stories/{story_id}/split", include_in_schema=False)
async def split(
    request: Request,
    story_id: str,
    user: Annotated[User, Depends(writer("editor"))],
) -> RedirectResponse:
    """Move the ticked articles of this story into a new story of their own."""
    form = await request.form()
    chosen = [str(v) for v in form.getlist("article")]
    if not chosen:
        raise InputError("tick the articles to split off")
    created = move_articles(store_of(request), chosen, None, now=now())
    return redirect(f"/desk/stories/{created}")


@router.post("/desk/articles/{article_id}/move", include_in_schema=False)
def move(
    request: Request,
    article_id: str,
    user: Annotated[User, Depends(writer("editor"))],
    target: Text = "",
) -> RedirectResponse:
    """Move one article into another story (blank: a story of its own)."""
    receiving = move_articles(store_of(request), [article_id], target.strip() or None, now=now())
    return redirect(f"/desk/stories/{receiving}")


@router.post("/desk/stories/{story_id}/section", include_in_schema=False)
def set_section(
    request: Request,
    story_id: str,
    user: Annotated[User, Depends(writer("editor"))],
    window_key: Annotated[str, Form(alias="window")],
    section: Text,
    next_url: Annotated[str, Form(alias="next")] = "",
) -> RedirectResponse:
    """Put a story in another section, for this window."""
    if section not in STORY_SECTIONS:
        raise InputError(f"unknown section {section!r}")
    store_of(request).set_override(
        window_key[:30], story_id, by=user.name, now=now(), section=section
    )
    return _back(next_url, story_id)


@router.post("/desk/stories/{story_id}/position", include_in_schema=False)
def set_position(
    request: Request,
    story_id: str,
    user: Annotated[User, Depends(writer("editor"))],
    window_key: Annotated[str, Form(alias="window")],
    position: Text,
    next_url: Annotated[str, Form(alias="next")] = "",
) -> RedirectResponse:
    """Give a story a place of its own in this window's queue (1 is first)."""
    try:
        place = int(position)
    except ValueError:
        raise InputError(f"place {position!r} is not a whole number") from None
    if not 1 <= place <= 100_000:
        raise InputError("the place must be between 1 and 100000")
    store_of(request).set_override(
        window_key[:30], story_id, by=user.name, now=now(), position=place
    )
    return _back(next_url, story_id)


@router.post("/desk/articles/{article_id}/label", include_in_schema=False)
async def label(
    request: Request,
    article_id: str,
    user: Annotated[User, Depends(writer("editor"))],
) -> RedirectResponse:
    """Store the editor's coding of an article (dyads, relation, topic) as an editor label."""
    form = await request.form()
    dyads = [str(d) for d in form.getlist("dyad")]
    relation, topic = str(form.get("relation", "")), str(form.get("topic", ""))
    if any(d not in DYADS for d in dyads) or relation not in RELATIONS or topic not in TOPICS:
        raise InputError("choose dyads, a relation and a topic from the lists")
    if (relation == "none") != (not dyads):
        raise InputError("the relation is 'none' exactly when no dyad is ticked")
    store_of(request).add_label(
        article_id, dyads=dyads, relation=relation, topic=topic, author=user.name, now=now()
    )
    return _back(str(form.get("next", "")))
