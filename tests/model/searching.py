"""Stories and a plain reference for the search tests.

`titles` runs a query through the `Searcher` and checks it against
`matches`, a story-at-a-time reading of what each term means, written with
none of the searcher's shortcuts (folded text kept, narrowing, recent results).
"""

from __future__ import annotations

import operator
from collections.abc import Set as AbstractSet
from datetime import datetime, timezone

from reader.model.article import Article
from reader.model.query import Query, parse_query
from reader.model.search import Searcher
from reader.model.terms import Named, Published, Score, Term, Words
from reader.model.text import fold

UTC = timezone.utc
NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC).timestamp()


def ts(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()  # type: ignore[misc]


def art(title: str = "A story", **fields: object) -> Article:
    fields.setdefault("path", f"/c/{title}.md")
    fields.setdefault("web_url", f"https://example.com/{title.replace(' ', '-')}")
    return Article(title=title, **fields)  # type: ignore[arg-type]


def _names(article: Article, field: str) -> list[str]:
    """The names a `Named` term of `field` looks in."""
    by_field = {
        "topics": list(article.topics),
        "provider": [article.provider_name, article.provider_domain],
        "type": [article.type],
        "category": [article.category],
    }
    return by_field[field]


_COMPARE = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def _hit(term: Term, article: Article) -> bool:
    """Whether `article` has what `term` asks for (before negation)."""
    if isinstance(term, Words):
        fields = [article.title, article.excerpt, *_names(article, "provider"), *article.topics]
        return any(term.needle in fold(f) for f in fields)
    if isinstance(term, Named):
        return any(term.needle in fold(name) for name in _names(article, term.field))
    if isinstance(term, Published):
        when = article.published_ts
        return when is not None and (when >= term.ts if term.after else when < term.ts)
    assert isinstance(term, Score)
    score = getattr(article, term.name)
    return score is not None and _COMPARE.get(term.op, operator.eq)(score, term.value)


def matches(
    query: Query, article: Article, read: AbstractSet[str], saved: AbstractSet[str]
) -> bool:
    """What `query` means for one story, term by term."""
    marks = {
        "read": article.mark_key in read,
        "unread": article.mark_key not in read,
        "saved": article.mark_key in saved,
        "unsaved": article.mark_key not in saved,
    }
    return all(_hit(t, article) != t.negated for t in query.terms) and all(
        marks[f.flag] != f.negated for f in query.flags
    )


def titles(query: str, articles: list[Article], **marks: set[str]) -> list[str]:
    """The titles `query` finds in `articles`, checked against `matches`."""
    q = parse_query(query, now=NOW, tz=UTC)
    found = Searcher().filter(q, articles, **marks)
    read, saved = marks.get("read_links", set()), marks.get("saved_links", set())
    assert found == [a for a in articles if matches(q, a, read, saved)]
    return [a.title for a in found]


CORPUS = [
    art("López wins in Zürich", excerpt="A tight race.", provider_name="El País"),
    art("Climate change talks stall", topics=("Politics",)),
    art("Change of climate at the summit", provider_domain="bbc.co.uk"),
    art("Ødegaard scores", excerpt="Arsenal’s captain doesn’t miss."),
    art("Markets", excerpt="Investors weigh rising costs", topics=("Climate Change",)),
]
