"""What the user did: stories read and saved, and a few settings (the theme).

State lives in one SQLite file in the user's state folder, keyed by the
story's link so a mark follows the story across topics and files (a story
without a link is keyed by its file: see `Article.mark_key`). Each change
is its own small transaction (INSERT OR REPLACE or DELETE of one row), and the
file is in WAL mode with a busy timeout, so two readers running at once never
lose each other's updates; `refresh()` picks up what the other one wrote.

Nothing here stops the app from starting: a corrupt file is moved aside and
replaced, and a folder that cannot be written gives in-memory state. Either
way `StateStore.warning` says what happened.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

#: The state file's name inside the state folder.
STATE_FILE = "state.sqlite3"
#: How long a write waits for another instance's write to finish.
BUSY_TIMEOUT_S = 10.0
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS read (link TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS saved (link TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""
# SQLite primary result codes that mean the file itself is damaged.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
# ... and those that mean another connection holds a lock for now.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6


def state_dir() -> Path:
    """Where state lives: $READER_STATE_DIR, else the platform's user state folder."""
    override = os.environ.get("READER_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir("reader", appauthor=False))


def _connect(target: str) -> sqlite3.Connection:
    """Open a connection (a seam, so tests can simulate an unwritable file)."""
    # Autocommit: every statement is its own transaction unless BEGIN is used.
    # check_same_thread=False because workers may call in; StateStore locks.
    return sqlite3.connect(
        target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )


def _is_corrupt(err: sqlite3.DatabaseError) -> bool:
    code = getattr(err, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(err)
    return "not a database" in text or "malformed" in text


def _is_busy(err: sqlite3.DatabaseError) -> bool:
    code = getattr(err, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(err)


class StateStore:
    """Read marks, saved stories and settings, backed by SQLite.

    Every method is safe to call from any thread. Reads come from memory
    (loaded at open and by `refresh()`), so they cost no I/O. No method
    raises on a failed write: the change is kept in memory for this session
    and `warning` explains.
    """

    def __init__(
        self, conn: sqlite3.Connection, path: Path | None, warning: str | None = None
    ) -> None:
        self._conn = conn
        #: The state file, or None when state is in memory only.
        self.path = path
        #: Why state is not (fully) persistent or was reset, for the user; None if all is well.
        self.warning = warning
        self._lock = threading.RLock()
        self._read: set[str] = set()
        self._saved: set[str] = set()
        self._settings: dict[str, str] = {}
        self._read_view: frozenset[str] | None = None
        self._saved_view: frozenset[str] | None = None
        self._version = -1
        self._load()

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None) -> StateStore:
        """Open the state file (default: `STATE_FILE` in `state_dir()`). Never raises.

        A damaged file is renamed to `<name>.corrupt-<time>` and a fresh one
        started; an unwritable folder or file gives in-memory state. Both set
        `warning`.
        """
        path = path if path is not None else state_dir() / STATE_FILE
        try:
            return _open_store(path)
        except sqlite3.DatabaseError as err:
            if not _is_corrupt(err):
                return _in_memory(f"Cannot write the state file {path} ({err})", path)
        except OSError as err:
            reason = err.strerror or str(err)
            return _in_memory(f"Cannot use the state folder {path.parent} ({reason})")
        return _start_afresh(path)

    # --- reading -------------------------------------------------------------

    def read_links(self) -> frozenset[str]:
        """The links of every story marked read (a snapshot; cheap while unchanged)."""
        with self._lock:
            if self._read_view is None:
                self._read_view = frozenset(self._read)
            return self._read_view

    def saved_links(self) -> frozenset[str]:
        """The links of every saved story (a snapshot; cheap while unchanged)."""
        with self._lock:
            if self._saved_view is None:
                self._saved_view = frozenset(self._saved)
            return self._saved_view

    def is_read(self, link: str) -> bool:
        """True when the story with this link is marked read."""
        with self._lock:
            return link in self._read

    def is_saved(self, link: str) -> bool:
        """True when the story with this link is saved."""
        with self._lock:
            return link in self._saved

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting (e.g. "theme"), or `default`."""
        with self._lock:
            return self._settings.get(key, default)

    # --- writing -------------------------------------------------------------

    def set_read(self, link: str, read: bool = True) -> None:
        """Mark the story read (or unread). An empty key is ignored."""
        self._mark("read", self._read, [link], read)

    def set_read_many(self, links: Iterable[str], read: bool = True) -> None:
        """Mark many stories read (or unread) at once, in one transaction."""
        self._mark("read", self._read, list(links), read)

    def set_saved(self, link: str, saved: bool = True) -> None:
        """Save the story (or unsave it). An empty key is ignored."""
        self._mark("saved", self._saved, [link], saved)

    def toggle_saved(self, link: str) -> bool:
        """Flip the story's saved mark as this instance sees it; return the new one.

        The database is then told the outcome ("saved"), not "flip", so two
        instances pressing save at once both leave the story saved.
        """
        with self._lock:
            saved = link not in self._saved
            self.set_saved(link, saved)
            return saved

    def toggle_read(self, link: str) -> bool:
        """Flip the story's read mark as this instance sees it; return the new one."""
        with self._lock:
            read = link not in self._read
            self.set_read(link, read)
            return read

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting such as the theme."""
        with self._lock:
            self._settings[key] = value
            sql = "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"
            self._write(sql, [(key, value)])

    def _mark(self, table: str, marks: set[str], links: list[str], on: bool) -> None:
        links = [link for link in links if link]
        if not links:
            return
        with self._lock:
            if on:
                marks.update(links)
                sql = f"INSERT OR REPLACE INTO {table} (link, at) VALUES (?, ?)"
                now = time.time()
                self._write(sql, [(link, now) for link in links])
            else:
                marks.difference_update(links)
                self._write(f"DELETE FROM {table} WHERE link = ?", [(link,) for link in links])
            self._read_view = self._saved_view = None

    def _write(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        try:
            if len(rows) == 1:
                self._conn.execute(sql, rows[0])
            else:  # one transaction: one fsync and one lock for them all
                with _transaction(self._conn):
                    self._conn.executemany(sql, rows)
        except sqlite3.Error as err:
            self.warning = f"Could not save to the state file ({err}); changes last until you quit."

    # --- other instances -----------------------------------------------------

    def refresh(self) -> bool:
        """Pick up changes other instances wrote since the last look; True if any.

        Cheap when nothing changed (one PRAGMA), so it can run on a timer.
        """
        with self._lock:
            try:
                changed = self._data_version() != self._version
                if changed:
                    self._load()
                return changed
            except sqlite3.Error:
                return False

    def _data_version(self) -> int:
        # Changes whenever another connection commits to the file.
        row = self._conn.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _load(self) -> None:
        with self._lock:
            self._version = self._data_version()
            self._read = {r[0] for r in self._conn.execute("SELECT link FROM read")}
            self._saved = {r[0] for r in self._conn.execute("SELECT link FROM saved")}
            rows = self._conn.execute("SELECT key, value FROM settings")
            self._settings = {k: v for k, v in rows}
            self._read_view = self._saved_view = None

    # --- closing -------------------------------------------------------------

    def close(self) -> None:
        """Close the file. The store must not be used afterwards."""
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _open_store(path: Path) -> StateStore:
    conn = _open_file_when_free(path)
    try:
        return StateStore(conn, path)
    except BaseException:
        conn.close()
        raise


def _open_file_when_free(path: Path) -> sqlite3.Connection:
    """`_open_file`, tried again while another instance holds the file's lock.

    Two readers starting at once on a new file both switch it to WAL mode;
    SQLite answers the loser "database is locked" at once instead of waiting
    for its busy timeout, so we wait here, up to the same timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            return _open_file(path)
        except sqlite3.OperationalError as err:
            if not _is_busy(err) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _open_file(path: Path) -> sqlite3.Connection:
    """A connection to `path` with the schema in place and writes checked to work.

    Raises OSError when the folder cannot be made, sqlite3.DatabaseError when
    the file is damaged or cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable across app crashes in WAL mode and avoids an fsync per mark.
        conn.execute("PRAGMA synchronous = NORMAL")
        # BEGIN IMMEDIATE takes the write lock, so an unwritable file fails here,
        # at open, rather than on the user's first keypress.
        with _transaction(conn):
            _create_schema(conn)
        # Read every table once so a damaged page is found now.
        for table in ("read", "saved", "settings"):
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _create_schema(conn: sqlite3.Connection) -> None:
    for statement in filter(str.strip, _SCHEMA.split(";")):
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _in_memory(reason: str, source: Path | None = None) -> StateStore:
    """A store in memory, starting from a copy of `source` when it can be read."""
    conn = _copy_of(source) if source is not None else None
    if conn is None:
        conn = _connect(":memory:")
        _create_schema(conn)
    warning = f"{reason}. Read marks and saved stories will last only until you quit."
    return StateStore(conn, None, warning)


def _copy_of(source: Path) -> sqlite3.Connection | None:
    """An in-memory copy of a state file that cannot be written, or None."""
    if not source.is_file():
        return None
    conn = _connect(":memory:")
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            src.backup(conn)
        finally:
            src.close()
        _create_schema(conn)  # the copy may predate a table
        return conn
    except sqlite3.Error:
        conn.close()
        return None


def _start_afresh(path: Path) -> StateStore:
    """Move a damaged state file aside and open a new one in its place."""
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
        return _in_memory(f"The state file {path} is damaged and cannot be moved ({err})")
    for suffix in ("-wal", "-shm"):
        # The journal of a damaged file belongs with it, not with the new one.
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).rename(moved.with_name(moved.name + suffix))
    try:
        store = _open_store(path)
    except (sqlite3.Error, OSError) as err:
        return _in_memory(f"Cannot start a new state file {path} ({err})")
    store.warning = (
        f"The state file was damaged; it was moved to {moved} and reading state starts afresh."
    )
    return store
