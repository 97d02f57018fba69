"""Storylines: the stories of one event, from every source that covered it, as one.

Two stories are *linked* when the evidence says they report one event:

- one lists the other among its related stories (either direction), and their
  words overlap at least a little (`RELATED_WORDS`): sites list stories on the
  same subject too, not only on the same event;
- or their titles are alike (`TITLE_ALIKE`), or alike enough with excerpts
  that are too (`TITLE_AND_EXCERPT`).

Alike is a cosine of content words (`similar.words`), each weighed by how rare
it is among the folder's titles (`RARITY`): "Gio for Teams is now generally
available" and "Vikrym for Teams is now generally available" share five words
but not the two names that matter, so they stay apart.

Never linked, whatever else they share: stories published more than `WINDOW`
apart, stories of one provider on different days on title words alone (a
site's template titles: "... | 2019 release wave 2 overview"), and stories
whose titles name different numbers.

Links are taken strongest first and joined into storylines, a join refused
when the storyline would then span more than `MAX_SPAN` (so a subject covered
every day does not chain into one endless storyline), or when it would join
two storylines that too few links bind (`SUPPORT`). Everything is ordered
by path and score, never by file order, so one folder always groups alike;
every story in a storyline keeps the link that put it there (`Link`).

Finding links is the cost, so it is done for new stories only (`find_links`)
and the links of unchanged stories are kept in the index cache.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from .article import Article
from .linkkey import link_key
from .similar import EXCERPT_WORDS, numbers, numbers_differ, words

DAY = 24 * 3600.0
#: Stories further apart than this are never one event.
WINDOW = 3 * DAY
#: The most a storyline spans, first story to last.
MAX_SPAN = 5 * DAY
#: Title similarity that alone makes two stories one event.
TITLE_ALIKE = 0.6
#: Title and excerpt similarity that together do.
TITLE_AND_EXCERPT = (0.55, 0.45)
#: Title or excerpt similarity a related link needs as well.
RELATED_WORDS = 0.3
#: Of each title, the rarest words looked up for candidates: two stories are
#: compared only when they share one of them. With the threshold above, a pair
#: alike enough always does (prefix filtering).
PREFIX_SHARE = 0.5
#: Of the earlier stories sharing such a word, the most compared (the latest).
CANDIDATES = 48

#: How much more a rare word weighs than a common one: a word's weight is its
#: inverse document frequency (among titles) to this power (2 is TF-IDF's cosine).
RARITY = 4.0
#: The fewest titles word weights are worked out from (see `_Words`).
KNOWN_TITLES = 1000
#: Storylines of several stories join when this share of the smaller one's
#: stories are linked to the other: one story that looks like both events does
#: not make them one (a story alone joins on its strongest link).
SUPPORT = 0.5

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


class _Weights(dict[str, float]):
    """Each word's weight; a word no title has weighs the most."""

    def __init__(self, weights: dict[str, float], unseen: float) -> None:
        super().__init__(weights)
        self.unseen = unseen

    def __missing__(self, word: str) -> float:
        return self.unseen


