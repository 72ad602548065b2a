"""Extractive, cited summaries of a story: the paragraphs of a highlight and the line of a link.

1. Candidates: the sentences of the story's English source articles (syndicated copies left out
   when their original is there), datelines stripped, without questions, fragments under 6 or
   over 60 words, boilerplate, bylines and URLs.
2. Facts: candidates that say the same thing across outlets (`rewrite.similar`) collapse into one
   fact, quoted from the best-placed article and citing every article that carries it.
3. Scores: how central the fact's words are to the story, what it adds (figures, dates, actors,
   the actors' own words), how many outlets carry it, and how high it stands in its article.
4. Selection (highlights): the lead fact first, then facts that add new words, across outlets,
   until about 230 words (never over 350); where outlets give different figures for the same
   thing, the other figure joins too. A sentence that leans on the one before it in its article
   ("But ...", "They ...", a bare quotation) is taken only together with that sentence.
5. Order: the event, then detail, then context, then reactions and quotes, in up to three
   paragraphs; "He"/"She" is resolved to the name unless the sentence before it in the issue is
   its own predecessor or opens with the same person.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from crankcall.analyze.text import sentences
from crankcall.compose.headline import actors_named
from crankcall.compose.rewrite import (
    SHARED,
    compound_subject,
    is_boilerplate,
    named_in,
    pronoun_of,
    resolve_pronoun,
    similar,
    strip_dateline,
    subject_name,
    tokens,
    trim_clause,
)
from crankcall.compose.vocabulary import (
    ATTRIBUTION_CUES,
    BACK_REFERENCE,
    CONTEXT_MARKERS,
    DEICTIC,
    FEATURE_START,
    FIRST_PERSON,
    LEANING_STARTS,
    MONTHS,
    PREVIEW,
    PRONOUN_SPEAKER,
    REACTION_CUES,
    REPORTING_VERB,
    SPEECH_GOES_ON,
    WEEKDAYS,
)
from crankcall.models import Article, Sentence, StoryBundle

log = logging.getLogger(__name__)

MIN_SENTENCE_WORDS = 6
MAX_SENTENCE_WORDS = 60
HIGHLIGHT_MIN_WORDS = 120
HIGHLIGHT_TARGET_WORDS = 230
HIGHLIGHT_MAX_WORDS = 350
LINK_MIN_WORDS = 20
LINK_MAX_WORDS = 45
_MAX_PER_ARTICLE = 4
MAX_SOURCES = 40  # articles read per story: enough for every view, bounded for huge stories
_MIN_NOVELTY = 0.5  # share of a sentence's content words not yet in the highlight
_ENDING = re.compile(r"[.!][\"'”’)]*$")
_LABEL = re.compile(r"^[A-Z][\w ]{0,20}:\s")
_QUOTE_START = re.compile(r"^[\"“‘']")
_FIGURE = re.compile(r"\b(\d[\d,.]*)\s*(%|per cent|percent|[a-z]+)")
_YEAR = re.compile(r"^(19|20)\d\d$")
_MONTH_DAY = re.compile(
    r"\b(?:"
    + "|".join(m.title() for m in MONTHS)
    + r"|Aug\.|Sept?\.)\s+\d{1,2}\b|\b\d{1,2} ("
    + "|".join(m.title() for m in MONTHS)
    + r")\b"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence of a source article that may be quoted."""

    article: Article
    order: int  # the article's place among the story's sources (0 = representative)
    position: int  # the sentence's place in its article
    first: bool  # the first quotable sentence of its article (its lead)
    text: str  # the sentence, dateline stripped
    resolved: str | None  # the sentence with "He"/"She" replaced by the name, when safe
    name: str | None  # that name
    leaning: bool  # leans on the previous sentence of its article
    words: frozenset[str]
    stems: frozenset[str]  # `words`, a plural and its singular as one (`_stems`)

    @property
    def size(self) -> int:
        """Length in words."""
        return len(self.text.split())


@dataclass(slots=True, eq=False)
class Fact:
    """Near-duplicate candidates from several articles: one thing the story's sources say."""

    members: list[Candidate]
    score: float = 0.0
    outlets: list[str] = field(default_factory=list)

    @property
    def lead(self) -> Candidate:
        """The candidate quoted."""
        return self.members[0]

    @property
    def article_ids(self) -> tuple[str, ...]:
        """Every article carrying the fact, best placed first, each once."""
        return tuple(dict.fromkeys(c.article.id for c in self.members))


