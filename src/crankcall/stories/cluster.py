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

import gc
import hashlib
import math
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain, compress, islice, repeat
from operator import itemgetter, le, mul

from crankcall.stories.features import CONCEPT, ArticleFacts, is_specific

TOP_TERMS = 80
"""Terms kept per article vector."""
INDEX_TERMS = 10
"""Most telling terms of each article that index its story and query for candidates."""
MAX_CANDIDATES = 10
"""Stories scored in full per article, chosen by how many telling terms they share."""
MIN_SHARED = 2
"""Telling terms a story must share with an article to be scored at all (one shared rare word
is chance; two are a lead)."""
RARE_SHARE = 0.05
"""A specific term in at most this share of the window's articles is rare: it alone can link
a report in another script to a story (`_evidence`)."""
RARE_IDF = 1.0 + math.log(1.0 / RARE_SHARE)
"""The inverse document frequency (`idf_of`) of a term at `RARE_SHARE` in a large window
(`rare_idf` gives it for a window of any size)."""


def rare_idf(articles: int) -> float:
    """The inverse document frequency (`idf_of`) of a term in `RARE_SHARE` of `articles`."""
    return math.log((1 + articles) / (1 + RARE_SHARE * articles)) + 1.0


CROSS_SCRIPT_SHARED = 1
"""Telling terms a story must share with an article in a script few of its articles use
(`in_minority_script`)."""
POSTINGS = 16
"""Stories kept per index term, the most recent: older ones have closed or are reached through
other terms."""
WEIGHTS = {"text": 0.6, "dyads": 0.3, "event": 0.1}
"""The text cosine, scaled by how far the structure agrees: a shared dyad and event type keep it
whole, neither leaves 0.6 of it. Structure alone never joins two articles."""
ONE_SIDED_DYADS = 0.5
"""Credit for agreeing CRANK states when only one side has a dyad (see `similarity`)."""


@dataclass(kw_only=True, eq=False)
class Cluster:
    """A story under construction. Compared and hashed by identity (`eq=False`): the index's
    posting lists and the count of shared terms (`_shared`) hold the stories themselves, and
    hashing one reads nothing of it, where a story id's hash is read from the string, somewhere
    in a heap of a gigabyte or more at 100,000 articles."""

    id: str
    members: list[str] = field(default_factory=list)
    locked: set[str] = field(default_factory=set)
    centroid: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    dyads: Counter[str] = field(default_factory=Counter)
    crank: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    leaders: Counter[str] = field(default_factory=Counter)
    """Per CRANK state, how many members name its leader (`ArticleFacts.leaders`)."""
    scripts: Counter[str] = field(default_factory=Counter)
    neutral: dict[str, float] = field(default_factory=dict)
    """The centroid's specific language-neutral part (people, institutions, places, figures;
    `features.is_specific`), for articles in another script."""
    neutral_norm: float = 0.0
    first: float = math.inf
    """Timestamp (seconds) of the earliest member."""
    last: float = 0.0
    """Timestamp (seconds) of the latest member."""
    by_script: dict[str, tuple[dict[str, float], float]] | None = None
    """Once the story holds reports in two scripts or more: per script, the sum of its reports'
    vectors and that sum's squared norm (`track_scripts`). An article in a script few of the
    story's reports use (a TASS report in English beside a Tehran Times one, in a story told
    mostly in Russian and Persian) is compared with what the reports in its script say too, not
    only with a centroid mostly in words it cannot share (`similarity`, `_merge_pass`)."""
    _squares: float = 0.0
    _neutral_squares: float = 0.0

    def add(self, facts: ArticleFacts, vector: Vector) -> None:
        self.members.append(facts.id)
        self._squares = _accumulate(self.centroid, vector.weights, self._squares)
        self.norm = math.sqrt(self._squares)
        self._neutral_squares = _accumulate(self.neutral, vector.neutral, self._neutral_squares)
        self.neutral_norm = math.sqrt(self._neutral_squares)
        self.scripts[facts.script] += 1
        self.dyads.update(facts.dyads)
        self.crank.update(facts.crank)
        self.leaders.update(facts.leaders)
        if facts.event_type:
            self.events[facts.event_type] += 1
        stamp = facts.published.timestamp()
        self.first = min(self.first, stamp)
        self.last = max(self.last, stamp)


