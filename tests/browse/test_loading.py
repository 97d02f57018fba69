"""Unit tests: how often the loading worker hands a growing index to the screen."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from reader.browse import loading
from reader.browse.loading import Loaded, index_folder
from reader.model.article import Article
from reader.model.loader import Batch


def batches(count: int) -> Iterator[Batch]:
    """`count` batches of ten stories, each as soon as it is asked for."""
    for n in range(count):
        stories = [Article(path=f"/x/{n}-{i}.md", title=f"Story {n} {i}") for i in range(10)]
        yield Batch(articles=stories, done=10 * (n + 1), total=10 * count)


def load(monkeypatch: pytest.MonkeyPatch, count: int, *, rank_cost: float) -> list[Loaded]:
    """Index `count` quick batches where ranking costs `rank_cost` seconds; what was posted."""
    monkeypatch.setattr(loading, "iter_load_folders", lambda roots, **options: batches(count))
    posted: list[Loaded] = []

    def order() -> str:
        time.sleep(rank_cost)
        return "heat"

    index_folder(["/x"], use_cache=False, order=order, searching=lambda: False, post=posted.append)
    return posted


def test_without_a_minimum_interval_every_batch_is_handed_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A slow rebuild must not hold a batch back: the next one may be long in coming.
    monkeypatch.setattr(loading, "PUBLISH_INTERVAL", 0.0)
    posted = load(monkeypatch, 4, rank_cost=0.02)
    assert [p.done for p in posted] == [10, 20, 30, 40]


def test_quick_batches_are_gathered_and_the_last_is_always_handed_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loading, "PUBLISH_INTERVAL", 60.0)
    posted = load(monkeypatch, 4, rank_cost=0.0)
    # The first stories at once, then nothing until every file is known.
    assert [p.done for p in posted] == [10, 40]
    assert posted[-1].finished and len(posted[-1].index.articles()) == 40
