"""The persistent index cache: reused when files are unchanged, rebuilt when not trustworthy."""

from __future__ import annotations

import hashlib
import marshal
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.model import cache as cache_module
from reader.model import parsing
from reader.model.article import Article, Problem
from reader.model.cache import IndexCache, Snapshot
from reader.model.loader import LoadResult, iter_load, load_folder
from tests.bench.generate import generate

REPO = Path(__file__).resolve().parent.parent
N = 20


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    generate(str(folder), N, seed=3)
    (folder / "bad.md").write_text("no front matter\n", encoding="utf-8")
    return folder


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths parsed from now on (in this process: loads run with workers=1)."""
    calls: list[str] = []
    real = parsing.parse_file

    def spy(path: str) -> Article | Problem:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(parsing, "parse_file", spy)
    return calls


def load(root: Path, **kwargs: bool) -> LoadResult:
    return load_folder(str(root), workers=1, **kwargs)


def note(root: Path) -> str:
    """Why the cache was rebuilt on a full load of `root` ("" when it was used)."""
    batches = list(iter_load(str(root), workers=1))
    return batches[0].cache_note


def cache_of(root: Path) -> IndexCache:
    return IndexCache.for_root(str(root))


def story(root: Path, n: int = 0) -> Path:
    return next(root.glob(f"*/story-{n:07d}.md"))


def test_unchanged_files_are_not_parsed_again(root: Path, parsed: list[str]) -> None:
    first = load(root)
    assert len(parsed) == N + 1
    assert len(first.articles) == N and len(first.problems) == 1
    parsed.clear()
    second = load(root)
    assert parsed == []
    assert second.articles == first.articles and second.problems == first.problems


def test_changed_file_is_parsed_again(root: Path, parsed: list[str]) -> None:
    load(root)
    path = story(root, 4)
    path.write_text(path.read_text("utf-8").replace("title: ", "title: Changed ", 1), "utf-8")
    parsed.clear()
    result = load(root)
    assert parsed == [str(path)]
    assert any(a.title.startswith("Changed ") for a in result.articles)


def test_touched_file_with_same_size_is_parsed_again(root: Path, parsed: list[str]) -> None:
    load(root)
    path = story(root, 2)
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    parsed.clear()
    load(root)
    assert parsed == [str(path)]


def test_new_file_is_parsed(root: Path, parsed: list[str]) -> None:
    load(root)
    new = root / "new.md"
    new.write_text(
        '---\ntitle: "Brand new"\nwebUrl: https://n.example/new\n---\n', encoding="utf-8"
    )
    parsed.clear()
    result = load(root)
    assert parsed == [str(new)]
    assert "Brand new" in {a.title for a in result.articles}


def test_removed_file_is_gone_and_dropped_from_the_cache(root: Path, parsed: list[str]) -> None:
    load(root)
    gone = story(root, 5)
    gone.unlink()
    (root / "bad.md").unlink()
    parsed.clear()
    result = load(root)
    assert parsed == []
    assert str(gone) not in {a.path for a in result.articles}
    assert result.problems == []
    saved = cache_of(root).load()
    assert len(saved.articles) == N - 1 and len(saved.problems) == 0
    assert str(gone) not in saved.articles.paths


def _rewrite(root: Path, change: Callable[[bytes], bytes]) -> None:
    path = cache_of(root).path
    path.write_bytes(change(path.read_bytes()))


def _header() -> int:
    return len(cache_module._MAGIC) + 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda b: b[: len(b) // 2], "corrupt or truncated"),
        (lambda b: b[:10], "not a reader cache, or truncated"),
        (lambda b: b"", "not a reader cache, or truncated"),
        (lambda b: b[:-1000] + bytes(x ^ 0xFF for x in b[-1000:]), "corrupt or truncated"),
        (lambda b: b"NOT-A-CACHE!!" + b[13:], "not a reader cache, or truncated"),
        (lambda b: b[: _header() - 1] + b"\xfe" + b[_header() :], "written by another version"),
        (lambda b: os.urandom(len(b)), "not a reader cache, or truncated"),
    ],
    ids=["truncated", "cut-in-header", "empty", "corrupt", "magic", "version", "noise"],
)
def test_bad_cache_is_rebuilt(
    root: Path, parsed: list[str], change: Callable[[bytes], bytes], reason: str
) -> None:
    expected = load(root)
    _rewrite(root, change)
    parsed.clear()
    assert note(root) == reason
    assert len(parsed) == N + 1  # everything parsed again...
    parsed.clear()
    assert load(root) == expected
    assert parsed == []  # ...and the rebuilt cache is good


def test_cache_of_another_folder_is_not_used(root: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate(str(other), 3, seed=9)
    load(root)
    load(other)
    cache_of(other).path.write_bytes(cache_of(root).path.read_bytes())
    assert note(other) == "belongs to another folder"
    assert len(load(other).articles) == 3


def _write_payload(root: Path, payload: object) -> None:
    """A cache with a valid header and digest around `payload`."""
    data = marshal.dumps(payload)
    digest = hashlib.blake2b(data, digest_size=cache_module._DIGEST).digest()
    version = bytes([cache_module.FORMAT_VERSION])
    cache_of(root).path.write_bytes(cache_module._MAGIC + version + digest + data)


def _saved_payload(root: Path) -> list[object]:
    c = cache_of(root)
    return list(cache_module._payload(c.load(), c.root))


@pytest.mark.parametrize(
    "damage",
    ["title-int", "topic-int", "short-column", "missing-column", "duplicate-path", "not-a-tuple"],
)
def test_valid_digest_around_malformed_records_is_rebuilt(root: Path, damage: str) -> None:
    expected = load(root)
    payload = _saved_payload(root)
    articles = payload[2]
    assert isinstance(articles, list)
    # articles = [sizes, mtimes, path, title, ..., topics, ...]
    if damage == "title-int":
        articles[3][0] = 42
    elif damage == "topic-int":
        articles[2 + 9][0] = ("Election", 7)
    elif damage == "short-column":
        articles[4].pop()
    elif damage == "missing-column":
        articles.pop()
    elif damage == "duplicate-path":
        for column in articles:
            column.append(column[0])
    else:
        payload = [1, 2, 3]  # type: ignore[list-item]
    _write_payload(root, payload)
    reason = note(root)
    assert reason.startswith(("malformed", "unreadable contents")), reason
    assert load(root) == expected


def test_payload_written_by_other_parser_code_is_rebuilt(root: Path) -> None:
    load(root)
    payload = _saved_payload(root)
    payload[1] = "another parser"
    _write_payload(root, tuple(payload))
    assert note(root) == "written by another version"


def test_good_cache_has_no_note(root: Path) -> None:
    load(root)
    assert note(root) == ""


def test_concurrent_writers_leave_a_valid_cache(root: Path) -> None:
    expected = load(root)
    script = (
        "import sys\n"
        "from reader.model.cache import IndexCache\n"
        "c = IndexCache.for_root(sys.argv[1])\n"
        "s = c.load()\n"
        "assert len(s) == int(sys.argv[2]), c.rebuilt_because\n"
        "for _ in range(40):\n"
        "    assert c.save(s)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", script, str(root), str(N + 1)]
    writers = [subprocess.Popen(command, env=env) for _ in range(2)]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    assert note(root) == ""
    assert load(root) == expected
    assert [p.name for p in cache_of(root).path.parent.iterdir()] == [cache_of(root).path.name]


def test_unwritable_cache_folder_still_loads(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("READER_CACHE_DIR", str(blocker / "cache"))
    first = load(root)
    assert len(first.articles) == N
    assert load(root) == first
    assert len(parsed) == 2 * (N + 1)  # nothing could be cached


def test_no_cache_neither_reads_nor_writes(root: Path, parsed: list[str]) -> None:
    load(root, use_cache=False)
    assert not cache_of(root).path.exists()
    # A cache that says something different from the files: only a load that reads it sees it.
    real = load(root)
    c = cache_of(root)
    snapshot = c.load()
    snapshot.articles.columns[1] = ["From the cache"] * len(snapshot.articles)
    assert c.save(snapshot)
    before = c.path.read_bytes()
    assert {a.title for a in load(root).articles} == {"From the cache"}
    parsed.clear()
    fresh = load(root, use_cache=False)
    assert fresh == real
    assert len(parsed) == N + 1
    assert c.path.read_bytes() == before


def test_empty_snapshot_round_trips(tmp_path: Path) -> None:
    c = IndexCache.for_root(str(tmp_path))
    assert c.save(Snapshot.empty())
    assert len(c.load()) == 0 and c.rebuilt_because == ""
