"""Heat history: each story's heat and quality when they change, kept in the state folder.

Every index run hands the stories it read to `HeatLog.record`, which keeps a
point for each story whose heat or quality differs from the last one kept
(only changes), with the time it was seen. A story keeps at most
`rising.MAX_POINTS` points (older ones thinned), and a story neither seen
nor changed for `FORGET_SECONDS` is forgotten, so the file stays bounded.

The history has its own SQLite file beside the marks' (`HEAT_FILE`): it is
bulk data written by the loading worker, while marks are small and read at
every start; apart, a large history never slows the marks' load and a damaged
history never costs a mark. A file that cannot be used (damaged: moved aside;
read-only; a folder in the way) never stops anything: history is then kept in
memory for the session, and `take_notices` says why.

Recording runs in a worker; `series` (the detail pane's sparkline) is a point
query on its own connection, which in WAL mode never waits for the writer.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .rising import DEFAULT_WINDOW, MAX_POINTS, Point, Rises, compact, score, thin
from .statefile import state_dir
from .stateopen import move_aside

#: The history's file name inside the state folder.
HEAT_FILE = "heat.sqlite3"
#: A story not seen in a run and unchanged for this long is forgotten.
FORGET_SECONDS = 400 * 24 * 3600.0
#: How many runs are remembered (for "two snapshots" and the stats screen).
MAX_RUNS = 1000
#: How long the worker waits for another instance's write to finish.
_BUSY_MS = 5000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
    heat INTEGER, quality INTEGER, at INTEGER NOT NULL, points INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS points (
    story INTEGER NOT NULL, at INTEGER NOT NULL, heat INTEGER, quality INTEGER,
    PRIMARY KEY (story, at)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    at INTEGER PRIMARY KEY, stories INTEGER NOT NULL, changed INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS imported (source TEXT PRIMARY KEY, done TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stories_at ON stories (at);
CREATE TABLE IF NOT EXISTS last_seen (id INTEGER PRIMARY KEY CHECK (id = 1), digest BLOB NOT NULL);
"""


