"""Describe and rank stories as an editor would, with the components kept on every story.

Components, each 0..1, and the weight they carry in the score:

- `consequence` (0.25): what kind of development it is. New commitments, force deployments,
  transfers, fighting and sanctions outrank talks and statements: the PLOVER types (`CONSEQUENCE`,
  0.4), the share of titles that announce such a development (`announces`, 0.4: the coder's
  event type alone is too unsure to carry it) and the coder's intensity (0.2). Contention weighs as
  much as cooperation: the weights depend on what happened, never on which way it went.
- `breadth` (0.45): independent outlets that covered it in the window. Syndicated copies count
  once, with their original; eight or more outlets score 1. Analysis and CRANK Perspectives
  pieces score at least 0.35 (as two outlets would): one text by design, they are not judged by
  how many carried them.
- `novelty` (0.15): against earlier issues. A story featured before keeps only the share of its
  coverage that is new since; a story that reads like one featured before (term centroids with a
  cosine above 0.5) loses in proportion.
- `relevance` (0.10): the coder's mean relevance score of its articles.
- `interaction` (0.05): 1 when CRANK states interact with each other; 0.6 for outside responses
  to the group as a whole.
- `pinned`: an editor pin adds 1, which puts the story above every unpinned one.

Sections: a story told mostly by think tanks and journals goes to Recent Analysis, one told mostly
by CRANK state media and officials to CRANK Perspectives unless several of its reports tell an act
or two capitals' state media tell it (`_kind_section`); news stories go to Highlights (the best
`highlights` of them) and Links (the rest).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from crankcall.models import Story
from crankcall.stories.cluster import collector_paused, idf_of, vector_of
from crankcall.stories.features import ArticleFacts
from crankcall.stories.headline import clean_headline, is_protocol

SCORE_WEIGHTS = {
    "consequence": 0.25,
    "breadth": 0.45,
    "novelty": 0.15,
    "relevance": 0.10,
    "interaction": 0.05,
}
CONSEQUENCE = {
    "FIGHT": 1.0,
    "ASSAULT": 0.95,
    "MOBILIZE": 0.9,
    "AID": 0.9,
    "AGREE": 0.85,
    "SANCTION": 0.8,
    "COERCE": 0.8,
    "COOPERATE": 0.75,
    "RETREAT": 0.7,
    "THREATEN": 0.65,
    "CRIME": 0.6,
    "REJECT": 0.55,
    "CONCEDE": 0.55,
    "CONSULT": 0.5,
    "DEMAND": 0.45,
    "INVESTIGATE": 0.45,
    "SUPPORT": 0.4,
    "DISAPPROVE": 0.4,
    "PROTEST": 0.4,
}
CONSEQUENTIAL_WORDS = (
    "treat", "pact", "alliance", "accord", "agreement", "deal", "sign", "ratif", "deploy", "troop",
    "soldier", "missile", "ballistic", "munition", "shell", "drone", "weapon", "arms", "warship",
    "bomber", "patrol", "drill", "exercise", "nuclear", "sanction", "blacklist", "ban", "embargo",
    "tariff", "seiz", "expel", "arrest", "shipment", "ship", "deliver", "transfer", "supply",
    "supplie", "pipeline", "barter", "payment", "loan", "invest", "plant", "factory", "attack",
    "strike", "clash", "rift", "snub", "spurn", "protest", "summon", "condemn", "accus", "refus",
    "halt", "suspend", "cancel", "veto",
)  # fmt: skip
"""Beginnings of the words of a title that announce a development with consequences rather than
words alone."""


def word_starts(beginnings: Sequence[str]) -> re.Pattern[str]:
    """A case-blind pattern that finds a word beginning with any of `beginnings`: the same as
    `\\b(?:treat|pact|...)`, with the alternatives grouped by first letter. The regex engine tries
    alternatives one by one at every word boundary of a title; grouped, all but one group fail
    on the first letter."""
    groups: dict[str, list[str]] = {}
    for word in beginnings:
        groups.setdefault(word[0].lower(), []).append(re.escape(word[1:]))
    branches = [re.escape(first) + "(?:" + "|".join(rest) + ")" for first, rest in groups.items()]
    return re.compile(r"\b(?:" + "|".join(branches) + ")", re.IGNORECASE)


CONSEQUENTIAL = word_starts(CONSEQUENTIAL_WORDS)
CONSEQUENTIAL_CONCEPTS = frozenset((
    "treaty", "ratification", "entry_into_force", "mutual_assistance",
    "comprehensive_strategic_partnership", "signing", "free_trade_agreement", "military_exercise",
    "naval_exercise", "joint_patrol", "bomber", "warship", "destroyer", "aircraft_carrier",
    "submarine", "nuclear_submarine", "fighter_jet", "air_defence", "missile", "ballistic_missile",
    "cruise_missile", "hypersonic", "icbm", "warhead", "drone", "shahed", "artillery_ammunition",
    "artillery", "rocket_launcher", "tank_armour", "arms_transfer", "military_cooperation",
    "components_parts", "technology_transfer", "troops", "troop_deployment", "casualties",
    "front_line", "offensive_invasion", "military_base", "nuclear_test", "nuclear_weapon",
    "sanctions", "sanctions_package", "secondary_sanctions", "blacklist", "export_control",
    "embargo", "asset_freeze", "ship_seizure", "expulsion", "veto", "pipeline", "loan",
    "investment", "factory", "payment", "regime_fall", "coup", "airstrike", "missile_attack", "war",
    "tariff", "arrest", "summon_ambassador", "condemnation", "shot_down", "annexation", "execution",
))  # fmt: skip
"""The concepts (`data/concepts.toml`) that announce a development with consequences in a title
of any of the five languages: commitments, deployments, transfers, fighting, sanctions, regime
change. `CONSEQUENTIAL_WORDS` reads English titles only: Rossiyskaya Gazeta's "Договор о
всеобъемлющем стратегическом партнерстве вступил в силу" announced nothing, and "Assad
ousted as rebels take Damascus" neither."""


