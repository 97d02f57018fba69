"""Benchmark of the app: launch to first stories, key-to-screen latency, topic switch.

These are the `app` columns of `tests/bench/bench_index.py`'s table:

    python -m tests.bench.bench_index --only app [--sizes 1000,10000,100000]

Frames are timed where Textual hands a finished screen update to its driver
(`App._display`), so Pilot's own idle waits are not counted: a key's latency
is from the moment it is sent to the first frame drawn after it. Launch time is
from spawning `python` to the first frame whose list shows stories, in a fresh
process (interpreter start and imports included), with an empty cache (cold)
and with the cache present and no file changed (warm).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reader.app import ReaderApp  # noqa: E402
from reader.model.config import read_config  # noqa: E402
from reader.model.loader import load_folder  # noqa: E402
from reader.screens.main import MainScreen  # noqa: E402
from reader.widgets.article_list import ArticleList  # noqa: E402
from reader.widgets.detail import DetailPane  # noqa: E402
from tests.bench.memory import peak_kb  # noqa: E402

SIZE = (160, 50)
#: Typed into the search box one key at a time: words, a qualifier, then backspaces.
SEARCH_KEYS = [*"climate", "space", *"heat>100", *["backspace"] * 4, *"elect"]


def record_frames(app: ReaderApp, clock: Any = time.perf_counter) -> list[float]:
    """Times at which the app hands a frame to its driver, appended as they happen."""
    frames: list[float] = []
    display = app._display

    def timed(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            frames.append(clock())

    app._display = timed  # type: ignore[method-assign]
    return frames


async def next_frame(frames: list[float], after: int, timeout: float = 10.0) -> float:
    """The time of frame number `after` (waiting for it to be drawn)."""
    deadline = time.perf_counter() + timeout
    while len(frames) <= after:
        if time.perf_counter() > deadline:
            raise TimeoutError("no frame was drawn")
        await asyncio.sleep(0)
    return frames[after]


async def _first_screen(root: str, started: float, config: str = "") -> dict[str, float]:
    settings = read_config(Path(config)).config if config else None
    app = ReaderApp(root, config=settings)
    frames = record_frames(app, clock=time.time)
    async with app.run_test(size=SIZE):
        while True:
            lists = app.screen.query(ArticleList)
            if lists and lists.first().count:
                first = await next_frame(frames, len(frames))
                break
            await asyncio.sleep(0.002)
        while not (isinstance(app.screen, MainScreen) and app.model.loaded.finished):
            await asyncio.sleep(0.01)
        full = time.time()
        muted = len(app.model.loaded.muted)
    return {
        "first": first - started,
        "full": full - started,
        "peak_mb": peak_kb() / 1024,
        "muted": muted,
    }


def launch(root: str, config: str = "") -> dict[str, float]:
    """Spawn a fresh interpreter running the app (with the config file `config`, if
    any); seconds to the first stories on screen."""
    code = (
        "import asyncio, json, sys; sys.path.insert(0, sys.argv[3]);"
        "from tests.bench.bench_app import _first_screen;"
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


def record_calls(obj: Any, *names: str, clock: Any = time.perf_counter) -> list[float]:
    """Times at which the methods `names` of `obj` return, appended as they happen."""
    calls: list[float] = []
    for name in names:
        method = getattr(obj, name)

        def timed(*args: Any, _method: Any = method, **kwargs: Any) -> Any:
            result = _method(*args, **kwargs)
            calls.append(clock())
            return result

        setattr(obj, name, timed)
    return calls


async def key_latencies(root: str, presses: int) -> dict[str, list[float]]:
    """Latency of Down keys in the list, of each keystroke of a search, and of
    switching topic in the sidebar.

    A key's latency runs to the first frame drawn after the last thing it
    changed (the list, the detail pane), not merely to the next frame: a key's
    consequences can span several frames (the cursor first, the detail next).
    """
    app = ReaderApp(root)
    frames = record_frames(app)
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, MainScreen) and app.model.loaded.finished):
            await asyncio.sleep(0.01)
        await pilot.pause()
        changed = record_calls(app.screen.query_one(DetailPane), "show")
        listed = record_calls(app.screen.query_one(ArticleList), "show")

        async def timed_press(key: str) -> float:
            first_change = (len(changed), len(listed))
            mark = len(frames)
            sent = time.perf_counter()
            await pilot.press(key)  # returns once the app is idle: every handler has run
            done = max([*changed[first_change[0] :], *listed[first_change[1] :]], default=sent)
            while True:
                drawn = next((t for t in frames[mark:] if t >= done), None)
                if drawn is not None:
                    return drawn - sent
                await asyncio.sleep(0)

        down = [await timed_press("down") for _ in range(presses)]
        await pilot.press("slash")
        await pilot.pause()
        typing = [await timed_press(key) for key in SEARCH_KEYS]
        await pilot.press("escape", "shift+tab")  # clear the search, go to the sidebar
        await pilot.pause()
        switch = [await timed_press("j" if i % 2 else "k") for i in range(1, 41)]
    return {"down": down, "switch": switch, "search": typing}


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(root: str, presses: int = 100) -> dict[str, str]:
    """Every app figure for one corpus, as table cells."""
    shutil.rmtree(os.environ["READER_CACHE_DIR"], ignore_errors=True)
    cold = launch(root)  # also leaves the cache written for the warm runs
    load_folder(root)  # make sure the cache is complete before timing warm starts
    warm = statistics.median(launch(root)["first"] for _ in range(3))
    warm_full = launch(root)
    keys = asyncio.run(key_latencies(root, presses))
    ms = 1000
    return {
        "first screen cold": f"{cold['first']:.2f} s",
        "first screen warm": f"{warm:.2f} s",
        "app fully indexed cold / warm": f"{cold['full']:.1f} s / {warm_full['full']:.1f} s",
        "Down key median / p95": (
            f"{statistics.median(keys['down']) * ms:.1f} / "
            f"{percentile(keys['down'], 0.95) * ms:.1f} ms"
        ),
        "search keystroke median / max": (
            f"{statistics.median(keys['search']) * ms:.1f} / {max(keys['search']) * ms:.1f} ms"
        ),
        "topic switch median / max": (
            f"{statistics.median(keys['switch']) * ms:.1f} / {max(keys['switch']) * ms:.1f} ms"
        ),
        "app peak RSS (warm)": f"{warm_full['peak_mb']:.0f} MB",
    }
