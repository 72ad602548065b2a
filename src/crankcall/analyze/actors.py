"""Find actor mentions in text, with spans, and resolve the ones that need context.

1. Match every surface form of the gazetteer at word boundaries (CJK forms anywhere), longest
   first, with plurals of demonyms ("Iranians") and possessives ("Russia's") included; an
   all-capitals headline is matched in title case.
2. Resolve ambiguous forms ("Korea", "Korean") from the unambiguous mentions around them: the
   nearest same-sentence mention of North or South Korea, else the only one the article names.
3. Give each mention its sentence index so later stages can weigh co-occurrence.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain
from typing import Any, NamedTuple

from crankcall.analyze.gazetteer import Form, Gazetteer
from crankcall.analyze.patterns import trie_regex
from crankcall.analyze.scanner import OTHER_SCRIPTS, compile_database, stand_in_bytes
from crankcall.analyze.text import Span
from crankcall.models import Mention

log = logging.getLogger(__name__)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_PREFIXES = {"Sino": "CN", "Russo": "RU", "Irano": "IR"}
# Which states an ambiguous form may stand for, in order of preference when nothing else decides.
_AMBIGUOUS_STATES = {"KP": ("KP", "KR")}


class Found(NamedTuple):
    """A mention found in text: actor, state, surface text, span, sentence, form kind.

    A named tuple, not a frozen dataclass: articles hold dozens of mentions, and a tuple is
    built in one step (`new_found`), where a frozen dataclass sets each field through
    `object.__setattr__`, four times slower."""

    actor: str
    country: str | None
    text: str
    start: int
    end: int
    sentence: int
    kind: str


_new_tuple = tuple.__new__


def new_found(
    actor: str, country: str | None, text: str, start: int, end: int, sentence: int, kind: str
) -> Found:
    """`Found(...)` built directly from its fields, without the keyword handling of
    `Found.__new__`."""
    return _new_tuple(Found, (actor, country, text, start, end, sentence, kind))


class ActorFinder:
    """Compiled matchers for one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.forms: dict[str, Form] = {}
        for form in gazetteer.forms.values():
            self.forms[form.text] = form
        for form in gazetteer.forms.values():  # demonyms as nouns: "Iranians", "North Koreans"
            if form.kind == "adjectives" and form.text.endswith("n"):
                plural = form.text + "s"
                self.forms.setdefault(plural, Form(text=plural, actor=form.actor, kind=form.kind))
        for prefix, actor in _PREFIXES.items():  # "Sino-Russian", "Russo-Iranian"
            if actor in gazetteer.actors:
                self.forms.setdefault(prefix, Form(text=prefix, actor=actor, kind="adjectives"))
        self._compounds = gazetteer.compounds
        spaced = [t for t in self.forms if not _CJK.search(t)]
        self._not_names = gazetteer.not_names
        dense = [t for t in [*self.forms, *self._compounds, *self._not_names] if _CJK.search(t)]
        self._spaced_forms = spaced
        self._spaced_regex: re.Pattern[str] | None = None
        self._dense = re.compile(trie_regex(dense)) if dense else None
        self._literals = LiteralScanner.build(spaced)
        # Per surface form (but compound words, split by `_parts`): the actor, its state and the
        # form's kind, looked up once per mention.
        actors = gazetteer.actors
        self._people = frozenset(a.id for a in actors.values() if a.type == "person")
        self._meaning = {
            text: (actors[form.actor].id, actors[form.actor].country, form.kind)
            for text, form in self.forms.items()
            if text not in self._compounds
        }

    @property
    def _spaced(self) -> re.Pattern[str]:
        """All forms but CJK ones in one trie regex: what Hyperscan stands in for, compiled
        only when needed (without Hyperscan, and in the tests that compare the two)."""
        if self._spaced_regex is None:
            source = trie_regex(self._spaced_forms)
            self._spaced_regex = re.compile(r"(?<!\w)(?:" + source + r")(?!\w)")
        return self._spaced_regex

    def find(
        self,
        text: str,
        spans: list[Span],
        *,
        stand_in: bytes | None = None,
        native: bool | None = None,
    ) -> list[Found]:
        """Mentions in `text` (already split into `spans`), in order of position. `stand_in`:
        the ASCII stand-in of `text` (`scanner.stand_in_bytes`), when the caller has it;
        `native`: whether `text` holds letters of the other scripts (`scanner.OTHER_SCRIPTS`),
        when the caller knows."""
        if native is None:
            native = not text.isascii() and bool(OTHER_SCRIPTS.search(text))
        raw = self._match(text, stand_in, native=native)
        starts = [s.start for s in spans]
        meaning = self._meaning
        found: list[Found] = []
        append, new = found.append, _new_tuple
        ambiguous = False
        for start, end, surface in raw:
            sentence = _sentence_of(starts, start)
            known = meaning.get(surface)
            if known is None:  # a compound word: a mention per state
                found.extend(self._parts(text, start, surface, sentence))
                continue
            actor, country, kind = known
            if kind == "ambiguous":
                ambiguous = True
            append(new(Found, (actor, country, text[start:end], start, end, sentence, kind)))
        if "he North" in text and any(f.country == "KP" for f in found):
            found = _the_north(text, found, starts)
        if (
            native
            and HANGUL.search(text)
            and (_HANJA_STATE.search(text) or _RUSSIA_SHORT.search(text))
        ):
            found = _one_letter_states(text, found, starts)
        return _resolve_ambiguous(found, self._people, text) if ambiguous else found

    def _parts(self, text: str, start: int, word: str, sentence: int) -> list[Found]:
        """One mention per state of a compound word ("中俄": China at 中, Russia at 俄), each
        spanning its letter."""
        letters = [start + i for i, ch in enumerate(word) if ch.isalpha()]
        actors = self.gazetteer.actors
        return [
            new_found(
                state, actors[state].country, text[at : at + 1], at, at + 1, sentence, "native"
            )
            for at, state in zip(letters, self._compounds[word], strict=True)
        ]

    def _spaced_words(self, text: str, stand_in: bytes | None) -> list[tuple[int, int, str]]:
        """Where the forms written with spaces between words stand in `text`."""
        if self._literals is not None:
            return self._literals.words(text, stand_in)
        return [(m.start(), m.end(), m.group()) for m in self._spaced.finditer(text)]

    def _match(
        self, text: str, stand_in: bytes | None, *, native: bool
    ) -> list[tuple[int, int, str]]:
        newline = text.find("\n")
        headline = text if newline < 0 else text[:newline]
        cased = _title_case_if_shouting(headline)
        haystack = text if cased is headline else cased + text[len(headline) :]
        hits = self._spaced_words(haystack, stand_in if haystack is text else None)
        if haystack is not text:
            # Title case loses a shouting headline's abbreviations ("КНДР И ИРИ", "DPRK"): the
            # headline as written is searched too, for what the cased one did not find there.
            taken = _Taken((s, e) for s, e, _ in hits)
            hits += [hit for hit in self._spaced_words(headline, None) if taken.free(*hit[:2])]
            hits.sort()
        # CJK letters are among the other scripts: none in a text without them.
        if self._dense is not None and native and _CJK.search(text):
            free = _Taken((s, e) for s, e, _ in hits).free
            for m in self._dense.finditer(text):
                if m.group() not in self._not_names and free(m.start(), m.end()):
                    hits.append((m.start(), m.end(), m.group()))
            hits.sort()
        return hits


