"""What the main screen needs from the application that hosts it.

A protocol, so that screens never import the app (the app imports them).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from textual.worker import Worker


class StateSource(Protocol):
    """Marks that other readers may change meanwhile."""

    @property
    def ready(self) -> bool:
        """True once the state file was read (or given up on)."""
        ...

    def refresh(self) -> bool:
        """True when marks changed elsewhere since the last look."""
        ...

    @property
    def path(self) -> Path | None:
        """The state file (None when marks are kept in memory only)."""
        ...


class Host(Protocol):
    """The app: the browser, the clipboard, the state store and the error report."""

    @property
    def state(self) -> StateSource:
        """Read marks, saved stories and settings."""
        ...

    def open_link(
        self,
        url: str,
        on_opened: Callable[[], object] | None = None,
        argv: tuple[str, ...] | None = None,
    ) -> None:
        """Hand `url` to the browser (or to the program `argv`); `on_opened` runs once
        it has it."""
        ...

    def copy_link(self, url: str, about: str) -> None:
        """Put `url` on the clipboard and say how."""
        ...

    def state_ready(self) -> None:
        """The state file has been read: take its settings (the theme)."""
        ...

    def state_notices(self) -> list[str]:
        """What the state store has to tell the user, each said once."""
        ...

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a failed worker."""
        ...
