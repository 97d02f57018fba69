"""The listed stories with their cursor and the rows on screen.

Pure bookkeeping, so the rules a user sees are plain unit tests:

- until the user moves, the first (hottest) story is selected and on screen,
  however many stories arrive or however the list is re-ranked;
- once the user has moved, their story stays selected and at the same height
  on screen, and stories that land above the visible rows are counted in
  `new_above` ("↑ 3 new") until the user goes up there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.model.article import Article


@dataclass(slots=True)
class Listing:
    """A list of stories, its cursor and its viewport (`top`, `height`)."""

    stories: Sequence[Article] = ()
    cursor: int = 0
    #: The first row on screen.
    top: int = 0
    #: How many rows fit on screen.
    height: int = 20
    #: True once the user moved the cursor in this list (a key, a click).
    touched: bool = False
    #: Stories now above the visible rows that were not there when the user last looked.
    new_above: int = 0
    #: True when they came with a newer index, False when a re-ranking put them there.
    arrived: bool = True

    @property
    def current(self) -> Article | None:
        """The story under the cursor, if any."""
        if 0 <= self.cursor < len(self.stories):
            return self.stories[self.cursor]
        return None

    def reset(self, stories: Sequence[Article]) -> None:
        """A new list (another topic, a new search): from the top, untouched."""
        self.stories = stories
        self.cursor = self.top = self.new_above = 0
        self.touched = False

    def replace(
        self,
        stories: Sequence[Article],
        keep: str | None,
        *,
        chosen: bool = False,
        arrived: bool = False,
    ) -> None:
        """The same list, refreshed (a reload, a re-ranking): keep the story of file `keep`.

        An untouched list starts from the top again. A touched one (or with
        `chosen`, a story the user picked some other way, e.g. by searching)
        keeps `keep` under the cursor at the same height on screen; when it is
        gone the cursor stays on the same row. `arrived`: the stories come with
        a newer index (rather than a re-ranking of the same ones).
        """
        old, old_top = self.stories, self.top
        screen_row = self.cursor - self.top
        self.stories = stories
        if not (self.touched or chosen):
            self.cursor = self.top = self.new_above = 0
            return
        self.touched = True
        position = find(stories, keep)
        self.cursor = self._clamp(self.cursor if position is None else position)
        self.top = self._clamp_view(self.cursor - screen_row)
        self._count_new_above(old[:old_top], arrived)

    def move(self, index: int) -> None:
        """The user moved the cursor to row `index`; scroll the least to show it."""
        self.touched = True
        self.cursor = self._clamp(index)
        self._show_cursor()
        self._seen_top()

    def scroll(self, top: int) -> None:
        """The user scrolled the view (wheel, scroll bar) without moving the cursor."""
        self.top = self._clamp_view(top)
        self._seen_top()

    def resize(self, height: int) -> None:
        """The list shows `height` rows now; keep the cursor on screen."""
        self.height = max(1, height)
        self._show_cursor()

    def _show_cursor(self) -> None:
        """Scroll the least that brings the cursor on screen."""
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + self.height:
            self.top = self.cursor - self.height + 1
        self.top = self._clamp_view(self.top)

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self.stories) - 1))

    def _clamp_view(self, top: int) -> int:
        """A first row that leaves no blank rows below the last story."""
        return max(0, min(top, len(self.stories) - self.height))

    def _seen_top(self) -> None:
        if self.top == 0:
            self.new_above = 0

    def _count_new_above(self, above_before: Sequence[Article], arrived: bool) -> None:
        """Add the stories above the view now that were not above it before."""
        if self.top == 0:
            self.new_above = 0
            return
        before = {a.path for a in above_before}
        added = sum(a.path not in before for a in self.stories[: self.top])
        if added:
            self.arrived = arrived
        self.new_above = min(self.new_above + added, self.top)


def find(stories: Sequence[Article], path: str | None) -> int | None:
    """Where the story of file `path` is in `stories`."""
    if path is None:
        return None
    return next((i for i, a in enumerate(stories) if a.path == path), None)