def announces(facts: ArticleFacts) -> bool:
    """Whether an article's title announces a development with consequences rather than words
    alone: a word of `CONSEQUENTIAL_WORDS` (English) or a concept of `CONSEQUENTIAL_CONCEPTS`."""
    return bool(CONSEQUENTIAL.search(facts.title)) or not facts.title_concepts.isdisjoint(
        CONSEQUENTIAL_CONCEPTS
    )


BREADTH_FULL = 8
"""Independent outlets for a full breadth score."""
_KIND_PREFERENCE = {"wire": 0, "news": 1, "official": 2, "state_media": 3, "analysis": 4}


@dataclass(frozen=True, kw_only=True, slots=True)
class Featured:
    """A story featured in an earlier issue: its id, members and the end of that issue's window."""

    story_id: str
    members: tuple[ArticleFacts, ...]
    until: datetime


@dataclass(kw_only=True)
class StoryDraft:
    """A story's members and editor flags, before description and ranking."""

    id: str
    members: list[ArticleFacts]
    pinned: bool = False
    excluded: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def independent(members: Sequence[ArticleFacts]) -> list[ArticleFacts]:
    """Members that are not syndicated copies of another member."""
    ids = {m.id for m in members}
    return [m for m in members if not (m.original and m.original in ids)]


