"""Opening the state file for the store's thread, and recovering a damaged one.

Tried in order: the file read and written (made if missing, switched to WAL
mode, its tables made); else, when it cannot be written, read-only with
`mode=ro`, or with `immutable=1` when its -wal and -shm files can be neither
opened nor made (a read-only folder). A damaged file is moved aside and a new
one started. While another program holds a lock, `Busy` is raised: the
caller tries again later.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .statefile import (
    BUSY_WAIT_SECONDS,
    CANTOPEN,
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
    """A state file just opened: the file, what it holds, and anything to tell the user."""

    file: StateFile
    marks: Marks
    version: int
    notice: str | None = None


def open_state_file(path: Path, tell: Callable[[str], None]) -> Opened:
    """Open the state file at `path`, making it if need be.

    A damaged file is moved aside to `<name>.corrupt-<time>` and a new one
    started (`tell` is given the news at once, as a later step may be busy);
    a file that cannot be written is opened read-only. Raises `Busy` while
    another program holds a lock, `Unusable` when the file cannot be used.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise Unusable(f"Cannot use the state folder {path.parent} ({_why(err)})") from None
    _check_kind(path)
    try:
        return _open_writable(path)
    except _Damaged as damaged:
        return _start_afresh(path, damaged, tell)
    except sqlite3.DatabaseError as err:
        return _open_read_only(path, err)


def _check_kind(path: Path) -> None:
    # Opened read-only (the fallback below), a FIFO blocks SQLite's open() forever.
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise Unusable(f"Cannot use the state file {path} ({_why(err)})") from None
    if not stat.S_ISREG(mode):
        raise Unusable(f"The state file {path} is not a regular file")


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
        return Opened(StateFile(conn, path, found, writable=True, watch=True), marks, version)
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
    # Without SQLite's busy wait: another program's write lock would hold back
    # showing the marks by BUSY_WAIT_SECONDS for nothing.
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as err:
        if not is_busy(err):
            raise
        # Another instance is writing: writable, as far as anyone can tell.
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT_SECONDS * 1000)}")


def _open_read_only(path: Path, why: sqlite3.DatabaseError) -> Opened:
    if not path.exists():
        raise Unusable(f"Cannot make the state file in {path.parent} ({why})")
    # A WAL file cannot be read while its -wal and -shm files can be neither
    # opened nor made (a read-only folder): immutable=1 reads the file alone,
    # which holds every mark once the last instance has closed it.
    for query, watch in (("mode=ro", True), ("mode=ro&immutable=1", False)):
        try:
            conn = connect(path, query)
        except sqlite3.DatabaseError:  # the file went away meanwhile
            continue
        found = identity(path)
        try:
            version = int(conn.execute("PRAGMA data_version").fetchone()[0])
            marks = load(conn)
        except sqlite3.DatabaseError as err:
            conn.close()
            if is_busy(err):
                raise Busy(str(err)) from None
            if is_corrupt(err):
                damaged = f"The state file {path} is damaged and cannot be replaced ({why})"
                raise Unusable(damaged) from None
            continue
        file = StateFile(conn, path, found, writable=False, watch=watch)
        return Opened(file, marks, version, _read_only_notice(path, why))
    raise Unusable(f"Cannot read the state file {path} ({why})")


def _read_only_notice(path: Path, why: sqlite3.DatabaseError) -> str:
    cannot_make = getattr(why, "sqlite_errorcode", CANTOPEN) & 0xFF == CANTOPEN
    where = "folder" if cannot_make or not os.access(path.parent, os.W_OK) else "file"
    shown = path.parent if where == "folder" else path
    return (
        f"The state {where} {shown} is read-only: "
        "your marks are shown, new ones last until you quit."
    )


def move_aside(path: Path) -> Path:
    """Rename a damaged SQLite file to `<name>.corrupt-<time>` (numbered on a clash),
    its journal with it; return the new path. Raises OSError when it cannot be moved."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    moved = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while moved.exists():
        moved, n = path.with_name(f"{path.name}.corrupt-{stamp}-{n}"), n + 1
    path.rename(moved)
    for suffix in ("-wal", "-shm"):
        # The journal of a damaged file belongs with it, not with the new one.
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).rename(moved.with_name(moved.name + suffix))
    return moved


def _start_afresh(path: Path, damaged: _Damaged, tell: Callable[[str], None]) -> Opened:
    """Move a damaged state file aside and open a new one in its place."""
    if identity(path) == damaged.identity:  # else another instance replaced it already
        try:
            moved = move_aside(path)
        except FileNotFoundError:
            pass  # another instance moved it first
        except OSError as err:
            raise Unusable(
                f"The state file {path} is damaged and cannot be moved ({_why(err)})"
            ) from None
        tell(
            f"The state file was damaged; it was moved to {moved} and reading state starts afresh."
        )
    try:
        return _open_writable(path)
    except (_Damaged, sqlite3.DatabaseError, OSError) as err:
        raise Unusable(f"Cannot start a new state file {path} ({err})") from None


def _why(err: OSError) -> str:
    return err.strerror or str(err)