class _Taken:
    """Spans already found, sorted and apart (each position in one at most), asked whether a
    span overlaps none of them by bisection: one pass over every span found for each new one grew
    with the square of the mentions (a 108 KB text naming the states in two scripts, 5 s)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._ends = list(accumulate((e for _, e in ordered), max))

    def free(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps no span taken."""
        i = bisect_right(self._ends, start)  # the first span ending after `start`
        return i == len(self._starts) or self._starts[i] >= end


class LiteralScanner:
    """Every form found by Hyperscan, with what the trie regex would pick.

    Hyperscan reports each occurrence of each form (overlapping ones too); `words` keeps those
    standing at word boundaries and takes, from left to right, the longest at each position,
    which is what `(?<!\\w)(?:form|...)(?!\\w)` matches with `re`. ASCII forms are looked for in
    the text's ASCII stand-in (same length, same word boundaries); the few forms in other scripts
    in its UTF-8 bytes, and only when the text is not all ASCII. An ASCII form beginning and
    ending with a word character is looked for between `\\b`s, so Hyperscan reports it only at
    word boundaries and `words` need not check them (nor Python be called for "Iran" in
    "Iranian").
    """

    def __init__(self, forms: list[str], plain: Any, other: Any) -> None:
        self.forms = forms
        self._plain = plain
        self._other = other
        # ASCII forms are literals on the stand-in: where one starts follows from its length,
        # so Hyperscan need not track starts (which slows it down).
        self._lengths = [len(form) for form in forms]
        # The forms whose word boundaries Hyperscan checks (`_bounded`).
        self._bounded = frozenset(i for i, form in enumerate(forms) if _bounded(form))

    @classmethod
    def build(cls, forms: list[str]) -> LiteralScanner | None:
        """A scanner over `forms`, or None when Hyperscan is missing or cannot compile them."""
        try:
            import hyperscan
        except ImportError:
            return None
        databases: list[Any] = []
        som = hyperscan.HS_FLAG_SOM_LEFTMOST
        for subset, flags in (
            ([i for i, f in enumerate(forms) if f.isascii()], 0),
            ([i for i, f in enumerate(forms) if not f.isascii()], som | hyperscan.HS_FLAG_UTF8),
        ):
            if not subset:
                databases.append(None)
                continue
            try:
                database = compile_database(
                    [_literal(forms[i], bounded=_bounded(forms[i])) for i in subset],
                    subset,
                    [flags] * len(subset),
                )
            except hyperscan.error as e:
                log.warning("hyperscan cannot compile the name forms (%s); using re only", e)
                return None
            databases.append(database)
        return cls(forms, *databases)

    def words(self, text: str, stand_in: bytes | None = None) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, form) at word boundaries, leftmost and longest first.
        `stand_in`: the ASCII stand-in of `text` when the caller has it."""
        found: list[tuple[int, int, int]] = []
        lengths = self._lengths

        def on_literal(ident: int, _start: int, end: int, _flags: int, _context: object) -> None:
            found.append((end - lengths[ident], -end, ident))

        def on_match(ident: int, start: int, end: int, _flags: int, _context: object) -> None:
            found.append((start, -end, ident))

        if self._plain is not None:
            if stand_in is None:
                stand_in = stand_in_bytes(text)
            self._plain.scan(stand_in, match_event_handler=on_literal)
        if self._other is not None and not text.isascii():
            plain = len(found)
            data = text.encode("utf-8")
            self._other.scan(data, match_event_handler=on_match)
            if len(found) > plain:
                chars = _char_offsets(data, found[plain:])
                for n in range(plain, len(found)):  # UTF-8 offsets back to character offsets
                    start, end, ident = found[n]
                    found[n] = (chars[start], -chars[-end], ident)
        if not found:
            return []
        found.sort()
        hits: list[tuple[int, int, str]] = []
        taken = 0
        size = len(text)
        forms, bounded = self.forms, self._bounded
        for start, negative_end, ident in found:
            end = -negative_end
            if start < taken:
                continue
            if ident not in bounded:
                if start > 0:
                    before = text[start - 1]
                    if before.isalnum() or before == "_":
                        continue
                if end < size:
                    after = text[end]
                    if after.isalnum() or after == "_":
                        continue
            hits.append((start, end, forms[ident]))
            taken = end
        return hits


def _char_offsets(data: bytes, found: list[tuple[int, int, int]]) -> dict[int, int]:
    """The character offset of each UTF-8 byte offset of `found` (starts, and ends negated),
    each found by decoding only the bytes since the one before: decoding the whole prefix for
    every match took time growing with the square of the text, minutes for a long text in
    another script that names the states often (a page of a few hundred kilobytes)."""
    chars: dict[int, int] = {}
    position = count = 0
    for offset in sorted({*(f[0] for f in found), *(-f[1] for f in found)}):
        count += len(data[position:offset].decode())
        chars[offset] = count
        position = offset
    return chars


def _literal(form: str, *, bounded: bool = False) -> bytes:
    """A Hyperscan pattern matching `form` literally (`bounded`: at word boundaries)."""
    body = "".join(
        c if (c.isalnum() and c.isascii()) or not c.isascii() else f"\\x{ord(c):02x}" for c in form
    )
    return (f"\\b{body}\\b" if bounded else body).encode("utf-8")


def _bounded(form: str) -> bool:
    """True when `form` is ASCII and begins and ends with a word character: then `\\b` before
    and after it, on the ASCII stand-in, says what `words` checks on the text (no word character
    before or after), and Hyperscan can check it."""
    return (
        form.isascii()
        and bool(form)
        and (form[0].isalnum() or form[0] == "_")
        and (form[-1].isalnum() or form[-1] == "_")
    )


def _title_case_if_shouting(text: str) -> str:
    letters = sum(map(str.isalpha, text))
    if letters < 8 or sum(map(str.isupper, filter(str.isalpha, text))) < 0.8 * letters:
        return text
    cased = text.title()
    return cased if len(cased) == len(text) else text


def _resolve_ambiguous(found: list[Found], people: frozenset[str], text: str) -> list[Found]:
    """The ambiguous mentions among `found` given to the state their context names, or dropped:
    "Korean" beside South Korea is South Korea's. A person's short name ("Kim") is theirs when
    it refers back to their full name (`_refers_back`); with no context, unless the article
    names the state it is ambiguous with. An institution's ("State Council", "Central Military
    Commission", which other states have) needs its own state named firmly in the article."""
    if not any(f.kind == "ambiguous" for f in found):
        return found
    context = _Firm([f for f in found if f.kind != "ambiguous"], text)
    resolved: list[Found] = []
    for mention in found:
        if mention.kind != "ambiguous":
            resolved.append(mention)
            continue
        if mention.actor in people and _refers_back(mention, context):
            resolved.append(mention)
            continue
        country = _context_state(mention, context)
        if country is None and mention.actor in people:
            # A person's short name ("Kim"): theirs unless the article is about the other Korea.
            others = context.countries & set(_AMBIGUOUS_STATES.get(mention.country or "", ()))
            country = mention.country if others <= {mention.country} else None
        if country is None:
            continue
        resolved.append(
            Found(
                actor=mention.actor if country == mention.country else country,
                country=country,
                text=mention.text,
                start=mention.start,
                end=mention.end,
                sentence=mention.sentence,
                kind=mention.kind,
            )
        )
    return resolved


