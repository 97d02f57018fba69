"""The loader: parallel parsing gives exactly what a single process gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import pytest

from reader.model import loader, pool
from reader.model.loader import iter_load, load_folder
from tests.bench.generate import generate

REPO = Path(__file__).resolve().parent.parent


def _write(path: Path, title: str, heat: int) -> None:
    path.write_text(f"---\ntitle: {title}\nwebUrl: https://e.x/{heat}\nheat: {heat}\n---\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 500 generated stories plus a few files that become problems."""
    root = tmp_path_factory.mktemp("corpus")
    generate(str(root), 500, seed=7)
    (root / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (root / "draft.md").write_text("---\ntitle: Draft\npublished: false\n---\n", "utf-8")
    (root / "empty.md").write_text("", encoding="utf-8")
    return root


class _Spy(pool.WorkerPool):
    """A pool that remembers how many worker processes it really started."""

    started: ClassVar[list[int]] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _Spy.started.append(sum(w.alive for w in self._workers))


def test_parallel_parse_equals_single_process(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "POOL_THRESHOLD", 100)
    monkeypatch.setattr(loader, "WorkerPool", _Spy)
    _Spy.started.clear()
    single = load_folder(str(corpus), workers=1, use_cache=False)
    assert _Spy.started == []
    parallel = load_folder(str(corpus), workers=2, use_cache=False)
    assert _Spy.started == [1]  # workers=2: one child, and this process parses too
    assert len(single.articles) == 500
    assert {p.path.rsplit("/", 1)[1] for p in single.problems} == {
        "broken.md",
        "draft.md",
        "empty.md",
    }
    assert parallel.articles == single.articles
    assert parallel.problems == single.problems


def test_workers_that_die_leave_the_load_complete(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "POOL_THRESHOLD", 100)
    monkeypatch.setattr(pool, "_CHILD", "import sys; sys.exit(3)")
    expected = load_folder(str(corpus), workers=1, use_cache=False)
    assert load_folder(str(corpus), workers=2, use_cache=False) == expected


def test_batches_arrive_in_order_with_progress(corpus: Path) -> None:
    batches = list(iter_load(str(corpus), workers=2, use_cache=False))
    paths = [a.path for b in batches for a in b.articles]
    assert paths == sorted(paths)
    dones = [b.done for b in batches]
    assert dones == sorted(dones)
    assert dones[-1] == batches[0].total == 503


@pytest.mark.parametrize("how", ["script", "module"])
def test_pool_works_from_an_unguarded_script_and_from_python_m(corpus: Path, how: str) -> None:
    """Workers must not re-run the launching program (the trap of 'spawn')."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if how == "module":
        command = [sys.executable, "-m", "reader", "list", "--no-cache", "--json", str(corpus)]
    else:
        script = Path(env.get("READER_CACHE_DIR", str(corpus))).parent / "no_guard.py"
        script.write_text(
            textwrap.dedent(f"""
                from reader.model import loader
                loader.POOL_THRESHOLD = 1  # no `if __name__ == "__main__"` on purpose
                result = loader.load_folder({str(corpus)!r}, workers=2, use_cache=False)
                print(len(result.articles))
            """),
            encoding="utf-8",
        )
        command = [sys.executable, str(script)]
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    if how == "module":  # one story per webUrl: a few generated files are duplicates
        assert 490 <= len(json.loads(run.stdout)) <= 500
    else:
        assert run.stdout.strip() == "500"


def test_provisional_load_shows_the_cache_then_what_is_really_there(tmp_path: Path) -> None:
    for n in range(5):
        _write(tmp_path / f"s{n}.md", f"Story {n}", n)
    load_folder(str(tmp_path))  # writes the cache
    (tmp_path / "s0.md").unlink()
    _write(tmp_path / "s1.md", "Story 1, changed", 1)
    os.utime(tmp_path / "s1.md", ns=(1, 1))  # a different mtime, whatever the clock
    _write(tmp_path / "s9.md", "Story 9", 9)

    batches = list(iter_load(str(tmp_path), provisional=True))
    first, second = batches[0], batches[1]
    assert first.provisional and not first.replaces
    assert sorted(a.title for a in first.articles) == [f"Story {n}" for n in range(5)]
    assert second.replaces and not second.provisional
    assert sorted(a.title for a in second.articles) == ["Story 2", "Story 3", "Story 4"]
    # The unchanged stories are the very objects shown provisionally.
    assert {id(a) for a in second.articles} <= {id(a) for a in first.articles}
    rest = [a.title for b in batches[2:] for a in b.articles]
    assert sorted(rest) == ["Story 1, changed", "Story 9"]


def test_no_provisional_batch_without_a_cache(tmp_path: Path) -> None:
    _write(tmp_path / "a.md", "A", 1)
    batches = list(iter_load(str(tmp_path), provisional=True))
    assert not any(b.provisional or b.replaces for b in batches)
    batches = list(iter_load(str(tmp_path), provisional=True, use_cache=False))
    assert not any(b.provisional or b.replaces for b in batches)


def test_provisional_load_of_a_missing_folder_raises(tmp_path: Path) -> None:
    _write(tmp_path / "a.md", "A", 1)
    load_folder(str(tmp_path))
    with pytest.raises(FileNotFoundError):
        list(iter_load(str(tmp_path / "missing"), provisional=True))
