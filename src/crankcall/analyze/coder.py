"""The coder: from an article's title and text to relevance, dyads, relation, event type, topic
and intensity, with the evidence and the rules behind every decision.

1. Split into sentences (the title is sentence 0) and find actor mentions; an article naming
   fewer than two CRANK states (and no group name in its headline) stops here, not relevant.
2. Collect evidence per pair of CRANK states: sentences naming both (not in a bare list, a
   comparison, or different clauses; a city where leaders meet is a venue, not a party), and
   sentences naming one with "the two sides"/"bilateral" when the title or the sentence before
   names the other.
3. Match relation cues in evidence sentences, with negation, denial and hedging judged from the
   words just before each cue, and friction weakened when an outside state is in the sentence.
4. Keep the pairs with enough evidence as dyads; the relation of each from its cues
   (`analyze.relation`: `mixed` when both kinds carry weight, a one-sided headline leading).
5. An outside response (an outsider's measure leading the article, a CRANK government's answer
   to one, or a response to the group) replaces the dyads: relevant, relation `none`.
6. Topic from weighted keywords, event type and intensity from the strongest cues, and a
   relevance score in 0..1 that grows with the evidence.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import fields
from datetime import date
from itertools import pairwise
from json.encoder import encode_basestring as _json_text  # what json.dumps uses for strings

from crankcall import __version__
from crankcall.analyze.actors import ActorFinder, Found
from crankcall.analyze.cuesearch import CueSearch
from crankcall.analyze.gazetteer import Gazetteer
from crankcall.analyze.lexicon import Context, Lexicon, TopicTerm, phrase_matches
from crankcall.analyze.relation import (
    Hit,
    Pair,
    SentenceContext,
    article_relation,
    best_event,
    event_and_intensity,
    first_hit,
    relation_and_reason,
    relevance_score,
)
from crankcall.analyze.scanner import (
    OTHER_SCRIPTS,
    CueScanner,
    PatternScanner,
    Scan,
    TopicScanner,
    ascii_stand_in,
)
from crankcall.analyze.text import Span, sentences
from crankcall.models import (
    CRANK_STATES,
    CodedArticle,
    Evidence,
    Interaction,
    Mention,
    dyad_of,
)

_CRANK = frozenset(CRANK_STATES)
_WORD = re.compile(r"\w+")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_TOPIC_LEAD = 2000  # characters of a document read for its topic, besides evidence sentences
_TITLE, _EVIDENCE = 3.0, 2.0  # how much the headline and evidence sentences weigh for the topic
# With no subject in the headline, a body topic holding less than this share of the subject
# scores makes the story one about the relationship: diplomacy.
_SPREAD = 0.4
_PROGRAMME = 3.0  # topic keywords of a missile programme weigh this much; missiles as such less
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN = re.compile(r"[^\W\d_\u0000-\u024f]")


class Coder:
    """A rule coder over one gazetteer and lexicon; stateless between articles."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.finder = ActorFinder(gazetteer)
        self.scanner = CueScanner(lexicon.cues)
        self.topic_scanner = TopicScanner.build(lexicon.topics.terms)
        self.version = f"rules-{__version__}+{lexicon.version}+{gazetteer.digest}"
        self._places = frozenset(a.id for a in gazetteer.actors.values() if a.type == "place")
        # Actors that act (not places): outside ones among them are "outsiders".
        self._actors_acting = frozenset(
            key
            for key, actor in gazetteer.actors.items()
            if actor.type in {"state", "institution", "organization", "person"}
        )
        # Context patterns and cues found in one Hyperscan pass over a sentence: the sentence is
        # searched with `re` only for the patterns that may match in it.
        names = [f.name for f in fields(Context)]
        self._context: dict[str, tuple[int, re.Pattern[str]]] = {
            name: (i, getattr(lexicon.context, name)) for i, name in enumerate(names)
        }
        # Cue patterns each on their own, so that `re` searches only those of a cue that may
        # match (`CueSearch`).
        self.cue_search = CueSearch(lexicon.cues, offset=len(names))
        self.patterns = PatternScanner(
            [getattr(lexicon.context, name) for name in names] + self.cue_search.patterns
        )
        self._two_sides = PatternScanner([lexicon.context.two_sides], whole=True)

    def code(
        self, *, id: str, title: str, text: str, published: date | None = None
    ) -> CodedArticle:
        """Code one article (title and/or text)."""
        document = f"{title}\n\n{text}" if title and text else (title or text)
        spans = sentences(document)
        stand_in = ascii_stand_in(document).encode("ascii")
        found = self.finder.find(document, spans, stand_in=stand_in)
        rules: list[str] = []
        states = {f.country for f in found if f.country in _CRANK}
        ctx = self.lexicon.context
        if len(states) < 2 and not (spans and ctx.group_name.search(spans[0].text)):
            # No pair to code, no group named: only the topic is left to say.
            return self._unpaired(id, document, stand_in, spans, found, states, rules)
        scan = self.patterns.scan(document, stand_in)
        # A city where leaders meet is a venue, not a party ("Xi met Pezeshkian in Kazan").
        venues: dict[int, bool] = {}
        for f in found:
            if f.actor in self._places and f.sentence not in venues:
                venues[f.sentence] = bool(ctx.venue.search(spans[f.sentence].text))
        if venues:
            found = [f for f in found if f.actor not in self._places or not venues[f.sentence]]
        by_sentence, outside_starts, named = self._tables(document, found)
        pairs = self._pairs(document, spans, found, by_sentence, rules, scan)
        hits = self._cue_hits(spans, by_sentence, pairs, outside_starts, named, scan)
        self._background(spans, hits, published, rules, scan)
        turn_open = ctx.turn_open
        for pair in pairs.values():
            pair.turns = {i for i in pair.sentences if self._search(scan, "contrast", spans[i])}
            pair.opens = {i for i in pair.sentences if i > 0 and turn_open.match(spans[i].text)}
        dyads = (
            self._dyads(pairs, len(spans), rules, latin=_mostly_latin(document)) if pairs else {}
        )
        if self._outside_lead(spans, found, rules) or self._group_headline(
            document, spans, dyads, rules
        ):
            dyads = {}
            group = True
        else:
            group = not dyads and self._group_response(document, spans, by_sentence, rules)
        if len(dyads) == 1 and spans:
            self._headline_cues(next(iter(dyads.values())), document, spans, stand_in, found, rules)
        relations = {}
        for dyad, pair in sorted(dyads.items()):
            relations[dyad], reason = relation_and_reason(pair)
            rules.append(f"relation {dyad}: {relations[dyad]}, {reason}")
        relation = article_relation(relations)
        crank = sorted(states)
        used = sorted({s for pair in dyads.values() for s in pair.sentences})
        topic = self._topic(document, stand_in, spans, used, rules, response=group)
        sanction = [h.sentence for h in hits if h.cue.id.startswith("sanction")]
        if group and sanction and (min(sanction) <= 1 or topic == "diplomacy"):
            topic = "sanctions"  # the outsider's measure, in the lead, is a sanction
        elif not topic:  # no keyword: the office of who is named, else diplomacy
            topic = (
                self._office_topic(found, published, rules) or "diplomacy"
                if dyads or group
                else "other"
            )
        event, intensity = event_and_intensity(dyads, hits, group, relation)
        score = relevance_score(dyads, group, found)
        relevant = bool(dyads) or group
        evidence_spans = [spans[i] for i in used] or (
            [spans[i] for i in sorted(by_sentence) if len(by_sentence[i] & _CRANK) >= 2][:3]
            if group
            else []
        )
        evidence = tuple(
            Evidence(text=s.text, start=s.start, end=s.end) for s in evidence_spans[:6]
        )
        interactions = tuple(
            Interaction(
                article_id=id,
                dyad=dyad,
                relation=relations[dyad],
                event_type=best_event(pair.distinct, distinct=True) or "CONSULT",
                topic=topic,
                intensity=intensity,
                confidence=round(score, 3),
                evidence=tuple(
                    Evidence(text=spans[i].text, start=spans[i].start, end=spans[i].end)
                    for i in sorted(pair.sentences)[:4]
                ),
                coder_version=self.version,
            )
            for dyad, pair in sorted(dyads.items())
        )
        return CodedArticle(
            id=id,
            relevant=relevant,
            score=round(score, 4),
            crank=tuple(crank),
            dyads=tuple(sorted(dyads)),
            relation=relation if dyads else "none",
            topic=topic,
            event_type=event if relevant else None,
            intensity=intensity if relevant else 0.0,
            actors=_mentions(found),
            evidence=evidence if relevant else (),
            interactions=interactions,
            rules=tuple(rules),
            coder=self.version,
        )

    def _search(self, scan: Scan, name: str, span: Span) -> re.Match[str] | None:
        """`re.search` of context pattern `name` in a sentence, skipped when the sentence's scan
        says it cannot match there."""
        index, pattern = self._context[name]
        if not scan.within(index, span.start, span.end):
            return None
        return pattern.search(span.text)

    def _office_topic(
        self, found: list[Found], published: date | None, rules: list[str]
    ) -> str | None:
        """The topic of the office a person named in the headline held on the article's day
        ("Belousov in Pyongyang": military), when the lexicon gives one."""
        if published is None:
            return None
        for mention in found:
            if mention.sentence != 0:
                break
            actor = self.gazetteer.actors.get(mention.actor)
            if actor is None or actor.type != "person":
                continue
            for title in actor.roles_on(published):
                topic = self.lexicon.offices.get(title)
                if topic:
                    rules.append(f"topic {topic}: {mention.text}, {title}")
                    return topic
        return None

    def _headline_cues(
        self,
        pair: Pair,
        document: str,
        spans: list[Span],
        stand_in: bytes,
        found: list[Found],
        rules: list[str],
    ) -> None:
        """The headline says what the story is about even when it names one state of the
        article's only dyad, or none ("Siberian scientist charged with treason over leak to
        China"): its cues join the pair's, as headline cues, for the relation only."""
        if 0 in pair.sentences:
            return
        title = spans[0]
        outsider = self._outside_starts(document, [f for f in found if f.sentence == 0]).get(0)
        added = []
        for cue in self.scanner.candidates(title.text, stand_in[title.start : title.end]):
            if cue.scope != "pair":
                continue
            hit = first_hit(cue, title, 0, outsider=outsider, ctx=self.lexicon.context)
            if hit is not None:
                added.append(hit)
        if added:
            pair.hits += added
            if self.lexicon.context.contrast.search(title.text):
                pair.turns.add(0)
            rules.append("s0: headline cues " + ", ".join(h.cue.id for h in added))

    def _unpaired(
        self,
        id: str,
        document: str,
        stand_in: bytes,
        spans: list[Span],
        found: list[Found],
        states: set[str],
        rules: list[str],
    ) -> CodedArticle:
        """The coding of an article naming fewer than two CRANK states: not relevant."""
        return CodedArticle(
            id=id,
            relevant=False,
            score=round(relevance_score({}, False, found), 4),
            crank=tuple(sorted(states)),
            dyads=(),
            relation="none",
            topic=self._topic(document, stand_in, spans, [], rules) or "other",
            event_type=None,
            intensity=0.0,
            actors=_mentions(found),
            evidence=(),
            interactions=(),
            rules=tuple(rules),
            coder=self.version,
        )

    # 2. ----------------------------------------------------------------------------------------

    def _pairs(
        self,
        document: str,
        spans: list[Span],
        found: list[Found],
        by_sentence: dict[int, set[str]],
        rules: list[str],
        scan: Scan,
    ) -> dict[str, Pair]:
        pairs: dict[str, Pair] = defaultdict(Pair)
        previous: set[str] = set()
        title_states = by_sentence.get(0, set()) & _CRANK
        crank_mentions: dict[int, list[Found]] = defaultdict(list)
        for mention in found:
            if mention.country in _CRANK:
                crank_mentions[mention.sentence].append(mention)
        title_led = self._outside_led(found)
        # "the two sides" as found over the whole text, but with `re` run only near the
        # sentences that need it.
        sides = self._two_sides.scan(document, scan.stand_in)
        for index in sorted(crank_mentions):  # sentences naming no CRANK state change nothing
            span = spans[index]
            states = sorted(by_sentence.get(index, set()) & _CRANK)
            if len(states) >= 2:
                self._sentence_pairs(index, span, crank_mentions[index], states, pairs, rules, scan)
                if index == 0 and title_led:
                    for a_i, a in enumerate(states):
                        for b in states[a_i + 1 :]:
                            if dyad_of(a, b) in pairs:
                                pairs[dyad_of(a, b)].outside_led = True
            elif len(states) == 1 and sides.starts_in(
                0, document, span.start, _next_start(spans, index, len(document))
            ):
                partners = ((previous | title_states) & _CRANK) - set(states)
                if len(partners) == 1:
                    partner = partners.pop()
                    pair = pairs[dyad_of(states[0], partner)]
                    pair.sentences.add(index)
                    pair.inferred += 1
                    rules.append(f"s{index}: 'the two sides' links {states[0]} to {partner}")
            current = by_sentence.get(index, set()) & _CRANK
            if current:
                previous = current
        return pairs

    def _outside_led(self, found: list[Found]) -> bool:
        """True when an outside state (not a place) is named in the headline before any CRANK
        state: the headline reports what the outsider says or does."""
        for mention in found:
            if mention.sentence != 0:
                break
            if mention.country in _CRANK:
                return False
            if self._is_outsider(mention) and mention.actor not in self._places:
                return True
        return False

    def _sentence_pairs(
        self,
        index: int,
        span: Span,
        mentions: list[Found],
        states: list[str],
        pairs: dict[str, Pair],
        rules: list[str],
        scan: Scan,
    ) -> None:
        ctx = self.lexicon.context
        joint = bool(self._search(scan, "joint", span))
        if self._search(scan, "comparison", span) and not joint:
            rules.append(f"s{index}: comparison, not an interaction")
            return
        if self._search(scan, "sports", span):
            rules.append(f"s{index}: sport or culture, not an interaction")
            return
        listed = _listed_states(span, mentions, ctx)
        hosted = (
            joint and len(listed) == 2 and len(states) == 3 and _hosted(span, mentions, listed, ctx)
        )
        if hosted:
            # "Xi hosts Putin, Pezeshkian": the third state meets each of the pair, the pair
            # does not meet each other.
            joint = False
            rules.append(f"s{index}: {' and '.join(sorted(listed))} each meet the third")
        if len(listed) >= 3 and not joint:
            rules.append(f"s{index}: {', '.join(sorted(listed))} named in a list")
        # "Russia, China back Iran's bid": the listed pair acts in parallel towards the third.
        clauses = self._clauses(span, mentions, listed) if len(states) > 2 and not joint else None
        # ... unless the pair has a clause of its own ("as Russia and North Korea draw closer").
        parallel = (
            len(listed) == 2
            and len(states) > 2
            and not joint
            and (hosted or not self._search(scan, "agree", span))
            and not (clauses and listed in clauses)
        )
        for a_i, a in enumerate(states):
            for b in states[a_i + 1 :]:
                if len(listed) >= 3 and {a, b} <= listed and not joint:
                    continue
                if parallel and {a, b} == listed:
                    rules.append(f"s{index}: {a} and {b} act in parallel")
                    continue
                if clauses and not any({a, b} <= clause for clause in clauses):
                    rules.append(f"s{index}: {a} and {b} only in different clauses")
                    continue
                pair = pairs[dyad_of(a, b)]
                pair.sentences.add(index)
                if len(states) > 2 and not joint and index != 0:
                    pair.crowded.add(index)
                if {a, b} <= listed and not joint:
                    pair.listed.add(index)
                if index == 0:
                    pair.in_title = True

    def _clauses(self, span: Span, mentions: list[Found], listed: set[str]) -> list[set[str]]:
        """The states of each clause of a sentence naming three or more ("Iran's interest in
        North Korean shells cooled | after Russia deals"), when one clause holds a pair of its
        own; else an empty list (clauses do not matter)."""
        cuts = [m.start() for m in self.lexicon.context.clause.finditer(span.text)]
        if not cuts:
            return []
        clauses: list[set[str]] = [set() for _ in range(len(cuts) + 1)]
        for mention in mentions:
            clauses[bisect_right(cuts, mention.start - span.start)].add(str(mention.country))
        bounds = [0, *cuts, len(span.text)]
        for n, clause in enumerate(clauses):
            if len(clause) < 2:
                continue
            text = span.text[bounds[n] : bounds[n + 1]]
            if (
                not clause <= listed
                or self.lexicon.context.agree.search(text)
                or any(
                    c.scope == "pair" and c.combined.search(text)
                    for c in self.scanner.candidates(text)
                )
            ):
                return clauses
        return []

    # 3. ----------------------------------------------------------------------------------------

    def _cue_hits(
        self,
        spans: list[Span],
        by_sentence: dict[int, set[str]],
        pairs: dict[str, Pair],
        outside_starts: dict[int, int],
        states: dict[int, list[tuple[int, str]]],
        scan: Scan,
    ) -> list[Hit]:
        wanted = sorted(
            {i for p in pairs.values() for i in p.sentences} | self._group_sentences(by_sentence)
        )
        all_hits: list[Hit] = []
        cues, search = self.scanner.cues, self.cue_search
        for index in wanted:
            span = spans[index]
            outsider = outside_starts.get(index)
            may = scan.may_match(span.start, span.end)
            candidates = search.candidates(may)
            if not candidates:
                continue
            named = states.get(index, [])
            sentence = SentenceContext(
                span,
                self.lexicon.context,
                named,
                friction=any(cues[n].relation == "contention" for n in candidates),
            )
            for n in candidates:
                match = search.first(n, span.text, may)
                if match is None:
                    continue
                hit = first_hit(
                    cues[n],
                    span,
                    index,
                    outsider=outsider,
                    ctx=self.lexicon.context,
                    states=named,
                    sentence=sentence,
                    match=match,
                )
                if hit is not None:
                    all_hits.append(hit)
        for pair in pairs.values():
            pair.hits = [h for h in all_hits if h.sentence in pair.sentences]
        return all_hits

    def _background(
        self,
        spans: list[Span],
        hits: list[Hit],
        published: date | None,
        rules: list[str],
        scan: Scan,
    ) -> None:
        """Cues in a body sentence that dates its news before the article ("signed a pact in
        2021", "have long praised") are background: they count half and do not stand on their
        own."""
        verdicts: dict[int, bool] = {}
        for hit in hits:
            if hit.sentence == 0:
                continue
            earlier = verdicts.get(hit.sentence)
            if earlier is None:
                text = spans[hit.sentence].text
                earlier = bool(self._search(scan, "background", spans[hit.sentence])) or (
                    published is not None and self._dated_before(text, published.year)
                )
                verdicts[hit.sentence] = earlier
                if earlier:
                    rules.append(f"s{hit.sentence}: background")
            if earlier:
                hit.weight *= 0.5
                hit.note = (hit.note + " earlier background").strip()

    def _dated_before(self, text: str, year: int) -> bool:
        """True when a sentence names a year before `year` as the date of its news: "signed a
        pact in 2021", not "since the 2024 treaty" (what goes on since then is news)."""
        ongoing = self.lexicon.context.ongoing
        return any(
            int(match.group(1)) < year and not ongoing.search(text, 0, match.start())
            for match in _YEAR.finditer(text)
        )

    def _tables(
        self, document: str, found: list[Found]
    ) -> tuple[dict[int, set[str]], dict[int, int], dict[int, list[tuple[int, str]]]]:
        """In one pass over the mentions (long articles name dozens of actors): the states named
        per sentence, with outside states acting in it (not places named) under key
        -(sentence + 1); where the first outside actor is named, per sentence; and where states
        (not places) are named per sentence, and which."""
        by_sentence: dict[int, set[str]] = defaultdict(set)
        starts: dict[int, int] = {}
        states: dict[int, list[tuple[int, str]]] = defaultdict(list)
        places, acting = self._places, self._actors_acting
        for mention in found:
            country, actor, sentence = mention.country, mention.actor, mention.sentence
            crank = country in _CRANK
            if country is not None:
                by_sentence[sentence].add(country)
                if not crank and actor not in places:
                    by_sentence[-sentence - 1].add(country)
            if crank:
                states[sentence].append((mention.start, str(country)))
            elif actor in acting and actor not in places:
                states[sentence].append((mention.start, str(country)))
                if sentence not in starts and not self._sidelined(document, mention):
                    starts[sentence] = mention.start
        return by_sentence, starts, states

    def _sidelined(self, document: str, mention: Found) -> bool:
        """True when an outside state only reports or causes what the sentence tells ("...,
        straining ties, Seoul says", "according to U.S. officials", "suspend work after U.S.
        sanctions"): friction there is not voiced by it or aimed at it."""
        ctx = self.lexicon.context
        before = document[max(0, mention.start - 40) : mention.start]
        found = ctx.outsider_source.search(before)
        if found is None:
            return False
        if found.group(1).lstrip()[:1] in ",;—–-":  # a trailing attribution needs its verb
            return bool(ctx.outsider_says.match(document, mention.end, mention.end + 50))
        return True

    def _outside_starts(self, document: str, found: list[Found]) -> dict[int, int]:
        """Where the first outside state (not a place, nor only a source or a cause) is named,
        per sentence."""
        starts: dict[int, int] = {}
        for mention in found:
            if (
                mention.sentence not in starts
                and self._is_outsider(mention)
                and mention.actor not in self._places
                and not self._sidelined(document, mention)
            ):
                starts[mention.sentence] = mention.start
        return starts

    def _group_sentences(self, by_sentence: dict[int, set[str]]) -> set[int]:
        return {i for i, states in by_sentence.items() if i >= 0 and len(states & _CRANK) >= 2}

    # 4. ----------------------------------------------------------------------------------------

    def _dyads(
        self, pairs: dict[str, Pair], sentence_count: int, rules: list[str], *, latin: bool
    ) -> dict[str, Pair]:
        kept: dict[str, Pair] = {}
        titled = any(p.in_title and 0 not in p.listed for p in pairs.values())
        for dyad, pair in sorted(pairs.items()):
            # Friction let through beside an outsider ("between the pair") shapes the relation
            # of a pair found otherwise; it does not make one.
            cued = {
                h.sentence
                for h in pair.hits
                if h.cue.scope == "pair" and h.weight >= 0.5 and "between" not in h.note
            }
            # A cue in a sentence naming a third CRANK state may be about another pair.
            cued -= pair.crowded
            # Two states named together with no word of joint action act side by side: only a
            # cooperation cue ("China and Russia sign") makes it their own interaction; friction
            # ("Moscow and Beijing blamed Washington") is with someone else.
            together = {
                h.sentence for h in pair.hits if h.relation == "cooperation" and h.sentence in cued
            }
            own = (pair.sentences - pair.listed) | (pair.listed & together)
            in_title = pair.in_title and 0 in own and (not pair.outside_led or 0 in cued)
            strong = len(cued & own)
            short = sentence_count <= 4
            if not latin:  # no cue lexicon for this language: co-occurrence has to do
                strong = max(strong, len(own) - 1)
            if in_title or strong >= 2 or (strong >= 1 and (len(own) >= 2 or short) and not titled):
                kept[dyad] = pair
                pair.sentences = own
                pair.hits = [h for h in pair.hits if h.sentence in own]
                rules.append(
                    f"dyad {dyad}: {len(own)} sentence(s)"
                    + (", in title" if in_title else "")
                    + f", cues {', '.join(sorted({h.cue.id for h in pair.hits})) or 'none'}"
                )
            else:
                rules.append(f"dropped {dyad}: {len(own)} sentence(s), {strong} with cues")
        return kept

    # 5. ----------------------------------------------------------------------------------------

    def _group_response(
        self, document: str, spans: list[Span], by_sentence: dict[int, set[str]], rules: list[str]
    ) -> bool:
        ctx = self.lexicon.context
        states = (
            set().union(*(s & _CRANK for i, s in by_sentence.items() if i >= 0))
            if by_sentence
            else set()
        )
        outsiders = (
            set().union(*(s for i, s in by_sentence.items() if i < 0)) if by_sentence else set()
        )
        if len(states) < 2:
            return False
        title = spans[0].text if spans else ""
        for index, span in enumerate(spans):
            named = by_sentence.get(index, set()) & _CRANK
            group_word = len(named) >= 2 and bool(ctx.group.search(span.text))
            if not (len(named) >= 3 or group_word):
                continue
            # States named each on their own ("threats from China, Russia, Iran and North
            # Korea") are no group, unless the sentence or headline says they act together.
            collective = self._collective(span.text) or self._collective(title)
            if not (group_word or collective) or not (outsiders or collective):
                continue
            if ctx.response.search(document):
                rules.append(
                    f"s{index}: outside response to the group ({', '.join(sorted(named))})"
                )
                return True
        return False

    def _group_headline(
        self, document: str, spans: list[Span], dyads: dict[str, Pair], rules: list[str]
    ) -> bool:
        """True when the headline names the group ("CRINK", "axis of upheaval") with no pair of
        its own, and the article reports a response to it."""
        ctx = self.lexicon.context
        if not spans or any(pair.in_title for pair in dyads.values()):
            return False
        if ctx.group_name.search(spans[0].text) and ctx.response.search(document):
            rules.append("s0: outside response to the group named in the headline")
            return True
        return False

    def _collective(self, text: str) -> bool:
        """True when `text` says the states act together, not negated ("no coordination")."""
        ctx = self.lexicon.context
        return any(
            not ctx.negation.search(text[max(0, m.start() - 40) : m.start()])
            for m in ctx.collective.finditer(text)
        )

    def _outside_lead(self, spans: list[Span], found: list[Found], rules: list[str]) -> bool:
        """True when the lead sentence reports an outside state's response to CRANK cooperation
        (a sanctions package, a summit declaration) or a CRANK government's answer to one."""
        ctx = self.lexicon.context
        if not spans:
            return False
        # The lead: the headline, or the first of the next two sentences naming a CRANK state.
        crank_sentences = sorted({f.sentence for f in found if f.country in _CRANK})
        if not crank_sentences or crank_sentences[0] > 2:
            return False
        first = crank_sentences[0]
        lead = spans[first]
        mentions = [f for f in found if f.sentence == first]
        outside = [f for f in mentions if self._is_outsider(f)]
        crank = [f for f in mentions if f.country in _CRANK]
        if not outside or not crank:
            return False
        outsider_first = outside[0].start < crank[0].start
        listed = _listed_states(lead, crank, ctx)
        countries = {str(f.country) for f in crank}
        if (
            len(countries) >= 2
            and countries <= listed
            and not self._collective(lead.text)
            and not self._collective(spans[0].text)
            and not ctx.outside_measure.search(lead.text)
        ):
            return False  # states listed each on their own ("names China, Russia, Iran...")
        if (
            outsider_first
            and ctx.outside_act.search(lead.text)
            and not ctx.crank_clause.search(lead.text)
        ):
            rules.append(f"s{first}: an outside state's response leads the article")
            return True
        measure = ctx.outside_measure.search(lead.text)
        if measure and ctx.crank_reply.search(lead.text):
            if self._defends_another(lead, crank, measure.start()):
                return False
            rules.append(f"s{first}: a CRANK government answers an outside measure")
            return True
        return False

    def _defends_another(self, lead: Span, crank: list[Found], after: int) -> bool:
        """True when the measure a CRANK government answers targets another CRANK state
        ("Beijing 'firmly opposes' snapback of UN sanctions on Iran"): support, not a response."""
        target = self.lexicon.context.measure_target
        for mention in crank:
            offset = mention.start - lead.start
            if (
                offset > after
                and mention.country != crank[0].country
                and target.search(lead.text[max(0, offset - 25) : offset])
            ):
                return True
        return False

    def _is_outsider(self, mention: Found) -> bool:
        return mention.country not in _CRANK and mention.actor in self._actors_acting

    # 6. ----------------------------------------------------------------------------------------

    def _topic(
        self,
        document: str,
        stand_in: bytes,
        spans: list[Span],
        used: list[int],
        rules: list[str],
        *,
        response: bool = False,
    ) -> str:
        """The topic whose keywords weigh most in the lead and the evidence sentences: the title
        counts x3, evidence sentences x2, and a keyword at most three times per sentence. Empty
        when no keyword is found."""
        starts = [span.start for span in spans]
        # The lead says what an article is about; beyond it only evidence sentences count.
        lead_end = max(_TOPIC_LEAD, spans[0].end if spans else 0)
        if self.topic_scanner is not None:
            found = self.topic_scanner.hits(stand_in, 0, lead_end)
            for i in used:
                if spans[i].start >= lead_end:
                    found += self.topic_scanner.hits(stand_in, spans[i].start, spans[i].end)
        else:
            found = self._topic_words(document, spans, used, lead_end)
        if OTHER_SCRIPTS.search(document):  # keywords in Russian, Chinese, Persian, Korean
            lowered = document.lower()
            index = self.lexicon.topics
            found += index.native_hits(lowered, 0, lead_end)
            for i in used:
                if spans[i].start >= lead_end:
                    found += index.native_hits(lowered, spans[i].start, spans[i].end)
        found.sort(key=lambda hit: (hit[1], hit[0].key))  # ties go to the topic named first
        per_sentence: dict[tuple[str, int], float] = defaultdict(float)
        capped: dict[tuple[int, int], int] = defaultdict(int)
        for term, position in found:
            sentence = bisect_right(starts, position) - 1
            if capped[(term.key, sentence)] < 3:
                capped[(term.key, sentence)] += 1
                per_sentence[(term.topic, sentence)] += term.weight
        boosted = set(used)
        scores: dict[str, float] = defaultdict(float)
        title: dict[str, float] = defaultdict(float)
        for (topic, sentence), value in per_sentence.items():
            factor = _TITLE if sentence == 0 else _EVIDENCE if sentence in boosted else 1.0
            scores[topic] += factor * value
            if sentence == 0:
                title[topic] += value
        if not scores:
            return ""
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        rules.append("topic " + ", ".join(f"{k} {v:.0f}" for k, v in ranked[:3]))
        programme = any(t.topic == "nuclear_missile" and t.weight >= _PROGRAMME for t, _ in found)
        return self._topic_rule(ranked, title, rules, response=response, programme=programme)

    def _topic_rule(
        self,
        ranked: list[tuple[str, float]],
        title: dict[str, float],
        rules: list[str],
        *,
        response: bool,
        programme: bool = True,
    ) -> str:
        """The topic from the ranked scores, by the rules of docs/coding.md: missiles with no
        word of a programme (`programme` false) are arms (military) when anything military is
        named; a story whose headline names no subject and whose body spreads over several,
        none holding `_SPREAD` of them, is about the relationship (diplomacy); so is an outside
        response whose headline names no subject (a declaration, a warning, a speech), unless
        its measure is a sanction (decided by the caller); a headline naming one subject (and
        no outside response) gives the topic whatever the body weighs."""
        best = ranked[0][0]
        scores = dict(ranked)
        if best == "nuclear_missile" and not programme and scores.get("military"):
            rules.append("topic military: missiles with no programme word are arms")
            ranked = sorted(ranked, key=lambda item: item[0] != "military")
            best = "military"
        if response and best == "trade_finance" and scores.get("sanctions"):
            # Banks, firms and trade named in an outside measure are its targets.
            rules.append("topic sanctions: an outside measure on trade")
            return "sanctions"
        if response and not any(k != "diplomacy" for k in title) and best != "diplomacy":
            rules.append(f"topic diplomacy: an outside response, {best} only in the body")
            return "diplomacy"
        # The headline says what the story is: its one subject wins over the body's.
        heads = [k for k in title if k != "diplomacy"]
        if heads == ["nuclear_missile"] and not programme and scores.get("military"):
            heads = ["military"]  # missiles with no programme word are arms
        if len(heads) == 1 and best not in {heads[0], "diplomacy"} and not response:
            rules.append(f"topic {heads[0]}: the headline's one subject")
            return heads[0]
        subjects = {k: v for k, v in ranked if k != "diplomacy"}
        total = sum(subjects.values())
        if (
            best != "diplomacy"
            and not any(k != "diplomacy" for k in title)
            and subjects[best] < _SPREAD * total
        ):
            rules.append(f"topic diplomacy: {best} holds {subjects[best] / total:.0%} of the body")
            return "diplomacy"
        return best

    def _topic_words(
        self, document: str, spans: list[Span], used: list[int], lead_end: int
    ) -> list[tuple[TopicTerm, int]]:
        """Topic keywords with the position of their first word, matched word by word (the
        fallback without Hyperscan)."""
        index = self.lexicon.topics
        lowered = document.lower()
        matches = list(_WORD.finditer(lowered, 0, lead_end))
        for i in used:
            if spans[i].start >= lead_end:
                matches += _WORD.finditer(lowered, spans[i].start, spans[i].end)
        words = [m.group() for m in matches]
        found: list[tuple[TopicTerm, int]] = []
        for i, word in enumerate(words):
            hits = index.single(word)
            phrases = index.phrases.get(word)
            if phrases:
                hits += tuple(t for t in phrases if phrase_matches(t, words, i))
            found += [(term, matches[i].start()) for term in hits]
        return found


