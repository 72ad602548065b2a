"""Full-text search on both backends from one query language.

Users type what they would type into a web search box: words (all must match), "quoted phrases",
`OR` between alternatives, and `-word` to exclude. On SQLite the query becomes an FTS5 expression
built from quoted tokens, so no user input can break FTS5's syntax; on PostgreSQL it goes to
`websearch_to_tsquery`, which reads the same language. Queries in a script without spaces between
words (Chinese, Japanese) use substring matching, which neither index tokenises well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crankcall.errors import InputError

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 64
"""Words a query may hold in all: the full-text indexes take time growing faster than the
number of words (a thousand words took SQLite half a minute on the demo corpus)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ParsedQuery:
    """A user's query split into required, alternative and excluded terms."""

    groups: tuple[tuple[str, ...], ...]  # AND of ORs; each term a phrase of words
    excluded: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """True when nothing searchable is left."""
        return not self.groups


def parse_query(query: str) -> ParsedQuery:
    """Split a web-search style query into AND-ed groups of OR-ed phrases and excluded phrases.
    Raises `InputError` for a query of more than `MAX_TERMS` words."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    join_next = False
    for token in _TOKEN.findall(query):
        if token == "OR":
            join_next = bool(groups)
            continue
        negative = token.startswith("-") and len(token) > 1
        phrase = " ".join(_WORD.findall(token.lstrip("-")))
        if not phrase:
            continue
        if negative:
            excluded.append(phrase)
        elif join_next:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        join_next = False
    words = sum(len(p.split()) for p in (*excluded, *(p for g in groups for p in g)))
    if words > MAX_TERMS:
        raise InputError(f"the query holds {words} words; at most {MAX_TERMS} are searched for")
    return ParsedQuery(groups=tuple(tuple(g) for g in groups), excluded=tuple(excluded))


def fts5_expression(parsed: ParsedQuery) -> str:
    """The FTS5 MATCH expression of a parsed query; every phrase quoted."""

    def quote(phrase: str) -> str:
        return '"' + phrase.replace('"', '""') + '"'

    parts = []
    for group in parsed.groups:
        alternatives = " OR ".join(quote(p) for p in group)
        parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
    expression = " AND ".join(parts)
    for phrase in parsed.excluded:
        expression = f"{expression} NOT {quote(phrase)}"
    return expression


def is_cjk(query: str) -> bool:
    """True when the query holds Chinese, Japanese or Korean characters."""
    return bool(_CJK.search(query))


def like_pattern(phrase: str) -> str:
    """A LIKE pattern matching `phrase` anywhere, LIKE's wildcards escaped with a backslash."""
    escaped = phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