class _Words:
    """The content words of stories, worked out once each, and how much each word
    weighs: the rarer among the folder's titles, the more (a name says more about
    an event than "announces" does), as in TF-IDF."""

    def __init__(
        self,
        articles: Sequence[Article],
        everyone: Sequence[Article],
        titles: Titles,
        counts: Counter[str] | None,
    ) -> None:
        known = titles
        for article in everyone if counts is None else articles:
            if article.path not in known:
                known[article.path] = _sorted_words(article.title)
        self.titles = [known[a.path] for a in articles]
        self._numbers: dict[int, frozenset[str]] = {}
        self.excerpts: list[tuple[str, ...] | None] = [None] * len(articles)
        self.articles = articles
        self.frequency = count_words(known.values()) if counts is None else counts
        # A small folder says little about which words are common: counted as
        # one of at least `KNOWN_TITLES` titles, its words all weigh about alike.
        size = max(len(everyone), KNOWN_TITLES) + 1
        self.weights = _Weights(
            {w: (math.log(size / (n + 1)) + 1.0) ** RARITY for w, n in self.frequency.items()},
            unseen=(math.log(size) + 1.0) ** RARITY,
        )
        self.title_norms = [self.norm(title) for title in self.titles]
        self._excerpt_norms: dict[int, float] = {}

    def norm(self, content: Iterable[str]) -> float:
        return math.sqrt(sum(map(self.weights.__getitem__, content)))

    def similarity(self, a: Words, b: Words, na: float, nb: float) -> float:
        """The weighted cosine of two word sets of norms `na` and `nb`."""
        shared = set(a).intersection(b)
        if not shared or not na or not nb:
            return 0.0
        return sum(map(self.weights.__getitem__, shared)) / (na * nb)

    def numbers(self, i: int) -> frozenset[str]:
        """The numbers of a title."""
        known = self._numbers.get(i)
        if known is None:
            known = self._numbers[i] = numbers(self.titles[i])
        return known

    def title(self, i: int, j: int) -> float:
        """How alike two titles are."""
        norms = self.title_norms
        return self.similarity(self.titles[i], self.titles[j], norms[i], norms[j])

    def excerpt(self, i: int, j: int) -> float:
        """How alike two excerpts are (their opening words)."""
        a, b = self._excerpt(i), self._excerpt(j)
        na, nb = self._excerpt_norms[i], self._excerpt_norms[j]
        if not na or not nb:
            return 0.0
        shared = set(a).intersection(b)
        return sum(map(self.weights.__getitem__, shared)) / (na * nb)

    def _excerpt(self, i: int) -> tuple[str, ...]:
        # Kept as a tuple, a fifth of a set's memory: tens of thousands are kept.
        known = self.excerpts[i]
        if known is None:
            content = words(self.articles[i].excerpt, EXCERPT_WORDS)
            self._excerpt_norms[i] = self.norm(content)
            known = self.excerpts[i] = tuple(content)
        return known


#: Content words, sorted: a tuple takes a third of a set's memory, and 100,000
#: titles are held while links are found.
Words = tuple[str, ...]
#: The content words of titles, by file (see `title_words`).
Titles = dict[str, Words]


def _sorted_words(text: str) -> Words:
    return tuple(sorted(words(text)))


def count_words(titles: Iterable[Words]) -> Counter[str]:
    """In how many of `titles` each word is (what words are weighed by)."""
    return Counter(word for title in titles for word in title)


def title_words(articles: Iterable[Article], into: Titles) -> None:
    """Work out the title words `find_links` needs, ahead of it (the loader does
    this while files are parsed in other processes)."""
    into.update((a.path, _sorted_words(a.title)) for a in articles)


def find_links(
    articles: Sequence[Article],
    new: Iterable[str] | None = None,
    titles: Titles | None = None,
    counts: Counter[str] | None = None,
) -> list[Link]:
    """The links between `articles` that involve a story of `new` (paths; every
    story when None). Stories are looked at only within `WINDOW` of a new one.
    `titles` may hold the title words of some stories already (`title_words`);
    `counts`, the `count_words` of every story's title (else they are counted)."""
    by_path = sorted(articles, key=lambda a: a.path)
    fresh = None if new is None else frozenset(new)
    if fresh is not None:
        by_path = _near(by_path, fresh)
    seen = _Words(by_path, articles, {} if titles is None else titles, counts)
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
        for url in {article.web_url, article.original_url}:  # often one link twice
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
            overlap = seen.title(i, j)
            if overlap < RELATED_WORDS:
                overlap = max(overlap, seen.excerpt(i, j))
            if overlap >= RELATED_WORDS:
                link = _pair(article, other, RELATED, 1.0 + overlap)
                links[link.a, link.b] = link
    return links


def _conflict(seen: _Words, i: int, j: int) -> bool:
    """Titles naming different numbers: never one event."""
    return numbers_differ(seen.numbers(i), seen.numbers(j))