def _accumulate(total: dict[str, float], add: Mapping[str, float], squares: float) -> float:
    """Add a vector into a running sum; return the sum's new squared norm (kept incrementally)."""
    for term, weight in add.items():
        old = total.get(term, 0.0)
        total[term] = new = old + weight
        squares += new * new - old * old
    return squares


@dataclass(frozen=True, slots=True)
class Vector:
    """An article's weighted terms, their language-neutral part and its most telling terms."""

    weights: dict[str, float]
    neutral: dict[str, float]
    telling: tuple[str, ...]
    rare: frozenset[str] = frozenset()
    """Its specific terms that few of the window's articles carry (`RARE_SHARE`)."""


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
    """The article's unit-length vector of its `TOP_TERMS` heaviest terms, heaviest first."""
    return _unit(_weighed(facts.terms, idf)[:TOP_TERMS])


def _weighed(terms: Mapping[str, int], idf: Mapping[str, float]) -> list[tuple[str, float]]:
    """Every term with its weight (1 + log count, times its idf), heaviest first."""
    get, tf, top = idf.get, _TF, len(_TF)
    weighed = [
        (t, (tf[c] if c < top else 1.0 + math.log(c)) * get(t, 1.0)) for t, c in terms.items()
    ]
    weighed.sort(key=itemgetter(1), reverse=True)
    return weighed


def _unit(weighed: Sequence[tuple[str, float]]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for _, w in weighed))
    return {t: w / norm for t, w in weighed} if norm else {}


_TF = [0.0] + [1.0 + math.log(c) for c in range(1, 256)]
"""Term frequency weights (1 + log count) of the common small counts, looked up."""


def specific_terms(idf: Iterable[str]) -> frozenset[str]:
    """The terms among these that are specific (`features.is_specific`), each judged once: a
    window holds far fewer distinct terms than term occurrences."""
    return frozenset(t for t in idf if is_specific(t))


def vector(
    facts: ArticleFacts,
    idf: Mapping[str, float],
    specific: Container[str],
    *,
    rare_idf: float = RARE_IDF,
) -> Vector:
    """Everything clustering needs of one article's terms, computed once: its `TOP_TERMS`
    heaviest terms but concepts; the unit vector of its specific language-neutral terms,
    heaviest first (people, institutions, places, figures and concepts); and its most telling
    terms, the heaviest few of each. `specific` holds the specific terms of the window
    (`specific_terms`).

    Concepts ("concept:treaty") are what reports in two scripts share of their words, and they
    count only there: a report in one script is compared with a story in another on its
    language-neutral terms (`similarity`), while two reports in one script compare their own
    words, which say the same more finely (with concepts among them, the reports of a month's
    big development drew in its neighbours: a visit, the treaty signed there and a third
    capital's response). Nor does a shared concept alone show two reports tell one development
    (`rare`): many stories of a month are about a treaty.

    Two reports that share only states share nothing telling (`features.is_specific`). Every
    specific term counts, not only those among the heaviest: in a language with many word
    forms, rare inflections crowd the actors out of those."""
    weighed = _weighed(facts.terms, idf)
    weights = _unit([pair for pair in weighed if not pair[0].startswith(CONCEPT)][:TOP_TERMS])
    neutral = _unit([pair for pair in weighed if pair[0] in specific])
    telling = [*islice(weights, INDEX_TERMS), *islice(neutral, INDEX_TERMS)]
    rare = frozenset(
        t for t in neutral if idf.get(t, rare_idf) >= rare_idf and not t.startswith(CONCEPT)
    )
    return Vector(weights, neutral, tuple(dict.fromkeys(telling)), rare)


def _cosine(a: Mapping[str, float], b: Mapping[str, float], b_norm: float) -> float:
    if not b_norm:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    # The products summed in `a`'s order, as a generator would, without its per-term overhead.
    dot: float = sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))
    return dot / b_norm


