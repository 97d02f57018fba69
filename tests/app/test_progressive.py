"""Pilot test: stories stream in while a folder loads, and nothing jumps."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader import indexing
from reader.app import ReaderApp
from reader.model.article import Article
from reader.model.cache import IndexCache
from reader.model.loader import Batch
from reader.widgets.article_list import ArticleList

from .helpers import eventually, titles, wait_loaded


def article(n: int, heat: int) -> Article:
    return Article(path=f"/x/{n}.md", title=f"Story {n}", web_url=f"https://e.x/{n}", heat=heat)


async def test_stories_stream_in_and_the_selection_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = [threading.Event() for _ in range(2)]

    def slow_load(root: str, **options: object) -> Iterator[Batch]:
        yield Batch(articles=[article(n, 100 - n) for n in range(60)], done=60, total=100)
        release[0].wait(10)
        # Hotter stories arrive: they rank above the selected one.
        yield Batch(articles=[article(n, 1000 + n) for n in range(60, 80)], done=80, total=100)
        release[1].wait(10)
        yield Batch(articles=[article(n, n - 80) for n in range(80, 100)], done=100, total=100)

    monkeypatch.setattr(indexing, "iter_load", slow_load)
    monkeypatch.setattr(indexing, "PUBLISH_INTERVAL", 0.0)
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await eventually(lambda: bool(titles(app)), 4.0)
        assert titles(app)[:2] == ["Story 0", "Story 1"]
        status = str(app.screen.query_one("#status").render())
        assert "indexed 60 of 100" in status
        await pilot.press("pagedown", "pagedown")
        articles = app.screen.query_one(ArticleList)
        selected = articles.current
        assert selected is not None and articles.cursor > 30
        on_screen = articles.cursor - round(articles.scroll_offset.y)

        release[0].set()
        await eventually(lambda: len(titles(app)) == 80, 4.0)
        assert titles(app)[0] == "Story 79"
        assert articles.current is selected
        assert articles.cursor - round(articles.scroll_offset.y) == on_screen

        release[1].set()
        main = await wait_loaded(pilot)
        assert main.finished
        assert articles.current is selected
        assert articles.cursor - round(articles.scroll_offset.y) == on_screen
        assert "indexed" not in str(app.screen.query_one("#status").render())


async def test_a_cache_that_cannot_be_used_is_said_once(news: Path) -> None:
    cache = IndexCache.for_root(os.path.abspath(news))  # as the loader names it
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_bytes(b"not a cache at all")
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        notes = [n.message for n in app._notifications if "cache" in n.message]
        assert notes == ["The index cache was rebuilt: not a reader cache, or truncated."]
    # Rebuilt, so the next start has nothing to say.
    again = ReaderApp(str(news))
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert not [n for n in again._notifications if "cache" in n.message]
