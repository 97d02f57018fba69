"""Storylines: the stories of one event, from every source that covered it, as one.

Two stories are *linked* when the evidence says they report one event:

- one lists the other among its related stories (either direction), and their
  words overlap at least a little (`linking.RELATED_WORDS`): sites list stories on the
  same subject too, not only on the same event;
- or their titles are alike (`linking.TITLE_ALIKE`), or alike enough with excerpts
  that are too (`linking.TITLE_AND_EXCERPT`).

Alike is a cosine of content words (`similar.words`), each weighed by how rare
it is among the folder's titles (`linking.RARITY`): "Gio for Teams is now generally
available" and "Vikrym for Teams is now generally available" share five words
but not the two names that matter, so they stay apart.

Never linked, whatever else they share: stories published more than `linking.WINDOW`
apart, stories of one provider on different days on title words alone (a
site's template titles: "... | 2019 release wave 2 overview"), and stories
whose titles name different numbers.

Links are taken strongest first and joined into storylines, a join refused
when the storyline would then span more than `joining.MAX_SPAN` (so a subject covered
every day does not chain into one endless storyline), or when it would join
two storylines that too few links bind (`joining.SUPPORT`). Everything is ordered
by path and score, never by file order, so one folder always groups alike;
every story in a storyline keeps the link that put it there (`Link`).

This module holds what the rest of reader sees: `Link` and `Storylines`.
`linking` finds the links (the cost, so it is done for new stories only, and
the links of unchanged stories are kept in the index cache); `joining` joins
them into storylines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .article import Article
from .linkkey import link_key

DAY = 24 * 3600.0

#: The kinds of `Link`.
RELATED, TITLE, TITLE_EXCERPT = "related link", "title", "title and excerpt"
KINDS = frozenset({RELATED, TITLE, TITLE_EXCERPT})


@dataclass(frozen=True, slots=True)
class Link:
    """Why two stories (by path) are one event: the kind of evidence and its score."""

    a: str
    b: str
    kind: str
    score: float

    def other(self, path: str) -> str:
        """The story linked to `path`."""
        return self.b if path == self.a else self.a

    def reason(self) -> str:
        """The evidence in words, as the detail pane and `reader list` show it."""
        if self.kind == RELATED:
            return "related link"
        return f"{self.kind} {self.score:.2f} similar"


class _StoredLinks(Mapping[str, Link]):
    """The link that put each story in its storyline, read from the cache's columns
    when asked for."""

    def __init__(self, places: dict[str, int], columns: list[list[Any]]) -> None:
        self._places = places
        self._columns = columns

    def __getitem__(self, path: str) -> Link:
        place = self._places[path]
        return Link(*(column[place] for column in self._columns))

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)


class _Either(Mapping[str, Link]):
    """Two mappings of other stories as one (the stored links and those found since)."""

    def __init__(self, first: Mapping[str, Link], second: Mapping[str, Link]) -> None:
        self._first, self._second = first, second

    def __getitem__(self, path: str) -> Link:
        return self._first[path] if path in self._first else self._second[path]

    def __iter__(self) -> Iterator[str]:
        yield from self._first
        yield from (path for path in self._second if path not in self._first)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Only(Mapping[str, Link]):
    """The links of `paths` only, from another mapping."""

    def __init__(self, links: Mapping[str, Link], paths: set[str]) -> None:
        self._links, self._paths = links, paths

    def __getitem__(self, path: str) -> Link:
        if path not in self._paths:
            raise KeyError(path)
        return self._links[path]

    def __iter__(self) -> Iterator[str]:
        return (path for path in self._links if path in self._paths)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Storylines:
    """Which stories are one event. Stories alone are not stored: most are."""

    def __init__(self, groups: Sequence[Sequence[Article]], why: Mapping[str, Link]) -> None:
        #: Each storyline's stories, in time order (who reported first).
        self.groups = groups
        self._of = {a.path: n for n, group in enumerate(groups) for a in group}
        self._why = why

    def __len__(self) -> int:
        return len(self.groups)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Storylines):
            return NotImplemented
        return self.groups == other.groups and dict(self._why) == dict(other._why)

    __hash__ = None  # type: ignore[assignment]

    def of(self, article: Article) -> Sequence[Article]:
        """The stories of `article`'s storyline in time order (just itself when alone)."""
        n = self._of.get(article.path)
        return (article,) if n is None else self.groups[n]

    @property
    def numbers(self) -> Mapping[str, int]:
        """The storyline of each story that has one, by its file (stories alone are absent)."""
        return self._of

    def number(self, article: Article) -> int | None:
        """Which storyline `article` is in (an index into `groups`), or None when alone."""
        return self._of.get(article.path)

    def why(self, article: Article) -> Link | None:
        """The link that put `article` into its storyline (None for the first one in)."""
        return self._why.get(article.path)

    def ident(self, article: Article) -> str:
        """A string naming `article`'s storyline, the same on every machine: the link
        key of its first story (of the story itself when alone)."""
        first = self.of(article)[0]
        return link_key(first.mark_key)

    def only(self, shown: Callable[[Article], bool]) -> Storylines:
        """These storylines with only the stories `shown` keeps (those an index lists:
        not a second file of the same story); a storyline left with one story is none."""
        groups = [kept for g in self.groups if len(kept := [a for a in g if shown(a)]) > 1]
        if len(groups) == len(self.groups) and all(
            len(a) == len(b) for a, b in zip(groups, self.groups, strict=True)
        ):
            return self
        # Most links are never asked for: filter the mapping, not a copy of it (a
        # copy reads all ~70,000 stored links, ~0.5 s of a warm start at 100,000).
        firsts = {kept[0].path for kept in groups}
        paths = {a.path for g in groups for a in g} - firsts
        return Storylines(groups, _Only(self._why, paths))

    def columns(self, links: Sequence[Link]) -> list[list[Any]]:
        """The storylines as three columns, for the cache: each story's file, its
        storyline's number and the place in `links` of what put it there (-1: none)."""
        place = {(link.a, link.b): n for n, link in enumerate(links)}
        paths, numbers, why = [], [], []
        for n, stories in enumerate(self.groups):
            for article in stories:
                paths.append(article.path)
                numbers.append(n)
                link = self._why.get(article.path)
                why.append(-1 if link is None else place.get((link.a, link.b), -1))
        return [paths, numbers, why]

    @classmethod
    def from_columns(
        cls, columns: list[list[Any]], articles: Iterable[Article], links: list[list[Any]]
    ) -> Storylines | None:
        """Storylines as `columns` gave them (`links`: the cache's link columns), for
        these stories; None when they do not fit (a story missing, a number out of
        place): then they are worked out again. A warm start of 100,000 stories
        comes here, so what put each story there is only read when asked for."""
        paths, numbers, why = columns
        wanted = set(paths)
        by_path = {a.path: a for a in articles if a.path in wanted}
        groups: list[list[Article]] = []
        for path, n in zip(paths, numbers, strict=True):
            article = by_path.get(path)
            if article is None or n not in (len(groups) - 1, len(groups)):
                return None
            if n == len(groups):
                groups.append([])
            groups[n].append(article)
        count = len(links[0]) if links else 0
        places = {path: place for path, place in zip(paths, why, strict=True) if 0 <= place < count}
        return cls(groups, _StoredLinks(places, links))

    def joined(self, other: Storylines) -> Storylines:
        """These storylines and `other`'s (of other stories) as one."""
        groups = sorted([*self.groups, *other.groups], key=lambda g: g[0].path)
        return Storylines(groups, _Either(other._why, self._why))

    @classmethod
    def none(cls) -> Storylines:
        """No storylines: every story alone."""
        return cls((), {})


def time_order(article: Article) -> tuple[bool, float, str]:
    """The order of a storyline's stories: by publication time (unknown last), then file."""
    return (article.published_ts is None, article.published_ts or 0.0, article.path)
