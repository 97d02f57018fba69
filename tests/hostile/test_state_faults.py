"""The state file when things go wrong around it: another program's lock, a
read-only folder, the file removed or replaced while the app runs, a special
file at its path. Nothing the app calls may wait, and no mark is lost silently."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from reader.model.state import STATE_FILE, StateStore, Timing
from tests.state_helpers import HANG, QUICK, on_disk, until

REPO = Path(__file__).resolve().parents[2]
LOCKED_NOTICE = "The state file is locked by another program; {} will be written when it is free."
FREED = "The state file is free again; your marks are saved."
T = TypeVar("T")


def a_state_file(path: Path, *links: str, journal: str = "wal") -> Path:
    """A state file holding `links` read, in the given journal mode."""
    with StateStore.open(path) as store:
        store.set_read_many(links)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.close()
    return path


def returns_quickly(call: Callable[[], T]) -> T:
    """`call()`, checked to return: a hang detector, not a timing test."""
    started = time.monotonic()
    result = call()
    assert time.monotonic() - started < HANG, "the call waited on the state file"
    return result


# --- another program holds the file's lock -----------------------------------------

_HOLD = """
import sqlite3, sys, time
from pathlib import Path
path, held, release = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
held.touch()
deadline = time.monotonic() + 120  # never outlive the test for long
while not release.exists() and time.monotonic() < deadline:
    time.sleep(0.01)
