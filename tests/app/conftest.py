"""Fixtures for app tests: a fixed clock and time zone, story folders, a fake browser."""

from __future__ import annotations

import os
import time
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.model import timefmt

from .stories import build_news

#: Tests see the world as it was at 2021-06-10T00:00:00Z.
FIXED_NOW = 1623283200.0


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(timefmt, "current_time", lambda: FIXED_NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A small story folder (see `stories.build_news`)."""
    return build_news(tmp_path / "news")


@pytest.fixture
def browser_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point $BROWSER at a script that appends each URL it is given to a file."""
    log = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    # webbrowser reads $BROWSER once; make it read it again.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    monkeypatch.setattr(webbrowser, "_os_preferred_browser", None, raising=False)
    os.environ.pop("DISPLAY", None)
    return log
