"""The terms of a search query: what one part of a query asks of a story.

Each term filters a list of stories' folded text (`select`, the hot path of
search: one list comprehension per term) and knows which other terms it
implies (`implies`), which lets `Searcher` filter a previous result instead
of the whole list while the user types.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from .searchtext import SearchText


@dataclass(frozen=True, slots=True)
class Words:
    """A word or a quoted phrase, found anywhere in the story's text."""

    needle: str
    negated: bool = False

    def select(self, entries: list[SearchText]) -> list[SearchText]:
        """The entries this term matches, in order."""
        needle = self.needle  # a local: this loop is the hot path of search
        if self.negated:
            return [e for e in entries if needle not in e.text]
        return [e for e in entries if needle in e.text]

    def implies(self, other: Term) -> bool:
        """True when every story matching self also matches `other`."""
        return isinstance(other, Words) and _contains_implies(
            self.needle, other.needle, self.negated, other.negated
        )


@dataclass(frozen=True, slots=True)
class Named:
    """`topic:`, `provider:`, `type:`, `category:`: a name of the story contains
    the needle (both folded), as a substring: `topic:elect` finds "Election",
    `provider:bbc` finds "BBC News" and "bbc.co.uk", `type:video` finds "video"."""

    #: The `SearchText` field looked in: "topics", "provider", "type" or "category".
    field: str
    needle: str
    negated: bool = False

    def select(self, entries: list[SearchText]) -> list[SearchText]:
        """The entries this term matches, in order."""
        get, needle = operator.attrgetter(self.field), self.needle
        if self.negated:
            return [e for e in entries if needle not in get(e)]
        return [e for e in entries if needle in get(e)]

    def implies(self, other: Term) -> bool:
        """True when every story matching self also matches `other`."""
        return (
            isinstance(other, Named)
            and other.field == self.field
            and _contains_implies(self.needle, other.needle, self.negated, other.negated)
        )


@dataclass(frozen=True, slots=True)
class Published:
    """`after:` (published at or after `ts`) or `before:` (published before `ts`)."""

    after: bool
    ts: float
    negated: bool = False

    def select(self, entries: list[SearchText]) -> list[SearchText]:
        """The entries this term matches, in order."""
        bound, on_side, negated = self.ts, operator.ge if self.after else operator.lt, self.negated

        def hit(entry: SearchText) -> bool:
            ts = entry.article.published_ts
            return ts is not None and on_side(ts, bound)  # an unknown date is on neither side

        return [e for e in entries if hit(e) != negated]

    def implies(self, other: Term) -> bool:
        """True when every story matching self also matches `other`."""
        if not isinstance(other, Published) or self.negated or other.negated:
            return self == other
        if self.after != other.after:
            return False
        return self.ts >= other.ts if self.after else self.ts <= other.ts


@dataclass(frozen=True, slots=True)
class Score:
    """`heat>N`, `quality<=N` and the like. A story without the score never matches."""

    name: str  # "heat", "quality" or "rising" (see `Query.rising`)
    op: str  # a key of _OPERATORS
    value: float
    negated: bool = False

    def select(self, entries: list[SearchText]) -> list[SearchText]:
        """The entries this term matches, in order."""
        get, cmp, value = operator.attrgetter(self.name), _OPERATORS[self.op], self.value
        if self.negated:
            return [e for e in entries if (n := get(e.article)) is None or not cmp(n, value)]
        return [e for e in entries if (n := get(e.article)) is not None and cmp(n, value)]

    def holds(self, value: float) -> bool:
        """True when `value` passes the comparison (negated: fails it)."""
        return _OPERATORS[self.op](value, self.value) != self.negated

    def implies(self, other: Term) -> bool:
        """True when every story matching self also matches `other`."""
        if not isinstance(other, Score) or self.negated or other.negated:
            return self == other
        if self.name != other.name:
            return False
        if self.op == "=":
            return _compare(self.value, other.op, other.value)
        if self.op in (">", ">=") and other.op in (">", ">="):
            return self.value > other.value or (
                self.value == other.value and (self.op == ">" or other.op == ">=")
            )
        if self.op in ("<", "<=") and other.op in ("<", "<="):
            return self.value < other.value or (
                self.value == other.value and (self.op == "<" or other.op == "<=")
            )
        return False


@dataclass(frozen=True, slots=True)
class Flag:
    """`is:read`, `is:unread`, `is:saved`, `is:unsaved`: the user's own marks."""

    FLAGS: ClassVar[tuple[str, ...]] = ("read", "unread", "saved", "unsaved")

    flag: str
    negated: bool = False


#: A term that depends only on the story (not on the user's marks).
Term = Words | Named | Published | Score


def _contains_implies(needle: str, other: str, negated: bool, other_negated: bool) -> bool:
    """Whether containing (or lacking) `needle` implies containing (or lacking) `other`."""
    if negated != other_negated:
        return False
    # Containing "clima" means containing "clim"; lacking "clim" means lacking "clima".
    return needle in other if negated else other in needle


_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
}


def _compare(score: float, op: str, value: float) -> bool:
    return _OPERATORS[op](score, value)