conn.execute("COMMIT")
"""


@contextmanager
def locked_by_another_process(path: Path) -> Iterator[Callable[[], None]]:
    """Another process holds `BEGIN EXCLUSIVE` on `path`; call the yielded function to end it."""
    held, release = path.with_name("held"), path.with_name("release")
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), str(held), str(release)])
    try:
        until(lambda: held.exists() or holder.poll() is not None, "the lock was never taken")
        assert holder.poll() is None, "the lock holder failed"

        def end() -> None:
            release.touch()
            assert holder.wait(timeout=60) == 0

        yield end
    finally:
        release.touch()
        holder.wait(timeout=60)


def test_a_lock_held_by_another_process_freezes_nothing(tmp_path: Path) -> None:
    # Rollback mode: BEGIN EXCLUSIVE keeps even readers out, so the marks
    # cannot be read until the lock ends (40 s of blank screen before).
    path = a_state_file(tmp_path / STATE_FILE, "https://old", journal="delete")
    with locked_by_another_process(path) as end:
        store = returns_quickly(lambda: StateStore.open(path, timing=QUICK))
        assert returns_quickly(store.read_links) == set()
        assert returns_quickly(lambda: store.get_setting("theme")) is None
        returns_quickly(lambda: store.set_read("https://new"))
        assert store.is_read("https://new")
        assert not store.ready
        until(lambda: store.warning is not None)
        assert store.warning == LOCKED_NOTICE.format("1 mark")
        assert store.pending() == 1
        end()
        assert store.wait_ready(HANG)
        until(lambda: store.pending() == 0)
    assert store.read_links() == {"https://old", "https://new"}
    assert store.refresh() is True  # the marks from the file arrived
    assert store.take_notices() == [LOCKED_NOTICE.format("1 mark"), FREED]
    assert store.warning is None
    assert store.close() is None
    assert on_disk(path)[0] == {"https://old", "https://new"}


def test_a_write_lock_in_wal_mode_holds_back_only_the_writes(tmp_path: Path) -> None:
    path = a_state_file(tmp_path / STATE_FILE, "https://old")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another instance in the middle of a write
    store = StateStore.open(path, timing=QUICK)
    assert store.wait_ready(HANG)  # readers do not wait for a writer
    assert store.read_links() == {"https://old"}
    for n in range(3):
        returns_quickly(lambda n=n: store.set_read(f"https://new/{n}"))  # type: ignore[misc]
    until(lambda: store.warning is not None)
    assert store.take_notices() == [LOCKED_NOTICE.format("3 marks")]
    assert on_disk(path)[0] == {"https://old"}
    other.execute("COMMIT")
    other.close()
    until(lambda: store.pending() == 0)
    assert store.take_notices() == [FREED]
    assert store.close() is None
    assert on_disk(path)[0] == {"https://old"} | {f"https://new/{n}" for n in range(3)}


def test_a_lock_shorter_than_the_notice_is_not_mentioned(tmp_path: Path) -> None:
    path = a_state_file(tmp_path / STATE_FILE)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store = StateStore.open(path, timing=Timing(poll=0.02, stuck=60))
    store.set_read("https://a")
    until(lambda: store._journal._busy)  # found locked...
    other.execute("COMMIT")
    other.close()
    until(lambda: store.pending() == 0)  # ...then written
    assert store.take_notices() == [] and store.warning is None
    assert store.close() is None


def test_quitting_while_locked_says_what_was_not_saved(tmp_path: Path) -> None:
    path = a_state_file(tmp_path / STATE_FILE, "https://old")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        store = StateStore.open(path, timing=QUICK)
        store.set_read("https://a")
        store.set_saved("https://b")
        until(lambda: store.warning is not None)
        message = returns_quickly(lambda: store.close(timeout=0.2))
        assert message == "2 marks were not saved: the state file is locked by another program."
    finally:
        other.execute("COMMIT")
        other.close()
    assert on_disk(path)[0] == {"https://old"}


def test_a_lock_that_ends_while_quitting_lets_the_marks_through(tmp_path: Path) -> None:
    path = a_state_file(tmp_path / STATE_FILE)
    with locked_by_another_process(path) as end:
        store = StateStore.open(path, timing=QUICK)
        store.set_read("https://a")
        until(lambda: store.warning is not None)
        end()
        assert store.close(timeout=HANG) is None
    assert on_disk(path)[0] == {"https://a"}


# --- a read-only state folder --------------------------------------------------------


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` made read-only for real: by its mode, or for root (which ignores
    modes) by the immutable attribute; skipped where neither is possible."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        undo = ["chmod", "755", str(folder)]
    elif shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)]).returncode == 0:
        undo = ["chattr", "-i", str(folder)]
    else:
        pytest.skip("cannot make a folder read-only here")
    try:
        try:
            (folder / "probe").touch()
        except OSError:
            pass
        else:
            (folder / "probe").unlink()
            pytest.skip("the folder is still writable")
        yield
    finally:
        subprocess.run(undo, check=True)


def test_a_read_only_folder_shows_the_marks_and_keeps_new_ones_until_quit(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    path = a_state_file(folder / STATE_FILE, "https://old")
    before = path.read_bytes()
    with read_only(folder):
        store = StateStore.open(path, timing=QUICK)
        assert store.wait_ready(HANG)
        assert store.read_links() == {"https://old"}  # hidden before: the -wal could not be made
        notice = (
            f"The state folder {folder} is read-only: "
            "your marks are shown, new ones last until you quit."
        )
        assert store.warning == notice
        assert store.take_notices() == [notice]
        assert store.path is None
        returns_quickly(lambda: store.set_read("https://new"))
        assert store.read_links() == {"https://old", "https://new"}
        assert store.close() == "1 mark was not saved: the state file is read-only."
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [STATE_FILE]


def test_a_read_only_folder_without_a_state_file(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    with read_only(folder):
        store = StateStore.open(folder / STATE_FILE)
        assert store.wait_ready(HANG)
        assert store.warning is not None
        assert store.warning.startswith(f"Cannot make the state file in {folder}")
        assert "until you quit" in store.warning
        store.set_read("https://a")
        assert store.is_read("https://a")
        assert store.close() is not None
    assert list(folder.iterdir()) == []


# --- the file removed or replaced while the app runs ------------------------------------


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _replace_by_a_folder(path: Path) -> None:
    _remove(path)
    path.mkdir()


@pytest.mark.parametrize(
    ("change", "what"),
    [(_remove, "was removed"), (_replace_by_a_folder, "was replaced by a folder")],
    ids=["removed", "folder"],
)
def test_the_file_going_away_is_told_once_and_marks_stay(
    tmp_path: Path, change: Callable[[Path], None], what: str
) -> None:
    path = a_state_file(tmp_path / STATE_FILE, "https://old")
    # Found by the next write, not a poll; each mark waits (`settle`) for its write.
    store = StateStore.open(path, timing=Timing(poll=60), settle=HANG)
    assert store.wait_ready(HANG)
    store.set_read("https://before")
    assert store.pending() == 0
    change(path)
    store.set_read("https://after")
    store.set_read("https://later")
    warning = (
        f"The state file {path} {what} while reader was running; marks are kept until you quit."
    )
    assert store.warning == warning
    assert store.take_notices() == [warning]  # once, not once a mark
    assert store.read_links() == {"https://old", "https://before", "https://after", "https://later"}
    assert store.path is None
    assert store.close() == f"2 marks were not saved: the state file {what}."


def test_the_file_going_away_is_noticed_without_a_mark(tmp_path: Path) -> None:
    path = a_state_file(tmp_path / STATE_FILE, "https://old")
    store = StateStore.open(path, timing=QUICK)
    assert store.wait_ready(HANG)
    _remove(path)
    until(lambda: store.warning is not None)
    assert "was removed" in store.warning
    assert store.read_links() == {"https://old"}
    assert store.close() is None  # nothing made, nothing lost


def test_a_file_replaced_by_another_is_not_written_to_blindly(tmp_path: Path) -> None:
    path = a_state_file(tmp_path / STATE_FILE, "https://old")
    store = StateStore.open(path, timing=Timing(poll=60), settle=HANG)
    assert store.wait_ready(HANG)
    _remove(path)
    a_state_file(path, "https://restored")  # e.g. a backup put back
    store.set_read("https://new")
    assert store.warning is not None and "was replaced by another file" in store.warning
    assert on_disk(path)[0] == {"https://restored"}  # not mixed into the other file
    store.close()


# --- something that is not a file at the state path ------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_folder_at_the_state_path_is_not_used(tmp_path: Path, kind: str) -> None:
    path = tmp_path / STATE_FILE
    if kind == "fifo":
        os.mkfifo(path)  # SQLite would block reading it forever
    else:
        path.mkdir()
    store = StateStore.open(path)
    assert store.wait_ready(HANG)
    assert store.warning is not None
    assert store.warning.startswith(f"The state file {path} is not a regular file")
    assert "until you quit" in store.warning
    store.set_read("https://a")
    assert store.is_read("https://a")
    assert store.close() == "1 mark was not saved: the state file could not be used."
    assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE]  # left as it was


def test_a_link_to_a_device_at_the_state_path(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    path.symlink_to("/dev/zero")
    store = StateStore.open(path)
    assert store.wait_ready(HANG)
    assert store.warning is not None and "not a regular file" in store.warning
    store.close()
    assert path.is_symlink()  # left alone
