"""The faithfulness check: every sentence of an issue rests on the articles it cites.

A sentence *traces* to an article when, after `rewrite.normalise` (NFC, straight quotes, single
spaces), it equals one of the article's sentences or one of the three allowed rewrites of one
(dateline stripped, "He"/"She" resolved to the name opening the previous sentence, a trailing
subordinate clause dropped), or a combination of them. Nothing else is accepted: a changed word,
a dropped attribution, a merged sentence all fail.

A sentence may cite several articles (near-duplicates collapsed across outlets): it must trace to
at least one of them, and each of the others must carry a near-duplicate of it (`rewrite.similar`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crankcall.analyze.text import sentences
from crankcall.compose.rewrite import (
    normalise,
    resolve_pronoun,
    similar,
    strip_dateline,
    tokens,
    trim_clause,
)
from crankcall.models import Article


def allowed_forms(source: str, previous: str | None) -> list[str]:
    """Every text drafting may make of the source sentence `source` (whose article's previous
    sentence is `previous`): itself and its allowed rewrites."""
    forms = [source]
    stripped = strip_dateline(source)
    if stripped != source:
        forms.append(stripped)
    for form in list(forms):
        resolved = resolve_pronoun(form, previous)
        if resolved is not None:
            forms.append(resolved)
    for form in list(forms):
        forms.extend(trim_clause(form))
    return forms


class Tracer:
    """The allowed forms and the content words of the sentences of articles, computed once."""

    def __init__(self, articles: Mapping[str, Article]) -> None:
        self._articles = articles
        self._forms: dict[str, frozenset[str]] = {}
        self._tokens: dict[str, list[frozenset[str]]] = {}

    def traces(self, text: str, article_id: str) -> bool:
        """Whether `text` is a sentence of the article or an allowed rewrite of one."""
        if article_id not in self._forms:
            spans = [s.text for s in sentences(self._articles[article_id].text)]
            forms: set[str] = set()
            for i, span in enumerate(spans):
                forms.update(normalise(f) for f in allowed_forms(span, spans[i - 1] if i else None))
            self._forms[article_id] = frozenset(forms)
        return normalise(text) in self._forms[article_id]

    def carries(self, text: str, article_id: str) -> bool:
        """Whether the article has a sentence that says the same as `text` (a near-duplicate)."""
        if article_id not in self._tokens:
            spans = sentences(self._articles[article_id].text)
            self._tokens[article_id] = [tokens(strip_dateline(s.text)) for s in spans]
        wanted = tokens(text)
        return any(similar(wanted, have) for have in self._tokens[article_id])


def check_faithful(issue: Mapping[str, Any], articles: Mapping[str, Article]) -> list[str]:
    """Problems that make `issue` (contract 4) unfaithful to `articles`; empty when faithful.

    Checks that every sentence cites at least one article, that every cited id exists, that every
    sentence traces to the articles it cites (modulo the allowed rewrites), that every link's
    outlets are those of its articles, and that every analysis or perspective entry points at the
    address and title of the article it cites.
    """
    tracer = Tracer(articles)
    problems: list[str] = []
    for i, highlight in enumerate(_entries(issue, "highlights", problems)):
        problems.extend(_check_highlight(f"highlights[{i}]", highlight, articles, tracer))
    for i, link in enumerate(_entries(issue, "links", problems)):
        where = f"links[{i}]"
        problems.extend(_check_sentence(where, link, articles, tracer))
        problems.extend(_check_outlets(where, link, articles))
    store_urls = _urls(articles.values())
    for section in ("analysis", "perspectives"):
        for i, entry in enumerate(_entries(issue, section, problems)):
            problems.extend(_check_piece(f"{section}[{i}]", entry, articles, store_urls))
    return problems


def _entries(issue: Mapping[str, Any], section: str, problems: list[str]) -> list[Any]:
    entries = issue.get(section, [])
    if not isinstance(entries, list):
        problems.append(f"{section}: not a list")
        return []
    good = [e for e in entries if isinstance(e, Mapping)]
    if len(good) != len(entries):
        problems.append(f"{section}: holds entries that are not objects")
    return good


def _check_highlight(
    where: str, highlight: Mapping[str, Any], articles: Mapping[str, Article], tracer: Tracer
) -> list[str]:
    problems = _check_ids(where, highlight.get("articles"), articles)
    listed = set(_ids(highlight.get("articles")))
    paragraphs = highlight.get("paragraphs")
    if not isinstance(paragraphs, list) or not paragraphs:
        return [*problems, f"{where}: has no paragraphs"]
    for p, paragraph in enumerate(paragraphs):
        sentence_list = paragraph.get("sentences") if isinstance(paragraph, Mapping) else None
        if not isinstance(sentence_list, list) or not sentence_list:
            problems.append(f"{where}.paragraphs[{p}]: has no sentences")
            continue
        for s, sentence in enumerate(sentence_list):
            at = f"{where}.paragraphs[{p}].sentences[{s}]"
            if not isinstance(sentence, Mapping):
                problems.append(f"{at}: not an object")
                continue
            problems.extend(_check_sentence(at, sentence, articles, tracer))
            missing = [a for a in _ids(sentence.get("articles")) if a not in listed]
            if missing:
                problems.append(f"{at}: cites {', '.join(missing)}, not in the item's articles")
    return problems


def _check_sentence(
    where: str, sentence: Mapping[str, Any], articles: Mapping[str, Article], tracer: Tracer
) -> list[str]:
    text = sentence.get("text")
    if not isinstance(text, str) or not text.strip():
        return [f"{where}: has no text"]
    problems = _check_ids(where, sentence.get("articles"), articles)
    cited = [a for a in _ids(sentence.get("articles")) if a in articles]
    if problems or not cited:
        return problems
    tracing = [a for a in cited if tracer.traces(text, a)]
    if not tracing:
        return [f"{where}: does not trace to the text of {', '.join(cited)}: {text[:80]!r}"]
    unsupported = [a for a in cited if a not in tracing and not tracer.carries(text, a)]
    if unsupported:
        return [f"{where}: {', '.join(unsupported)} cited but does not carry {text[:80]!r}"]
    return []


def _check_ids(where: str, ids: Any, articles: Mapping[str, Article]) -> list[str]:
    if not isinstance(ids, list) or not ids:
        return [f"{where}: cites no article"]
    if not all(isinstance(i, str) for i in ids):
        return [f"{where}: article ids must be text"]
    unknown = [i for i in ids if i not in articles]
    return [f"{where}: cites unknown article {i!r}" for i in unknown]


def _ids(value: Any) -> list[str]:
    return [i for i in value if isinstance(i, str)] if isinstance(value, list) else []


def _check_outlets(
    where: str, link: Mapping[str, Any], articles: Mapping[str, Article]
) -> list[str]:
    outlets = link.get("outlets")
    if not isinstance(outlets, list) or not outlets:
        return [f"{where}: names no outlet"]
    known = {articles[a].outlet for a in _ids(link.get("articles")) if a in articles}
    return [
        f"{where}: outlet {o!r} is not the outlet of a cited article"
        for o in outlets
        if o not in known
    ]


def _check_piece(
    where: str, entry: Mapping[str, Any], articles: Mapping[str, Article], store_urls: set[str]
) -> list[str]:
    problems = _check_ids(where, entry.get("articles"), articles)
    cited = [articles[a] for a in _ids(entry.get("articles")) if a in articles]
    url = entry.get("url")
    if not isinstance(url, str) or not url:
        problems.append(f"{where}: has no url")
    elif url not in store_urls:
        problems.append(f"{where}: url {url!r} is not the address of any stored article")
    elif cited and url not in _urls(cited):
        problems.append(f"{where}: url {url!r} is not the address of the article it cites")
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{where}: has no title")
    elif cited and not any(normalise(title) in normalise(a.title) for a in cited):
        problems.append(f"{where}: title {title[:80]!r} is not the title of the cited article")
    return problems


def _urls(articles: Iterable[Article]) -> set[str]:
    return {u for a in articles for u in (a.url, a.canonical_url) if u}