class _Firm:
    """An article's firm mentions (in order of start, none overlapping), indexed for the
    questions `_refers_back` and `_context_state` ask of each ambiguous one: by actor, by state
    and by sentence. Asked by a pass over all of them, a long text that names many people by
    short name took time growing with the square of its mentions (minutes for a page of a few
    hundred kilobytes)."""

    def __init__(self, firm: list[Found], text: str) -> None:
        self.text = text
        self.countries = {f.country for f in firm}
        self.by_actor: dict[str, list[Found]] = defaultdict(list)
        self.by_country: dict[str | None, list[int]] = defaultdict(list)
        self.by_sentence: dict[int, dict[str | None, None]] = defaultdict(dict)
        for f in firm:
            self.by_actor[f.actor].append(f)
            self.by_country[f.country].append(f.start)
            self.by_sentence[f.sentence].setdefault(f.country)
        self.ends = {actor: [f.end for f in own] for actor, own in self.by_actor.items()}
        self._names: dict[str, list[tuple[int, int]]] = {}

    def longer_names(self, short: str) -> list[tuple[int, int]]:
        """Where `short` begins a longer name in the text ("Kim" of "Kim Yo Jong": the short
        name, then another capitalised word): the span of each, in order."""
        spans = self._names.get(short)
        if spans is None:
            pattern = re.compile(rf"\b{re.escape(short)}\b(?=[ -][A-Z])")
            spans = self._names[short] = [m.span() for m in pattern.finditer(self.text)]
        return spans


