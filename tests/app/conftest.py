"""Fixtures for app tests: a fixed clock and time zone, story folders."""

from __future__ import annotations

import time
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
