"""Readers of article files: every record becomes a checked item or a reject with its line."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crankcall.errors import InputError
from crankcall.ingest.files import ReadOptions, Record, Reject, format_of, read_csv, read_jsonl

OPTIONS = ReadOptions(
    max_record_bytes=10_000, max_title_chars=200, now=datetime(2026, 11, 27, tzinfo=UTC)
)


def _read(path: Path) -> list[Record | Reject]:
    reader = read_csv if format_of(path) == "csv" else read_jsonl
    return list(reader(path, OPTIONS))


def test_jsonl_good_and_bad_lines_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        json.dumps({"id": "1", "title": "One", "text": "", "extra": {"k": 1}}),
        "",
        "{broken",
        json.dumps({"id": "3", "title": "Three", "published": "2024-02-30"}),
        json.dumps({"id": "4", "text": "Four", "authors": "Solo Writer", "language": "EN"}),
        json.dumps({"id": 5, "title": "Five", "authors": [1]}),
        json.dumps({"id": "6", "title": "x" * 201}),
        json.dumps({"id": "7", "title": "Seven", "kind": "blog"}),
        json.dumps({"id": True, "title": "Eight"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    results = _read(path)
    good = [r for r in results if isinstance(r, Record)]
    bad = {r.line: r.reason for r in results if isinstance(r, Reject)}
    assert [(r.line, r.item.id) for r in good] == [(1, "1"), (5, "4")]
    assert good[0].item.extra == {"extra": {"k": 1}}
    assert good[1].item.authors == ("Solo Writer",)
    assert good[1].item.language == "en"
    assert bad[3].startswith("not JSON")
    assert "impossible date" in bad[4]
    assert "authors must be a list of text" in bad[6]
    assert "over the limit of 200" in bad[7]
    assert "kind 'blog'" in bad[8]
    assert "id must be text" in bad[9]


def test_oversized_line_is_rejected_without_losing_the_next(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    huge = json.dumps({"id": "big", "title": "t", "text": "w " * 20_000})
    path.write_text(huge + "\n" + json.dumps({"id": "after", "title": "ok"}) + "\n")
    results = _read(path)
    assert isinstance(results[0], Reject) and "over the limit of 10000" in results[0].reason
    assert isinstance(results[1], Record) and results[1].line == 2 and results[1].item.id == "after"


def test_gzipped_jsonl_is_read_through(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "1", "title": "Сеул и Пхеньян"}) + "\n")
    (record,) = _read(path)
    assert isinstance(record, Record) and record.item.title == "Сеул и Пхеньян"


def test_a_lone_surrogate_escape_becomes_a_replacement_character(tmp_path: Path) -> None:
    """JSON may escape half of a UTF-16 pair ("\\ud800"): decoded, no UTF-8 can hold it, and
    storing or writing the record failed. It is read as U+FFFD; a whole pair stays."""
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"id": "1", "title": "Iran \\ud800 and Russia", "authors": ["A\\udfff"]}\n'
        '{"id": "2", "title": "Smile \\ud83d\\ude00"}\n',
        "utf-8",
    )
    first, second = _read(path)
    assert isinstance(first, Record) and first.item.title == "Iran \ufffd and Russia"
    assert first.item.authors == ("A\ufffd",)
    assert isinstance(second, Record) and second.item.title == "Smile \U0001f600"


def test_invalid_utf8_line_is_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    good = json.dumps({"id": "1", "title": "fine"}).encode()
    path.write_bytes(
        good
        + b"\n" * 1
        + b'{"id": "2", "title": "caf\xe9"}\n'
        + good.replace(b'"1"', b'"3"')
        + b"\n"
    )
    results = _read(path)
    assert isinstance(results[1], Reject) and "not UTF-8" in results[1].reason
    assert [r.item.id for r in results if isinstance(r, Record)] == ["1", "3"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("\ufeffx".encode("utf-16"), "UTF-16"),
        (b"\x00\x01\x02binary", "binary"),
        ("título".encode("latin-1") * 10, "not UTF-8"),
    ],
)
def test_unreadable_files_are_input_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        _read(path)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        _read(tmp_path / "none.jsonl")
    with pytest.raises(InputError, match="cannot tell the format"):
        format_of(tmp_path / "articles.xml")


def test_csv_rows_with_header_authors_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "id,url,outlet,published,title,text,authors\n"
        '1,https://tass.com/a,TASS,2024-06-19,"Putin, Kim meet","Text, with comma",A One; B Two\n'
        "2,,,,,,\n"
        "3,,,2024-06-31,Bad date,x,\n"
        "4,only,three\n"
        '5,,,,"Multi\nline title",body,"[""J Doe""]"\n',
        encoding="utf-8",
    )
    results = _read(path)
    good = {r.item.id: r for r in results if isinstance(r, Record)}
    bad = {r.line: r.reason for r in results if isinstance(r, Reject)}
    assert good["1"].item.authors == ("A One", "B Two")
    assert good["1"].item.title == "Putin, Kim meet"
    assert good["5"].item.title == "Multi line title" and good["5"].item.authors == ("J Doe",)
    assert "neither title nor text" in bad[3]
    assert "impossible date" in bad[4]
    assert "row has 3 fields" in bad[5]


def test_csv_without_title_or_text_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,url\n1,https://x.org\n")
    with pytest.raises(InputError, match="neither a 'title' nor a 'text' column"):
        _read(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
records = st.dictionaries(
    st.sampled_from(
        [
            "id",
            "url",
            "outlet",
            "published",
            "title",
            "text",
            "authors",
            "language",
            "kind",
            "other",
        ]
    ),
    json_values,
    max_size=9,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(
    st.lists(
        st.one_of(
            records.map(json.dumps),
            st.text(st.characters(codec="utf-8", exclude_characters="\x00\n\r"), max_size=30),
        ),
        max_size=12,
    )
)
def test_jsonl_reader_accounts_for_every_line(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = _read(path)
    seen_lines = [r.line for r in results]
    assert seen_lines == sorted(set(seen_lines))
    expected = [i + 1 for i, line in enumerate(lines) if line.strip()]
    assert seen_lines == expected
    for result in results:
        if isinstance(result, Record):
            assert result.item.title or result.item.text
            assert result.item.published is None or result.item.published.tzinfo is not None
