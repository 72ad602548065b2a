"""File ingest end to end on both backends: idempotence, rejects, outlets, and earlier data kept."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest

from crankcall.errors import InputError
from crankcall.pipeline import ingest_files
from crankcall.settings import Settings
from crankcall.store import Store


def _write(path: Path, records: list[object]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records)
        + "\n",
        "utf-8",
    )
    return path


def _article(n: int, **fields: object) -> dict[str, object]:
    return {
        "id": f"a{n}",
        "url": f"https://www.reuters.com/world/story-{n}",
        "outlet": "Reuters",
        "published": "2024-08-0" + str(1 + n % 9),
        "title": f"Headline number {n}",
        "text": f"Body of article {n}, reported from Seoul.",
        **fields,
    }


def test_ingesting_twice_stores_every_article_once(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    path = _write(tmp_path / "a.jsonl", [_article(i) for i in range(30)])
    first = ingest_files(store, [path], settings, now=now)
    second = ingest_files(store, [path], settings, now=now)
    assert (first.stored, first.duplicate, first.rejected) == (30, 0, 0)
    assert (second.stored, second.duplicate, second.rejected) == (0, 30, 0)
    assert store.stats()["articles"] == 30


def test_same_url_with_tracking_parameters_is_a_duplicate(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    path = _write(
        tmp_path / "a.jsonl",
        [
            _article(1),
            _article(2, url="http://reuters.com/world/story-1?utm_source=twitter#comments"),
            _article(1, title="Changed title"),
        ],
    )
    report = ingest_files(store, [path], settings, now=now)
    assert (report.stored, report.duplicate) == (1, 2)
    assert report.files[0].conflicting == 1  # same id, other content: the stored one is kept
    stored = store.get_article("a1")
    assert stored is not None and stored.title == "Headline number 1"


def test_bad_lines_are_rejected_with_line_numbers_and_the_good_ones_stored(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    earlier = ingest_files(
        store, [_write(tmp_path / "early.jsonl", [_article(100)])], settings, now=now
    )
    assert earlier.stored == 1
    path = _write(
        tmp_path / "mixed.jsonl",
        [
            _article(1),
            "{not json",
            _article(2, published="2024-02-30"),
            _article(3, title=None, text=None),
            _article(4, authors="x" * 10 + "y", url="javascript:alert(1)"),
            _article(5, text="t" * 3_000_000),
            _article(6, id=["list"]),
            _article(7),
        ],
    )
    report = ingest_files(store, [path], settings, now=now)
    file_report = report.files[0]
    assert (file_report.stored, file_report.duplicate, file_report.rejected) == (2, 0, 6)
    rejects_path = Path(settings.ingest_rejects_dir) / "mixed.jsonl.rejects.jsonl"
    assert file_report.rejects_file == str(rejects_path)
    rejects = [json.loads(line) for line in rejects_path.read_text("utf-8").splitlines()]
    assert [(r["line"], r["reason"].split(" ")[0]) for r in rejects] == [
        (2, "not"),
        (3, "published"),
        (4, "has"),
        (5, "url"),
        (6, "line"),
        (7, "id"),
    ]
    assert all(r["file"] == str(path) for r in rejects)
    assert {a.id for a in store.iter_articles()} == {"a100", "a1", "a7"}


def test_a_clean_rerun_removes_the_stale_rejects_file(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    path = _write(tmp_path / "f.jsonl", [_article(1), "oops"])
    ingest_files(store, [path], settings, now=now)
    rejects = Path(settings.ingest_rejects_dir) / "f.jsonl.rejects.jsonl"
    assert rejects.is_file()
    _write(path, [_article(1)])
    ingest_files(store, [path], settings, now=now)
    assert not rejects.exists()


def test_unknown_outlets_are_added_once_as_unknown(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    path = _write(
        tmp_path / "a.jsonl",
        [
            _article(1, url="https://www.smallpaper.example/a", outlet="Small Paper"),
            _article(2, url="https://smallpaper.example/b", outlet="Small Paper"),
            _article(3, url="https://en.yna.co.kr/view/3", outlet="Somebody"),
        ],
    )
    report = ingest_files(store, [path], settings, now=now)
    assert report.new_outlets == ["Small Paper"]
    by_name = {o.name: o for o in store.outlets()}
    assert by_name["Small Paper"].kind == "unknown"
    assert by_name["Small Paper"].domain == "smallpaper.example"
    third = store.get_article("a3")
    assert third is not None and third.outlet == "Yonhap News Agency"


def test_stored_article_keeps_unknown_fields_and_clean_values(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    path = _write(
        tmp_path / "a.jsonl",
        [
            _article(
                1,
                title="  Kim\u200b  meets\nPutin ",
                authors=["A. Writer", "A. Writer"],
                kind="wire",
                language="EN",
                topic_hint="military",
                published="2024-06-19T17:30:00+09:00",
            )
        ],
    )
    ingest_files(store, [path], settings, now=now)
    article = store.get_article("a1")
    assert article is not None
    assert article.title == "Kim meets Putin"
    assert article.authors == ("A. Writer",)
    assert article.language == "en"
    assert article.extra == {"topic_hint": "military", "kind": "wire"}
    assert (
        article.published is not None
        and article.published.isoformat() == "2024-06-19T08:30:00+00:00"
    )
    assert article.canonical_url == "https://reuters.com/world/story-1"


def test_missing_file_stops_before_anything_is_stored(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    good = _write(tmp_path / "good.jsonl", [_article(1)])
    with pytest.raises(InputError, match="missing.jsonl: no such file"):
        ingest_files(store, [good, tmp_path / "missing.jsonl"], settings, now=now)
    assert store.stats()["articles"] == 0


def test_damaged_gzip_keeps_what_was_stored_before_the_damage(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    body = "\n".join(json.dumps(_article(i)) for i in range(2000)).encode()
    packed = gzip.compress(body)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) * 3 // 4])
    with pytest.raises(InputError, match="damaged"):
        ingest_files(store, [path], settings, now=now)
    stored = store.stats()["articles"]
    assert 0 < stored < 2000
    ids = {a.id for a in store.iter_articles()}
    assert len(ids) == stored  # whole articles only, nothing half-written


def test_csv_ingest(store: Store, settings: Settings, tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "id,url,outlet,published,title,text,authors\n"
        "c1,https://www.kcna.kp/en/article/1,KCNA,2024-06-20,Talks held,Text,\n"
        "c2,,Unknown Daily,2024-06-21,Another,Body,Writer One; Writer Two\n",
        "utf-8",
    )
    report = ingest_files(store, [path], settings, now=now)
    assert report.stored == 2
    first = store.get_article("c1")
    assert first is not None and first.outlet == "Korean Central News Agency"


def test_records_without_outlet_or_url_share_one_unknown_outlet_across_runs(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    for n in range(2):
        path = _write(
            tmp_path / f"bare{n}.jsonl", [{"id": f"bare{n}", "title": f"Untitled wire {n}"}]
        )
        report = ingest_files(store, [path], settings, now=now)
        assert report.stored == 1
        assert report.new_outlets == (["unknown"] if n == 0 else [])
    assert {a.outlet for a in store.iter_articles()} == {"unknown"}
