"""The store on both backends: migrations, schema, search, statistics and runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect

from crankcall.errors import InputError, StoreError
from crankcall.pipeline import ingest_files
from crankcall.settings import Settings
from crankcall.store import Store, open_store, schema
from crankcall.store.engine import database_url
from crankcall.store.search import MAX_TERMS, fts5_expression, parse_query

ARTICLES = [
    {
        "id": "s1",
        "url": "https://tass.com/politics/1",
        "outlet": "TASS",
        "published": "2024-06-19",
        "title": "Putin and Kim sign strategic partnership treaty",
        "text": "The leaders signed a treaty in Pyongyang that includes mutual assistance.",
    },
    {
        "id": "s2",
        "url": "https://www.reuters.com/world/2",
        "outlet": "Reuters",
        "published": "2024-07-24",
        "title": "Chinese and Russian bombers fly near Alaska",
        "text": "Fighter jets intercepted the bombers; officials called the patrol routine.",
    },
    {
        "id": "s3",
        "url": "https://www.people.com.cn/n1/3",
        "outlet": "人民网",
        "published": "2024-08-21",
        "title": "李强同俄罗斯总理米舒斯京举行会谈",
        "text": "中俄总理定期会晤在莫斯科举行，双方签署多项合作文件。",
    },
    {
        "id": "s4",
        "url": "https://apnews.com/article/4",
        "outlet": "Associated Press",
        "published": "2024-09-10",
        "title": "Blinken says Russia received Iranian missiles",
        "text": "Iran denied sending ballistic missiles; the treaty talk was not mentioned.",
    },
]


@pytest.fixture
def filled(store: Store, settings: Settings, tmp_path: Path, now: datetime) -> Store:
    import json

    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", "utf-8")
    ingest_files(store, [path], settings, now=now)
    return store


def test_migrations_build_the_schema_the_repository_describes(store: Store) -> None:
    inspector = inspect(store.engine)
    for table in schema.metadata.sorted_tables:
        actual = {c["name"] for c in inspector.get_columns(table.name)} - {"search"}
        assert actual == {c.name for c in table.columns}, table.name
    assert store.schema_version() == "0007"
    store.migrate()  # running again changes nothing and does not fail
    assert store.schema_version() == "0007"


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "x.db"), create=True) as store, store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("treaty", ["s1", "s4"]),
        ('"partnership treaty"', ["s1"]),
        ("treaty -missiles", ["s1"]),
        ("Alaska OR Pyongyang", ["s1", "s2"]),
        ("bomber", ["s2"]),  # stemming: "bombers"
        ("米舒斯京", ["s3"]),
        ('unbalanced "quote AND (', []),
        ("", []),
    ],
)
def test_search_finds_the_same_articles_on_both_backends(
    filled: Store, query: str, expected: list[str]
) -> None:
    assert sorted(hit.id for hit in filled.search(query)) == expected


def test_search_hit_carries_outlet_date_and_snippet(filled: Store) -> None:
    (hit,) = filled.search("Alaska")
    assert hit.outlet == "Reuters"
    assert hit.published == datetime(2024, 7, 24, tzinfo=UTC)
    assert "bombers" in hit.snippet or "Alaska" in hit.title


def test_search_ranks_title_matches_first(filled: Store) -> None:
    assert next(hit.id for hit in filled.search("treaty")) == "s1"


def test_stats_counts_what_is_stored(filled: Store) -> None:
    figures = filled.stats()
    assert {k: figures[k] for k in ("articles", "coded", "stories", "issues")} == {
        "articles": 4,
        "coded": 0,
        "stories": 0,
        "issues": 0,
    }
    assert figures["outlets"] >= 120
    assert figures["articles_by_kind"] == {"state_media": 2, "wire": 2}
    assert figures["published"]["first"].startswith("2024-06-19")


def test_iter_articles_filters_by_window_and_returns_utc(filled: Store) -> None:
    got = list(
        filled.iter_articles(
            since=datetime(2024, 7, 1, tzinfo=UTC), until=datetime(2024, 9, 1, tzinfo=UTC)
        )
    )
    assert [a.id for a in got] == ["s2", "s3"]
    assert all(a.published is not None and a.published.tzinfo is not None for a in got)
    assert filled.count_articles(since=datetime(2024, 7, 1, tzinfo=UTC)) == 3


def test_runs_are_recorded(store: Store, now: datetime) -> None:
    run = store.start_run("ingest", args={"files": ["a"]}, now=now)
    store.finish_run(run, status="done", stats={"stored": 1}, now=now)
    with store.engine.connect() as c:
        row = c.execute(schema.runs.select()).one()
    assert (row.kind, row.status, row.stats) == ("ingest", "done", {"stored": 1})


def test_opening_without_create_needs_an_initialised_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database at .*crankcall init"):
        open_store(str(tmp_path / "missing.db"))
    with pytest.raises(StoreError, match="folder .* does not exist"):
        open_store(str(tmp_path / "no" / "such" / "x.db"), create=True)


def test_unreachable_postgres_is_a_one_line_store_error() -> None:
    with pytest.raises(
        StoreError,
        match=r"cannot open database postgresql\+psycopg://nobody:\*\*\*@127.0.0.1:1/x: .*refused",
    ) as info:
        open_store("postgresql://nobody:secret@127.0.0.1:1/x")
    assert "secret" not in str(info.value)
    assert "\n" not in str(info.value)


def test_database_url_accepts_paths_and_refuses_other_backends(tmp_path: Path) -> None:
    assert database_url(str(tmp_path / "a.db")).get_backend_name() == "sqlite"
    assert database_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    with pytest.raises(StoreError, match="not supported"):
        database_url("mysql://u@h/d")


def test_fts5_expression_quotes_every_term() -> None:
    parsed = parse_query('kim "jong un" OR putin -"south korea" NEAR(')
    assert (
        fts5_expression(parsed) == '"kim" AND ("jong un" OR "putin") AND "NEAR" NOT "south korea"'
    )


def test_a_query_of_too_many_words_is_refused_with_a_clear_error(filled: Store) -> None:
    # The full-text indexes take time growing faster than the words of a query.
    assert len(parse_query(" ".join(["kim"] * MAX_TERMS)).groups) == MAX_TERMS
    for query in (
        " ".join(["kim"] * (MAX_TERMS + 1)),
        " OR ".join(["putin"] * (MAX_TERMS + 1)),
        '"' + " ".join(["xi"] * (MAX_TERMS + 1)) + '"',
    ):
        with pytest.raises(InputError, match=f"at most {MAX_TERMS}"):
            filled.search(query)
