"""The search language: parse what the user types, then filter stories by it.

A query is a list of terms separated by spaces; a story must match every term.

    climate                 the word (as a substring) in title, excerpt,
                            provider name or domain, or a topic
    "climate change"        the phrase, as a whole
    -word  -"a phrase"      must not contain it (any term can be negated)
    topic:science           has this topic (whole name; quotes for spaces:
                            topic:"climate change")
    provider:bbc            provider name or domain contains it
    after:2024-03-01        published on or after that day (local time)
    before:2024-03          published before that month began
                            dates: YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday,
                            or an age like 45m, 12h, 7d, 2w, 3mo, 1y
    heat>50  heat<=10       also >=, <, = and heat:50; the same for quality
    is:read  is:unread  is:saved  is:unsaved

Matching ignores case and accents (`lopez` finds `López`). `parse_query`
never raises: a malformed qualifier becomes a human message in
`Query.errors` and is otherwise ignored, so the list keeps filtering while
the user is still typing it.

Filtering a list of stories by a query is `reader.model.search.Searcher`.
"""

from __future__ import annotations

import difflib
import operator
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import ClassVar

from .article import Article
from .searchtext import SearchText, search_fold
from .text import clean_line

# ---------------------------------------------------------------------------
# Terms


@dataclass(frozen=True, slots=True)
class Words:
    """A word or a quoted phrase, found anywhere in the story's text."""

    needle: str
    negated: bool = False

    def test(self, entry: SearchText) -> bool:
        """True when the story contains the needle (before negation)."""
        return self.needle in entry.text

    def select(self, entries: list[SearchText]) -> list[SearchText]:
        """The entries this term matches, in order."""
        needle = self.needle  # inlined test: this loop is the hot path of search
        if self.negated:
            return [e for e in entries if needle not in e.text]
        return [e for e in entries if needle in e.text]

    def implies(self, other: Term) -> bool:
        """True when every story matching self also matches `other`."""
        return _substring_implies(self, other)


@dataclass(frozen=True, slots=True)
class Topic:
    """`topic:NAME`: the story has a topic with exactly this (folded) name."""

    name: str
    negated: bool = False

    def test(self, entry: SearchText) -> bool:
        """True when the story has the topic (before negation)."""
        return f"\x1f{self.name}\x1f" in entry.topics

    def select(self, entries: list[SearchText]) -> list[SearchText]:
        """The entries this term matches, in order."""
        return _select(self, entries)

    def implies(self, other: Term) -> bool:
        """True when every story matching self also matches `other`."""
        return self == other


@dataclass(frozen=True, slots=True)
class Provider:
    """`provider:NAME_OR_DOMAIN`: the provider's name or domain contains it."""

    needle: str
    negated: bool = False

    def test(self, entry: SearchText) -> bool:
        """True when the provider matches (before negation)."""
        return self.needle in entry.provider

    def select(self, entries: list[SearchText]) -> list[SearchText]:
        """The entries this term matches, in order."""
        return _select(self, entries)

    def implies(self, other: Term) -> bool:
        """True when every story matching self also matches `other`."""
        return _substring_implies(self, other)


@dataclass(frozen=True, slots=True)
class Published:
    """`after:` (published at or after `ts`) or `before:` (published before `ts`)."""

    after: bool
    ts: float
    negated: bool = False

    def test(self, entry: SearchText) -> bool:
        """True when the publication time is on the right side (unknown: False)."""
        ts = entry.article.published_ts
        if ts is None:
            return False
        return ts >= self.ts if self.after else ts < self.ts

    def select(self, entries: list[SearchText]) -> list[SearchText]:
        """The entries this term matches, in order."""
        return _select(self, entries)

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

    name: str  # "heat" or "quality"
    op: str  # a key of _OPERATORS
    value: float
    negated: bool = False

    def test(self, entry: SearchText) -> bool:
        """True when the score compares as asked (before negation)."""
        score: int | None = getattr(entry.article, self.name)
        return score is not None and _compare(score, self.op, self.value)

    def select(self, entries: list[SearchText]) -> list[SearchText]:
        """The entries this term matches, in order."""
        # ~3x faster than calling test() per story.
        get, cmp, value = operator.attrgetter(self.name), _OPERATORS[self.op], self.value
        if self.negated:
            return [e for e in entries if (n := get(e.article)) is None or not cmp(n, value)]
        return [e for e in entries if (n := get(e.article)) is not None and cmp(n, value)]

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

    def test_state(self, is_read: bool, is_saved: bool) -> bool:
        """True when the story's marks fit the flag (before negation)."""
        if self.flag in ("read", "unread"):
            return is_read == (self.flag == "read")
        return is_saved == (self.flag == "saved")