class HeatLog:
    """The heat history of every story seen. Safe to use from two threads: the
    worker records, the UI reads a story's series."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, notices: list[str]) -> None:
        """Use `HeatLog.open`: `conn` is open with the schema; `path` None means in memory."""
        self._conn = conn
        self._lock = threading.Lock()
        self.path = path
        self._notices = notices
        self._reader: sqlite3.Connection | None = None
        self._reader_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | None = None) -> HeatLog:
        """The history at `path` (default: `HEAT_FILE` in `state_dir()`). Never raises."""
        path = path if path is not None else state_dir() / HEAT_FILE
        notices: list[str] = []
        try:
            return cls(_connect(path), path, notices)
        except sqlite3.DatabaseError as err:
            if _is_damaged(err) and _move_aside(path, notices):
                with contextlib.suppress(sqlite3.Error, OSError):
                    return cls(_connect(path), path, notices)
            why = str(err)
        except OSError as err:
            why = err.strerror or str(err)
        notices.append(f"Heat history is not kept in {path} ({why}): it lasts until you quit.")
        return cls.in_memory(notices)

    @classmethod
    def in_memory(cls, notices: list[str] | None = None) -> HeatLog:
        """A history kept for this session only (tests, and when the file cannot be used)."""
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        conn.executescript(_SCHEMA)
        return cls(conn, None, notices or [])

    def take_notices(self) -> list[str]:
        """Messages for the user not yet taken (each given once)."""
        notices, self._notices[:] = list(self._notices), []
        return notices

    # --- recording ------------------------------------------------------------

    def record(self, stories: Iterable[tuple[str, object, object]], at: float | None = None) -> int:
        """Keep a point for each story (mark key, heat, quality) that changed; return how many.

        A story whose heat is unknown or absurd (see `rising.score`) records
        nothing. The run itself is remembered too, changed or not.
        """
        now = int(time.time() if at is None else at)
        seen: dict[str, tuple[int, int | None]] = {}
        for key, heat, quality in stories:
            known = score(heat)
            # Two files of one story: the hotter is the story, as in the index.
            if key and known is not None:
                key = _stored(key)
                if key not in seen or seen[key][0] < known:
                    seen[key] = (known, score(quality))
        try:
            with self._lock, self._transaction() as conn:
                changed = _record(conn, seen, now)
            return changed
        except sqlite3.Error as err:
            self._notices.append(f"Heat history was not recorded this time ({err}).")
            return 0

    def add_points(self, points: Mapping[str, Iterable[Point]]) -> int:
        """Merge older sightings into each story's history (a backfill); return how
        many stories gained a point. Repeats are dropped and the result thinned."""
        grown = 0
        try:
            with self._lock, self._transaction() as conn:
                conn.execute("DELETE FROM last_seen")  # the next run compares afresh
                for key, new in points.items():
                    kept = [p for p in new if score(p.heat) is not None]
                    grown += _merge(conn, _stored(key), kept)
        except sqlite3.Error as err:
            self._notices.append(f"Heat history could not take the points ({err}).")
        return grown

    # --- reading --------------------------------------------------------------

    def rises(self, window: float = DEFAULT_WINDOW, now: float | None = None) -> Rises:
        """What each story gained over the last `window` seconds (to `now`)."""
        since = int((time.time() if now is None else now) - window)
        try:
            with self._lock:
                rows = self._conn.execute(_GAINS, {"since": since}).fetchall()
                ready = bool(self._conn.execute(_READY).fetchone()[0])
        except sqlite3.Error:
            return Rises(window=window)
        return Rises({_key(key): gain for key, gain in rows if gain}, window, ready)

    def series(self, key: str) -> list[Point]:
        """The points kept for the story with mark key `key`, oldest first.

        Answers at once or not at all ([]): the UI thread asks, and must not
        wait behind a recording run.
        """
        lock = self._reader_lock if self.path is not None else self._lock
        if not lock.acquire(timeout=0.05):
            return []
        try:
            rows = self._reading().execute(_SERIES, (_stored(key),)).fetchall()
        except sqlite3.Error:
            return []
        finally:
            lock.release()
        return [Point(float(at), heat, quality) for at, heat, quality in rows]

    def runs(self) -> list[tuple[float, int, int]]:
        """Each run remembered: (time, stories seen, stories changed), oldest first."""
        try:
            with self._lock:
                rows = self._conn.execute("SELECT at, stories, changed FROM runs ORDER BY at")
                return [(float(at), n, changed) for at, n, changed in rows]
        except sqlite3.Error:
            return []

    def imported(self, source: str) -> str | None:
        """What a backfill of `source` got to (e.g. the last commit read), if any."""
        try:
            with self._lock:
                row = self._conn.execute(
                    "SELECT done FROM imported WHERE source = ?", (source,)
                ).fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row else None

    def set_imported(self, source: str, done: str) -> None:
        """Remember how far a backfill of `source` got, so that it can resume."""
        with contextlib.suppress(sqlite3.Error), self._lock, self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO imported VALUES (?, ?)", (source, done))

    def size(self) -> tuple[int, int]:
        """(stories, points) kept."""
        try:
            with self._lock:
                stories = self._conn.execute("SELECT count(*) FROM stories").fetchone()[0]
                points = self._conn.execute("SELECT count(*) FROM points").fetchone()[0]
        except sqlite3.Error:
            return (0, 0)
        return (int(stories), int(points))

    def close(self) -> None:
        """Close the file (further calls answer as if it were empty)."""
        with self._lock, self._reader_lock:
            for conn in (self._conn, self._reader):
                if conn is not None:
                    with contextlib.suppress(sqlite3.Error):
                        conn.close()

    # --- helpers --------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _reading(self) -> sqlite3.Connection:
        if self.path is None:
            return self._conn  # in memory: one connection, and nothing waits on a disk
        if self._reader is None:
            self._reader = sqlite3.connect(
                f"{self.path.as_uri()}?mode=ro", uri=True, check_same_thread=False, timeout=0.05
            )
        return self._reader


#: Before a key kept as the hex of its bytes (`surrogatepass`); no link starts with a NUL.
_BYTES = "\x00bytes:"


def _stored(key: str) -> str:
    """`key` as SQLite can keep it: the mark key of a file whose name is not UTF-8
    holds surrogates (and a link may), which no UTF-8 text can: kept as their bytes."""
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return _BYTES + key.encode("utf-8", "surrogatepass").hex()
    return key


def _key(stored: str) -> str:
    """The mark key `_stored` kept as `stored`."""
    if stored.startswith(_BYTES):
        return bytes.fromhex(stored.removeprefix(_BYTES)).decode("utf-8", "surrogatepass")
    return stored


def _connect(path: Path) -> sqlite3.Connection:
    if path.exists() and not path.is_file():
        raise OSError(0, f"{path} is not a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.executescript(_SCHEMA)
        conn.execute("SELECT count(*) FROM stories").fetchone()  # reads a page: damage shows
    except BaseException:
        conn.close()
        raise
    return conn


def _is_damaged(err: sqlite3.DatabaseError) -> bool:
    return getattr(err, "sqlite_errorcode", 0) & 0xFF in (11, 26)  # CORRUPT, NOTADB


def _move_aside(path: Path, notices: list[str]) -> bool:
    try:
        moved = move_aside(path)
    except OSError:
        return False
    notices.append(f"The heat history was damaged; it was moved to {moved} and starts afresh.")
    return True


def _record(conn: sqlite3.Connection, seen: dict[str, tuple[int, int | None]], now: int) -> int:
    # Most runs see what the last one saw (a warm `reader list`): then only the run
    # is remembered, which at 100,000 stories takes ~5 ms against ~0.5 s for the
    # comparison below. Forgetting old stories waits for a run that sees a change.
    digest = _digest(seen)
    if conn.execute("SELECT 1 FROM last_seen WHERE digest = ?", (digest,)).fetchone():
        _remember_run(conn, now, len(seen), 0)
        return 0
    conn.execute("INSERT OR REPLACE INTO last_seen VALUES (1, ?)", (digest,))
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, heat, quality)")
    conn.execute("DELETE FROM seen")
    conn.executemany("INSERT INTO seen VALUES (?, ?, ?)", ((k, h, q) for k, (h, q) in seen.items()))
    changed = [
        key
        for (key,) in conn.execute(
            "SELECT s.key FROM seen s LEFT JOIN stories t ON t.key = s.key"
            " WHERE t.id IS NULL OR t.heat IS NOT s.heat OR t.quality IS NOT s.quality"
        )
    ]
    conn.executemany(
        "INSERT INTO stories (key, heat, quality, at, points) VALUES (?, ?, ?, ?, 0)"
        " ON CONFLICT (key) DO UPDATE SET heat = excluded.heat, quality = excluded.quality,"
        " at = excluded.at",
        ((key, *seen[key], now) for key in changed),
    )
    conn.executemany(
        "INSERT OR REPLACE INTO points SELECT id, at, heat, quality FROM stories WHERE key = ?",
        ((key,) for key in changed),
    )
    for story in _recount(conn, changed):
        # Down to three quarters of the limit: a story that changes at every run is
        # then rewritten once every twelve runs rather than at each (1.5 s a run at
        # 10,000 such stories, against 0.2 s).
        _rewrite(conn, story, thin(_points(conn, story), MAX_POINTS * 3 // 4))
    _forget(conn, now)
    _remember_run(conn, now, len(seen), len(changed))
    return len(changed)


def _digest(seen: dict[str, tuple[int, int | None]]) -> bytes:
    """A fingerprint of what a run saw, in the order it saw it (marshal version 2
    writes no back-references, so equal data always gives equal bytes)."""
    return hashlib.blake2b(marshal.dumps(list(seen.items()), 2), digest_size=16).digest()


def _remember_run(conn: sqlite3.Connection, now: int, stories: int, changed: int) -> None:
    conn.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?)", (now, stories, changed))
    conn.execute(
        "DELETE FROM runs WHERE at < (SELECT at FROM runs ORDER BY at DESC LIMIT 1 OFFSET ?)",
        (MAX_RUNS - 1,),
    )


def _recount(conn: sqlite3.Connection, keys: list[str]) -> list[int]:
    """Update the point counts of `keys`' stories; return those over the limit."""
    conn.executemany(
        "UPDATE stories SET points = (SELECT count(*) FROM points WHERE story = id) WHERE key = ?",
        ((key,) for key in keys),
    )
    rows = conn.execute("SELECT id FROM stories WHERE points > ?", (MAX_POINTS,))
    return [int(story) for (story,) in rows]


