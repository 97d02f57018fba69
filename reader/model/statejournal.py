"""The marks as this instance sees them: in memory, with the changes not yet written.

What is shown is always what the file last said with this session's unwritten
changes applied on top, in order: a mark made before the file was read, or
while it was locked, wins over what the file says. No I/O happens here, and
the lock is held for memory work only, so any thread may call at any time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Literal

from .statefile import Change, Marking, Marks, Setting


class Journal:
    """Marks, saved stories and settings in memory, and the changes owed to the file."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._marks = Marks(set(), set(), {})
        self._read_view: frozenset[str] | None = None
        self._saved_view: frozenset[str] | None = None
        #: Changes not yet in the file, each with its number, oldest first.
        self._pending: list[tuple[int, Change]] = []
        self._last = 0  # the number of the latest change
        self._done = 0  # changes up to this number are written, or never will be
        self._writing = True  # False once nothing more will be written
        self._busy = False  # the file was found locked and is not free yet
        self._slow = False  # a wait ran out, and the thread has not caught up since
        self._version = 0
        self._outside = 0  # changes that came from the file (another instance, a load)
        self._reported = 0
        self._notices: list[str] = []
        self._warnings: list[str] = []
        #: Set once the file was read, or given up on.
        self.ready = threading.Event()

    # --- reading ---------------------------------------------------------------

    def read_links(self) -> frozenset[str]:
        """The keys of every story marked read (a snapshot; the same object while unchanged)."""
        with self._lock:
            if self._read_view is None:
                self._read_view = frozenset(self._marks.read)
            return self._read_view

    def saved_links(self) -> frozenset[str]:
        """The keys of every saved story (a snapshot; the same object while unchanged)."""
        with self._lock:
            if self._saved_view is None:
                self._saved_view = frozenset(self._marks.saved)
            return self._saved_view

    def is_marked(self, table: str, key: str) -> bool:
        """True when `key` is in the "read" or "saved" marks."""
        with self._lock:
            return key in self._table(table)

    def get_setting(self, key: str, default: str | None) -> str | None:
        """A setting, or `default`."""
        with self._lock:
            return self._marks.settings.get(key, default)

    @property
    def version(self) -> int:
        """Bumped whenever the read or saved marks change, for any reason."""
        with self._lock:
            return self._version

    # --- changing --------------------------------------------------------------

    def change(self, change: Change) -> int:
        """Apply `change` to memory and owe it to the file; its number."""
        with self._lock:
            if self._apply(self._marks, change):
                self._changed()
            self._last += 1
            self._pending.append((self._last, change))
            return self._last

    def toggle(self, table: Literal["read", "saved"], key: str, at: float) -> tuple[bool, int]:
        """Flip `key`'s mark as this instance sees it: the new mark and the change's number.

        The outcome is what is written, not "flip": two instances saving the
        same story at once both leave it saved.
        """
        with self._lock:
            on = key not in self._table(table)
            return on, self.change(Marking(table, (key,), on, at))

    def _table(self, table: str) -> set[str]:
        return self._marks.saved if table == "saved" else self._marks.read

    @staticmethod
    def _apply(marks: Marks, change: Change) -> bool:
        """Apply one change; True when the read or saved marks changed."""
        if isinstance(change, Setting):
            marks.settings[change.key] = change.value
            return False
        table = marks.read if change.table == "read" else marks.saved
        before = len(table)
        if change.on:
            table.update(change.keys)
        else:
            table.difference_update(change.keys)
        return len(table) != before

    def _changed(self) -> None:
        self._read_view = self._saved_view = None
        self._version += 1

    # --- the writer's side -----------------------------------------------------

    def batch(self) -> tuple[int, list[Change]]:
        """Every change owed to the file, and the number of the last one."""
        with self._lock:
            return self._last, [change for _, change in self._pending]

    def has_pending(self) -> bool:
        """True while some change is owed to the file."""
        with self._lock:
            return bool(self._pending)

    def written(self, upto: int) -> None:
        """Changes up to number `upto` are in the file."""
        with self._lock:
            self._pending = [(n, c) for n, c in self._pending if n > upto]
            self._done = max(self._done, upto)
            self._slow = self._slow and self._done < self._last
            self._lock.notify_all()

    def stop_writing(self) -> None:
        """Nothing more will be written: changes stay in memory, and nobody waits for them."""
        with self._lock:
            self._writing = False
            self._done = self._last
            self._lock.notify_all()

    def set_busy(self, busy: bool) -> None:
        """Say whether the file is locked by another program right now."""
        with self._lock:
            self._busy = busy
            self._lock.notify_all()

    def loaded(self, marks: Marks) -> None:
        """The file holds `marks`: show them with the changes still owed applied on top."""
        with self._lock:  # a few milliseconds at 100,000 marks
            for _, change in self._pending:
                self._apply(marks, change)
            old = self._marks
            if (marks.read, marks.saved) != (old.read, old.saved):
                self._changed()
                self._outside += 1
            elif marks.settings != old.settings:
                self._outside += 1
            self._marks = marks

    # --- waiting ---------------------------------------------------------------

    def wait_written(self, number: int, timeout: float) -> None:
        """Wait at most `timeout` for change `number` to be dealt with.

        Not at all while the file is locked, nor once a wait has run out and
        the thread has not caught up since: a slow disk costs one wait, not
        one per key.
        """
        self._wait(lambda: self._done >= number or not self._writing, timeout)

    def wait_ready(self, timeout: float) -> None:
        """Wait at most `timeout` for the file to be read (the same rules as `wait_written`)."""
        self._wait(self.ready.is_set, timeout)

    def _wait(self, done: Callable[[], bool], timeout: float) -> None:
        with self._lock:
            if self._slow:
                return
            if not self._lock.wait_for(lambda: done() or self._busy, timeout):
                self._slow = True

    def mark_ready(self) -> None:
        """The file was read, or given up on."""
        with self._lock:
            self.ready.set()
            self._slow = self._slow and self._done < self._last
            self._lock.notify_all()

    # --- telling the user ------------------------------------------------------

    def refresh(self) -> bool:
        """True when the marks changed from outside (the file) since the last call."""
        with self._lock:
            changed = self._outside != self._reported
            self._reported = self._outside
            return changed

    def tell(self, notice: str, *, standing: bool = False) -> None:
        """A message for the user; a `standing` one is also the `warning` until cleared."""
        with self._lock:
            self._notices.append(notice)
            if standing:
                self._warnings.append(notice)

    def clear_warning(self, notice: str) -> None:
        """The problem `notice` told of is over."""
        with self._lock:
            if notice in self._warnings:
                self._warnings.remove(notice)

    def take_notices(self) -> list[str]:
        """The messages not yet taken, oldest first."""
        with self._lock:
            notices, self._notices = self._notices, []
            return notices

    @property
    def warning(self) -> str | None:
        """The latest problem not yet over, if any."""
        with self._lock:
            return self._warnings[-1] if self._warnings else None

    def unsaved(self) -> tuple[int, int]:
        """How many marks and settings are owed to the file."""
        with self._lock:
            marks = sum(len(c.keys) for _, c in self._pending if isinstance(c, Marking))
            return marks, sum(isinstance(c, Setting) for _, c in self._pending)


def describe(marks: int, settings: int) -> str:
    """ "3 marks", "1 mark and 1 setting", "2 settings"... ("" for none)."""

    def count(n: int, word: str) -> str:
        return f"{n:,} {word}" + ("" if n == 1 else "s")

    parts = [count(marks, "mark")] if marks else []
    if settings:
        parts.append(count(settings, "setting"))
    return " and ".join(parts)
