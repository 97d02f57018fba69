"""Driving the app in tests.

Waits are for a condition (the folder indexed, a file written), with a long
timeout that only catches a hang: never a guess at how long something takes,
so a busy machine makes a test slower, not red.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from reader.app import ReaderApp
from reader.browse.model import BrowseModel
from reader.screens.main import MainScreen
from reader.widgets.detail import DetailPane

#: Seconds after which a wait is taken for a hang.
HANG = 60.0


def alive(app: App[Any]) -> None:
    """Fail with the app's own error if it died, else check it still runs."""
    error = getattr(app, "_exception", None)
    if error is not None:
        raise error
    assert app.is_running


async def eventually(
    check: Callable[[], bool], timeout: float = HANG, what: str = "the condition never held"
) -> None:
    """Wait until `check()` holds (e.g. after a worker thread's work); fail after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.02)


def main_screen(app: App[Any]) -> MainScreen | None:
    """The app's main screen, under any dialog."""
    return next((s for s in app.screen_stack if isinstance(s, MainScreen)), None)


async def wait_loaded(pilot: Pilot[Any], timeout: float = HANG) -> MainScreen:
    """Wait until the main screen has indexed every file; fail at once if the app died."""
    app = pilot.app
    assert isinstance(app, ReaderApp)

    def loaded() -> bool:
        alive(app)
        main = main_screen(app)
        return main is not None and main.model.loaded.finished

    await eventually(loaded, timeout, "the folder did not finish loading")
    await pilot.pause()
    main = main_screen(app)
    assert main is not None
    return main


async def written(path: Path, lines: int = 1, timeout: float = HANG) -> str:
    """The text of `path` once background launchers have written `lines` lines to it."""

    def text() -> str:
        return path.read_text() if path.exists() else ""

    await eventually(lambda: text().count("\n") >= lines, timeout, f"{path} was not written")
    return text()


def model(app: ReaderApp) -> BrowseModel:
    """The browsing model behind the screen."""
    return app.model


def titles(app: ReaderApp) -> list[str]:
    """Titles in the article list, top to bottom."""
    return [a.title for a in app.model.listing.stories]


def current_title(app: ReaderApp) -> str | None:
    """The title of the story under the list's cursor."""
    article = app.model.listing.current
    return article.title if article else None


def detail_text(app: App[Any]) -> str:
    """The plain text the detail pane shows for the story."""
    return app.screen.query_one(DetailPane).text


def notices(app: App[Any]) -> list[str]:
    """Every notification still on screen."""
    return [n.message for n in app._notifications]