#: A term that depends only on the story (not on the user's marks).
Term = Words | Topic | Provider | Published | Score


def _substring_implies(term: Words | Provider, other: Term) -> bool:
    if type(other) is not type(term) or term.negated != other.negated:
        return False
    assert isinstance(other, (Words, Provider))
    # Containing "clima" means containing "clim"; lacking "clim" means lacking "clima".
    if term.negated:
        return term.needle in other.needle
    return other.needle in term.needle


_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
}


def _compare(score: float, op: str, value: float) -> bool:
    return _OPERATORS[op](score, value)


def _select(term: Topic | Provider | Published, entries: list[SearchText]) -> list[SearchText]:
    test, negated = term.test, term.negated
    return [e for e in entries if test(e) != negated]


# ---------------------------------------------------------------------------
# The query


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: the terms a story must all match, and what was malformed."""

    text: str = ""
    terms: tuple[Term, ...] = ()
    flags: tuple[Flag, ...] = ()
    #: Human messages for the parts that were ignored, in the order typed.
    errors: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing usable was typed: the query matches every story."""
        return not self.terms and not self.flags

    @property
    def highlights(self) -> tuple[str, ...]:
        """The folded words and phrases being looked for, e.g. to highlight them."""
        return tuple(t.needle for t in self.terms if isinstance(t, Words) and not t.negated)

    def narrows(self, previous: Query) -> bool:
        """True when every story this query matches, `previous` matched too.

        Only story terms count (not `is:` flags, which depend on marks that may
        have changed in between). When True, filtering the previous result
        gives the same stories as filtering the whole list.
        """
        return all(any(t.implies(p) for t in self.terms) for p in previous.terms)

    def matches(self, article: Article, *, is_read: bool = False, is_saved: bool = False) -> bool:
        """True when `article` matches. Slow (folds the story every time): use a
        `Searcher` to filter lists."""
        return self.matches_text(SearchText.of(article)) and self.matches_state(is_read, is_saved)

    def matches_text(self, entry: SearchText) -> bool:
        """True when the story terms (everything but `is:`) match `entry`."""
        return all(t.test(entry) != t.negated for t in self.terms)

    def matches_state(self, is_read: bool, is_saved: bool) -> bool:
        """True when the `is:` flags match these marks."""
        return all(f.test_state(is_read, is_saved) != f.negated for f in self.flags)


# ---------------------------------------------------------------------------
# Parsing


