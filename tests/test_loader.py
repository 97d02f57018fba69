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
