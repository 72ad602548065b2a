"""Benchmark the desk's story queue: 10,000 stories, 50 concurrent clients on loopback.

    .venv/bin/python bench/web.py [--stories 10000] [--clients 50] [--requests 40]
                                  [--workers 1] [--think 0] [--warmup 0]

Builds a SQLite store in a temp folder and fills it directly (outlets from the data file, then
N stories of 1 to 4 coded articles each, spread over one month, with dyads, relations, topics,
sections and scores), adds an editor, starts `crankcall serve --workers N` in its own
process(es) on a free 127.0.0.1 port, logs every client in, and has each client ask for queue
pages in a closed loop (a page of the month, with and without filters, at varying page
numbers; with `--think`, a pause of about that many seconds between a client's requests).
Every client stops after `--requests` answers or 120 seconds. Prints requests per
second, p50/p95/p99 latency and the error count. Asserts nothing; the target is p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from crankcall.pipeline import init_store
from crankcall.settings import load_settings
from crankcall.store import Store, open_store, schema
from crankcall.web.auth import hash_password

START = datetime(2024, 8, 1, tzinfo=UTC)
DYADS = ["CN-IR", "CN-KP", "CN-RU", "IR-KP", "IR-RU", "KP-RU"]
RELATIONS = ["cooperation", "contention", "mixed"]
TOPICS = ["military", "energy", "trade_finance", "sanctions", "diplomacy", "other"]
SECTIONS = ["news", "news", "news", "analysis", "perspectives"]
PASSWORD = "bench password, long enough"
QUERIES = [
    "month=2024-08",
    "month=2024-08&dyad=CN-RU",
    "month=2024-08&relation=contention",
    "month=2024-08&topic=energy&section=news",
    "month=2024-08&kind=wire",
    "month=2024-08&q=pipeline",
]


def fill(store: Store, stories: int, rng: random.Random) -> None:
    """Synthesise stories and their articles straight into the tables."""
    outlets = {o.name: o.kind for o in store.outlets()}
    with store.transaction() as connection:
        ids = store.outlet_ids(connection)
        names = sorted(ids)
        articles, story_rows, members, codings, interactions = [], [], [], [], []
        for n in range(stories):
            size = rng.randint(1, 4)
            begin = START + timedelta(hours=rng.uniform(0, 30 * 24))
            words = rng.sample(["pipeline", "drills", "treaty", "oil", "visit", "sanctions"], 2)
            headline = f"Story {n}: {words[0]} and {words[1]} between partners"
            story_id = f"s{n:011x}"
            dates = sorted(begin + timedelta(hours=rng.uniform(0, 72)) for _ in range(size))
            dyads = sorted(rng.sample(DYADS, rng.randint(1, 2)))
            relation, topic = rng.choice(RELATIONS), rng.choice(TOPICS)
            relevant = rng.random() < 0.8
            for k, published in enumerate(dates):
                ident = f"a{n}-{k}"
                articles.append(
                    {
                        "id": ident,
                        "url": f"https://news.example.org/{ident}",
                        "canonical_url": f"https://news.example.org/{ident}",
                        "outlet_id": ids[rng.choice(names)],
                        "title": f"{headline} ({k})",
                        "text": f"{headline}. " * 20,
                        "authors": [],
                        "published": published,
                        "fetched": published,
                        "language": "en",
                        "content_hash": f"{n:032x}{k:032x}",
                        "extra": {},
                        "source": "bench",
                    }
                )
                members.append({"story_id": story_id, "article_id": ident, "added_by": "machine"})
                coding = {"relation": relation, "topic": topic, "event_type": "COOPERATE"}
                codings.append(
                    {
                        "article_id": ident,
                        "relevant": relevant,
                        "score": rng.uniform(0.5, 1.0) if relevant else 0.1,
                        "crank": sorted({code for d in dyads for code in d.split("-")}),
                        "intensity": 4.0,
                        "coder_version": "bench",
                        "coded_at": published,
                        **coding,
                    }
                )
                interactions += [
                    {
                        "article_id": ident,
                        "dyad": dyad,
                        "intensity": 4.0,
                        "confidence": 0.8,
                        "evidence": [],
                        "coder_version": "bench",
                        **coding,
                    }
                    for dyad in dyads
                ]
            score = rng.random()
            story_rows.append(
                {
                    "id": story_id,
                    "representative_id": f"a{n}-0",
                    "headline": headline,
                    "dyads": dyads,
                    "relation": relation,
                    "topic": topic,
                    "first_seen": dates[0],
                    "last_seen": dates[-1],
                    "score": score,
                    "components": {"consequence": score, "breadth": 0.5, "novelty": 1.0},
                    "section": rng.choice(SECTIONS),
                    "pinned": False,
                    "excluded": False,
                    "updated_at": START,
                    "relevant": relevant,
                    "event_type": "COOPERATE",
                }
            )
        connection.execute(schema.articles.insert(), articles)
        connection.execute(schema.stories.insert(), story_rows)
        connection.execute(schema.story_articles.insert(), members)
        connection.execute(schema.codings.insert(), codings)
        connection.execute(schema.interactions.insert(), interactions)
    assert outlets  # the outlets data file was loaded


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(db: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """`crankcall serve` in its own process(es)."""
    env = {
        **os.environ,
        "CRANKCALL_DB": db,
        "CRANKCALL_WEB_SECURE_COOKIES": "false",
        "CRANKCALL_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "crankcall",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)


async def log_in(client: httpx.AsyncClient) -> None:
    form = (await client.get("/login")).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    answer = await client.post(
        "/login", data={"name": "bench", "password": PASSWORD, "csrf_token": token[1]}
    )
    assert answer.status_code == 303, answer.text


class Connection:
    """One keep-alive HTTP/1.1 connection that sends GETs with a session cookie. A load
    generator this lean leaves the shared cores to the server: httpx costs several ms of CPU per
    page, more than the server's own work for a kept page."""

    def __init__(self, host: str, port: int, cookie: str) -> None:
        self.host, self.port, self.cookie = host, port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Cookie: crankcall_session={self.cookie}\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        if length is None:
            raise SystemExit(f"an answer without Content-Length: {head[:200]!r}")
        return status, await self.reader.readexactly(int(length[1]))

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def one_client(
    client: Connection,
    requests: int,
    think: float,
    seed: int,
    latencies: list[float],
    errors: list[int],
) -> None:
    rng = random.Random(seed)
    deadline = time.monotonic() + 120
    for _ in range(requests):
        if time.monotonic() > deadline:
            break
        query = f"{rng.choice(QUERIES)}&page={rng.randint(1, 20)}"
        started = time.perf_counter()
        status, body = await client.get(f"/desk?{query}")
        latencies.append(time.perf_counter() - started)
        if status != 200 or b"Story queue" not in body:
            errors.append(status)
        if think:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def load(base: str, clients: int, requests: int, think: float, warmup: int) -> None:
    """Log every client in first (argon2 is slow on purpose), then time the queue pages."""
    url = httpx.URL(base)
    cookies = []
    for chunk in range(0, clients, 10):
        logins = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(chunk, chunk + 10)]
        await asyncio.gather(*(log_in(c) for c in logins[: clients - chunk]))
        for c in logins[: clients - chunk]:
            cookies.append(c.cookies["crankcall_session"])
        for c in logins:
            await c.aclose()
    sessions = [Connection(str(url.host), int(url.port or 80), cookie) for cookie in cookies]
    latencies: list[float] = []
    errors: list[int] = []
    try:
        if warmup:  # untimed: each worker reads the window once, as a desk in use has
            await asyncio.gather(
                *(one_client(c, warmup, 0.0, -n, [], []) for n, c in enumerate(sessions))
            )
        started = time.perf_counter()
        await asyncio.gather(
            *(one_client(c, requests, think, n, latencies, errors) for n, c in enumerate(sessions))
        )
        elapsed = time.perf_counter() - started
    finally:
        for c in sessions:
            await c.close()
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    print(f"requests: {len(latencies)} queue pages in {elapsed:.1f} s, errors: {len(errors)}")
    print(f"throughput: {len(latencies) / elapsed:.0f} requests/s")
    print(
        f"latency: p50 {pct(0.50):.0f} ms, p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms, "
        f"mean {1000 * statistics.fmean(latencies):.0f} ms"
    )


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="Requests per client.")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes.")
    parser.add_argument(
        "--think", type=float, default=0.0, help="Seconds between a client's requests."
    )
    parser.add_argument("--warmup", type=int, default=0, help="Untimed requests per client.")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.db")
        settings = load_settings(environ={}, config_file=None, overrides={"db": db})
        began = time.perf_counter()
        with open_store(db, create=True) as store:
            init_store(store, settings)
            fill(store, args.stories, random.Random(args.seed))
            store.add_user("bench", role="editor", password_hash=hash_password(PASSWORD), now=START)
        print(f"store: {args.stories} stories filled in {time.perf_counter() - began:.1f} s")
        port = free_port()
        server = serve(db, port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base)
            print(
                f"load: {args.clients} clients x {args.requests} queue pages, "
                f"{args.workers} worker(s), think {args.think} s, warm-up {args.warmup}"
            )
            asyncio.run(load(base, args.clients, args.requests, args.think, args.warmup))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
