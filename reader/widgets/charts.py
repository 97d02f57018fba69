"""Charts of counts drawn with block characters (eighths of a cell), scaled from zero.

`DayBars` draws counts per day as columns, `RankBars` named counts as rows.
Both take their colours from component classes naming theme variables, so
every theme, dark or light, draws them in its own. Why not a plotting
library: see `reader.screens.stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from reader.model.text import clean_line

_UP = " ▁▂▃▄▅▆▇█"  # eighths of a cell, from the bottom
_RIGHT = " ▏▎▍▌▋▊▉█"  # eighths of a cell, from the left


def _day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _eighths(value: int, largest: int, cells: int) -> int:
    """`value` as eighths of `cells` cells (largest = all of them); at least one when > 0."""
    if value <= 0 or largest <= 0 or cells <= 0:
        return 0
    return max(1, round(value / largest * cells * 8))


class _Chart(Widget):
    """What the two charts share: colours from component classes, which name
    theme variables, so every theme (dark or light) draws them in its own."""

    def style_of(self, component: str) -> Style:
        """The colour of a component class, without its background."""
        color = self.get_component_rich_style(component).color
        return Style(color=color) if color is not None else Style()


class DayBars(_Chart):
    """Counts per day as columns scaled from zero, the largest labelled, dates below.

    With fewer columns than days, the latest days are shown.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"day-bars--bar", "day-bars--axis"}
    DEFAULT_CSS = """
    DayBars { width: 1fr; height: 1fr; }
    DayBars > .day-bars--bar { color: $primary; }
    DayBars > .day-bars--axis { color: $text-muted; }
    """

    def __init__(self, days: Sequence[tuple[date, int]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: (day, count), oldest first.
        self.days = list(days)

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        if not self.days or width < 4 or height < 2:
            return Text()
        largest = max(count for _, count in self.days)
        gutter = len(f"{largest:,}") + 1
        room = max(1, width - gutter)
        step = max(1, room // len(self.days))
        shown = self.days[-min(len(self.days), room) :]
        bar = step - 1 if step >= 2 else 1
        rows = height - 1
        bar_style, axis_style = self.style_of("day-bars--bar"), self.style_of("day-bars--axis")
        text = Text(no_wrap=True, overflow="crop")
        for row in range(rows):
            floor = (rows - 1 - row) * 8
            label = f"{largest:,}" if row == 0 else ("0" if row == rows - 1 else "")
            text.append(label.rjust(gutter - 1) + " ", axis_style)
            for _, count in shown:
                units = _eighths(count, largest, rows) - floor
                block = _UP[min(8, max(0, units))]
                text.append(block * bar, bar_style)
                text.append(" " * (step - bar))
            text.append("\n")
        text.append(self._dates(shown, gutter, step, width), axis_style)
        return text

    @staticmethod
    def _dates(shown: list[tuple[date, int]], gutter: int, step: int, width: int) -> str:
        """Dates under their columns where they fit: the last day's and the first's,
        then one a week back from the last."""
        line = [" "] * width
        last = len(shown) - 1
        for i in [last, 0, *range(last - 7, 0, -7)]:
            label = _day_label(shown[i][0])
            start = gutter + i * step
            if i == last:
                start = min(start, width - len(label))
            elif i:
                start -= (len(label) - 1) // 2
            end = start + len(label)
            if start < gutter or end > width:
                continue
            if any(c != " " for c in line[max(0, start - 2) : end + 2]):  # two spaces apart
                continue
            line[start:end] = label
        return "".join(line)


class RankBars(_Chart):
    """Named counts, largest first: the name (literal text), a bar, the count.

    Shows as many as fit its height.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"rank-bars--bar", "rank-bars--count"}
    DEFAULT_CSS = """
    RankBars { width: 1fr; height: 1fr; }
    RankBars > .rank-bars--bar { color: $accent; }
    RankBars > .rank-bars--count { color: $text-muted; }
    """

    def __init__(self, items: Sequence[tuple[str, int]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: (name, count), largest first; names cleaned of anything a terminal would act on.
        self.items = [(clean_line(name), count) for name, count in items]

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        items = self.items[: max(0, height)]
        if not items or width < 4:
            return Text()
        largest = max(count for _, count in items)
        numbers = [f"{count:,}" for _, count in items]
        count_width = max(map(len, numbers))
        name_width = min(max(cell_len(name) for name, _ in items), max(6, width * 2 // 5))
        cells = max(0, width - name_width - count_width - 2)
        bar_style, count_style = self.style_of("rank-bars--bar"), self.style_of("rank-bars--count")
        text = Text(no_wrap=True, overflow="crop")
        for (name, count), number in zip(items, numbers, strict=True):
            label = Text(name)  # a Text is never parsed as markup
            label.truncate(name_width, overflow="ellipsis", pad=True)
            text.append_text(label)
            units = _eighths(count, largest, cells)
            blocks = "█" * (units // 8) + (_RIGHT[units % 8] if units % 8 else "")
            text.append(" " + blocks.ljust(cells) + " ", bar_style)
            text.append(number.rjust(count_width), count_style)
            text.append("\n")
        text.rstrip()
        return text