def _points(conn: sqlite3.Connection, story: int) -> list[Point]:
    rows = conn.execute(
        "SELECT at, heat, quality FROM points WHERE story = ? ORDER BY at", (story,)
    )
    return [Point(float(at), heat, quality) for at, heat, quality in rows]


def _rewrite(conn: sqlite3.Connection, story: int, points: list[Point]) -> None:
    """Make `points` the story's whole history, its last one the latest."""
    conn.execute("DELETE FROM points WHERE story = ?", (story,))
    conn.executemany(
        "INSERT INTO points VALUES (?, ?, ?, ?)",
        ((story, int(p.at), p.heat, p.quality) for p in points),
    )
    last = points[-1]
    conn.execute(
        "UPDATE stories SET heat = ?, quality = ?, at = ?, points = ? WHERE id = ?",
        (last.heat, last.quality, int(last.at), len(points), story),
    )


def _merge(conn: sqlite3.Connection, key: str, new: list[Point]) -> int:
    if not new:
        return 0
    conn.execute("INSERT OR IGNORE INTO stories (key, at, points) VALUES (?, 0, 0)", (key,))
    story = int(conn.execute("SELECT id FROM stories WHERE key = ?", (key,)).fetchone()[0])
    old = _points(conn, story)
    merged = thin(compact([*old, *(Point(float(int(p.at)), p.heat, p.quality) for p in new)]))
    if merged == old:
        return 0
    _rewrite(conn, story, merged)
    return 1


