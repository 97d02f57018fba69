"""When stories were marked read, for the statistics screen.

The state store keeps only the set of read links in memory; the time of each
mark is in the state file's `read` table (see `statefile`). This reads it once,
read-only, and gives up quietly: statistics are never worth an error. It may
wait up to `WAIT_SECONDS` on a lock, so call it from a worker thread. About
40 ms for 100,000 marks.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
from pathlib import Path

from .statefile import connect

#: How long to wait for another program's lock before giving up with [].
WAIT_SECONDS = 0.5


def read_times(path: Path) -> list[float]:
    """The time (seconds since the epoch) of every read mark in the state file at
    `path`, in no order; [] when the file is missing, locked, damaged or not a
    state file. Never raises, and never creates or changes anything."""
    try:
        conn = connect(path, "mode=ro")
    except (sqlite3.Error, OSError, ValueError):
        return []
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(WAIT_SECONDS * 1000)}")
        rows = conn.execute("SELECT at FROM read").fetchall()
    except (sqlite3.Error, OSError, ValueError, MemoryError):
        return []
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
    # The column is REAL, but SQLite keeps what it is given: skip text, blobs, NaN.
    return [float(at) for (at,) in rows if isinstance(at, (int, float)) and math.isfinite(at)]
