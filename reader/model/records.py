"""Flat rows for `Article` and `Problem`: the form sent between processes and cached.

A record is an article's field values in order (`Article(*row)` rebuilds it)
or a problem's (path, reason, kind). The cache stores many records as columns,
one list per field: that loads faster than tuples of tuples and lets every
type check run over a whole column in C.
"""

from __future__ import annotations

from dataclasses import fields
from itertools import chain
from operator import attrgetter
from typing import Any

from .article import Article, Problem
from .storylines import Link

ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
PROBLEM_FIELDS = tuple(f.name for f in fields(Problem))
LINK_FIELDS = tuple(f.name for f in fields(Link))
_article_row = attrgetter(*ARTICLE_FIELDS)
_ARTICLE_SLOTS = tuple(Article.__dict__[name] for name in ARTICLE_FIELDS)
_TOPICS = ARTICLE_FIELDS.index("topics")
_new_article = object.__new__
_TUPLE = frozenset({tuple})

#: A record: an article row (len(ARTICLE_FIELDS) values) or a problem row (3).
Record = tuple[Any, ...]
#: Values of one field for many records.
Column = list[Any]

_NAMES: dict[str, type] = {"str": str, "int": int, "float": float, "None": type(None)}


def _allowed(annotation: str) -> frozenset[type]:
    """The exact types a field may hold, from its annotation ("int | None")."""
    if annotation.startswith("tuple["):
        return _TUPLE
    return frozenset(_NAMES[part.strip()] for part in annotation.split("|"))


#: Exact types allowed in each column; a new kind of field fails here, at import.
ARTICLE_TYPES = tuple(_allowed(str(f.type)) for f in fields(Article))
PROBLEM_TYPES = tuple(_allowed(str(f.type)) for f in fields(Problem))
LINK_TYPES = tuple(_allowed(str(f.type)) for f in fields(Link))
#: The columns of `Storylines.columns`: file, storyline number, place of its link.
STORYLINE_TYPES = (frozenset({str}), frozenset({int}), frozenset({int}))
#: The columns of title-word counts: word, in how many titles.
WORD_TYPES = (frozenset({str}), frozenset({int}))


def to_record(item: Article | Problem) -> Record:
    """The flat record of an article or a problem."""
    if isinstance(item, Article):
        return tuple(_article_row(item))
    return (item.path, item.reason, item.kind)


def is_article(record: Record) -> bool:
    """True for an article record, False for a problem record."""
    return len(record) == len(ARTICLE_FIELDS)


def check_columns(columns: list[Column], types: tuple[frozenset[type], ...]) -> None:
    """Raise ValueError unless `columns` fit `types` (one column per field, equal lengths)."""
    if len(columns) != len(types) or not all(type(c) is list for c in columns):
        raise ValueError("wrong number of columns")
    if len({len(c) for c in columns}) > 1:
        raise ValueError("columns of different lengths")
    for column, allowed in zip(columns, types, strict=True):
        if not set(map(type, column)) <= allowed:
            raise ValueError("a value of the wrong type")
        # Tuples hold strings (topics): checked in one pass over all of them.
        if allowed == _TUPLE and not set(map(type, chain.from_iterable(column))) <= {str}:
            raise ValueError("a tuple holding something other than text")


def articles_from(columns: list[Column]) -> list[Article]:
    """The articles of checked columns (the same as `Article(*row)` for each row)."""
    if not columns or not columns[0]:
        return []
    # A warm start builds 100,000 articles: filling each slot a column at a
    # time skips the frozen dataclass's __init__ (a call per field per story)
    # and takes half the time.
    articles = [_new_article(Article) for _ in columns[0]]
    # Stories share their sets of topics: one tuple each saves ~8 MB at 100,000.
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    topics = [shared.setdefault(t, t) for t in columns[_TOPICS]]
    for slot, column in zip(_ARTICLE_SLOTS, columns, strict=True):
        list(map(slot.__set__, articles, topics if slot is _ARTICLE_SLOTS[_TOPICS] else column))
    return articles


def problems_from(columns: list[Column]) -> list[Problem]:
    """The problems of checked columns."""
    return list(map(Problem, *columns)) if columns and columns[0] else []


def links_from(columns: list[Column]) -> list[Link]:
    """The storyline links of checked columns."""
    return list(map(Link, *columns)) if columns and columns[0] else []


def link_columns(links: list[Link]) -> list[Column]:
    """Storyline links as columns, for the cache."""
    return [list(map(attrgetter(name), links)) for name in LINK_FIELDS]
