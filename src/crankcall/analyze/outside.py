"""Outside states and outside responses: who acts from outside the four, and when an article is
an outside response (an outsider's measure leading it, a CRANK government's answer to one, or a
response to the group) rather than an interaction of CRANK states (docs/coding.md)."""

from __future__ import annotations

import re

from crankcall.analyze.actors import Found
from crankcall.analyze.lexicon import Context
from crankcall.analyze.lists import listed_states
from crankcall.analyze.relation import Pair, pair_first
from crankcall.analyze.text import Span
from crankcall.models import CRANK_STATES

_CRANK = frozenset(CRANK_STATES)


def named_aside(context: Context, text: str, start: int, end: int) -> str | None:
    """How the words around a name at `start`..`end` of `text` set it aside from what the
    sentence tells: "source" when it only reports it (a trailing attribution with its verb:
    ", Seoul says", ", the Kremlin said"; "according to"), "cause" when it only causes it or its
    goods only cross ("after U.S. sanctions", "after pressure from the EU", "via Mongolia");
    None when neither."""
    found = context.outsider_source.search(text[max(0, start - 40) : start])
    if found is None:
        return None
    lead = found.group(1).lstrip()
    if lead.startswith("according to"):
        return "source"
    if lead[:1] in ",;—–-":  # a trailing attribution needs its verb
        return "source" if context.outsider_says.match(text, end, end + 50) else None
    return "cause"


_LISTING = re.compile(r"(china|russia|iran|north korea)\b", re.IGNORECASE)
"""The start of the group words that are only the states' names in a row (`context.group`)."""
_SANCTION = re.compile(
    r"\b(sanction\w*|export controls?|entity list|blacklist\w*)\b", re.IGNORECASE
)
"""An outside measure that makes states it lists a group however it names them."""


