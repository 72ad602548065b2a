"""Issues for the renderer tests: the August 2024 fixture, and a hostile copy of it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

ISSUE_FILE = Path(__file__).parents[1] / "fixtures" / "issues" / "2024-08.json"

# Strings an attacker could plant in an article's title, an outlet's name or a feed's URL.
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MD_LINK = "*x* [y](javascript:alert(1))"


@pytest.fixture
def issue() -> dict[str, Any]:
    """The August 2024 issue (contract 4), as `crankcall draft --format json` gives it."""
    data: dict[str, Any] = json.loads(ISSUE_FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def hostile_issue(issue: dict[str, Any]) -> dict[str, Any]:
    """The fixture issue with script, event-handler, javascript: and Markdown-link payloads in
    every kind of article-derived field."""
    bad = copy.deepcopy(issue)
    bad["intro"] = f"Standing line <!-- {SCRIPT}"
    first = bad["highlights"][0]
    first["headline"] = f"{SCRIPT} Li Qiang in Moscow"
    first["paragraphs"][0]["sentences"][0]["text"] = f'Premier {IMG} said "yes" & more.'
    first["paragraphs"][0]["sentences"][1]["articles"] = ['a1" onmouseover="alert(1)', "<b>"]
    bad["links"][0]["text"] = f"{MD_LINK} <a href='javascript:alert(1)'>click</a>"
    bad["links"][0]["outlets"] = ["<svg onload=alert(1)>", "TASS"]
    bad["analysis"][0].update(title=MD_LINK, url="javascript:alert(1)")
    bad["analysis"][1].update(title=f"</a>{SCRIPT}", url="JaVaScRiPt:alert(1)")
    bad["analysis"][2]["url"] = 'https://example.org/x" onmouseover="alert(1)'
    bad["analysis"][3]["authors"] = ["<iframe src=javascript:alert(1)></iframe>"]
    bad["perspectives"][0].update(venue="<style>body{display:none}</style>", url="data:text/html,x")
    bad["perspectives"][1]["title"] = "![img](https://example.org/track.png) `code` _em_ ~~del~~"
    bad["masthead"].update(contact="javascript:alert(1)", editor=f"Ed {IMG}")
    return bad
