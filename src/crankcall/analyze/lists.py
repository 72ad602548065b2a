"""Lists of states in a sentence: which are named one after another ("China, Russia and Iran"),
and whether a third state meets a listed pair ("Xi hosts Putin, Pezeshkian")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from crankcall.analyze.actors import HANGUL, Found
from crankcall.analyze.lexicon import Context
from crankcall.analyze.text import Span

# From where a state is named to where the next one of its list is: its name and a separator
# ("British and ", "Russia-", "North Korea, ").
_CHAINED = re.compile(r"[\w.'’-]+( [\w.'’-]+)?\s*(,|and|or|&|/|-|–)\s*(and\s+)?")
# Other names listed between two states ("China, Myanmar, Iran and Russia").
_OTHERS_LISTED = re.compile(
    r"\s*,\s*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}\s*(?:,|\band\b|\bor\b)\s*){1,3}"
)


def meets_listed(span: Span, mentions: list[Found], listed: set[str], ctx: Context) -> bool:
    """True when a third state names a meeting with a listed pair ("Xi held talks with Putin
    and Pezeshkian", "Xi hosts Putin, Pezeshkian at a summit"): a word of meeting stands
    between the third state and the pair, none before the third, and no word says the pair
    acts together ("trilateral")."""
    first_listed = min(m.start for m in mentions if m.country in listed) - span.start
    first_third = min(m.start for m in mentions if m.country not in listed) - span.start
    if ctx.together.search(span.text):
        return False
    starts = [m.start() for m in (*ctx.joint.finditer(span.text), *ctx.host.finditer(span.text))]
    return any(first_third < at < first_listed for at in starts) and min(starts) > first_third


_NATIVE_AND = re.compile(r"^\s*(и|و|和|与|及|、|과|와|및)\s*$")
"""'And' in Russian, Persian, Chinese and Korean (`listed_states(..., native_and=True)`)."""


def listed_states(
    span: Span, mentions: list[Found], ctx: Context, *, native_and: bool = False
) -> set[str]:
    """States named one after another in a bare list ("China, Russia and Iran"), or as the
    adjectives of listed nouns ("Iranian drones, North Korean shells"). A lone hyphenated pair
    ("Russia-Iran deal") names the pair itself, not a list; a chain of them ("Russia-China-Iran")
    is one."""
    edges: list[tuple[int, str, str, bool, bool]] = []
    ordered = sorted(mentions, key=lambda m: m.start)
    for i, (left, right) in enumerate(pairwise(ordered)):
        between = span.text[left.end - span.start : right.start - span.start]
        if left.country == right.country:
            continue
        if between.strip() == "," and (
            HANGUL.match(right.text) or (len(right.text) == 1 and HANGUL.search(span.text))
        ):
            # A Korean headline's comma follows its subject: "북한, 러시아에 불만", "시진핑, 北
            # 기념행사 불참" (a state named by one Chinese character, in Korean).
            continue
        if (
            ctx.list_separators.match(between)
            or (native_and and _NATIVE_AND.match(between) is not None)
            or _OTHERS_LISTED.fullmatch(between)
            or (
                left.kind == "adjectives"
                and right.kind == "adjectives"
                and ctx.noun_list.match(between)
            )
        ):
            compound = between in {"", "·", "-", "–", "/"}
            edges.append((i, str(left.country), str(right.country), compound, between == ""))
    # A chain links mentions in a row ("Russia-China-Iran"): two compounds apart in the
    # sentence that share a state ("북러 밀착에 ... 북중 관계") are two pairs, not a list. One
    # word naming three states ("中俄伊三方会晤") names them as one group, as "中俄" does a pair.
    joined = {i for i, *_ in edges}
    listed: set[str] = set()
    for i, a, b, compound, one_word in edges:
        chained = i - 1 in joined or i + 1 in joined
        if not compound or (chained and not one_word):
            listed.update({a, b})
    return listed


def named_as_one(text: str, offset: int, a: int, b: int) -> bool:
    """Whether the states named at document offsets `a` and `b` (in `text`, which starts at
    document offset `offset`) are listed together: the name at `a`, of a word or two, then a
    comma or "and" ("Lavrov and Araghchi", "Vladimir Putin and Chinese ...")."""
    return _CHAINED.fullmatch(text, a - offset, b - offset) is not None


def listed_with(
    text: str, offset: int, run: Sequence[tuple[int, str]], *, backward: bool = False
) -> set[str]:
    """The first state of `run` (where states are named, in order, in `text`, which starts at
    document offset `offset`), or with `backward` the last, with the states listed beside it
    from there on: "Iran summons British and Russian envoys" gives the British and the Russian
    side after the cue."""
    steps = list(pairwise(run))
    if backward:
        steps.reverse()
    nearest = run[-1] if backward else run[0]
    group = {nearest[1]}
    for (a, left), (b, right) in steps:
        if not _CHAINED.fullmatch(text, a - offset, b - offset):
            break
        group.add(left if backward else right)
    return group
