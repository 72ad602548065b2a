"""Fast matching of many literal phrases: a trie compiled into one regular expression.

Python's regex engine tries alternatives one by one; an alternation of two thousand names would
be slow. Folding the phrases into a trie ("North Korea|North Korean" becomes
"North\\ Korea(?:n)?") lets the engine reject most positions after a character or two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def trie_regex(phrases: Iterable[str]) -> str:
    """A regex source matching any of `phrases`, preferring the longest at each position."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _render(trie) if trie else "(?!)"


def _render(node: dict) -> str:  # type: ignore[type-arg]
    ends_here = _END in node
    branches = [re.escape(char) + _render(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return f"(?:{body})?"
    return body
