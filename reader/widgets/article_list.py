"""The ranked list of stories: heat, title, provider and age on each row."""

from __future__ import annotations

from collections.abc import Sequence

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
        self._now = timefmt.current_time()

    @property
    def current(self) -> Article | None:
        """The story under the cursor, if any."""
        if 0 <= self.cursor < len(self.articles):
            return self.articles[self.cursor]
        return None

    def show(self, articles: Sequence[Article], keep: Article | None = None) -> None:
        """Show `articles`, the cursor on `keep` if it is still listed, else on the top.

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

    def render_row(self, index: int, width: int) -> Text:
        article = self.articles[index]
        heat = "" if article.heat is None else str(article.heat)
        when = age(article.published_ts, self._now)
        provider = article.provider_name or article.provider_domain
        provider_width = 0 if width < 50 else min(18, max(8, width // 5))
        title_width = max(1, width - 6 - 5 - (provider_width + 2 if provider_width else 0))
        row = Text(no_wrap=True, overflow="ellipsis")
        row.append(f"{heat:>4} ", style=self.style_of("accent"))
        title = Text(article.title or "(untitled)", no_wrap=True)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row.append_text(title)
        if provider_width:
            name = Text("  " + provider, style=self.style_of("dim"), no_wrap=True)
            name.truncate(provider_width + 2, overflow="ellipsis", pad=True)
            row.append_text(name)
        row.append(f" {when:>4}", style=self.style_of("dim"))
        return row


def _position(articles: Sequence[Article], article: Article | None) -> int | None:
    if article is None:
        return None
    try:
        return articles.index(article)
    except ValueError:
        return None
