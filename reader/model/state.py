"""What the user did: stories read and saved, and a few settings (the theme).

State lives in one SQLite file in the user's state folder, keyed by the
story's link so a mark follows the story across topics and files (a story
without a link is keyed by its file: see `Article.mark_key`).

`StateStore` is what the app calls, and none of it waits on a lock or on the
disk: reads come from memory, changes are applied
to memory at once and written by the store's own thread (`statewriter`),
which also opens the file, moves a damaged one aside, waits out another
program's lock and picks up what other instances write. A problem never
stops the app: marks are then kept in memory, and the user is told
(`take_notices`, `warning`, `close`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Literal

from .statefile import STATE_FILE, Marking, Setting, state_dir
from .statejournal import Journal, describe
from .stateopen import open_state_file
from .statewriter import POLL_SECONDS, Mode, Opener, Timing, Writer

__all__ = ["POLL_SECONDS", "STATE_FILE", "StateStore", "Timing", "state_dir"]

#: By default a change (or the first `get_setting`) does not wait for the
#: thread at all. A caller that wants each change written before it goes on
#: (a script, a test) passes `settle`: the longest to wait for it. A free file
#: answers within a few milliseconds (a mark written: 0.7 ms; a file of 100,000
#: marks read: 74 ms); a locked one ends the wait as soon as SQLite says so
#: (`BUSY_WAIT_SECONDS`), and once a wait has run out nothing waits until the
#: thread has caught up.
SETTLE_SECONDS = 0.0
#: How long entering a `with` block waits for the file to be read (the CLI).
ENTER_WAIT_SECONDS = 5.0


class StateStore:
    """Read marks, saved stories and settings, backed by SQLite.

    Every method is safe to call from any thread and returns without waiting
    on a lock or on the disk (unless asked to: see `SETTLE_SECONDS`). Until the file has
    been read, reads give the marks made in this session; changes made before
    then are applied on top of what the file holds.
    """

    def __init__(
        self,
        path: Path,
        *,
        settle: float = SETTLE_SECONDS,
        timing: Timing | None = None,
        opener: Opener = open_state_file,
    ) -> None:
        """A store for the file at `path`, its thread started (`opener`: a seam for tests)."""
        self._journal = Journal()
        self._writer = Writer(path, self._journal, timing or Timing(), opener)
        self._settle = settle
        self._closing = threading.Lock()
        self._closed = False
        self._close_message: str | None = None
        try:
            self._writer.start()
        except RuntimeError as err:  # no thread to be had
            self._journal.tell(f"Cannot start the state store ({err}).", standing=True)
            self._journal.stop_writing()
            self._journal.mark_ready()

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        settle: float = SETTLE_SECONDS,
        timing: Timing | None = None,
    ) -> StateStore:
        """The store of `path` (default: `STATE_FILE` in `state_dir()`), loading in the background.

        Returns at once and never raises.
        """
        path = path if path is not None else state_dir() / STATE_FILE
        return cls(path, settle=settle, timing=timing)

    # --- the file ----------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        """The state file marks are written to; None when they are kept in memory only."""
        writer = self._writer
        return writer.path if writer.mode in (Mode.OPENING, Mode.FILE) else None

    @property
    def ready(self) -> bool:
        """True once the file was read (or given up on)."""
        return self._journal.ready.is_set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until the file was read (or given up on); False if `timeout` passed first.

        For the command line and tests: the app never needs to wait.
        """
        return self._journal.ready.wait(timeout)

    # --- reading -------------------------------------------------------------

    def read_links(self) -> frozenset[str]:
        """The keys of every story marked read (a snapshot; the same object while unchanged)."""
        return self._journal.read_links()

    def saved_links(self) -> frozenset[str]:
        """The keys of every saved story (a snapshot; the same object while unchanged)."""
        return self._journal.saved_links()

    def is_read(self, key: str) -> bool:
        """True when the story with this key is marked read."""
        return self._journal.is_marked("read", key)

    def is_saved(self, key: str) -> bool:
        """True when the story with this key is saved."""
        return self._journal.is_marked("saved", key)

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting (e.g. "theme"), or `default`.

        Before the file is read this waits for it at most `settle` seconds.
        """
        if self._settle > 0 and not self.ready:
            self._journal.wait_ready(self._settle)
        return self._journal.get_setting(key, default)

    @property
    def version(self) -> int:
        """Bumped whenever `read_links()` or `saved_links()` change, for any reason."""
        return self._journal.version

    # --- writing -------------------------------------------------------------

    def set_read(self, key: str, read: bool = True) -> None:
        """Mark the story read (or unread). An empty key is ignored."""
        self._mark("read", (key,), read)

    def set_read_many(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark many stories read (or unread) at once, written in one transaction."""
        self._mark("read", tuple(keys), read)

    def set_saved(self, key: str, saved: bool = True) -> None:
        """Save the story (or unsave it). An empty key is ignored."""
        self._mark("saved", (key,), saved)

    def toggle_saved(self, key: str) -> bool:
        """Flip the story's saved mark as this instance sees it; return the new one.

        The file is then told the outcome ("saved"), not "flip", so two
        instances pressing save at once both leave the story saved.
        """
        return self._toggle("saved", key)

    def toggle_read(self, key: str) -> bool:
        """Flip the story's read mark as this instance sees it; return the new one.

        An empty key is ignored (False) by both toggles.
        """
        return self._toggle("read", key)

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting such as the theme."""
        self._owe(self._journal.change(Setting(key, value)))

    def _mark(self, table: Literal["read", "saved"], keys: tuple[str, ...], on: bool) -> None:
        keys = tuple(key for key in keys if key)
        if keys:
            self._owe(self._journal.change(Marking(table, keys, on, time.time())))

    def _toggle(self, table: Literal["read", "saved"], key: str) -> bool:
        if not key:
            return False  # an empty key is ignored: nothing is marked
        on, number = self._journal.toggle(table, key, time.time())
        self._owe(number)
        return on

    def _owe(self, number: int) -> None:
        self._writer.wake()
        if self._settle > 0:
            self._journal.wait_written(number, self._settle)

    def pending(self) -> int:
        """How many changes (marks and settings) are made but not yet written."""
        return sum(self._journal.unsaved())

    # --- other instances and the user ---------------------------------------------

    def refresh(self) -> bool:
        """True when marks changed since the last call, other than by this instance's calls.

        That is: the first load finishing, another instance's writes, a
        recovery (settings count too). Never blocks: the thread checks the file
        every `POLL_SECONDS` on its own, and this only reports.
        """
        return self._journal.refresh()

    def take_notices(self) -> list[str]:
        """One-line messages for the user not yet taken, each given once."""
        return self._journal.take_notices()

    @property
    def warning(self) -> str | None:
        """The standing problem, if any: why marks may not last."""
        return self._journal.warning

    # --- closing -------------------------------------------------------------

    def close(self, timeout: float = 2.0) -> str | None:
        """Write what is owed (waiting at most about `timeout`), stop the thread, close the file.

        Returns a one-line message when something could not be written, else
        None. Calling it again gives the same answer.
        """
        with self._closing:
            if not self._closed:
                self._closed = True
                self._writer.stop(timeout)
                owed = self._journal.unsaved()
                if any(owed):
                    verb = "was" if sum(owed) == 1 else "were"
                    self._close_message = (
                        f"{describe(*owed)} {verb} not saved: {self._writer.unsaved_because}."
                    )
            return self._close_message

    def __enter__(self) -> StateStore:
        """Waits (at most `ENTER_WAIT_SECONDS`) for the file to be read: a block reads at once."""
        self.wait_ready(ENTER_WAIT_SECONDS)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
