"""Benchmark: how the heat history grows and what recording costs.

    python -m tests.bench.bench_history [--stories 10000] [--reloads 100] [--changed 1.0]

Simulates `--reloads` index runs an hour apart over `--stories` stories, a
share `--changed` of which change heat between runs (1.0: every story, every
run: the worst case), and reports the file's bytes per story, the points kept
per story (bounded by `rising.MAX_POINTS`), and the time one `record` and one
`rises` take. Then, at 100,000 stories: one record with nothing changed (what
every warm start pays, in the loading worker).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reader.model.heatlog import HeatLog  # noqa: E402


def size(path: Path) -> int:
    return sum(os.stat(f"{path}{s}").st_size for s in ("", "-wal") if os.path.exists(f"{path}{s}"))


def grow(stories: int, reloads: int, changed: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-history-"))
    log = HeatLog.open(folder / "heat.sqlite3")
    rng = random.Random(7)
    keys = [f"https://news.example/2026/12/{n}/a-story-about-something-{n}" for n in range(stories)]
    heat = {k: rng.randint(0, 900) for k in keys}
    start = time.time() - reloads * 3600
    records, rises = [], []
    for run in range(reloads):
        for key in rng.sample(keys, int(len(keys) * changed)):
            heat[key] = max(0, heat[key] + rng.randint(-20, 40))
        began = time.perf_counter()
        log.record(((k, h, 50) for k, h in heat.items()), at=start + run * 3600)
        records.append(time.perf_counter() - began)
        began = time.perf_counter()
        log.rises(now=start + run * 3600)
        rises.append(time.perf_counter() - began)
    log._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    count, points = log.size()
    total = size(folder / "heat.sqlite3")
    print(
        f"{stories:,} stories, {reloads} reloads, {changed:.0%} changed each: "
        f"{total:,} bytes = {total / count:,.0f} bytes a story, "
        f"{points / count:.1f} points a story (at most 48); "
        f"record median {sorted(records)[len(records) // 2] * 1000:.0f} ms, "
        f"max {max(records) * 1000:.0f} ms; rises median "
        f"{sorted(rises)[len(rises) // 2] * 1000:.0f} ms"
    )


def warm(stories: int = 100_000) -> None:
    log = HeatLog.open(Path(tempfile.mkdtemp(prefix="bench-history-")) / "heat.sqlite3")
    rows = [(f"https://news.example/{n}/story", n % 1000, 50) for n in range(stories)]
    began = time.perf_counter()
    log.record(rows, at=time.time() - 60)
    first = time.perf_counter() - began
    began = time.perf_counter()
    log.record(rows)
    again = time.perf_counter() - began
    began = time.perf_counter()
    log.rises()
    gains = time.perf_counter() - began
    print(
        f"{stories:,} stories: first record {first:.2f} s, nothing changed {again:.2f} s, "
        f"rises {gains * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--reloads", type=int, default=100)
    parser.add_argument("--changed", type=float, default=None)
    args = parser.parse_args()
    for changed in [args.changed] if args.changed is not None else [1.0, 0.1]:
        grow(args.stories, args.reloads, changed)
    warm()


if __name__ == "__main__":
    main()
