"""The search language: what the user types, parsed into a `Query`.

A query is a list of terms separated by spaces; a story must match every term.

    climate                 the word (as a substring) in title, excerpt,
                            provider name or domain, or a topic
    "climate change"        the phrase, as a whole
    -word  -"a phrase"      must not contain it (any term can be negated)
    topic:elect             a topic's name contains it ("Election"; quotes
                            for spaces: topic:"climate change")
    provider:bbc            provider name or domain contains it
    type:video              the file's type contains it (news is "article")
    category:news           the file's category contains it
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
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import tzinfo

from .article import Article
from .searchtext import SearchText
from .terms import Flag, Named, Published, Score, Term, Words
from .text import clean_line, fold
from .when import parse_when

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


#: Every qualifier, in the order the README lists them.
QUALIFIERS = ("topic", "provider", "type", "category", "after", "before", "is", "heat", "quality")
#: The `SearchText` field each name qualifier looks in, and an example of it.
_NAMED = {
    "topic": ("topics", 'topic:science or topic:"climate change"'),
    "provider": ("provider", "provider:bbc or provider:bbc.co.uk"),
    "type": ("type", "type:video or -type:course"),
    "category": ("category", "category:news"),
}
_SCORE = re.compile(r"(heat|quality)(?::?(>=|<=|>|<|=)|:)(.*)", re.IGNORECASE | re.DOTALL)
_NAME = re.compile(r"([a-z]+):(.*)", re.IGNORECASE | re.DOTALL)
#: A name, then what would follow a qualifier's name: checked for misspellings.
_TYPO = re.compile(r"([a-z]+)(:|>=|<=|>|<|=)", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


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
    named = _NAME.match(head)
    if named and named.group(1).lower() in QUALIFIERS:
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
    needle = " ".join(fold(token.text).split())
    if needle:
        out.terms.append(Words(needle, token.negated))


def _value(token: _Token) -> str:
    return token.text.split(":", 1)[1].strip()


def _parse_named(name: str, token: _Token, out: _Parsed, now: float, tz: tzinfo | None) -> None:
    value = _value(token)
    neg = token.negated
    if name in _NAMED:
        where, example = _NAMED[name]
        folded = " ".join(fold(value).split())
        if folded:
            out.terms.append(Named(where, folded, neg))
        else:
            out.errors.append(f"{name}: expects a name, like {example}")
    elif name == "is":
        flag = value.lower()
        if flag in Flag.FLAGS:
            out.flags.append(Flag(flag, neg))
        else:
            out.errors.append("is: expects read, unread, saved or unsaved")
    else:
        ts, problem = parse_when(value, now, tz)
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


def _meant(name: str) -> str | None:
    """The qualifier `name` looks like a misspelling of, if any."""
    close = difflib.get_close_matches(name.lower(), QUALIFIERS, n=1, cutoff=0.8)
    return close[0] if close else None