def sources(bundle: StoryBundle) -> list[Article]:
    """The story's articles that may be quoted: English, with text, and not a copy of another
    member (a copy never counts as independent support). A very large story is read from its
    first article of each outlet, then the rest in order, up to `MAX_SOURCES`."""
    members = {a.id for a in bundle.articles}
    quotable = [
        a
        for a in bundle.articles
        if a.text.strip() and _english(a) and bundle.copies.get(a.id) not in members
    ]
    if len(quotable) <= MAX_SOURCES:
        return quotable
    firsts: dict[str, Article] = {}
    for article in quotable:
        firsts.setdefault(article.outlet, article)
    chosen = {a.id for a in firsts.values()}
    return [*firsts.values(), *(a for a in quotable if a.id not in chosen)][:MAX_SOURCES]


def _english(article: Article) -> bool:
    if article.language is not None:
        return article.language.lower().startswith("en")
    letters = [ch for ch in article.text[:2000] if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) / len(letters) >= 0.9


def candidates(articles: Sequence[Article]) -> list[Candidate]:
    """The quotable sentences of `articles`, in article order then sentence order."""
    found: list[Candidate] = []
    for order, article in enumerate(articles):
        spans = [s.text for s in sentences(article.text)]
        first = True
        for position, source in enumerate(spans):
            text = strip_dateline(source)
            if not usable(text):
                continue
            previous = spans[position - 1] if position else None
            resolved = resolve_pronoun(text, previous)
            if resolved is None and pronoun_of(text) and previous and compound_subject(previous):
                continue  # "He said ..." after "Li Qiang and Mikhail Mishustin met": which one?
            name = subject_name(previous) if resolved and previous else None
            words = tokens(text)
            found.append(
                Candidate(
                    article=article,
                    order=order,
                    position=position,
                    first=first,
                    text=text,
                    resolved=resolved,
                    name=name,
                    leaning=resolved is None
                    and (leans(text) or goes_on(text, previous) or named_in(text, previous)),
                    words=words,
                    stems=_stems(words),
                )
            )
            first = False
    return found


def usable(text: str) -> bool:
    """Whether a sentence may be quoted at all: a full declarative sentence of 6 to 60 words,
    not boilerplate, a byline, a URL, a labelled line ("Question: ...") or a sentence that
    points at its dateline or date ("here", "Today")."""
    size = len(text.split())
    return (
        MIN_SENTENCE_WORDS <= size <= MAX_SENTENCE_WORDS
        and "?" not in text
        and bool(_ENDING.search(text))
        and (text[:1].isupper() or bool(_QUOTE_START.match(text)))
        and not _LABEL.match(text)
        and not DEICTIC.search(text)
        and not is_boilerplate(text)
    )


def leans(text: str) -> bool:
    """Whether a sentence needs the one before it: it opens with a connector or pronoun, its
    speaker is a pronoun ("..., he said"), or it is a quotation that does not name its speaker."""
    first = text.split()[0].strip("\"“‘'(,").lower()
    if first in LEANING_STARTS or PRONOUN_SPEAKER.search(text) or BACK_REFERENCE.match(text):
        return True
    if FIRST_PERSON.search(text) and not _is_quote(text):
        return True
    if _QUOTE_START.match(text):
        return not ({w.strip(',."”’').lower() for w in text.split()} & ATTRIBUTION_CUES)
    return False


def goes_on(text: str, previous: str | None) -> bool:
    """Whether a sentence without a speaker likely continues the reported speech of the
    sentence before it in its article."""
    return (
        previous is not None
        and bool(REPORTING_VERB.search(previous))
        and not REPORTING_VERB.search(text)
        and bool(SPEECH_GOES_ON.search(text))
    )


def facts(found: Sequence[Candidate]) -> list[Fact]:
    """Candidates collapsed into facts: near-duplicates across articles join one fact."""
    grouped: list[Fact] = []
    # The facts whose lead holds each word: a candidate is compared only with those that
    # share one of its words, where every fact it could join is (`_near`). Comparing it with
    # every fact took time growing with the square of the sentences, a minute for one long
    # transcript.
    holding: dict[str, list[int]] = {}
    for candidate in found:
        for index in _near(candidate.words, holding):
            fact = grouped[index]
            if candidate.article.id not in fact.article_ids and similar(
                candidate.words, fact.lead.words
            ):
                fact.members.append(candidate)
                break
        else:
            for word in candidate.words:
                holding.setdefault(word, []).append(len(grouped))
            grouped.append(Fact(members=[candidate]))
    for fact in grouped:
        standalone = [c for c in fact.members if not c.leaning]
        if standalone and fact.lead.leaning:
            fact.members.remove(standalone[0])
            fact.members.insert(0, standalone[0])
        fact.outlets = list(dict.fromkeys(c.article.outlet for c in fact.members))
    _score(grouped)
    return grouped


