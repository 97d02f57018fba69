"""Benchmark: the first screen with a config (mutes, saved searches, keys) against none.

    python -m tests.bench.bench_config FOLDER [--runs 3]

Each run spawns a fresh interpreter (imports included) and times from the
spawn to the first frame whose list shows stories, as `bench_app.launch`
does, with the folder's cache warm. The config mutes two providers' worth of
stories, keeps three saved searches (one of words, which folds every story
for its sidebar count) and remaps a key.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reader.app import ReaderApp  # noqa: E402
from reader.model.config import read_config  # noqa: E402
from reader.model.loader import load_folder  # noqa: E402
from reader.widgets.article_list import ArticleList  # noqa: E402
from tests.bench.bench_app import SIZE, next_frame, record_frames  # noqa: E402

CONFIG = """\
sort = "newest"
theme = "nord"
[keys]
open = "O,enter"
[[searches]]
name = "Hot"
query = "heat>800"
[[searches]]
name = "BBC"
query = "provider:bbc"
[[searches]]
name = "Storm words"
query = "storm"
[mute]
queries = ["provider:foxnews", "provider:cnn", "type:course"]
"""


async def _first_screen(root: str, started: float, config: str) -> dict[str, float]:
    settings = read_config(Path(config)) if config else None
    app = ReaderApp(root, config=settings.config if settings else None)
    frames = record_frames(app, clock=time.time)
    async with app.run_test(size=SIZE):
        while True:
            lists = app.screen.query(ArticleList)
            if lists and lists.first().count:
                first = await next_frame(frames, len(frames))
                break
            await asyncio.sleep(0.002)
        muted = len(app.model.loaded.muted)
    return {"first": first - started, "muted": muted}


def launch(root: str, config: str) -> dict[str, float]:
    code = (
        "import asyncio, json, sys; sys.path.insert(0, sys.argv[3]);"
        "from tests.bench.bench_config import _first_screen;"
        "args = sys.argv[2], float(sys.argv[1]), sys.argv[4];"
        "print(json.dumps(asyncio.run(_first_screen(*args))))"
    )
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, str(started), root, str(REPO), config],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load_folder(args.folder)  # the cache, warm
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text(CONFIG)
        for name, path in (("no config", ""), ("config", str(config))):
            runs = [launch(args.folder, path) for _ in range(args.runs)]
            firsts = [r["first"] for r in runs]
            print(
                f"{name:>10}: first screen median {statistics.median(firsts):.2f} s "
                f"(runs {', '.join(f'{f:.2f}' for f in firsts)}), muted {runs[0]['muted']:,}"
            )


if __name__ == "__main__":
    main()
