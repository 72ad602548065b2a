"""The topic of an article: weighted keywords of the lead and the evidence sentences, read by
the rules of docs/coding.md ("Choosing the topic")."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from crankcall.analyze.actors import Found
from crankcall.analyze.gazetteer import Gazetteer
from crankcall.analyze.lexicon import Lexicon, TopicTerm, phrase_matches
from crankcall.analyze.scanner import OTHER_SCRIPTS, TopicScanner
from crankcall.analyze.text import Span

_WORD = re.compile(r"\w+")
_TOPIC_LEAD = 2000  # characters of a document read for its topic, besides evidence sentences
_TITLE, _EVIDENCE = 3.0, 2.0  # how much the headline and evidence sentences weigh for the topic
# With no subject in the headline, a body topic holding less than this share of the subject
# scores makes the story one about the relationship: diplomacy.
_SPREAD = 0.4
_SOURCE = re.compile(
    r"\s*(:|says?\b|said\b|reports?\b|reported\b|quotes?\b|commentar|editorial|op-ed|column)",
    re.IGNORECASE,
)
"""What follows an outlet named as the headline's source or voice, not its subject ("KCNA:
...", "KCNA commentary backs ...")."""
_PROGRAMME = 3.0  # topic keywords of a missile programme weigh this much; missiles as such less


def scores_in_rules(rules: list[str] | tuple[str, ...]) -> dict[str, float]:
    """The three best topics' scores as `Topics.choose` records them among the rules ("topic
    military 10, diplomacy 1"), or none when it found no keyword."""
    for rule in rules:
        if rule.startswith("topic ") and rule[6:7].isalpha() and ":" not in rule:
            found: dict[str, float] = {}
            for part in rule[6:].split(", "):
                topic, _, value = part.rpartition(" ")
                found[topic] = float(value)
            return found
    return {}


