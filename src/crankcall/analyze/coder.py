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
4. Keep the pairs with enough evidence as dyads (none for a pair the headline names as acting
   apart); the relation of each from its cues (`analyze.relation`: `mixed` when both kinds carry
   weight, a one-sided headline leading), read a second time by the relation model
   (`analyze.relationmodel`).
5. An outside response (an outsider's measure leading the article, a CRANK government's answer
   to one, or a response to the group) replaces the dyads: relevant, relation `none`.
6. Topic from weighted keywords, read a second time by the topic model
   (`analyze.topicmodel`); event type and intensity from the strongest cues, and a relevance
   score in 0..1 that grows with the evidence.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from itertools import pairwise

from crankcall import __version__
from crankcall.analyze.actors import ActorFinder, Found, mentions_of
from crankcall.analyze.cuesearch import CueSearch
from crankcall.analyze.eventmodel import EventModel
from crankcall.analyze.gazetteer import Gazetteer
from crankcall.analyze.lexicon import Context, Lexicon
from crankcall.analyze.linear import Words
from crankcall.analyze.lists import listed_states, listed_with, meets_listed, named_as_one
from crankcall.analyze.outside import Outsiders, named_aside
from crankcall.analyze.relation import (
    BEFORE_CUE,
    Hit,
    Pair,
    SentenceContext,
    article_relation,
    default_event,
    event_and_intensity,
    first_hit,
    pair_event,
    pair_features,
    reason_kind,
    relation_and_reason,
    relevance_score,
)
from crankcall.analyze.relationmodel import RelationModel
from crankcall.analyze.scanner import (
    OTHER_SCRIPTS,
    CueScanner,
    PatternScanner,
    Scan,
    stand_in_bytes,
)
from crankcall.analyze.text import Span, mostly_latin, sentences
from crankcall.analyze.topic import Topics
from crankcall.analyze.topicmodel import TopicModel
from crankcall.models import (
    CRANK_STATES,
    CodedArticle,
    Evidence,
    Interaction,
    dyad_of,
)

_CRANK = frozenset(CRANK_STATES)
_THREE = re.compile(
    r"\b(the|all) three (countries|sides|nations|states|partners|governments|powers|capitals)\b",
    re.IGNORECASE,
)
"""Words that point back to three states named before ("the three countries")."""
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_NOT_A_TURN = re.compile(r"yet\s+(to|again)\b", re.IGNORECASE)  # "has yet to rebound"
_NOT_A_TURN_AFTER = re.compile(r"\b(not|as|have|has|had)\s+$", re.IGNORECASE)  # "not yet", "as yet"
_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]")


def _words(text: str) -> int:
    """How many words a stretch of text holds, two Chinese characters counting as one (Chinese
    writes no spaces between words)."""
    return len(text.split()) + len(_IDEOGRAPHS.findall(text)) // 2


_CARRIED_WITHIN = 2
"""How many sentences after one naming both a sentence naming one of the pair may be and
still speak for it (`Coder._carried`)."""


