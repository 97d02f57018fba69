"""Finding the links between stories that report one event (see `storylines`).

Candidates are found by prefix filtering: each title's rarest words are looked
up among the titles published within `WINDOW` before it, so two stories are
compared only when they could be alike. Words weigh by their rarity among the
folder's titles (`RARITY`), worked out once per load (`count_words`, kept in
the index cache so that a reload need not read every title again).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Sequence

from .article import Article
from .linkkey import link_key
from .similar import EXCERPT_WORDS, numbers, numbers_differ, words
from .storylines import DAY, RELATED, TITLE, TITLE_EXCERPT, Link

#: Stories further apart than this are never one event.
WINDOW = 3 * DAY
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


def count_words(titles: Iterable[Iterable[str]]) -> Counter[str]:
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
