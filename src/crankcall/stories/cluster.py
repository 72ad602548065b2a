"""Group articles into stories: one development, all its coverage, across outlets and days.

Online clustering in publication order, as a desk reads the wires: each article joins the most
similar open story or starts a new one. A syndicated copy joins its original's story outright.
Similarity mixes what reports of one development share:

- the cosine between the article's weighted terms and the story's centroid (actors, figures,
  names, content words: see `features`), with weights from inverse document frequency over the
  window, so "Russia" counts for little and "Fath-360" for a lot;
- the dyads (or, without a dyad, the CRANK states) they share;
- the same PLOVER event type;
- a gentle penalty for time since the story's last article. A story closes to newcomers
  `window_days` after its last article, so a treaty runs from announcement to signing to
  ratification as one story as long as coverage keeps coming.

Incremental: stories already stored come in as seeds with their members; only new articles are
placed, so a run never reshuffles what an editor has seen. Members an editor placed are never
moved. Candidate stories for an article are found through an inverted index on the few most
telling terms of each story, which keeps the pass near linear in the number of articles.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from crankcall.stories.features import ArticleFacts, is_neutral

TOP_TERMS = 80
"""Terms kept per article vector."""
INDEX_TERMS = 10
"""Most telling terms of each article that index its story and query for candidates."""
MAX_CANDIDATES = 40
"""Stories scored in full per article, chosen by how many telling terms they share."""
WEIGHTS = {"text": 0.6, "dyads": 0.3, "event": 0.1}
"""The text cosine, scaled by how far the structure agrees: a shared dyad and event type keep it
whole, neither leaves 0.6 of it. Structure alone never joins two articles."""


@dataclass(kw_only=True)
class Cluster:
    """A story under construction."""

    id: str
    members: list[str] = field(default_factory=list)
    locked: set[str] = field(default_factory=set)
    centroid: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    dyads: Counter[str] = field(default_factory=Counter)
    crank: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    scripts: Counter[str] = field(default_factory=Counter)
    neutral: dict[str, float] = field(default_factory=dict)
    """The centroid's language-neutral part (actors, figures), for articles in another script."""
    last: float = 0.0
    """Timestamp (seconds) of the latest member."""

    def add(self, facts: ArticleFacts, vector: Mapping[str, float]) -> None:
        self.members.append(facts.id)
        for term, weight in vector.items():
            self.centroid[term] = self.centroid.get(term, 0.0) + weight
        self.norm = math.sqrt(sum(w * w for w in self.centroid.values()))
        for term, weight in _neutral(vector).items():
            self.neutral[term] = self.neutral.get(term, 0.0) + weight
        self.scripts[facts.script] += 1
        self.dyads.update(facts.dyads)
        self.crank.update(facts.crank)
        if facts.event_type:
            self.events[facts.event_type] += 1
        self.last = max(self.last, facts.published.timestamp())


@dataclass(frozen=True, kw_only=True, slots=True)
class Seed:
    """A stored story: its id, members, and the members an editor placed (never moved)."""

    id: str
    members: tuple[str, ...]
    locked: frozenset[str] = frozenset()


def story_id(first_member: str) -> str:
    """A stable story id from the id of the article that opened it."""
    return "s" + hashlib.sha1(first_member.encode("utf-8")).hexdigest()[:12]


def idf_of(facts: Iterable[ArticleFacts]) -> dict[str, float]:
    """Smoothed inverse document frequency of every term over these articles."""
    df: Counter[str] = Counter()
    n = 0
    for f in facts:
        df.update(f.terms.keys())
        n += 1
    return {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}


def vector_of(facts: ArticleFacts, idf: Mapping[str, float]) -> dict[str, float]:
    """The article's unit-length vector of its `TOP_TERMS` heaviest terms."""
    weights = {t: (1.0 + math.log(c)) * idf.get(t, 1.0) for t, c in facts.terms.items()}
    if len(weights) > TOP_TERMS:
        weights = dict(heapq.nlargest(TOP_TERMS, weights.items(), key=lambda kv: kv[1]))
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def _telling(vector: Mapping[str, float]) -> list[str]:
    return [t for t, _ in heapq.nlargest(INDEX_TERMS, vector.items(), key=lambda kv: kv[1])]