def _common(counts: Counter[str], cluster: Cluster) -> frozenset[str]:
    """What at least half of the story's members have (dyads or states), else all they have."""
    size = len(cluster.members)
    return frozenset(k for k, c in counts.items() if c * 2 >= size) or frozenset(counts)


def agreement(
    dyads: frozenset[str],
    crank: frozenset[str],
    other_dyads: frozenset[str],
    other_crank: frozenset[str],
    *,
    one_sided: float = ONE_SIDED_DYADS,
) -> float:
    """How far two reports (or stories) agree on who is involved, 0..1: the overlap of their
    dyads; without a dyad on either side, the overlap of the CRANK states they name.

    With a dyad on one side only, the coder found an interaction in one and none in the other
    (an outside response to the group: a G7 communique, a Treasury designation, naming two CRANK
    states or more). The states still say whether the two are about the same parties, at
    `ONE_SIDED_DYADS` credit. A report on one state alone gets none."""
    if dyads and other_dyads:
        return len(dyads & other_dyads) / len(dyads | other_dyads)
    if not crank or not other_crank:
        return 0.0
    states = len(crank & other_crank) / len(crank | other_crank)
    if not dyads and not other_dyads:
        return states
    if len(crank) >= 2 and len(other_crank) >= 2:
        return one_sided * states
    return 0.0


def _evidence(vec: Vector, cluster: Cluster) -> bool:
    """Whether the people, places and figures an article shares with a story can say it is the
    same development: two of them, or one that few of the window's articles carry. A state-media
    report in which the coder found one name (Putin, in a third of the month's reports) would
    otherwise match every story that names him as closely as its own."""
    shared = [t for t in vec.neutral if t in cluster.neutral]
    return len(shared) >= 2 or any(t in vec.rare for t in shared)


def add_by_script(cluster: Cluster, script: str, vector: Vector) -> None:
    """Add a report's vector to its script's part of a story that holds several scripts."""
    assert cluster.by_script is not None
    total, squares = cluster.by_script.get(script) or ({}, 0.0)
    cluster.by_script[script] = (total, _accumulate(total, vector.weights, squares))


def track_scripts(
    cluster: Cluster,
    facts: ArticleFacts,
    vector: Vector,
    by_id: Mapping[str, ArticleFacts],
    vectors: Mapping[str, Vector],
) -> None:
    """Keep a story's parts per script (`Cluster.by_script`) once it holds two scripts: its
    reports so far are summed per script when the second script arrives, each later one is
    added to its own. A story in one script, most of them, keeps none."""
    if cluster.by_script is not None:
        add_by_script(cluster, facts.script, vector)
    elif len(cluster.scripts) > 1:
        cluster.by_script = {}
        for member in cluster.members:
            add_by_script(cluster, by_id[member].script, vectors[member])


def same_script_cosine(weights: Mapping[str, float], script: str, cluster: Cluster) -> float:
    """The cosine of these weights with the story's reports in `script` (0 when the story holds
    one script, or none in this one)."""
    if cluster.by_script is None or script not in cluster.by_script:
        return 0.0
    total, squares = cluster.by_script[script]
    return _cosine(weights, total, math.sqrt(squares))


def in_minority_script(facts: ArticleFacts, cluster: Cluster) -> bool:
    """Whether fewer than half of the story's articles are in this article's script (none, for
    a TASS report on a story told in English; one in ten, once a first TASS report joined)."""
    return cluster.scripts[facts.script] * 2 < len(cluster.members)


