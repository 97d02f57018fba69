"""How alike two stories' words are: the evidence storylines are grouped on.

Titles and excerpts are reduced to their *content words*: folded (see
`text.fold`), without the words every headline has ("the", "says", "new"),
and cut to their first `STEM` letters, so that "announces" and "announced",
"general" and "generally" count as one word. Numbers are kept whole, because
"2019 release wave 2" and "2020 release wave 1" are two different events.

`cosine` is the plain similarity of two word sets (shared words over the
geometric mean of the sizes): "Dataverse for Teams is now generally available"
and "Microsoft announces general availability of Dataverse for Teams" share 4
of 4 and 6 words, 0.82. Storylines weigh each word by how rare it is among the
folder's titles instead (`reader.model.storylines`); the benchmark compares both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from .text import fold

#: Letters a word is cut to.
STEM = 6
#: Words of most excerpts looked at (the opening says what the story is about).
EXCERPT_WORDS = 60

# Function words and the filler of headlines: they say nothing about the event.
_FILLER = """
a about after again against all also am an and any are as at be because been before being
between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more
most my no nor not now of off on once only or other our out over own same she should so
some such than that the their them then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you
your yours s t d ll re ve m don isn aren wasn weren won says say said new news latest
live update updates report reports today week year years day days via amid vs get gets
first one two three
"""
_STOPWORDS = frozenset(_FILLER.split())
_WORD = re.compile(r"[^\W_]+")
# "68,000" is one number, not "68" and "000".
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")


class _Stems(dict[str, str]):
    """Each word as it is compared ("" for a word that is not compared), worked out
    once per word: a folder's titles repeat the same few thousand words."""

    def __missing__(self, word: str) -> str:
        if word in _STOPWORDS or (len(word) == 1 and not word.isdigit()):
            stem = ""
        else:
            stem = word if word.isdigit() else word[:STEM]
        if len(self) < _MAX_STEMS:
            self[word] = stem
        return stem


#: Words remembered by `_Stems` (a bound on its memory: ~10 MB).
_MAX_STEMS = 100_000
_stems = _Stems()
_NOT_A_WORD = frozenset({""})


def words(text: str, limit: int | None = None) -> frozenset[str]:
    """The content words of `text` (its first `limit` words when given)."""
    found = _WORD.findall(_THOUSANDS.sub("", fold(text)))
    if limit is not None:
        del found[limit:]
    return frozenset(map(_stems.__getitem__, found)) - _NOT_A_WORD


_NO_NUMBERS: frozenset[str] = frozenset()


def numbers(content: Iterable[str]) -> frozenset[str]:
    """The numbers among content words."""
    found = [word for word in content if word.isdigit()]
    return frozenset(found) if found else _NO_NUMBERS


def numbers_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when each of two number sets has one the other lacks ("2019 … 2" against
    "2020 … 1"); a number only one side gives ("50% by 2030" against "by 2030") is no conflict."""
    return bool(a - b) and bool(b - a)


def cosine(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over the geometric mean of the sizes (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))
