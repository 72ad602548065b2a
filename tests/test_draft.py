"""`crankcall draft` end to end, on both backends: the demo month drafts to FORMAT.md's shape,
every sentence traces to the articles it cites, the draft is kept, and hostile article text stays
inert from ingest to the rendered email."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crankcall.cli import cli
from crankcall.compose import check_faithful
from crankcall.errors import InputError
from crankcall.pipeline import draft, ingest_files, run
from crankcall.settings import Settings
from crankcall.store import Store, schema

SAMPLE = Path(__file__).parent.parent / "data" / "sample"
AUGUST = {"since": datetime(2024, 8, 1, tzinfo=UTC), "until": datetime(2024, 9, 1, tzinfo=UTC)}
ISSUE_KEYS = [
    "title",
    "month",
    "window",
    "intro",
    "highlights",
    "links",
    "analysis",
    "perspectives",
    "masthead",
]


@pytest.fixture
def demo(store: Store, settings: Settings, now: datetime) -> Store:
    months = ["2024-07", "2024-08", "2024-09"]
    ingest_files(store, [SAMPLE / f"articles-{m}.jsonl" for m in months], settings, now=now)
    run(store, now=now, settings=settings)
    return store


def _words(highlight: dict) -> int:
    return sum(len(s["text"].split()) for p in highlight["paragraphs"] for s in p["sentences"])


def test_the_demo_month_drafts_to_the_format(demo: Store, settings: Settings) -> None:
    issue = draft(demo, settings, month="2024-08", **AUGUST)
    assert list(issue) == ISSUE_KEYS
    assert issue["title"] == "CRANK Call | August 2024"
    assert 3 <= len(issue["highlights"]) <= 6
    assert 6 <= len(issue["links"]) <= 15
    assert 1 <= len(issue["analysis"]) <= 8 and 1 <= len(issue["perspectives"]) <= 4
    for highlight in issue["highlights"]:
        assert 120 <= _words(highlight) <= 350, highlight["headline"]
        assert 1 <= len(highlight["paragraphs"]) <= 3
        assert 6 <= len(highlight["headline"].split()) <= 14, highlight["headline"]
    for link in issue["links"]:
        assert 20 <= len(link["text"].split()) <= 45 and link["outlets"], link
    cited = {a for h in issue["highlights"] for a in h["articles"]}
    cited |= {
        a for s in ("links", "analysis", "perspectives") for e in issue[s] for a in e["articles"]
    }
    assert all(i.startswith("2024-08-") for i in cited)  # the window's coverage only


def test_every_sentence_traces_to_the_articles_it_cites(demo: Store, settings: Settings) -> None:
    issue = draft(demo, settings, month="2024-08", **AUGUST)
    articles = {a.id: a for a in demo.iter_articles()}
    assert check_faithful(issue, articles) == []
    sentences = [s for h in issue["highlights"] for p in h["paragraphs"] for s in p["sentences"]]
    assert sentences and all(s["articles"] for s in sentences)
    urls = {a.url for a in articles.values()}
    assert {e["url"] for s in ("analysis", "perspectives") for e in issue[s]} <= urls


def test_a_changed_sentence_fails_the_faithfulness_check(demo: Store, settings: Settings) -> None:
    issue = draft(demo, settings, month="2024-08", **AUGUST)
    articles = {a.id: a for a in demo.iter_articles()}
    sentence = issue["highlights"][0]["paragraphs"][0]["sentences"][0]
    sentence["text"] = sentence["text"].replace(" ", " not ", 1)
    assert check_faithful(issue, articles)


def test_the_draft_is_kept_and_redrafting_replaces_it(demo: Store, settings: Settings) -> None:
    first = draft(demo, settings, month="2024-08", **AUGUST)
    draft(demo, settings, month="2024-08", **AUGUST)
    with demo.engine.connect() as connection:
        issues = connection.execute(schema.issues.select()).all()
        items = connection.execute(schema.items.select()).all()
    assert len(issues) == 1 and issues[0].status == "draft" and issues[0].month == "2024-08"
    expected = sum(len(first[s]) for s in ("highlights", "links", "analysis", "perspectives"))
    assert len(items) == expected
    highlights = [i for i in items if i.section == "highlights"]
    assert all(i.story_id for i in highlights)
    with demo.engine.begin() as connection:
        connection.execute(schema.issues.update().values(status="published"))
    with pytest.raises(InputError, match="issue 2024-08 is published"):
        draft(demo, settings, month="2024-08", **AUGUST)
    assert draft(demo, settings, month="2024-08", save=False, **AUGUST)["highlights"]


def test_the_cli_writes_every_form(demo: Store, tmp_path: Path) -> None:
    url = demo.engine.url.render_as_string(hide_password=False)
    args = ["draft", "--db", url, "--month", "2024-08", "--output-dir", str(tmp_path)]
    for fmt in ("md", "html", "pdf", "json", "txt"):
        args += ["--format", fmt]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert re.search(
        r"drafted CRANK Call \| August 2024 .*: \d highlights \(\d+ sentences\)", result.output
    )
    stem = tmp_path / "crankcall-2024-08"
    assert stem.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert stem.with_suffix(".md").read_text("utf-8").startswith("# CRANK Call | August 2024")
    issue = json.loads(stem.with_suffix(".json").read_text("utf-8"))
    assert issue["window"] == {"since": "2024-08-01", "until": "2024-08-31"}
    single = CliRunner().invoke(
        cli, ["draft", "--db", url, "--month", "2024-08", "--format", "json"]
    )
    assert json.loads(single.output)["highlights"] == issue["highlights"]
    both = CliRunner().invoke(
        cli, ["draft", "--db", url, "--month", "2024-08", "--format", "md", "--format", "json"]
    )
    assert both.exit_code == 2 and "--output-dir" in both.output


HOSTILE = [
    {
        "id": f"x-{n}",
        "url": f"https://news.example.org/x-{n}",
        "outlet": outlet,
        "published": f"2024-08-1{n}T10:00:00Z",
        "title": "Russia and North Korea sign arms deal <script>alert(1)</script>"
        '<img src=x onerror="alert(2)">',
        "text": "Russia and North Korea signed an agreement on Tuesday to supply artillery shells "
        "to Moscow, officials in Seoul said. <script>alert(3)</script> The deal covers "
        '<a href="javascript:alert(4)">millions</a> of rounds, South Korean officials said, '
        "and North Korea will receive oil and food in return, according to the officials. "
        "Russian President Vladimir Putin and North Korean leader Kim Jong Un approved the "
        "agreement, the officials said, adding that deliveries would start in September.",
    }
    for n, outlet in enumerate(["Reuters", "Associated Press", "Yonhap News Agency"], start=1)
]


def test_hostile_article_text_is_inert_in_every_form(
    store: Store, settings: Settings, now: datetime, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(h) for h in HOSTILE) + "\n", "utf-8")
    ingest_files(store, [path], settings, now=now)
    run(store, now=now, settings=settings)
    url = store.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "out"
    args = ["draft", "--db", url, "--month", "2024-08", "--output-dir", str(out)]
    result = CliRunner().invoke(cli, [*args, "--format", "html", "--format", "md"])
    assert result.exit_code == 0, result.output
    html = (out / "crankcall-2024-08.html").read_text("utf-8")
    assert "<script" not in html.lower() and "<img" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;" in html  # shown to the reader as text
    md = (out / "crankcall-2024-08.md").read_text("utf-8")
    assert "<script>" not in md and "](javascript:" not in md


def test_an_empty_window_drafts_an_empty_issue_and_says_why(store: Store) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli, ["draft", "--db", url, "--month", "2024-08", "--format", "json"]
    )
    assert result.exit_code == 0
    assert "no stories in scope from 2024-08-01 to 2024-08-31" in result.output
    assert '"highlights": []' in result.output
