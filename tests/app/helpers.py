"""Driving the app in tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from reader.app import ReaderApp
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.detail import DetailPane


def alive(app: App[Any]) -> None:
    """Fail with the app's own error if it died, else check it still runs."""
    error = getattr(app, "_exception", None)
    if error is not None:
        raise error
    assert app.is_running


async def eventually(
    check: Callable[[], bool], timeout: float = 10.0, what: str = "the condition never held"
) -> None:
    """Wait until `check()` holds (e.g. after a worker thread's work); fail after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.02)


def _main_screen(app: App[Any]) -> MainScreen | None:
    return next((s for s in app.screen_stack if isinstance(s, MainScreen)), None)


async def wait_loaded(pilot: Pilot[Any], timeout: float = 30.0) -> MainScreen:
    """Wait until the main screen has indexed every file; fail at once if the app died."""
    app = pilot.app
    assert isinstance(app, ReaderApp)

    def loaded() -> bool:
        alive(app)
        main = _main_screen(app)
        return main is not None and main.finished

    await eventually(loaded, timeout, "the folder did not finish loading")
    await pilot.pause()
    main = _main_screen(app)
    assert main is not None
    return main


async def written(path: Path, lines: int = 1, timeout: float = 10.0) -> str:
    """The text of `path` once background launchers have written `lines` lines to it."""

    def text() -> str:
        return path.read_text() if path.exists() else ""

    await eventually(lambda: text().count("\n") >= lines, timeout, f"{path} was not written")
    return text()


def titles(app: ReaderApp) -> list[str]:
    """Titles in the article list, top to bottom."""
    return [a.title for a in app.screen.query_one(ArticleList).articles]


def detail_text(app: App[Any]) -> str:
    """The plain text the detail pane shows for the story."""
    return app.screen.query_one(DetailPane).text