def _near(words: frozenset[str], holding: Mapping[str, list[int]]) -> list[int]:
    """The facts, in order, whose lead holds one of `words` among the few that any sentence
    `similar` to them must share: a lead sharing 70% of the words lacks at most the rest, so it
    holds one of any `len(words) - floor(0.7 * len(words)) + 1` of them (those held by the fewest
    facts are taken)."""
    if not words:
        return []
    enough = len(words) - math.floor(SHARED * len(words)) + 1
    rarest = sorted(words, key=lambda w: len(holding.get(w, ())))[:enough]
    return sorted({index for word in rarest for index in holding.get(word, ())})


def unprinted(found: list[Fact], printed: Sequence[frozenset[str]]) -> list[Fact]:
    """The facts that do not repeat a sentence already in the issue."""
    return [f for f in found if not any(similar(f.lead.words, p) for p in printed)]


def _score(grouped: Sequence[Fact]) -> None:
    by_article: dict[str, set[str]] = {}
    for fact in grouped:
        for member in fact.members:
            by_article.setdefault(member.article.id, set()).update(member.words)
    spread: Counter[str] = Counter(w for words in by_article.values() for w in words)
    total = max(len(by_article), 1)
    for fact in grouped:
        lead = fact.lead
        central = sum(spread[w] / total for w in lead.words) / (len(lead.words) + 4)
        fact.score = (
            2.0 * central
            + 0.15 * min(_figures(lead.text), 3)
            + (0.2 if _has_date(lead.text) else 0.0)
            + 0.15 * actors_named(lead.text)
            + (0.25 if _is_quote(lead.text) else 0.0)
            + 0.15 * min(len(fact.outlets) - 1, 3)
            + 0.4 / (1 + min(c.position for c in fact.members))
            + (0.3 if any(c.first for c in fact.members) else 0.0)
            - (0.3 if PREVIEW.search(lead.text) else 0.0)
        )


def _figures(text: str) -> int:
    return sum(1 for m in _FIGURE.finditer(text) if not _YEAR.match(m.group(1)))


def _has_date(text: str) -> bool:
    lowered = text.lower()
    return bool(_MONTH_DAY.search(text)) or any(d in lowered for d in WEEKDAYS)


def _is_quote(text: str) -> bool:
    return any(q in text for q in '"“”')


def _figure_keys(text: str) -> dict[str, str]:
    return {
        m.group(2).lower(): m.group(1).rstrip(".,")
        for m in _FIGURE.finditer(text)
        if not _YEAR.match(m.group(1))
    }


class Selection:
    """The facts chosen for a highlight, with what they cover; grows one fact at a time."""

    def __init__(self, lead: Fact, *, per_article: int) -> None:
        self.facts: list[Fact] = [lead]
        self.max_per_article = per_article
        self.covered: set[str] = set(lead.lead.stems)
        self.words = lead.lead.size
        self.per_article: Counter[str] = Counter({lead.lead.article.id: 1})

    def novelty(self, fact: Fact) -> float:
        """Share of the fact's words not yet covered, a plural and its singular being one word
        ("radars", "radar"); a figure counts as three words."""
        words = fact.lead.stems
        weight = {w: 3 if any(ch.isdigit() for ch in w) else 1 for w in words}
        new = sum(weight[w] for w in words - self.covered)
        return new / max(sum(weight.values()), 1)

    def allows(self, fact: Fact, *, other_figure: bool = False) -> bool:
        """Whether the fact may join: within the word limit; new enough and not one article's
        fifth sentence (unless other outlets carry it too), except when it gives
        `other_figure` for something already told; and, when it leans on its predecessor, with
        that predecessor already chosen."""
        lead = fact.lead
        if fact in self.facts or self.words + lead.size > HIGHLIGHT_MAX_WORDS:
            return False
        # The cap keeps one article from telling the whole story; a fact several outlets carry
        # is not one article's telling.
        capped = len(fact.article_ids) == 1 and (
            self.per_article[lead.article.id] >= self.max_per_article
        )
        # Another outlet's figure for something already told adds few new words, and belongs
        # in however many sentences its article already gives.
        if not other_figure and (capped or self.novelty(fact) < _MIN_NOVELTY):
            return False
        return not lead.leaning or self.predecessor(fact) is not None

    def predecessor(self, fact: Fact) -> Fact | None:
        """The chosen fact quoted from the sentence before this one in the same article."""
        lead = fact.lead
        for chosen in self.facts:
            other = chosen.lead
            if other.article.id == lead.article.id and other.position == lead.position - 1:
                return chosen
        return None

    def add(self, fact: Fact) -> None:
        """Choose the fact."""
        self.facts.append(fact)
        self.covered.update(fact.lead.stems)
        self.words += fact.lead.size
        self.per_article[fact.lead.article.id] += 1