class Outsiders:
    """The outside actors of a gazetteer (actors that act, not places) and the rules on them."""

    def __init__(self, context: Context, places: frozenset[str], acting: frozenset[str]) -> None:
        self.context = context
        self.places = places
        self.acting = acting

    def sidelined(self, document: str, mention: Found) -> bool:
        """True when an outside state only reports or causes what the sentence tells ("...,
        straining ties, Seoul says", "according to U.S. officials", "suspend work after U.S.
        sanctions", "Seoul spy agency: ..." at a headline's start), or that goods only cross ("the
        Azerbaijan route"): friction there is not voiced
        by it or aimed at it."""
        ctx = self.context
        before = document[max(0, mention.start - 40) : mention.start]
        if not before.strip(" ").rpartition("\n")[2] and ctx.outsider_lead.match(
            document, mention.end
        ):
            return True  # "Seoul spy agency: ..." sources the headline
        if ctx.outsider_route.match(document, mention.end):
            return True  # "the Azerbaijan route": crossed, as "via Azerbaijan"
        return named_aside(ctx, document, mention.start, mention.end) is not None

    def starts(self, document: str, found: list[Found]) -> dict[int, int]:
        """Where the first outside state (not a place, nor only a source or a cause) is named,
        per sentence."""
        starts: dict[int, int] = {}
        for mention in found:
            if (
                mention.sentence not in starts
                and self.is_outsider(mention)
                and mention.actor not in self.places
                and not self.sidelined(document, mention)
            ):
                starts[mention.sentence] = mention.start
        return starts

    def group_response(
        self, document: str, spans: list[Span], by_sentence: dict[int, set[str]], rules: list[str]
    ) -> bool:
        ctx = self.context
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
            collective = self.collective(span.text) or self.collective(title)
            if not (group_word or collective) or not (outsiders or collective):
                continue
            if (
                not collective
                and not _SANCTION.search(span.text)
                and all(_LISTING.match(m.group()) for m in ctx.group.finditer(span.text))
            ):
                # The only group word is the states' names in a row: an outsider names them
                # each on their own ("U.S. names China, Russia, Iran and North Korea as top
                # threats"), unless its measure is a sanction or an export control.
                continue
            if ctx.response.search(document):
                rules.append(
                    f"s{index}: outside response to the group ({', '.join(sorted(named))})"
                )
                return True
        return False

    def group_headline(
        self, document: str, spans: list[Span], dyads: dict[str, Pair], rules: list[str]
    ) -> bool:
        """True when the headline names the group ("CRINK", "axis of upheaval") with no pair of
        its own, and the article reports a response to it."""
        ctx = self.context
        if not spans or any(pair.in_title for pair in dyads.values()):
            return False
        # The whole headline, which may hold two sentences ("Four Problems or One? The West
        # Needs a Strategy for the CRANK Alignment").
        headline = document.partition("\n")[0]
        if ctx.group_name.search(headline) and ctx.response.search(document):
            rules.append("s0: outside response to the group named in the headline")
            return True
        return False

    def collective(self, text: str) -> bool:
        """True when `text` says the states act together, not negated ("no coordination")."""
        ctx = self.context
        return any(
            not ctx.negation.search(text[max(0, m.start() - 40) : m.start()])
            for m in ctx.collective.finditer(text)
        )

    def lead(self, spans: list[Span], found: list[Found], rules: list[str]) -> bool:
        """True when the lead sentence reports an outside state's response to CRANK cooperation
        (a sanctions package, a summit declaration) or a CRANK government's answer to one."""
        ctx = self.context
        if not spans:
            return False
        # The lead: the headline, or the first of the next two sentences naming a CRANK state.
        crank_sentences = sorted({f.sentence for f in found if f.country in _CRANK})
        if not crank_sentences or crank_sentences[0] > 2:
            return False
        first = crank_sentences[0]
        lead = spans[first]
        mentions = [f for f in found if f.sentence == first]
        outside = [f for f in mentions if self.is_outsider(f) and not self._sources(lead, f)]
        crank = [f for f in mentions if f.country in _CRANK]
        if not outside or not crank:
            return False
        outsider_first = outside[0].start < crank[0].start
        listed = listed_states(lead, crank, ctx)
        countries = {str(f.country) for f in crank}
        if (
            len(countries) >= 2
            and countries <= listed
            and not self.collective(lead.text)
            and not self.collective(spans[0].text)
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
            if self.defends_another(lead, crank, measure.start()):
                return False
            if len(countries) >= 2 and (
                ctx.together.search(lead.text)
                or (
                    crank[0].start - lead.start <= 2
                    and pair_first([(f.start, str(f.country)) for f in crank])
                )
            ):
                # Two CRANK governments answering it together ("pledge a joint fight against
                # Western sanctions") or opening the sentence as one subject ("Iran, Russia vow
                # a united front against ...") act as a pair.
                return False
            rules.append(f"s{first}: a CRANK government answers an outside measure")
            return True
        return False

    def defends_another(self, lead: Span, crank: list[Found], after: int) -> bool:
        """True when the measure a CRANK government answers targets another CRANK state
        ("Beijing 'firmly opposes' snapback of UN sanctions on Iran"): support, not a response."""
        target = self.context.measure_target
        first = crank[0]
        for mention in crank:
            if mention.country != first.country:
                # "Russia vows to help North Korea resist UN sanctions": one helps the other.
                between = lead.text[first.end - lead.start : mention.start - lead.start]
                if self.context.helps_another.search(between):
                    return True
                break
        for mention in crank:
            offset = mention.start - lead.start
            if (
                offset > after
                and mention.country != crank[0].country
                and target.search(lead.text[max(0, offset - 25) : offset])
            ):
                return True
        return False

    def _sources(self, sentence: Span, mention: Found) -> bool:
        """Whether an outside state opening the sentence only sources it ("NIS: Pyongyang
        presses Moscow over ..."): what follows is the CRANK states' own act, not its
        response."""
        offset = mention.start - sentence.start
        return not sentence.text[:offset].strip() and bool(
            self.context.outsider_lead.match(sentence.text, mention.end - sentence.start)
        )

    def is_outsider(self, mention: Found) -> bool:
        return mention.country not in _CRANK and mention.actor in self.acting
