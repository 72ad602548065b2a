"""Benchmark the coder through `crankcall code`, beside a spaCy baseline measured in the same run.

    .venv/bin/python bench/code.py [--articles 3000] [--workers 2]

(`make bench` installs the baseline's spaCy first: the `bench` extra.)

Builds articles of about 5 KB from the demo corpus: each demo article, padded with paragraphs of
the corpus's distractor articles (as long news pieces are: a few sentences about the development in
a lot of other text). Then times:

1. `crankcall code --input FILE --output /dev/null` as a separate process (all of it: start-up,
   reading, coding, writing JSON), with the given number of workers;
2. the coder alone in one process (`Coder.code` and `contract_json` on the same articles, no
   start-up, reading or writing), to tell the coder's own speed from the command's overhead;
3. the baseline: spaCy's blank English pipeline with an EntityRuler holding every name form of the
   same gazetteer, `nlp.pipe` over the same texts (entity finding only, no coding).

Each runs in its own process so its peak memory (maximum resident set size) is its own. Prints
articles per second and peak memory; asserts nothing. On a machine shared with other work these
figures swing by half from one run to the next (the spaCy baseline too), more than most changes
to the coder save; compare two versions by the instructions they run instead, e.g.
`valgrind --tool=callgrind` over the coder alone on a few hundred of these articles, less the
same run on none (start-up), as docs/coding.md reports.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRANKCALL = Path(sys.executable).with_name("crankcall")


def build(path: Path, count: int, size: int = 5000) -> float:
    """Write `count` articles of about `size` characters; return their mean size in bytes."""
    sample = ROOT / "data" / "sample"
    articles = [
        json.loads(line) for f in sorted(sample.glob("articles-*.jsonl")) for line in f.open()
    ]
    labels = {
        row["id"]: row
        for f in sorted(sample.glob("labels-*.jsonl"))
        for row in map(json.loads, f.open())
    }
    filler = [
        p for a in articles if not labels[a["id"]]["relevant"] for p in a["text"].split("\n\n")
    ]
    total = 0
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            base = articles[n % len(articles)]
            text, k = base["text"], n
            while len(text) < size:
                text += "\n\n" + filler[k % len(filler)]
                k += 7
            record = {
                "id": f"b{n}",
                "title": base["title"],
                "text": text,
                "published": base["published"],
            }
            line = json.dumps(record, ensure_ascii=False)
            total += len(line.encode())
            handle.write(line + "\n")
    return total / count


def run_crankcall(path: Path, workers: int) -> tuple[float, float]:
    """Seconds and peak memory (MB, the largest process) of `crankcall code` on `path`."""
    started = time.perf_counter()
    subprocess.run(
        [
            str(CRANKCALL),
            "code",
            "--input",
            str(path),
            "--output",
            "/dev/null",
            "--workers",
            str(workers),
        ],
        check=True,
    )
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def coder_alone(path: Path) -> None:
    """Run in a child process: time the coder on the articles, in one process."""
    from crankcall.analyze.coder import default_coder
    from crankcall.analyze.contract import contract_json

    coder = default_coder()
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    started = time.perf_counter()
    for row in rows:
        contract_json(coder.code(id=row["id"], title=row["title"], text=row["text"]))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


def spacy_baseline(path: Path) -> None:
    """Run in a child process: time spaCy's blank English + EntityRuler over the texts."""
    import spacy

    from crankcall.analyze.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(
        [{"label": form.actor, "pattern": text} for text, form in gazetteer.forms.items()]
    )
    texts = [f"{r['title']}\n\n{r['text']}" for r in map(json.loads, path.open())]
    started = time.perf_counter()
    found = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "entities": found}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--coder-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        spacy_baseline(args.baseline)
        return
    if args.coder_only:
        coder_alone(args.coder_only)
        return
    if importlib.util.find_spec("spacy") is None:
        # The baseline is half of the figure: measure both or neither.
        sys.exit(
            "bench/code.py: the spaCy baseline needs spaCy, which is not installed: run "
            "`make bench`, or `.venv/bin/python -m pip install -e '.[bench]'` first"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "articles.jsonl"
        mean = build(path, args.articles)
        print(f"{args.articles} articles of {mean / 1000:.1f} KB on average (demo corpus, padded)")
        seconds, peak = run_crankcall(path, args.workers)
        print(
            f"crankcall code ({args.workers} workers): {args.articles / seconds:7.0f} articles/s "
            f"({seconds:.1f} s), peak memory {peak:.0f} MB per process"
        )
        alone = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--coder-only", str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        print(
            f"the coder alone (1 process, no start-up or I/O): "
            f"{args.articles / alone['seconds']:7.0f} articles/s ({alone['seconds']:.1f} s), "
            f"peak memory {alone['peak_mb']:.0f} MB"
        )
        out = subprocess.run(
            [sys.executable, __file__, "--baseline", str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out)
        print(
            f"spaCy blank 'en' + EntityRuler (1 process, entities only): "
            f"{args.articles / result['seconds']:7.0f} articles/s ({result['seconds']:.1f} s), "
            f"peak memory {result['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