def _neutral(vector: Mapping[str, float]) -> dict[str, float]:
    """The unit vector of the language-neutral terms alone (empty when there are none)."""
    part = {t: w for t, w in vector.items() if is_neutral(t)}
    norm = math.sqrt(sum(w * w for w in part.values()))
    return {t: w / norm for t, w in part.items()} if norm else {}


def _cosine(a: Mapping[str, float], b: Mapping[str, float], b_norm: float) -> float:
    if not b_norm:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items()) / b_norm


def similarity(facts: ArticleFacts, vector: Mapping[str, float], cluster: Cluster) -> float:
    """How well an article fits a story, 0..1, before the time penalty. An article in another
    script than most of the story's is compared on actors and figures alone, discounted."""
    text = _cosine(vector, cluster.centroid, cluster.norm)
    if facts.script not in cluster.scripts:
        neutral = _neutral(vector)
        norm = math.sqrt(sum(w * w for w in cluster.neutral.values()))
        text = max(text, 0.8 * _cosine(neutral, cluster.neutral, norm))
    size = len(cluster.members)
    if facts.dyads and cluster.dyads:
        common = {d for d, c in cluster.dyads.items() if c * 2 >= size} or set(cluster.dyads)
        structure = len(facts.dyads & common) / len(facts.dyads | common)
    elif not facts.dyads and not cluster.dyads and facts.crank and cluster.crank:
        common = {s for s, c in cluster.crank.items() if c * 2 >= size} or set(cluster.crank)
        structure = len(facts.crank & common) / len(facts.crank | common)
    else:
        structure = 0.0
    event = 0.0
    if facts.event_type and cluster.events:
        event = cluster.events[facts.event_type] / sum(cluster.events.values())
    return text * (WEIGHTS["text"] + WEIGHTS["dyads"] * structure + WEIGHTS["event"] * event)


def cluster(
    facts: Sequence[ArticleFacts],
    *,
    seeds: Sequence[Seed] = (),
    threshold: float,
    window_days: int,
) -> list[Cluster]:
    """Place every article of `facts` that no seed holds into a story; return all stories.

    `facts` must include the members of the seeds (they rebuild the seeds' centroids).
    """
    by_id = {f.id: f for f in facts}
    idf = idf_of(facts)
    window = timedelta(days=window_days).total_seconds()
    clusters: dict[str, Cluster] = {}
    home: dict[str, str] = {}
    index: dict[str, set[str]] = {}

    def join(c: Cluster, f: ArticleFacts, vector: Mapping[str, float]) -> None:
        c.add(f, vector)
        home[f.id] = c.id
        for term in _telling(vector) + _telling(_neutral(vector)):
            index.setdefault(term, set()).add(c.id)

    for seed in seeds:
        c = Cluster(id=seed.id, locked=set(seed.locked))
        clusters[seed.id] = c
        for member in seed.members:
            if member in by_id and member not in home:
                f = by_id[member]
                join(c, f, vector_of(f, idf))

    pending = sorted(
        (f for f in facts if f.id not in home), key=lambda f: (f.published, f.original or "", f.id)
    )
    for f in pending:
        vector = vector_of(f, idf)
        if f.original and f.original in home:
            join(clusters[home[f.original]], f, vector)
            continue
        if f.outlet_kind == "analysis":
            # A think-tank or journal piece is its own item (Recent Analysis), however close
            # its subject is to the news; only its syndicated copies join it.
            c = Cluster(id=story_id(f.id))
            clusters[c.id] = c
            c.add(f, vector)
            home[f.id] = c.id
            continue
        stamp = f.published.timestamp()
        shared: Counter[str] = Counter()
        for term in _telling(vector) + _telling(_neutral(vector)):
            for cid in index.get(term, ()):
                shared[cid] += 1
        best, best_score = None, threshold
        for cid, _ in shared.most_common(MAX_CANDIDATES):
            c = clusters[cid]
            gap = stamp - c.last
            if gap > window or -gap > window:
                continue
            value = similarity(f, vector, c) * (1.0 - 0.3 * min(1.0, abs(gap) / window))
            if value >= best_score:
                best, best_score = c, value
        if best is None:
            best = Cluster(id=story_id(f.id))
            clusters[best.id] = best
        join(best, f, vector)
    return list(clusters.values())
