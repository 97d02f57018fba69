"""Pilot tests: stories stream in while a folder loads, and nothing jumps or hides.

The loader is replaced by one that hands out batches when the test says so,
and every wait is for the screen to have taken a batch: nothing depends on
how fast the machine is.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.app import ReaderApp
from reader.browse import loading
from reader.model.article import Article
from reader.model.cache import IndexCache
from reader.model.loader import Batch
from reader.widgets.article_list import ArticleList

from .helpers import current_title, eventually, notices, titles, wait_loaded


def article(n: int, heat: int) -> Article:
    return Article(path=f"/x/{n}.md", title=f"Story {n}", web_url=f"https://e.x/{n}", heat=heat)


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> list[threading.Event]:
    """A loader giving 60 stories, then 20 hotter ones, then 20 cold ones, each on a signal."""
    release = [threading.Event() for _ in range(2)]

    def slow_load(roots: object, **options: object) -> Iterator[Batch]:
        yield Batch(articles=[article(n, 100 - n) for n in range(60)], done=60, total=100)
        release[0].wait(60)
        # Hotter stories arrive: they rank above the selected one.
        yield Batch(articles=[article(n, 1000 + n) for n in range(60, 80)], done=80, total=100)
        release[1].wait(60)
        yield Batch(articles=[article(n, n - 80) for n in range(80, 100)], done=100, total=100)

    monkeypatch.setattr(loading, "iter_load_folders", slow_load)
    monkeypatch.setattr(loading, "PUBLISH_INTERVAL", 0.0)
    return release


def loaded_so_far(app: ReaderApp) -> int:
    return app.model.loaded.done


async def test_a_chosen_story_stays_put_and_new_ones_above_are_announced(
    gated: list[threading.Event],
) -> None:
    app = ReaderApp("/x")
    async with app.run_test(size=(120, 30)) as pilot:
        await eventually(lambda: loaded_so_far(app) == 60)
        await pilot.pause()
        assert titles(app)[:2] == ["Story 0", "Story 1"]
        assert "indexed 60 of 100" in str(app.screen.query_one("#status").render())
        await pilot.press("pagedown", "pagedown")
        articles = app.screen.query_one(ArticleList)
        chosen = current_title(app)
        assert articles.cursor > 30
        on_screen = articles.cursor - round(articles.scroll_offset.y)

        gated[0].set()
        await eventually(lambda: loaded_so_far(app) == 80)
        await pilot.pause()
        assert titles(app)[0] == "Story 79"
        assert current_title(app) == chosen
        assert articles.cursor - round(articles.scroll_offset.y) == on_screen
        title = str(app.screen.query_one("#list-title").render())
        assert "↑ 20 new above" in title

        gated[1].set()
        await wait_loaded(pilot)
        assert current_title(app) == chosen
        assert articles.cursor - round(articles.scroll_offset.y) == on_screen
        assert "indexed" not in str(app.screen.query_one("#status").render())
        await pilot.click("#list-title")  # go up to the new stories
        assert articles.cursor == 0 and current_title(app) == "Story 79"
        assert "new above" not in str(app.screen.query_one("#list-title").render())


async def test_an_untouched_list_keeps_the_hottest_story_selected_and_on_screen(
    gated: list[threading.Event],
) -> None:
    app = ReaderApp("/x")
    async with app.run_test(size=(120, 30)) as pilot:
        await eventually(lambda: loaded_so_far(app) == 60)
        gated[0].set()
        await eventually(lambda: loaded_so_far(app) == 80)
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        assert articles.cursor == 0 and round(articles.scroll_offset.y) == 0
        assert current_title(app) == "Story 79"
        await pilot.press("b")  # saves the story on screen, the hottest
        assert app.state.is_saved("https://e.x/79")
        gated[1].set()
        await wait_loaded(pilot)


async def test_a_cache_that_cannot_be_used_is_said_once(news: Path) -> None:
    cache = IndexCache.for_root(os.path.abspath(news))  # as the loader names it
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_bytes(b"not a cache at all")
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        notes = [n for n in notices(app) if "cache" in n]
        assert notes == ["The index cache was rebuilt: not a reader cache, or truncated."]
    # Rebuilt, so the next start has nothing to say.
    again = ReaderApp(str(news))
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert not [n for n in notices(again) if "cache" in n]