_ONE_LETTER_STATES = {
    "北": "KP",
    "中": "CN",
    "美": "US",
    "日": "JP",
    "韓": "KR",
    "露": "RU",
    "러": "RU",
    "북": "KP",
}
"""The one-letter names Korean headlines give states in Chinese characters ("北, 러시아에 포탄
제공", "中 외교부", "美 국무부")."""
_HANJA_STATE = re.compile(
    r"(?<![\u3400-\u9fff\uf900-\ufaff0-9])[北中美日韓露]{1,3}(?![\u3400-\u9fff\uf900-\ufaff])"
)
"""One of them, or two or three in a row ("北中 교역", "韓美日"), standing alone: no other Chinese
character on either side (北京, 中國, 日本, 訪中 are words of their own) and no figure before
it (a date's 3日)."""
HANGUL = re.compile(r"[\uac00-\ud7af]")
"""A Hangul syllable: a text holding one is written in Korean."""
_RUSSIA_SHORT = re.compile(
    r"(?<![\uac00-\ud7af])러(?=[\s,·…\"'”’)\]]|$|[에와의는도가로측](?![\uac00-\ud7af]))"
    r"|(?<![\uac00-\ud7af])북(?=[,·…]|\s(?![\uac00-\ud7af]*[을를]|치|장구)|[은이의과도측](?![\uac00-\ud7af]))"
)
"""Russia and North Korea as Korean headlines shorten them, "러" and "북" standing alone or
before a particle ("러, 北에 방공체계 지원", "러 외무장관", "러에", "북, 한미연합훈련 맹비난"), not
the start of a word ("러시아", "북한", "북쪽"); "북" before 을 or 를, or before 치 (치다, to beat)
or 장구, is a drum."""


