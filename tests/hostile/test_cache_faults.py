"""The index cache's path holding something that is not our file: nothing may
hang or fill memory, and the cache is rebuilt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.model import cache as cache_module
from reader.model.cache import MAX_CACHE_BYTES, IndexCache
from reader.model.loader import load_folder
from tests.bench.generate import generate

REPO = Path(__file__).resolve().parents[2]
N = 20
#: Long enough to detect a hang, far longer than any of these takes.
HANG = 60
NOT_REGULAR = "not a regular file (a device, FIFO or socket)"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    generate(str(folder), N, seed=5)
    return folder


def _cache(root: Path) -> IndexCache:
    return IndexCache.for_root(str(root))


# A child process, so that a regression hangs or fills memory there and not in
# the test run: it has a time limit and at most 1 GiB of memory.
_LOAD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from reader.model.cache import IndexCache
from reader.model.loader import iter_load
cache = IndexCache.for_root(sys.argv[1])
snapshot = cache.load()
first = list(iter_load(sys.argv[1], workers=1))[0]  # all of it: the cache is saved at the end
print(json.dumps([len(snapshot), cache.rebuilt_because, first.cache_note, first.total]))
"""


def _load_in_child(root: Path) -> list[object]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert isinstance(answer, list)
    return answer


def test_a_fifo_at_the_cache_path_is_rebuilt_not_waited_on(root: Path) -> None:
    path = _cache(root).path
    path.parent.mkdir(parents=True)
    os.mkfifo(path)  # no writer: a blocking open waits forever
    assert _load_in_child(root) == [0, NOT_REGULAR, NOT_REGULAR, N]
    assert path.is_file()  # the load saved a real cache in its place...
    assert len(_cache(root).load()) == N  # ...which the next start uses
    assert _cache(root).rebuilt_because == ""


def test_reader_list_does_not_hang_on_a_fifo_cache(root: Path) -> None:
    path = _cache(root).path
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "reader", "list", str(root), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == N


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_link_to_a_device_is_not_read(root: Path, device: str) -> None:
    path = _cache(root).path
    path.parent.mkdir(parents=True)
    path.symlink_to(device)  # /dev/zero never ends: reading it fills memory
    assert _load_in_child(root) == [0, NOT_REGULAR, NOT_REGULAR, N]
    assert not path.is_symlink() and path.is_file()  # replaced, the device untouched
    assert Path(device).exists()


def test_a_folder_at_the_cache_path_is_survived(root: Path) -> None:
    path = _cache(root).path
    (path / "inside").mkdir(parents=True)
    result = load_folder(str(root), workers=1)
    assert len(result.articles) == N
    cache = _cache(root)
    assert len(cache.load()) == 0 and cache.rebuilt_because == NOT_REGULAR
    assert (path / "inside").is_dir()  # a folder is not ours to remove
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left


def test_a_cache_over_the_cap_is_not_read(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_folder(str(root), workers=1)
    cache = _cache(root)
    size = cache.path.stat().st_size
    monkeypatch.setattr(cache_module, "MAX_CACHE_BYTES", size - 1)
    assert len(cache.load()) == 0
    assert cache.rebuilt_because == f"too large ({size:,} bytes; the limit is {size - 1:,})"
    monkeypatch.setattr(cache_module, "MAX_CACHE_BYTES", size)
    assert len(cache.load()) == N and cache.rebuilt_because == ""


def test_a_huge_sparse_file_is_refused_without_reading_it(root: Path) -> None:
    path = _cache(root).path
    path.parent.mkdir(parents=True)
    with open(path, "wb") as out:
        out.truncate(MAX_CACHE_BYTES + 1)  # sparse: costs no disk
    assert _load_in_child(root)[1] == (
        f"too large ({MAX_CACHE_BYTES + 1:,} bytes; the limit is {MAX_CACHE_BYTES:,})"
    )


def test_the_cap_leaves_room_for_the_corpus_the_app_is_built_for(root: Path) -> None:
    # The cap must not turn a real cache away: extrapolate this corpus's cache to
    # 100,000 stories (the size the app is built for) and ask for 4x headroom.
    load_folder(str(root), workers=1)
    per_story = _cache(root).path.stat().st_size / N
    assert 4 * per_story * 100_000 < MAX_CACHE_BYTES
