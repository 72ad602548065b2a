"""A story headline from its best title: outlet suffixes, kickers and clickbait removed.

Titles arrive as "Russia, North Korea sign defence pact - Reuters", "UPDATE 2-China's Li visits
Moscow", "EXCLUSIVE: Iran sends missiles to Russia, sources say | AP News" or "Watch: ...". The
cleaned line keeps the wording of the title (we never invent one) minus what is not about the
development.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_KICKER = re.compile(
    r"^\s*(?:(?:UPDATE|REFILE|CORRECTED|RPT|WRAPUP|FOCUS|INSIGHT|ANALYSIS|EXPLAINER|FACTBOX|"
    r"EXCLUSIVE|BREAKING|BREAKING NEWS|WATCH|VIDEO|PHOTOS|LIVE|OPINION|EDITORIAL|COMMENTARY|"
    r"UPDATED|JUST IN|FIRST ON \w+)(?:\s*\d+)?\s*[-:|–—]\s*)+",
    re.IGNORECASE,
)
_PAREN_KICKER = re.compile(
    r"^\s*\((?:LEAD|\d?(?:ST|ND|RD|TH) LD|URGENT|UPDATE|UPDATED|FOCUS|NEWS FOCUS|INTERVIEW|"
    r"EXCLUSIVE|BREAKING|AMPLIFY|ATTN|WRITETHRU)\)\s*",
    re.IGNORECASE,
)
_SUFFIX_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ")
_CLICKBAIT = re.compile(
    r"\s*(?:[-:–—]\s*)?(?:here'?s (?:why|what|how)[^.]*|you won'?t believe[^.]*|"
    r"what (?:we|you) (?:know|need to know)[^.]*|everything you need to know[^.]*|"
    r"explained|in pictures|in photos|live updates?|as it happened)\s*[?!.]*$",
    re.IGNORECASE,
)
_GENERIC_SUFFIX = re.compile(
    r"^(?:news|world news|latest news|world|asia|europe|middle east|politics|"
    r"the \w+( \w+)?|[\w .&'-]{2,40} (?:news|times|post|daily|herald|online|today|"
    r"agency|tribune|journal|review|monitor|institute|center|centre))$",
    re.IGNORECASE,
)


_PROTOCOL = re.compile(
    r"^\W*(?:telephone conversation|phone (?:call|conversation)|meeting with|talks with|"
    r"[\w-]+ talks$|(?:[\w-]+ )?foreign ministry spokes(?:person|man|woman)|"
    r"(?:regular )?press conference|press release|comment by|remarks by|statement by|"
    r"spokes(?:person|man|woman) for|greetings to|message to|congratulations to|"
    r"телефонный разговор|встреча с|переговоры с|[\w-]+ переговоры$|"
    r"(?:\d{4}年\d{1,2}月\d{1,2}日)?外交部发言人.{0,8}(?:主持例行记者会|答记者问))",
    re.IGNORECASE,
)
"""Titles that name the form of an official text, not the development: the Kremlin's "Russian-
Chinese talks" and "Telephone conversation with President of China Xi Jinping", a ministry's
"Foreign Ministry Spokesperson's Regular Press Conference on May 6, 2025"."""


def is_protocol(title: str) -> bool:
    """Whether a title names the form of an official text (`_PROTOCOL`) rather than what
    happened: a story headline is taken from another title when one has it."""
    return bool(_PROTOCOL.match(title.strip()))


def clean_headline(title: str, outlets: Iterable[str] = ()) -> str:
    """The title without kickers, outlet suffixes, clickbait tails or stray whitespace."""
    names = {n.casefold() for n in outlets if n}
    text = " ".join(title.split())
    text = _KICKER.sub("", _PAREN_KICKER.sub("", text))
    changed = True
    while changed:
        changed = False
        for separator in _SUFFIX_SEPARATORS:
            head, sep, tail = text.rpartition(separator)
            if sep and head and _is_outlet_tail(tail, names):
                text, changed = head.strip(), True
    text = re.sub(r"\s*\((?:AP|AFP|Reuters|Xinhua|TASS|IRNA|KCNA|Yonhap)\)\s*$", "", text)
    stripped = _CLICKBAIT.sub("", text).strip(" -–—:|")
    if len(stripped.split()) >= 4:
        text = stripped
    return text.strip() or " ".join(title.split())


def _is_outlet_tail(tail: str, names: set[str]) -> bool:
    tail = tail.strip()
    if not tail or len(tail) > 60:
        return False
    folded = tail.casefold()
    if folded in names or any(folded.startswith(n) or n.startswith(folded) for n in names):
        return True
    if re.fullmatch(r"[\w.-]+\.(?:com|org|net|ru|cn|ir|kp|kr|jp|uk|int|gov|info)", folded):
        return True
    return bool(_GENERIC_SUFFIX.match(tail)) and len(tail.split()) <= 4