def _one_letter_states(text: str, found: list[Found], starts: list[int]) -> list[Found]:
    """`found` with the states a Korean text names by one letter (`_ONE_LETTER_STATES`: a
    Chinese character, or "러" for Russia), where no mention covers it. Only in a text written
    in Hangul: in Chinese, 北 and 中 are everywhere."""
    free = _Taken((f.start, f.end) for f in found).free
    extra = [
        new_found(
            _ONE_LETTER_STATES[letter],
            _ONE_LETTER_STATES[letter],
            letter,
            at,
            at + 1,
            _sentence_of(starts, at),
            "native",
        )
        for m in chain(_HANJA_STATE.finditer(text), _RUSSIA_SHORT.finditer(text))
        for at, letter in enumerate(m.group(), m.start())
        if free(at, at + 1)
    ]
    return sorted(found + extra, key=lambda f: f.start) if extra else found


def _refers_back(mention: Found, context: _Firm) -> bool:
    """Whether a person's short name ("Kim") stands for the person named in full before it
    ("Kim Jong Un"), with no other full name that begins with it in between ("Kim Moon-soo",
    "Kim Yo Jong"), and is not the start of such a name itself. A report of Kim Jong Un's
    embassy visit that quotes South Korea's ministry on it is still about him. Named in full
    only after it (a headline's "Kim", the lead's "Kim Jong Un"), the first full name counts."""
    text = context.text
    if _NAME_GOES_ON.match(text, mention.end):
        return False  # "Kim" of "Kim Moon-soo", a name the gazetteer does not hold
    own = context.by_actor.get(mention.actor)
    if not own:
        return False
    # From the last full name before it, else up to the first after it.
    before = bisect_right(context.ends[mention.actor], mention.start)
    low, high = (own[before - 1].end, mention.start) if before else (mention.end, own[0].start)
    # A longer name between: one that starts there and whose next two characters (what says a
    # name goes on) lie there too. Both bounds are at a name's word boundary, so no match
    # starts at `low` that the text's own boundaries would not allow.
    spans = context.longer_names(mention.text)
    i = bisect_left(spans, (low, -1))
    return not (i < len(spans) and spans[i][1] + 2 <= high)


_NAME_GOES_ON = re.compile(r"[ -][A-Z][a-z]")
"""After a short name, the next part of a longer one ("Kim" in "Kim Moon-soo")."""


