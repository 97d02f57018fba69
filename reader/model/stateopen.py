"""Opening the state file for the store's thread, and recovering a damaged one.

The file is read and written (made if missing, switched to WAL mode, its
tables made). A damaged file is moved aside and a new one started. While
another program holds a lock, `Busy` is raised: the caller tries again later.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .statefile import (
    Busy,
    Marks,
    StateFile,
    Unusable,
    connect,
    create_schema,
    has_schema,
    identity,
    is_busy,
    is_corrupt,
    load,
)


@dataclass(slots=True)
class Opened:
    """A state file just opened: the file, what it holds, and its `data_version`."""

    file: StateFile
    marks: Marks
    version: int


def open_state_file(path: Path, tell: Callable[[str], None]) -> Opened:
    """Open the state file at `path`, making it if need be.

    A damaged file is moved aside to `<name>.corrupt-<time>` and a new one
    started (`tell` is given the news at once, as a later step may be busy);
    a file that cannot be written is `Unusable`. Raises `Busy` while
    another program holds a lock, `Unusable` when the file cannot be used.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise Unusable(f"Cannot use the state folder {path.parent} ({_why(err)})") from None
    try:
        return _open_writable(path)
    except _Damaged as damaged:
        return _start_afresh(path, damaged, tell)
    except sqlite3.DatabaseError as err:
        raise Unusable(f"Cannot write the state file {path} ({err})") from None


class _Damaged(Exception):
    """The file at `path` is not a database or is corrupt."""

    def __init__(self, err: sqlite3.DatabaseError, identity: tuple[int, int] | None):
        super().__init__(str(err))
        self.identity = identity


def _open_writable(path: Path) -> Opened:
    conn = connect(path, "mode=rwc")
    found = identity(path)
    try:
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        conn.execute("PRAGMA journal_mode = WAL")  # readers then never wait for a writer
        # NORMAL is durable across app crashes in WAL mode and avoids an fsync per mark.
        conn.execute("PRAGMA synchronous = NORMAL")
        if not has_schema(conn):
            create_schema(conn)
        else:
            _check_writable(conn)
        marks = load(conn)
        return Opened(StateFile(conn, path), marks, version)
    except sqlite3.DatabaseError as err:
        conn.close()
        if is_busy(err):
            raise Busy(str(err)) from None
        if is_corrupt(err):
            raise _Damaged(err, found) from None
        raise
    except BaseException:
        conn.close()
        raise


def _check_writable(conn: sqlite3.Connection) -> None:
    """Raise when the file cannot be written (so that is known before the first mark)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as err:
        if not is_busy(err):
            raise
        # Another instance is writing: writable, as far as anyone can tell.


def _start_afresh(path: Path, damaged: _Damaged, tell: Callable[[str], None]) -> Opened:
    """Move a damaged state file aside and open a new one in its place."""
    if identity(path) == damaged.identity:  # else another instance replaced it already
        stamp = time.strftime("%Y%m%d-%H%M%S")
        moved = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while moved.exists():
            moved, n = path.with_name(f"{path.name}.corrupt-{stamp}-{n}"), n + 1
        try:
            path.rename(moved)
        except FileNotFoundError:
            pass  # another instance moved it first
        except OSError as err:
            raise Unusable(
                f"The state file {path} is damaged and cannot be moved ({_why(err)})"
            ) from None
        for suffix in ("-wal", "-shm"):
            # The journal of a damaged file belongs with it, not with the new one.
            with contextlib.suppress(OSError):
                path.with_name(path.name + suffix).rename(moved.with_name(moved.name + suffix))
        tell(
            f"The state file was damaged; it was moved to {moved} and reading state starts afresh."
        )
    try:
        return _open_writable(path)
    except (_Damaged, sqlite3.DatabaseError, OSError) as err:
        raise Unusable(f"Cannot start a new state file {path} ({err})") from None


def _why(err: OSError) -> str:
    return err.strerror or str(err)
