"""Benchmark the story stage: cluster and rank a window of N articles, for growing N.

    .venv/bin/python bench/stories.py [--sizes 10000,30000,100000] [--seed 7]

Synthetic coverage: developments of 1 to 12 articles (mostly small, a few large, as in real
months), each with its own salient words, actors, dyad and event type, spread over a 30-day
window; every article mixes a few of its development's words with common and rare words of a
50,000-word vocabulary. Facts are built in memory, then their terms are extracted through the
same `terms_of` the pipeline uses (timed apart, as `terms_s`), then `cluster` and `rank` run as
`crankcall run` and `crankcall candidates` run them. Prints seconds per stage, articles per
second, the growth from the smallest to the largest size, and peak memory. The CPU seconds of
cluster and rank are printed beside the wall-clock ones, and their growth beside the
wall-clock growth: on a shared machine, the gap between them is time spent waiting for a core.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import string
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from crankcall.models import DYADS, EVENT_TYPES
from crankcall.stories.cluster import cluster
from crankcall.stories.evaluation import bcubed
from crankcall.stories.features import ArticleFacts, terms_of
from crankcall.stories.rank import StoryDraft, rank

START = datetime(2024, 8, 1, tzinfo=UTC)
KINDS = ["wire", "news", "news", "news", "state_media", "analysis"]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    return ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 10))) for _ in range(size)]


def synthetic(
    n: int, rng: random.Random
) -> tuple[list[ArticleFacts], list[tuple[str, str, list[str]]], dict[str, str]]:
    words = vocabulary(rng, 50_000)
    common = words[:300]
    facts: list[ArticleFacts] = []
    texts: list[tuple[str, str, list[str]]] = []
    gold: dict[str, str] = {}
    development = 0
    while len(facts) < n:
        development += 1
        size = min(12, max(1, int(rng.paretovariate(1.3))))
        salient = rng.sample(words[300:], 8)
        actors = [f"A.{rng.randint(0, 2000)}" for _ in range(2)]
        dyad = rng.choice(DYADS)
        event = rng.choice(EVENT_TYPES)
        begin = START + timedelta(hours=rng.uniform(0, 30 * 24))
        kind = "analysis" if rng.random() < 0.05 else None
        for k in range(min(size, n - len(facts))):
            ident = f"a{len(facts)}"
            title = " ".join(rng.sample(salient, 4) + rng.sample(common, 3))
            text = " ".join(rng.sample(salient, 5) + rng.sample(common, 60) + rng.sample(words, 40))
            facts.append(
                ArticleFacts(
                    id=ident,
                    url=None,
                    outlet=f"outlet{rng.randint(0, 300)}",
                    outlet_kind=kind or rng.choice(KINDS[:5]),
                    outlet_country=None,
                    published=begin + timedelta(hours=rng.uniform(0, 72) * (k > 0)),
                    title=title,
                    relevant=rng.random() < 0.7,
                    score=rng.random(),
                    dyads=frozenset({dyad}),
                    crank=frozenset(dyad.split("-")),
                    relation="cooperation",
                    topic="diplomacy",
                    event_type=event,
                    intensity=rng.uniform(-8, 8),
                    terms=Counter(),
                )
            )
            texts.append((title, text, actors))
            gold[ident] = f"d{development}"
    return facts, texts, gold


def with_terms(
    facts: list[ArticleFacts], texts: list[tuple[str, str, list[str]]]
) -> list[ArticleFacts]:
    """The facts with their terms, as the pipeline extracts them from title, text and actors."""
    return [
        replace(f, terms=terms_of(title, text, actors))
        for f, (title, text, actors) in zip(facts, texts, strict=True)
    ]


def measure(n: int, seed: int) -> tuple[int, float, float, float, float, int, float]:
    """One window of `n` articles: (articles, terms_s, cluster_s, rank_s, cpu_s, stories, B3-F1).
    Everything it builds is dropped on return, so the next size starts from a clean heap."""
    rng = random.Random(seed)
    facts, texts, gold = synthetic(n, rng)
    t0 = time.perf_counter()
    facts = with_terms(facts, texts)
    t1 = time.perf_counter()
    cpu = time.process_time()
    clusters = cluster(facts, threshold=0.3, window_days=21)
    t2 = time.perf_counter()
    by_id = {f.id: f for f in facts}
    drafts = [StoryDraft(id=c.id, members=[by_id[m] for m in c.members]) for c in clusters]
    rank(drafts, since=START, until=START + timedelta(days=40))
    t3 = time.perf_counter()
    cpu = time.process_time() - cpu
    quality = bcubed({m: c.id for c in clusters for m in c.members}, gold)
    return (n, t1 - t0, t2 - t1, t3 - t2, cpu, len(clusters), quality.f1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for n in sizes:
        rows.append(measure(n, args.seed))
        # Each window is measured alone: the last size's articles and stories used to stay
        # alive through the next one (peak memory 1.8 GB at 100,000 articles, now 1.5 GB).
        gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        "articles  terms_s  cluster_s  rank_s  cluster+rank_s  (cpu_s)  articles/s  stories  B3-F1"
    )
    for n, feat, clu, rk, cpu, stories, f1 in rows:
        total = clu + rk
        print(
            f"{n:>8}  {feat:>7.1f}  {clu:>9.1f}  {rk:>6.1f}  {total:>14.1f}  {cpu:>7.1f}  "
            f"{n / total:>10.0f}  {stories:>7}  {f1:.3f}"
        )
    (n0, _, c0, r0, u0, *_), (n1, _, c1, r1, u1, *_) = rows[0], rows[-1]
    # The CPU growth beside the wall-clock one: on a shared machine, the largest window waits
    # longest for a core, and the wall-clock growth says as much about the neighbours as about
    # the code.
    print(
        f"growth {n0} -> {n1} articles: x{n1 / n0:.1f} articles, "
        f"x{(c1 + r1) / (c0 + r0):.1f} time, x{u1 / u0:.1f} cpu time "
        f"(linear would be x{n1 / n0:.1f})"
    )
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
