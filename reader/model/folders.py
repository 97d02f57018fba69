"""Several folders read as one: `reader A B`, or the config's `folders`.

Each folder is loaded (and cached) on its own, one after the other; their
batches are handed on as if one folder gave them, so the screen's loading
worker need not know there are several. Storylines are found within each
folder. A story knows its folder by its path (`folder_of`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import replace

from .article import Article, Problem
from .loader import Batch, LoadResult, iter_load, load_folder
from .storylines import Storylines


def folder_of(path: str, roots: Sequence[str]) -> str | None:
    """The folder of `roots` that holds the file `path` (the deepest, when nested)."""
    best = None
    for root in roots:
        if path.startswith(os.path.join(root, "")) and (best is None or len(root) > len(best)):
            best = root
    return best


def load_folders(
    roots: Sequence[str], *, use_cache: bool = True, storylines: bool = True
) -> LoadResult:
    """Load every folder of `roots` at once (for the CLI; `storylines`: see `iter_load`)."""
    results = [load_folder(root, use_cache=use_cache, storylines=storylines) for root in roots]
    combined = LoadResult(root=results[0].root)
    for result in results:
        combined.articles.extend(result.articles)
        combined.problems.extend(result.problems)
        combined.storylines = _joined(combined.storylines, result.storylines)
    combined.problems.sort(key=lambda p: p.path)
    return combined


def iter_load_folders(
    roots: Sequence[str], *, use_cache: bool = True, provisional: bool = False
) -> Iterator[Batch]:
    """The batches of `iter_load` for each folder in turn, counted as one folder's:
    progress adds up, `replaces` replaces only that folder's stories, storylines
    are every folder's so far, and `folders_left` says how many are still to come."""
    articles: list[Article] = []  # of the folders done
    problems: list[Problem] = []
    storylines = Storylines.none()
    done = 0
    for n, root in enumerate(roots):
        left = len(roots) - n - 1
        mine_articles: list[Article] = []
        mine_problems: list[Problem] = []
        mine_lines, total = Storylines.none(), 0
        for batch in iter_load(root, use_cache=use_cache, provisional=provisional):
            if batch.replaces:
                mine_articles, mine_problems = [], []
            mine_articles.extend(batch.articles)
            mine_problems.extend(batch.problems)
            total = batch.total
            out = replace(batch, done=done + batch.done, total=done + total, folders_left=left)
            if batch.replaces and (articles or problems):
                out.articles = [*articles, *batch.articles]
                out.problems = [*problems, *batch.problems]
            if batch.storylines is not None:
                out.storylines = _joined(storylines, batch.storylines)
                if not batch.provisional:
                    mine_lines = batch.storylines
            yield out
        articles.extend(mine_articles)
        problems.extend(mine_problems)
        storylines = _joined(storylines, mine_lines)
        done += total


def _joined(first: Storylines, second: Storylines) -> Storylines:
    """Storylines of two folders as one (no work when either has none)."""
    if not first.groups:
        return second
    if not second.groups:
        return first
    return first.joined(second)
