"""The state store's own thread: it opens the file, writes what is owed, and watches it.

The app's calls never wait for this thread (see `StateStore`). The thread
alone talks to SQLite: it opens and reads the file, writes the changes owed
(all of them in one transaction), checks every `Timing.poll` seconds whether
another instance wrote (`PRAGMA data_version`, one cheap statement), and
checks the file is still at its path. A locked file
is tried again with backoff until it is free, and the user is told once when
it stays locked.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .statefile import BUSY_WAIT_SECONDS, Busy, StateFile, Unusable
from .statejournal import Journal, describe
from .stateopen import Opened, open_state_file

#: How often the file is checked for another instance's writes.
POLL_SECONDS = 2.0
#: How long the file may stay locked before the user is told.
STUCK_SECONDS = 2.0
_IN_MEMORY = "Read marks and saved stories will last only until you quit."
_LOCKED = "the state file is locked by another program"
_NO_ANSWER = "the state file did not answer in time"

Opener = Callable[[Path, Callable[[str], None]], Opened]


@dataclass(frozen=True, slots=True)
class Timing:
    """The thread's intervals, in seconds (tests make them short)."""

    poll: float = POLL_SECONDS
    stuck: float = STUCK_SECONDS
    first_pause: float = 0.01  # after the first "locked", doubling up to `longest_pause`
    longest_pause: float = 0.5


class Mode(Enum):
    """Where marks go."""

    OPENING = "opening"  # not read yet
    FILE = "file"  # written to the file
    READ_ONLY = "read-only"  # read from the file, kept in memory
    MEMORY = "memory"  # in memory only


