"""The app while another program holds the state file's lock: the first screen,
keys and quitting may not wait for it (before: a 40 s lock gave a blank screen
for 40 s with q ignored, and 10 s frozen on each m)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from reader.app import ReaderApp
from reader.model.state import STATE_FILE, StateStore, state_dir
from tests.app.helpers import wait_loaded
from tests.state_helpers import HANG, on_disk

STORY = "---\ntitle: {0}\nwebUrl: https://news.example/{0}\nheat: {1}\n---\n"


async def test_the_app_starts_and_marks_while_the_state_file_is_locked(tmp_path: Path) -> None:
    for name, heat in (("first", 20), ("second", 10)):
        (tmp_path / f"{name}.md").write_text(STORY.format(name, heat))
    path = state_dir() / STATE_FILE
    with StateStore.open(path) as store:
        store.set_read("https://news.example/earlier")
    lock = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    lock.execute("PRAGMA journal_mode = DELETE")  # rollback mode: the lock keeps readers out
    lock.execute("BEGIN EXCLUSIVE")
    guard = threading.Lock()

    def end_lock() -> None:
        with guard:
            if lock.in_transaction:
                lock.execute("COMMIT")

    # Should the app wait for the lock after all, it ends in the end: the test fails, not hangs.
    safety = threading.Timer(2 * HANG, end_lock)
    safety.start()
    started = time.monotonic()
    app = ReaderApp(str(tmp_path))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_loaded(pilot, timeout=HANG)  # the stories are shown...
            assert time.monotonic() - started < HANG  # ...without waiting for the lock
            assert not app.state.ready
            pressed = time.monotonic()
            await pilot.press("m")  # marks the first story read
            assert time.monotonic() - pressed < HANG
            assert app.state.pending() == 1
            end_lock()  # the lock ends while the app runs
            assert app.state.wait_ready(HANG)
            assert app.state.read_links() >= {"https://news.example/earlier"}
    finally:
        safety.cancel()
        end_lock()
        lock.close()
    read = on_disk(path)[0]
    assert read == {"https://news.example/earlier", "https://news.example/first"}
