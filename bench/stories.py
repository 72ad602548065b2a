"""Benchmark the story stage: cluster and rank a window of N articles, for growing N.

    .venv/bin/python bench/stories.py [--sizes 10000,30000,100000] [--seed 7]
        [--growth developments|coverage|period|all] [--repeat 2]

Synthetic coverage: developments of 1 to 12 articles (mostly small, a few large, as in real
months), each with its own salient words, actors, dyad and event type, spread over a 30-day
window; every article mixes a few of its development's words with common and rare words of a
50,000-word vocabulary. A larger window holds either more developments, their words and actors
drawn from the same vocabulary into the same 30 days (`--growth developments`: at 100,000
articles each salient word serves some eight developments, the worst case for the index of
telling terms), more coverage of the developments of the smallest window (`--growth coverage`:
more outlets on the same news), or more days of news at the largest window's rate (`--growth
period`: 3 days for 10,000 articles when the largest is 100,000 over 30); by default all three
are measured, one table each. Facts are built in memory, then their
terms are extracted through the same `terms_of` the pipeline uses (timed apart, as `terms_s`),
then `cluster` and `rank` run as `crankcall run` and `crankcall candidates` run them, `--repeat`
times on the same facts, the least time of the runs printed. Prints seconds per stage, articles
per second, the growth from the smallest to the largest size, and peak memory. The CPU seconds
of cluster and rank are printed beside the wall-clock ones, and their growth beside the
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
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from crankcall.models import DYADS, EVENT_TYPES
from crankcall.stories.cluster import Cluster, cluster
from crankcall.stories.evaluation import bcubed
from crankcall.stories.features import ArticleFacts, concepts_in, terms_of
from crankcall.stories.rank import StoryDraft, rank

START = datetime(2024, 8, 1, tzinfo=UTC)
KINDS = ["wire", "news", "news", "news", "state_media", "analysis"]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    return ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 10))) for _ in range(size)]


@dataclass(frozen=True)
class Development:
    """What the articles of one synthetic development share."""

    size: int
    salient: list[str]
    actors: list[str]
    dyad: str
    event: str
    begin: datetime
    kind: str | None


def developments(
    count: int, words: list[str], rng: random.Random, days: float = 30.0
) -> list[Development]:
    """Developments of 1 to 12 articles (mostly small, a few large) until they hold `count`,
    beginning over `days`."""
    found: list[Development] = []
    total = 0
    while total < count:
        size = min(12, max(1, int(rng.paretovariate(1.3))), count - total)
        found.append(
            Development(
                size=size,
                salient=rng.sample(words[300:], 8),
                actors=[f"A.{rng.randint(0, 2000)}" for _ in range(2)],
                dyad=rng.choice(DYADS),
                event=rng.choice(EVENT_TYPES),
                begin=START + timedelta(hours=rng.uniform(0, days * 24)),
                kind="analysis" if rng.random() < 0.05 else None,
            )
        )
        total += size
    return found


def synthetic(
    n: int,
    rng: random.Random,
    *,
    growth: str = "developments",
    base: int = 10_000,
    largest: int = 100_000,
) -> tuple[list[ArticleFacts], list[tuple[str, str, list[str]]], dict[str, str]]:
    """`n` articles. `growth` says what a larger window holds more of: "developments" (as many
    more of them in the same 30 days, their salient words and actors drawn from the same 50,000
    words and 2,000 actors, so that each word is shared by ever more developments: the worst
    case for the index), "coverage" (the developments of a `base`-article window, each covered
    by `n / base` times as many articles: more outlets on the same news) or "period" (more
    developments at the rate of the `largest` window, over `30 * n / largest` days: a longer
    stretch of the same flow of news)."""
    words = vocabulary(rng, 50_000)
    common = words[:300]
    if growth == "coverage":
        plan = developments(min(n, base), words, rng)
        factor = n / min(n, base)
        plan = [replace(d, size=max(1, round(d.size * factor))) for d in plan]
    elif growth == "period":
        plan = developments(n, words, rng, days=30.0 * n / largest)
    else:
        plan = developments(n, words, rng)
    facts: list[ArticleFacts] = []
    texts: list[tuple[str, str, list[str]]] = []
    gold: dict[str, str] = {}
    for number, d in enumerate(plan, 1):
        for k in range(d.size):
            ident = f"a{len(facts)}"
            title = " ".join(rng.sample(d.salient, 4) + rng.sample(common, 3))
            text = " ".join(
                rng.sample(d.salient, 5) + rng.sample(common, 60) + rng.sample(words, 40)
            )
            facts.append(
                ArticleFacts(
                    id=ident,
                    url=None,
                    outlet=f"outlet{rng.randint(0, 300)}",
                    outlet_kind=d.kind or rng.choice(KINDS[:5]),
                    outlet_country=None,
                    published=d.begin + timedelta(hours=rng.uniform(0, 72) * (k > 0)),
                    title=title,
                    relevant=rng.random() < 0.7,
                    score=rng.random(),
                    dyads=frozenset({d.dyad}),
                    crank=frozenset(d.dyad.split("-")),
                    relation="cooperation",
                    topic="diplomacy",
                    event_type=d.event,
                    intensity=rng.uniform(-8, 8),
                    terms=Counter(),
                )
            )
            texts.append((title, text, d.actors))
            gold[ident] = f"d{number}"
    return facts, texts, gold


def with_terms(
    facts: list[ArticleFacts], texts: list[tuple[str, str, list[str]]]
) -> list[ArticleFacts]:
    """The facts with their terms and their title's concepts, as the pipeline extracts them from
    title, text and actors."""
    return [
        replace(f, terms=terms_of(title, text, actors), title_concepts=concepts_in(title))
        for f, (title, text, actors) in zip(facts, texts, strict=True)
    ]


def measure(
    n: int, seed: int, growth: str, base: int, largest: int, repeat: int
) -> tuple[int, float, float, float, float, int, float]:
    """One window of `n` articles: (articles, terms_s, cluster_s, rank_s, cpu_s, stories, B3-F1).
    Cluster and rank run `repeat` times on the same facts; each figure is the least of the runs
    (what the code costs, less what other work on the machine took from it). Everything it
    builds is dropped on return, so the next size starts from a clean heap."""
    rng = random.Random(seed)
    facts, texts, gold = synthetic(n, rng, growth=growth, base=base, largest=largest)
    t0 = time.perf_counter()
    facts = with_terms(facts, texts)
    terms_s = time.perf_counter() - t0
    best: tuple[float, float, float] | None = None
    clusters: list[Cluster] = []
    for _ in range(repeat):
        clusters = []  # the last run's stories go before the next run builds its own
        gc.collect()
        t1, cpu = time.perf_counter(), time.process_time()
        clusters = cluster(facts, threshold=0.3, window_days=21)
        t2 = time.perf_counter()
        by_id = {f.id: f for f in facts}
        drafts = [StoryDraft(id=c.id, members=[by_id[m] for m in c.members]) for c in clusters]
        rank(drafts, since=START, until=START + timedelta(days=40))
        t3 = time.perf_counter()
        run = (t2 - t1, t3 - t2, time.process_time() - cpu)
        best = (
            run
            if best is None
            else (min(best[0], run[0]), min(best[1], run[1]), min(best[2], run[2]))
        )
        del by_id, drafts
    assert best is not None
    quality = bcubed({m: c.id for c in clusters for m in c.members}, gold)
    return (len(facts), terms_s, best[0], best[1], best[2], len(clusters), quality.f1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="runs of cluster and rank per window; the least time of them is printed",
    )
    parser.add_argument(
        "--growth",
        choices=["developments", "coverage", "period", "all"],
        default="all",
        help="what a larger window holds more of (see `synthetic`); all: one table each",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = ["developments", "coverage", "period"] if args.growth == "all" else [args.growth]
    for mode in modes:
        rows = []
        for n in sizes:
            rows.append(
                measure(n, args.seed, mode, sizes[0], max(sizes), repeat=max(1, args.repeat))
            )
            # Each window is measured alone: the last size's articles and stories used to stay
            # alive through the next one (peak memory 1.8 GB at 100,000 articles, now 1.5 GB).
            gc.collect()
        report(mode, rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


def report(mode: str, rows: list[tuple[int, float, float, float, float, int, float]]) -> None:
    print(f"growth by {mode}")
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


if __name__ == "__main__":
    main()
