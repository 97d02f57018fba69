"""The detail pane: everything about one story, and its related stories."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.browse.view import DetailView, RelatedRow
from reader.model import timefmt
from reader.model.timefmt import age

from .lead_image import LeadImage
from .line_list import LineList, set_virtual_size
from .story_text import story_text


class RelatedList(LineList):
    """Related stories; a mark shows those that can be shown here."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[RelatedRow] = ()
        self._now = timefmt.current_time()

    def show(self, rows: Sequence[RelatedRow], cursor: int = 0, *, links: bool = False) -> None:
        """Show these related stories (`links`: the links of the full text shown), the
        cursor on row `cursor`."""
        changed = rows != self.rows
        self.rows = rows
        if changed:
            self._now = timefmt.current_time()
        self.can_focus = bool(rows)  # no Tab stop on an empty list
        self.show_rows(len(rows), cursor, changed=changed)
        # Our own words only: a border title is read as markup.
        if links:
            self.border_title = f"Links in the text ({len(rows)})  ● in this folder  ↗ browser"
        elif rows:
            self.border_title = f"Related stories ({len(rows)})  ● in this folder  ↗ browser"
        else:
            self.border_title = "No related stories"

    def tick(self) -> None:
        """Draw ages again from the current time."""
        self._now = timefmt.current_time()
        self.redraw()

    def render_row(self, index: int, width: int) -> Text:
        row = self.rows[index]
        item = row.related
        number = f"{index + 1}" if index < 9 else " "
        mark = "●" if row.in_corpus else "↗"
        text = Text(no_wrap=True)
        text.append(f"{number} {mark} ", style=self.style_of("accent" if row.in_corpus else "dim"))
        text.append(item.title or item.url or "(untitled)")
        provider = item.provider_name or item.provider_domain
        when = age(item.published_ts, self._now)
        tail = " · ".join(p for p in (provider, when) if p)
        if tail:
            text.append(f"  {tail}", style=self.style_of("dim"))
        return text


class StoryView(ScrollView, can_focus=True):
    """The story's text, built for the width and drawn a line at a time.

    A Line-API view, like the lists: showing another story redraws this view
    alone and never lays out the screen again.
    """

    DEFAULT_CSS = """
    StoryView { overflow-x: hidden; scrollbar-gutter: stable; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._build: Callable[[int], Text] = lambda width: Text()
        self.content = Text()
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}
        self._wrapped_at = 0

    def show(self, build: Callable[[int], Text]) -> None:
        """Show the text `build(width)` makes, from the top; it is built again on resize."""
        self._build = build
        self._wrap()
        self.scroll_home(animate=False, immediate=True)

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._wrapped_at = width
        self.content = self._build(max(width, 1))
        self._lines = list(self.content.wrap(self.app.console, width)) if width > 0 else []
        self._strips.clear()
        set_virtual_size(self, Size(width, len(self._lines)))

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._wrapped_at:
            self._wrap()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # the theme changed

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        strip = self._strips.get(index)
        if strip is None:
            width, style = self._wrapped_at, self.rich_style
            if 0 <= index < len(self._lines):
                segments = list(self._lines[index].render(self.app.console))
                strip = Strip(segments).apply_style(style).adjust_cell_length(width, style)
            else:
                strip = Strip.blank(width, style)
            self._strips[index] = strip
        return strip


class DetailPane(Vertical):
    """Title, provider, dates, scores, topics, excerpt, images, link, related stories.

    Both parts keep their size whatever is shown: changing stories then redraws
    the pane alone, never the whole screen (a layout pass costs ~30 ms).
    """

    DEFAULT_CSS = """
    DetailPane > StoryView { height: 1fr; }
    DetailPane > RelatedList {
        border-top: solid $panel-lighten-2;
        border-title-color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view: DetailView | None = None

    def compose(self) -> ComposeResult:
        yield LeadImage(id="lead-image")
        yield StoryView(id="story")
        yield RelatedList(id="related")

    @property
    def lead_image(self) -> LeadImage:
        """The story's picture (`i`), above its text."""
        return self.query_one(LeadImage)

    @property
    def text(self) -> str:
        """The story's text as shown, without styles."""
        return self.query_one(StoryView).content.plain

    @property
    def story_view(self) -> StoryView:
        """The scrolling text of the story."""
        return self.query_one(StoryView)

    @property
    def related_list(self) -> RelatedList:
        """The related stories."""
        return self.query_one(RelatedList)

    def show(self, view: DetailView) -> None:
        """Show the story of `view`, or its message when there is none."""
        if self._view is not None and replace(self._view, related_cursor=0) == replace(
            view, related_cursor=0
        ):
            self._view = view  # the same story: at most the related row moved
            self.related_list.show(
                view.related, view.related_cursor, links=view.full_text is not None
            )
            return
        self._view = view
        if view.article is None:
            message = Text(view.message, style="italic")
            self.story_view.show(lambda width: message)
        else:
            accent = self.related_list.style_of("accent")
            self.story_view.show(lambda width: story_text(view, width, self._muted(), accent))
        self.related_list.show(view.related, view.related_cursor, links=view.full_text is not None)
        if not view.related and self.related_list.has_focus:
            self.story_view.focus()  # keep the focus in the pane

    def _muted(self) -> Style:
        return self.related_list.style_of("dim")
