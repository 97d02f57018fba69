"""Loading a folder of story files: discovery, cache, parsing on all cores.

`iter_load` yields batches as stories become known, so the app can show the
first ones at once; `load_folder` collects everything for the CLI and tests.
No exception escapes for a bad file: each becomes a `Problem`.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .article import Article, Problem
from .cache import IndexCache, Snapshot, Table
from .discovery import FileEntry, discover
from .gcpause import gc_paused
from .joining import group, regroup
from .linking import Titles, count_words, find_links, title_words
from .parsing import parse_records
from .pool import WorkerPool
from .records import (
    ARTICLE_FIELDS,
    Record,
    articles_from,
    is_article,
    link_columns,
    links_from,
    problems_from,
)
from .similar import words
from .storylines import Link, Storylines

_TITLE = ARTICLE_FIELDS.index("title")
#: Below this many files to parse, worker processes cost more than they save.
POOL_THRESHOLD = 500
#: Files per task sent to a worker process: small enough to balance the
#: workers and keep each reply well inside a pipe buffer's worth of records.
CHUNK = 100


@dataclass(slots=True)
class Batch:
    """Stories and problems newly known, with progress so far."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    done: int = 0
    total: int = 0
    #: Set on the first batch when a cache existed but could not be used, and why.
    cache_note: str = ""
    #: Straight from the cache, before the folder was checked for changes.
    provisional: bool = False
    #: These articles and problems replace all that earlier batches gave.
    replaces: bool = False
    #: The storylines of every story known so far: on a provisional batch (from
    #: the cache) and on the last batch; None on the others.
    storylines: Storylines | None = None
    #: How many more folders are still to be read after this one (see `folders`).
    folders_left: int = 0


@dataclass(slots=True)
class LoadResult:
    """Everything a scan of one folder produced."""

    root: str
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Which stories are one event.
    storylines: Storylines = field(default_factory=Storylines.none)


