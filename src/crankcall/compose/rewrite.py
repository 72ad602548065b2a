"""The light rewrites drafting may make to a source sentence, and the text tests they rest on.

Only three rewrites exist, and `faithful.check_faithful` accepts exactly these:

1. `strip_dateline`: drop a wire dateline at the start ("MOSCOW, Aug 20 (Reuters) -").
2. `resolve_pronoun`: replace a sentence-initial "He"/"She" by the name that opens the source's
   previous sentence.
3. `trim_clause`: end a sentence before a trailing subordinate clause (", which ...", ", after
   ..."), never one that carries attribution.

Everything else here only reads text: `normalise` (the faithfulness comparison form), `tokens`
and `similar` (near-duplicate sentences), `subject_name`, and `is_boilerplate`.
"""

from __future__ import annotations

import re
import unicodedata

from crankcall.compose.vocabulary import (
    ATTRIBUTION_CUES,
    BOILERPLATE,
    DROPPABLE_CLAUSE_STARTS,
    NAME_TITLES,
    NOT_NAME_WORDS,
    RESOLVABLE_PRONOUNS,
    STOPWORDS,
)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = rf"{_MONTH} \d{{1,2}}"
_WORD = r"[A-Z][A-Za-z'’./-]*"
_PLACE = rf"{_WORD}(?: {_WORD}){{0,3}}"
_CAPS_PLACE = r"[A-Z][A-Z'’./-]{2,}(?: [A-Z][A-Z'’./-]+){0,3}"
_AGENCY = r"\([A-Z][A-Za-z&.' -]{0,40}\)"
_SLASH_AGENCY = r"/[A-Z][A-Za-z-]{1,20}/\.?"
_DASH = r"\s*(?:--|—|–|-)\s+"
_DATELINE = re.compile(
    # With an agency: "MOSCOW, Aug. 21 (Xinhua) --", "Pyongyang, August 4 (KCNA) --",
    # "TEHRAN (Tasnim) -", "ANKARA, Turkey (AP) —", "TEHRAN, August 5. /TASS/. ".
    rf"^(?:{_PLACE}(?:, (?:{_DATE}|{_PLACE}))*,? (?:{_AGENCY}{_DASH}|{_SLASH_AGENCY}\s+)"
    # An upper-case place, maybe a bare agency name: "WASHINGTON - ", "YIWU, China -- ",
    # "TOKYO, June 20 Kyodo - ".
    rf"|{_CAPS_PLACE}(?:, (?:{_DATE}|{_PLACE}))*(?: [A-Z][a-z]+)?{_DASH}"
    # A place and an agency or country name: "Tehran, IRNA - ", "Tehran, Iran – ".
    rf"|{_PLACE}, (?:[A-Z]{{2,}}|{_WORD}){_DASH})"
    r"(?=\S)"
)
_TOKEN = re.compile(r"[\w’']+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"'})
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w")
_BYLINE = re.compile(r"^\s*by [A-Z][a-z]+(?: [A-Z][a-z]+){0,3}\s*$|\bwrites?\s+for\b", re.I)


def strip_dateline(text: str) -> str:
    """`text` without a wire dateline at its start; unchanged when it has none."""
    found = _DATELINE.match(text)
    if found is None:
        return text
    rest = text[found.end() :]
    return rest if rest[:1].isupper() or rest[:1] in "\"'“‘" else text


def normalise(text: str) -> str:
    """The form in which faithfulness compares text: NFC, straight quotes, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_QUOTES).split())


def tokens(text: str) -> frozenset[str]:
    """The content words of `text`, lower-cased, without stopwords and possessive endings."""
    words = (t.lower().replace("’", "'").removesuffix("'s") for t in _TOKEN.findall(text))
    return frozenset(w for w in words if w and w not in STOPWORDS)


SHARED = 0.7
"""The share of their content words two sentences that say the same thing have in common
(`similar`)."""


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sentences (as `tokens`) say the same thing: near-duplicates across outlets.

    Strict on purpose (70% of the content words shared, and the same figures): a fact cites
    every article that carries it, so a looser test would cite articles for what they do not
    say."""
    if not a or not b or min(len(a), len(b)) < SHARED * max(len(a), len(b)):
        return False  # sizes alone rule out 70% overlap: the common case, decided cheaply
    if len(a & b) / len(a | b) < SHARED:
        return False
    # A different figure is a different claim, however alike the words.
    return not any(ch.isdigit() for w in a ^ b for ch in w)


def is_boilerplate(text: str) -> bool:
    """Whether a sentence is the outlet talking (credits, sign-up calls), a byline or a URL."""
    return bool(BOILERPLATE.match(text) or _URL.search(text) or _BYLINE.search(text))


def subject_name(sentence: str) -> str | None:
    """The person's name that opens `sentence` ("Vladimir Putin noted ..."), or None.

    Conservative: two to four capitalised words after optional titles, with no demonym, article
    or institution among them, followed by a lower-case word or a comma.
    """
    words = strip_dateline(sentence).split()
    start = 0
    while start < len(words) and words[start].lower() in NAME_TITLES:
        start += 1
    name: list[str] = []
    for word in words[start:]:
        bare = word.rstrip(",")
        if not re.fullmatch(r"[A-Z][a-z]+(?:-[a-z]+)?", bare) or bare.lower() in NOT_NAME_WORDS:
            break
        name.append(bare)
        if word.endswith(","):
            break
    rest = words[start + len(name) :]
    ends_cleanly = bool(name) and (words[start + len(name) - 1].endswith(",") or bool(rest))
    if not 2 <= len(name) <= 4 or not ends_cleanly:
        return None
    if rest and not words[start + len(name) - 1].endswith(",") and not rest[0][:1].islower():
        return None
    return " ".join(name)


def compound_subject(sentence: str) -> bool:
    """Whether `sentence` opens with two or more named subjects ("Premier Li Qiang and Prime
    Minister Mikhail Mishustin co-chaired ..."), after which a "He" or "She" could be either."""
    words = strip_dateline(sentence).split()
    for i, word in enumerate(words):
        if word == "and":
            after = words[i + 1 : i + 2]
            return i > 0 and words[i - 1][:1].isupper() and bool(after) and after[0][:1].isupper()
        if not word[:1].isupper():
            return False
    return False


def named_in(sentence: str, previous: str | None) -> bool:
    """Whether `sentence` opens with a bare surname ("Kim told the envoy ...") that `previous`
    gives in full ("Vice Foreign Minister Kim Hong-kyun called in ..."): away from that sentence,
    a reader may take it for another person of the name."""
    if previous is None:
        return False
    words = strip_dateline(sentence).split()
    if len(words) < 2 or not words[1][:1].islower():
        return False
    word = words[0]
    if not re.fullmatch(r"[A-Z][a-z]+(?:-[a-z]+)?", word) or word.lower() in NOT_NAME_WORDS:
        return False
    name = re.escape(word)
    return bool(re.search(rf"\b[A-Z][\w-]* {name}\b|\b{name} [A-Z][\w-]*", previous))


def pronoun_of(sentence: str) -> str | None:
    """The resolvable pronoun ("He"/"She") that opens `sentence`, or None."""
    for pronoun in RESOLVABLE_PRONOUNS:
        if sentence.startswith(pronoun + " "):
            return pronoun
    return None


def resolve_pronoun(sentence: str, previous: str | None) -> str | None:
    """`sentence` with its opening "He"/"She" replaced by the name that opens `previous` (the
    source's previous sentence), or None when that is not safe: no one name opens `previous`."""
    pronoun = pronoun_of(sentence)
    if pronoun is None or previous is None or compound_subject(previous):
        return None  # after "Li Qiang and Mikhail Mishustin met", "He" could be either
    name = subject_name(previous)
    if name is None:
        return None
    return name + sentence[len(pronoun) :]


def trim_clause(sentence: str) -> list[str]:
    """Shorter forms of `sentence`, longest first: cut before each droppable trailing clause."""
    if not sentence.endswith("."):
        return []
    shorter: list[str] = []
    for match in reversed(list(re.finditer(r", ", sentence))):
        head, tail = sentence[: match.start()], sentence[match.end() :]
        if droppable_tail(tail):
            shorter.append(head + ".")
    return shorter


def droppable_tail(tail: str) -> bool:
    """Whether a clause after ", " may be dropped: it starts like a subordinate clause and
    holds no attribution, no quotation and no bracket left open in the head."""
    lowered = tail.lower()
    if not any(lowered.startswith(start + " ") for start in DROPPABLE_CLAUSE_STARTS):
        return False
    if any(mark in tail for mark in '"“”()'):
        return False
    return not ({w.lower() for w in _TOKEN.findall(tail)} & ATTRIBUTION_CUES)