def _alike_links(
    articles: list[Article], seen: _Words, fresh: frozenset[str] | None
) -> dict[tuple[str, str], Link]:
    """Links from alike titles (and excerpts), compared within `WINDOW` only."""
    prefixes = [_prefix(title, seen.frequency) for title in seen.titles]
    dated = sorted(
        (a.published_ts, i) for i, a in enumerate(articles) if a.published_ts is not None
    )
    # Per word, the stories whose prefix has it, in time order, and the first
    # one still within `WINDOW` of the story being looked at.
    times: dict[str, list[float]] = {}
    posted: dict[str, list[int]] = {}
    starts: dict[str, int] = {}
    links: dict[tuple[str, str], Link] = {}
    for ts, i in dated:
        candidates: set[int] = set()
        for word in prefixes[i]:
            stories = posted.get(word)
            if stories is None:
                times[word], posted[word] = [ts], [i]
                continue
            when = times[word]
            when.append(ts)
            stories.append(i)
            start = starts.get(word, 0)
            while when[start] < ts - WINDOW:  # stops at the story itself at the latest
                start += 1
            starts[word] = start
            # The latest few only: a word in more titles than that this week
            # says little, and comparing them all would cost quadratic time.
            candidates.update(stories[max(start, len(stories) - 1 - CANDIDATES) : -1])
        for j in candidates:
            link = _alike(articles, seen, i, j, fresh)
            if link is not None:
                links[link.a, link.b] = link
    return links


def _prefix(title: Words, frequency: Counter[str]) -> list[str]:
    """The rarest words of a title (ties: in sort order), as many as prefix filtering needs."""
    ranked = sorted(title, key=frequency.__getitem__)  # stable: ties stay in word order
    return ranked[: max(1, math.ceil(len(ranked) * PREFIX_SHARE) + 1)]


def _alike(
    articles: list[Article], seen: _Words, i: int, j: int, fresh: frozenset[str] | None
) -> Link | None:
    low_title, low_excerpt = TITLE_AND_EXCERPT
    # Most candidates fail on the title: its similarity is worked out here, inline.
    shared = set(seen.titles[i]).intersection(seen.titles[j])
    if not shared:
        return None
    norms = seen.title_norms
    title = sum(map(seen.weights.__getitem__, shared)) / (norms[i] * norms[j] or 1.0)
    if title < low_title:
        return None
    a, b = articles[i], articles[j]
    if fresh is not None and a.path not in fresh and b.path not in fresh:
        return None
    if one_site_other_days(a, b) or _conflict(seen, i, j):
        return None
    if title >= TITLE_ALIKE:
        return _pair(a, b, TITLE, title)
    both = seen.excerpt(i, j)
    if both >= low_excerpt:
        return _pair(a, b, TITLE_EXCERPT, (title + both) / 2)
    return None


