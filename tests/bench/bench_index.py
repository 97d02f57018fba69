"""Benchmark of the model: how long indexing a folder takes, and what it holds.

    python -m tests.bench.bench_index [--sizes 1000,10000,100000] [--repeat 3]
        [--baseline-sample 2000] [--corpus-dir /tmp/reader-bench]

For each size N a corpus is generated once (tests/bench/generate.py) and then,
in the same run and on a warm page cache (one read pass first):

- I/O floor: read every file's bytes, nothing else;
- naive: `[frontmatter.load(p) for p in paths]` (what a straightforward app
  does), extrapolated from a sample above 10,000 files and labelled so;
- cold: `load_folder` + `Index` with an empty cache, on all cores;
- warm: the same with the cache present and no file changed;
- parts of the warm path (walk+stat, cache read, Index build, one topic);
- peak memory (VmHWM) of a fresh process after a warm load + Index,
  and of an empty interpreter.

Times are medians of --repeat runs. Each measurement is a function in
MEASUREMENTS that adds columns to a row, so more columns (app launch, key
latency) can be added without touching the rest.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # when run as a path: python tests/bench/bench_index.py
    sys.path.insert(0, str(REPO))

from reader.model import cache as cache_module  # noqa: E402
from reader.model.discovery import discover  # noqa: E402
from reader.model.index import Index  # noqa: E402
from reader.model.loader import default_workers, load_folder  # noqa: E402
from tests.bench.generate import generate  # noqa: E402

#: Above this many files the naive baseline is timed on a sample (see --baseline-sample).
FULL_BASELINE_UP_TO = 10_000


@dataclass
class Context:
    """What every measurement of one corpus gets."""

    n: int
    root: str
    paths: list[str]
    repeat: int
    baseline_sample: int
    cache_dir: str
    row: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


Measurement = Callable[[Context], None]


def median_time(work: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` runs of `work`."""
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def ratio(ctx: Context, key: str) -> str:
    base = ctx.seconds.get("naive")
    return f"{base / ctx.seconds[key]:.1f}x" if base else "-"


# -- measurements (each adds columns to ctx.row) ----------------------------------


def io_floor(ctx: Context) -> None:
    def read_all() -> None:
        for path in ctx.paths:
            with open(path, "rb") as f:
                f.read()

    read_all()  # the warm-up pass: everything below runs on a warm page cache
    ctx.seconds["io"] = median_time(read_all, ctx.repeat)
    ctx.row["I/O floor"] = fmt(ctx.seconds["io"])


def naive(ctx: Context) -> None:
    import frontmatter

    sample = ctx.paths
    if ctx.n > FULL_BASELINE_UP_TO and 0 < ctx.baseline_sample < ctx.n:
        step = ctx.n / ctx.baseline_sample
        sample = [ctx.paths[int(i * step)] for i in range(ctx.baseline_sample)]

    def run() -> None:
        posts = [frontmatter.load(p) for p in sample]  # kept, as an app would keep them
        del posts

    took = median_time(run, ctx.repeat if len(sample) <= FULL_BASELINE_UP_TO else 1)
    ctx.seconds["naive"] = took * ctx.n / len(sample)
    label = fmt(ctx.seconds["naive"])
    if len(sample) < ctx.n:
        label += f" (extrapolated from {len(sample):,} files)"
    ctx.row["naive frontmatter.load"] = label


def _fresh_cache() -> None:
    shutil.rmtree(os.environ["READER_CACHE_DIR"], ignore_errors=True)


def _index(root: str) -> Index:
    return Index(load_folder(root).articles)


def cold(ctx: Context) -> None:
    def run() -> None:
        _fresh_cache()
        _index(ctx.root)

    ctx.seconds["cold"] = median_time(run, ctx.repeat)
    ctx.row[f"cold index ({default_workers()} cores)"] = fmt(ctx.seconds["cold"])
    ctx.row["cold vs naive"] = ratio(ctx, "cold")


def warm(ctx: Context) -> None:
    _index(ctx.root)  # make sure the cache is there and current
    ctx.seconds["warm"] = median_time(lambda: _index(ctx.root), ctx.repeat)
    ctx.row["warm index"] = fmt(ctx.seconds["warm"])
    ctx.row["warm vs naive"] = ratio(ctx, "warm")


