"""Read marks, saved stories and settings in SQLite: what the store promises.

Faults (locks, read-only folders, files vanishing) are in tests/hostile/test_state_faults.py.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.model.state import STATE_FILE, StateStore, state_dir
from reader.model.stateopen import Opened, open_state_file
from tests.state_helpers import HANG, QUICK, on_disk, until

REPO = Path(__file__).resolve().parent.parent
ODD_LINKS = [
    "https://example.com/a?b=1&c=2#frag",
    "https://example.com/ünïcödé/記事",
    "https://example.com/quote'\"; DROP TABLE read; --",
    "https://example.com/%20space encoded and not",
    "https://example.com/emoji/🙂",
    "x" * 5000,
]


class Gate:
    """An opener that waits for `open()` before really opening: "the file is slow"."""

    def __init__(self) -> None:
        self.go = threading.Event()

    def __call__(self, path: Path, tell: Callable[[str], None]) -> Opened:
        assert self.go.wait(HANG), "the gate was never opened"
        return open_state_file(path, tell)


def test_the_state_folder_comes_from_the_environment() -> None:
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
    assert on_disk(path) == ({"https://a"}, {"https://s"}, {"theme": "nord"})
    with StateStore.open(path) as again:
        assert again.warning is None
        assert again.read_links() == {"https://a"}
        assert again.is_read("https://a") and not again.is_read("https://b")
        assert again.is_saved("https://s") and not again.is_saved("https://t")
        assert again.get_setting("theme") == "nord"


def test_toggle_read_and_empty_keys(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / STATE_FILE) as store:
        store.set_read("")
        store.set_saved("")
        store.set_read_many(["", ""])
        assert store.toggle_saved("") is False and store.toggle_read("") is False
        assert store.pending() == 0  # nothing owed: an empty key is no change
        assert store.toggle_read("https://a") is True
        assert store.toggle_read("https://a") is False
        assert store.read_links() == set() and store.saved_links() == set()


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
        assert len(again.read_links()) == len(ODD_LINKS) - 1
    assert on_disk(path)[0] == set(ODD_LINKS) - {ODD_LINKS[2]}


def test_snapshots_and_the_version(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / STATE_FILE) as store:
        version = store.version
        store.set_read("https://a")
        before = store.read_links()
        assert store.read_links() is before  # unchanged: no copy
        assert store.version == version + 1
        store.set_read("https://a")  # already read: nothing changes
        store.set_setting("theme", "dark")  # not a mark
        assert store.read_links() is before and store.version == version + 1
        store.set_read("https://b")
        assert before == {"https://a"}
        assert store.read_links() == {"https://a", "https://b"}
        assert store.version == version + 2
        assert store.refresh() is False  # all of it this instance's own doing


def test_many_marks_are_written_in_one_go(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    links = [f"https://many/{i}" for i in range(5000)]
    with StateStore.open(path, timing=QUICK) as store, StateStore.open(path, timing=QUICK) as other:
        watcher = sqlite3.connect(path)  # its data_version counts the others' commits
        versions = [watcher.execute("PRAGMA data_version").fetchone()[0]]
        store.set_read_many([*links, ""])  # an empty key is ignored
        assert store.read_links() == set(links)
        until(lambda: store.pending() == 0)
        versions.append(watcher.execute("PRAGMA data_version").fetchone()[0])
        watcher.close()
        until(other.refresh)
        assert other.read_links() == set(links)
        store.set_read_many(links[:10], read=False)
        assert store.read_links() == set(links[10:])
    assert versions[1] - versions[0] == 1  # one commit for the 5000 marks
    assert on_disk(path)[0] == set(links[10:])


def test_two_instances_see_each_other(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with StateStore.open(path, timing=QUICK) as one, StateStore.open(path, timing=QUICK) as two:
        assert two.refresh() is False
        version = two.version
        one.set_read("https://a")
        one.set_setting("theme", "dark")
        two.set_saved("https://b")
        until(lambda: two.is_read("https://a") and two.get_setting("theme") == "dark")
        assert two.refresh() is True
        assert two.version > version
        assert two.refresh() is False
        until(lambda: one.is_saved("https://b"))
        assert one.refresh() is True
        # Both saving the same story leaves it saved, whatever each thought before.
        assert one.toggle_saved("https://c") is True
        assert two.toggle_saved("https://c") is True
        time.sleep(5 * QUICK.poll)
        assert one.is_saved("https://c") and two.is_saved("https://c")
    assert on_disk(path)[1] == {"https://b", "https://c"}


def test_changes_before_the_file_is_read_win_over_it(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with StateStore.open(path) as first:
        first.set_read_many(["https://old", "https://unread-me"])
        first.set_saved("https://unsave-me")
        first.set_setting("theme", "nord")
    gate = Gate()
    store = StateStore(path, opener=gate)
    assert not store.ready
    assert store.read_links() == set()  # nothing read yet: this session's marks only
    assert store.get_setting("theme", "default") == "default"  # waited `settle` at most
    store.set_read("https://unread-me", False)
    store.set_read("https://new")
    store.set_saved("https://unsave-me", False)
    assert store.read_links() == {"https://new"}
    assert store.refresh() is False
    assert store.pending() == 3
    gate.go.set()
    assert store.wait_ready(HANG)
    assert store.read_links() == {"https://old", "https://new"}
    assert store.saved_links() == set()
    assert store.get_setting("theme") == "nord"
    assert store.refresh() is True  # the load brought marks in
    assert store.close() is None
    assert on_disk(path) == ({"https://old", "https://new"}, set(), {"theme": "nord"})


def test_calls_do_not_wait_for_a_slow_file(tmp_path: Path) -> None:
    gate = Gate()
    store = StateStore(tmp_path / STATE_FILE, opener=gate, settle=0)
    assert store.wait_ready(0.05) is False
    started = time.monotonic()
    store.set_read("https://a")
    assert store.toggle_saved("https://b") is True
    assert store.get_setting("theme") is None
    assert store.is_read("https://a") and store.pending() == 2
    assert time.monotonic() - started < HANG  # returned: nothing waited for the gate
    gate.go.set()
    until(lambda: store.pending() == 0)
    assert store.close() is None


def test_a_slow_file_costs_one_wait_not_one_per_key(tmp_path: Path) -> None:
    gate = Gate()  # the file does not answer (a hung disk)
    store = StateStore(tmp_path / STATE_FILE, opener=gate, settle=1.0)
    started = time.monotonic()
    for n in range(20):
        store.set_read(f"https://{n}")  # the first waits `settle`; the rest see it is slow
    assert time.monotonic() - started < HANG  # 20 s if each waited
    gate.go.set()
    until(lambda: store.pending() == 0)
    store.set_read("https://caught-up")  # caught up: waits for its write again
    assert store.pending() == 0
    assert store.close() is None


def test_close_says_what_could_not_be_written(tmp_path: Path) -> None:
    gate = Gate()  # never opened: the file does not answer
    store = StateStore(tmp_path / STATE_FILE, opener=gate, settle=0)
    store.set_read_many(["https://a", "https://b"])
    store.set_setting("theme", "dark")
    message = "2 marks and 1 setting were not saved: the state file did not answer in time."
    assert store.close(timeout=0.05) == message
    assert store.close() == message  # twice: the same answer
    gate.go.set()


def test_entering_a_with_block_waits_for_the_file(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with StateStore.open(path) as first:
        first.set_read("https://a")
    with StateStore.open(path) as store:  # the command line reads at once
        assert store.ready and store.read_links() == {"https://a"}


_WRITER = """
import sys, time
from pathlib import Path
from reader.model.state import StateStore
path, name, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
store = StateStore.open(path)
assert store.wait_ready(30) and store.warning is None, store.warning
(go.parent / f"ready-{name}").touch()
while not go.exists():
    time.sleep(0.005)
