"""The command-line interface: contracts 1 and 6, exit statuses and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crankcall.cli import COMMANDS, cli

RECORDS = [
    {
        "id": "c1",
        "url": "https://tass.com/world/1",
        "outlet": "TASS",
        "published": "2024-06-19",
        "title": "Russia and DPRK sign treaty",
        "text": "Moscow and Pyongyang signed the treaty.",
        "authors": ["Desk"],
        "language": "en",
        "custom": {"a": 1},
    },
    {
        "id": "c2",
        "url": "https://www.nknews.org/2024/06/2",
        "outlet": "NK News",
        "published": "2024-06-20",
        "title": "Seoul reviews arms policy",
        "text": "South Korea said it would review its policy.",
    },
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def articles_file(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", "utf-8")
    return path


def _run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_init_ingest_stats_contract(
    runner: CliRunner, db_url: str, articles_file: Path, tmp_path: Path
) -> None:
    code, out, _ = _run(runner, "init", "--db", db_url)
    assert code == 0 and "ready" in out
    code, out, _ = _run(
        runner, "ingest", "--db", db_url, str(articles_file), "--rejects-dir", str(tmp_path)
    )
    assert code == 0
    assert "total: 2 stored, 0 duplicate, 0 rejected" in out
    code, out, _ = _run(runner, "stats", "--db", db_url, "--format", "json")
    assert code == 0
    figures = json.loads(out)
    for key in ("articles", "outlets", "coded", "stories", "issues"):
        assert isinstance(figures[key], int)
    assert figures["articles"] == 2


def test_ingest_twice_and_json_summary(
    runner: CliRunner, db_url: str, articles_file: Path, tmp_path: Path
) -> None:
    _run(runner, "ingest", "--db", db_url, str(articles_file), "--rejects-dir", str(tmp_path))
    code, out, _ = _run(
        runner,
        "ingest",
        "--db",
        db_url,
        str(articles_file),
        "--output-format",
        "json",
        "--rejects-dir",
        str(tmp_path),
    )
    assert code == 0
    assert json.loads(out)["duplicate"] == 2


def test_strict_ingest_exits_2_on_rejects(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x"}\n', "utf-8")
    code, out, _ = _run(
        runner,
        "ingest",
        "--db",
        str(tmp_path / "d.db"),
        str(path),
        "--strict",
        "--rejects-dir",
        str(tmp_path),
    )
    assert code == 2 and "1 rejected" in out


def test_export_round_trips_through_ingest(
    runner: CliRunner, db_url: str, articles_file: Path, tmp_path: Path
) -> None:
    _run(runner, "ingest", "--db", db_url, str(articles_file), "--rejects-dir", str(tmp_path))
    out_path = tmp_path / "out.jsonl"
    code, _, _ = _run(runner, "export", "--db", db_url, "--output", str(out_path))
    assert code == 0
    exported = [json.loads(line) for line in out_path.read_text("utf-8").splitlines()]
    assert [e["id"] for e in exported] == ["c1", "c2"]
    assert exported[0]["kind"] == "state_media" and exported[0]["custom"] == {"a": 1}
    assert exported[0]["published"] == "2024-06-19T00:00:00+00:00"
    other = str(tmp_path / "other.db")
    code, out, _ = _run(
        runner, "ingest", "--db", other, str(out_path), "--rejects-dir", str(tmp_path)
    )
    assert "2 stored, 0 duplicate, 0 rejected" in out
    code, out, _ = _run(
        runner, "ingest", "--db", db_url, str(out_path), "--rejects-dir", str(tmp_path)
    )
    assert "0 stored, 2 duplicate, 0 rejected" in out


def test_export_csv_with_window(
    runner: CliRunner, db_url: str, articles_file: Path, tmp_path: Path
) -> None:
    _run(runner, "ingest", "--db", db_url, str(articles_file), "--rejects-dir", str(tmp_path))
    code, out, _ = _run(
        runner, "export", "--db", db_url, "--format", "csv", "--since", "2024-06-20"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["c2"]
    assert rows[0]["outlet"] == "NK News"


def test_search_json(runner: CliRunner, db_url: str, articles_file: Path, tmp_path: Path) -> None:
    _run(runner, "ingest", "--db", db_url, str(articles_file), "--rejects-dir", str(tmp_path))
    code, out, _ = _run(runner, "search", "--db", db_url, "treaty", "--format", "json")
    assert code == 0
    assert [hit["id"] for hit in json.loads(out)] == ["c1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "{tmp}/missing.jsonl"], "missing.jsonl: no such file"),
        (["stats"], "no database at"),
        (["export", "--since", "June"], "--since 'June' is not a date"),
        (["stats", "--db", "postgresql://x:pw@127.0.0.1:1/none"], "cannot open database"),
        (["settings", "--config", "{tmp}/bad.toml"], "unknown setting 'colour'"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    runner: CliRunner,
    tmp_path: Path,
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text('colour = "red"\n')
    if args[0] == "export":
        _run(runner, "init", "--db", str(tmp_path / "crankcall.db"))
    code, out, err = _run(runner, *[a.format(tmp=tmp_path) for a in args])
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and err.startswith("crankcall: error: ")
    assert "Traceback" not in err + out


def test_every_command_has_help(runner: CliRunner) -> None:
    names = cli.list_commands(click.Context(cli))
    assert {"code", "run", "draft", "serve", "extract"} <= set(names)
    for name in names:
        command = cli.get_command(click.Context(cli), name)
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command is not None and command.help, name


def test_command_modules_list_their_commands() -> None:
    """The table that lets a command import only its own module names every command where it
    is defined."""
    cli.list_commands(click.Context(cli))
    defined = {
        name: getattr(command.callback, "__module__", "") for name, command in cli.commands.items()
    }
    assert defined == {name: module for module, names in COMMANDS.items() for name in names}


def test_code_command_starts_without_the_store() -> None:
    """`crankcall code` imports the coder and the reader, not the store or the web app."""
    probe = (
        "import sys; from crankcall.cli import cli; import click; "
        "cli.get_command(click.Context(cli), 'code'); import crankcall.jobs.codefile; "
        "print(sorted(m for m in ('sqlalchemy', 'fastapi', 'rich', 'trafilatura') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_installed_entry_point_and_module_run(tmp_path: Path) -> None:
    executable = Path(sys.executable).with_name("crankcall")
    result = subprocess.run(
        [str(executable), "stats", "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and result.stderr.startswith("crankcall: error: no database at")
    result = subprocess.run(
        [sys.executable, "-m", "crankcall", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "crankcall" in result.stdout


def test_article_text_with_markup_is_printed_literally(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    hostile = "[bold red]Tehran[/] <script>alert(1)</script> [link=https://evil.example]x[/link]"
    path.write_text(
        json.dumps({"id": "m1", "title": hostile, "text": "Moscow and Tehran talks."}) + "\n"
    )
    db = str(tmp_path / "m.db")
    _run(runner, "ingest", "--db", db, str(path), "--rejects-dir", str(tmp_path))
    code, out, _ = _run(runner, "search", "--db", db, "Tehran")
    assert code == 0 and "[bold red]" in out  # shown, not taken as styling
    code, out, _ = _run(runner, "explain", "--db", db, "m1")
    assert code == 0 and "[bold red]Tehran[/]" in out