def similarity(facts: ArticleFacts, vec: Vector, cluster: Cluster) -> float:
    """How well an article fits a story, 0..1, before the time penalty. In a story told in
    several scripts an article is compared with the reports in its own script too (`by_script`);
    one in a script few of the story's reports use, on its language-neutral terms alone (actors,
    figures, concepts: `Vector.neutral`) as well, discounted."""
    text = _cosine(vec.weights, cluster.centroid, cluster.norm)
    if cluster.by_script is not None:
        # Its own script's reports say the same in the same words, whichever script the
        # story's others are in: Reuters on Xi's Kremlin talks beside Xinhua's reports of them
        # in English and Chinese.
        text = max(text, same_script_cosine(vec.weights, facts.script, cluster))
    minority = in_minority_script(facts, cluster)
    if minority and _evidence(vec, cluster):
        # Most of the story is in other scripts (none, or a TASS report beside ten English
        # ones): its centroid is mostly words this article cannot share, so people, places,
        # figures and concepts carry the comparison.
        text = max(text, 0.8 * _cosine(vec.neutral, cluster.neutral, cluster.neutral_norm))
    structure = agreement(
        facts.dyads, facts.crank, _common(cluster.dyads, cluster), _common(cluster.crank, cluster)
    )
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
    with collector_paused():
        return _cluster(facts, seeds=seeds, threshold=threshold, window_days=window_days)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: clustering and ranking allocate millions of small objects
    and no cycles, and the collector's full passes over them grow with the heap, not with the
    work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _cluster(
    facts: Sequence[ArticleFacts],
    *,
    seeds: Sequence[Seed],
    threshold: float,
    window_days: int,
) -> list[Cluster]:
    by_id = {f.id: f for f in facts}
    idf = idf_of(facts)
    specific = specific_terms(idf)
    rare = rare_idf(len(by_id))
    mixed = len({f.script for f in facts}) > 1
    """Whether the window holds more than one script (else no article is in a story's minority
    script, and the search for cross-script candidates is skipped)."""
    window = timedelta(days=window_days).total_seconds()
    clusters: dict[str, Cluster] = {}
    home: dict[str, str] = {}
    index: dict[str, Postings] = {}

    vectors: dict[str, Vector] = {}
    analysis: set[str] = set()
    """Stories that hold an analysis piece or a CRANK voice's commentary
    (`ArticleFacts.is_own_item`): an item of its own, which news never joins."""

    def join(c: Cluster, f: ArticleFacts, vec: Vector) -> None:
        vectors[f.id] = vec
        c.add(f, vec)
        home[f.id] = c.id
        track_scripts(c, f, vec, by_id, vectors)
        if c.id in analysis:
            # News never joins an analysis piece's item, nor does the merge pass fold one: an
            # entry of its in the index would only be read, counted and skipped, and take a
            # slot among the candidates and in the posting lists (a 20th of them at 100,000).
            return
        for term in vec.telling:
            postings = index.get(term)
            if postings is None:
                postings = index[term] = Postings()
            postings.add(c)

    for seed in seeds:
        c = Cluster(id=seed.id, locked=set(seed.locked))
        clusters[seed.id] = c
        if any(m in by_id and m not in home and by_id[m].is_own_item for m in seed.members):
            analysis.add(c.id)  # before its members join: an analysis item is not indexed
        for member in seed.members:
            if member in by_id and member not in home:
                f = by_id[member]
                join(c, f, vector(f, idf, specific, rare_idf=rare))

    pending = sorted(
        (f for f in facts if f.id not in home), key=lambda f: (f.published, f.original or "", f.id)
    )
    # Every vector first, in one pass, rather than one between two placements: the weights and
    # terms it reads stay in the processor's cache (a few per cent of the pass at 100,000).
    for f, vec in zip(
        pending, [vector(f, idf, specific, rare_idf=rare) for f in pending], strict=True
    ):
        if f.original and f.original in home:
            join(clusters[home[f.original]], f, vec)
            continue
        if f.is_own_item:
            # A think-tank or journal piece is its own item (Recent Analysis), and so is a
            # CRANK voice's commentary (CRANK Perspectives), however close its subject is to
            # the news; only its syndicated copies join it.
            c = Cluster(id=story_id(f.id))
            clusters[c.id] = c
            analysis.add(c.id)
            join(c, f, vec)
            continue
        stamp = f.published.timestamp()
        shared = _shared(index, vec.telling)
        least = min(MIN_SHARED, len(vec.telling))
        best, best_score = None, threshold

        def open_to(c: Cluster, stamp: float = stamp) -> bool:
            return abs(stamp - c.last) <= window

        # A story closed to this article (`window` from its last one) takes no candidate's
        # place: it is judged only among the few that share enough terms, not every one met.
        candidates = _most_shared(shared, least, MAX_CANDIDATES, open_to)
        if len(candidates) < MAX_CANDIDATES and least > CROSS_SCRIPT_SHARED and mixed:
            # A report in a script few of a story's articles use shares only people, places
            # and figures with it, and a state-media report names few: one shared telling term
            # makes such a story a candidate too (`CROSS_SCRIPT_SHARED`), in the room left;
            # similarity still decides.
            fewer = [
                item
                for item in shared.items()
                if CROSS_SCRIPT_SHARED <= item[1] < least
                and in_minority_script(f, item[0])
                and open_to(item[0])
            ]
            candidates += fewer[: MAX_CANDIDATES - len(candidates)]
        for c, _ in candidates:
            gap = abs(stamp - c.last)
            value = similarity(f, vec, c) * _time_factor(gap, window)
            if gap <= SUMMIT_DAYS * 86400 and summit(f.leaders, c):
                value *= SUMMIT_BOOST
            if value >= best_score:
                best, best_score = c, value
        if best is None:
            best = Cluster(id=story_id(f.id))
            clusters[best.id] = best
        join(best, f, vec)
    if MERGE is not None:
        _merge_pass(clusters, index, by_id, vectors, analysis, window, MERGE)
    return list(clusters.values())


