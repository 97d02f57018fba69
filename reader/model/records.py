"""Flat tuples for `Article` and `Problem`: the form sent between processes and cached.

Tuples of plain values marshal and unpickle several times faster than objects.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any

from .article import Article, Problem
from .text import intern

ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_article_row = attrgetter(*ARTICLE_FIELDS)
_TOPICS = ARTICLE_FIELDS.index("topics")
_PROVIDER = ARTICLE_FIELDS.index("provider_name")
_DOMAIN = ARTICLE_FIELDS.index("provider_domain")

#: A record: ("a", article row) or ("p", path, reason, kind).
Record = tuple[Any, ...]


def to_record(item: Article | Problem) -> Record:
    """The flat record of an article or a problem."""
    if isinstance(item, Article):
        return ("a", _article_row(item))
    return ("p", item.path, item.reason, item.kind)


def from_record(record: Record) -> Article | Problem:
    """Rebuild an article or a problem; raises on a malformed record."""
    if record[0] == "a":
        row = list(record[1])
        if len(row) != len(ARTICLE_FIELDS):
            raise ValueError("article record of the wrong length")
        row[_TOPICS] = tuple(intern(t) for t in row[_TOPICS])
        row[_PROVIDER] = intern(row[_PROVIDER])
        row[_DOMAIN] = intern(row[_DOMAIN])
        return Article(*row)
    if record[0] == "p":
        return Problem(str(record[1]), str(record[2]), str(record[3]))
    raise ValueError("unknown record")
