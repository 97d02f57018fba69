"""Read marks, saved stories and settings in SQLite, and what happens when it breaks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.model import state
from reader.model.state import STATE_FILE, StateStore, state_dir

REPO = Path(__file__).resolve().parent.parent

ODD_LINKS = [
    "https://example.com/a?b=1&c=2#frag",
    "https://example.com/ünïcödé/記事",
    "https://example.com/quote'\"; DROP TABLE read; --",
    "https://example.com/%20space encoded and not",
    "https://example.com/emoji/🙂",
    "x" * 5000,
]


def test_the_state_folder_comes_from_the_environment(tmp_path: Path) -> None:
    assert state_dir() == Path(os.environ["READER_STATE_DIR"])
    with StateStore.open() as store:
        assert store.path == state_dir() / STATE_FILE
        assert store.warning is None
    assert (state_dir() / STATE_FILE).is_file()


def test_marks_and_settings_persist_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / STATE_FILE
    with StateStore.open(path) as store:
        assert store.read_links() == set()
        assert store.get_setting("theme") is None
        assert store.get_setting("theme", "dark") == "dark"
        store.set_read("https://a")
        store.set_read("https://b")
        store.set_read("https://b", False)
        assert store.toggle_saved("https://s") is True
        assert store.toggle_saved("https://t") is True
        assert store.toggle_saved("https://t") is False
        store.set_setting("theme", "light")
        store.set_setting("theme", "nord")
        assert store.read_links() == {"https://a"}
        assert store.saved_links() == {"https://s"}
    with StateStore.open(path) as again:
        assert again.warning is None
        assert again.read_links() == {"https://a"}
        assert again.saved_links() == {"https://s"}
        assert again.is_read("https://a") and not again.is_read("https://b")
        assert again.is_saved("https://s") and not again.is_saved("https://t")
        assert again.get_setting("theme") == "nord"


def test_toggle_read_and_links_without_a_story_link(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / STATE_FILE) as store:
        assert store.toggle_read("https://a") is True
        assert store.toggle_read("https://a") is False
        store.set_read("")
        store.set_saved("")
        assert store.read_links() == set()
        assert store.saved_links() == set()


def test_odd_links_round_trip(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with StateStore.open(path) as store:
        for link in ODD_LINKS:
            store.set_read(link)
            store.set_saved(link)
    with StateStore.open(path) as again:
        assert again.read_links() == set(ODD_LINKS)
        assert again.saved_links() == set(ODD_LINKS)
        again.set_read(ODD_LINKS[2], False)
        assert ODD_LINKS[2] not in again.read_links()
        assert len(again.read_links()) == len(ODD_LINKS) - 1


def test_snapshots_do_not_change_under_the_caller(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / STATE_FILE) as store:
        store.set_read("https://a")
        before = store.read_links()
        assert store.read_links() is before  # unchanged: no copy
        store.set_read("https://b")
        assert before == {"https://a"}
        assert store.read_links() == {"https://a", "https://b"}


def test_many_marks_are_written_in_one_go(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    links = [f"https://many/{i}" for i in range(5000)]
    with StateStore.open(path) as store, StateStore.open(path) as other:
        store.set_read_many([*links, ""])  # an empty key is ignored
        assert store.read_links() == set(links)
        assert other.refresh() and other.read_links() == set(links)
        store.set_read_many(links[:10], read=False)
        assert store.read_links() == set(links[10:])
    with StateStore.open(path) as again:
        assert again.read_links() == set(links[10:])
        assert again.warning is None


def test_two_instances_see_each_other_after_refresh(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with StateStore.open(path) as one, StateStore.open(path) as two:
        assert two.refresh() is False
        one.set_read("https://a")
        one.set_setting("theme", "dark")
        two.set_saved("https://b")
        assert two.refresh() is True
        assert two.read_links() == {"https://a"}
        assert two.get_setting("theme") == "dark"
        assert two.refresh() is False
        assert one.refresh() is True
        assert one.saved_links() == {"https://b"}
        # Both saving the same story leaves it saved, whatever each thought before.
        assert one.toggle_saved("https://c") is True
        assert two.toggle_saved("https://c") is True
        assert one.refresh() and one.is_saved("https://c")


_WRITER = """
import sys, time
from pathlib import Path
from reader.model.state import StateStore
path, name, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
store = StateStore.open(path)
assert store.warning is None, store.warning
(go.parent / f"ready-{name}").touch()
while not go.exists():
    time.sleep(0.005)
for i in range(200):
    store.set_read(f"https://{name}/{i}")
    if i % 10 == 0:
        store.toggle_saved(f"https://{name}/{i}")
store.close()
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), name, str(go)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    while not all((tmp_path / f"ready-{n}").exists() for n in ("one", "two")):
        for proc in procs:
            if proc.poll() is not None:
                pytest.fail(f"a writer stopped early: {proc.communicate()[1]}")
        time.sleep(0.005)
    go.touch()  # both are open: start writing together
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    with StateStore.open(path) as store:
        expected = {f"https://{n}/{i}" for n in ("one", "two") for i in range(200)}
        assert store.read_links() == expected
        assert len(store.saved_links()) == 40


_OPENER = """
import sys
from pathlib import Path
from reader.model.state import StateStore
path, go = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    pass
print(StateStore.open(path).warning or "ok")
"""