_SET_MENTION = tuple(
    getattr(Mention, name).__set__
    for name in ("actor_id", "country", "text", "start", "end", "sentence")
)


def _mentions(found: list[Found]) -> tuple[Mention, ...]:
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


def _mostly_latin(text: str) -> bool:
    """True when most letters are Latin, so the English cue lexicon applies."""
    sample = text[:2000]
    if sample.isascii():
        return True
    non_latin = len(_NON_LATIN.findall(sample))
    if not non_latin:  # letters of other scripts are rare in English copy: no need to count
        return True
    letters = len(_LETTER.findall(sample))
    return not letters or non_latin <= 0.4 * letters


def _next_start(spans: list[Span], index: int, size: int) -> int:
    """Where the sentence after `index` starts (`size`, the text's length, for the last): a
    match starting before it belongs to sentence `index`."""
    return spans[index + 1].start if index + 1 < len(spans) else size


def _hosted(span: Span, mentions: list[Found], listed: set[str], ctx: Context) -> bool:
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


def _listed_states(span: Span, mentions: list[Found], ctx: Context) -> set[str]:
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


def contract_json(coded: CodedArticle) -> dict[str, object]:
    """An article's coding in the form of contract 2 (`crankcall code`)."""
    return {
        "id": coded.id,
        "relevant": coded.relevant,
        "score": coded.score,
        "crank": list(coded.crank),
        "dyads": list(coded.dyads),
        "relation": coded.relation,
        "topic": coded.topic,
        "event_type": coded.event_type,
        "intensity": coded.intensity,
        "actors": [
            {"id": m.actor_id, "country": m.country, "text": m.text, "start": m.start, "end": m.end}
            for m in coded.actors
        ],
        "evidence": [{"text": e.text, "start": e.start, "end": e.end} for e in coded.evidence],
        "coder": coded.coder,
    }


