"""Lists of states in a sentence: which are named one after another ("China, Russia and Iran"),
and whether a third state meets a listed pair ("Xi hosts Putin, Pezeshkian")."""

from __future__ import annotations

import re
from itertools import pairwise

from crankcall.analyze.actors import Found
from crankcall.analyze.lexicon import Context
from crankcall.analyze.text import Span

_HANGUL = re.compile(r"[\uac00-\ud7af]")


def meets_listed(span: Span, mentions: list[Found], listed: set[str], ctx: Context) -> bool:
    """True when a third state names a meeting with a listed pair ("Xi held talks with Putin
    and Pezeshkian", "Xi hosts Putin, Pezeshkian at a summit"): a word of meeting stands
    between the third state and the pair, none before the third, and no word says the pair
    acts together ("trilateral")."""
    first_listed = min(m.start for m in mentions if m.country in listed) - span.start
    first_third = min(m.start for m in mentions if m.country not in listed) - span.start
    if ctx.together.search(span.text):
        return False
    starts = [match.start() for match in ctx.joint.finditer(span.text)]
    return any(first_third < at < first_listed for at in starts) and min(starts) > first_third


def listed_states(span: Span, mentions: list[Found], ctx: Context) -> set[str]:
    """States named one after another in a bare list ("China, Russia and Iran"), or as the
    adjectives of listed nouns ("Iranian drones, North Korean shells"). A lone hyphenated pair
    ("Russia-Iran deal") names the pair itself, not a list; a chain of them ("Russia-China-Iran")
    is one."""
    edges: list[tuple[str, str, bool]] = []
    ordered = sorted(mentions, key=lambda m: m.start)
    for left, right in pairwise(ordered):
        between = span.text[left.end - span.start : right.start - span.start]
        if left.country == right.country:
            continue
        if between.strip() == "," and _HANGUL.match(right.text):
            continue  # a Korean headline's comma follows its subject: "북한, 러시아에 불만"
        if ctx.list_separators.match(between) or (
            left.kind == "adjectives"
            and right.kind == "adjectives"
            and ctx.noun_list.match(between)
        ):
            edges.append(
                (str(left.country), str(right.country), between in {"", "·", "-", "–", "/"})
            )
    listed: set[str] = set()
    for n, (a, b, compound) in enumerate(edges):
        chained = any({a, b} & {c, d} for m, (c, d, _) in enumerate(edges) if m != n)
        if not compound or chained:
            listed.update({a, b})
    return listed
