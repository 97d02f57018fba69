"""The open state file: what it holds, reading it, writing to it, watching it.

Everything here talks to SQLite, so it may wait on the disk or on another
program's lock: only the store's own thread calls it (see `statewriter`;
`stateopen` opens the file). SQLite itself waits at most `BUSY_WAIT_SECONDS`
for a lock; then `Busy` is raised and the caller tries again later.

The file is in WAL mode, so readers never wait for a writer, and each change
is an INSERT OR REPLACE or DELETE of one row, so two instances writing at
once lose nothing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

#: The state file's name inside the state folder.
STATE_FILE = "state.sqlite3"
#: How long one statement waits for another connection's lock before `Busy`.
#: Short, so the thread can give up on a stuck file and still close promptly;
#: two instances' writes take about a millisecond each, well within it.
BUSY_WAIT_SECONDS = 0.1
_SCHEMA_VERSION = 1
_TABLES = ("read", "saved", "settings")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS read (link TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS saved (link TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""
# SQLite primary result codes: the file is damaged; another connection holds a lock.
_CORRUPT = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
CANTOPEN = 14  # e.g. the -wal file cannot be created


class Busy(Exception):
    """Another program holds the file's lock for now: try again later."""


class Unusable(Exception):
    """State cannot be kept in the file at all; the message says why, for the user."""


@dataclass(slots=True)
class Marks:
    """Everything the file holds."""

    read: set[str]
    saved: set[str]
    settings: dict[str, str]


@dataclass(frozen=True, slots=True)
class Marking:
    """Stories marked (`on`) or unmarked in one table, at time `at`."""

    table: Literal["read", "saved"]
    keys: tuple[str, ...]
    on: bool
    at: float


@dataclass(frozen=True, slots=True)
class Setting:
    """A setting given a value."""

    key: str
    value: str


Change = Marking | Setting


def state_dir() -> Path:
    """Where state lives: $READER_STATE_DIR, else the platform's user state folder."""
    override = os.environ.get("READER_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir("reader", appauthor=False))


class StateFile:
    """An open connection to the state file. Used by one thread at a time."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        found: tuple[int, int] | None,
        *,
        writable: bool,
        watch: bool,
    ) -> None:
        """`found`: the `identity` of the file at `path` when `conn` was opened."""
        #: The connection; replaced only by tests that simulate failing writes.
        self.conn = conn
        self.path = path
        #: False when opened read-only: marks are read, nothing is written.
        self.writable = writable
        #: True when `data_version` can tell another instance's writes (not immutable).
        self.watch = watch
        self._identity = found

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the file."""
        with _errors():
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def load(self) -> Marks:
        """Every mark and setting, read in one transaction so they agree."""
        with _errors():
            return load(self.conn)

    def write(self, changes: Sequence[Change]) -> None:
        """Write `changes` in order in one transaction (one lock, one commit)."""
        with _errors(), transaction(self.conn):
            for change in changes:
                _write(self.conn, change)

    def gone(self) -> str | None:
        """What became of the file if it is no longer at its path ("was removed"...), else None.

        SQLite keeps writing to a file that was removed or replaced, and those
        writes are lost, so this is asked before and after every write.
        """
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return "was removed"
        except OSError as err:
            return f"can no longer be reached ({err.strerror or err})"
        if stat.S_ISDIR(info.st_mode):
            return "was replaced by a folder"
        if (info.st_dev, info.st_ino) != self._identity:
            return "was replaced by another file"
        return None

    def close(self) -> None:
        """Close the connection (never raises)."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()


def connect(path: Path, query: str) -> sqlite3.Connection:
    """A connection to `path`, opened with the URI `query` ("mode=ro"...)."""
    uri = f"{path.absolute().as_uri()}?{query}"
    # Autocommit (isolation_level=None): transactions are begun explicitly.
    # check_same_thread=False: the thread that closes may not be the one that opened.
    return sqlite3.connect(
        uri, uri=True, timeout=BUSY_WAIT_SECONDS, isolation_level=None, check_same_thread=False
    )


def create_schema(conn: sqlite3.Connection) -> None:
    """Make the tables, in one transaction (so it takes the write lock)."""
    with transaction(conn):
        for statement in filter(str.strip, _SCHEMA.split(";")):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction: BEGIN IMMEDIATE takes the write lock first (or fails: locked)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def has_schema(conn: sqlite3.Connection) -> bool:
    """True when every table is there."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return set(_TABLES) <= {row[0] for row in rows}


def load(conn: sqlite3.Connection) -> Marks:
    """Every mark and setting, in one snapshot (tables it lacks are empty)."""
    conn.execute("BEGIN")  # one snapshot of all three tables
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}

        def rows(sql: str, table: str) -> list[tuple[object, ...]]:
            # A read-only file may predate a table; marks are keyed by strings only.
            return conn.execute(sql).fetchall() if table in tables else []

        read = {r[0] for r in rows("SELECT link FROM read", "read") if isinstance(r[0], str)}
        saved = {r[0] for r in rows("SELECT link FROM saved", "saved") if isinstance(r[0], str)}
        settings = {
            k: v
            for k, v in rows("SELECT key, value FROM settings", "settings")
            if isinstance(k, str) and isinstance(v, str)
        }
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("COMMIT")
    return Marks(read, saved, settings)


def _write(conn: sqlite3.Connection, change: Change) -> None:
    if isinstance(change, Setting):
        sql = "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"
        conn.execute(sql, (change.key, change.value))
        return
    if change.on:
        sql = f"INSERT OR REPLACE INTO {change.table} (link, at) VALUES (?, ?)"
        rows: list[tuple[object, ...]] = [(key, change.at) for key in change.keys]
    else:
        sql = f"DELETE FROM {change.table} WHERE link = ?"
        rows = [(key,) for key in change.keys]
    if len(rows) == 1:
        conn.execute(sql, rows[0])
    else:
        conn.executemany(sql, rows)


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """SQLite's "database is locked" as `Busy`; other errors as they are."""
    try:
        yield
    except sqlite3.OperationalError as err:
        if is_busy(err):
            raise Busy(str(err)) from None
        raise


def identity(path: Path) -> tuple[int, int] | None:
    """The file at `path` (device and inode), to tell whether it is still the same one."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def is_corrupt(err: sqlite3.DatabaseError) -> bool:
    """True when `err` says the file is damaged or not a database."""
    code = getattr(err, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in _CORRUPT
    text = str(err)
    return "not a database" in text or "malformed" in text


def is_busy(err: sqlite3.DatabaseError) -> bool:
    """True when `err` says another connection holds a lock."""
    code = getattr(err, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in _BUSY
    return "locked" in str(err)
