"""The ranked list of stories: heat, title, provider and age on each row."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from rich.text import Text

from reader.model import timefmt
from reader.model.article import Article
from reader.model.timefmt import age

from .line_list import LineList


class ArticleList(LineList):
    """Stories in display order; row N shows `articles[N]`."""

    DEFAULT_CSS = """
    ArticleList > .line-list--accent { color: $text-warning; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.articles: Sequence[Article] = ()
        self.read_links: AbstractSet[str] = frozenset()
        self.saved_links: AbstractSet[str] = frozenset()
        self._now = timefmt.current_time()

    @property
    def current(self) -> Article | None:
        """The story under the cursor, if any."""
        if 0 <= self.cursor < len(self.articles):
            return self.articles[self.cursor]
        return None

    def show(self, articles: Sequence[Article], keep: str | None = None) -> None:
        """Show `articles`, the cursor on the story of file `keep` if listed, else on the top.

        When `keep` stays listed its row also stays at the same height on screen,
        so stories arriving above it (while a folder loads) do not make it jump.
        """
        screen_row = self.cursor - round(self.scroll_offset.y)
        self.articles = articles
        self._now = timefmt.current_time()
        cursor = _position(articles, keep)
        if cursor is None:
            self.set_count(len(articles), cursor=0)
            return
        self.set_count(len(articles), cursor, scroll=False)
        self.scroll_to(y=max(0, cursor - screen_row), animate=False, immediate=True)

    def marks(self, read: AbstractSet[str], saved: AbstractSet[str]) -> None:
        """Which stories (by `Article.mark_key`) are read and saved; rows are drawn again."""
        self.read_links, self.saved_links = read, saved
        self.redraw()

    def tick(self) -> None:
        """Draw ages again from the current time."""
        self._now = timefmt.current_time()
        self.redraw()

    def render_row(self, index: int, width: int) -> Text:
        article = self.articles[index]
        heat = "" if article.heat is None else str(article.heat)
        when = age(article.published_ts, self._now)
        provider = article.provider_name or article.provider_domain
        provider_width = 0 if width < 50 else min(18, max(8, width // 5))
        title_width = max(1, width - 7 - 5 - (provider_width + 2 if provider_width else 0))
        is_read = article.mark_key in self.read_links
        mark = "★" if article.mark_key in self.saved_links else (" " if is_read else "•")
        row = Text(no_wrap=True, overflow="ellipsis")
        row.append(f"{heat:>4} ", style=self.style_of("accent"))
        row.append(f"{mark} ", style=self.style_of("accent"))
        title_style = self.style_of("dim") if is_read else ""
        title = Text(article.title or "(untitled)", no_wrap=True, style=title_style)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row.append_text(title)
        if provider_width:
            name = Text("  " + provider, style=self.style_of("dim"), no_wrap=True)
            name.truncate(provider_width + 2, overflow="ellipsis", pad=True)
            row.append_text(name)
        row.append(f" {when:>4}", style=self.style_of("dim"))
        return row


def _position(articles: Sequence[Article], path: str | None) -> int | None:
    """Where the story of file `path` is in `articles`."""
    if path is None:
        return None
    return next((i for i, a in enumerate(articles) if a.path == path), None)