def warm_parts(ctx: Context) -> None:
    cache = cache_module.IndexCache.for_root(os.path.abspath(ctx.root))
    ctx.row["walk+stat"] = fmt(median_time(lambda: discover(ctx.root), ctx.repeat))
    ctx.row["cache read"] = fmt(median_time(cache.load, ctx.repeat))
    articles = load_folder(ctx.root).articles
    ctx.row["Index()"] = fmt(median_time(lambda: Index(articles), ctx.repeat))
    index = Index(articles)
    top = index.topics[1].key if len(index.topics) > 1 else ""
    fresh = [Index(articles) for _ in range(ctx.repeat)]
    ctx.row["articles(top topic), first"] = fmt(
        statistics.median(_timed(lambda ix=ix: ix.articles(top)) for ix in fresh)
    )
    index.articles(top)
    ctx.row["articles(top topic), again"] = fmt(_timed(lambda: index.articles(top)))


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


_PEAK = """
import sys
sys.path.insert(0, sys.argv[-1])
from tests.bench.memory import peak_kb
"""
_MEMORY_CHILD = (
    _PEAK
    + """
import json
from reader.model.index import Index
from reader.model.loader import load_folder
index = Index(load_folder(sys.argv[1]).articles)
index.articles()
print(json.dumps({"peak": peak_kb(), "stories": len(index)}))
"""
)


def memory(ctx: Context) -> None:
    """Peak RSS of a fresh process holding the index (warm cache), and of an empty one."""
    _index(ctx.root)

    def child(code: str, *args: str) -> str:
        command = [sys.executable, "-c", code, *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    base_mb = int(child(_PEAK + "print(peak_kb())", str(REPO))) / 1024
    peak_mb = json.loads(child(_MEMORY_CHILD, ctx.root, str(REPO)))["peak"] / 1024
    ctx.row["peak RSS (empty interpreter)"] = f"{peak_mb:.0f} MB ({base_mb:.0f} MB)"
    ctx.row["peak RSS - empty"] = f"{peak_mb - base_mb:.0f} MB"


def app(ctx: Context) -> None:
    """The app's own figures: first screen, key latency, topic switch (bench_app.py)."""
    from tests.bench.bench_app import measure

    ctx.row.update(measure(ctx.root))


MEASUREMENTS: list[Measurement] = [io_floor, naive, cold, warm, warm_parts, memory, app]


# -- driver -----------------------------------------------------------------------


def corpus(folder: Path, n: int) -> Path:
    """The generated corpus of `n` files under `folder`, made once."""
    root = folder / f"corpus-{n}"
    marker = root / ".complete"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        started = time.perf_counter()
        generate(str(root), n, seed=0)
        marker.write_text(str(n))
        print(f"generated {n:,} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return root


def table(rows: dict[int, dict[str, str]]) -> str:
    """A Markdown table: one row per corpus size, one column per figure."""
    columns: list[str] = []
    for row in rows.values():
        columns.extend(c for c in row if c not in columns)
    lines = ["| N | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for n, row in rows.items():
        lines.append(f"| {n:,} | " + " | ".join(row.get(c, "-") for c in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every measurement at every size and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-sample", type=int, default=2000)
    parser.add_argument("--corpus-dir", default=os.path.join(tempfile.gettempdir(), "reader-bench"))
    parser.add_argument("--only", help="comma-separated measurement names")
    args = parser.parse_args(argv)
    chosen = [m for m in MEASUREMENTS if not args.only or m.__name__ in args.only.split(",")]
    rows: dict[int, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="reader-bench-cache-") as cache_dir:
        os.environ["READER_CACHE_DIR"] = cache_dir
        # The app's marks go to a folder of their own, never the user's.
        os.environ["READER_STATE_DIR"] = tempfile.mkdtemp(prefix="reader-bench-state-")
        for n in (int(s) for s in args.sizes.split(",")):
            root = corpus(Path(args.corpus_dir), n)
            paths = [e.path for e in discover(str(root))[0]]
            ctx = Context(n, str(root), paths, args.repeat, args.baseline_sample, cache_dir)
            for measure in chosen:
                measure(ctx)
                print(f"  {n:,}: {measure.__name__} done", file=sys.stderr)
            rows[n] = ctx.row
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nreader model benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"load average {load:.1f}; page cache warm (one read pass before timing); "
        f"medians of {args.repeat}\n"
    )
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
