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
    heat>50  heat<=10       also >=, <, = and heat:50; the same for quality;
                            spaces around the comparison are allowed (heat > 50)
    rising>20               gained more than 20 heat over the rising window
    text:ceasefire          the story's full text (fetched with f or `reader
                            fetch`) contains it; text:"a phrase" too
    is:read  is:unread  is:saved  is:unsaved

Matching ignores case and accents (`lopez` finds `López`). `parse_query`
never raises: what cannot be understood becomes a short message in
`Query.errors` (shown on one line under the search box) and is otherwise
ignored, so the list keeps filtering while the user is still typing it.

What is a qualifier: a token that starts with letters and a colon (`foo:bar`,
`re:launch`), or letters, a comparison and a number or nothing (`foo>5`,
`foo>=`). An unknown name there is an error, with the qualifier meant when
the name is the start or a near miss of one (`cat:` → `category:`), never a
word that matches nothing in silence. These stay words:

    "foo:bar"               quoted: the phrase foo:bar
    https://x.org/a  https: a link: the value starts with "/", or the name is
                            http or https (so a link being typed stays quiet)
    10:30  U.S.:  v2:x      the part before the colon is not only letters
    e=mc2                   a name compared with something other than a number

Filtering a list of stories by a query is `reader.model.search.Searcher`.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import tzinfo

from .terms import Flag, Named, Published, Score, Term, Words
from .text import clean_line, fold
from .when import parse_when

# ---------------------------------------------------------------------------
# The query


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: the terms a story must all match, and what was malformed."""

    terms: tuple[Term, ...] = ()
    flags: tuple[Flag, ...] = ()
    #: Human messages for the parts that were ignored, in the order typed.
    errors: tuple[str, ...] = ()
    #: `rising>N` and the like: compared with what each story gained lately,
    #: which changes with each snapshot (so, like flags, never narrowed on).
    rising: tuple[Score, ...] = ()
    #: `text:word`: looked for in the stories' full texts, which are fetched at
    #: any time (so, like flags, never narrowed on).
    texts: tuple[Words, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing usable was typed: the query matches every story."""
        return not self.terms and not self.flags and not self.rising and not self.texts

    @property
    def of_the_moment(self) -> bool:
        """True when what it matches changes without the stories changing: marks
        (`is:`), heat gained (`rising`) or full texts fetched (`text:`), so it
        cannot mute."""
        return bool(self.flags or self.rising or self.texts)

    def narrows(self, previous: Query) -> bool:
        """True when every story this query matches, `previous` matched too.

        Only story terms count (not `is:` flags, which depend on marks that may
        have changed in between). When True, filtering the previous result
        gives the same stories as filtering the whole list.
        """
        return all(any(t.implies(p) for t in self.terms) for p in previous.terms)


# ---------------------------------------------------------------------------
# Parsing


#: Every qualifier, in the order the README lists them.
QUALIFIERS = (
    "topic",
    "provider",
    "type",
    "category",
    "after",
    "before",
    "is",
    "heat",
    "quality",
    "rising",
    "text",
)
#: The `SearchText` field each name qualifier looks in, and an example of it.
_NAMED = {
    "topic": ("topics", 'topic:science or topic:"climate change"'),
    "provider": ("provider", "provider:bbc or provider:bbc.co.uk"),
    "type": ("type", "type:video or -type:course"),
    "category": ("category", "category:news"),
}
_SCORES = ("heat", "quality", "rising")
#: What follows a qualifier's name: a comparison (`heat>=`, also `heat:>=`) or a colon.
_SEPARATOR = r"(?::?(?:>=|<=|>|<|=)|:)"
#: A qualifier's name (letters only), then its separator; the value follows.
_QUALIFIER = re.compile(rf"([^\W\d_]+)({_SEPARATOR})")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
#: `https://x`, and `https:` while it is being typed, are words, not qualifiers.
_LINK_NAMES = ("http", "https")
#: The parts `heat > 800` is split into: a score's name, its separator, its number.
_SCORE_NAME = re.compile(r"-?(?:heat|quality|rising)", re.IGNORECASE)
_SCORE_OPEN = re.compile(rf"-?(?:heat|quality|rising){_SEPARATOR}", re.IGNORECASE)
_SEPARATOR_START = re.compile(_SEPARATOR)
_NUMBER_START = re.compile(r"-?\.?\d")
#: Longest name quoted back in a message, so the message fits under the box.
_NAME_SHOWN = 20


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
    texts: list[Words] = field(default_factory=list)


def parse_query(text: str, *, now: float | None = None, tz: tzinfo | None = None) -> Query:
    """Parse what the user typed. Never raises.

    `now` (seconds since the epoch) anchors ages such as `7d` and the words
    today/yesterday; `tz` is the time zone of typed dates (default: local).
    """
    clean = clean_line(text, limit=10_000)
    out = _Parsed()
    moment = time.time() if now is None else now
    for token in _joined(_tokens(clean)):
        _parse_token(token, out, moment, tz)
    rising = tuple(t for t in out.terms if isinstance(t, Score) and t.name == "rising")
    terms = tuple(t for t in out.terms if t not in rising)
    return Query(terms, tuple(out.flags), tuple(out.errors), rising, tuple(out.texts))


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


