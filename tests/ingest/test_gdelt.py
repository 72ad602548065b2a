"""GDELT 2.0 files: CRANK events kept, mentions followed, damaged files named, on both backends."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crankcall.cli import cli
from crankcall.ingest.gdelt import (
    MAX_ROW_BYTES,
    GdeltEvent,
    GdeltFileError,
    read_events,
    read_master,
    read_mentions,
)
from crankcall.pipeline import import_gdelt
from crankcall.settings import Settings
from crankcall.store import Store

GDELT = Path(__file__).parent.parent / "fixtures" / "gdelt"
EVENTS = GDELT / "20240819001500.export.CSV.zip"
MENTIONS = GDELT / "20240819001500.mentions.CSV.zip"


def test_events_with_a_crank_actor_are_kept_and_bad_rows_named() -> None:
    found = list(read_events(EVENTS))
    events = [e for e in found if isinstance(e, GdeltEvent)]
    assert [e.event_id for e in events] == [1190000001, 1190000002, 1190000003]
    assert [e.dyad for e in events] == ["KP-RU", "IR-RU", None]
    first = events[0]
    assert (first.day, first.quad_class, first.goldstein, first.root_code) == (
        date(2024, 8, 19),
        1,
        4.0,
        "03",
    )
    assert events[1].actor1_country == "IR"  # from the actor code when the country code is blank
    assert [e for e in found if isinstance(e, str)] == ["row 5: 10 columns, expected 61"]


def test_a_row_without_end_is_named_and_skipped_without_being_held(tmp_path: Path) -> None:
    # A damaged or hostile export may hold gigabytes with no line break: a row longer than
    # MAX_ROW_BYTES is read in pieces, named and skipped, and the rows after it are read.
    with zipfile.ZipFile(EVENTS) as archive:
        (member,) = archive.infolist()
        rows = archive.read(member).splitlines(keepends=True)
    damaged = tmp_path / EVENTS.name
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member.filename, rows[0] + b"x" * (3 * MAX_ROW_BYTES) + b"\n" + rows[1])
    found = list(read_events(damaged))
    assert found[1] == f"row 2: over {MAX_ROW_BYTES} bytes"
    assert [e.event_id for e in found if isinstance(e, GdeltEvent)] == [1190000001, 1190000002]


def test_mentions_of_kept_events_on_the_web() -> None:
    found = list(read_mentions(MENTIONS, {1190000001, 1190000002}))
    assert [m.url for m in found if not isinstance(m, str)] == [
        "https://news.example.com/2024/08/19/russia-north-korea-talks",
        "https://other.example/kim-putin?utm_source=x",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("20240819003000.export.CSV.zip", "corrupt or truncated"),
        ("20240819004500.export.CSV.zip", "corrupt or truncated"),
        ("nowhere.export.CSV.zip", "missing"),
    ],
)
def test_damaged_files_are_named(name: str, message: str) -> None:
    with pytest.raises(GdeltFileError, match=f"{name}: {message}"):
        list(read_events(GDELT / name))


def test_master_list_lines_are_checked() -> None:
    entries = read_master((GDELT / "masterfilelist.txt").read_text(), name="masterfilelist.txt")
    assert entries[0].name == "20240819001500.export.CSV.zip" and entries[0].size == 1001
    with pytest.raises(GdeltFileError, match="masterfilelist.txt, line 1"):
        read_master("not a master line\n", name="masterfilelist.txt")


def test_import_with_master_list_stores_events_queues_urls_and_names_every_damaged_file(
    store: Store, settings: Settings, now: datetime
) -> None:
    reports = import_gdelt(store, [GDELT], settings, now=now, master=GDELT / "masterfilelist.txt")
    problems = {r.name: r.problem for r in reports if r.problem}
    assert set(problems) == {
        "20240819003000.export.CSV.zip",  # truncated: its size differs from the master list
        "20240819010000.export.CSV.zip",  # listed but missing
        "20240819004500.export.CSV.zip",  # in the folder, not a zip
    }
    assert "master list says 571" in str(problems["20240819003000.export.CSV.zip"])
    done = {r.name: r for r in reports if not r.problem}
    assert (done[EVENTS.name].kept, done[EVENTS.name].new, done[EVENTS.name].urls) == (3, 3, 3)
    assert (done[MENTIONS.name].kept, done[MENTIONS.name].urls) == (2, 1)
    assert store.feed_item_counts() == {"pending": 4}
    # Importing again adds nothing.
    again = import_gdelt(store, [EVENTS, MENTIONS], settings, now=now)
    assert [(r.new, r.urls) for r in again] == [(0, 0), (0, 0)]
    # The GDELT pseudo-source is never polled as a feed.
    assert store.sources(due_by=now) == []


def test_cli_names_damaged_files_and_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "gdelt",
            "import",
            "--db",
            str(tmp_path / "g.db"),
            str(EVENTS),
            str(GDELT / "20240819004500.export.CSV.zip"),
        ],
    )
    assert result.exit_code == 2
    assert f"{EVENTS.name}: 3 kept (3 new), 3 URLs queued, 1 malformed rows" in result.stdout
    assert "could not be imported: 20240819004500.export.CSV.zip" in result.stderr
