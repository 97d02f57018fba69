"""The sidebar: reader's own entries and the topics, with unread/total counts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from reader.browse.view import SidebarEntry, SidebarView
from reader.model.rising import bars

from .line_list import LineList


def compact(number: int) -> str:
    """A count in few columns, to three figures: 9,999 as is, then 12.3k, 123k, 1.23M."""
    if number < 10_000:
        return f"{number:,}"
    for size, unit in ((1_000_000, "M"), (1_000, "k")):
        if number >= size:
            value = number / size
            digits = 0 if value >= 100 else 1 if value >= 10 else 2
            text = f"{int(value * 10**digits) / 10**digits:.{digits}f}"  # cut, never round up
            return f"{text}{unit}"
    return str(number)


def counts(unread: int, total: int) -> str:
    """ "unread/total", short; exact whenever the short forms would hide a difference."""
    short_unread, short_total = compact(unread), compact(total)
    if unread != total and short_unread == short_total:
        return f"{unread:,}/{total:,}"
    return f"{short_unread}/{short_total}"


class TopicList(LineList):
    """Sidebar entries with unread/total counts; row N shows `entries[N]`."""

    DEFAULT_CSS = """
    TopicList > .line-list--accent { color: $text-accent; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: Sequence[SidebarEntry] = ()

    def show(self, view: SidebarView) -> None:
        """Draw these entries, the cursor on `view.cursor`."""
        moved = view.cursor != self.cursor
        changed = view.entries != self.entries
        self.entries = view.entries
        # Counts change all the time (marks, reloads): scroll only if the entry moved.
        top = None if moved else round(self.scroll_offset.y)
        self.show_rows(len(view.entries), view.cursor, top, changed=changed)

    def render_row(self, index: int, width: int) -> Text:
        entry = self.entries[index]
        count = counts(entry.unread, entry.total) if entry.counted else "…"
        # reader's own entries in the accent colour and bold: a file's topic named
        # "★ Saved" or "All stories" is drawn like any other topic.
        name = Text(entry.name, no_wrap=True, style=self.style_of("accent") if entry.own else "")
        spark = bars(entry.trend)
        room = width - len(count) - 2 - (len(spark) + 1 if spark else 0)
        name.truncate(max(1, room), overflow="ellipsis", pad=True)
        name.append("  ")
        name.append(count, style=self.style_of("dim"))
        if spark:  # last, so that every row's days line up
            name.append(f" {spark}", style=self.style_of("accent"))
        return name
