"""Evidence per pair of CRANK states and what it says: cue hits weighed by their context, the
relation of a pair and of an article, the event type, the intensity and the relevance score.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

from crankcall.analyze.actors import Found
from crankcall.analyze.lexicon import Context, Cue
from crankcall.analyze.lists import listed_with, named_as_one
from crankcall.analyze.scanner import Scan
from crankcall.analyze.text import Span
from crankcall.models import CRANK_STATES

_CRANK = frozenset(CRANK_STATES)

_HEADLINE_LEAD = 1.5  # how much cooperation must outweigh a headline led by friction
_WEAKENED = re.compile("hedged|denied|earlier|outside|denial")  # notes of weakened cues
_OWN = 0.8  # the weight of a kind in a body sentence that makes it news of its own
_AIMED = 25  # how close after a cue the state it is aimed at is named
# How far apart the two states of a pair named as one may start ("Russian-Chinese", "Beijing
# and Moscow"), and how far after the second the pair's own friction word may start.
_COMPOUND = 14
_HEADLINE_BOTH = 0.5  # a headline with at least this weight of each kind makes the story mixed
_BEFORE = 40  # how many characters before a cue are searched for what changes it
_FRICTION_BEFORE = 80  # ... and for friction whose object the cue is (`_friction_over`)

# The context patterns searched in the words just before a cue (`first_hit`), in the order of a
# scanner over them (`PatternScanner(..., anchored=True)`): most hits have none of them, and
# `re` tried each at every one of those characters.
BEFORE_CUE = ("denial", "negation", "stopped", "friction_over", "past", "hedge", "outside_before")
_DENIAL, _NEGATION, _STOPPED, _FRICTION_OVER, _PAST, _HEDGE, _OUTSIDE_BEFORE = range(
    len(BEFORE_CUE)
)
_ANY = range(len(BEFORE_CUE))  # without a scan, every pattern may match

_EVENT_RANK = {
    "AGREE": 9,
    "AID": 8,
    "COOPERATE": 7,
    "SUPPORT": 5,
    "CONSULT": 4,
    "COERCE": 9,
    "PROTEST": 8,
    "SANCTION": 7,
    "REJECT": 7,
    "THREATEN": 6,
    "DEMAND": 5,
    "DISAPPROVE": 4,
}


@dataclass(kw_only=True)
class Hit:
    """A cue found in one sentence."""

    cue: Cue
    sentence: int
    start: int
    end: int
    weight: float
    relation: str
    note: str
    event: str
    """The event type the hit tells: its cue's, or what the cue's `events` read in the
    sentence."""


class SentenceContext:
    """What a sentence says around its cues, looked at when a cue needs it and then kept for
    the others: whether words of friction follow a cooperation cue, making it their object
    ("gas deal stalls"), and whether the sentence names two CRANK states and "the two sides",
    which keeps its friction theirs beside an outsider ("the two sides remain apart on
    price")."""

    __slots__ = ("_ctx", "_friction", "_sides", "_span", "_states")

    def __init__(
        self,
        span: Span,
        ctx: Context,
        states: list[tuple[int, str]] | None,
        *,
        friction: bool = True,
        sides: bool = True,
    ) -> None:
        """`friction`: False when no contention cue may match in the sentence (every word of
        `stalled_after` is one), so no cooperation cue there is stalled; `sides`: False when
        "the two sides" cannot match in it (a scan of the sentence says so)."""
        self._friction = friction
        self._span = span
        self._ctx = ctx
        self._states = states or []
        self._sides: bool | None = None if sides else False

    def stalled(self, end: int) -> bool:
        """True when words of friction follow a cue ending at sentence offset `end`, a few
        words on and with no punctuation between ("deal stalls", "project has been delayed")."""
        return self._friction and bool(
            self._ctx.stalled_after.match(self._span.text[end : end + 60])
        )

    @property
    def sides(self) -> bool:
        """True when the sentence names two CRANK states and "the two sides"."""
        if self._sides is None:
            crank = {country for _, country in self._states if country in _CRANK}
            self._sides = len(crank) >= 2 and bool(self._ctx.two_sides.search(self._span.text))
        return self._sides


@dataclass(kw_only=True)
class Pair:
    """Evidence gathered for one dyad."""

    sentences: set[int] = field(default_factory=set)
    hits: list[Hit] = field(default_factory=list)
    in_title: bool = False
    inferred: int = 0
    listed: set[int] = field(default_factory=set)
    crowded: set[int] = field(default_factory=set)  # sentences naming a third CRANK state too
    between: set[int] = field(default_factory=set)  # of those, where a cue stands between them
    outside_led: bool = False  # the headline's subject is an outside state ("U.S. says ...")
    turns: set[int] = field(default_factory=set)  # sentences that turn ("ties grow but ...")
    opens: set[int] = field(default_factory=set)  # body sentences opening with a turn ("But ...")
    title_denied: bool = False  # the headline names the pair as not interacting ("separate drills")
    carried: set[int] = field(default_factory=set)  # body sentences naming one of the pair
    title_turn: int = 0  # where the headline turns ("..., but ..."), when it does after a start

    @cached_property
    def distinct(self) -> list[Hit]:
        """Its own cues (scope "pair"), each of its words once (`_distinct`): what its relation
        and its event type are read from, once all its hits are in."""
        return _distinct([h for h in self.hits if h.cue.scope == "pair"])

    @cached_property
    def own(self) -> dict[str, set[int]]:
        """Per kind, the body sentences where its own cues stand on their own
        (`_own_sentences`)."""
        return _own_sentences(self.distinct)

    @cached_property
    def body_turns(self) -> list[int]:
        """The body sentences that turn with both kinds of its own cues (`_turns`), in order."""
        return [i for i in sorted(self.turns) if i > 0 and _turns(self.distinct, i)]

    def weight(self, relation: str) -> float:
        """The weight of the pair's own cues of one relation."""
        return sum(h.weight for h in self.hits if h.relation == relation and h.cue.scope == "pair")


def first_hit(
    cue: Cue,
    span: Span,
    index: int,
    *,
    outsider: int | None,
    ctx: Context,
    states: list[tuple[int, str]] | None = None,
    sentence: SentenceContext | None = None,
    match: re.Match[str] | None = None,
    before_scan: Scan | None = None,
) -> Hit | None:
    """The cue's first match in a sentence, weighed by what stands around it; `outsider`: where
    the first outside state is named in the text, when the sentence names one; `states`: where
    states are named in the sentence (text offsets and countries); `sentence`: what the sentence
    says around its cues, when the caller has it already; `match`: the cue's first match
    (`cue.combined.search` of the sentence), when the caller has found it already;
    `before_scan`: a scan of the document by the patterns of `BEFORE_CUE` (anchored), which
    says which of them may match in the words before the cue, when the caller has one."""
    if match is None:
        match = cue.combined.search(span.text)
    if match is not None:
        at = match.start()
        low = max(0, at - _BEFORE)
        before = span.text[low:at]
        may = (
            _ANY
            if before_scan is None
            else before_scan.may_match(span.start + low, span.start + at)
        )
        weight, relation, note = cue.weight, cue.relation, ""
        if (_DENIAL in may and ctx.denial.search(before)) or ctx.denial.search(
            span.text[match.end() : match.end() + 30]
        ):
            weight, note = weight * 0.6, "denied"
        elif (_NEGATION in may and ctx.negation.search(before)) or (
            cue.relation == "cooperation"
            and (
                (_STOPPED in may and _stopped(ctx, span.text, low, at))
                or (sentence or SentenceContext(span, ctx, states)).stalled(match.end())
                or _friction_over(span, at, outsider, ctx, before_scan)
            )
        ):
            weight, note = weight * 0.5, "negated"
            relation = "contention" if cue.relation == "cooperation" else "cooperation"
        elif _PAST in may and ctx.past.search(before):
            weight, note = weight * 0.3, "earlier state"
        elif _HEDGE in may and ctx.hedge.search(before):
            weight, note = weight * 0.8, "hedged"
        if relation == "contention" and cue.relation == "contention":
            if ctx.denial.match(span.text, match.start()):
                # The friction word denies a claim ("rejected the claim"): no friction between
                # the pair.
                weight, note = 0.0, "a denial"
            elif (_OUTSIDE_BEFORE in may and ctx.outside_before.search(before)) or _aimed_outside(
                ctx, span, match.end(), states or []
            ):
                # Voiced by the pair together, or aimed at an outside power or measure ("would
                # jointly resist", "warned against pressure and sanctions"): not between them.
                weight, note = weight * cue.outsider, (note + " aimed outside").strip()
        at = span.start + match.start()
        if (
            relation == "contention"
            and "outside" not in note
            and ctx.pair_friction.match(match.group())
            and (
                _pair_before(states or [], at)
                or (ctx.elliptic.search(span.text, 0, match.start()) and pair_first(states or []))
            )
        ):
            # "Moscow and Pyongyang quarrel over ...", "Moscow and Tehran ... but compete for
            # buyers" (a clause with no subject of its own takes the sentence's): the pair's
            # own friction, each with the other, beside an outside state too.
            note = (note + " of the pair named as one").strip()
        elif outsider is not None and cue.outsider < 1.0 and "outside" not in note:
            # With an outside state in the sentence, friction is mostly with it, voiced by it
            # ("U.S. criticises China's support") or aimed at it ("Russia condemns U.S. strikes
            # on Iran"), and a meeting may be its own ... unless a CRANK state voices it at
            # another, named next ("Pyongyang uneasy as Moscow keeps channel to Seoul open"), or
            # the sentence is about the two sides ("the two sides remain apart on price").
            if cue.exchange and _pair_before_outsider(span, states or [], outsider):
                # The pair's own meeting or call, which makes the pair as any cue of theirs does
                # ("Putin and Xi condemned Israel's strikes on Iran in a phone call").
                note = (note + " the pair's meeting").strip()
            elif (sentence or SentenceContext(span, ctx, states)).sides or _between_crank(
                span, states or [], at, span.start + match.end(), ctx
            ):
                note = (note + " between the pair").strip()
            else:
                weight, note = weight * cue.outsider, (note + " outside actor").strip()
        event = cue.event
        for told, words in cue.events:
            if words.search(span.text):
                event = told
                break
        return Hit(
            cue=cue,
            sentence=index,
            start=span.start + match.start(),
            end=span.start + match.end(),
            weight=weight,
            relation=relation,
            note=note,
            event=event,
        )
    return None


def _stopped(ctx: Context, text: str, low: int, at: int) -> bool:
    """Whether a halt stands in the words before a cue (`text[low:at]`) that what follows it,
    read on to the end of the sentence, does not undo (`context.unstopped`: "cut a gas deal",
    "cuts its gas price"; those words are often the cue's own)."""
    rest = text[low:]
    return any(
        not ctx.unstopped.match(rest, m.start()) for m in ctx.stopped.finditer(rest, 0, at - low)
    )


def _friction_over(
    span: Span, at: int, outsider: int | None, ctx: Context, before_scan: Scan | None
) -> bool:
    """True when friction just before a cooperation cue (sentence offset `at`) makes the cue its
    object ("rebukes Moscow over corridor talk", "stiff-arms Tehran's plea for a credit line"),
    and no outside state named before the cue voices it ("U.S. slams China over support for
    Russia" is the outsider's friction and the pair's cooperation). Read over the
    `_FRICTION_BEFORE` characters before the cue: the friction word, its object and the
    preposition may stand that far."""
    if outsider is not None and outsider < span.start + at:
        return False
    low = max(0, at - _FRICTION_BEFORE)
    if before_scan is not None and _FRICTION_OVER not in before_scan.may_match(
        span.start + low, span.start + at
    ):
        return False
    return ctx.friction_over.search(span.text, low, at) is not None


def _aimed_outside(ctx: Context, span: Span, end: int, states: list[tuple[int, str]]) -> bool:
    """True when what follows a friction cue (sentence offset `end`) aims it at an outside power
    or measure, with no CRANK state named on the way ("warned against pressure and sanctions",
    not "exit Iranian projects under sanctions pressure")."""
    aimed = ctx.aimed_outside.match(span.text[end : end + 70])
    if aimed is None:
        return False
    start, stop = span.start + end, span.start + end + aimed.end()
    return not any(start <= at < stop and country in _CRANK for at, country in states)


_OBJECT_OF = re.compile(r"\b(to|with|toward|towards)\s+(the\s+)?$", re.IGNORECASE)
"""A preposition right before a state: the state is its object ("overtures to Seoul")."""
_SUBJECT_BREAK = re.compile(r"[,:]|\band\b", re.IGNORECASE)
"""What ends a subject before its verb besides a clause of its own (`context.clause`): a comma,
a colon, another subject joined by "and"."""


def _between_crank(
    span: Span, states: list[tuple[int, str]], start: int, end: int, ctx: Context
) -> bool:
    """True when the state named last before a cue is a CRANK state and a CRANK state other than
    one named before is the first named just after it, or listed with it: one voices the
    friction at the other ("Iran summons British and Russian envoys"; "China opposes the
    censure of Iran but urges Tehran to ...")."""
    ordered = sorted(states)
    named_before = [(at, country) for at, country in ordered if at < start]
    before = [country for _, country in named_before]
    after = [(at, country) for at, country in ordered if start <= at <= end + _AIMED]
    if not after or not any(country in _CRANK for country in before):
        return False
    text, offset = span.text, span.start
    # The voice is the state named last before the cue, or, when the cue's clause has no
    # subject of its own ("..., but urges Tehran"), the sentence's first CRANK state, whoever
    # was named between ("China defends Iran at the IAEA board, but presses Tehran ...").
    voices = {before[-1]} & _CRANK
    if not voices:
        # "Moscow's overtures to Seoul irk Pyongyang": an outside state named as the object of
        # a preposition in the subject is not its voice; the CRANK state it belongs to is.
        owners = [(at, country) for at, country in named_before[:-1] if country in _CRANK]
        if owners and _OBJECT_OF.search(text, 0, named_before[-1][0] - offset):
            subject = owners[-1][0] - offset, start - offset
            if not (ctx.clause.search(text, *subject) or _SUBJECT_BREAK.search(text, *subject)):
                voices = {owners[-1][1]}
    if ctx.elliptic.search(text, 0, start - offset):
        voices.add(next(country for country in before if country in _CRANK))
    if not voices:
        return False
    targets = listed_with(text, offset, after)
    return any(t in _CRANK and voices - {t} for t in targets)


def _pair_before_outsider(span: Span, states: list[tuple[int, str]], outsider: int) -> bool:
    """True when two CRANK states are named as one before the sentence's first outside state:
    they are its subject, and a meeting or call it tells is theirs ("Lavrov and Araghchi
    discuss Ukraine ... at talks in Tehran", "Putin and Xi condemned Israel's strikes in a phone
    call"), where one named after the outsider is the outsider's ("Kuleba met Wang Yi"), and one
    whose states are subject and object is not ("Xi bypasses Tehran on a Gulf tour, stopping in
    Riyadh")."""
    before = [(at, country) for at, country in sorted(states) if at < outsider]
    return any(
        a in _CRANK and b in _CRANK and a != b and named_as_one(span.text, span.start, one, two)
        for (one, a), (two, b) in pairwise(before)
    )


def pair_first(states: list[tuple[int, str]]) -> bool:
    """True when the first two states a sentence names are two CRANK states named as one
    ("Russian and Iranian ministers agree ...")."""
    first = sorted(states)[:2]
    if len(first) < 2:
        return False
    (one, a), (two, b) = first
    return a in _CRANK and b in _CRANK and a != b and two - one <= _COMPOUND


def _pair_before(states: list[tuple[int, str]], start: int) -> bool:
    """True when the cue at `start` follows a pair of CRANK states named as one ("Russia-China
    rivalry", "Sino-Russian tensions", "Beijing and Moscow's rift"): the friction is theirs."""
    before = [(at, country) for at, country in sorted(states) if at < start][-2:]
    if len(before) < 2:
        return False
    (first, a), (second, b) = before
    return (
        a in _CRANK
        and b in _CRANK
        and a != b
        and second - first <= _COMPOUND
        and start - second <= _COMPOUND + 4
    )


def relation_and_reason(pair: Pair) -> tuple[str, str]:
    """The pair's relation from its own cues, the headline counting double, and the rule that
    decided it (for `crankcall explain`).

    Mixed is both kinds in what the article reports about the pair: a headline that carries
    both across a turn ("but", "despite", "even as"), or friction only after a turn that three
    words or more of what the pair does come before ("fleets return to North Korean waters,
    but seizures flare"); a sentence that turns and carries both
    ("ties grow but payments stall"); friction of the pair's own in a sentence of its own
    in a story of cooperation ("a paragraph of its own": `_own_sentences`); or, with no
    one-sided headline, both kinds of weight. Cues weakened by their context (negated, denied,
    hedged, background, voiced by or aimed at an outsider) do not stand on their own. A headline
    led by friction keeps the story contention unless cooperation outweighs it by half again:
    what was agreed or built before is its background ("Sinopec suspends talks on Russian
    venture"). Friction that an outside state voices counts only beside friction of the pair's
    own.
    """
    weights = {"cooperation": 0.0, "contention": 0.0}
    title = {"cooperation": 0.0, "contention": 0.0}
    hits = pair.distinct
    own_friction = any(h.relation == "contention" and "outside" not in h.note for h in hits)
    for hit in hits:
        if hit.relation == "contention" and "outside" in hit.note and not own_friction:
            continue
        weights[hit.relation] += hit.weight * (2.0 if hit.sentence == 0 else 1.0)
        if hit.sentence == 0:
            title[hit.relation] += hit.weight
    cooperation, contention = weights["cooperation"], weights["contention"]
    total = cooperation + contention
    if total == 0:
        return "cooperation", "no cues"
    if 0 in pair.turns and min(title.values()) >= _HEADLINE_BOTH:
        return "mixed", "the headline turns with both kinds"
    if (
        pair.title_turn
        and title["cooperation"] < _HEADLINE_BOTH
        and title["contention"] >= _HEADLINE_BOTH
        and all(
            h.start > pair.title_turn
            for h in hits
            if h.sentence == 0 and h.relation != "cooperation"
        )
    ):
        # "Chinese fleets return to North Korean waters, but seizures flare": what comes before
        # the turn is what the pair does, in words no cue knows, and the friction follows it.
        return "mixed", "the headline turns from what the pair does to friction"
    turns = pair.body_turns
    own = pair.own
    shift = _shift(pair.opens, own)
    if shift:
        return "mixed", f"s{shift} turns against the sentence before"
    if min(title.values()) == 0 and max(title.values()) >= 0.5:
        if title["cooperation"]:
            if own["contention"]:
                return "mixed", f"friction of its own in s{min(own['contention'])}"
            if turns:
                return "mixed", f"s{turns[0]} turns with both kinds"
            return "cooperation", "the headline leads"
        if cooperation < _HEADLINE_LEAD * contention:
            if turns:
                return "mixed", f"s{turns[0]} turns with both kinds"
            return "contention", "the headline leads"
    if turns:
        return "mixed", f"s{turns[0]} turns with both kinds"
    if min(cooperation, contention) >= 1.0 and min(cooperation, contention) >= 0.3 * total:
        return "mixed", f"both kinds weigh ({cooperation:.1f}, {contention:.1f})"
    kind = "cooperation" if cooperation >= contention else "contention"
    if kind == "cooperation" and own["contention"]:
        return "mixed", f"friction of its own in s{min(own['contention'])}"
    return kind, f"{kind} weighs more ({cooperation:.1f}, {contention:.1f})"


PAIR_FEATURES = (
    "w_coop",
    "w_cont",
    "t_coop",
    "t_cont",
    "weak_coop",
    "weak_cont",
    "out_cont",
    "own_coop",
    "own_cont",
    "turn_title",
    "body_turns",
    "shift",
    "opens",
    "n",
    "neutral",
)
"""What `pair_features` measures, in order (docs/coding.md, "The relation model")."""

_REASON_DETAIL = re.compile(r"\(.*|s\d+|[\d.,]+")


def pair_features(pair: Pair) -> tuple[float, ...]:
    """What the relation rules weighed for a pair, as numbers for the relation model (in
    `PAIR_FEATURES` order): the weight of its own cues of each kind (the headline's twice,
    `w_`), in the headline (`t_`), weakened by their context (`weak_`), friction voiced by or
    aimed at an outsider (`out_cont`), body sentences where each kind stands on its own
    (`own_`), whether the headline turns, body sentences that turn with both kinds, whether a
    sentence opening with a turn sets the kinds against each other (`shift`), sentences
    opening with a turn, how many cues there are, and how many body sentences of the pair carry
    no cue at all (`neutral`: what they tell, a cue may not know, "tunnelling specialists are
    advising on a project in Iran")."""
    hits = pair.distinct
    w_coop = w_cont = t_coop = t_cont = weak_coop = weak_cont = out_cont = 0.0
    for hit in hits:
        cooperation = hit.relation == "cooperation"
        weight = hit.weight
        if hit.sentence == 0:
            if cooperation:
                t_coop += weight
            else:
                t_cont += weight
            weight *= 2.0
        if cooperation:
            w_coop += weight
        else:
            w_cont += weight
        if hit.note and _WEAKENED.search(hit.note):
            if cooperation:
                weak_coop += hit.weight
            else:
                weak_cont += hit.weight
        if not cooperation and "outside" in hit.note:
            out_cont += hit.weight
    own = pair.own
    return (
        w_coop,
        w_cont,
        t_coop,
        t_cont,
        weak_coop,
        weak_cont,
        out_cont,
        float(len(own["cooperation"])),
        float(len(own["contention"])),
        float(0 in pair.turns),
        float(len(pair.body_turns)),
        float(bool(_shift(pair.opens, own))),
        float(len(pair.opens)),
        float(len(hits)),
        float(len({i for i in pair.sentences if i > 0} - {h.sentence for h in pair.hits})),
    )


def reason_kind(reason: str) -> str:
    """The rule of `relation_and_reason` without its sentence numbers and weights ("friction of
    its own in s3" -> "friction of its own in"): one of a few kinds the relation model reads."""
    return _REASON_DETAIL.sub("", reason).strip()


def _distinct(hits: list[Hit]) -> list[Hit]:
    """The hits less those a stronger hit of the same kind overlaps in the same words: two cues
    matching "payment snags" are one piece of friction, not two."""
    if len(hits) < 2:
        return hits
    kept: list[Hit] = []
    spans: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for hit in sorted(hits, key=lambda h: (-h.weight, -_EVENT_RANK.get(h.event, 0))):
        taken = spans.setdefault((hit.sentence, hit.relation), [])
        if not any(start < hit.end and hit.start < end for start, end in taken):
            taken.append((hit.start, hit.end))
            kept.append(hit)
    return kept


def _own_sentences(hits: list[Hit]) -> dict[str, set[int]]:
    """Per kind, the body sentences where the pair's own cues of that kind stand on their own:
    at least `_OWN` of weight, and more than the other kind's in the sentence. Cues hedged,
    denied, earlier or with an outsider do not stand on their own ("would undermine dialogue")."""
    per: dict[int, list[float]] = {}
    for hit in hits:
        if hit.sentence > 0 and not (hit.note and _WEAKENED.search(hit.note)):
            weights = per.get(hit.sentence)
            if weights is None:
                weights = per[hit.sentence] = [0.0, 0.0]
            weights[hit.relation == "contention"] += hit.weight
    own: dict[str, set[int]] = {"cooperation": set(), "contention": set()}
    for sentence, (cooperation, contention) in per.items():
        if cooperation >= _OWN and cooperation > contention:
            own["cooperation"].add(sentence)
        elif contention >= _OWN and contention > cooperation:
            own["contention"].add(sentence)
    return own


def _shift(opens: set[int], own: dict[str, set[int]]) -> int | None:
    """The first body sentence opening with a turn ("But executives say they are reluctant")
    whose own cues are of one kind while an earlier body sentence's own cues are of the other:
    the article gives each kind a sentence of its own and sets them against each other."""
    for i in sorted(opens):
        for kind, other in (("contention", "cooperation"), ("cooperation", "contention")):
            if i in own[kind] and any(j < i for j in own[other]):
                return i
    return None


def _turns(hits: list[Hit], sentence: int) -> bool:
    """True when a sentence carries the pair's own cues of both kinds ("ties grow but payments
    stall"), each of some weight and standing on its own: not background, hedged, denied or
    with an outsider (`_WEAKENED`), which a sentence recalling the deal and the quarrel before
    the news is ("Tehran paid for the jets in 2021 and has complained since")."""
    kinds = {
        h.relation
        for h in hits
        if h.sentence == sentence and h.weight >= 0.5 and not _WEAKENED.search(h.note)
    }
    return len(kinds) == 2


def article_relation(relations: dict[str, str]) -> str:
    """The article's relation from its dyads' (`relation_and_reason` of each): their one relation,
    or `mixed` when they differ."""
    kinds = set(relations.values())
    if not kinds:
        return "none"
    if len(kinds) == 1:
        return kinds.pop()
    return "mixed"


def best_event(hits: list[Hit], *, distinct: bool = False) -> str | None:
    """The event type the hits weigh most for (the headline counts double), each cue's words
    counted once (`distinct`: the hits are so already)."""
    if not hits:
        return None
    scored: dict[str, float] = defaultdict(float)
    for hit in hits if distinct else _distinct(hits):
        scored[hit.event] += (
            hit.weight * (2.0 if hit.sentence == 0 else 1.0) + _EVENT_RANK.get(hit.event, 0) / 100
        )
    return max(scored.items(), key=lambda item: item[1])[0]


def _telling(hits: list[Hit], relation: str) -> list[Hit]:
    """The hits that name the event of news of this relation: those of its kind, and of a mixed
    relation its cooperation (the deal signed though the price is not agreed is an AGREE, as our
    gold labels mixed news); all of them when none is of that kind."""
    kind = "cooperation" if relation == "mixed" else relation
    return [h for h in hits if h.relation == kind] or hits


_ACTS = frozenset({"AGREE", "AID", "COOPERATE"})
"""Cooperation that is more than talk: a deal, a delivery, joint work."""


def headline_meeting(hits: list[Hit], relation: str) -> bool:
    """Whether a cooperating pair's headline tells a meeting (a visit, talks, a call) and no act
    beyond it: then the meeting is the event, whatever praise and support its reports quote
    ("Lavrov, Choe Son Hui hold talks in Wonsan", whose text hails the ties)."""
    if relation != "cooperation":
        return False
    head = {h.event for h in hits if h.sentence == 0}
    return "CONSULT" in head and not head & _ACTS


def pair_event(pair: Pair, relation: str, default: str) -> str:
    """One pair's event type (an interaction's): a meeting its headline tells
    (`headline_meeting`), else what its cues telling its relation's event (`_telling`) weigh
    most for; `default` when no cue names one (`default_event`)."""
    if headline_meeting(pair.distinct, relation):
        return "CONSULT"
    return best_event(_telling(pair.distinct, relation), distinct=True) or default


def default_event(topic: str) -> str:
    """The event type of a pair's interaction when no cue names one: talks (CONSULT) when the
    article is about diplomacy, else practical cooperation (COOPERATE: a satellite launched on
    the other's rocket, a train service, bank cards that work in the other country)."""
    return "CONSULT" if topic in {"diplomacy", ""} else "COOPERATE"


def event_and_intensity(
    dyads: dict[str, Pair], hits: list[Hit], group: bool, relation: str, default: str
) -> tuple[str | None, float]:
    """The article's event type and intensity from the cues of its relation (or, for an outside
    response, from the outsider's friction): a meeting its headline tells (`headline_meeting`),
    else the type its cues weigh most for, `default` when none names one (`default_event`)."""
    if dyads:
        pair_hits = [h for p in dyads.values() for h in p.hits]
        relevant = [
            h
            for h in pair_hits
            if relation == "mixed" or h.relation == relation or h.cue.scope == "outside"
        ]
        # What the pair did is the event; an outside measure named beside it only when the pair
        # did nothing the cues can name ("sanctions" beside "backs Iran" is no SANCTION).
        own = [h for h in relevant if h.cue.scope == "pair"]
        if relation == "mixed":
            own = _telling(own, relation)  # what the pair did together, not the friction over it
        if headline_meeting(own or relevant, relation):
            event = "CONSULT"
        else:
            event = best_event(own or relevant) or default
        values = [h.cue.intensity for h in relevant if h.cue.scope == "pair"]
        intensity = sum(values) / len(values) if values else 3.0
        return event, round(max(-10.0, min(10.0, intensity)), 1)
    if group:
        outside = [h for h in hits if h.cue.relation == "contention"]
        event = best_event(outside) or "DISAPPROVE"
        return event, -3.0
    return None, 0.0


def relevance_score(dyads: dict[str, Pair], group: bool, found: list[Found]) -> float:
    """How sure the coder is that the article is in scope, 0..1."""
    if dyads:
        best = max(
            (1.5 if p.in_title else 0.0)
            + 0.6 * len(p.sentences)
            + min(p.weight("cooperation") + p.weight("contention"), 3.0)
            for p in dyads.values()
        )
        return 1 - math.exp(-best / 2.2)
    if group:
        return 0.6
    states = {f.country for f in found if f.country in _CRANK}
    return min(0.45, 0.1 * len(states))
