"""The detail pane: everything about one story, and its related stories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import timefmt
from reader.model.article import Article, Problem, Related, Story
from reader.model.text import clean_line
from reader.model.timefmt import age, local_datetime, relative

from .line_list import LineList, set_virtual_size


@dataclass(frozen=True, slots=True)
class RelatedRow:
    """A related story and whether it is in the corpus too."""

    related: Related
    in_corpus: bool


class RelatedList(LineList):
    """Related stories; a mark shows those that can be shown here."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[RelatedRow] = ()
        self._now = timefmt.current_time()

    def show(self, rows: Sequence[RelatedRow], cursor: int = 0) -> None:
        """Show these related stories, the cursor on row `cursor`."""
        self.rows = rows
        self._now = timefmt.current_time()
        self.set_count(len(rows), cursor=cursor)

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
    """The story's text, wrapped to the width and drawn a line at a time.

    A Line-API view, like the lists: showing another story redraws this view
    alone and never lays out the screen again.
    """

    DEFAULT_CSS = """
    StoryView { overflow-x: hidden; scrollbar-gutter: stable; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.content = Text()
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}
        self._wrapped_at = 0

    def show(self, content: Text) -> None:
        """Replace the text shown, from the top."""
        self.content = content
        self._wrap()
        self.scroll_home(animate=False, immediate=True)

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._wrapped_at = width
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
        height: 9;
        border-top: solid $panel-lighten-1;
        border-title-color: $text;
        border-title-style: bold;
    }
    """

    def compose(self) -> ComposeResult:
        yield StoryView(id="story")
        yield RelatedList(id="related")

    @property
    def text(self) -> str:
        """The story's text as shown, without styles."""
        return self.query_one(StoryView).content.plain

    @property
    def story_view(self) -> StoryView:
        """The scrolling text of the story."""
        return self.query_one(StoryView)

    def show_message(self, message: str) -> None:
        """Show a line of text instead of a story (nothing loaded yet, no match)."""
        self.story_view.show(Text(message, style="italic"))
        self._show_related(())

    def show(
        self,
        article: Article,
        story: Story | Problem | None,
        related: Sequence[RelatedRow],
        topic_names: Sequence[str],
        related_row: int = 0,
    ) -> None:
        """Show `article`; `story` is its full record, why the file could not be
        read again, or None while it is being read."""
        self.story_view.show(story_text(article, story, topic_names))
        self._show_related(related, related_row)

    def _show_related(self, related: Sequence[RelatedRow], cursor: int = 0) -> None:
        related_list = self.query_one(RelatedList)
        if related:
            # Our own words only: a border title is read as markup.
            related_list.border_title = (
                f"Related stories ({len(related)})  ● in this folder  ↗ in the browser"
            )
        else:
            related_list.border_title = "No related stories"
            if related_list.has_focus:
                self.story_view.focus()  # keep the focus in the pane
        related_list.show(related, cursor)


def story_text(article: Article, story: Story | Problem | None, topic_names: Sequence[str]) -> Text:
    """The story's text, built from parts (never markup), as the detail pane shows it."""
    text = Text()
    text.append(article.title or "(untitled)", style="bold")
    text.append("\n")
    provider = article.provider_name or "Unknown provider"
    text.append(provider, style="bold")
    if article.provider_domain:
        text.append(f" ({article.provider_domain})", style="dim")
    text.append("\n")
    if article.published_ts is not None:
        text.append(f"{local_datetime(article.published_ts)}  ·  {relative(article.published_ts)}")
    else:
        text.append("Publication date unknown", style="dim")
    text.append("\n")
    heat = "unknown" if article.heat is None else str(article.heat)
    quality = "unknown" if article.quality is None else str(article.quality)
    text.append(f"Heat {heat}  ·  Quality {quality}\n")
    if topic_names:
        text.append("Topics: ", style="dim")
        text.append("  ·  ".join(topic_names))
        text.append("\n")
    text.append("\n")
    text.append(article.excerpt or "No excerpt.", style="" if article.excerpt else "dim")
    text.append("\n")
    if story is None:
        text.append("\nReading images and related stories…\n", style="dim")
    elif isinstance(story, Problem):
        text.append(f"\nThe file could not be read again: {story.reason}\n", style="dim")
    elif story.images:
        text.append("\nImages\n", style="bold")
        for image in story.images:
            size = f"  {image.width}×{image.height}" if image.width and image.height else ""
            text.append(f"  {clean_line(image.url, 300)}")
            text.append(f"{size}\n", style="dim")
    link = article.link_to_open
    text.append("\nLink  ", style="bold")
    text.append(clean_line(link, 300) if link else "none", style="underline" if link else "dim")
    return text
