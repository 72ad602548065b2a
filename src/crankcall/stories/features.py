"""What clustering and ranking know of an article: its coding, its outlet and its salient terms.

Terms are what two reports of one development share whatever their wording: the actors the coder
found (language-independent ids such as `actor:li_qiang`, so a Xinhua piece in Chinese meets a
Reuters piece in English), the named projects, routes and sites of `data/projects.toml` in any of
their languages (`actor:PRJ.power_of_siberia` for "Power of Siberia", "Сила Сибири" and "中俄东线"),
the concepts of `data/concepts.toml` likewise (`concept:treaty` for "treaty", "договор", "条约"),
numbers ("30", "1,000"), and the content words of the title and the lead.
The title counts twice: it names the development; the tail of a long text drifts into background.
Chinese, Japanese and Korean runs, which have no spaces, give character bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from sys import intern
from typing import Any

from crankcall.analyze.gazetteer import Role, shipped_gazetteer
from crankcall.data import read_data, read_toml
from crankcall.errors import DataFileError
from crankcall.models import CRANK_STATES
from crankcall.stories.headline import clean_headline

LEAD_CHARS = 1500
"""How much of the text (after the title) feeds the terms: the lead carries the development."""

CONCEPT = "concept:"
"""The prefix of a concept's term (`data/concepts.toml`): "concept:treaty" for "treaty",
"договор", "条约", "معاهده" and "조약" alike. Concepts are for reports in different scripts, which
share no words: clustering leaves them out of what two reports in one script compare
(`cluster.vector`)."""

_WORD = re.compile(r"\d[\d,.]*\d|[^\W_]+(?:[-'’][^\W_]+)*|\d", re.UNICODE)
"""A figure ("1,000", "1.5"; tried first, so a thousands separator does not cut it in two), a
word with its inner hyphens and apostrophes ("Tu-95s", "Xi's"), or a lone digit."""
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian
        **{chr(0xFF10 + d): str(d) for d in range(10)},  # full-width (Chinese, Japanese)
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
    }
)
"""Digits of other scripts as ASCII digits: a figure in a Persian or Chinese report meets the
same figure in an English one."""
_DIGIT_RUN = re.compile(r"\d{2,}")
_CJK_LETTERS = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
"""A letter of the scripts that write no spaces between words or that join particles to them:
Japanese kana, Chinese characters, Korean syllables."""
_CJK = re.compile(_CJK_LETTERS + "+")
_SPACED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)")
"""The space, no-break or narrow no-break space between groups of three digits, as Russian writes
thousands ("3 000 военных"): taken out, the figure meets English "3,000"."""
_CJK_FIGURE = re.compile(f"(?<={_CJK_LETTERS})(?=\\d)|(?<=\\d)(?={_CJK_LETTERS})")
"""Where a figure meets Chinese or Korean letters ("增长7.2%", "4천700명"): a figure written
against the letters is a word of its own, as it is in other scripts ("7.2", not a lone 7)."""


@cache
def _stopwords() -> frozenset[str]:
    """The shipped list of words too common in news to tell developments apart."""
    data, _ = read_data("stopwords.txt")
    lines = data.decode("utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def _opinion_title() -> re.Pattern[str]:
    """A title that opens with an opinion cue (`data/opinion.txt`), after at most two words,
    and goes on after a colon, a bar or a dash ("Opinion | ...") or "on" ("Commentary on ..."),
    or that ends with one after a colon, a bar or a spaced dash, the outlet's name before it
    ("...: GT editorial", "... | Opinion"); a cue inside a word ("tank-column") is none."""
    data, _ = read_data("opinion.txt")
    cues = [w.strip() for w in data.decode("utf-8").splitlines() if w.strip() and w[0] != "#"]
    alternatives = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(
        r"^\W*(?:[^\W_][\w.'’-]*\s+){0,2}?(?:" + alternatives + r")\s*(?:[:|：؛\-–—]|on\s|$)"
        r"|(?:[:|：؛]|\s[\-–—])\s*(?:[^\W_][\w.'’-]*\s+){0,2}?(?:" + alternatives + r")\W*$"
    )


def is_opinion(title: str, text: str = "") -> bool:
    """Whether a piece is an opinion piece (an editorial, a commentary, a column): its title
    announces one ("GT Editorial: ...", "KCNA Commentary on ...", "Opinion | ...", "社评：...",
    "Мнение: ...", "...: GT editorial"), or its text argues and quotes no one (`argues`)."""
    return bool(_opinion_title().search(title.casefold())) or argues(text)


def argues(text: str) -> bool:
    """Whether a text of some length argues and attributes nothing to anyone: an unsigned
    editorial or commentary whose title does not say so, not a report. Only a CRANK voice's
    opinion piece is an item of its own (`ArticleFacts.is_own_item`).

    - English: it says what should or must be, and no one "said", "told", "according to"
      ("EU sanctions on Chinese firms serve neither peace nor ...").
    - Russian, Chinese, Korean and Persian: it speaks for "us" or says what must or will be,
      twice at least, and reports no one's words (заявил, 表示, 밝혔다, گفت; Pyongyang's
      honorific report of the leader, "말씀하시였다"; a spokesman's questions and answers,
      "问：... 答：..."). Rodong Sinmun's "조로관계발전의 새로운 리정표" is one; its report of
      Kim's visit to the Russian embassy is not."""
    if len(text) < 300:
        return False
    if text[:400].isascii():
        return len(text) >= 400 and bool(_ARGUING.search(text)) and not _ATTRIBUTING.search(text)
    if _ATTRIBUTING_NATIVE.search(text):
        return False
    return len(_ARGUING_NATIVE.findall(text)) >= 2


