"""Storylines: the stories of one event, from every source that covered it, as one.

Two stories are *linked* when the evidence says they report one event:

- one lists the other among its related stories (either direction), and their
  words overlap at least a little (`RELATED_WORDS`): sites list stories on the
  same subject too, not only on the same event;
- or their titles are alike (`TITLE_ALIKE`), or alike enough with excerpts
  that are too (`TITLE_AND_EXCERPT`).

Never linked, whatever else they share: stories published more than `WINDOW`
apart, stories of one provider on different days on title words alone (a
site's template titles: "... | 2019 release wave 2 overview"), and stories
whose titles name different numbers.

Links are weighed strongest first and joined into storylines, a join refused
when the storyline would then span more than `MAX_SPAN` (so a subject covered
every day does not chain into one endless storyline). Everything is ordered
by path and score, never by file order, so one folder always groups alike;
every story in a storyline keeps the link that put it there (`Link`).

Finding links is the cost, so it is done for new stories only (`find_links`)
and the links of unchanged stories are kept in the index cache.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .article import Article
from .linkkey import link_key
from .similar import EXCERPT_WORDS, cosine, numbers, numbers_differ, words

DAY = 24 * 3600.0
#: Stories further apart than this are never one event.
WINDOW = 3 * DAY
#: The most a storyline spans, first story to last.
MAX_SPAN = 5 * DAY
#: Title similarity that alone makes two stories one event.
TITLE_ALIKE = 0.6
#: Title and excerpt similarity that together do.
TITLE_AND_EXCERPT = (0.4, 0.3)
#: Title or excerpt similarity a related link needs as well.
RELATED_WORDS = 0.2
#: Of each title, the rarest words looked up for candidates: two stories are
#: compared only when they share one of them. With the threshold above, a pair
#: alike enough always does (prefix filtering).
PREFIX_SHARE = 0.5
#: Of the earlier stories sharing such a word, the most compared (the latest).
CANDIDATES = 48

#: The kinds of `Link`, strongest first.
RELATED, TITLE, TITLE_EXCERPT = "related link", "title", "title and excerpt"
_STRENGTH = {RELATED: 0, TITLE: 1, TITLE_EXCERPT: 2}


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


class _Words:
    """The content words of stories, worked out once each."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.titles = [words(a.title) for a in articles]
        self.numbers = [numbers(title) for title in self.titles]
        self.excerpts: list[frozenset[str] | None] = [None] * len(articles)
        self.articles = articles

    def excerpt(self, i: int) -> frozenset[str]:
        known = self.excerpts[i]
        if known is None:
            known = self.excerpts[i] = words(self.articles[i].excerpt, EXCERPT_WORDS)
        return known


def find_links(articles: Sequence[Article], new: Iterable[str] | None = None) -> list[Link]:
    """The links between `articles` that involve a story of `new` (paths; every
    story when None). Stories are looked at only within `WINDOW` of a new one."""
    by_path = sorted(articles, key=lambda a: a.path)
    fresh = None if new is None else frozenset(new)
    if fresh is not None:
        by_path = _near(by_path, fresh)
    seen = _Words(by_path)
    links = _related_links(by_path, seen, fresh)
    links.update(_alike_links(by_path, seen, fresh))
    return sorted(links.values(), key=lambda link: (link.a, link.b))


def _near(articles: list[Article], fresh: frozenset[str]) -> list[Article]:
    """The stories within `WINDOW` of a new one, the new ones, and those with no date."""
    times = sorted(a.published_ts for a in articles if a.path in fresh and a.published_ts)
    if not times:
        return [a for a in articles if a.path in fresh or a.published_ts is None]

    def near(ts: float | None) -> bool:
        if ts is None:
            return True
        at = bisect.bisect_left(times, ts - WINDOW)
        return at < len(times) and times[at] <= ts + WINDOW

    return [a for a in articles if a.path in fresh or near(a.published_ts)]


def _pair(a: Article, b: Article, kind: str, score: float) -> Link:
    first, second = sorted((a.path, b.path))
    return Link(first, second, kind, round(score, 3))


def _close(a: Article, b: Article) -> bool:
    """Published within `WINDOW` of each other (or either of unknown date)."""
    if a.published_ts is None or b.published_ts is None:
        return True
    return abs(a.published_ts - b.published_ts) <= WINDOW


def _related_links(
    articles: list[Article], seen: _Words, fresh: frozenset[str] | None
) -> dict[tuple[str, str], Link]:
    """Links from related lists: a story lists another one of the folder."""
    owner: dict[str, int] = {}
    for i, article in enumerate(articles):
        for url in (article.web_url, article.original_url):
            key = link_key(url)
            if key:
                owner.setdefault(key, i)
    links: dict[tuple[str, str], Link] = {}
    for i, article in enumerate(articles):
        for key in article.related_keys.split():
            j = owner.get(key)
            if j is None or j == i:
                continue
            other = articles[j]
            if fresh is not None and article.path not in fresh and other.path not in fresh:
                continue
            if not _close(article, other) or _conflict(seen, i, j):
                continue
            overlap = max(cosine(seen.titles[i], seen.titles[j]), _excerpts(seen, i, j))
            if overlap >= RELATED_WORDS:
                link = _pair(article, other, RELATED, 1.0 + overlap)
                links[link.a, link.b] = link
    return links


def _excerpts(seen: _Words, i: int, j: int) -> float:
    return cosine(seen.excerpt(i), seen.excerpt(j))