def contract_line(coded: CodedArticle) -> str:
    """`json.dumps(contract_json(coded), ensure_ascii=False)`, built directly: the same text in a
    fraction of the time, for `crankcall code` over big files."""
    text = _json_text
    heads = _ACTOR_HEADS
    parts = []
    for m in coded.actors:
        key = (m.actor_id, m.country, m.text)
        head = heads.get(key)
        if head is None:
            head = (
                f'{{"id": {text(m.actor_id)}, "country": {_json_optional(m.country)}, '
                f'"text": {text(m.text)}, "start": '
            )
            if len(heads) < 100_000:
                heads[key] = head
        parts.append(f'{head}{m.start:d}, "end": {m.end:d}}}')
    actors = ", ".join(parts)
    evidence = ", ".join(
        [
            f'{{"text": {text(e.text)}, "start": {e.start:d}, "end": {e.end:d}}}'
            for e in coded.evidence
        ]
    )
    return (
        f'{{"id": {text(coded.id)}, "relevant": {"true" if coded.relevant else "false"}, '
        f'"score": {_json_float(coded.score)}, "crank": [{", ".join(map(text, coded.crank))}], '
        f'"dyads": [{", ".join(map(text, coded.dyads))}], "relation": {text(coded.relation)}, '
        f'"topic": {text(coded.topic)}, "event_type": {_json_optional(coded.event_type)}, '
        f'"intensity": {_json_float(coded.intensity)}, "actors": [{actors}], '
        f'"evidence": [{evidence}], "coder": {text(coded.coder)}}}'
    )


# The JSON of an actor up to its offsets, per actor, state and surface text: names recur.
_ACTOR_HEADS: dict[tuple[str, str | None, str], str] = {}


def _json_optional(value: str | None) -> str:
    return "null" if value is None else _json_text(value)


def _json_float(value: float) -> str:
    """A float as `json.dumps` writes it."""
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_DEFAULT: list[Coder] = []


def default_coder() -> Coder:
    """The coder over the shipped gazetteer and lexicons, built once per process."""
    if not _DEFAULT:
        from crankcall.analyze.gazetteer import load_gazetteer
        from crankcall.analyze.lexicon import load_lexicon

        _DEFAULT.append(Coder(load_gazetteer(), load_lexicon()))
    return _DEFAULT[0]
