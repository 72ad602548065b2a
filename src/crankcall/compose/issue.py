"""Issue assembly: ranked stories in, the month's draft (contract 4) out.

`draft_issue` runs these stages:

1. Order the bundles by rank and sort them by the section the story stage gave them.
2. Highlights: the first `issue_highlights` highlight stories whose sources hold enough quotable
   text (120 words); the others and any extra go to Links. With fewer than three, the best
   link stories that can carry a highlight are promoted.
3. Links: one cited sentence each, in rank order, up to `issue_links`.
4. Recent Analysis and CRANK Perspectives: one entry per distinct article (copies left out) from
   an outlet of the section's kind, in rank order, up to `issue_analysis` and
   `issue_perspectives`.
5. Title, window, standing line and masthead from the settings.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from crankcall.compose.headline import clean_title, make_headline, proper_words
from crankcall.compose.rewrite import tokens
from crankcall.compose.summarise import highlight_paragraphs, link_sentence, sources
from crankcall.errors import InputError
from crankcall.models import CRANK_STATES, Article, Outlet, Sentence, StoryBundle
from crankcall.settings import Settings

log = logging.getLogger(__name__)

MIN_HIGHLIGHTS = 3
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def draft_issue(
    *,
    month: str,
    since: datetime,
    until: datetime,
    bundles: Sequence[StoryBundle],
    settings: Settings,
) -> dict[str, Any]:
    """Draft the issue of `month` ("YYYY-MM") covering `since` up to `until` (exclusive when at
    midnight) from ranked story bundles: contract 4 of DESIGN.md, every sentence with the ids of
    the articles it rests on."""
    # 1. Rank order, by section.
    ranked = sorted(bundles, key=lambda b: b.rank)
    by_section: dict[str, list[StoryBundle]] = {}
    for bundle in ranked:
        by_section.setdefault(bundle.story.section, []).append(bundle)
    # 2. Highlights, with the stories left for links; no sentence is printed twice.
    printed: list[frozenset[str]] = []
    highlights, left = _highlights(
        by_section.get("highlights", []),
        by_section.get("links", []),
        settings.issue_highlights,
        printed,
    )
    # 3. Links.
    links = _links(left, settings.issue_links, printed)
    # 4. Analysis and perspectives.
    analysis = _pieces(by_section.get("analysis", []), settings.issue_analysis, "analysis")
    perspectives = _pieces(
        by_section.get("perspectives", []), settings.issue_perspectives, "perspectives"
    )
    # 5. The frame.
    return {
        "title": f"{settings.issue_name} | {month_name(month)}",
        "month": month,
        "window": window(since, until),
        "intro": settings.issue_standing_line,
        "highlights": highlights,
        "links": links,
        "analysis": analysis,
        "perspectives": perspectives,
        "masthead": {
            "name": settings.issue_name,
            "editor_in_chief": settings.issue_editor_in_chief,
            "editor": settings.issue_editor,
            "contact": settings.issue_contact,
            "image_credit": settings.issue_image_credit,
        },
    }


def window(since: datetime, until: datetime) -> dict[str, str]:
    """The window as days, both included (as `crankcall candidates` shows it): an `until` at
    midnight is the exclusive end, so the last day is the one before."""
    last = until
    if until.time() == time(0) and until > since:
        last = until - timedelta(days=1)
    return {"since": since.date().isoformat(), "until": last.date().isoformat()}


def month_name(month: str) -> str:
    """'2024-08' as 'August 2024'; an `InputError` for anything but YYYY-MM."""
    found = _MONTH.match(month)
    if found is None:
        raise InputError(f"month {month!r} is not a month such as 2024-08")
    return date(int(found.group(1)), int(found.group(2)), 1).strftime("%B %Y")


def _highlights(
    candidates: Sequence[StoryBundle],
    link_bundles: Sequence[StoryBundle],
    limit: int,
    printed: list[frozenset[str]],
) -> tuple[list[dict[str, Any]], list[StoryBundle]]:
    chosen: list[dict[str, Any]] = []
    left: list[StoryBundle] = []
    for bundle in candidates:
        item = highlight_item(bundle, printed) if len(chosen) < limit else None
        if item is None:
            left.append(bundle)
        else:
            chosen.append(item)
    promoted: set[str] = set()
    for bundle in link_bundles:
        if len(chosen) >= min(MIN_HIGHLIGHTS, limit):
            break
        item = highlight_item(bundle, printed)
        if item is not None:
            chosen.append(item)
            promoted.add(bundle.story.id)
    rest = [b for b in link_bundles if b.story.id not in promoted]
    return chosen, sorted([*left, *rest], key=lambda b: b.rank)


def highlight_item(
    bundle: StoryBundle, printed: list[frozenset[str]] | None = None
) -> dict[str, Any] | None:
    """The highlight of a story (headline, cited paragraphs), or None when it has too little
    quotable text. Sentences already `printed` are not repeated; the new ones are added."""
    printed = [] if printed is None else printed
    paragraphs = highlight_paragraphs(bundle, printed=printed)
    if paragraphs is None:
        return None
    printed.extend(tokens(s.text) for p in paragraphs for s in p)
    quoted = sources(bundle)
    candidates = [bundle.story.headline, *(a.title for a in quoted if a.title)]
    headline = make_headline(
        [c for c in candidates if c],
        proper=proper_words(quoted),
        outlet_names=_outlet_names(bundle),
        lead=paragraphs[0][0].text,
    )
    return {
        "headline": headline,
        "paragraphs": [{"sentences": [_sentence(s) for s in p]} for p in paragraphs],
        "story": bundle.story.id,
        "articles": list(dict.fromkeys(a for p in paragraphs for s in p for a in s.articles)),
    }


def _links(
    bundles: Sequence[StoryBundle], limit: int, printed: list[frozenset[str]]
) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = []
    for bundle in bundles:
        if len(links) >= limit:
            break
        sentence = link_sentence(bundle, printed=printed)
        if sentence is None:
            log.info("story %s: no sentence for a link", bundle.story.id)
            continue
        printed.append(tokens(sentence.text))
        by_id = {a.id: a for a in bundle.articles}
        outlets = [by_id[a].outlet for a in sentence.articles]
        links.append(
            {
                "text": sentence.text,
                "outlets": list(dict.fromkeys(outlets)),
                "articles": list(sentence.articles),
            }
        )
    return links


def _pieces(bundles: Sequence[StoryBundle], limit: int, section: str) -> list[dict[str, Any]]:
    """One entry per distinct article of the stories: title, authors, venue, address. Only the
    articles from outlets of the section's kind count (think tanks for analysis, CRANK state
    media and officials for perspectives); a story with none gives its representative."""
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for bundle in bundles:
        for article in _distinct_pieces(bundle, section):
            if len(entries) >= limit:
                return entries
            url = article.url or article.canonical_url
            if article.id in seen or not url:
                continue
            seen.add(article.id)
            entries.append(
                {
                    "title": _piece_title(bundle, article),
                    "authors": list(article.authors),
                    "venue": _venue(bundle, article),
                    "url": url,
                    "articles": [article.id],
                }
            )
    return entries


def _distinct_pieces(bundle: StoryBundle, section: str) -> list[Article]:
    """The story's pieces that fit the section. Analysis pieces are each their own text. A
    CRANK Perspectives story gives one piece per state whose media or officials told it, so that
    three Chinese reports of one meeting do not take three of the section's few places while
    Moscow's account of it still shows; the piece in English first, else the earliest."""
    members = {a.id for a in bundle.articles}
    pieces = [a for a in bundle.articles if bundle.copies.get(a.id) not in members]
    fitting = [a for a in pieces if _fits(section, bundle.outlets.get(a.outlet))]
    if section == "perspectives":
        by_state: dict[str, Article] = {}
        for article in sorted(fitting, key=_english_first):
            outlet = bundle.outlets.get(article.outlet)
            by_state.setdefault((outlet.country if outlet else None) or article.outlet, article)
        fitting = [a for a in fitting if a in by_state.values()]
    return fitting or pieces[:1]


def _english_first(article: Article) -> tuple[bool, float]:
    published = article.published.timestamp() if article.published else math.inf
    return article.language not in {"en", None}, published


def _fits(section: str, outlet: Outlet | None) -> bool:
    if outlet is None:
        return False
    if section == "analysis":
        return outlet.kind == "analysis"
    return outlet.kind in {"state_media", "official"} and outlet.country in CRANK_STATES


def _piece_title(bundle: StoryBundle, article: Article) -> str:
    # A label such as "Commentary:" says what kind of piece it is; only the outlet name goes.
    return clean_title(article.title, _outlet_names(bundle), labels=False) or article.title


def _venue(bundle: StoryBundle, article: Article) -> str:
    outlet = bundle.outlets.get(article.outlet)
    return outlet.name if outlet is not None else article.outlet


def _outlet_names(bundle: StoryBundle) -> list[str]:
    names = [a.outlet for a in bundle.articles]
    for outlet in bundle.outlets.values():
        names.extend([outlet.name, *outlet.aliases])
    return names


def _sentence(sentence: Sentence) -> dict[str, Any]:
    return {"text": sentence.text, "articles": list(sentence.articles)}
