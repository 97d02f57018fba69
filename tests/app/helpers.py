"""Driving the app in tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from reader.app import ReaderApp
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList


async def wait_loaded(pilot: Pilot[Any], timeout: float = 30.0) -> MainScreen:
    """Wait until the main screen has indexed every file; fail at once if the app died."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        error = getattr(app, "_exception", None)
        if error is not None:
            raise error
        assert app.is_running
        main = next((s for s in app.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None and main.finished:
            await pilot.pause()
            return main
        if loop.time() > deadline:
            raise TimeoutError("the folder did not finish loading")
        await asyncio.sleep(0.02)


def titles(app: ReaderApp) -> list[str]:
    """Titles in the article list, top to bottom."""
    return [a.title for a in app.screen.query_one(ArticleList).articles]


async def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `check()` holds (e.g. after a worker thread's work); fail after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError("the condition never held")
        await asyncio.sleep(0.02)