for i in range(200):
    store.set_read(f"https://{name}/{i}")
    if i % 10 == 0:
        store.toggle_saved(f"https://{name}/{i}")
message = store.close(timeout=30)
assert message is None, message
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
    read, saved, _ = on_disk(path)
    assert read == {f"https://{n}/{i}" for n in ("one", "two") for i in range(200)}
    assert len(saved) == 40


_OPENER = """
import sys
from pathlib import Path
from reader.model.state import StateStore
path, go, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
while not go.exists():
    pass
store = StateStore.open(path)
store.set_read(name)
ready = store.wait_ready(30)
message = store.close(timeout=30)
print(store.warning or message or ("ok" if ready else "not ready"))
"""


def test_readers_starting_at_once_on_a_new_file_all_get_it(tmp_path: Path) -> None:
    # All switch the new file to WAL mode at the same moment; SQLite tells
    # the losers "database is locked" without waiting. Repeat to meet the race.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for attempt in range(5):
        folder = tmp_path / str(attempt)
        folder.mkdir()
        go = folder / "go"
        names = [f"https://{attempt}/{n}" for n in range(3)]
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _OPENER, str(folder / STATE_FILE), str(go), name],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for name in names
        ]
        time.sleep(0.3)  # let them import and spin
        go.touch()
        answers = [proc.communicate(timeout=60)[0].strip() for proc in procs]
        assert answers == ["ok"] * 3
        assert on_disk(folder / STATE_FILE)[0] == set(names)