def _context_state(mention: Found, context: _Firm) -> str | None:
    """The state an ambiguous form stands for, judged from the firm mentions around it (all of
    them, their states, and those of each sentence)."""
    candidates = _AMBIGUOUS_STATES.get(mention.country or "", (mention.country or "",))
    for country in context.by_sentence.get(mention.sentence, ()):
        if country in candidates:
            return country
    in_article = context.countries & set(candidates)
    if len(in_article) == 1:
        return in_article.pop()
    if not in_article:
        return None  # "Korean" with no Korea named firmly: too weak to count
    # The nearest firm mention of a candidate state; of two as near, the earlier.
    nearest: tuple[int, int, str | None] | None = None
    for country in in_article:
        starts = context.by_country[country]
        i = bisect_left(starts, mention.start)
        for start in starts[max(0, i - 1) : i + 1]:
            key = (abs(start - mention.start), start, country)
            if nearest is None or key[:2] < nearest[:2]:
                nearest = key
    assert nearest is not None
    return nearest[2]


def _sentence_of(starts: list[int], at: int) -> int:
    """The index of the sentence (of those starting at `starts`) that offset `at` falls in; the
    first for an offset before any."""
    return max(0, bisect_right(starts, at) - 1)


_THE_NORTH = re.compile(r"\b[Tt]he North\b(?!-|\s+[A-Z])")
""""The North" as wire copy on the peninsula calls North Korea after naming it ("the North has
shipped more than 100 missiles to Russia"); not "the North Caucasus" or "the North-South"."""


def _the_norths(text: str) -> Iterator[tuple[int, int]]:
    """Where `_THE_NORTH` matches in `text`, found as `finditer` finds it but by looking for
    "he North" and checking the letters around it: `re` tried the pattern at every character
    of the half of long articles that hold it (0.1 ms an article)."""
    find, size = text.find, len(text)
    at = find("he North")
    while at != -1:
        start, end = at - 1, at + 8
        at = find("he North", end)
        if start < 0 or text[start] not in "Tt" or (start and _is_word(text[start - 1])):
            continue
        if end < size:
            after = text[end]
            if _is_word(after) or after == "-":
                continue
            gap = end
            while gap < size and text[gap].isspace():
                gap += 1
            if gap > end and gap < size and "A" <= text[gap] <= "Z":
                continue
        yield start, end


def _is_word(char: str) -> bool:
    """Whether `re` counts `char` as a word character (`\\w`)."""
    return char.isalnum() or char == "_"


def _the_north(text: str, found: list[Found], starts: list[int]) -> list[Found]:
    """`found` with "the North" read as North Korea, in an article that names North Korea (the
    caller checks): a metonym, as "Pyongyang" is."""
    extra: list[Found] = []
    # Whether a match overlaps a mention: of the mentions starting before its end (`found` is
    # in order of start), the furthest end reaches past its start. Long articles name dozens of
    # actors; this is one bisection per match, not a pass over them all.
    firsts = [f.start for f in found]
    furthest = list(accumulate((f.end for f in found), max))
    for start, end in _the_norths(text):
        i = bisect_left(firsts, end) - 1
        if i >= 0 and furthest[i] > start:
            continue
        extra.append(
            new_found(
                "KP", "KP", text[start:end], start, end, _sentence_of(starts, start), "metonyms"
            )
        )
    return sorted(found + extra, key=lambda f: f.start) if extra else found


_SET_MENTION = tuple(
    getattr(Mention, name).__set__
    for name in ("actor_id", "country", "text", "start", "end", "sentence")
)


def mentions_of(found: list[Found]) -> tuple[Mention, ...]:
    """The mentions of an article's finds; each built with its fields set directly, as
    `actors.new_found` builds finds (several times quicker than a frozen dataclass's
    `__init__`)."""
    set_actor, set_country, set_text, set_start, set_end, set_sentence = _SET_MENTION
    new = object.__new__
    mentions = []
    for f in found:
        mention = new(Mention)
        set_actor(mention, f.actor)
        set_country(mention, f.country)
        set_text(mention, f.text)
        set_start(mention, f.start)
        set_end(mention, f.end)
        set_sentence(mention, f.sentence)
        mentions.append(mention)
    return tuple(mentions)
