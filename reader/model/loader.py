"""Loading a folder of story files: discovery, cache, parsing on all cores.

`iter_load` yields batches as stories become known, so the app can show the
first ones at once; `load_folder` collects everything for the CLI and tests.
No exception escapes for a bad file: each becomes a `Problem`.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from .article import Article, LoadResult, Problem, Story
from .cache import IndexCache
from .discovery import FileEntry, discover
from .normalize import hidden_reason, to_article, to_story
from .parse import ParseError, read_front_matter
from .records import Record, from_record, to_record

#: Below this many files to parse, worker processes cost more than they save.
POOL_THRESHOLD = 400
#: Files per task sent to a worker process.
CHUNK = 250


@dataclass(slots=True)
class Batch:
    """Stories and problems newly known, with progress so far."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    done: int = 0
    total: int = 0


def parse_file(path: str) -> Article | Problem:
    """Parse one file into its `Article`, or the `Problem` that stops it."""
    try:
        meta = read_front_matter(path)
        hidden = hidden_reason(meta)
        if hidden:
            return Problem(path, hidden, "hidden")
        article = to_article(meta, path)
    except ParseError as err:
        return Problem(path, str(err))
    except RecursionError:
        return Problem(path, "the front matter is nested too deeply")
    except Exception as err:  # a last guard: a bad file must never stop a load
        return Problem(path, f"unusable ({type(err).__name__})")
    if not article.title and not article.link:
        return Problem(path, "no title and no link")
    return article


def load_story(path: str) -> Story | Problem:
    """Read one file in full (images, related stories) for the detail pane."""
    try:
        return to_story(read_front_matter(path), path)
    except ParseError as err:
        return Problem(path, str(err))
    except Exception as err:
        return Problem(path, f"unusable ({type(err).__name__})")


def parse_records(paths: Sequence[str]) -> list[Record]:
    """Parse several files; the unit of work of a worker process."""
    with gc_paused():
        return [to_record(parse_file(p)) for p in paths]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector: bulk parsing allocates many objects and no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def default_workers() -> int:
    """How many processes to parse with: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _chunks(entries: Sequence[FileEntry]) -> list[list[str]]:
    return [[e.path for e in entries[i : i + CHUNK]] for i in range(0, len(entries), CHUNK)]


def _parse_all(entries: Sequence[FileEntry], workers: int) -> Iterator[list[Record]]:
    chunks = _chunks(entries)
    if workers <= 1 or len(entries) < POOL_THRESHOLD:
        for chunk in chunks:
            yield parse_records(chunk)
        return
    # spawn, not fork: the app runs threads, and forking a threaded process is unsafe.
    context = multiprocessing.get_context("spawn")
    pool: Executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    with pool:
        yield from pool.map(parse_records, chunks)


def iter_load(root: str, *, use_cache: bool = True, workers: int | None = None) -> Iterator[Batch]:
    """Load the stories under `root`, yielding batches as they become known.

    Unchanged files come from the cache first; the rest are parsed (on all
    cores when there are many) and the cache is updated at the end. Raises
    only for `root` itself (missing, not a folder, unreadable).
    """
    root = os.path.abspath(root)
    entries, found_problems = discover(root)
    total = len(entries)
    cache = IndexCache.for_root(root) if use_cache else None
    known = cache.load() if cache else {}

    fresh: dict[str, tuple[int, int, Record]] = {}
    cached = Batch(problems=list(found_problems), total=total)
    to_parse: list[FileEntry] = []
    for entry in entries:
        hit = known.get(entry.path)
        if hit is not None and hit[0] == entry.size and hit[1] == entry.mtime_ns:
            try:
                item = from_record(hit[2])
            except Exception:
                to_parse.append(entry)
                continue
            fresh[entry.path] = hit
            _add(cached, item)
        else:
            to_parse.append(entry)
    cached.done = total - len(to_parse)
    yield cached

    done = cached.done
    position = 0
    for records in _parse_all(to_parse, workers or default_workers()):
        batch = Batch(total=total)
        for record in records:
            entry = to_parse[position]
            position += 1
            fresh[entry.path] = (entry.size, entry.mtime_ns, record)
            _add(batch, from_record(record))
        done += len(records)
        batch.done = done
        yield batch

    if cache is not None and (to_parse or len(fresh) != len(known)):
        cache.save(fresh)


def _add(batch: Batch, item: Article | Problem) -> None:
    if isinstance(item, Article):
        batch.articles.append(item)
    else:
        batch.problems.append(item)


def load_folder(root: str, *, use_cache: bool = True, workers: int | None = None) -> LoadResult:
    """Load everything under `root` at once (for the CLI and tests)."""
    result = LoadResult(root=os.path.abspath(root))
    for batch in iter_load(root, use_cache=use_cache, workers=workers):
        result.articles.extend(batch.articles)
        result.problems.extend(batch.problems)
    result.problems.sort(key=lambda p: p.path)
    return result