class Coder:
    """A rule coder over one gazetteer and lexicon; stateless between articles."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        lexicon: Lexicon,
        topic_model: TopicModel | None = None,
        relation_model: RelationModel | None = None,
        event_model: EventModel | None = None,
    ) -> None:
        """`topic_model`, `relation_model` and `event_model`: the second readings of the topic
        (`topicmodel.py`), of each dyad's relation (`relationmodel.py`) and of the event type
        (`eventmodel.py`); without them the coding is the rules' alone (how the models' own
        training data is coded)."""
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.topic_model = topic_model
        self.relation_model = relation_model
        self.event_model = event_model
        self.finder = ActorFinder(gazetteer)
        self.scanner = CueScanner(lexicon.cues)
        self.topics = Topics(gazetteer, lexicon)
        # Stored beside every coding in a column of 40 characters: the models' stamp is short.
        self.version = f"rules-{__version__}+{lexicon.version}+{gazetteer.digest}"
        models = [m.version for m in (topic_model, relation_model, event_model) if m is not None]
        if models:
            self.version += "+m" + hashlib.sha256("|".join(models).encode()).hexdigest()[:6]
        self._places = frozenset(a.id for a in gazetteer.actors.values() if a.type == "place")
        # Actors that act (not places): outside ones among them are "outsiders".
        self._actors_acting = frozenset(
            key
            for key, actor in gazetteer.actors.items()
            if actor.type in {"state", "institution", "organization", "person"}
        )
        self.outside = Outsiders(lexicon.context, self._places, self._actors_acting)
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
        # What changes a cue (negation, hedging...) in the words just before it (`first_hit`).
        self._before_cue = PatternScanner(
            [getattr(lexicon.context, name) for name in BEFORE_CUE], anchored=True
        )

    def code(
        self, *, id: str, title: str, text: str, published: date | None = None
    ) -> CodedArticle:
        """Code one article (title and/or text)."""
        document = f"{title}\n\n{text}" if title and text else (title or text)
        spans = sentences(document)
        stand_in = stand_in_bytes(document)
        # Letters of Russian, Chinese, Persian or Korean: looked for once, asked about often.
        native = not document.isascii() and bool(OTHER_SCRIPTS.search(document))
        found = self.finder.find(document, spans, stand_in=stand_in, native=native)
        rules: list[str] = []
        states = {f.country for f in found if f.country in _CRANK}
        ctx = self.lexicon.context
        if len(states) < 2 and not (spans and ctx.group_name.search(document.partition("\n")[0])):
            # No pair to code, no group named: only the topic is left to say.
            return self._unpaired(
                id, title, text, document, stand_in, spans, found, states, rules, native
            )
        scan = self.patterns.scan(document, stand_in)
        # A city where leaders meet is a venue, not a party ("Xi met Pezeshkian in Kazan").
        venues: dict[int, bool] = {}
        for f in found:
            if f.actor in self._places and f.sentence not in venues:
                venues[f.sentence] = bool(self._search(scan, "venue", spans[f.sentence]))
        mentioned = found  # every mention, the venues' too, as contract 2 lists them
        if venues:
            found = [f for f in found if f.actor not in self._places or not venues[f.sentence]]
        by_sentence, outside_acting, named, crank_mentions = self._tables(found)
        pairs = self._pairs(document, spans, found, by_sentence, crank_mentions, rules, scan)
        # Where the words before a cue may change it: scanned once, for the pairs' sentences and
        # for those naming one of them (`_carried`).
        before_scan = self._before_cue.scan(document, scan.stand_in)
        hits = self._cue_hits(
            document, spans, by_sentence, pairs, outside_acting, named, scan, before_scan
        )
        self._background(spans, hits, published, rules, scan)
        title_states = by_sentence.get(0, set()) & _CRANK
        # A headline of two halves joined by no word turns as "but" does.
        halved = bool(pairs) and ctx.headline_halves.search(spans[0].text) is not None
        for dyad, pair in pairs.items():
            self._mark_turns(pair, pair.sentences, spans, scan, native)
            if halved and 0 in pair.sentences:
                pair.turns.add(0)
            if 0 in pair.turns and title_states <= set(dyad.split("-")):
                pair.title_turn = self._title_turn(spans[0].text, native)
        dyads = self._dyads(pairs, len(spans), rules, latin=mostly_latin(document)) if pairs else {}
        if self.outside.lead(spans, found, rules) or self.outside.group_headline(
            document, spans, dyads, rules
        ):
            dyads = {}
            group = True
        else:
            group = not dyads and self.outside.group_response(document, spans, by_sentence, rules)
        if len(dyads) == 1 and spans:
            self._headline_cues(next(iter(dyads.values())), document, spans, stand_in, found, rules)
            self._carried(
                *next(iter(dyads.items())),
                document,
                spans,
                by_sentence,
                outside_acting,
                named,
                scan,
                before_scan,
                published,
                rules,
                native,
            )
        relations = {}
        by_rules = {}  # the rules' relations, before the relation model's readings
        words: _Words = {}  # the headline's and lead's words, counted once for the models
        for dyad, pair in sorted(dyads.items()):
            relations[dyad], reason = relation_and_reason(pair)
            by_rules[dyad] = relations[dyad]
            rules.append(f"relation {dyad}: {relations[dyad]}, {reason}")
            if self.relation_model is not None:
                relations[dyad] = self._relation_reading(
                    title,
                    text,
                    words,
                    dyad,
                    pair,
                    len(dyads),
                    relations[dyad],
                    reason,
                    rules,
                    spans,
                )
        relation = article_relation(relations)
        crank = sorted(states)
        used = sorted({s for pair in dyads.values() for s in pair.sentences})
        carried = {s for pair in dyads.values() for s in pair.carried}  # not read for the topic
        topic_scores: dict[str, float] = {}
        topic = self.topics.choose(
            document,
            stand_in,
            spans,
            [s for s in used if s not in carried],
            rules,
            native=native,
            response=group,
            transfer=any(h.sentence == 0 and h.cue.id == "aid.transfer" for h in hits),
            office=lambda: self.topics.office(found, published, rules, document),
            best=topic_scores,
        )
        sanction = [h.sentence for h in hits if h.cue.id.startswith("sanction")]
        if group and sanction and (min(sanction) <= 1 or topic == "diplomacy"):
            topic = "sanctions"  # the outsider's measure, in the lead, is a sanction
        elif not topic:  # no keyword: the office of who is named, else diplomacy
            topic = (
                self.topics.office(found, published, rules, document) or "diplomacy"
                if dyads or group
                else "other"
            )
        topic = self._second_reading(title, text, words, topic, topic_scores, rules)
        default = default_event(topic)
        event, intensity = event_and_intensity(dyads, hits, group, relation, default)
        cue_event = event
        if self.event_model is not None and (dyads or group):
            event = self._event_reading(
                title, text, words, dyads, hits, group, by_rules, relation, event, rules, default
            )
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
                event_type=event
                if len(dyads) == 1 and event
                else pair_event(pair, relations[dyad], default),
                topic=topic,
                intensity=intensity,
                confidence=round(score, 3),
                evidence=tuple(
                    Evidence(text=spans[i].text, start=spans[i].start, end=spans[i].end)
                    for i in sorted(pair.sentences)[:_EVIDENCE_PER_DYAD]
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
            actors=mentions_of(mentioned),
            evidence=evidence if relevant else (),
            interactions=interactions,
            rules=tuple(rules),
            coder=self.version,
            cue_event=cue_event if relevant else None,
        )

    def _second_reading(
        self,
        title: str,
        text: str,
        words: _Words,
        topic: str,
        scores: dict[str, float],
        rules: list[str],
    ) -> str:
        """The topic model's reading of the rules' topic and scores with the headline and
        lead (`topicmodel.py`), recorded among the rules when it differs."""
        if self.topic_model is None:
            return topic
        counts = _counted(words, self.topic_model.words, title, text)
        chosen = self.topic_model.choose(title, text, topic, scores, counts)
        if chosen != topic:
            rules.append(f"topic model: {chosen}, where the rules read {topic}")
        return chosen

    def _event_reading(
        self,
        title: str,
        text: str,
        words: _Words,
        dyads: dict[str, Pair],
        hits: list[Hit],
        group: bool,
        by_rules: dict[str, str],
        relation: str,
        event: str | None,
        rules: list[str],
        default: str,
    ) -> str | None:
        """The event model's reading (`eventmodel.py`) of the rules' event type and relation
        (as the rules alone read them, before the relation model) with the headline and lead,
        kept to the final `relation`; recorded among the rules when it differs from `event`."""
        model = self.event_model
        assert model is not None
        rule_relation = article_relation(by_rules) if dyads else "none"
        rule_event = (
            event_and_intensity(dyads, hits, group, rule_relation, default)[0]
            if rule_relation != relation
            else event
        )
        counts = _counted(words, model.words, title, text)
        chosen = model.choose(
            title, text, rule_event, rule_relation, relation if dyads else "none", counts
        )
        if chosen is None or chosen == event:
            return event
        rules.append(f"event model: {chosen}, where the rules read {event}")
        return chosen

    def _relation_reading(
        self,
        title: str,
        text: str,
        words: _Words,
        dyad: str,
        pair: Pair,
        dyads: int,
        relation: str,
        reason: str,
        rules: list[str],
        spans: list[Span],
    ) -> str:
        """The relation model's reading of a dyad's relation (`relationmodel.py`), recorded
        among the rules when it differs from theirs."""
        model = self.relation_model
        assert model is not None
        counts = _counted(words, model.words, title, text)
        evidence = pair_evidence(pair, spans) if model.evidence_mark else ""
        chosen = model.choose(
            title,
            text,
            pair_features(pair),
            dyads,
            relation,
            reason_kind(reason),
            counts,
            evidence,
        )
        if chosen != relation:
            rules.append(f"relation model {dyad}: {chosen}, where the rules read {relation}")
        return chosen

    def _search(self, scan: Scan, name: str, span: Span) -> re.Match[str] | None:
        """`re.search` of context pattern `name` in a sentence, skipped when the sentence's scan
        says it cannot match there."""
        index, pattern = self._context[name]
        if not scan.within(index, span.start, span.end):
            return None
        return pattern.search(span.text)

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
        outsider = self.outside.starts(document, [f for f in found if f.sentence == 0]).get(0)
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
                pair.title_turn = self._title_turn(title.text, False)
            rules.append("s0: headline cues " + ", ".join(h.cue.id for h in added))

    def _mark_turns(
        self, pair: Pair, indices: Iterable[int], spans: list[Span], scan: Scan, native: bool
    ) -> None:
        """Note which of these sentences of the pair turn (`_turning`), and which body sentences
        open with a turn ("But executives say ...")."""
        turn_open = self.lexicon.context.turn_open
        for i in indices:
            if self._turning(scan, spans[i], native):
                pair.turns.add(i)
            if i > 0 and turn_open.match(spans[i].text):
                pair.opens.add(i)

    def _turning(self, scan: Scan, span: Span, native: bool) -> bool:
        """Whether a sentence turns ("ties grow but payments stall"; "但", "однако" in the
        other languages)."""
        return bool(self._search(scan, "contrast", span)) or bool(
            native and self.lexicon.context.native_turn.search(span.text)
        )

    def _title_turn(self, title: str, native: bool) -> int:
        """Where a headline turns after a start of at least three words ("Russian oil reaches
        North Korea, yet haggling drags on"), else 0."""
        ctx = self.lexicon.context
        at = next(
            (
                m.start()
                for m in ctx.contrast.finditer(title)
                if not _NOT_A_TURN.match(title, m.start())
                and not _NOT_A_TURN_AFTER.search(title, 0, m.start())
            ),
            None,
        )
        if at is None and native:
            match = ctx.native_turn.search(title)
            at = match.start() if match else None
        if at is None:
            # Two halves telling two things ("Iranian produce floods Russian shelves; Moscow
            # bans tomatoes"), joined by no word.
            match = ctx.headline_halves.search(title)
            at = match.start() if match else None
        if at is None or _words(title[:at]) < 3:
            return 0
        return at

    def _carried(
        self,
        dyad: str,
        pair: Pair,
        document: str,
        spans: list[Span],
        by_sentence: dict[int, set[str]],
        outside_acting: dict[int, list[Found]],
        named: dict[int, list[tuple[int, str]]],
        scan: Scan,
        before_scan: Scan,
        published: date | None,
        rules: list[str],
        native: bool,
    ) -> None:
        """A report of one pair goes on about them naming one at a time ("Iranian exporters,
        however, complain that inspectors reject their shipments"): in an article whose only
        dyad is the pair, a body sentence naming one of the two, no other CRANK state and no
        outside state, at most `_CARRIED_WITHIN` sentences after one naming both, gives its
        cues to the pair, weighed as the pair's own sentences are: for
        its relation, event type and evidence (the dyad is decided already, and the topic is
        read from the sentences naming both)."""
        both = set(dyad.split("-"))
        wanted = []
        last = min(pair.sentences)  # the last sentence naming both, so far
        for i in sorted(k for k in by_sentence if k > 0):
            if i in pair.sentences:
                last = i
            states = by_sentence[i]
            if (
                i - last <= _CARRIED_WITHIN
                and i not in pair.sentences
                and len(states & _CRANK) == 1
                and states & both
                and not outside_acting.get(i)
                and not by_sentence.get(-i - 1)
            ):
                wanted.append(i)
        if not wanted:
            return
        hits = [
            h
            for h in self._hits_in(
                document, spans, wanted, outside_acting, named, scan, before_scan, {}
            )
            if h.cue.scope == "pair"
        ]
        if not hits:
            return
        self._background(spans, hits, published, rules, scan)
        for hit in hits:
            hit.note = (hit.note + " carried").strip()
        pair.hits += hits
        added = sorted({h.sentence for h in hits})
        pair.sentences.update(added)
        pair.carried.update(added)
        self._mark_turns(pair, added, spans, scan, native)
        rules.append(
            f"{dyad}: cues of " + ", ".join(f"s{i}" for i in added) + ", naming one of the pair"
        )

    def _unpaired(
        self,
        id: str,
        title: str,
        text: str,
        document: str,
        stand_in: bytes,
        spans: list[Span],
        found: list[Found],
        states: set[str],
        rules: list[str],
        native: bool,
    ) -> CodedArticle:
        """The coding of an article naming fewer than two CRANK states: not relevant."""
        scores: dict[str, float] = {}
        topic = (
            self.topics.choose(document, stand_in, spans, [], rules, native=native, best=scores)
            or "other"
        )
        topic = self._second_reading(title, text, {}, topic, scores, rules)
        return CodedArticle(
            id=id,
            relevant=False,
            score=round(relevance_score({}, False, found), 4),
            crank=tuple(sorted(states)),
            dyads=(),
            relation="none",
            topic=topic,
            event_type=None,
            intensity=0.0,
            actors=mentions_of(found),
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
        crank_mentions: dict[int, list[Found]],
        rules: list[str],
        scan: Scan,
    ) -> dict[str, Pair]:
        pairs: dict[str, Pair] = defaultdict(Pair)
        previous: set[str] = set()
        title_states = by_sentence.get(0, set()) & _CRANK
        seen: set[str] = set()  # every CRANK state named so far
        title_led = self._outside_led(found, document)
        # "the two sides" as found over the whole text, but with `re` run only near the
        # sentences that need it.
        sides = self._two_sides.scan(document, scan.stand_in)
        no_sides = sides.never(0)  # most articles: no sentence to link, none to look at
        denied: set[str] = set()  # pairs a headline names as not interacting
        # Sentences naming no CRANK state change nothing, save one pointing back to three.
        threes = _three_sentences(spans) if "three" in document else set()
        for index in sorted(set(crank_mentions) | threes):
            span = spans[index]
            states = sorted(by_sentence.get(index, set()) & _CRANK)
            if len(states) >= 2:
                judged = self._sentence_pairs(
                    index, span, crank_mentions[index], states, pairs, rules, scan
                )
                if index == 0 and judged:
                    denied = {dyad_of(a, b) for i, a in enumerate(states) for b in states[i + 1 :]}
                if index == 0 and title_led:
                    for a_i, a in enumerate(states):
                        for b in states[a_i + 1 :]:
                            if dyad_of(a, b) in pairs:
                                pairs[dyad_of(a, b)].outside_led = True
            elif (
                len(states) == 1
                and not no_sides
                and sides.starts_in(
                    0, document, span.start, _next_start(spans, index, len(document))
                )
            ):
                partners = ((previous | title_states) & _CRANK) - set(states)
                if len(partners) == 1:
                    partner = partners.pop()
                    pair = pairs[dyad_of(states[0], partner)]
                    pair.sentences.add(index)
                    pair.inferred += 1
                    rules.append(f"s{index}: 'the two sides' links {states[0]} to {partner}")
            elif len(states) <= 1 and index in threes:
                three = sorted(seen | set(states))
                # Asked of `pairs` without indexing it: a defaultdict would make each pair it
                # asks about, and a pair made with no sentence shows as "dropped" in the rules.
                if len(three) == 3 and all(
                    dyad_of(a, b) in pairs and pairs[dyad_of(a, b)].sentences
                    for a_i, a in enumerate(three)
                    for b in three[a_i + 1 :]
                ):
                    # "Wang said the three countries had sent a clear signal", after "the
                    # China-Russia-Iran meeting": three states met before, not only listed.
                    for a_i, a in enumerate(three):
                        for b in three[a_i + 1 :]:
                            pair = pairs[dyad_of(a, b)]
                            pair.sentences.add(index)
                            pair.inferred += 1
                    rules.append(f"s{index}: 'the three countries' links {', '.join(three)}")
            current = by_sentence.get(index, set()) & _CRANK
            if current:
                previous = current
                seen |= current
        for dyad in denied:
            if dyad in pairs:
                pairs[dyad].title_denied = True
        return pairs

    def _outside_led(self, found: list[Found], document: str) -> bool:
        """True when an outside state (not a place) is named in the headline before any CRANK
        state: the headline reports what the outsider says or does. An outsider named as the
        source before a colon ("Seoul: North Korean troops in Kursk suffer heavy losses") only
        says who tells it."""
        for mention in found:
            if mention.sentence != 0:
                break
            if mention.country in _CRANK:
                return False
            if (
                self.outside.is_outsider(mention)
                and mention.actor not in self._places
                and not _SOURCE_COLON.match(document, mention.end)
            ):
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
    ) -> bool:
        """Add the sentence's pairs to `pairs`; True when the sentence names the states as
        acting apart ("hold separate drills") or meeting at sport: a headline that does so says
        the story is no interaction between them."""
        ctx = self.lexicon.context
        joint = bool(self._search(scan, "joint", span))
        listed = listed_states(span, mentions, ctx)
        if self._search(scan, "apart", span) or (
            self._search(scan, "away", span)
            and len(_with_native_and(span, mentions, listed, ctx)) >= 2
        ):
            rules.append(f"s{index}: the states act apart, not an interaction")
            return True
        if self._search(scan, "comparison", span) and not joint:
            # A comparison's words are many and loose ("next", "as in"): the headline's pair
            # is not made here, and the body may still make it.
            rules.append(f"s{index}: comparison, not an interaction")
            return False
        if self._search(scan, "sports", span):
            rules.append(f"s{index}: sport or culture, not an interaction")
            return True
        # A host receiving guests meets them as one meeting with them does ("Xi welcomes
        # Putin, Pezeshkian as the summit opens").
        meeting = joint or (len(states) == 3 and ctx.host.search(span.text) is not None)
        guests = (
            listed
            if len(listed) == 2 or not meeting or len(states) != 3
            else _with_native_and(span, mentions, listed, ctx)
        )
        hosted = (
            meeting
            and len(guests) == 2
            and len(states) == 3
            and meets_listed(span, mentions, guests, ctx)
        )
        if hosted:
            listed = guests
            # "Xi hosts Putin, Pezeshkian": the third state meets each of the pair, the pair
            # does not meet each other.
            joint = False
            rules.append(f"s{index}: {' and '.join(sorted(listed))} each meet the third")
        if len(listed) >= 3 and not joint:
            rules.append(f"s{index}: {', '.join(sorted(listed))} named in a list")
        # "Russia, China back Iran's bid": the listed pair acts in parallel towards the third.
        clauses = (
            self._clauses(span, mentions, listed, scan) if len(states) > 2 and not joint else None
        )
        # ... unless the pair has a clause of its own ("as Russia and North Korea draw closer").
        parallel = (
            len(listed) == 2
            and len(states) > 2
            and not joint
            and (hosted or not self._search(scan, "agree", span))
            and not (clauses and listed in clauses)
            and not _between_pair(span, mentions, listed)
        )
        halves = self._halves(span, mentions) if index == 0 and len(states) > 1 else None
        for a_i, a in enumerate(states):
            for b in states[a_i + 1 :]:
                if (
                    len(listed) >= 3
                    and {a, b} <= listed
                    and not joint
                    # "North Korea, Iran and Russia condemn US strikes; Tehran thanks Moscow":
                    # a half of the headline without the list has the pair of its own.
                    and not any({a, b} <= half and not listed <= half for half in halves or ())
                ):
                    continue
                if halves and not any({a, b} <= half for half in halves):
                    # "Briefs: Pyongyang opens children's hospital; Iran reports record travel"
                    rules.append(f"s0: {a} and {b} only in different halves of the headline")
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
        return False

    def _halves(self, span: Span, mentions: list[Found]) -> list[set[str]]:
        """The states of each half of a headline telling two things, joined by no word
        (`headline_halves`: a semicolon, an ellipsis, a space between Chinese clauses); an empty
        list for a headline of one piece."""
        ctx = self.lexicon.context
        found = list(ctx.headline_halves.finditer(span.text))
        if not found:
            return []
        cuts = [m.start() for m in found]
        halves: list[set[str]] = [set() for _ in range(len(cuts) + 1)]
        for mention in mentions:
            halves[bisect_right(cuts, mention.start - span.start)].add(str(mention.country))
        # A half with no subject of its own ("伊朗外长抵京访问 | 将同王毅举行会谈") is the
        # headline's first CRANK state's, or its first pair's named as one ("中俄外长会谈 |
        # 表示反对...").
        crank = [m for m in mentions if m.country in _CRANK]
        subject = {str(m.country) for m in crank[:1]}
        for left, right in pairwise(crank):
            if span.text[left.end - span.start : right.start - span.start] not in _JOINED:
                break
            subject.add(str(right.country))
        for n, cut in enumerate(found, start=1):
            if subject and ctx.half_subjectless.match(span.text, cut.end()):
                halves[n] |= subject
        return halves

    def _clauses(
        self, span: Span, mentions: list[Found], listed: set[str], scan: Scan
    ) -> list[set[str]]:
        """The states of each clause of a sentence naming three or more ("Iran's interest in
        North Korean shells cooled | after Russia deals"), when one clause holds a pair of its
        own; else an empty list (clauses do not matter)."""
        index, cut = self._context["clause"]
        if not scan.within(index, span.start, span.end):
            return []
        cuts = [m.start() for m in cut.finditer(span.text)]
        if not cuts:
            return []
        clauses: list[set[str]] = [set() for _ in range(len(cuts) + 1)]
        for mention in mentions:
            clauses[bisect_right(cuts, mention.start - span.start)].add(str(mention.country))
        bounds = [0, *cuts, len(span.text)]
        # A clause with no subject of its own ("... welcomes Russian tourists | but keeps
        # Chinese groups out") is the first clause's subject's: its first CRANK state.
        subject = next((str(m.country) for m in mentions if m.country in _CRANK), None)
        subjectless = self.lexicon.context.subjectless
        for n in range(1, len(clauses)):
            if subject and subjectless.match(span.text, bounds[n], bounds[n + 1]):
                clauses[n].add(subject)
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
        document: str,
        spans: list[Span],
        by_sentence: dict[int, set[str]],
        pairs: dict[str, Pair],
        outside_acting: dict[int, list[Found]],
        states: dict[int, list[tuple[int, str]]],
        scan: Scan,
        before_scan: Scan,
    ) -> list[Hit]:
        wanted = sorted(
            {i for p in pairs.values() for i in p.sentences} | self._group_sentences(by_sentence)
        )
        # In a sentence naming three CRANK states, the states a cue stands between, and the
        # pairs it surely joins (a state before it and one after it; a meeting's subjects).
        parties: dict[int, tuple[set[str], set[str]]] = {}
        all_hits = self._hits_in(
            document, spans, wanted, outside_acting, states, scan, before_scan, parties
        )
        for dyad, pair in pairs.items():
            both = set(dyad.split("-"))
            pair.hits = [
                h
                for h in all_hits
                if h.sentence in pair.sentences
                and (id(h) not in parties or both <= parties[id(h)][0])
            ]
            pair.between = {
                h.sentence
                for h in pair.hits
                if h.sentence in pair.crowded and id(h) in parties and dyad in parties[id(h)][1]
            }
        return all_hits

    def _hits_in(
        self,
        document: str,
        spans: list[Span],
        wanted: list[int],
        outside_acting: dict[int, list[Found]],
        states: dict[int, list[tuple[int, str]]],
        scan: Scan,
        before_scan: Scan,
        parties: dict[int, tuple[set[str], set[str]]],
    ) -> list[Hit]:
        """The cue hits of the sentences `wanted` (`before_scan`: the document scanned for what
        may change a cue just before it); in a sentence naming three CRANK states, the states
        each hit stands between go to `parties` (by the hit's id)."""
        all_hits: list[Hit] = []
        cues, search = self.scanner.cues, self.cue_search
        two_sides = self._context["two_sides"][0]
        for index in wanted:
            span = spans[index]
            may = scan.may_match(span.start, span.end)
            candidates = search.candidates(may)
            if not candidates:
                continue
            outsider = self._outsider_start(document, outside_acting.get(index))
            named = states.get(index, [])
            crowded = len({c for _, c in named if c in _CRANK}) >= 3
            sentence = SentenceContext(
                span,
                self.lexicon.context,
                named,
                friction=any(cues[n].relation == "contention" for n in candidates),
                sides=two_sides in may,
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
                    before_scan=before_scan,
                )
                if hit is not None:
                    all_hits.append(hit)
                    if crowded:
                        parties[id(hit)] = _parties(span, named, hit, self.lexicon.context)
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
        self, found: list[Found]
    ) -> tuple[
        dict[int, set[str]],
        dict[int, list[Found]],
        dict[int, list[tuple[int, str]]],
        dict[int, list[Found]],
    ]:
        """In one pass over the mentions (long articles name dozens of actors): the states named
        per sentence, with outside states acting in it (not places named) under key
        -(sentence + 1); the outside actors (not places) named, per sentence (for
        `_outsider_start`); where states (not places) are named per sentence, and which; and
        the mentions of CRANK states per sentence (for `_pairs`)."""
        by_sentence: dict[int, set[str]] = defaultdict(set)
        acting_outside: dict[int, list[Found]] = defaultdict(list)
        states: dict[int, list[tuple[int, str]]] = defaultdict(list)
        crank_mentions: dict[int, list[Found]] = defaultdict(list)
        places, acting = self._places, self._actors_acting
        for mention in found:
            actor, country, _, start, _, sentence, _ = mention
            if country in _CRANK:
                by_sentence[sentence].add(country)
                states[sentence].append((start, country))
                crank_mentions[sentence].append(mention)
            elif country is not None:
                by_sentence[sentence].add(country)
                if actor not in places:
                    by_sentence[-sentence - 1].add(country)
                    if actor in acting:
                        states[sentence].append((start, country))
                        acting_outside[sentence].append(mention)
            elif actor in acting and actor not in places:
                states[sentence].append((start, "None"))  # an outside body of no state
                acting_outside[sentence].append(mention)
        return by_sentence, acting_outside, states, crank_mentions

    def _outsider_start(self, document: str, mentions: list[Found] | None) -> int | None:
        """Where the first outside actor of a sentence is named (of its `mentions`, the outside
        actors that are not places), not counting one that only reports or causes what the
        sentence tells; None when there is none. Asked only of the sentences whose cues are
        weighed: a long article names outsiders in many others."""
        for mention in mentions or ():
            if not self.outside.sidelined(document, mention):
                return mention.start
        return None

    def _group_sentences(self, by_sentence: dict[int, set[str]]) -> set[int]:
        return {i for i, states in by_sentence.items() if i >= 0 and len(states & _CRANK) >= 2}

    # 4. ----------------------------------------------------------------------------------------

    def _dyads(
        self, pairs: dict[str, Pair], sentence_count: int, rules: list[str], *, latin: bool
    ) -> dict[str, Pair]:
        kept: dict[str, Pair] = {}
        titled = any(p.in_title and 0 not in p.listed for p in pairs.values())
        for dyad, pair in sorted(pairs.items()):
            if pair.title_denied:
                rules.append(f"dropped {dyad}: the headline names them as not interacting")
                continue
            # Friction let through beside an outsider ("between the pair") shapes the relation
            # of a pair found otherwise; it does not make one. Their meeting there does
            # ("Araghchi held talks with Wang Yi, both sides voicing opposition to U.S.
            # sanctions").
            cued = {
                h.sentence
                for h in pair.hits
                if h.cue.scope == "pair"
                and h.weight >= 0.5
                and ("between" not in h.note or h.relation == "cooperation")
            }
            # A cue in a sentence naming a third CRANK state may be about another pair, unless
            # it stands between the two ("Russia and China signed deals with Iran") in news of
            # the day, not background ("have deepened ties with Tehran in recent years").
            cued -= pair.crowded - {
                h.sentence
                for h in pair.hits
                if h.sentence in pair.between and "background" not in h.note
            }
            # Two states named together with no word of joint action act side by side: only a
            # cooperation cue ("China and Russia sign") makes it their own interaction; friction
            # ("Moscow and Beijing blamed Washington") is with someone else.
            # ... and so does friction only the two can have with each other ("Moscow and
            # Pyongyang quarrel over fishing quotas").
            together = {
                h.sentence
                for h in pair.hits
                if h.sentence in cued
                and (h.relation == "cooperation" or "of the pair named as one" in h.note)
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


def _with_native_and(span: Span, mentions: list[Found], listed: set[str], ctx: Context) -> set[str]:
    """The states `listed`, and in the other languages also a pair joined by their "and"
    ("встречи с Си Цзиньпином и Пезешкианом", "Россия и Китай не будут участвовать"): read so
    for who a host meets and who stays away together only, since as a list in general it costs
    more codings than it mends (docs/coding.md)."""
    if span.text.isascii():
        return listed
    return listed_states(span, mentions, ctx, native_and=True)


_JOINED = frozenset({"", "·", "-", "–", "/", "、"})
"""What joins two states named as one pair ("中俄", "북·러", "Russia-China")."""


def _parties(
    span: Span, named: list[tuple[int, str]], hit: Hit, ctx: Context
) -> tuple[set[str], set[str]]:
    """The CRANK states a cue in a crowded sentence stands between: the state named last before
    it and the first after it, each with the states listed with it ("Russia and China signed
    deals with Iran": all three). With states on one side only, all of them: "Beijing's
    irritation with Pyongyang's growing closeness to Moscow" puts the irritation between
    Beijing and Pyongyang and the closeness between Pyongyang and Moscow. Second, the dyads the
    cue surely joins: each state of one side with each of the other ("Russia and China signed
    deals with Iran": CN-IR and IR-RU, not CN-RU), the states of a meeting's subject among
    themselves; none when the states are all of the sentence's."""
    clause = ctx.clause
    crank = sorted((at, c) for at, c in named if c in _CRANK)
    before = [(at, c) for at, c in crank if at < hit.start]
    # A state named after the cue only as the source of what the sentence tells (", the Kremlin
    # said", "according to Tehran") stands between nothing.
    after = [(at, c) for at, c in crank if at >= hit.start and not _source(span, at, ctx)]
    if hit.cue.exchange and not after:
        # "Putin and Xi condemned Israel's strikes on Iran in a phone call": a meeting or call
        # told after every state is the subject's, the states named as one before anyone else
        # ("Putin, Xi congratulate Iran's Pezeshkian" greets the state named after).
        subject = _subject(span, sorted(named), hit.start)
        if subject:
            return subject, {dyad_of(a, b) for a in subject for b in subject if a < b}
    # "declared Iran in breach, in a vote that Russia and China opposed": the states named in
    # the cue vote against a measure aimed at the state named before it; they shield it.
    inside = [(at, c) for at, c in after if at < hit.end]
    if inside and before and _VOTED.search(span.text, hit.start - span.start, hit.end - span.start):
        voters = {c for _, c in inside}
        target = listed_with(span.text, span.start, before, backward=True) - voters
        if target and not any(at >= hit.end for at, _ in after):
            return voters | target, {dyad_of(a, b) for a in voters for b in target}
    # A clause of its own beyond the cue ("cooled after Russia deals") leaves its states out of
    # the reckoning, and then all states count ...
    if before and clause.search(span.text, before[-1][0] - span.start, hit.start - span.start):
        # ... unless the cue's clause has no subject of its own ("welcomes Russian tourists but
        # keeps Chinese groups out"): then the sentence's first CRANK state voices it.
        elliptic = ctx.elliptic.search(span.text, 0, hit.start - span.start)
        before = crank[:1] if elliptic else []
    if after and clause.search(span.text, hit.end - span.start, after[0][0] - span.start):
        after = []
    if not before or not after:
        return {c for _, c in crank}, set()
    text, offset = span.text, span.start
    first = listed_with(text, offset, before, backward=True)
    then = listed_with(text, offset, after)
    between = first | then
    # Surely theirs only when the sentence says it plainly: the states before the cue are all
    # the states it names before it (its subject), close to it, and the others follow it at
    # once ("Russia and China signed deals with Iran"), not "a treaty between ...".
    gap = text[hit.end - offset : after[0][0] - offset]
    if _BETWEEN_BEFORE.fullmatch(gap.lstrip()) and len(then) >= 2:
        # "the military cooperation between Russia and North Korea": the pair's own.
        return between, {dyad_of(a, b) for a in then for b in then if a < b}
    # The cue's subject is what its own clause names before it: "Imports from China fell as
    # Pyongyang turned to Russia for fuel" leaves China to the clause before "as".
    opens = offset + max((m.end() for m in clause.finditer(text, 0, hit.start - offset)), default=0)
    if (
        any(c not in first for at, c in named if opens <= at < hit.start)
        or hit.start - before[-1][0] > _SUBJECT_REACH
        or len(gap) > _OBJECT_REACH
        or _BETWEEN.search(gap)
    ):
        return between, set()
    return between, {dyad_of(a, b) for a in first for b in then if a != b}


_VOTED = re.compile(r"\b(oppos(ed|es)|vetoe?[sd]|vot(ed|e) against)$", re.IGNORECASE)
"""A cue ending in a vote against: its states shield the one the measure aims at."""
_SUBJECT_REACH = 80
"""How far (in characters) a cue in a crowded sentence may stand from its subject's last state
for it to join that subject with the states after it."""
_OBJECT_REACH = 25
"""... and how far the first of those may stand after it, with no clause or "between" in
between (`_BETWEEN`)."""
_BETWEEN = re.compile(r"\bbetween\b|\b(and|but|while|whereas)\b|[,;:()\[\]]", re.IGNORECASE)


def _three_sentences(spans: list[Span]) -> set[int]:
    """The body sentences saying "the three countries" (a string test first: few do)."""
    return {
        i for i, span in enumerate(spans) if i and "three" in span.text and _THREE.search(span.text)
    }


def _between_pair(span: Span, mentions: list[Found], listed: set[str]) -> bool:
    """Whether the listed pair is named after "between" ("the military cooperation between
    Russia and North Korea", "a treaty between Moscow and Pyongyang"): the pair itself, not
    two states acting each on its own."""
    first = min((m.start for m in mentions if m.country in listed), default=None)
    if first is None:
        return False
    return _BETWEEN_BEFORE.search(span.text, 0, first - span.start) is not None


_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(the\s+)?$", re.IGNORECASE)
"""The word that names the pair after it as one ("ties between Moscow and Pyongyang")."""


def _subject(span: Span, named: list[tuple[int, str]], end: int) -> set[str]:
    """The CRANK states named as one at the head of a sentence, before any other state and
    before `end` ("Russian President Vladimir Putin and Chinese President Xi Jinping ..."); empty
    when the sentence does not open so."""
    runs: list[list[int]] = []  # per state named in turn: where it is first and last named
    countries: list[str] = []
    for at, country in named:
        if at >= end or country not in _CRANK:
            break
        if countries and countries[-1] == country:
            runs[-1][1] = at
        else:
            runs.append([at, at])
            countries.append(country)
    group: set[str] = set(countries[:1])
    for (_, last), (first, _), country in zip(runs, runs[1:], countries[1:], strict=False):
        if not named_as_one(span.text, span.start, last, first):
            break
        group.add(country)
    return group if len(group) >= 2 else set()


def _source(span: Span, at: int, ctx: Context) -> bool:
    """Whether the state named at `at` is only the source of what the sentence tells (", the
    Kremlin said", "according to Chinese state media"); a state named after a cause ("after
    Russia's ...") may still act."""
    start = at - span.start
    # A name's word ends within 100 characters: a run with no space or stop (Chinese) is not
    # read to its end for every name in it.
    word = _WORD.match(span.text, start, start + 100)
    end = word.end() if word else start
    return named_aside(ctx, span.text, start, end) == "source"


_WORD = re.compile(r"[\w'’.-]+")
_SOURCE_COLON = re.compile(r"[ \t]*[:：]")
"""A colon right after a headline's first name: the source of what follows ("Seoul: ...")."""


def _next_start(spans: list[Span], index: int, size: int) -> int:
    """Where the sentence after `index` starts (`size`, the text's length, for the last): a
    match starting before it belongs to sentence `index`."""
    return spans[index + 1].start if index + 1 < len(spans) else size


_Words = dict[tuple[str, int, int], Counter[str]]
"""Per way of reading them (`linear.Words.reading`), an article's words as counted."""


def _counted(words: _Words, model: Words, title: str, text: str) -> Counter[str]:
    """The headline's and lead's words as `model` reads them, counted once per article."""
    counts = words.get(model.reading)
    if counts is None:
        counts = words[model.reading] = model.counts(title, text)
    return counts


_EVIDENCE_PER_DYAD = 4
"""How many of a dyad's evidence sentences its interaction keeps, and the relation model reads."""


def pair_evidence(pair: Pair, spans: list[Span]) -> str:
    """The text of a dyad's evidence sentences, as its interaction lists them."""
    return " ".join(spans[i].text for i in sorted(pair.sentences)[:_EVIDENCE_PER_DYAD])


_DEFAULT: list[Coder] = []


def default_coder() -> Coder:
    """The coder over the shipped gazetteer and lexicons, built once per process."""
    if not _DEFAULT:
        from crankcall.analyze.eventmodel import load_event_model
        from crankcall.analyze.gazetteer import shipped_gazetteer
        from crankcall.analyze.lexicon import load_lexicon
        from crankcall.analyze.relationmodel import load_relation_model
        from crankcall.analyze.topicmodel import load_topic_model

        _DEFAULT.append(
            Coder(
                shipped_gazetteer(),
                load_lexicon(),
                load_topic_model(),
                load_relation_model(),
                load_event_model(),
            )
        )
    return _DEFAULT[0]
