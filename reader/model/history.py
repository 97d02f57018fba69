"""Back and forward through the stories shown, as a browser does."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class History(Generic[T]):
    """Places left behind (`back`) and left by going back (`forward`).

    The caller says where it is now (`here`) on each move, so the place it
    leaves is kept as it is at that moment (e.g. with the row then selected).
    """

    def __init__(self) -> None:
        self._back: list[T] = []
        self._forward: list[T] = []

    @property
    def previous(self) -> T | None:
        """The place `back` would return to, if any."""
        return self._back[-1] if self._back else None

    def leave(self, here: T) -> None:
        """A new place is being shown: `here` is kept to come back to; forward is gone."""
        self._back.append(here)
        self._forward.clear()

    def back(self, here: T) -> T | None:
        """The place before `here`, or None at the start (then nothing changes)."""
        if not self._back:
            return None
        self._forward.append(here)
        return self._back.pop()

    def forward(self, here: T) -> T | None:
        """The place `back` came from, or None when there is none."""
        if not self._forward:
            return None
        self._back.append(here)
        return self._forward.pop()

    def clear(self) -> None:
        """Forget every place (a new story chosen from the list)."""
        self._back.clear()
        self._forward.clear()
