"""Compose: draft the month's issue from ranked stories, every sentence cited.

A pure stage (records in, records out): `draft_issue` turns ranked `StoryBundle`s into the issue
as the contract-4 dict of DESIGN.md, and `check_faithful` says whether every sentence of an issue
rests on the articles it cites. See docs/compose.md for how sentences are chosen and which light
rewrites are allowed.
"""

from __future__ import annotations

from crankcall.compose.faithful import check_faithful
from crankcall.compose.issue import draft_issue

__all__ = ["check_faithful", "draft_issue"]