def describe(draft: StoryDraft) -> Story:
    """The story record, score not yet computed: representative, headline, dyads, relation,
    topic, dates and section by outlet kind (`news` until ranking splits it). The
    representative is a relevant report's, in Latin letters when one is, saying what happened
    rather than naming an official text's form, from a wire before news, officials, state media
    and analysis, the coder's surest first."""
    members = sorted(draft.members, key=lambda m: (m.published, m.id))
    own = independent(members)
    relevant = [m for m in own if m.relevant] or own
    # The issue is written in English from the English reports: a title in Latin letters heads
    # the story when one of its reports has one, and one that says what happened goes before an
    # official text's form ("Russian-Chinese talks").
    latin = any(m.script == "latin" and m.title.strip() for m in relevant)
    representative = min(
        relevant,
        key=lambda m: (
            not m.title.strip(),
            latin and m.script != "latin",
            is_protocol(m.title),
            _KIND_PREFERENCE.get(m.outlet_kind, 5),
            -m.score,
            m.published,
            m.id,
        ),
    )
    dyad_counts = Counter(d for m in relevant for d in m.dyads)
    with_dyads = sum(1 for m in relevant if m.dyads)
    dyads = sorted(d for d, c in dyad_counts.items() if c * 5 >= with_dyads * 2)
    return Story(
        id=draft.id,
        article_ids=tuple(m.id for m in members),
        representative_id=representative.id,
        headline=clean_headline(representative.title, {m.outlet for m in members}),
        dyads=tuple(dyads),
        relation=_relation(relevant) if dyads else "none",
        topic=_majority([m.topic for m in relevant], default="other"),
        first_seen=members[0].published,
        last_seen=members[-1].published,
        score=0.0,
        components={},
        section=_kind_section(own),
    )


def is_relevant(members: Sequence[ArticleFacts]) -> bool:
    """In scope when at least half of its independent articles are."""
    own = independent(members)
    return sum(m.relevant for m in own) * 2 >= len(own) > 0


def event_type(members: Sequence[ArticleFacts]) -> str | None:
    """The most common event type among the relevant members."""
    types = [m.event_type for m in independent(members) if m.relevant and m.event_type]
    return _majority(types, default="") or None


def _relation(members: Sequence[ArticleFacts]) -> str:
    counts = Counter(m.relation for m in members if m.dyads)
    coop, cont, mixed = counts["cooperation"], counts["contention"], counts["mixed"]
    total = coop + cont + mixed
    if not total:
        return "none"
    if mixed * 3 >= total or (coop and cont and min(coop, cont) * 4 >= total):
        return "mixed"
    return "cooperation" if coop >= cont else "contention"


def _majority(values: Sequence[str], *, default: str) -> str:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else default


REPORTED_ACTS = frozenset({"CONSULT", "AGREE", "COOPERATE", "AID"})
"""Event types of an act two states did together (a meeting, a call, a deal, a delivery): told
by several CRANK state-media reports, it is news, not a view of the relationship."""


def _kind_section(own: Sequence[ArticleFacts]) -> str:
    """Analysis when most of the story's independent articles are think-tank or journal pieces;
    CRANK Perspectives when most are CRANK state media or officials, unless several of them
    report an act, or the state media of both capitals tell it (TASS and IRNA on Putin's call
    with Pezeshkian), and none is a commentary (Xinhua, China Daily and People's Daily on Wang Yi
    meeting Lavrov: the editor links the meeting); else news. A lone state-media piece stays a
    Perspective whatever it reports: it is how that capital presents the relationship."""
    if sum(m.outlet_kind == "analysis" for m in own) * 2 > len(own):
        return "analysis"
    if sum(m.is_crank_voice for m in own) * 2 > len(own):
        capitals = {m.outlet_country for m in own if m.is_crank_voice}
        if (
            len(own) > 1
            and not any(m.opinion for m in own)
            and (event_type(own) in REPORTED_ACTS or len(capitals) > 1)
        ):
            return "news"
        return "perspectives"
    return "news"


def rank(
    drafts: Sequence[StoryDraft],
    *,
    since: datetime,
    until: datetime,
    featured: Sequence[Featured] = (),
    highlights: int = 5,
) -> list[Story]:
    """Stories with members in [since, until), scored and ordered best first, with sections.

    Each story is described, scored and judged in scope from its members inside the window
    alone (its `article_ids` are those); excluded stories are left out.
    """
    with collector_paused():
        return _rank(drafts, since=since, until=until, featured=featured, highlights=highlights)