def one_site_other_days(a: Article, b: Article) -> bool:
    """True for stories of one provider published on different days (or on an
    unknown one): their alike titles are the site's template, not one event."""
    provider = a.provider_name or a.provider_domain
    if not provider or provider != (b.provider_name or b.provider_domain):
        return False
    if a.published_ts is None or b.published_ts is None:
        return True
    return int(a.published_ts // DAY) != int(b.published_ts // DAY)


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
        paths = {a.path for g in groups for a in g}
        why = {path: link for path, link in self._why.items() if path in paths}
        for kept in groups:
            why.pop(kept[0].path, None)
        return Storylines(groups, why)

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

    @classmethod
    def none(cls) -> Storylines:
        """No storylines: every story alone."""
        return cls((), {})


def time_order(article: Article) -> tuple[bool, float, str]:
    """The order of a storyline's stories: by publication time (unknown last), then file."""
    return (article.published_ts is None, article.published_ts or 0.0, article.path)


def group(articles: Sequence[Article], links: Iterable[Link]) -> Storylines:
    """Join `articles` by `links`, strongest first, never beyond `MAX_SPAN`.

    Two storylines of several stories join only when enough of their stories
    are linked (`SUPPORT`), not on one link: one story that looks like two
    events must not make them one (single linkage chains them otherwise).
    """
    by_path = {a.path: a for a in articles}
    usable = [k for k in links if k.a in by_path and k.b in by_path]  # gone, or a duplicate
    neighbours: dict[str, set[str]] = {}
    for link in usable:
        neighbours.setdefault(link.a, set()).add(link.b)
        neighbours.setdefault(link.b, set()).add(link.a)
    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    span: dict[str, tuple[float, float]] = {}
    why: dict[str, Link] = {}

    def root(path: str) -> str:
        while path in parent:
            up = parent[path]
            if up in parent:  # halve the path on the way up
                parent[path] = parent[up]
            path = up
        return path

    def extent(path: str) -> tuple[float, float]:
        known = span.get(path)
        if known is not None:
            return known
        ts = by_path[path].published_ts
        return (ts, ts) if ts is not None else (math.inf, -math.inf)

    def supported(small: list[str], large_root: str) -> bool:
        """Enough of `small`'s stories are linked to the other storyline, and to more
        than one story of it: one story like both events does not make them one."""
        linked, partners = 0, set()
        for path in small:
            across = [other for other in neighbours[path] if root(other) == large_root]
            linked += bool(across)
            partners.update(across)
        return linked >= math.ceil(SUPPORT * len(small)) and len(partners) > 1

    # Strongest first (a related link scores above 1, alike words at most 1), ties
    # by path: two sorts in C, the second stable.
    usable.sort(key=attrgetter("a", "b"))
    usable.sort(key=attrgetter("score"), reverse=True)
    for link in usable:
        ra, rb = root(link.a), root(link.b)
        if ra == rb:
            continue
        (a_low, a_high), (b_low, b_high) = extent(ra), extent(rb)
        low, high = min(a_low, b_low), max(a_high, b_high)
        if high - low > MAX_SPAN:
            continue
        a_members, b_members = members.get(ra), members.get(rb)
        if a_members is not None and b_members is not None:
            # Two storylines of several stories: one link is not enough.
            small, other = (a_members, rb) if len(a_members) <= len(b_members) else (b_members, ra)
            if not supported(small, other):
                continue
        if len(a_members or ()) < len(b_members or ()):
            ra, rb = rb, ra  # the larger one takes the smaller in
        keep = members.setdefault(ra, [ra])
        keep.extend(members.pop(rb, [rb]))
        parent[rb] = ra
        span[ra] = (low, high)
        span.pop(rb, None)
        for path in (link.a, link.b):
            why.setdefault(path, link)
    groups = sorted(
        (sorted((by_path[p] for p in m), key=time_order) for m in members.values()),
        key=lambda g: g[0].path,
    )
    for group_ in groups:
        why.pop(group_[0].path, None)  # the first story is there on its own account
    return Storylines(groups, why)


def regroup(
    articles: Sequence[Article],
    links: Sequence[Link],
    before: list[list[Any]],
    before_links: list[list[Any]],
    changed: Collection[str],
) -> Storylines:
    """`group(articles, links)` after the stories `changed` (new, changed or gone),
    given the storylines `before` them (`Storylines.columns`, whose link places
    are in `before_links`).

    Only the stories linked, however far, to a changed story, or in a storyline
    with one, are joined again: each part of the folder that links hold together
    is joined on its own links alone, so the other storylines stand as they were.
    """
    paths, numbers, why = before
    touched = {n for path, n in zip(paths, numbers, strict=True) if path in changed}
    by_path = {a.path: a for a in articles}
    neighbours: dict[str, list[str]] = {}
    for link in links:
        if link.a in by_path and link.b in by_path:
            neighbours.setdefault(link.a, []).append(link.b)
            neighbours.setdefault(link.b, []).append(link.a)
    seeds = [p for p in changed if p in by_path]
    seeds += (p for p, n in zip(paths, numbers, strict=True) if n in touched and p in by_path)
    affected = set(seeds)
    while seeds:
        for other in neighbours.get(seeds.pop(), ()):
            if other not in affected:
                affected.add(other)
                seeds.append(other)
    gone = {n for path, n in zip(paths, numbers, strict=True) if path in affected}
    gone |= touched
    rows = [i for i, n in enumerate(numbers) if n not in gone]
    renumber = {n: m for m, n in enumerate(dict.fromkeys(numbers[i] for i in rows))}
    kept = Storylines.from_columns(
        [[paths[i] for i in rows], [renumber[numbers[i]] for i in rows], [why[i] for i in rows]],
        articles,
        before_links,
    )
    if kept is None:  # the stored storylines do not fit: join everything
        return group(articles, links)
    fresh = group(
        [by_path[p] for p in sorted(affected)],
        [k for k in links if k.a in affected and k.b in affected],
    )
    groups = sorted([*kept.groups, *fresh.groups], key=lambda g: g[0].path)
    return Storylines(groups, _Either(fresh._why, kept._why))
