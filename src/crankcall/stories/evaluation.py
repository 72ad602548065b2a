"""Score stories against our labels: B-cubed for clustering, ranks of an editor's picks.

B-cubed (Bagga and Baldwin): for each article, precision is the share of its story that shares its
gold development (event key), recall the share of its gold development that landed in its story;
both are averaged over articles. An article no story holds counts as a story of its own.

Picks: each month's developments marked `highlight`, `link`, `analysis` or `perspective` in
`events-*.jsonl`. A pick's rank is the best rank of a story whose members mostly carry its key:
in the whole ranking, and in its own section's list, which is where an editor takes it from
(Highlights and Links from the news stories, Recent Analysis from the analysis stories, CRANK
Perspectives from the CRANK voices). A month with more picks than 25 cannot have 90% of them in
the overall top 25; each section's list can.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True, slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    articles: int


@dataclass(frozen=True, kw_only=True, slots=True)
class PickRanks:
    """Where an editor's picks landed in one month's ranking."""

    month: str
    ranks: dict[str, int | None]
    """event key -> rank in the whole ranking (None: no story for it)"""
    kinds: dict[str, str]
    """event key -> pick kind"""
    section_ranks: dict[str, int | None] = field(default_factory=dict)
    """event key -> rank among the stories of the pick's own section (None: no story for it
    there, including a story placed in another section)"""

    def share_within(
        self, top: int, kinds: Sequence[str] | None = None, *, in_section: bool = False
    ) -> float:
        """The share of the picks (of these kinds) ranked `top` or better."""
        ranks = self.section_ranks if in_section else self.ranks
        keys = [k for k, kind in self.kinds.items() if kinds is None or kind in kinds]
        if not keys:
            return 1.0
        hits = sum(1 for k in keys if (r := ranks.get(k)) is not None and r <= top)
        return hits / len(keys)


SECTION_OF_PICK = {
    "highlight": "news",
    "link": "news",
    "analysis": "analysis",
    "perspective": "perspectives",
}
"""The list an editor takes each kind of pick from (Highlights and Links are both news)."""


def _section_list(section: str) -> str:
    return "news" if section in {"highlights", "links", "news"} else section


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> BCubed:
    """B-cubed over the articles of `gold`; `predicted` maps article id -> story id."""
    if not gold:
        return BCubed(precision=1.0, recall=1.0, f1=1.0, articles=0)
    story = {a: predicted.get(a, "single:" + a) for a in gold}
    pair = Counter((story[a], gold[a]) for a in gold)
    story_size = Counter(story.values())
    gold_size = Counter(gold.values())
    precision = sum(pair[(story[a], gold[a])] / story_size[story[a]] for a in gold) / len(gold)
    recall = sum(pair[(story[a], gold[a])] / gold_size[gold[a]] for a in gold) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision=precision, recall=recall, f1=f1, articles=len(gold))


def pick_ranks(
    month: str,
    ranked: Sequence[tuple[str, str, Sequence[str]]],
    gold: Mapping[str, str],
    picks: Mapping[str, str],
) -> PickRanks:
    """Ranks of the picks given the ranked stories as (story id, section, member ids)."""
    ranks: dict[str, int | None] = dict.fromkeys(picks)
    section_ranks: dict[str, int | None] = dict.fromkeys(picks)
    seen: Counter[str] = Counter()
    for n, (_, section, members) in enumerate(ranked, start=1):
        listed = _section_list(section)
        seen[listed] += 1
        keys = Counter(gold[m] for m in members if m in gold)
        if not keys:
            continue
        key, count = keys.most_common(1)[0]
        if key not in ranks or count * 2 < sum(keys.values()):
            continue
        if ranks[key] is None:
            ranks[key] = n
        if section_ranks[key] is None and SECTION_OF_PICK.get(picks[key]) == listed:
            section_ranks[key] = seen[listed]
    return PickRanks(month=month, ranks=ranks, kinds=dict(picks), section_ranks=section_ranks)