def _rank(
    drafts: Sequence[StoryDraft],
    *,
    since: datetime,
    until: datetime,
    featured: Sequence[Featured],
    highlights: int,
) -> list[Story]:
    idf: dict[str, float] = {}
    if featured:  # term weights only matter when comparing with earlier issues
        idf = idf_of(
            [m for d in drafts for m in d.members] + [m for f in featured for m in f.members]
        )
    featured_centroids = [(f, _centroid(f.members, idf)) for f in featured]
    scored: list[Story] = []
    for draft in drafts:
        inside = [m for m in draft.members if since <= m.published < until]
        if draft.excluded or not inside or not is_relevant(inside):
            continue
        scored.append(_scored(draft, inside, idf, featured_centroids))
    scored.sort(key=lambda s: (-s.score, s.first_seen, s.id))
    ranked: list[Story] = []
    news_seen = 0
    for story in scored:
        if story.section == "news":
            section = "highlights" if news_seen < highlights else "links"
            news_seen += 1
            story = replace(story, section=section)
        ranked.append(story)
    return ranked


def whole_life(draft: StoryDraft) -> Story:
    """The story described and scored over all its members (what is stored between runs);
    its section is by outlet kind, `news` until a window's ranking splits it."""
    return _scored(draft, draft.members, {}, [])


def _scored(
    draft: StoryDraft,
    inside: Sequence[ArticleFacts],
    idf: Mapping[str, float],
    featured: Sequence[tuple[Featured, dict[str, float]]],
) -> Story:
    # What the window says of the story: older coverage is background, not the story.
    story = describe(StoryDraft(id=draft.id, members=list(inside)))
    components = _components(draft, inside, idf, featured)
    if story.section != "news":
        # A think-tank piece or a state-media commentary is one text by design: breadth
        # of coverage says nothing of its worth, so it counts as middling.
        components["breadth"] = max(components["breadth"], 0.35)
    score = sum(SCORE_WEIGHTS[k] * components[k] for k in SCORE_WEIGHTS) + components["pinned"]
    return replace(story, score=round(score, 4), components=components)


def _components(
    draft: StoryDraft,
    inside: Sequence[ArticleFacts],
    idf: Mapping[str, float],
    featured: Sequence[tuple[Featured, dict[str, float]]],
) -> dict[str, float]:
    own = independent(inside) or list(inside)
    relevant = [m for m in own if m.relevant] or own
    types = [CONSEQUENCE.get(m.event_type or "", 0.3) for m in relevant]
    kind = sum(sorted(types, reverse=True)[:3]) / min(3, len(types))
    strength = sum(min(10.0, abs(m.intensity)) for m in relevant) / (10.0 * len(relevant))
    announced = sum(announces(m) for m in relevant) / len(relevant)
    outlets = {m.outlet for m in own}
    breadth = min(1.0, math.log1p(len(outlets)) / math.log1p(BREADTH_FULL))
    novelty = 1.0
    centroid = _centroid(draft.members, idf) if featured else {}
    for past, past_centroid in featured:
        if past.story_id == draft.id:
            fresh = sum(1 for m in own if m.published > past.until)
            novelty = min(novelty, fresh / len(own))
        else:
            cosine = sum(w * past_centroid.get(t, 0.0) for t, w in centroid.items())
            if cosine > 0.5:
                novelty = min(novelty, 1.0 - cosine)
    dyads = any(m.dyads for m in relevant)
    return {
        "consequence": round(0.4 * kind + 0.2 * strength + 0.4 * announced, 4),
        "breadth": round(breadth, 4),
        "novelty": round(max(0.0, novelty), 4),
        "relevance": round(sum(m.score for m in relevant) / len(relevant), 4),
        "interaction": 1.0 if dyads else 0.6,
        "pinned": 1.0 if draft.pinned else 0.0,
        "outlets": float(len(outlets)),
        "articles": float(len(inside)),
    }


def _centroid(members: Sequence[ArticleFacts], idf: Mapping[str, float]) -> dict[str, float]:
    total: dict[str, float] = {}
    for m in members:
        for t, w in vector_of(m, idf).items():
            total[t] = total.get(t, 0.0) + w
    norm = math.sqrt(sum(w * w for w in total.values())) or 1.0
    return {t: w / norm for t, w in total.items()}