class Postings:
    """The stories indexed under one term, oldest first.

    `entries` is the raw list: a story is appended whenever it gains a member with this term
    (unless it was the last one appended), and once it holds more than `2 * POSTINGS` entries
    the oldest `POSTINGS` go. `stories` is the same list with each story once, at its first
    entry, kept up to date as entries come and go. Every article reads the `stories` of about
    twenty terms, up to 32 entries each, and deduplicating them on every read (a new dict per
    term per article) was the largest single item of a profile at 100,000 articles; kept here,
    it costs one dict operation per entry added and a rebuild of at most 32 entries every 16
    added. (A dict, not a set: a set's order follows the hashes, which change from one process
    to the next, and with it which of two stories that share as many terms is met first.)
    """

    __slots__ = ("entries", "stories")

    def __init__(self, entries: Iterable[Cluster] = ()) -> None:
        self.entries: list[Cluster] = []
        self.stories: dict[Cluster, None] = {}
        for story in entries:
            self.add(story)

    def add(self, story: Cluster) -> None:
        """Index `story` under this term, as its latest entry."""
        entries = self.entries
        if entries and entries[-1] is story:
            return
        entries.append(story)
        if len(entries) > 2 * POSTINGS:
            del entries[:POSTINGS]
            self.stories = dict.fromkeys(entries)
        elif story not in self.stories:
            self.stories[story] = None


def _shared(index: Mapping[str, Postings], terms: Iterable[str]) -> Counter[Cluster]:
    """How many of these terms each story is indexed under, stories in the order met.

    One count over all the postings at once: this runs for every article, and counting term by
    term spent more on the calls than on the counting."""
    return Counter(chain.from_iterable([index[t].stories for t in terms if t in index]))


def _most_shared(
    shared: Counter[Cluster],
    least: int,
    limit: int,
    eligible: Callable[[Cluster], bool] | None = None,
) -> list[tuple[Cluster, int]]:
    """The `limit` stories sharing the most telling terms, `least` at least, ties in the order
    they were met, leaving out those `eligible` rejects: `most_common` without its heap, which
    costs more than the small lists here. The filter on counts runs in C (`compress`): a dense
    window puts 150 stories or more in `shared`, most of them met once; `eligible` reads only
    the one or two left. It picks keys, not items: an item is a new pair per story, and only the
    few kept need one."""
    found = [(c, shared[c]) for c in compress(shared, map(le, repeat(least), shared.values()))]
    if eligible is not None:
        found = [item for item in found if eligible(item[0])]
    found.sort(key=itemgetter(1), reverse=True)
    return found[:limit]


MERGE: float | None = 0.3
MERGE_CANDIDATES = 5
"""Larger stories a small one is compared with, chosen by telling terms shared (three at least)."""
SETTLED = 3
"""Reports a story holds when the online pass has settled it: two such stories whose coverage
lies more than `SETTLED_GAP_DAYS` apart are two developments of one relationship (Shoigu in
Pyongyang, then Seoul's count of more troops sent three days on), and the merge pass leaves
them apart. A smaller story is still folded across days: a lone early report of what its
development's coverage later built up."""
SETTLED_GAP_DAYS = 0.5


