"""Benchmark file ingest: N synthetic articles into SQLite and PostgreSQL.

    .venv/bin/python bench/ingest.py [--articles 100000] [--backend sqlite --backend postgresql]

Generates N articles (contract 1, ~1.5 KB each, 60 outlets, a few tracking parameters) into a
temporary JSONL file, then ingests it once per backend, each in its own process so its peak memory
(maximum resident set size) is its own. PostgreSQL is a throw-away server started here, as in the
tests. Prints articles per second and peak memory; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

WORDS = (  # noqa: SIM905
    "Moscow Beijing Tehran Pyongyang treaty talks delegation missile drone sanctions bank payment "
    "pipeline exercise navy bomber minister president premier agreement partnership trade energy "
    "oil gas shells artillery ammunition envoy summit visit cooperation friction delay refused "
    "officials said reported according analysts warned denied confirmed signed agreed week month "
    "the a of to in and on for with by at from that this was were has had will would could"
).split()
OUTLETS = [
    ("Reuters", "www.reuters.com"),
    ("TASS", "tass.com"),
    ("Xinhua", "english.news.cn"),
    ("Yonhap News Agency", "en.yna.co.kr"),
    ("IRNA", "en.irna.ir"),
    ("NK News", "www.nknews.org"),
]


def generate(path: Path, count: int, seed: int = 7) -> None:
    """Write `count` synthetic articles to `path`."""
    rng = random.Random(seed)
    start = datetime(2024, 6, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            outlet, host = (
                OUTLETS[n % len(OUTLETS)]
                if n % 10
                else (f"Outlet {n % 60}", f"outlet{n % 60}.example")
            )
            words = rng.choices(WORDS, k=rng.randint(180, 300))
            text = " ".join(words[:100]) + ".\n\n" + " ".join(words[100:]) + "."
            query = "?utm_source=feed" if n % 20 == 0 else ""
            record = {
                "id": f"bench-{n}",
                "url": f"https://{host}/news/{n}/{words[0].lower()}{query}",
                "outlet": outlet,
                "published": (start + timedelta(minutes=n)).isoformat(),
                "title": " ".join(rng.choices(WORDS, k=9)).capitalize(),
                "text": text,
                "authors": ["Staff"],
                "language": "en",
            }
            handle.write(json.dumps(record) + "\n")


def run_one(db: str, path: Path) -> dict[str, float]:
    """Ingest `path` into `db` in this process; return seconds and peak memory."""
    from crankcall.pipeline import ingest_files, init_store
    from crankcall.settings import load_settings
    from crankcall.store import open_store

    settings = load_settings(
        environ={}, overrides={"db": db, "ingest_rejects_dir": tempfile.gettempdir()}
    )
    with open_store(db, create=True) as store:
        init_store(store, settings)
        started = time.perf_counter()
        report = ingest_files(store, [path], settings, now=datetime.now(UTC))
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"stored": report.stored, "seconds": seconds, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.file)))
        return
    backends = args.backend or ["sqlite", "postgresql"]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "articles.jsonl"
        generate(data, args.articles)
        size_mb = data.stat().st_size / 1e6
        print(f"{args.articles} synthetic articles, {size_mb:.0f} MB of JSONL")
        for backend in backends:
            server = None
            if backend == "sqlite":
                db = str(Path(folder) / "bench.db")
            else:
                import pgserver

                server = pgserver.start()
                db = pgserver.create_database(server.admin_url)
            try:
                child = subprocess.run(
                    [sys.executable, __file__, "--one", db, "--file", str(data)],
                    capture_output=True,
                    text=True,
                )
                if child.returncode != 0:
                    sys.exit(f"{backend}: the ingest process failed:\n{child.stderr}")
                out = child.stdout
            finally:
                if server is not None:
                    server.stop()
            result = json.loads(out)
            rate = result["stored"] / result["seconds"]
            print(
                f"{backend:10s} stored {result['stored']:>7d} in {result['seconds']:6.1f} s: "
                f"{rate:7.0f} articles/s, peak memory {result['peak_mb']:.0f} MB"
            )


if __name__ == "__main__":
    main()