def _stems(words: frozenset[str]) -> frozenset[str]:
    """Content words with a plural ending dropped, so that a sentence repeating another in the
    singular ("supplying Iran with radar" after "delivering radars to Iran") adds nothing new."""
    return frozenset(_stem(w) for w in words)


def _stem(word: str) -> str:
    if len(word) <= 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1]


def highlight_paragraphs(
    bundle: StoryBundle, *, printed: Sequence[frozenset[str]] = ()
) -> list[list[Sentence]] | None:
    """One to three cited paragraphs (120 to 350 words) about the story, or None when its
    sources do not hold enough quotable text. Facts near-duplicating a sentence already
    `printed` in the issue (as `rewrite.tokens`) are left out."""
    quoted = sources(bundle)
    found = unprinted(facts(candidates(quoted)), printed)
    leads = [f for f in found if not f.lead.leaning and any(c.first for c in f.members)]
    if not leads:
        return None
    lead = max(leads, key=lambda f: f.score + (0.3 if f.lead.order == 0 else 0.0))
    # One article may give at most four sentences when others can give the rest.
    selection = Selection(lead, per_article=_MAX_PER_ARTICLE if len(quoted) > 1 else 1000)
    # 1. Facts that add the most, until the target length.
    while selection.words < HIGHLIGHT_TARGET_WORDS:
        best = _best_addition(selection, found)
        if best is None:
            break
        selection.add(best)
    # 2. Where another outlet gives a different figure for the same thing, include it too.
    _add_disagreements(selection, found)
    if selection.words < HIGHLIGHT_MIN_WORDS:
        log.info("story %s: only %d quotable words", bundle.story.id, selection.words)
        return None
    return _paragraphs(selection)


def _best_addition(selection: Selection, found: Sequence[Fact]) -> Fact | None:
    outlets = {o for f in selection.facts for o in f.outlets}
    best: tuple[float, Fact] | None = None
    for fact in found:
        if not selection.allows(fact):
            continue
        value = fact.score * (0.4 + selection.novelty(fact))
        if not set(fact.outlets) <= outlets:
            value += 0.2
        if fact.lead.leaning:
            value += 0.1  # it continues a sentence already chosen
        if best is None or value > best[0]:
            best = (value, fact)
    return best[1] if best else None


def _add_disagreements(selection: Selection, found: Sequence[Fact]) -> None:
    for chosen in list(selection.facts):
        figures = _figure_keys(chosen.lead.text)
        if not figures:
            continue
        for fact in found:
            other = _figure_keys(fact.lead.text)
            differs = any(k in figures and figures[k] != v for k, v in other.items())
            others = not set(fact.outlets) & set(chosen.outlets)
            if differs and others and selection.allows(fact, other_figure=True):
                selection.add(fact)


# Stages: 0 the event (the lead), 1 detail, 2 context, 3 reactions and quotes.
_PARAGRAPH_OF_STAGE = {0: 0, 1: 0, 2: 1, 3: 2}


def _stage(fact: Fact, lead: Fact) -> int:
    if fact is lead:
        return 0
    lowered = fact.lead.text.lower()
    if _is_quote(fact.lead.text) or any(cue in lowered for cue in REACTION_CUES):
        return 3
    if any(marker in lowered for marker in CONTEXT_MARKERS):
        return 2
    return 1


