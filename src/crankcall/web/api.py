"""The JSON API for researchers, under /api/v1 and described by the app's OpenAPI document.

Published issues are public; articles, stories, interaction series and draft issues need an
API token (`Authorization: Bearer TOKEN`, made with `crankcall token add NAME`) or a desk
session. Every answer is JSON, errors too (`{"error": "one line"}`); pages are bounded by the
`web_api_max_limit` setting.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from crankcall.store.desk_queries import QueueFilter
from crankcall.web.auth import User
from crankcall.web.common import (
    DeskError,
    month_window,
    settings_of,
    store_of,
    viewer,
    viewer_of,
)
from crankcall.web.editor import MONTH
from crankcall.web.items import issue_from_items

router = APIRouter(prefix="/api/v1", tags=["api"])
Limit = Annotated[
    int, Query(ge=1, le=10_000, description="Records per page (see web_api_max_limit).")
]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Records to skip.")]
Day = Annotated[date | None, Query(description="A day, YYYY-MM-DD.")]
DyadQuery = Annotated[str, Query(pattern=r"^$|^(CN|IR|KP|RU)-(CN|IR|KP|RU)$", max_length=5)]


async def token_reader(request: Request) -> User:
    """An API token's reader or a session's user; else 401."""
    user = await viewer(request)
    if user is None:
        raise DeskError(401, "this data needs an API token (Authorization: Bearer TOKEN)")
    return user


def _limit(request: Request, limit: int) -> int:
    most = settings_of(request).web_api_max_limit
    if limit > most:
        raise DeskError(400, f"limit {limit} is over the most allowed, {most}")
    return limit


def _day(value: date | None, *, end: bool = False) -> datetime | None:
    if value is None:
        return None
    start = datetime.combine(value, time(), tzinfo=UTC)
    return start + timedelta(days=1) if end else start


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


@router.get("/articles", summary="Articles, newest first")
def articles(
    request: Request,
    user: Annotated[User, Depends(token_reader)],
    since: Day = None,
    until: Day = None,
    outlet: Annotated[str, Query(max_length=300)] = "",
    q: Annotated[str, Query(max_length=200, description="Words in title or text.")] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """A page of stored articles (id, url, title, outlet, date, coding), with the total."""
    rows, total = store_of(request).api_articles(
        since=_day(since),
        until=_day(until, end=True),
        outlet=outlet,
        text=q,
        offset=offset,
        limit=_limit(request, limit),
    )
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "articles": [{k: _iso(v) for k, v in row.items()} for row in rows],
    }


@router.get("/articles/{article_id}", summary="One article with its coding")
def article(
    request: Request,
    article_id: Annotated[str, Path(max_length=200)],
    user: Annotated[User, Depends(token_reader)],
) -> dict[str, Any]:
    """One article: text, outlet, dates, the machine's coding with interactions, editor labels."""
    store = store_of(request)
    found = store.get_article(article_id)
    if found is None:
        raise DeskError(404, f"no article {article_id!r}")
    coding = store.coding_of(article_id)
    loaded: dict[str, Any] = json.loads(
        json.dumps(
            {
                "id": found.id,
                "url": found.url,
                "outlet": found.outlet,
                "title": found.title,
                "text": found.text,
                "authors": list(found.authors),
                "published": found.published,
                "language": found.language,
                "coding": coding,
                "editor_labels": store.labels([article_id]),
            },
            default=_json_default,
        )
    )
    return loaded


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


@router.get("/stories", summary="Stories of a window")
def stories(
    request: Request,
    user: Annotated[User, Depends(token_reader)],
    month: Annotated[str | None, Query(pattern=MONTH)] = None,
    since: Day = None,
    until: Day = None,
    dyad: DyadQuery = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The stories whose coverage overlaps a month (or since..until, days included), best
    first, each with its articles."""
    if since is not None and until is not None:
        if until < since:
            raise DeskError(400, "until is before since")
        start, end = _day(since), _day(until, end=True)
    else:
        chosen = month_window(month or f"{datetime.now(UTC):%Y-%m}")
        start, end = chosen.since, chosen.until
    assert start is not None and end is not None
    store = store_of(request)
    rows, total = store.queue(
        since=start,
        until=end,
        window_key=month or f"{start.date()}..{end.date()}",
        filters=QueueFilter(dyad=dyad),
        offset=offset,
        limit=_limit(request, limit),
    )
    members = store.story_members([r["id"] for r in rows])
    return {
        "window": {
            "since": start.date().isoformat(),
            "until": (end - timedelta(days=1)).date().isoformat(),
        },
        "total": total,
        "limit": limit,
        "offset": offset,
        "stories": [
            {
                "id": r["id"],
                "headline": r["headline"],
                "score": r["score"],
                "components": r["components"],
                "section": r["effective_section"],
                "dyads": r["dyads"],
                "relation": r["relation"],
                "topic": r["topic"],
                "pinned": bool(r["pinned"]),
                "excluded": bool(r["excluded"]),
                "articles": [
                    {
                        "id": m["id"],
                        "url": m["url"],
                        "outlet": m["outlet"],
                        "published": _iso(m["published"]),
                    }
                    for m in members[r["id"]]
                ],
            }
            for r in rows
        ],
    }


@router.get("/interactions", summary="Dyad series by month")
def interactions(
    request: Request,
    user: Annotated[User, Depends(token_reader)],
    dyad: DyadQuery = "",
    since: Day = None,
    until: Day = None,
) -> dict[str, Any]:
    """Coded interactions counted by month, dyad and relation."""
    counts = store_of(request).interaction_counts(
        dyad=dyad, since=_day(since), until=_day(until, end=True)
    )
    series: dict[tuple[str, str], dict[str, int]] = {}
    for month, pair, relation, n in counts:
        series.setdefault((month, pair), {})[relation] = n
    return {
        "series": [
            {"month": month, "dyad": pair, "counts": found, "total": sum(found.values())}
            for (month, pair), found in sorted(series.items())
        ]
    }


@router.get("/issues", summary="Issues: published ones, and drafts for token holders")
def issues(request: Request) -> dict[str, Any]:
    """Published issues for anyone; with a token or session, every issue with its status."""
    private = viewer_of(request) is not None
    rows = store_of(request).issues_list(published_only=not private)
    return {
        "issues": [
            {
                "month": r["month"],
                "title": r["title"],
                "status": r["status"],
                "published_at": _iso(r["published_at"]),
            }
            for r in rows
        ]
    }


@router.get("/issues/{month}", summary="One issue (contract 4 JSON)")
def issue(request: Request, month: Annotated[str, Path(pattern=MONTH)]) -> dict[str, Any]:
    """A published issue as frozen; a draft or approved issue only with a token or session."""
    store = store_of(request)
    frozen = store.issue_file(month, "json")
    if frozen is not None:
        found: dict[str, Any] = json.loads(frozen)
        return found
    row = store.issue_by_month(month)
    if row is None or viewer_of(request) is None:
        raise DeskError(404, f"no published issue for {month}")
    return issue_from_items(row, store.issue_items(row["id"]), settings_of(request))