def time_apart(one: Cluster, other: Cluster) -> float:
    """Seconds between the coverage of two stories: 0 when their spans overlap."""
    return max(0.0, one.first - other.last, other.first - one.last)


def _merge_pass(
    clusters: dict[str, Cluster],
    index: dict[str, Postings],
    by_id: Mapping[str, ArticleFacts],
    vectors: Mapping[str, Vector],
    analysis: Container[str],
    window: float,
    threshold: float,
) -> None:
    """Fold each small story into a larger one whose centroid it resembles: the online pass
    compares an article with a story; this compares two stories, which catches a report that
    came before the rest of its development's coverage had built up. Two settled stories days
    apart stay apart (`SETTLED`). Stories holding an analysis piece (`analysis`, as the online
    pass found them) take no part (folding news into news keeps it so)."""
    for small in sorted(clusters.values(), key=lambda c: (len(c.members), c.id)):
        if small.id not in clusters or small.locked or not small.norm or small.id in analysis:
            continue
        shared = _shared(index, dict.fromkeys(t for m in small.members for t in vectors[m].telling))
        best, best_score = None, threshold
        for other, _ in _most_shared(shared, MIN_SHARED + 1, MERGE_CANDIDATES + 1):
            if other.id not in clusters:
                continue  # folded into another already
            if other is small or len(other.members) < len(small.members):
                continue
            if abs(other.last - small.last) > window or other.id in analysis:
                continue
            if (
                len(small.members) >= SETTLED
                and time_apart(small, other) > SETTLED_GAP_DAYS * 86400
            ):
                continue
            cosine = _cosine(small.centroid, other.centroid, other.norm) / small.norm
            script = next(iter(small.scripts)) if len(small.scripts) == 1 else None
            if script and other.scripts[script] * 2 < len(other.members):
                # A story in one script beside a larger one told mostly in others: compared with
                # the larger one's reports in its script as well.
                cosine = max(cosine, same_script_cosine(small.centroid, script, other) / small.norm)
            # The same agreement on who is involved as the online pass (`agreement`): two
            # stories without a dyad (outside responses) compare on the states they name.
            agree = agreement(
                frozenset(small.dyads),
                _common(small.crank, small),
                frozenset(other.dyads),
                _common(other.crank, other),
                one_sided=0.0,
            )
            value = cosine * (WEIGHTS["text"] + (1 - WEIGHTS["text"]) * agree)
            if value >= best_score:
                best, best_score = other, value
        if best is not None:
            for member in small.members:
                best.add(by_id[member], vectors[member])
                track_scripts(best, by_id[member], vectors[member], by_id, vectors)
            del clusters[small.id]


NEAR_DAYS = 2.0
"""Coverage of one development bunches up: within this many days of a story's last article, an
article's similarity counts `NEAR_BOOST` times."""
NEAR_BOOST = 1.1


def _time_factor(gap: float, window: float) -> float:
    """Scale similarity by the time since the story's last article (seconds): a boost when near,
    then a fall to 0.7 at the window's end."""
    if gap <= NEAR_DAYS * 86400:
        return NEAR_BOOST
    return 1.0 - 0.3 * min(1.0, gap / window)


SUMMIT_DAYS = 2.0
"""A meeting of two CRANK leaders is told in many headlines over its days (the talks, the
parade, the joint statement, the farewell), in words that differ more than one event's reports
do: within this many days of a story's last article, an article naming the same two leaders as
the story's reports counts its similarity `SUMMIT_BOOST` times (`summit`)."""
SUMMIT_BOOST = 1.3


def summit(leaders: frozenset[str], cluster: Cluster) -> bool:
    """Whether an article names the leaders of two CRANK states or more (`leaders`,
    `ArticleFacts.leaders`) that at least half of a story's reports name too."""
    if len(leaders) < 2:
        return False
    half = len(cluster.members) / 2
    return sum(1 for state in leaders if cluster.leaders[state] >= half) >= 2