def _paragraphs(selection: Selection) -> list[list[Sentence]]:
    lead = selection.facts[0]
    followers: dict[int, list[Fact]] = {}
    heads: list[Fact] = []
    for fact in selection.facts:
        before = selection.predecessor(fact) if fact.lead.leaning else None
        if before is None:
            heads.append(fact)
        else:
            followers.setdefault(id(before), []).append(fact)
    heads.sort(key=lambda f: (_stage(f, lead), f.lead.order, f.lead.position))
    groups: dict[int, list[Fact]] = {}
    for head in heads:
        paragraph = _PARAGRAPH_OF_STAGE[_stage(head, lead)]
        groups.setdefault(paragraph, []).extend(_chain(head, followers))
    merged: list[list[Fact]] = []
    for group in (groups[k] for k in sorted(groups)):
        if merged and sum(f.lead.size for f in group) < 30:
            merged[-1].extend(group)  # too short to stand as a paragraph
        else:
            merged.append(group)
    # With fewer than three paragraphs, a long one splits near its middle: after the event and
    # its first details, say.
    for i, group in enumerate(merged):
        cut = _chain_boundary(group, len(group) // 2)
        if len(merged) < 3 and len(group) >= 6 and cut < len(group):
            merged[i : i + 1] = [group[:cut], group[cut:]]
            break
    return _texts(merged)


def _chain_boundary(group: Sequence[Fact], near: int) -> int:
    """The index nearest `near` where a new paragraph may start: not inside a chain of a
    sentence and the ones that lean on it."""
    starts = [i for i in range(1, len(group)) if not group[i].lead.leaning]
    return min(starts, key=lambda i: abs(i - near)) if starts else len(group)


def _chain(head: Fact, followers: dict[int, list[Fact]]) -> list[Fact]:
    chain = [head]
    for follower in sorted(followers.get(id(head), []), key=lambda f: f.lead.position):
        chain.extend(_chain(follower, followers))
    return chain


def _texts(groups: Sequence[Sequence[Fact]]) -> list[list[Sentence]]:
    paragraphs: list[list[Sentence]] = []
    previous: Candidate | None = None
    for group in groups:
        paragraph: list[Sentence] = []
        for fact in group:
            lead = fact.lead
            paragraph.append(Sentence(text=_wording(lead, previous), articles=fact.article_ids))
            previous = lead
        paragraphs.append(paragraph)
    return paragraphs


def _wording(candidate: Candidate, previous: Candidate | None) -> str:
    """The sentence as printed: "He"/"She" stays only right after its own predecessor or after
    a sentence that opens with the same person alone; otherwise the name replaces it."""
    if candidate.resolved is None or candidate.name is None or previous is None:
        return candidate.resolved or candidate.text
    follows = (
        previous.article.id == candidate.article.id and previous.position == candidate.position - 1
    )
    # "Li Qiang and Mikhail Mishustin co-chaired ..." opens with Li Qiang, but a "He" after it
    # could be either.
    same_subject = subject_name(previous.text) == candidate.name and not compound_subject(
        previous.text
    )
    return candidate.text if follows or same_subject else candidate.resolved


def link_sentence(
    bundle: StoryBundle, *, printed: Sequence[frozenset[str]] = ()
) -> Sentence | None:
    """The one cited sentence (20 to 45 words) that best tells the story and is not a
    near-duplicate of one already `printed`, or None."""
    found = unprinted(facts(candidates(sources(bundle))), printed)
    options: list[tuple[float, str, Fact]] = []
    for fact in found:
        lead = fact.lead
        if lead.leaning:
            continue
        for text in _link_forms(lead):
            size = len(text.split())
            fits = LINK_MIN_WORDS <= size <= LINK_MAX_WORDS
            value = (
                fact.score
                + (3.0 if fits else 0.0)
                + (0.6 if _MONTH_DAY.search(text) else 0.0)
                + (0.3 if any(d in text.lower() for d in WEEKDAYS) else 0.0)
                + 0.2 * actors_named(text)
                + (0.2 if actors_named(text) >= 2 else 0.0)  # the newsletter is about pairs
                - (0.5 if FEATURE_START.match(text) else 0.0)
                + (0.5 if lead.first else 0.0)
                + (0.3 if lead.order == 0 else 0.0)
                - (0.2 if text != lead.text else 0.0)
            )
            options.append((value, text, fact))
    if not options:
        return None
    _, text, fact = max(options, key=lambda o: o[0])
    return Sentence(text=text, articles=fact.article_ids)


def _link_forms(candidate: Candidate) -> list[str]:
    base = candidate.resolved or candidate.text
    if pronoun_of(base) is not None:
        return []  # a link stands alone: an unresolved "He" cannot
    return [base, *trim_clause(base)]
