"""The typed records that cross stage boundaries (see DESIGN.md, "Records").

Records are frozen, keyword-only dataclasses. The fixed vocabulary (countries, dyads, relations,
topics, event types, outlet kinds) lives here too, so every stage and every contract uses one
spelling.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

CRANK_STATES: tuple[str, ...] = ("CN", "IR", "KP", "RU")
DYADS: tuple[str, ...] = ("CN-IR", "CN-KP", "CN-RU", "IR-KP", "IR-RU", "KP-RU")
RELATIONS: tuple[str, ...] = ("cooperation", "contention", "mixed", "none")
TOPICS: tuple[str, ...] = (
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
EVENT_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "SANCTION",
    "PROTEST",
    "CRIME",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "FIGHT",
)
OUTLET_KINDS: tuple[str, ...] = ("wire", "news", "analysis", "state_media", "official", "unknown")
ISSUE_STATUSES: tuple[str, ...] = ("draft", "approved", "published")
SECTIONS: tuple[str, ...] = ("highlights", "links", "analysis", "perspectives")

OutletKind = Literal["wire", "news", "analysis", "state_media", "official", "unknown"]


def dyad_of(a: str, b: str) -> str:
    """The dyad code of two different CRANK states: sorted and joined by '-'."""
    if a == b or a not in CRANK_STATES or b not in CRANK_STATES:
        raise ValueError(f"no dyad between {a!r} and {b!r}")
    return "-".join(sorted((a, b)))


@dataclass(frozen=True, kw_only=True, slots=True)
class Outlet:
    """A publisher: a wire, a paper, a think tank, state media or an official site."""

    name: str
    domain: str | None
    kind: OutletKind
    country: str | None = None
    language: str | None = None
    state_affiliated: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class RawItem:
    """One input record as read from a file or a feed, checked for types but not yet resolved."""

    id: str | None
    url: str | None
    outlet: str | None
    published: datetime | None
    title: str
    text: str
    authors: tuple[str, ...] = ()
    language: str | None = None
    kind: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Article:
    """A stored article. Immutable once stored; re-ingesting it changes nothing."""

    id: str
    url: str | None
    canonical_url: str | None
    outlet: str
    title: str
    text: str
    authors: tuple[str, ...]
    published: datetime | None
    fetched: datetime
    language: str | None
    content_hash: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Mention:
    """An actor found in an article: who, which state, the surface text and where it stands."""

    actor_id: str
    country: str | None
    text: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Evidence:
    """A sentence (with its span in the article text) that supports a coding."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Interaction:
    """One coded interaction per dyad per article."""

    article_id: str
    dyad: str
    relation: str
    event_type: str
    topic: str
    intensity: float
    confidence: float
    evidence: tuple[Evidence, ...]
    coder_version: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Story:
    """A cluster of articles about one development, with its score and the components behind it."""

    id: str
    article_ids: tuple[str, ...]
    representative_id: str
    headline: str
    dyads: tuple[str, ...]
    relation: str
    topic: str
    first_seen: datetime
    last_seen: datetime
    score: float
    components: dict[str, float]
    section: str


@dataclass(frozen=True, kw_only=True, slots=True)
class StoryBundle:
    """A ranked story with what composing it needs: its articles and their outlets.

    `articles` holds the members, the representative first, then by publication time;
    `outlets` maps every member's outlet name to its record; `copies` maps an article id to the id
    of the original it syndicates, for members that are copies.
    """

    rank: int
    story: Story
    articles: tuple[Article, ...]
    outlets: Mapping[str, Outlet]
    copies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Sentence:
    """A sentence of an issue item, with the ids of the articles it rests on."""

    text: str
    articles: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Item:
    """One entry of an issue: its story, its text, and the articles behind every sentence."""

    section: str
    story_id: str | None
    headline: str
    paragraphs: tuple[tuple[Sentence, ...], ...]
    position: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class Issue:
    """A monthly issue of CRANK Call."""

    month: str
    window_start: datetime
    window_end: datetime
    status: str
    items: tuple[Item, ...]
    masthead: dict[str, str]


@dataclass(frozen=True, kw_only=True, slots=True)
class CodedArticle:
    """What the coder says of one article (contract 2), with the evidence and rules behind it.

    Offsets of actors and evidence index the article's title and text joined by a blank line
    (`title + "\\n\\n" + text`); with no title they index the text alone.
    """

    id: str
    relevant: bool
    score: float
    crank: tuple[str, ...]
    dyads: tuple[str, ...]
    relation: str
    topic: str
    event_type: str | None
    intensity: float
    actors: tuple[Mention, ...]
    evidence: tuple[Evidence, ...]
    interactions: tuple[Interaction, ...]
    rules: tuple[str, ...]
    coder: str
    cue_event: str | None = None
    """The event type the cues weigh most for, before the event model's reading (`event_type`):
    what the story stage compares and weighs reports by, since reports of one development use
    the same words more often than a model reads them alike. Not part of contract 2."""
