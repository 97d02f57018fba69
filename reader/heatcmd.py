"""`reader history`: what the heat history holds, and filling it from git.

reader history [PATH...]              the history's file, its size, and how much
                                      of these folders' stories it covers
reader history --from-git [PATH...]   read the folders' git histories into it
                                      (resumable: a second run reads only new commits)
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from reader.browse.change import count_stories
from reader.cliout import Progress, emit, printable, say
from reader.model.article import Article
from reader.model.githeat import backfill
from reader.model.heatlog import HeatLog
from reader.model.timefmt import local_minute

#: The longest a `--from-git` run takes unless `--timeout` says otherwise.
DEFAULT_TIMEOUT = 600.0


def run_history(
    roots: Sequence[str],
    out: TextIO,
    *,
    from_git: bool,
    stories: Callable[[], Sequence[Article]],
    max_commits: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> int:
    """Print the history's state, or (`from_git`) fill it from each root's git
    history within `timeout` seconds. `stories` loads the roots' stories (only
    the summary needs them). Returns the exit status: 1 when a backfill failed."""
    history = HeatLog.open()
    try:
        if from_git:
            return _from_git(history, roots, out, max_commits, timeout)
        emit(summary(history, stories()), out)
        return 0
    finally:
        for notice in history.take_notices():
            say(notice)
        history.close()


def _from_git(
    history: HeatLog,
    roots: Sequence[str],
    out: TextIO,
    max_commits: int | None,
    timeout: float,
) -> int:
    deadline = time.monotonic() + timeout
    status = 0
    for root in roots:
        bar = Progress(printable(root), sys.stderr, "commits")
        try:
            done = backfill(Path(root), history, progress=bar, max_commits=max_commits,
                            deadline=deadline)  # fmt: skip
        finally:
            bar.close()
        emit(f"{printable(root)}: {done.message}\n", out)
        if done.stopped == "error":
            status = 1
    return status


def summary(history: HeatLog, stories: Sequence[Article]) -> str:
    """What the history holds, and how many of `stories` it has two points of."""
    count, points = history.size()
    runs = history.runs()
    where = printable(str(history.path)) if history.path else "memory only (not kept)"
    size = _file_size(history.path)
    lines = [f"heat history: {where}\n"]
    per = f", {size // count:,} bytes a story" if count and size else ""
    lines.append(f"  {count_stories(count)}, {points:,} points, {size:,} bytes{per}\n")
    if runs:
        first, last = runs[0][0], runs[-1][0]
        lines.append(
            f"  {len(runs):,} runs recorded, from {local_minute(first)} to {local_minute(last)}\n"
        )
    moving = sum(len(history.series(a.mark_key)) >= 2 for a in stories)
    lines.append(f"  {moving:,} of these {count_stories(len(stories))} moved since first seen\n")
    rises = history.rises()
    if rises.needs:
        lines.append(f"  {rises.needs}\n")
    return "".join(lines)


def _file_size(path: Path | None) -> int:
    if path is None:
        return 0
    total = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):  # no -wal file: nothing waits to be checkpointed
            total += os.stat(f"{path}{suffix}").st_size
    return total
