"""Issue items as an editor sees them (a headline and a text), and the issue rebuilt from its
items for previewing and publishing with the same renderer.

An item keeps its body as drafted (contract 4). Editing a Highlight's text keeps every unchanged
paragraph with its per-sentence citations; a changed paragraph becomes one sentence citing every
article its old version cited, so no claim loses its sources.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from crankcall.settings import Settings
from crankcall.store.desk_queries import SECTIONS

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SECTION_TITLES = {
    "highlights": "Highlights",
    "links": "Links",
    "analysis": "Recent Analysis",
    "perspectives": "CRANK Perspectives",
}


def item_text(section: str, body: Mapping[str, Any]) -> str:
    """The editable text of an item: paragraphs of a Highlight, the line of a Link."""
    if section == "highlights":
        return "\n\n".join(_paragraph_text(p) for p in body.get("paragraphs", []))
    if section == "links":
        return str(body.get("text", ""))
    return ", ".join(str(a) for a in body.get("authors", []))


def _paragraph_text(paragraph: Mapping[str, Any]) -> str:
    return " ".join(str(s.get("text", "")).strip() for s in paragraph.get("sentences", []))


def edited_body(
    section: str, body: Mapping[str, Any], *, headline: str, text: str
) -> dict[str, Any]:
    """The body with the editor's headline and text in place of the old ones."""
    updated = dict(body)
    text = text.replace("\r\n", "\n").strip()
    if section == "highlights":
        updated["headline"] = headline
        updated["paragraphs"] = _paragraphs(body.get("paragraphs", []), text, body)
    elif section == "links":
        updated["text"] = " ".join(text.split())
    else:
        updated["title"] = headline
        updated["authors"] = [a.strip() for a in text.split(",") if a.strip()]
    return updated


def _paragraphs(
    old: Sequence[Mapping[str, Any]], text: str, body: Mapping[str, Any]
) -> list[dict[str, Any]]:
    blocks = [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
    everything = list(body.get("articles", []))
    result = []
    for n, block in enumerate(blocks):
        before = old[n] if n < len(old) else None
        if before is not None and _paragraph_text(before) == block:
            result.append(dict(before))
            continue
        cited = (
            [a for s in before.get("sentences", []) for a in s.get("articles", [])]
            if before is not None
            else everything
        )
        result.append({"sentences": [{"text": block, "articles": list(dict.fromkeys(cited))}]})
    return result


def diff(before: str, after: str, *, old: str, new: str) -> list[str]:
    """The lines of a unified diff between two texts (wrapped to sentences for readability)."""
    return list(
        difflib.unified_diff(
            _lines(before), _lines(after), fromfile=old, tofile=new, lineterm="", n=1
        )
    )


def _lines(text: str) -> list[str]:
    lines: list[str] = []
    for block in text.split("\n"):
        lines += [part for part in _SENTENCE_END.split(block.strip()) if part] or [""]
    return lines


def revision_text(section: str, headline: str, body: Mapping[str, Any]) -> str:
    """An item version as one text to compare: headline, blank line, text."""
    return f"{headline}\n\n{item_text(section, body)}"


def issue_from_items(
    issue: Mapping[str, Any], items: Sequence[Mapping[str, Any]], settings: Settings
) -> dict[str, Any]:
    """The contract-4 issue object of a stored issue, with its items as edited."""
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in SECTIONS}
    for item in items:
        entry = dict(item["body"])
        if item["section"] == "highlights":
            entry["headline"] = item["headline"]
        elif item["section"] in {"analysis", "perspectives"}:
            entry["title"] = item["headline"]
        sections.setdefault(item["section"], []).append(entry)
    last_day = issue["window_end"] - timedelta(days=1)
    return {
        "title": issue["title"],
        "month": issue["month"],
        "window": {"since": issue["window_start"].date().isoformat(), "until": f"{last_day:%F}"},
        "intro": settings.issue_standing_line,
        "status": issue["status"],
        **{name: sections[name] for name in SECTIONS},
        "masthead": dict(issue["masthead"] or {}),
    }