_QUALIFIERS = ("topic", "provider", "after", "before", "is", "heat", "quality")
_SCORE = re.compile(r"(heat|quality)(?::?(>=|<=|>|<|=)|:)(.*)", re.IGNORECASE | re.DOTALL)
_NAMED = re.compile(r"([a-z]+):(.*)", re.IGNORECASE | re.DOTALL)
#: A name, then what would follow a qualifier's name: checked for misspellings.
_TYPO = re.compile(r"([a-z]+)(:|>=|<=|>|<|=)", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_AGE = re.compile(r"(\d{1,6})(mo|m|h|d|w|y)")
_AGE_SECONDS = {"m": 60, "h": 3600, "d": 86_400, "w": 604_800, "mo": 2_629_800, "y": 31_557_600}
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DATE_HELP = "a date like 2024-03-01, 2024-03, today, or an age like 7d"


@dataclass(slots=True)
class _Token:
    """One space-separated part of the query, its quotes removed."""

    text: str
    #: Where the first quote was in `text` (None when unquoted).
    quote_at: int | None = None
    negated: bool = False


@dataclass(slots=True)
class _Parsed:
    terms: list[Term] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_query(text: str, *, now: float | None = None, tz: tzinfo | None = None) -> Query:
    """Parse what the user typed. Never raises.

    `now` (seconds since the epoch) anchors ages such as `7d` and the words
    today/yesterday; `tz` is the time zone of typed dates (default: local).
    """
    clean = clean_line(text, limit=10_000)
    out = _Parsed()
    moment = time.time() if now is None else now
    for token in _tokens(clean):
        _parse_token(token, out, moment, tz)
    return Query(text, tuple(out.terms), tuple(out.flags), tuple(out.errors))


def _tokens(text: str) -> Iterable[_Token]:
    """Split on spaces outside double quotes. An unclosed quote runs to the end,
    so a phrase filters while it is being typed."""
    token: _Token | None = None
    quoted = False
    for ch in text:
        if ch == " " and not quoted:
            if token is not None:
                yield token
            token = None
            continue
        if token is None:
            token = _Token("")
        if ch == '"':
            quoted = not quoted
            if token.quote_at is None:
                token.quote_at = len(token.text)
            continue
        token.text += ch
    if token is not None:
        yield token


def _parse_token(token: _Token, out: _Parsed, now: float, tz: tzinfo | None) -> None:
    if token.text.startswith("-") and token.quote_at != 0:
        token.text, token.negated = token.text[1:], True
        token.quote_at = None if token.quote_at is None else token.quote_at - 1
    # The qualifier's name must come before any quote: "topic:x" is a phrase.
    head = token.text if token.quote_at is None else token.text[: token.quote_at]
    if _SCORE.match(head):
        _parse_score(token, out)
        return
    named = _NAMED.match(head)
    if named and named.group(1).lower() in _QUALIFIERS:
        _parse_named(named.group(1).lower(), token, out, now, tz)
        return
    typo = _TYPO.match(head)
    meant = _meant(typo.group(1)) if typo and token.quote_at is None else None
    if typo and meant:
        name, sep = typo.groups()
        out.errors.append(f"unknown qualifier {name}{sep} (did you mean {meant}{sep}?)")
        return
    _add_words(token, out)


def _add_words(token: _Token, out: _Parsed) -> None:
    needle = " ".join(search_fold(token.text).split())
    if needle:
        out.terms.append(Words(needle, token.negated))


def _value(token: _Token) -> str:
    return token.text.split(":", 1)[1].strip()


def _parse_named(name: str, token: _Token, out: _Parsed, now: float, tz: tzinfo | None) -> None:
    value = _value(token)
    neg = token.negated
    if name in ("topic", "provider"):
        folded = " ".join(search_fold(value).split())
        if not folded:
            example = 'topic:science or topic:"climate change"'
            if name == "provider":
                example = "provider:bbc or provider:bbc.co.uk"
            out.errors.append(f"{name}: expects a name, like {example}")
        elif name == "topic":
            out.terms.append(Topic(folded, neg))
        else:
            out.terms.append(Provider(folded, neg))
    elif name == "is":
        flag = value.lower()
        if flag in Flag.FLAGS:
            out.flags.append(Flag(flag, neg))
        else:
            out.errors.append("is: expects read, unread, saved or unsaved")
    else:
        ts, problem = _parse_when(value, now, tz)
        if ts is None:
            out.errors.append(f"{name}: {problem}")
        else:
            out.terms.append(Published(name == "after", ts, neg))


def _parse_score(token: _Token, out: _Parsed) -> None:
    match = _SCORE.match(token.text)
    assert match is not None  # the caller matched the head already
    name, op, raw = match.group(1).lower(), match.group(2) or "=", match.group(3).strip()
    if _NUMBER.fullmatch(raw):
        out.terms.append(Score(name, op, float(raw), token.negated))
    else:
        typed = token.text[: match.start(3)]
        out.errors.append(f"{typed} expects a number, like {name}>50")


def _parse_when(value: str, now: float, tz: tzinfo | None) -> tuple[float | None, str]:
    """A typed date or age as a timestamp, or (None, why not)."""
    value = value.lower()
    age = _AGE.fullmatch(value)
    if age:
        return now - int(age.group(1)) * _AGE_SECONDS[age.group(2)], ""
    if value in ("today", "yesterday"):
        today = datetime.fromtimestamp(now, tz)
        if value == "yesterday":
            today -= timedelta(days=1)
        return _midnight(today.year, today.month, today.day, tz), ""
    date = _DATE.fullmatch(value)
    if not date:
        return None, f"expects {_DATE_HELP}"
    year, month, day = (int(g) if g else 1 for g in date.groups())
    ts = _midnight(year, month, day, tz)
    return (ts, "") if ts is not None else (None, f"{value} is not a real date")


def _midnight(year: int, month: int, day: int, tz: tzinfo | None) -> float | None:
    """The start of a day in `tz` (None: local time), or None for no such day."""
    try:
        moment = datetime(year, month, day, tzinfo=tz)
        if tz is None:
            moment = moment.astimezone()  # a naive datetime is local time
        return moment.timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def _meant(name: str) -> str | None:
    """The qualifier `name` looks like a misspelling of, if any."""
    close = difflib.get_close_matches(name.lower(), _QUALIFIERS, n=1, cutoff=0.8)
    return close[0] if close else None
