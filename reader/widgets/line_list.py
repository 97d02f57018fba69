"""A lazily drawn, keyboard- and mouse-driven list of one-line rows.

Built on Textual's Line API, as Toolong is: only the rows on screen are ever
drawn, so a list of 100,000 stories costs the same as a list of ten. Rows are
not widgets; a subclass says how to draw row N with `render_row`.

What the user does goes up as messages (`Moved`, `Activated`, `Scrolled`,
`Resized`); what the list shows comes down through `show_rows`, which moves
the cursor and the view without posting a move (`prevent`). A key's move is
relative ("one down"), resolved by the parent against its own state: keys
that come faster than the answers are never lost.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

#: Components drawn dimmer than the text around them.
_DIMMED = frozenset({"dim", "read"})


class RowMessage(Message):
    """Something the user did to row `index` of a list."""

    def __init__(self, line_list: LineList, index: int) -> None:
        super().__init__()
        self.line_list = line_list
        self.index = index

    @property
    def control(self) -> LineList:
        """The list that posted the message."""
        return self.line_list


class LineList(ScrollView, can_focus=True):
    """A list of `count` rows with a cursor."""

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
        "line-list--origin",
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
        & > .line-list--origin { text-style: underline; }
        & > .line-list--dim { color: $foreground 72%; }
        & > .line-list--accent { color: $text-accent; }
    }
    """

    class Moved(RowMessage):
        """The user moved the cursor: to row `index` (a click, Home; -1: the last row),
        or `by` rows from wherever it is (a key), when `index` is None."""

        def __init__(self, line_list: LineList, index: int | None, by: int = 0) -> None:
            super().__init__(line_list, -1 if index is None else index)
            self.to_row, self.by = index, by

        def row(self, cursor: int, count: int) -> int:
            """The row moved to, from the cursor the parent holds, clamped to `count` rows."""
            if self.to_row is None:
                row = cursor + self.by
            else:
                row = self.to_row if self.to_row >= 0 else count + self.to_row
            return max(0, min(row, count - 1))

    class Activated(RowMessage):
        """Enter (or a double click) on row `index`."""

    class Scrolled(RowMessage):
        """The user scrolled (wheel, scroll bar): `index` is the first row on screen."""

    class Resized(RowMessage):
        """The list was resized: `index` is how many rows fit on screen now."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.count = 0
        #: The row drawn as the cursor's (set by `show_rows` only).
        self.cursor = 0
        #: False while the cursor row is only where the story shown came from.
        self.cursor_shown = True
        self._cache: dict[tuple[int, int, bool, bool, bool], Strip] = {}
        # `style_of` by component: asked ~7 times a row, each worked out from the CSS.
        self._styles: dict[str, Style] = {}

    # -- what subclasses provide ---------------------------------------------------

    def render_row(self, index: int, width: int) -> Text:
        """The text of row `index`, at most `width` cells; override in subclasses."""
        raise NotImplementedError

    # -- contents (from the parent: nothing is posted) -------------------------------

    def show_rows(
        self, count: int, cursor: int, top: int | None = None, *, changed: bool = True
    ) -> None:
        """Show `count` rows, the cursor on row `cursor` and row `top` first on screen
        (None: scroll the least that shows the cursor).

        With `changed` False the rows hold what they held: only the cursor moved,
        and only its old and new rows are drawn again (a key press then redraws
        two rows, not the whole list).
        """
        old_top = round(self.scroll_offset.y)
        cursor = max(0, min(cursor, count - 1)) if count else 0
        before, self.cursor = self.cursor, cursor
        with self.prevent(LineList.Scrolled):
            if count != self.count:
                self.count = count
                set_virtual_size(self, Size(self.size.width, count))  # may scroll
                changed = True
            if changed:
                self._cache.clear()
            if top is None:
                self._scroll_to_cursor()
            elif top != old_top:
                self.scroll_to(y=top, animate=False, immediate=True)
        if changed:
            self.refresh()
        elif round(self.scroll_offset.y) == old_top:  # a scroll redraws everything itself
            self._refresh_row(before)
            self._refresh_row(cursor)

    def redraw(self) -> None:
        """Draw every row again (their contents changed, not their number)."""
        self._cache.clear()
        self.refresh()

    @property
    def visible_rows(self) -> int:
        """How many rows fit on screen."""
        return max(1, self.scrollable_content_region.height)

    def _scroll_to_cursor(self) -> None:
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        y = index - round(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # -- the user's moves ----------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.Scrolled(self, round(new_value)))

    def _move(self, index: int | None, by: int = 0) -> None:
        # Nothing is drawn here: the parent answers with show_rows, so the list
        # and the detail pane change in the same frame.
        if self.count:
            self.post_message(self.Moved(self, index, by))

    def action_cursor_up(self) -> None:
        self._move(None, -1)

    def action_cursor_down(self) -> None:
        self._move(None, 1)

    def action_page_up(self) -> None:
        self._move(None, -max(1, self.visible_rows - 1))

    def action_page_down(self) -> None:
        self._move(None, max(1, self.visible_rows - 1))

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(-1)

    def action_activate(self) -> None:
        if self.count:
            self.post_message(self.Activated(self, self.cursor))

    def row_at(self, event: events.MouseEvent) -> int | None:
        """The row under the pointer, if any (borders and padding excluded)."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        index = round(self.scroll_offset.y) + offset.y
        return index if 0 <= index < self.count else None

    def on_click(self, event: events.Click) -> None:
        index = self.row_at(event)
        if index is None:
            return
        self.focus()
        if event.chain >= 2 and index == self.cursor:
            self.post_message(self.Activated(self, index))
        else:
            self._move(index)

    # -- drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if index >= self.count or width <= 0:
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (index, width, selected, self.has_focus, self.cursor_shown)
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
        if selected and self.cursor_shown:
            # The cursor's colours win over the row's own, which may not read on them.
            text.spans = [Span(s.start, s.end, _colourless(s.style)) for s in text.spans]
            text.style = _colourless(text.style)
        if selected:
            if not self.cursor_shown:
                name = "line-list--origin"
            elif self.has_focus:
                name = "line-list--cursor"
            else:
                name = "line-list--cursor-blurred"
            style += self.get_component_rich_style(name)
        strip = Strip(text.render(self.app.console), width).apply_style(style)
        return strip.adjust_cell_length(width, style).simplify()

    def style_of(self, component: str) -> Style:
        """The style of one of this list's component classes, for text drawn over any row.

        The colour comes from the full style, where Textual has blended a
        translucent theme colour (such as `$text-muted`) with the background; a
        partial style drops the alpha and gives pure white. The background is
        left out, so a span does not hide the cursor row's. A theme of terminal
        colours has no colour to dim with: the terminal's dim attribute is used.
        """
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self._style_of(component)
        return style

    def _style_of(self, component: str) -> Style:
        name = f"line-list--{component}"
        full = self.get_component_rich_style(name)
        style = self.get_component_rich_style(name, partial=True).without_color
        if full.color is not None and not full.color.is_default:
            return style + Style(color=full.color)
        return style + Style(dim=component in _DIMMED)

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        set_virtual_size(self, Size(event.size.width, self.count))
        self.post_message(self.Resized(self, self.visible_rows))

    def on_focus(self) -> None:
        self.redraw()

    def on_blur(self) -> None:
        self.redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._styles.clear()


def _colourless(style: str | Style) -> str | Style:
    return style.without_color if isinstance(style, Style) else style


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
