"""The in-memory index: topics with counts, ranked lists, lookup by link."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

from .article import Article, Problem
from .gcpause import gc_paused
from .rising import Rises
from .text import fold, show_path
from .trends import next_midnight, topic_days

#: The key of the pseudo-topic holding every story.
ALL = ""
#: The orders stories can be ranked in, as the `s` key cycles through them.
ORDERS = ("heat", "newest", "oldest", "quality", "rising")
_topics_of = attrgetter("topics")


@dataclass(frozen=True, slots=True)
class Topic:
    """A sidebar entry: `key` is the case-folded name, `name` the one shown."""

    key: str
    name: str
    count: int


def _heat_key(a: Article) -> tuple[Any, ...]:
    return (
        a.heat is None,
        -(a.heat or 0),
        a.published_ts is None,
        -(a.published_ts or 0.0),
        a.title.casefold(),
        a.path,
    )


def _newest_key(a: Article) -> tuple[Any, ...]:
    return (a.published_ts is None, -(a.published_ts or 0.0), *_heat_key(a)[:2], a.path)


def _oldest_key(a: Article) -> tuple[Any, ...]:
    # Stories of unknown date go last here too: they are not the oldest.
    return (a.published_ts is None, a.published_ts or 0.0, *_heat_key(a)[:2], a.path)


def _quality_key(a: Article) -> tuple[Any, ...]:
    return (a.quality is None, -(a.quality or 0), *_heat_key(a))


SORT_KEYS: dict[str, Callable[[Article], tuple[Any, ...]]] = {
    "heat": _heat_key,
    "newest": _newest_key,
    "oldest": _oldest_key,
    "quality": _quality_key,
}


def _rising_key(rises: Rises) -> Callable[[Article], tuple[Any, ...]]:
    """Most heat gained first; then, by heat, the stories that did not move; those that
    lost heat last, the biggest loss at the end."""
    gains = rises.gains

    def key(a: Article) -> tuple[Any, ...]:
        gain = gains.get(a.mark_key, 0)
        return (gain <= 0, -gain, *_heat_key(a))

    return key


def rank(
    articles: Iterable[Article], order: str = "heat", rises: Rises | None = None
) -> list[Article]:
    """Articles in display order: hottest first (ties: newer, then title).

    "rising" ranks by `rises` (by heat alone until there are two snapshots).
    """
    if order == "rising":
        return sorted(articles, key=_rising_key(rises or Rises()))
    return sorted(articles, key=SORT_KEYS[order])


def _better(a: Article, b: Article) -> bool:
    """True when `a` should represent a story that `b` also links to."""
    return _heat_key(a) < _heat_key(b)


class Index:
    """Every shown story, ranked, with topics and link lookup.

    Two files with the same `webUrl` are one story: the hotter is kept and the
    other is listed in `duplicates`.
    """

    def __init__(self, articles: Iterable[Article], rises: Rises | None = None) -> None:
        """Index `articles`; `rises` (what each story gained lately) ranks "rising"."""
        #: What each story gained over the rising window.
        self.rises = rises or Rises()
        # Millions of small allocations and no cycles: see gcpause.
        with gc_paused():
            by_link: dict[str, Article] = {}
            unique: list[Article] = []
            self.duplicates: list[Problem] = []
            for article in articles:
                link = article.web_url
                if not link:
                    unique.append(article)
                    continue
                kept = by_link.get(link)
                if kept is None:
                    by_link[link] = article
                elif _better(article, kept):
                    by_link[link] = article
                    self.duplicates.append(_duplicate(kept, article))
                else:
                    self.duplicates.append(_duplicate(article, kept))
            unique.extend(by_link.values())
            self._by_link = dict(by_link)
            for article in unique:
                if article.original_url:
                    self._by_link.setdefault(article.original_url, article)
            self._all = unique
            self._by_mark = {a.mark_key: a for a in unique}
            self._ranked: dict[str, dict[str, list[Article]]] = {}
            # Counted by spelling first (a C loop), then merged by folded name:
            # a few hundred spellings to fold rather than every story's topics.
            spellings = Counter(chain.from_iterable(map(_topics_of, unique)))
            self._names = _topic_names(spellings)
            counts: Counter[str] = Counter()
            for spelling, n in spellings.items():
                counts[spelling.casefold()] += n
            named = sorted(
                (Topic(key, self._names[key], n) for key, n in counts.items()),
                key=lambda t: (-t.count, t.name.casefold(), t.name),
            )
            self.topics: list[Topic] = [Topic(ALL, "All", len(unique)), *named]
        self._folded_titles: list[str] | None = None
        self._trends: tuple[float, dict[str, tuple[int, ...]]] | None = None
        #: The last read marks counted, and what was unread then.
        self._last_unread: tuple[frozenset[str], dict[str, int]] = (frozenset(), self._totals())

    def __len__(self) -> int:
        return len(self._all)

    def trends(self, now: float) -> dict[str, tuple[int, ...]]:
        """Each topic's stories per day over the last `trends.DAYS` days (see
        `trends.topic_days`), worked out once a day (the loader does it early)."""
        day = next_midnight(now)
        if self._trends is None or self._trends[0] != day:
            self._trends = (day, topic_days(self._all, now=now))
        return self._trends[1]

    def with_rises(self, rises: Rises) -> Index:
        """This index with newer `rises`: only the "rising" lists are ranked again."""
        other = copy.copy(self)
        other.rises = rises
        other._ranked = {k: v for k, v in self._ranked.items() if k != "rising"}
        return other

    def topic_name(self, name: str) -> str:
        """The name shown for a topic, whichever case variant a file used."""
        return self._names.get(name.casefold(), name)

    def articles(self, topic: str = ALL, order: str = "heat") -> list[Article]:
        """The stories of `topic` (a key; `ALL` for every story) in `order`.

        The first call for a topic in an order fills every topic's list in one
        pass over the ranked stories, so switching topic is then a lookup.
        """
        ranked = self._ranked.get(order)
        if ranked is None:
            with gc_paused():  # a sort key tuple per story
                ranked = self._ranked[order] = {ALL: rank(self._all, order, self.rises)}
        if topic != ALL and len(ranked) == 1:
            ranked.update(_by_topic(ranked[ALL]))
        return ranked.get(topic, [])

    def titled(self, needle: str) -> Iterator[Article]:
        """The stories, hottest first, whose title contains `needle` (already folded:
        see `fold`). Titles are folded on the first call and kept: the palette asks
        on every keystroke."""
        ranked = self.articles()
        if self._folded_titles is None:
            self._folded_titles = [fold(a.title) for a in ranked]
        titles = zip(ranked, self._folded_titles, strict=True)
        return (a for a, title in titles if needle in title)

    def holds(self, article: Article) -> bool:
        """True when `article` itself is listed (not a second file of its story)."""
        return self._by_mark.get(article.mark_key) is article

    def with_mark(self, key: str) -> Article | None:
        """The story whose `Article.mark_key` (what marks are kept by) is `key`."""
        return self._by_mark.get(key)

    def unread_counts(self, read: AbstractSet[str]) -> dict[str, int]:
        """Stories not in `read` (mark keys), per topic key and under `ALL`.

        Works from the read marks rather than the stories, so it costs next to
        nothing with 100,000 stories and a few hundred marks; and from the
        marks that changed since the last call, so one more mark costs little
        even when 100,000 are read.
        """
        read = frozenset(read)  # a snapshot: the caller may change its set
        last_read, last_counts = self._last_unread
        gained, lost = read - last_read, last_read - read
        if len(gained) + len(lost) < len(read):
            counts = dict(last_counts)
            self._count_read(counts, gained, -1)
            self._count_read(counts, lost, 1)
        else:
            counts = self._totals()
            self._count_read(counts, read, -1)
        self._last_unread = (read, counts)
        return dict(counts)

    def _totals(self) -> dict[str, int]:
        """Every story of each topic (and under `ALL`): the unread counts with none read."""
        return {topic.key: topic.count for topic in self.topics}

    def _count_read(self, counts: dict[str, int], keys: Iterable[str], step: int) -> None:
        for key in keys:
            article = self._by_mark.get(key)
            if article is not None:
                counts[ALL] += step
                for topic in article.topics:
                    counts[topic.casefold()] += step

    def find(self, link: str) -> Article | None:
        """The story in the corpus with this link, or None."""
        return self._by_link.get(link.strip()) if link else None


def _by_topic(ranked: list[Article]) -> dict[str, list[Article]]:
    """Each topic's stories, in the order of `ranked`."""
    lists: dict[str, list[Article]] = {}
    for article in ranked:
        for topic in article.topics:
            key = topic.casefold()
            members = lists.get(key)
            if members is None:
                lists[key] = [article]
            else:
                members.append(article)
    return lists


def _duplicate(dropped: Article, kept: Article) -> Problem:
    # A reason is shown as text: the path goes in escaped, like every shown path.
    reason = f"the same story (webUrl) as {show_path(kept.path)}, which is kept"
    return Problem(dropped.path, reason, "duplicate")


def _topic_names(spellings: Counter[str]) -> dict[str, str]:
    """For each case-folded topic, its most used spelling (ties: the first in sort order)."""
    best: dict[str, tuple[int, str]] = {}
    for name, n in spellings.items():
        key = name.casefold()
        current = best.get(key)
        if current is None or (-n, name) < (-current[0], current[1]):
            best[key] = (n, name)
    return {key: name for key, (_, name) in best.items()}