class Topics:
    """Topic keywords of a lexicon, found with Hyperscan when it is there, word by word if not."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.index = lexicon.topics
        self.scanner = TopicScanner.build(lexicon.topics.terms)

    def choose(
        self,
        document: str,
        stand_in: bytes,
        spans: list[Span],
        used: list[int],
        rules: list[str],
        *,
        native: bool | None = None,
        response: bool = False,
        transfer: bool = False,
        office: Callable[[], str | None] | None = None,
        best: dict[str, float] | None = None,
    ) -> str:
        """The topic whose keywords weigh most in the lead and the evidence sentences: the title
        counts x3, evidence sentences x2, and a keyword at most three times per sentence. Empty
        when no keyword is found. `transfer`: the headline reports a transfer (missiles
        delivered are arms); `office`: the topic of the office of a person the headline names,
        which decides when only words of contact (talks, visit) speak. `native`: whether the
        document holds letters of Russian, Chinese, Persian or Korean, when the caller knows.
        `best`, when given, receives the three best topics' scores as the rules record them
        (`scores_in_rules` reads them back)."""
        starts = [span.start for span in spans]
        # The lead says what an article is about; beyond it only evidence sentences count.
        lead_end = max(_TOPIC_LEAD, spans[0].end if spans else 0)
        if self.scanner is not None:
            found = self.scanner.hits(stand_in, 0, lead_end)
            for i in used:
                if spans[i].start >= lead_end:
                    found += self.scanner.hits(stand_in, spans[i].start, spans[i].end)
        else:
            found = self.words(document, spans, used, lead_end)
        if native is None:
            native = not document.isascii() and bool(OTHER_SCRIPTS.search(document))
        if native:  # Russian, Chinese, ...
            lowered = document.lower()
            index = self.index
            found += index.native_hits(lowered, 0, lead_end)
            for i in used:
                if spans[i].start >= lead_end:
                    found += index.native_hits(lowered, spans[i].start, spans[i].end)
        found.sort(key=lambda hit: (hit[1], hit[0].key))  # ties go to the topic named first
        per_sentence: dict[tuple[str, int], float] = defaultdict(float)
        capped: dict[tuple[int, int], int] = defaultdict(int)
        form: dict[str, float] = defaultdict(float)  # the headline's words of form, per topic
        for term, position in found:
            sentence = bisect_right(starts, position) - 1
            if capped[(term.key, sentence)] < 3:
                capped[(term.key, sentence)] += 1
                per_sentence[(term.topic, sentence)] += term.weight
                if term.form and sentence == 0:
                    form[term.topic] += term.weight
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
        if best is not None:
            best.update((k, float(f"{v:.0f}")) for k, v in ranked[:3])
        programme = any(t.topic == "nuclear_missile" and t.weight >= _PROGRAMME for t, _ in found)
        if office is not None and all(topic == "diplomacy" for topic, _ in ranked):
            held = office()
            if held:
                return held
        return self.rule(
            ranked,
            title,
            rules,
            response=response,
            programme=programme,
            transfer=transfer,
            form=form,
            breach=bool(spans)
            and bool(self.lexicon.context.sanctions_breach.search(spans[0].text)),
        )

    def rule(
        self,
        ranked: list[tuple[str, float]],
        title: dict[str, float],
        rules: list[str],
        *,
        response: bool,
        programme: bool = True,
        transfer: bool = False,
        form: dict[str, float] | None = None,
        breach: bool = False,
    ) -> str:
        """The topic from the ranked scores, by the rules of docs/coding.md: missiles with no
        word of a programme (`programme` false) are arms (military) when anything military is
        named; a story whose headline names no subject and whose body spreads over several,
        none holding `_SPREAD` of them, is about the relationship (diplomacy); so is an outside
        response whose headline names no subject (a declaration, a warning, a speech), unless
        its measure is a sanction (decided by the caller); a headline naming one subject (and
        no outside response) gives the topic whatever the body weighs; a headline naming an
        energy commodity and, of trade, only the words of an exchange's form (`form`: imports,
        tariffs, prices) is energy ("China's Russian coal imports slide as tariff returns"); a
        headline reporting a sanction broken (`breach`: a UN cap exceeded, evasion) and naming a
        sanction is sanctions whatever goods cross, unless an outside response decides."""
        best = ranked[0][0]
        scores = dict(ranked)
        if (
            best == "trade_finance"
            and not response
            and title.get("energy")
            and title.get("trade_finance", 0.0) <= (form or {}).get("trade_finance", 0.0)
        ):
            rules.append("topic energy: the headline's commodity, traded")
            return "energy"
        if best == "nuclear_missile" and not programme and (scores.get("military") or transfer):
            rules.append("topic military: missiles with no programme word are arms")
            if "military" not in scores:
                # A transfer of missiles with no other word of arms: the missiles' weight is
                # the arms' (the rules below read the winner's score).
                ranked = [("military" if k == best else k, v) for k, v in ranked]
            ranked = sorted(ranked, key=lambda item: item[0] != "military")
            best = "military"
        if response and best == "trade_finance" and scores.get("sanctions"):
            # Banks, firms and trade named in an outside measure are its targets.
            rules.append("topic sanctions: an outside measure on trade")
            return "sanctions"
        if (
            breach
            and title.get("sanctions")
            and best in {"energy", "trade_finance", "other"}
            and not response
        ):
            # A UN cap exceeded, a ban breached, evasion: the sanction is the story, whatever
            # goods cross ("Russian oil flows to North Korea above UN cap").
            rules.append("topic sanctions: the headline reports a sanction broken")
            return "sanctions"
        if response and not any(k != "diplomacy" for k in title) and best != "diplomacy":
            rules.append(f"topic diplomacy: an outside response, {best} only in the body")
            return "diplomacy"
        # The headline says what the story is: its one subject wins over the body's.
        heads = [k for k in title if k != "diplomacy"]
        if heads == ["nuclear_missile"] and not programme and (scores.get("military") or transfer):
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

    def words(
        self, document: str, spans: list[Span], used: list[int], lead_end: int
    ) -> list[tuple[TopicTerm, int]]:
        """Topic keywords with the position of their first word, matched word by word (the
        fallback without Hyperscan)."""
        index = self.index
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

    def office(
        self, found: list[Found], published: date | None, rules: list[str], document: str = ""
    ) -> str | None:
        """The topic of the office a person named in the headline held on the article's day
        ("Belousov in Pyongyang": military), when the lexicon gives one; or of the institution
        the headline names first, as its subject and not its source ("Tasnim and Sputnik sign
        cooperation memorandum": information_ops; not "KCNA: Kim receives delegation").
        `document` is what the mentions' offsets index."""
        for index, mention in enumerate(found):
            if mention.sentence != 0:
                break
            body = self.lexicon.bodies.get(mention.actor) if index == 0 else None
            if body and not _SOURCE.match(document, mention.end):
                rules.append(f"topic {body}: {mention.text} is the subject")
                return body
            actor = self.gazetteer.actors.get(mention.actor)
            if published is None or actor is None or actor.type != "person":
                continue
            for role in actor.roles_on(published):
                topic = self.lexicon.offices.get(role)
                if topic:
                    rules.append(f"topic {topic}: {mention.text}, {role}")
                    return topic
        return None
