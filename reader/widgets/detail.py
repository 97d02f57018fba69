"""The detail pane: everything about one story, and its related stories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from reader.model import timefmt
from reader.model.article import Article, Problem, Related, Story
from reader.model.text import clean_line
from reader.model.timefmt import age, local_datetime, relative

from .line_list import LineList


@dataclass(frozen=True, slots=True)
class RelatedRow:
    """A related story and whether it is in the corpus too."""

    related: Related
    in_corpus: bool


class RelatedList(LineList):
    """Related stories; a mark shows those that can be shown here."""

    DEFAULT_CSS = """
    RelatedList { height: auto; max-height: 12; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[RelatedRow] = ()
        self._now = timefmt.current_time()

    def show(self, rows: Sequence[RelatedRow], cursor: int = 0) -> None:
        """Show these related stories, the cursor on row `cursor`."""
        self.rows = rows
        self._now = timefmt.current_time()
        self.set_count(len(rows), cursor=cursor)
        self.styles.height = max(1, len(rows))

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


class DetailPane(VerticalScroll):
    """Title, provider, dates, scores, topics, excerpt, images, link, related stories."""

    DEFAULT_CSS = """
    DetailPane > #story { width: 1fr; }
    DetailPane > #related-title { margin-top: 1; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="story")
        yield Static(id="related-title")
        yield RelatedList(id="related")

    def show_message(self, message: str) -> None:
        """Show a line of text instead of a story (nothing loaded yet, no match)."""
        self.query_one("#story", Static).update(Text(message, style="italic"))
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
        self.query_one("#story", Static).update(story_text(article, story, topic_names))
        self._show_related(related, related_row)
        self.scroll_home(animate=False)

    def _show_related(self, related: Sequence[RelatedRow], cursor: int = 0) -> None:
        title = self.query_one("#related-title", Static)
        heading = Text(f"Related stories ({len(related)})")
        heading.append("\n● in this folder   ↗ opens in the browser", style="dim not bold")
        title.update(heading)
        title.display = bool(related)
        related_list = self.query_one(RelatedList)
        if not related and related_list.has_focus:
            self.focus()  # keep the focus in the pane when its list goes away
        related_list.display = bool(related)
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
    link = article.link
    text.append("\nLink  ", style="bold")
    text.append(clean_line(link, 300) if link else "none", style="underline" if link else "dim")
    return text
