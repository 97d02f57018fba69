"""Indexing a folder in a worker thread, handing each newer index to the browsing model."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from reader.model.article import Article, Problem
from reader.model.folders import iter_load_folders
from reader.model.heatlog import HeatLog
from reader.model.index import ALL, ORDERS, Index
from reader.model.muting import Muter
from reader.model.rising import DEFAULT_WINDOW
from reader.model.search import Searcher
from reader.model.storylines import Storylines

#: How often, at most, a growing index is handed over while a folder loads
#: (0: every batch, however long rebuilding takes).
PUBLISH_INTERVAL = 0.4


@dataclass(frozen=True, slots=True)
class Loaded:
    """An index of the folder as far as it is known (handed over repeatedly while it loads)."""

    index: Index
    problems: Sequence[Problem] = ()
    done: int = 0
    total: int = 0
    #: From the cache, before the folder was checked for changes.
    provisional: bool = False
    #: Searches these stories; the loader folds their text once loading is done.
    searcher: Searcher = field(default_factory=Searcher)
    #: Why the index cache could not be used and was rebuilt ("" when it was fine).
    cache_note: str = ""
    #: Nothing has been read yet (the folder's first index is on its way).
    waiting: bool = False
    #: Which stories are one event (none while a folder is first read: they
    #: come once every file is known).
    storylines: Storylines = field(default_factory=Storylines.none)
    #: The stories the config's mutes set aside (in no list, count or storyline).
    muted: Sequence[Article] = ()
    #: Folders still to be read after the one being read.
    folders_left: int = 0
    #: Each story's heat over time (None: not kept).
    history: HeatLog | None = None

    @property
    def finished(self) -> bool:
        """True once every file of every folder has been indexed."""
        return (
            self.done == self.total
            and not self.provisional
            and not self.waiting
            and not self.folders_left
        )

    @property
    def skipped(self) -> int:
        """How many files could not be used at all."""
        return sum(p.kind == "skipped" for p in self.problems)


def index_folder(
    roots: Sequence[str],
    *,
    use_cache: bool,
    muter: Muter | None = None,
    order: Callable[[], str],
    searching: Callable[[], bool],
    post: Callable[[Loaded], object],
    cancelled: Callable[[], bool] = lambda: False,
    warmed: Callable[[], object] = lambda: None,
    history: HeatLog | None = None,
    window: float = DEFAULT_WINDOW,
) -> None:
    """Load the folders `roots` and `post` a fresh `Loaded` now and then, and once at
    the end. What `muter` mutes is set aside before the index is built; `warmed`
    is called once every story is folded for searching. Once every file is
    read, the stories' heat is recorded in `history` and the index handed over
    again with what each story gained over `window` (the "rising" order).

    Runs in a worker thread: the index is built and ranked (in the `order` the
    screen uses now) here, so that the UI thread only swaps it in. After the
    last update the worker goes on warming the index and the searcher; both
    only ever add what they would compute anyway, so sharing them is safe.
    """
    articles: list[Article] = []
    problems: list[Problem] = []
    published, interval, shown = 0.0, PUBLISH_INTERVAL, 0
    index = Index(())
    loaded = Loaded(index)
    searcher = Searcher()  # one per load: it keeps each story's folded text
    cache_note = ""  # said once, with the next update
    storylines = handed = Storylines.none()
    muter = muter or Muter()
    rises = history.rises(window) if history is not None else None
    batches = iter_load_folders(roots, use_cache=use_cache, provisional=True)
    for batch in batches:
        if cancelled():
            return
        cache_note = batch.cache_note or cache_note
        if batch.storylines is not None:
            storylines = batch.storylines
            if not (batch.articles or batch.problems or batch.replaces or batch.provisional):
                # The last batch: the storylines of the index already handed over.
                if storylines is not handed:
                    post(replace(loaded, storylines=storylines.only(index.holds)))
                continue
        if batch.replaces:
            articles, problems = [], []
        articles.extend(batch.articles)
        problems.extend(batch.problems)
        started = time.monotonic()
        first_stories = articles and not shown
        if batch.done == batch.total or first_stories or started - published >= interval:
            kept, muted = muter.split(articles, searcher)
            index = Index(kept, rises)
            index.articles(ALL, order())  # rank here, not on the UI thread
            if searching():  # fold here too, or the next keystroke or filter would
                searcher.prepare(index.articles(ALL, order()))
            everything = sorted([*problems, *index.duplicates], key=lambda p: p.path)
            loaded = Loaded(
                index,
                everything,
                batch.done,
                batch.total,
                batch.provisional,
                searcher,
                cache_note,
                storylines=storylines.only(index.holds),
                muted=muted,
                folders_left=batch.folders_left,
                history=history,
            )
            post(loaded)
            handed = storylines
            cache_note = ""
            published, shown = time.monotonic(), len(articles)
            if PUBLISH_INTERVAL:
                # Rebuilding grows with the corpus: never spend more than a third of the time on it.
                interval = max(PUBLISH_INTERVAL, 2 * (published - started))
    if history is not None and loaded.finished and not cancelled():
        history.record((a.mark_key, a.heat, a.quality) for a in (*index.articles(), *loaded.muted))
        rises = history.rises(window)
        if rises != index.rises:
            index = index.with_rises(rises)
            if order() == "rising":
                index.articles(ALL, "rising")
            post(replace(loaded, index=index, storylines=storylines.only(index.holds)))
    # After the last update, so that a topic or another order is ready when asked for.
    top = index.topics[1].key if len(index.topics) > 1 else ALL
    for ranking in ORDERS:
        index.articles(top, ranking)
    searcher.prepare(index.articles(ALL, order()))  # so the first keystroke of a search is fast
    index.trends(time.time())  # the sidebar's sparklines, should they be turned on
    warmed()  # saved searches can be counted now
    # Hundreds of thousands of long-lived objects (stories, folded text) would
    # make every full garbage collection pause the screen for ~0.2 s: move them
    # out of the collector's sight. They hold no cycles, so they are still freed
    # when a reload drops them.
    gc.freeze()