_ARGUING = re.compile(r"\b(should|must|ought to|needs? to)\b", re.IGNORECASE)
_ATTRIBUTING = re.compile(
    r"\b(said|says|told|according to|announced|reported|stated|noted|added|quoted)\b",
    re.IGNORECASE,
)
_ARGUING_NATIVE = re.compile(
    r"должн|следует|необходимо|\b(?:мы|нам|нами|нас|наш\w*)\b"
    r"|应当|应该|必须|必将|我们"
    r"|해야|하여야|것이다|우리"
    r"|باید|\bما\b",
    re.IGNORECASE,
)
"""What an argument says in the other languages: we, ours; must, should; will surely be."""
_ATTRIBUTING_NATIVE = re.compile(
    r"заяв|сообщ|сказал|по словам|по данным|отметил|подчеркну|говорится"
    r"|表示|指出|强调|报道|问：|答："
    r"|밝혔|밝히였|말했|말하였|말씀|전했|전하였|보도|따르면|강조|언급|지적했|지적하였|시였다"
    r"|گفت|اظهار|به گزارش|افزود|تاکید|اعلام",
    re.IGNORECASE,
)
"""What a report says in the other languages: someone said, stated, stressed; according to."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ArticleFacts:
    """One stored article as the story stage sees it (pure data, built by the pipeline)."""

    id: str
    url: str | None
    outlet: str
    outlet_kind: str
    outlet_country: str | None
    published: datetime
    title: str
    relevant: bool
    score: float
    dyads: frozenset[str]
    crank: frozenset[str]
    relation: str
    topic: str
    event_type: str | None
    intensity: float
    terms: Counter[str] = field(default_factory=Counter)
    script: str = "latin"
    original: str | None = None
    """The article this one is a syndicated copy of, when it is one."""
    opinion: bool = False
    """An editorial, a commentary or a column, by its title or its text (`is_opinion`)."""
    leaders: frozenset[str] = frozenset()
    """The CRANK states whose leader the article names, as he was on its day (`leaders_named`):
    "CN" for Xi Jinping, "IR" for Pezeshkian from his inauguration, for Raisi before."""
    title_concepts: frozenset[str] = frozenset()
    """The concepts (`data/concepts.toml`) its title names, in any of the five languages
    ("treaty" for "Договор ... вступил в силу"): read by ranking, which has no text."""

    @property
    def is_crank_voice(self) -> bool:
        """State media or an official site of a CRANK state: CRANK Perspectives material."""
        return self.outlet_kind in {"state_media", "official"} and self.outlet_country in {
            "CN",
            "RU",
            "IR",
            "KP",
        }

    @property
    def is_own_item(self) -> bool:
        """A piece that is an item of its own, which news coverage never joins: a think-tank or
        journal piece (Recent Analysis), or a commentary or editorial of a CRANK state's media
        or officials (CRANK Perspectives). Each gives a view of a development, not a report of
        it, and the editor lists it apart."""
        return self.outlet_kind == "analysis" or (self.opinion and self.is_crank_voice)


def terms_of(title: str, text: str, actors: Sequence[str] = ()) -> Counter[str]:
    """Salient terms of an article with their counts (see the module docstring).

    Each term is interned (`sys.intern`): every article naming "pyongyang" holds the same string,
    not one of its own. Clustering looks terms up in story centroids and posting lists millions
    of times; with one string per term, a lookup that finds its key compares two pointers
    instead of reading both strings, and a window of 100,000 articles holds a few hundred
    thousand strings instead of ten million scattered over the heap (clustering the worst case
    of `bench/stories.py` at 100,000 articles: 39.4 s of CPU, not 46.8 s, in one pair of runs)."""
    counts: Counter[str] = Counter()
    projects, concepts = load_projects(), load_concepts()
    named: set[str] = set()
    for weight, chunk in ((2, title), (1, text[:LEAD_CHARS])):
        words = _words(chunk)
        for token in _tokens(words):
            counts[token] += weight
        named |= projects.find(words, chunk)
        # Sets come out in an order that follows the hashes, which change from one process to
        # the next; terms of equal weight keep the order they were counted in, and which of them
        # a vector keeps, or indexes, must not change with it.
        for concept in sorted(concepts.find(words, chunk)):
            counts[CONCEPT + concept] += weight
    for actor in actors:
        counts["actor:" + actor] += 2
    for project in sorted(named):
        counts["actor:PRJ." + project] += 2
    return Counter({intern(term): count for term, count in counts.items()})


def concepts_in(text: str) -> frozenset[str]:
    """The concepts (`data/concepts.toml`) that `text` names, in any of their languages
    ("treaty" for "treaty", "договор" and "条约" alike)."""
    return frozenset(load_concepts().find(_words(text), text))


def projects_in(text: str) -> set[str]:
    """The named projects, routes and sites (`data/projects.toml`) that `text` names, in any of
    their languages ("中俄东线" and "Power of Siberia" alike)."""
    return load_projects().find(_words(text), text)


def _words(chunk: str) -> list[str]:
    """The words of a chunk of text as terms and project forms read them: lower case, digits
    of every script as ASCII ones."""
    chunk = chunk.lower().translate(_DIGITS)
    if not chunk.isascii():
        if _CJK.search(chunk):
            chunk = _CJK_FIGURE.sub(" ", chunk)
        if _CYRILLIC.search(chunk):
            chunk = _SPACED_THOUSANDS.sub(_without_spaces, chunk)
    return _WORD.findall(chunk)


@dataclass(frozen=True, slots=True)
class FormIndex:
    """The forms of the named projects (`data/projects.toml`) or of the concepts
    (`data/concepts.toml`), each under its id: those written in words (Latin and Cyrillic script),
    looked up by their first word and read on word by word; those of the scripts that write no
    spaces or join particles (Chinese, Korean) and of Persian, searched as they are. A Cyrillic
    form's last word may carry up to three letters of case ending ("Туманн" in "Туманную").
    Reading words, not running one pattern of every form at every place of a text, keeps this
    to a few microseconds an article."""

    by_first: dict[str, list[tuple[tuple[str, ...], bool, str]]]
    """first word -> (the words after it, Cyrillic ending allowed, id), longest first"""
    inline: tuple[tuple[str, str], ...]
    """(form, id) of the forms searched as they are"""
    _firsts: dict[str, str | None] = field(default_factory=dict)
    """word of a text -> the first word of a form it is (`_first`), remembered"""

    def find(self, words: list[str], text: str) -> set[str]:
        """The ids of the projects or concepts named in `text`, whose words (`_words`) are
        `words`."""
        found: set[str] = set()
        firsts = self._firsts
        for i, word in enumerate(words):
            if word in firsts:
                first = firsts[word]
            else:
                first = self._first(word)
                if len(firsts) < 200_000:  # words recur across articles: judge each once
                    firsts[word] = first
            if first is None:
                continue
            for rest, ending, ident in self.by_first[first]:
                if _follows(words, i, first == word, rest, ending):
                    found.add(ident)
                    break
        if self.inline and not text.isascii():
            folded = text.lower().translate(_DIGITS)  # as the forms are
            for form, ident in self.inline:  # longest first, each taken out once found
                if form in folded:
                    found.add(ident)
                    folded = folded.replace(form, " ")
        return found

    def _first(self, word: str) -> str | None:
        """The first word of a form that `word` is, or starts with a Cyrillic ending."""
        if word in self.by_first:
            return word
        if not word.isascii() and _CYRILLIC.match(word):
            return next((stem for stem in _stems(word) if stem in self.by_first), None)
        return None


def _stems(word: str) -> tuple[str, ...]:
    """A Cyrillic word less one to three letters of ending."""
    return tuple(word[:-n] for n in (1, 2, 3) if len(word) - n >= 3)


def _follows(words: list[str], i: int, whole: bool, rest: tuple[str, ...], ending: bool) -> bool:
    """Whether the words after `words[i]` are `rest` (the last may carry a Cyrillic ending when
    `ending`). A one-word form matched on a stem (`whole` false) needs `ending`."""
    if not rest:
        return whole or ending
    if not whole or i + len(rest) >= len(words):
        return False
    for k, expected in enumerate(rest, start=i + 1):
        got = words[k]
        last = k == i + len(rest)
        if got != expected and not (
            last and ending and got.startswith(expected) and len(got) - len(expected) <= 3
        ):
            return False
    return True


@cache
def load_projects(path: Path | None = None) -> FormIndex:
    """The forms of every project of `data/projects.toml` (or `path`), in the file's order: at
    one place in a text, a project whose forms are longer wins ("Power of Siberia 2" is not also
    "Power of Siberia"). A malformed file is a `DataFileError` naming the entry."""
    return _load_forms("projects.toml", "project", path)


@cache
def load_concepts(path: Path | None = None) -> FormIndex:
    """The forms of every concept of `data/concepts.toml` (or `path`), read as projects are: a
    treaty, a ratification, a bomber, a port, sanctions, each in the five languages."""
    return _load_forms("concepts.toml", "concept", path)


def _load_forms(name: str, table: str, path: Path | None) -> FormIndex:
    data, where, _ = read_toml(name, path)
    by_first: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}
    inline: list[tuple[str, str]] = []
    seen: set[str] = set()
    for entry in data.get(table, []):
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(ident, str) or not _PROJECT_ID.fullmatch(ident) or ident in seen:
            raise DataFileError(f"{where}, {table} {ident!r}: id must be new, in a-z, 0-9 and _")
        seen.add(ident)
        forms = entry.get("forms")
        if (
            not isinstance(forms, list)
            or not forms
            or not all(isinstance(f, str) and _words(f) for f in forms)
        ):
            raise DataFileError(f"{where}, {table} {ident}: forms must be a list of names")
        for form in forms:
            folded = form.strip().lower()
            if _CJK.search(folded) or _ARABIC.search(folded):
                inline.append((folded.translate(_DIGITS), ident))
                continue
            first, *rest = _words(folded)
            ending = bool(_CYRILLIC.search(folded[-1]))
            by_first.setdefault(first, []).append((tuple(rest), ending, ident))
    for candidates in by_first.values():
        candidates.sort(key=lambda c: -len(c[0]))  # stable: the file's order among equals
    inline.sort(key=lambda f: -len(f[0]))
    return FormIndex(by_first=by_first, inline=tuple(inline))


_PROJECT_ID = re.compile(r"[a-z0-9_]+")


_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _tokens(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        term = _TERMS.get(word)
        if term is None:
            term = _term(word)
            if len(_TERMS) < 500_000:  # words recur across articles: remember each once
                _TERMS[word] = term
        if isinstance(term, list):
            out.extend(term)
        elif term:
            out.append(term)
    return out


_TERMS: dict[str, str | list[str]] = {}


def _term(word: str) -> str | list[str]:
    """The term(s) of one lowercased word; "" when it is not telling."""
    word = word.replace("’", "'")
    if _CJK.search(word):
        bigrams = [
            run[i : i + 2] for run in _CJK.findall(word) for i in range(max(1, len(run) - 1))
        ]
        # Chinese writes figures against the characters ("400亿", "25日"): without spaces they
        # came in one word with them and were lost.
        return bigrams + _figures(word)
    if not word.isascii() and _LATIN_ACCENTED.search(word):
        word = _unaccented(word)  # "Orbán" meets "Orban"
    if word[0].isdigit():
        # A figure with letters after it: "2nd" is no figure (one digit), "9M729" holds 729, and
        # in "5-year" or "2-Xi" (a wire's "UPDATE 2-" against the headline) the word after the
        # hyphen is a word.
        digits = _LEADING_FIGURE.match(word)
        if digits is None or digits.end() == len(word):
            return _figure(_plain_figure(word))
        figure = _figure(_plain_figure(digits[0].rstrip(",.")))
        rest = word[digits.end() :]
        if rest[0] != "-":  # a unit ("2nd") or a designation ("9M729" holds 729)
            after: str | list[str] = _figures(rest)
        else:
            after = _term(rest[1:]) if len(rest) > 1 else ""
        return [t for t in (figure, *([after] if isinstance(after, str) else after)) if t]
    if len(word) < 3 and not any(c.isdigit() for c in word):  # "G7" and "F-16" tell
        return ""
    if word in _stopwords():
        return ""
    stem = _stem(word)
    # A designation ("Tu-95s", "Ту-95МС", "Су-35С", "Fath-360") is spelt in each language's
    # letters, but its number is the same in all: the number is a figure of its own.
    figures = _figures(word)
    return [stem, *figures] if figures else stem


_LEADING_FIGURE = re.compile(r"\d[\d,.]*")


def _without_spaces(match: re.Match[str]) -> str:
    return "".join(match[0].split())


def _plain_figure(word: str) -> str:
    """A figure's digits as English writes them: "1,000" is 1000; "6,5", as Russian writes 6.5,
    is 6.5 (a comma before anything but groups of three digits is a decimal comma)."""
    if "," not in word:
        return word
    whole, *groups = word.split(",")
    if len(groups) == 1 and "." not in word and len(groups[0]) != 3:
        return whole + "." + groups[0]
    return word.replace(",", "")


def _figures(word: str) -> list[str]:
    """The figures inside a word of letters and digits ("Tu-95s", "400亿")."""
    return [f for run in _DIGIT_RUN.findall(word) if (f := _figure(run))]


def _figure(digits: str) -> str:
    """A figure's term ("#240"), or "" for one digit or a year: years say little; other figures
    say a lot."""
    if len(digits) >= 2 and not (len(digits) == 4 and digits[:2] in {"19", "20"}):
        return "#" + digits
    return ""


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_RUSSIAN_ENDINGS = sorted(
    [
        "иями",
        "ями",
        "ами",
        "ого",
        "его",
        "ому",
        "ему",
        "ыми",
        "ими",
        "ых",
        "их",
        "ой",
        "ей",
        "ий",
        "ый",
        "ая",
        "яя",
        "ое",
        "ее",
        "ые",
        "ие",
        "ую",
        "юю",
        "ом",
        "ем",
        "ам",
        "ям",
        "ах",
        "ях",
        "ов",
        "ев",
        "ию",
        "ия",
        "ии",
        "ью",
        "ть",
        "ла",
        "ли",
        "ло",
        "ет",
        "ут",
        "ют",
        "ит",
        "ат",
        "ят",
        "а",
        "я",
        "о",
        "е",
        "ы",
        "и",
        "у",
        "ю",
        "ь",
    ],
    key=len,
    reverse=True,
)
"""Inflectional endings of Russian nouns, adjectives and verbs, longest first: a Russian word
takes a dozen forms ("Аляска", "Аляски", "Аляске"), and two reports of one development rarely
use the same ones."""


_LATIN_ACCENTED = re.compile(r"[\u00c0-\u024f]")


def _unaccented(word: str) -> str:
    """Latin letters without their accents; other scripts untouched (Cyrillic "й" stays)."""
    out = []
    for char in word:
        if "\u00c0" <= char <= "\u024f":
            char = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
        out.append(char)
    return "".join(out)


def _stem(word: str) -> str:
    """A light stem so "drone" meets "drones" and "signed" meets "signs" (and, in Russian,
    "патрулирование" meets "патрулирования")."""
    if _CYRILLIC.match(word):
        for ending in _RUSSIAN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                return word[: -len(ending)]
        return word
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in ("ies", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    if word.endswith(("ses", "xes", "zes", "ches", "shes")) and len(word) >= 6:
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) >= 5:
        return word[:-1]
    return word


_SCRIPTS = (
    ("cjk", re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")),
    ("hangul", re.compile(r"[\uac00-\ud7af]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("arabic", re.compile(r"[\u0600-\u06ff]")),
)


def script_of(text: str) -> str:
    """The writing system of a text, judged on its first 200 characters: articles in different
    scripts share no words, only actors and figures."""
    sample = text[:200]
    if sample.isascii():
        return "latin"
    counts = {name: len(pattern.findall(sample)) for name, pattern in _SCRIPTS}
    name, count = max(counts.items(), key=lambda kv: kv[1])
    return name if count * 4 >= len(sample.replace(" ", "")) and count else "latin"


def is_specific(term: str) -> bool:
    """A term that means the same in every language and tells developments apart: the id of a
    person, institution or place, a figure, or a concept (`CONCEPT`). A state's id (`actor:RU`,
    two letters) is in nearly every report of every development, so it is not one."""
    if term.startswith(("#", CONCEPT)):
        return True
    return term.startswith("actor:") and len(term) != 8


def facts_from_row(row: Mapping[str, Any]) -> ArticleFacts:
    """Facts from one row of the store's story inputs (article, outlet, coding, copy link,
    actor ids). A row read without its text (text None) gets no terms: describing and ranking
    need none, only clustering and novelty do."""
    published = row["published"]
    text = row.get("text", "")  # None: read without its text, so without terms
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    headline = clean_headline(row.get("title") or "", (row["outlet"],))
    terms = terms_of(headline, text, row.get("actors") or ()) if text is not None else Counter()
    return ArticleFacts(
        id=row["id"],
        url=row.get("url"),
        outlet=row["outlet"],
        outlet_kind=row.get("outlet_kind") or "unknown",
        outlet_country=row.get("outlet_country"),
        published=published,
        title=row.get("title") or "",
        relevant=bool(row["relevant"]),
        score=float(row.get("score") or 0.0),
        dyads=frozenset(row.get("dyads") or ()),
        crank=frozenset(row.get("crank") or ()),
        relation=row.get("relation") or "none",
        topic=row.get("topic") or "other",
        # The cues' reading (`CodedArticle.cue_event`), which reports of one development share
        # more often than the event model's; a coding stored before it was kept has only the
        # one.
        event_type=row.get("cue_event") or row.get("event_type"),
        intensity=float(row.get("intensity") or 0.0),
        # The title as the story headline shows it: a wire's kicker ("UPDATE 2-", "(LEAD)") or an
        # outlet's name after it says nothing of the development, and "UPDATE 2-Xi" was a figure.
        terms=terms,
        script=script_of((row.get("title") or "") + " " + (text or "")),
        original=row.get("original_id"),
        opinion=is_opinion(row.get("title") or "", text or ""),
        leaders=leaders_named(row.get("actors") or (), published.date()),
        # The title's concepts are among the terms already when the text was read (counted 2 for
        # the title, 1 for the lead: `terms_of`); ranking reads facts without it.
        title_concepts=frozenset(
            term.removeprefix(CONCEPT)
            for term, count in terms.items()
            if count >= 2 and term.startswith(CONCEPT)
        )
        if text is not None
        else concepts_in(headline),
    )


LEADER_TITLES = frozenset({"President", "Supreme Leader", "General Secretary"})
"""The posts that make a CRANK state's leader: its president, Iran's Supreme Leader, and the
general secretary of China's and North Korea's ruling parties."""


@cache
def _leader_roles() -> dict[str, tuple[str, tuple[Role, ...]]]:
    """Per person of a CRANK state who ever held a leader's post, the state and those posts."""
    out = {}
    for actor in shipped_gazetteer().actors.values():
        roles = tuple(r for r in actor.roles if r.title in LEADER_TITLES)
        if actor.type == "person" and actor.country in CRANK_STATES and roles:
            out[actor.id] = (actor.country, roles)
    return out


def leaders_named(actors: Sequence[str], day: date) -> frozenset[str]:
    """The CRANK states whose leader on `day` is among `actors` (actor ids): a meeting of two
    leaders is reported under many headlines, all of which name both."""
    roles = _leader_roles()
    out = set()
    for actor in actors:
        held = roles.get(actor)
        if held is not None and any(r.holds_on(day) for r in held[1]):
            out.add(held[0])
    return frozenset(out)
