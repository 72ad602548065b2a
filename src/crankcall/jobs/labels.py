"""Editor labels as gold: the codings editors corrected in the desk, written in the gold JSONL
form of `tests/gold/coding-*.jsonl`, so `crankcall eval --gold FILE` scores the coder against
them."""

from __future__ import annotations

from typing import Any

from crankcall.store import Store


def editor_gold(store: Store) -> list[dict[str, Any]]:
    """One gold row per labelled article, from its newest editor label, in article id order.

    The desk labels dyads, relation and topic. An article with a CRANK-CRANK dyad is relevant
    by the scheme's definition; one labelled with none is taken as out of scope (the desk does
    not label outside responses to the group apart). Event types are not labelled, so
    `event_type` is null and the event type figure of an evaluation means nothing here. Rows
    are in the `test` split: nothing the coder was tuned on.
    """
    newest: dict[str, dict[str, Any]] = {}
    for label in store.labels():  # newest first
        newest.setdefault(label["article_id"], label)
    articles = store.articles_by_id(list(newest))
    rows = []
    for ident in sorted(newest):
        article = articles.get(ident)
        if article is None:
            continue
        label = newest[ident]
        dyads = sorted(label["dyads"] or [])
        rows.append(
            {
                "id": ident,
                "title": article.title,
                "text": article.text,
                "published": article.published.date().isoformat() if article.published else None,
                "outlet": article.outlet,
                "relevant": bool(dyads),
                "crank": sorted({code for dyad in dyads for code in dyad.split("-")}),
                "dyads": dyads,
                "relation": label["relation"],
                "topic": label["topic"],
                "event_type": None,
                "split": "test",
                "note": f"editor label by {label['author']}, {label['created_at']:%Y-%m-%d}",
            }
        )
    return rows