class Writer:
    """The thread that keeps the state file in step with a `Journal`."""

    def __init__(
        self, path: Path, journal: Journal, timing: Timing, opener: Opener = open_state_file
    ) -> None:
        self.path = path
        self.mode = Mode.OPENING
        #: The open file, once it is.
        self.file: StateFile | None = None
        #: Why what is owed cannot be written now, for `close`'s message.
        self.unsaved_because = _NO_ANSWER
        self._journal = journal
        self._timing = timing
        self._opener = opener
        self._wake = threading.Event()
        self._deadline: float | None = None  # set by `stop`: write what is owed until then
        self._halt = False  # set when `stop` gives up waiting
        self._version = 0
        self._busy_since: float | None = None
        self._told_locked: str | None = None
        self._thread = threading.Thread(target=self._run, name="reader-state", daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def wake(self) -> None:
        """Something is owed: write it now."""
        self._wake.set()

    def stop(self, timeout: float) -> None:
        """Write what is owed, waiting at most about `timeout` seconds; then stop."""
        self._deadline = time.monotonic() + timeout
        self._wake.set()
        if self._thread.is_alive():
            # One statement may be waiting on a lock: allow for it.
            self._thread.join(timeout + 2 * BUSY_WAIT_SECONDS + 0.1)
        self._halt = True  # a thread still in SQLite stops as soon as it is back
        self._wake.set()

    # --- the loop ---------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._loop()
        except Exception as err:  # a bug must not leave marks silently unsaved
            self._give_up(f"The state store stopped ({type(err).__name__}: {err}). {_IN_MEMORY}")
        finally:
            if self.file is not None:
                self.file.close()
            self._journal.mark_ready()
            self._journal.stop_writing()

    def _loop(self) -> None:
        pause = 0.0
        next_poll = time.monotonic() + self._timing.poll
        while not self._halt:
            closing = self._deadline is not None
            try:
                if self.mode is Mode.OPENING:
                    self._open()
                elif self.mode is Mode.FILE and self._journal.has_pending():
                    self._write()
                elif self._watching() and not closing and time.monotonic() >= next_poll:
                    self._poll()
                    next_poll = time.monotonic() + self._timing.poll
                elif closing:
                    return
                else:
                    self._idle(next_poll - time.monotonic() if self._watching() else None)
                    continue
                self._freed()
                pause = 0.0
            except Busy:
                self._locked()
                pause = min(max(2 * pause, self._timing.first_pause), self._timing.longest_pause)
                if self._deadline is not None:
                    left = self._deadline - time.monotonic()
                    if left <= 0:
                        return  # `close` reports what is still owed
                    pause = min(pause, left)
                self._idle(pause)

    def _idle(self, timeout: float | None) -> None:
        if timeout is None or timeout > 0:
            self._wake.wait(timeout)
        # Cleared after the wait: whatever set it is seen by the loop's next look.
        self._wake.clear()

    def _watching(self) -> bool:
        if self.mode is Mode.FILE:
            return True
        return self.mode is Mode.READ_ONLY and self.file is not None and self.file.watch

    # --- the steps --------------------------------------------------------------

    def _open(self) -> None:
        try:
            opened = self._opener(self.path, self._warn)
        except Unusable as err:
            self._give_up(f"{err}. {_IN_MEMORY}", "the state file could not be used")
            return
        self.file, self._version = opened.file, opened.version
        self._journal.loaded(opened.marks)
        if opened.file.writable:
            self.mode = Mode.FILE
        else:
            self.mode = Mode.READ_ONLY
            self.unsaved_because = "the state file is read-only"
            self._journal.stop_writing()
        if opened.notice:
            self._warn(opened.notice)
        self._journal.mark_ready()

    def _write(self) -> None:
        file = self._file()
        upto, changes = self._journal.batch()
        if self._lost(file):
            return
        try:
            file.write(changes)
        except sqlite3.Error as err:  # not "locked" (that is Busy): the disk, the file...
            self._give_up(
                f"Could not save to the state file ({err}); changes last until you quit.",
                f"could not write to the state file ({err})",
            )
            return
        if self._lost(file):  # written to a file that is no longer there: not saved
            return
        self._journal.written(upto)

    def _poll(self) -> None:
        file = self._file()
        if self._lost(file):
            return
        version = file.data_version()
        if version != self._version:
            marks = file.load()
            self._version = version
            self._journal.loaded(marks)

    def _file(self) -> StateFile:
        assert self.file is not None  # in FILE and READ_ONLY modes
        return self.file

    def _lost(self, file: StateFile) -> bool:
        """True (and marks kept in memory from now on) when the file left its path."""
        what = file.gone()
        if what is None:
            return False
        self._give_up(
            f"The state file {self.path} {what} while reader was running; "
            "marks are kept until you quit.",
            f"the state file {what}",
        )
        return True

    # --- what the user is told --------------------------------------------------

    def _warn(self, notice: str) -> None:
        self._journal.tell(notice, standing=True)

    def _give_up(self, warning: str, because: str = "") -> None:
        """From now on marks are kept in memory only."""
        self.mode = Mode.MEMORY
        if self.file is not None:
            self.file.close()
            self.file = None
        if because:
            self.unsaved_because = because
        if self._told_locked is not None:  # superseded by this warning
            self._journal.clear_warning(self._told_locked)
            self._told_locked = None
        self._busy_since = None
        self._journal.set_busy(False)
        self._journal.stop_writing()
        self._journal.mark_ready()
        self._warn(warning)

    def _locked(self) -> None:
        self._journal.set_busy(True)
        now = time.monotonic()
        if self._busy_since is None:
            self._busy_since = now
        if self._told_locked is not None or now - self._busy_since < self._timing.stuck:
            return
        owed = describe(*self._journal.unsaved())
        if owed:
            later = f"{owed} will be written when it is free"
        elif self.mode is Mode.OPENING:
            later = "your marks will appear when it is free"
        else:
            return  # only another instance's marks wait: not worth a word
        self._told_locked = f"The state file is locked by another program; {later}."
        self._warn(self._told_locked)
        self.unsaved_because = _LOCKED

    def _freed(self) -> None:
        """A step went through: the lock is over once nothing is owed; say so if it was told."""
        if self._busy_since is None:
            return
        self._journal.set_busy(False)
        if self.mode is Mode.FILE and self._journal.has_pending():
            return  # not over until what is owed is written
        told, self._told_locked, self._busy_since = self._told_locked, None, None
        if told is None:
            return
        self._journal.clear_warning(told)
        if self.unsaved_because == _LOCKED:
            self.unsaved_because = _NO_ANSWER
        if self.mode is Mode.FILE:
            self._journal.tell("The state file is free again; your marks are saved.")
        elif self.mode is Mode.READ_ONLY:
            self._journal.tell("The state file is free again; your marks are shown.")
