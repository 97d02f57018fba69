"""The index cache's path holding something that is not our file, and what a
killed writer leaves behind: nothing may hang, fill memory or pile up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.model import cache as cache_module
from reader.model.cache import MAX_CACHE_BYTES, IndexCache, remove_stale_temp_files
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
    # a million stories (the largest folder benchmarked) and ask for 2x headroom.
    load_folder(str(root), workers=1)
    per_story = _cache(root).path.stat().st_size / N
    assert 2 * per_story * 1_000_000 < MAX_CACHE_BYTES


# --- temporary files left by a writer that died --------------------------------------


def _aged(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)
    return path


def _old_file(path: Path, text: str = "half a cache") -> Path:
    path.write_text(text)
    return _aged(path, cache_module.STALE_TEMP_SECONDS + 60)


def test_stale_temp_files_are_removed_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    stale = [_old_file(folder / name) for name in (".index-abc_1234.tmp", ".index-zzzzzzzz.tmp")]
    fresh = folder / ".index-fresh123.tmp"  # a writer saving right now
    fresh.write_text("being written")
    target = _old_file(tmp_path / "elsewhere.tmp", "not in the cache folder")
    link = folder / ".index-linkto12.tmp"
    link.symlink_to(target)
    _aged(link, cache_module.STALE_TEMP_SECONDS + 60)
    names = (".index-short.tmp", ".index-abcdefgh.tmp.bak", "index-a.bin", ".index-ABCDEFGH.tmp")
    for name in names:
        _old_file(folder / name, "someone else's")
    (folder / ".index-afolder1.tmp").mkdir()
    _aged(folder / ".index-afolder1.tmp", cache_module.STALE_TEMP_SECONDS + 60)

    assert remove_stale_temp_files(folder) == 2
    assert not any(path.exists() for path in stale)
    left = {p.name for p in folder.iterdir()}
    assert left == {fresh.name, link.name, ".index-afolder1.tmp", *names}
    assert target.read_text() == "not in the cache folder"
    assert remove_stale_temp_files(tmp_path / "no such folder") == 0


# The child saves a snapshot, but stops just before the rename: it is killed there.
_DIE_WHILE_SAVING = """
import os, sys, time
from reader.model import cache
c = cache.IndexCache.for_root(sys.argv[1])
snapshot = c.load()
assert len(snapshot), c.rebuilt_because
def hang(src, dst):
    print("written", flush=True)
    time.sleep(600)
cache.os.replace = hang
c.save(snapshot)
"""


def _kill_while_saving(root: Path) -> Path:
    """Start a child saving the cache of `root`, SIGKILL it mid-save; its temp file."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", _DIE_WHILE_SAVING, str(root)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "written\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=HANG)
    left = list(_cache(root).path.parent.glob(".index-*.tmp"))
    assert len(left) == 1 and left[0].stat().st_size > 0
    return left[0]


@pytest.mark.parametrize("then", ["load", "save"])
def test_a_temp_file_left_by_a_killed_writer_goes_once_stale(root: Path, then: str) -> None:
    load_folder(str(root), workers=1)
    leftover = _kill_while_saving(root)
    cache = _cache(root)
    snapshot = cache.load()
    assert leftover.exists()  # minutes old at most: it may be a live writer's
    _aged(leftover, cache_module.STALE_TEMP_SECONDS + 1)
    if then == "load":
        assert len(cache.load()) == N
    else:
        assert cache.save(snapshot)
    assert not leftover.exists()
    assert [p.name for p in cache.path.parent.iterdir()] == [cache.path.name]


def test_a_concurrent_writers_fresh_temp_file_is_left_alone(root: Path) -> None:
    load_folder(str(root), workers=1)
    writing = _kill_while_saving(root)  # stands for a writer still at work
    cache = _cache(root)
    assert cache.save(cache.load())
    assert len(cache.load()) == N
    assert writing.exists()