def test_readers_starting_at_once_on_a_new_file_all_get_it(tmp_path: Path) -> None:
    # Both switch the new file to WAL mode at the same moment; SQLite tells
    # the loser "database is locked" without waiting. Repeat to meet the race.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for attempt in range(5):
        folder = tmp_path / str(attempt)
        folder.mkdir()
        go = folder / "go"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _OPENER, str(folder / STATE_FILE), str(go)],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        time.sleep(0.3)  # let them import and spin
        go.touch()
        answers = [proc.communicate(timeout=60)[0].strip() for proc in procs]
        assert answers == ["ok"] * 3


def test_open_waits_while_the_file_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open, calls = state._open_file, []

    def locked_twice(path: Path) -> sqlite3.Connection:
        calls.append(path)
        if len(calls) <= 2:
            raise sqlite3.OperationalError("database is locked")
        return real_open(path)

    monkeypatch.setattr(state, "_open_file", locked_twice)
    with StateStore.open(tmp_path / STATE_FILE) as store:
        assert store.warning is None
        assert store.path == tmp_path / STATE_FILE
    assert len(calls) == 3


def test_a_lock_held_too_long_gives_state_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_locked(path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(state, "_open_file", always_locked)
    monkeypatch.setattr(state, "BUSY_TIMEOUT_S", 0.05)
    with StateStore.open(tmp_path / STATE_FILE) as store:
        assert store.path is None
        assert store.warning is not None and "locked" in store.warning
        store.set_read("https://a")
        assert store.is_read("https://a")


def test_threads_can_share_one_store(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / STATE_FILE) as store:

        def work(n: int) -> None:
            for i in range(50):
                store.set_read(f"https://{n}/{i}")

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(store.read_links()) == 200
        assert store.warning is None


@pytest.mark.parametrize(
    "garbage",
    [b"this is not sqlite at all" * 100, os.urandom(8192), b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_a_corrupt_file_is_moved_aside(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / STATE_FILE
    path.write_bytes(garbage)
    with StateStore.open(path) as store:
        assert store.path == path
        assert store.warning is not None
        moved = [p for p in tmp_path.iterdir() if p.name.startswith(f"{STATE_FILE}.corrupt-")]
        main = [p for p in moved if not p.name.endswith(("-wal", "-shm"))]
        assert len(main) == 1
        assert main[0].read_bytes() == garbage  # kept as it was, for a look later
        assert str(main[0]) in store.warning
        store.set_read("https://a")
    with StateStore.open(path) as again:
        assert again.warning is None
        assert again.read_links() == {"https://a"}


def test_a_second_corrupt_file_does_not_overwrite_the_first(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    for content in (b"first garbage" * 50, b"second garbage" * 50):
        path.write_bytes(content)
        StateStore.open(path).close()
    moved = sorted(
        p.read_bytes()[:6]
        for p in tmp_path.iterdir()
        if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))
    )
    assert moved == [b"first ", b"second"]


def test_a_state_folder_that_cannot_exist_gives_memory_state(tmp_path: Path) -> None:
    # Tests run as root, which ignores permission bits, so this uses a path
    # whose parent is a regular file: creating the folder really fails.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    path = blocker / "state" / STATE_FILE
    with StateStore.open(path) as store:
        assert store.path is None
        assert store.warning is not None
        assert str(blocker / "state") in store.warning
        assert "until you quit" in store.warning
        store.set_read("https://a")
        assert store.toggle_saved("https://b") is True
        store.set_setting("theme", "dark")
        assert store.read_links() == {"https://a"}
        assert store.get_setting("theme") == "dark"
        assert store.refresh() is False
    assert blocker.read_text() == "a file"


def test_an_unwritable_file_gives_memory_state_with_its_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated: root can write any file, so the file is opened the way SQLite
    # opens a file it may not write (mode=ro); SQLite then refuses writes with
    # the same error a read-only file or folder gives.
    path = tmp_path / STATE_FILE
    with StateStore.open(path) as store:
        store.set_read("https://old")
        store.set_setting("theme", "dark")
    real = state._connect

    def read_only(target: str) -> sqlite3.Connection:
        if target == ":memory:":
            return real(target)
        uri = f"{Path(target).resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)

    monkeypatch.setattr(state, "_connect", read_only)
    with StateStore.open(path) as store:
        assert store.path is None
        assert store.warning is not None and "readonly" in store.warning
        assert store.read_links() == {"https://old"}  # what was there is still shown
        assert store.get_setting("theme") == "dark"
        store.set_read("https://new")
        assert store.read_links() == {"https://old", "https://new"}
    monkeypatch.undo()
    with StateStore.open(path) as store:
        assert store.read_links() == {"https://old"}  # the file was not touched


def test_a_failed_write_is_kept_in_memory_and_explained(tmp_path: Path) -> None:
    store = StateStore.open(tmp_path / STATE_FILE)
    store._conn.close()  # as if the file had gone away under us
    store.set_read("https://a")
    store.set_setting("theme", "dark")
    assert store.read_links() == {"https://a"}
    assert store.get_setting("theme") == "dark"
    assert store.warning is not None and "until you quit" in store.warning
    assert store.refresh() is False
    store.close()
