"""Read and saved marks as the browsing model sees them.

The SQLite store (`reader.model.state.StateStore`) satisfies `Marks`;
`MemoryMarks` does too, for tests and for a session that keeps nothing.
Marks are kept by `Article.mark_key`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Marks(Protocol):
    """Where read and saved marks live."""

    def read_links(self) -> frozenset[str]:
        """The keys of every story marked read (a snapshot)."""
        ...

    def saved_links(self) -> frozenset[str]:
        """The keys of every saved story (a snapshot)."""
        ...

    def set_read(self, key: str, read: bool = True) -> None:
        """Mark one story read or unread."""
        ...

    def set_read_many(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark many stories read or unread at once."""
        ...

    def set_saved(self, key: str, saved: bool = True) -> None:
        """Save or unsave one story."""
        ...


class MemoryMarks:
    """Marks held in memory only."""

    def __init__(self, read: Iterable[str] = (), saved: Iterable[str] = ()) -> None:
        self._read = frozenset(read)
        self._saved = frozenset(saved)

    def read_links(self) -> frozenset[str]:
        """The keys of every story marked read."""
        return self._read

    def saved_links(self) -> frozenset[str]:
        """The keys of every saved story."""
        return self._saved

    def set_read(self, key: str, read: bool = True) -> None:
        """Mark one story read or unread."""
        self.set_read_many([key], read)

    def set_read_many(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark many stories read or unread."""
        keys = {k for k in keys if k}
        self._read = self._read | keys if read else self._read - keys

    def set_saved(self, key: str, saved: bool = True) -> None:
        """Save or unsave one story."""
        if key:
            self._saved = self._saved | {key} if saved else self._saved - {key}