def _forget(conn: sqlite3.Connection, now: int) -> None:
    """Drop the stories not seen in this run and unchanged for `FORGET_SECONDS`."""
    old = [
        story
        for (story,) in conn.execute(
            "SELECT id FROM stories WHERE at < ? AND key NOT IN (SELECT key FROM seen)",
            (now - int(FORGET_SECONDS),),
        )
    ]
    conn.executemany("DELETE FROM points WHERE story = ?", ((s,) for s in old))
    conn.executemany("DELETE FROM stories WHERE id = ?", ((s,) for s in old))


# What each story that changed since `since` gained: its heat now less its heat
# then (its last point at or before `since`), or its first heat if first seen later.
_GAINS = """
SELECT t.key, t.heat - coalesce(
    (SELECT p.heat FROM points p WHERE p.story = t.id AND p.at <= :since
        AND p.heat IS NOT NULL ORDER BY p.at DESC LIMIT 1),
    (SELECT p.heat FROM points p WHERE p.story = t.id AND p.heat IS NOT NULL
        ORDER BY p.at LIMIT 1))
FROM stories t WHERE t.at > :since AND t.heat IS NOT NULL
"""
_READY = """
SELECT (SELECT count(*) FROM runs) >= 2 OR EXISTS (SELECT 1 FROM stories WHERE points >= 2)
"""
_SERIES = """
SELECT p.at, p.heat, p.quality FROM points p JOIN stories t ON t.id = p.story
WHERE t.key = ? ORDER BY p.at
"""
