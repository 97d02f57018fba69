"""Shared fixtures: every test gets its own cache and state folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_content"


@pytest.fixture(autouse=True)
def _private_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Keep tests away from the user's real cache and state."""
    base = tmp_path_factory.mktemp("dirs")
    monkeypatch.setenv("READER_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("READER_STATE_DIR", str(base / "state"))
    yield


@pytest.fixture
def sample() -> Path:
    """The bundled sample folder."""
    return SAMPLE