def _joined(tokens: Iterable[_Token]) -> list[_Token]:
    """The tokens with a score written with spaces (`heat > 800`, `heat >800`,
    `heat> 800`) made one (`heat>800`)."""
    out: list[_Token] = []
    for token in tokens:
        last = out[-1] if out else None
        if (
            last is not None
            and last.quote_at is None
            and token.quote_at is None
            and (
                (_SCORE_NAME.fullmatch(last.text) and _SEPARATOR_START.match(token.text))
                or (_SCORE_OPEN.fullmatch(last.text) and _NUMBER_START.match(token.text))
            )
        ):
            last.text += token.text
        else:
            out.append(token)
    return out


def _parse_token(token: _Token, out: _Parsed, now: float, tz: tzinfo | None) -> None:
    if token.text.startswith("-") and token.quote_at != 0:
        token.text, token.negated = token.text[1:], True
        token.quote_at = None if token.quote_at is None else token.quote_at - 1
    # The qualifier's name must come before any quote: "topic:x" is a phrase.
    head = token.text if token.quote_at is None else token.text[: token.quote_at]
    match = _QUALIFIER.match(head)
    if match is None:
        _add_words(token, out)
        return
    typed, sep = match.group(1), match.group(2)
    name, value = typed.lower(), token.text[match.end(2) :].strip()
    if name in _SCORES:
        _parse_score(name, typed + sep, value, token.negated, out)
    elif not sep.startswith(":"):
        if name in QUALIFIERS:  # topic=x
            out.errors.append(f"unknown qualifier {typed}{sep} (did you mean {name}:?)")
        elif value and not _NUMBER.fullmatch(value):
            _add_words(token, out)  # only a name compared with a number is a score: e=mc2
        else:
            out.errors.append(_unknown(typed, sep, _SCORES, "scores"))
    elif name in QUALIFIERS:
        # Everything after the colon: in topic:>x the name looked for is ">x".
        _parse_named(name, token.text[match.end(1) + 1 :].strip(), token.negated, out, now, tz)
    elif name in _LINK_NAMES or value.startswith("/"):
        _add_words(token, out)
    else:
        out.errors.append(_unknown(typed, ":", QUALIFIERS, "qualifiers"))


def _add_words(token: _Token, out: _Parsed) -> None:
    needle = " ".join(fold(token.text).split())
    if needle:
        out.terms.append(Words(needle, token.negated))


def _parse_named(
    name: str, value: str, neg: bool, out: _Parsed, now: float, tz: tzinfo | None
) -> None:
    if name in _NAMED:
        where, example = _NAMED[name]
        folded = " ".join(fold(value).split())
        if folded:
            out.terms.append(Named(where, folded, neg))
        else:
            out.errors.append(f"{name}: expects a name, like {example}")
    elif name == "text":
        folded = " ".join(fold(value).split())
        if folded:
            out.texts.append(Words(folded, neg))
        else:
            out.errors.append('text: expects words, like text:ceasefire or text:"peace talks"')
    elif name == "is":
        flag = value.lower()
        if flag in Flag.FLAGS:
            out.flags.append(Flag(flag, neg))
        else:
            meant = _meant(flag, Flag.FLAGS) if flag else None
            hint = f" (did you mean is:{meant}?)" if meant else ""
            out.errors.append(f"is: expects read, unread, saved or unsaved{hint}")
    else:
        ts, problem = parse_when(value, now, tz)
        if ts is None:
            out.errors.append(f"{name}: {problem}")
        else:
            out.terms.append(Published(name == "after", ts, neg))


def _parse_score(name: str, typed: str, value: str, neg: bool, out: _Parsed) -> None:
    """`typed` is the name and comparison as typed (`Heat>=`, `heat:`)."""
    if _NUMBER.fullmatch(value):
        op = typed[len(name) :].lstrip(":") or "="
        out.terms.append(Score(name, op, float(value), neg))
    else:
        out.errors.append(f"{typed} expects a number, like {name}>50")


def _unknown(typed: str, sep: str, choices: tuple[str, ...], kind: str) -> str:
    """The message for a name that is not a qualifier: the one meant, or the list."""
    meant = _meant(typed, choices)
    shown = typed if len(typed) <= _NAME_SHOWN else typed[: _NAME_SHOWN - 1] + "…"
    if meant:
        return f"unknown qualifier {shown}{sep} (did you mean {meant}{sep}?)"
    return f"unknown qualifier {shown}{sep} ({kind}: {', '.join(choices)})"


def _meant(name: str, choices: tuple[str, ...]) -> str | None:
    """The choice `name` looks like the start or a misspelling of, if any."""
    name = name.lower()
    starts = [c for c in choices if c.startswith(name)]
    if len(name) >= 2 and len(starts) == 1:
        return starts[0]
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.75)
    return close[0] if close else None
