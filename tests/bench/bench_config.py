"""Benchmark: the first screen with a config (mutes, saved searches, keys) against none.

    python -m tests.bench.bench_config FOLDER [--runs 3]

Each run is `bench_app.launch`: a fresh interpreter (imports included), timed
from the spawn to the first frame whose list shows stories, with the folder's
cache warm. The config mutes two providers and a type, keeps three saved
searches (one of words, which folds every story for its sidebar count), sorts
by newest, sets a theme and remaps a key.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reader.model.loader import load_folder  # noqa: E402
from tests.bench.bench_app import launch  # noqa: E402

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
