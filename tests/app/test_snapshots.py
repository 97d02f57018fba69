"""Snapshot tests of the real screens on the bundled sample stories.

Run `pytest --snapshot-update` after an intended visual change, and look at
the report before committing the new SVGs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.app import ReaderApp
from reader.model import timefmt

from .helpers import wait_loaded

REPO = Path(__file__).resolve().parents[2]


#: The sample stories run to late 2024; ages are drawn from 2025-01-01T00:00:00Z.
SNAPSHOT_NOW = 1735689600.0


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The status line shows the folder as given; a relative path keeps it the same anywhere.
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(timefmt, "current_time", lambda: SNAPSHOT_NOW)
    yield


async def _loaded(pilot: Pilot[Any]) -> None:
    await wait_loaded(pilot)


async def _loaded_then_help(pilot: Pilot[Any]) -> None:
    await wait_loaded(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


def test_main_screen_80x24(snap_compare: Any) -> None:
    assert snap_compare(ReaderApp("sample_content"), terminal_size=(80, 24), run_before=_loaded)


def test_main_screen_120x40(snap_compare: Any) -> None:
    app = ReaderApp("sample_content")
    assert snap_compare(app, terminal_size=(120, 40), run_before=_loaded, press=["j", "enter"])


def test_help_screen(snap_compare: Any) -> None:
    app = ReaderApp("sample_content")
    assert snap_compare(app, terminal_size=(100, 40), run_before=_loaded_then_help)
