"""What storylines add to loading a folder: cold, warm, after one changed file, memory.

    python -m tests.bench.bench_storyline_cost DIR

Loads DIR through the loader with an empty cache (cold), again (warm), and
again after touching one file (a live reload), timing the storyline steps
inside each load (`_links`, `group`, the cached storylines read back) apart
from the load as a whole. Memory: the peak traced while links are found and
joined, and what stays (the storylines, and the related-link keys every
story now carries).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reader.model import loader  # noqa: E402
from reader.model.joining import group  # noqa: E402
from reader.model.linking import find_links  # noqa: E402


class Timer:
    """Seconds spent in the wrapped loader steps during one load."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, name: str) -> None:
        real: Callable[..., Any] = getattr(loader, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - started

        setattr(loader, name, timed)


def load(root: str, timer: Timer) -> tuple[float, loader.LoadResult]:
    timer.spent.clear()
    started = time.perf_counter()
    result = loader.load_folder(root)
    return time.perf_counter() - started, result


def report(label: str, seconds: float, timer: Timer) -> None:
    parts = ", ".join(f"{name} {spent:.3f} s" for name, spent in sorted(timer.spent.items()))
    storylines = sum(timer.spent.values())
    print(f"{label:<8} load {seconds:6.2f} s   storylines {storylines:6.3f} s  ({parts})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    os.environ["READER_CACHE_DIR"] = tempfile.mkdtemp(prefix="reader-storyline-bench-")
    timer = Timer()
    for name in ("_links", "group", "regroup", "_storylines"):
        timer.wrap(name)

    seconds, result = load(root, timer)
    report("cold", seconds, timer)
    seconds, result = load(root, timer)
    report("warm", seconds, timer)
    touched = result.articles[len(result.articles) // 2].path
    os.utime(touched)
    seconds, result = load(root, timer)
    report("reload", seconds, timer)
    print(f"storylines {len(result.storylines):,} of {len(result.articles):,} stories")

    keys = sum(sys.getsizeof(a.related_keys) for a in result.articles if a.related_keys)
    tracemalloc.start()
    links = find_links(result.articles)
    lines = group(result.articles, links)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    lines = group(result.articles, links)
    kept, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"memory   related-link keys {keys / 2**20:.1f} MB, storylines kept "
        f"{kept / 2**20:.1f} MB, peak while finding links {peak / 2**20:.1f} MB"
    )
    del lines
    return 0


if __name__ == "__main__":
    sys.exit(main())
