"""The gazetteer: actors and every form of their names, loaded from `data/actors.toml`.

Each actor has an id, a type, the state it belongs to, its name forms (names, adjectives, capitals
and seats of power, native-script forms, forms that need context) and, for people, roles bounded
by dates. `load_gazetteer` validates the file at start; an error names file, entry and problem.
`Gazetteer.role_on` answers "what was this person on that day" ("Iran's president on 2024-07-01").
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from crankcall.data import read_data
from crankcall.errors import DataFileError

ACTOR_TYPES = frozenset({"state", "person", "institution", "group", "organization", "place"})
FORM_KINDS = ("names", "adjectives", "metonyms", "native", "ambiguous")
_COUNTRY = re.compile(r"^([A-Z]{2})?$")
_ID = re.compile(r"^[A-Z]{2,3}(\.[a-z0-9_]+)?$")


@dataclass(frozen=True, kw_only=True, slots=True)
class Role:
    """A post held between two dates (`until` None: still held)."""

    title: str
    start: date
    until: date | None

    def holds_on(self, day: date) -> bool:
        """True when the role was held on `day`."""
        return self.start <= day and (self.until is None or day < self.until)


@dataclass(frozen=True, kw_only=True, slots=True)
class Actor:
    """A state, person, institution or group the coder can find in text."""

    id: str
    type: str
    country: str | None
    forms: dict[str, tuple[str, ...]]
    roles: tuple[Role, ...] = ()

    def roles_on(self, day: date) -> list[str]:
        """Titles held on `day`."""
        return [role.title for role in self.roles if role.holds_on(day)]


@dataclass(frozen=True, kw_only=True, slots=True)
class Form:
    """One surface form and what it stands for."""

    text: str
    actor: str
    kind: str  # one of FORM_KINDS


class Gazetteer:
    """Actors by id and surface forms, with role lookups by date."""

    def __init__(
        self,
        actors: Iterable[Actor],
        *,
        digest: str = "",
        compounds: dict[str, tuple[str, ...]] | None = None,
        not_names: Iterable[str] = (),
    ) -> None:
        self.digest = digest  # of the data file, part of the coder's version stamp
        # Words naming two states a letter each ("中俄", "북러"): word -> the states in order.
        self.compounds = dict(compounds or {})
        # Chinese and Korean words that hold a name inside them but are none ("태평양", the
        # Pacific, holds 평양): found as words, they name nothing.
        self.not_names = frozenset(not_names)
        self.actors: dict[str, Actor] = {}
        self.forms: dict[str, Form] = {}
        for actor in actors:
            self.actors[actor.id] = actor
            for kind in FORM_KINDS:
                for text in actor.forms.get(kind, ()):
                    self.forms[text] = Form(text=text, actor=actor.id, kind=kind)

    def country_of(self, actor_id: str) -> str | None:
        """The state an actor belongs to."""
        return self.actors[actor_id].country

    def holders(self, title: str, country: str, day: date) -> list[Actor]:
        """Who held `title` for `country` on `day` (e.g. Iran's President on 2024-06-01)."""
        return [
            actor
            for actor in self.actors.values()
            if actor.country == country and title in actor.roles_on(day)
        ]


@cache
def shipped_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read and checked once per process: the coder (`default_coder`) and
    the story stage (its leaders by date, `stories.features.leaders_named`) share it."""
    return load_gazetteer()


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The shipped gazetteer, or the one at `path`, validated."""
    raw, name = read_data("actors.toml", path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise DataFileError(f"{name}: not valid TOML ({e})") from e
    entries = data.get("actor")
    if not isinstance(entries, list) or not entries:
        raise DataFileError(f"{name}: no [[actor]] entries")
    actors = [_actor(entry, name=name, index=i) for i, entry in enumerate(entries, 1)]
    _check_unique(actors, name)
    states = {a.id for a in actors if a.type == "state"}
    compounds = _compounds(data.get("compounds", {}), states, name)
    for word in compounds:
        if any(word in a.forms[kind] for a in actors for kind in FORM_KINDS):
            raise DataFileError(f"{name}, compounds: {word!r} is also an actor's form")
    not_names = _not_names(data.get("not_names", {}), name)
    for word in not_names:
        if word in compounds or any(word in a.forms[kind] for a in actors for kind in FORM_KINDS):
            raise DataFileError(f"{name}, not_names: {word!r} is also a name")
    return Gazetteer(
        actors,
        digest=hashlib.sha256(raw).hexdigest()[:8],
        compounds=compounds,
        not_names=not_names,
    )


def _not_names(raw: Any, name: str) -> list[str]:
    """The [not_names] table: `forms`, Chinese or Korean words that hold a name but are none."""
    forms = raw.get("forms", []) if isinstance(raw, dict) else None
    if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
        raise DataFileError(f"{name}, not_names: forms must be a list of words")
    for form in forms:
        if not _CJK_WORD.fullmatch(form):
            raise DataFileError(
                f"{name}, not_names: {form!r} must be written in Chinese or Korean letters"
            )
    return forms


_CJK_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")


def _compounds(raw: Any, states: set[str], name: str) -> dict[str, tuple[str, ...]]:
    """The [compounds] table: each word names its states a letter each, in order."""
    if not isinstance(raw, dict):
        raise DataFileError(f"{name}, compounds: must be a table of word = [states]")
    compounds: dict[str, tuple[str, ...]] = {}
    for word, parts in raw.items():
        where = f"{name}, compounds, {word!r}"
        if not isinstance(parts, list) or not all(p in states for p in parts) or len(parts) < 2:
            raise DataFileError(f"{where}: must list two or more state ids")
        if sum(ch.isalpha() for ch in word) != len(parts):
            raise DataFileError(f"{where}: needs one letter per state")
        compounds[word] = tuple(parts)
    return compounds


def _actor(entry: Any, *, name: str, index: int) -> Actor:
    label = entry.get("id", f"#{index}") if isinstance(entry, dict) else f"#{index}"

    def problem(what: str) -> DataFileError:
        return DataFileError(f"{name}, actor {label}: {what}")

    if not isinstance(entry, dict):
        raise problem("is not a table")
    ident = entry.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise problem("id must look like 'RU', 'RU.putin' or 'INT.un'")
    if entry.get("type") not in ACTOR_TYPES:
        raise problem(f"type must be one of {', '.join(sorted(ACTOR_TYPES))}")
    country = entry.get("country", "")
    if not isinstance(country, str) or not _COUNTRY.match(country):
        raise problem("country must be a two-letter code or empty")
    known = {"id", "type", "country", "roles", "note", *FORM_KINDS}
    unknown = set(entry) - known
    if unknown:
        raise problem(f"unknown field(s) {', '.join(sorted(unknown))}")
    forms: dict[str, tuple[str, ...]] = {}
    for kind in FORM_KINDS:
        values = entry.get(kind, [])
        if not isinstance(values, list) or not all(
            isinstance(v, str) and v.strip() for v in values
        ):
            raise problem(f"{kind} must be a list of non-empty text")
        forms[kind] = tuple(v.strip() for v in values)
    if not any(forms.values()):
        raise problem("has no name forms")
    roles = tuple(_role(r, problem) for r in entry.get("roles", []))
    return Actor(id=ident, type=entry["type"], country=country or None, forms=forms, roles=roles)


def _role(raw: Any, problem: Any) -> Role:
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str) or not raw["title"]:
        raise problem("every role needs a title")
    try:
        start = _date(raw.get("from"))
        until = _date(raw["until"]) if raw.get("until") else None
    except ValueError as e:
        raise problem(f"role {raw['title']!r}: {e}") from None
    if start is None:
        raise problem(f"role {raw['title']!r} needs a 'from' date")
    if until is not None and until < start:
        raise problem(f"role {raw['title']!r} ends before it starts")
    return Role(title=raw["title"], start=start, until=until)


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"date {value!r} must be YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"date {value!r} is not a real YYYY-MM-DD date") from None


def _check_unique(actors: list[Actor], name: str) -> None:
    ids: set[str] = set()
    owner: dict[str, str] = {}
    for actor in actors:
        if actor.id in ids:
            raise DataFileError(f"{name}, actor {actor.id}: id is used twice")
        ids.add(actor.id)
        for kind in FORM_KINDS:
            for text in actor.forms[kind]:
                key = text.removeprefix("the ")
                if key in owner and owner[key] != actor.id:
                    raise DataFileError(
                        f"{name}, actor {actor.id}: form {text!r} already belongs to {owner[key]}"
                    )
                owner[key] = actor.id
