"""What the state store's tests share: short intervals, a wait, and the file read plainly."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from reader.model.state import Timing

#: Short intervals, so tests of polling, locks and retries take milliseconds.
QUICK = Timing(poll=0.02, stuck=0.1, first_pause=0.005, longest_pause=0.02)
#: Long enough to detect a hang, far longer than anything here takes.
HANG = 10.0


def until(check: Callable[[], bool], what: str = "the condition never held") -> None:
    """Wait for `check()` (the store's thread at work); fail after `HANG` seconds."""
    deadline = time.monotonic() + HANG
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(what)
        time.sleep(0.005)


def on_disk(path: Path) -> tuple[set[str], set[str], dict[str, str]]:
    """What the file holds (read, saved, settings), read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        read = {r[0] for r in conn.execute("SELECT link FROM read")}
        saved = {r[0] for r in conn.execute("SELECT link FROM saved")}
        settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    finally:
        conn.close()
    return read, saved, settings
