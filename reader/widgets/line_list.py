"""A lazily drawn, keyboard- and mouse-driven list of one-line rows.

Built on Textual's Line API, as Toolong is: only the rows on screen are ever
drawn, so a list of 100,000 stories costs the same as a list of ten. Rows are
not widgets; a subclass says how to draw row N with `render_row`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget


class LineList(ScrollView, can_focus=True):
    """A list of `count` rows with a cursor; watch `cursor`, handle `Activated`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("home,g", "first", "First", show=False, id="first"),
        Binding("end,G", "last", "Last", show=False, id="last"),
        Binding(
            "enter",
            "activate",
            "Open: a topic's stories, a story's detail, a related story",
            show=False,
            id="activate",
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-list--cursor",
        "line-list--cursor-blurred",
        "line-list--dim",
        "line-list--accent",
    }

    DEFAULT_CSS = """
    LineList {
        overflow-x: hidden;
        & > .line-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .line-list--cursor-blurred {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .line-list--dim { color: $text-muted; }
        & > .line-list--accent { color: $text-accent; }
    }
    """

    #: The row under the cursor. Watched rather than messaged: whoever follows
    #: it (the detail pane) updates in the same frame, where a message would
    #: land a frame (~16 ms) later. Set on every move, even to the same row.
    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Activated(Message):
        """Enter (or a double click) on row `index`."""

        def __init__(self, line_list: LineList, index: int) -> None:
            super().__init__()
            self.line_list = line_list
            self.index = index

        @property
        def control(self) -> LineList:
            """The list that posted the message."""
            return self.line_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.count = 0
        #: Whether the last cursor move came from a key or a click.
        self.moved_by_user = False
        self._cache: dict[tuple[int, int, bool, bool], Strip] = {}

    # -- what subclasses provide ---------------------------------------------------

    def render_row(self, index: int, width: int) -> Text:
        """The text of row `index`, at most `width` cells; override in subclasses."""
        raise NotImplementedError

    # -- contents ------------------------------------------------------------------

    def set_count(self, count: int, cursor: int = 0, *, scroll: bool = True) -> None:
        """Say how many rows there are now and where the cursor goes."""
        self.count = count
        self._cache.clear()
        set_virtual_size(self, Size(self.size.width, count))
        self.set_cursor(cursor, scroll=scroll)
        self.refresh()

    def redraw(self) -> None:
        """Draw every row again (their contents changed, not their number)."""
        self._cache.clear()
        self.refresh()

    def set_cursor(self, index: int, *, scroll: bool = True, by_user: bool = False) -> None:
        """Move the cursor to `index` (clamped) and keep it in view."""
        index = max(0, min(index, self.count - 1)) if self.count else 0
        old = self.cursor
        self.moved_by_user = by_user
        self.cursor = index
        self._refresh_row(old)
        self._refresh_row(index)
        if scroll:
            self.scroll_to_cursor()

    def scroll_to_cursor(self) -> None:
        """Scroll the least needed to show the cursor row."""
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        y = index - round(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # -- drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if index >= self.count or width <= 0:
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (index, width, selected, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._draw(index, width, selected)
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = strip
        return strip

    def _draw(self, index: int, width: int, selected: bool) -> Strip:
        text = self.render_row(index, width)
        text.truncate(width, overflow="ellipsis", pad=True)
        style = self.rich_style
        if selected:
            name = "line-list--cursor" if self.has_focus else "line-list--cursor-blurred"
            style += self.get_component_rich_style(name)
        strip = Strip(text.render(self.app.console), width).apply_style(style)
        return strip.adjust_cell_length(width, style).simplify()

    def style_of(self, component: str) -> Style:
        """A rich style of one of this list's component classes."""
        return self.get_component_rich_style(f"line-list--{component}", partial=True)

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        set_virtual_size(self, Size(event.size.width, self.count))

    def on_focus(self) -> None:
        self.redraw()

    def on_blur(self) -> None:
        self.redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # -- keys and mouse ------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.set_cursor(self.cursor - 1, by_user=True)

    def action_cursor_down(self) -> None:
        self.set_cursor(self.cursor + 1, by_user=True)

    def action_page_up(self) -> None:
        self.set_cursor(self.cursor - max(1, self.size.height - 1), by_user=True)

    def action_page_down(self) -> None:
        self.set_cursor(self.cursor + max(1, self.size.height - 1), by_user=True)

    def action_first(self) -> None:
        self.set_cursor(0, by_user=True)

    def action_last(self) -> None:
        self.set_cursor(self.count - 1, by_user=True)

    def action_activate(self) -> None:
        if self.count:
            self.post_message(self.Activated(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < self.count:
            self.focus()
            self.set_cursor(index, by_user=True)
            if event.chain >= 2:
                self.post_message(self.Activated(self, index))


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Give `view` a new scrollable size without a layout pass of the whole screen.

    Assigning `virtual_size` lays out the screen again (~25 ms at 160x50), yet a
    Line-API view keeps its own size when its number of lines changes; Textual
    does the same internally when it resizes a widget.
    """
    if size != view.virtual_size:
        view.set_reactive(Widget.virtual_size, size)
        view._scroll_update(size)  # scrollbars and a scroll position still in range
    view.refresh()