def test_threads_can_share_one_store(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    with StateStore.open(path) as store:

        def work(n: int) -> None:
            for i in range(50):
                store.set_read(f"https://{n}/{i}")
                store.toggle_saved(f"https://{n}/{i}")

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(store.read_links()) == len(store.saved_links()) == 200
        assert store.warning is None
    read, saved, _ = on_disk(path)
    assert len(read) == len(saved) == 200


@pytest.mark.parametrize(
    "garbage",
    [b"this is not sqlite at all" * 100, os.urandom(8192), b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_a_corrupt_file_is_moved_aside(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / STATE_FILE
    path.write_bytes(garbage)
    with StateStore.open(path) as store:
        assert store.path == path
        moved = [p for p in tmp_path.iterdir() if p.name.startswith(f"{STATE_FILE}.corrupt-")]
        main = [p for p in moved if not p.name.endswith(("-wal", "-shm"))]
        assert len(main) == 1
        assert main[0].read_bytes() == garbage  # kept as it was, for a look later
        assert store.warning is not None and str(main[0]) in store.warning
        assert store.take_notices() == [store.warning]
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
        assert store.ready and store.path is None
        assert store.warning is not None
        assert str(blocker / "state") in store.warning
        assert "until you quit" in store.warning
        store.set_read("https://a")
        assert store.toggle_saved("https://b") is True
        store.set_setting("theme", "dark")
        assert store.read_links() == {"https://a"}
        assert store.get_setting("theme") == "dark"
        assert store.refresh() is False
        assert store.close() == (
            "2 marks and 1 setting were not saved: the state file could not be used."
        )
    assert blocker.read_text() == "a file"


def test_a_failed_write_is_kept_in_memory_and_explained(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE

    class FullDisk:
        """A connection whose writes fail as on a full disk."""

        def __init__(self, real: sqlite3.Connection) -> None:
            self.real = real

        def execute(self, sql: str, *args: object) -> object:
            if sql.startswith(("INSERT", "DELETE")):
                raise sqlite3.OperationalError("database or disk is full")
            return self.real.execute(sql, *args)

        def close(self) -> None:
            self.real.close()

    def full_disk(path: Path, tell: Callable[[str], None]) -> Opened:
        opened = open_state_file(path, tell)
        opened.file.conn = FullDisk(opened.file.conn)  # type: ignore[assignment]
        return opened

    store = StateStore(path, opener=full_disk, settle=HANG)
    store.set_read("https://a")  # waits (`settle`) until the write failed
    store.set_setting("theme", "dark")
    assert store.read_links() == {"https://a"}
    assert store.get_setting("theme") == "dark"
    warning = (
        "Could not save to the state file (database or disk is full); changes last until you quit."
    )
    assert store.warning == warning
    assert store.take_notices() == [warning]
    assert store.path is None
    assert store.close() == (
        "1 mark and 1 setting were not saved: "
        "could not write to the state file (database or disk is full)."
    )
    assert on_disk(path) == (set(), set(), {})