def default_workers() -> int:
    """How many processes to parse with: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _chunks(entries: Sequence[FileEntry]) -> list[list[str]]:
    return [[e.path for e in entries[i : i + CHUNK]] for i in range(0, len(entries), CHUNK)]


def _parse_all(entries: Sequence[FileEntry], workers: int) -> Iterator[list[Record]]:
    """Records of `entries`, in order, a chunk at a time."""
    chunks = _chunks(entries)
    if workers <= 1 or len(entries) < POOL_THRESHOLD:
        for chunk in chunks:
            yield parse_records(chunk)
        return
    with WorkerPool(min(workers - 1, len(chunks)), parse_records) as pool:
        yield from pool.map(chunks)


def iter_load(
    root: str,
    *,
    use_cache: bool = True,
    workers: int | None = None,
    provisional: bool = False,
    storylines: bool = True,
) -> Iterator[Batch]:
    """Load the stories under `root`, yielding batches as they become known.

    Unchanged files come from the cache first; the rest are parsed (on all
    cores when there are many) and the cache is updated at the end. The last
    batch carries the storylines: the links between unchanged stories come
    from the cache, and only new and changed stories are compared with the
    others. Raises only for `root` itself (missing, not a folder, unreadable).

    With `provisional`, everything the cache holds is yielded at once, before
    the folder has been walked (a `provisional` batch), and then replaced by
    what is really there (a batch that `replaces`): a large folder shows its
    stories as soon as the cache is read.

    Without `storylines`, an unchanged folder's last batch carries none (rebuilding
    them from the cache costs ~0.3 s at 100,000 stories); a changed folder's are
    worked out all the same, for the cache.
    """
    root = os.path.abspath(root)
    cache = IndexCache.for_root(root) if use_cache else None
    cached: list[Article] | None = None
    known: Snapshot | None = None
    cached_lines: Storylines | None = None
    if cache is not None and provisional:
        # The cache alone first, with the whole process to itself: the walk
        # starts once the consumer has shown these stories.
        with gc_paused():
            known = cache.load()
            cached = articles_from(known.articles.columns) or None
        if cached is not None:
            problems = problems_from(known.problems.columns)
            cached_lines = _storylines(known, cached)
            yield Batch(
                cached, problems, total=len(known), provisional=True, storylines=cached_lines
            )
    with gc_paused():
        if cache is not None and known is None:
            # Read the cache while the folder is walked: both mostly wait on the
            # OS (stat calls; reading and hashing release the GIL), so they overlap.
            with ThreadPoolExecutor(1) as background:
                snapshot = background.submit(cache.load)
                entries, found_problems = discover(root)
                known = snapshot.result()
        else:
            entries, found_problems = discover(root)
        if known is None:  # no cache at all
            known = Snapshot.empty()
        fresh, to_parse, first = _first_batch(entries, found_problems, known, cached)
    first.cache_note = cache.rebuilt_because if cache else ""
    yield first

    done = first.done
    entry_of = {e.path: e for e in to_parse}
    total = first.total
    every = list(first.articles)
    unchanged = {a.path for a in every}  # before `fresh` takes the parsed records in
    titles: Titles = {}
    for records in _parse_all(to_parse, workers or default_workers()):
        batch = Batch(total=total)
        for record in records:
            entry = entry_of[record[0]]
            table = fresh.articles if is_article(record) else fresh.problems
            table.append(entry.size, entry.mtime_ns, record)
            # Straight from the parser, so no checks: cached rows are checked a column at a time.
            _add(batch, Article(*record) if is_article(record) else Problem(*record))
        every.extend(batch.articles)
        done += len(records)
        batch.done = done
        yield batch
        # While the other processes parse on: the words storylines compare.
        title_words(batch.articles, titles)

    changed = bool(to_parse) or len(fresh) != len(known)
    if changed:
        counts = _word_counts(known, unchanged, titles)
        links = _links(every, known, unchanged, titles, counts)
        if unchanged:  # only what the changes reach is joined again
            changes = (set(known.articles.paths) | set(titles)) - unchanged
            lines = regroup(every, links, known.storylines, known.links, changes)
        else:
            lines = group(every, links)
    elif storylines:  # the same stories: the storylines the cache holds stand
        lines = cached_lines or _storylines(known, every)
    else:
        lines = Storylines.none()
    yield Batch(done=done, total=total, storylines=lines)
    if cache is not None and changed:
        fresh.links, fresh.storylines = link_columns(links), lines.columns(links)
        fresh.words = [list(counts), list(counts.values())]
        cache.save(fresh)


def _word_counts(known: Snapshot, unchanged: set[str], titles: Titles) -> Counter[str]:
    """In how many titles each word is: those the cache counted, less the titles of
    files changed or gone, plus the titles just parsed (`titles`); all counted
    afresh when the cache has none."""
    rows = zip(known.articles.paths, known.articles.columns[_TITLE], strict=True)
    counts = count_words(titles.values())
    if not known.words[0]:  # the cache counted nothing: count the unchanged titles too
        counts.update(count_words(words(t) for path, t in rows if path in unchanged))
        return counts
    counts.update(dict(zip(known.words[0], known.words[1], strict=True)))
    counts.subtract(count_words(words(t) for path, t in rows if path not in unchanged))
    return +counts  # without the words no title has any more


def _storylines(known: Snapshot, articles: list[Article]) -> Storylines:
    """The storylines the cache holds for `articles`, else joined from its links."""
    with gc_paused():
        stored = Storylines.from_columns(known.storylines, articles, known.links)
    return stored or group(articles, links_from(known.links))


def _links(
    every: list[Article],
    known: Snapshot,
    unchanged: set[str],
    titles: Titles,
    counts: Counter[str],
) -> list[Link]:
    """The storyline links of `every` story: those of the cache between stories
    whose files did not change (`unchanged`), and those found for the others."""
    if not unchanged:
        return find_links(every, titles=titles, counts=counts)
    kept = [k for k in links_from(known.links) if k.a in unchanged and k.b in unchanged]
    new = [a.path for a in every if a.path not in unchanged]
    return kept + find_links(every, new, titles, counts) if new else kept


def _first_batch(
    entries: list[FileEntry],
    found_problems: list[Problem],
    known: Snapshot,
    cached: list[Article] | None,
) -> tuple[Snapshot, list[FileEntry], Batch]:
    """What the cache still holds for `entries`, the entries left to parse, and
    the batch of everything known so far (replacing `cached` when given)."""
    # FileEntry is a named tuple, so it equals the plain (path, size, mtime) tuple.
    current = set(entries)
    keep = _unchanged(known.articles, current)
    fresh = Snapshot(
        known.articles.select(keep), known.problems.select(_unchanged(known.problems, current))
    )
    have = set(fresh.articles.paths).union(fresh.problems.paths)
    # Every file known and unchanged (the usual warm start): nothing to parse.
    to_parse = [] if len(have) == len(entries) else [e for e in entries if e.path not in have]
    if cached is None:
        articles = articles_from(fresh.articles.columns)
    else:  # the same objects as the provisional batch, not built twice
        articles = list(itertools.compress(cached, keep))
    first = Batch(
        articles=articles,
        problems=[*found_problems, *problems_from(fresh.problems.columns)],
        done=len(entries) - len(to_parse),
        total=len(entries),
        replaces=cached is not None,
    )
    return fresh, to_parse, first


def _unchanged(table: Table, current: set[FileEntry]) -> list[bool]:
    """For each row, whether its file still exists with the same size and mtime."""
    return list(map(current.__contains__, zip(table.paths, table.sizes, table.mtimes, strict=True)))


def _add(batch: Batch, item: Article | Problem) -> None:
    if isinstance(item, Article):
        batch.articles.append(item)
    else:
        batch.problems.append(item)


def load_folder(
    root: str, *, use_cache: bool = True, workers: int | None = None, storylines: bool = True
) -> LoadResult:
    """Load everything under `root` at once (for the CLI and tests); see `iter_load`
    for `storylines`."""
    result = LoadResult(root=os.path.abspath(root))
    batches = iter_load(root, use_cache=use_cache, workers=workers, storylines=storylines)
    for batch in batches:
        result.articles.extend(batch.articles)
        result.problems.extend(batch.problems)
        result.storylines = batch.storylines or result.storylines
    result.problems.sort(key=lambda p: p.path)
    return result
