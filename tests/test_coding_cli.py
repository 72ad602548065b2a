"""Contract 2 (`crankcall code`), contract 5 (`crankcall run`, incremental) and `explain`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crankcall.cli import cli
from crankcall.pipeline import ingest_files, run
from crankcall.settings import Settings
from crankcall.store import Store

FIELDS = [
    "id",
    "relevant",
    "score",
    "crank",
    "dyads",
    "relation",
    "topic",
    "event_type",
    "intensity",
    "actors",
    "evidence",
    "coder",
]
LINES = [
    {"id": "k1", "title": "Russia and North Korea sign mutual defence treaty", "text": ""},
    {"id": "k2", "title": "Seoul stocks close higher", "text": "The KOSPI rose 1 percent."},
    "not json",
    {
        "id": "k4",
        "text": "Iran summoned the Chinese ambassador over a joint statement on the islands.",
    },
]


def _input(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in LINES) + "\n", "utf-8"
    )
    return path


@pytest.mark.parametrize("workers", ["1", "2"])
def test_code_follows_contract_2_in_input_order(tmp_path: Path, workers: str) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["code", "--input", str(_input(tmp_path)), "--output", str(out), "--workers", workers]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r.get("id") for r in rows] == ["k1", "k2", None, "k4"]
    assert list(rows[0]) == FIELDS
    assert rows[0]["dyads"] == ["KP-RU"] and rows[0]["relevant"] is True
    assert rows[1]["relevant"] is False and rows[1]["dyads"] == [] and rows[1]["relation"] == "none"
    assert rows[2] == {"line": 3, "error": "not JSON: Expecting value"}
    assert rows[3]["dyads"] == ["CN-IR"] and rows[3]["relation"] == "contention"
    assert "1 line(s) could not be coded" in result.stderr


def test_code_reads_a_lone_surrogate_escape_and_codes_the_rest(tmp_path: Path) -> None:
    """A lone "\\ud800" in one record stopped the whole run with an internal error and wrote
    nothing."""
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "s1", "title": "Iran and Russia sign \\ud800 treaty"}\n'
        + json.dumps(LINES[0])
        + "\n",
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["code", "--input", str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["s1", "k1"]
    assert rows[0]["dyads"] == ["IR-RU"]


def test_code_needs_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["code", "--input", str(_input(tmp_path))])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 4
    assert not (tmp_path / "crankcall.db").exists()


def test_run_codes_only_what_is_new(
    store: Store, settings: Settings, tmp_path: Path, now: datetime
) -> None:
    first = tmp_path / "a.jsonl"
    first.write_text(
        json.dumps({"id": "r1", "title": "Putin and Kim sign treaty in Pyongyang"}) + "\n", "utf-8"
    )
    ingest_files(store, [first], settings, now=now)
    assert run(store, now=now).coded == 1
    assert run(store, now=now).coded == 0
    second = tmp_path / "b.jsonl"
    second.write_text(
        json.dumps({"id": "r2", "title": "Xi hosts Putin in Beijing for talks"}) + "\n", "utf-8"
    )
    ingest_files(store, [second], settings, now=now)
    report = run(store, now=now)
    assert (report.coded, report.relevant) == (1, 1)
    figures = store.stats()
    assert figures["coded"] == 2 and figures["interactions"] == 2
    coding = store.coding_of("r2")
    assert coding is not None and coding["interactions"][0]["dyad"] == "CN-RU"
    assert coding["coder_version"] == report.coder_version


def test_explain_shows_mentions_evidence_and_rules(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "e1",
                "title": "Shoigu meets Kim in Pyongyang",
                "text": "Sergei Shoigu held talks with Kim Jong Un on Friday.",
            }
        )
        + "\n",
        "utf-8",
    )
    runner = CliRunner()
    runner.invoke(cli, ["ingest", "--db", db_url, str(path), "--rejects-dir", str(tmp_path)])
    result = runner.invoke(cli, ["explain", "--db", db_url, "e1"])
    assert result.exit_code == 0, result.output
    assert "KP-RU" in result.stdout and "RU.shoigu" in result.stdout and "rules" in result.stdout
    missing = runner.invoke(cli, ["explain", "--db", db_url, "nope"])
    assert missing.exit_code == 2 and "no article with id 'nope'" in missing.stderr