def _conflict(seen: _Words, i: int, j: int) -> bool:
    """Titles naming different numbers: never one event."""
    return numbers_differ(seen.numbers[i], seen.numbers[j])


def _alike_links(
    articles: list[Article], seen: _Words, fresh: frozenset[str] | None
) -> dict[tuple[str, str], Link]:
    """Links from alike titles (and excerpts), compared within `WINDOW` only."""
    frequency = Counter(word for title in seen.titles for word in title)
    prefixes = [_prefix(title, frequency) for title in seen.titles]
    dated = sorted(
        (a.published_ts, i) for i, a in enumerate(articles) if a.published_ts is not None
    )
    posted: dict[str, list[tuple[float, int]]] = {}
    starts: dict[str, int] = {}
    links: dict[tuple[str, str], Link] = {}
    for ts, i in dated:
        candidates: set[int] = set()
        for word in prefixes[i]:
            postings = posted.setdefault(word, [])
            start = starts.get(word, 0)
            while start < len(postings) and postings[start][0] < ts - WINDOW:
                start += 1
            starts[word] = start
            # The latest few only: a word in more titles than that this week
            # says little, and comparing them all would cost quadratic time.
            candidates.update(j for _, j in postings[max(start, len(postings) - CANDIDATES) :])
            postings.append((ts, i))
        for j in candidates:
            link = _alike(articles, seen, i, j, fresh)
            if link is not None:
                links[link.a, link.b] = link
    return links


def _prefix(title: frozenset[str], frequency: Counter[str]) -> list[str]:
    """The rarest words of a title (ties: in sort order), as many as prefix filtering needs."""
    ranked = sorted(title, key=lambda word: (frequency[word], word))
    return ranked[: max(1, math.ceil(len(ranked) * PREFIX_SHARE) + 1)]


def _alike(
    articles: list[Article], seen: _Words, i: int, j: int, fresh: frozenset[str] | None
) -> Link | None:
    low_title, low_excerpt = TITLE_AND_EXCERPT
    title = cosine(seen.titles[i], seen.titles[j])
    if title < low_title:
        return None  # most candidates: the cheapest test first
    a, b = articles[i], articles[j]
    if fresh is not None and a.path not in fresh and b.path not in fresh:
        return None
    if _same_provider_other_day(a, b) or _conflict(seen, i, j):
        return None
    if title >= TITLE_ALIKE:
        return _pair(a, b, TITLE, title)
    both = _excerpts(seen, i, j)
    if both >= low_excerpt:
        return _pair(a, b, TITLE_EXCERPT, (title + both) / 2)
    return None


def _same_provider_other_day(a: Article, b: Article) -> bool:
    provider = a.provider_name or a.provider_domain
    if not provider or provider != (b.provider_name or b.provider_domain):
        return False
    if a.published_ts is None or b.published_ts is None:
        return True
    return int(a.published_ts // DAY) != int(b.published_ts // DAY)


class Storylines:
    """Which stories are one event. Stories alone are not stored: most are."""

    def __init__(self, groups: Sequence[Sequence[Article]], why: dict[str, Link]) -> None:
        #: Each storyline's stories, in time order (who reported first).
        self.groups = groups
        self._of = {a.path: n for n, group in enumerate(groups) for a in group}
        self._why = why

    def __len__(self) -> int:
        return len(self.groups)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Storylines):
            return NotImplemented
        return self.groups == other.groups and self._why == other._why

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
        paths = {a.path for g in groups for a in g}
        why = {path: link for path, link in self._why.items() if path in paths}
        for kept in groups:
            why.pop(kept[0].path, None)
        return Storylines(groups, why)

    @classmethod
    def none(cls) -> Storylines:
        """No storylines: every story alone."""
        return cls((), {})


def _time_key(article: Article) -> tuple[bool, float, str]:
    return (article.published_ts is None, article.published_ts or 0.0, article.path)


def group(articles: Sequence[Article], links: Iterable[Link]) -> Storylines:
    """Join `articles` by `links`, strongest first, never beyond `MAX_SPAN`."""
    by_path = {a.path: a for a in articles}
    parent: dict[str, str] = {}
    span: dict[str, tuple[float, float]] = {}
    why: dict[str, Link] = {}

    def root(path: str) -> str:
        parent.setdefault(path, path)
        while parent[path] != path:
            parent[path] = parent[parent[path]]
            path = parent[path]
        return path

    def extent(path: str) -> tuple[float, float]:
        ts = by_path[path].published_ts
        return span.get(path) or ((ts, ts) if ts is not None else (math.inf, -math.inf))

    ordered = sorted(links, key=lambda k: (_STRENGTH[k.kind], -k.score, k.a, k.b))
    for link in ordered:
        if link.a not in by_path or link.b not in by_path:
            continue  # a story gone, or not shown (a duplicate)
        ra, rb = root(link.a), root(link.b)
        if ra == rb:
            continue
        (a_low, a_high), (b_low, b_high) = extent(ra), extent(rb)
        low, high = min(a_low, b_low), max(a_high, b_high)
        if high - low > MAX_SPAN:
            continue
        keep, join = sorted((ra, rb))
        parent[join] = keep
        span[keep] = (low, high)
        for path in (link.a, link.b):
            why.setdefault(path, link)
    members: dict[str, list[Article]] = {}
    for path in parent:
        members.setdefault(root(path), []).append(by_path[path])
    groups = sorted((sorted(m, key=_time_key) for m in members.values()), key=lambda g: g[0].path)
    for group_ in groups:
        why.pop(group_[0].path, None)  # the first story is there on its own account
    return Storylines(groups, why)
