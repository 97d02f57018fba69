"""The ranked list of stories: the sorted value, a mark, title, provider and age on each row."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from reader.browse.view import ListView
from reader.model import timefmt
from reader.model.article import Article
from reader.model.timefmt import age, short_date

from .line_list import LineList

#: Columns of a row besides the title and the value: mark, age and the spaces between.
_FIXED = 1 + 2 + 5
#: A list narrower than this (for the title plus `_FIXED`) leaves the provider out.
_TITLE_FIRST = 45


def sort_value(article: Article, order: str, now: float) -> str:
    """What a row shows in its first column: the value the list is sorted by."""
    if order in ("newest", "oldest"):
        return short_date(article.published_ts, now)
    score = article.quality if order == "quality" else article.heat
    return "" if score is None else str(score)


def list_title(view: ListView) -> Text:
    """The list pane's title line: what is listed, and the stories above the view."""
    title = Text(view.title, style="bold")
    if view.new_above:
        what = "new" if view.arrived else "more"
        title.append(f"  ↑ {view.new_above:,} {what} above (g or click here)", style="italic")
    return title


class ArticleList(LineList):
    """Stories in display order; row N shows `view.stories[N]`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *LineList.COMPONENT_CLASSES,
        "line-list--read",
        "line-list--unread",
    }

    DEFAULT_CSS = """
    ArticleList > .line-list--accent { color: $text-warning; text-style: bold; }
    ArticleList > .line-list--unread { color: $foreground; }
    ArticleList > .line-list--read { color: $foreground 62%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = ListView((), 0, 0, frozenset(), frozenset(), "heat", "")
        self._now = timefmt.current_time()

    def show(self, view: ListView) -> None:
        """Draw `view`: its stories, marks, cursor and first row."""
        old = self.view
        if view.stories is not old.stories:
            self._now = timefmt.current_time()
        changed = (
            view.stories is not old.stories
            or view.read is not old.read
            or view.saved is not old.saved
            or (view.order, view.cursor_shown, view.one_provider)
            != (old.order, old.cursor_shown, old.one_provider)
        )
        self.view = view
        self.cursor_shown = view.cursor_shown
        self.show_rows(len(view.stories), view.cursor, view.top, changed=changed)

    def tick(self) -> None:
        """Draw ages again from the current time."""
        self._now = timefmt.current_time()
        self.redraw()

    def render_row(self, index: int, width: int) -> Text:
        view = self.view
        article = view.stories[index]
        is_read = article.mark_key in view.read
        mark = "★" if article.mark_key in view.saved else (" " if is_read else "•")
        provider = "" if view.one_provider else article.provider_name or article.provider_domain
        value_width = 6 if view.order in ("newest", "oldest") else 4
        fixed = value_width + _FIXED
        spare = width - fixed - _TITLE_FIRST
        provider_width = min(18, spare) if provider and spare >= 8 else 0
        title_width = max(1, width - fixed - (provider_width + 2 if provider_width else 0))
        row = Text(no_wrap=True, overflow="ellipsis")
        value = sort_value(article, view.order, self._now)
        row.append(f"{value:>{value_width}} ", style=self.style_of("accent"))
        row.append(f"{mark} ", style=self.style_of("accent"))
        title = Text(article.title or "(untitled)", no_wrap=True)
        title.stylize(self.style_of("read") if is_read else self.style_of("unread"))
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row.append_text(title)
        if provider_width:
            name = Text("  " + provider, style=self.style_of("dim"), no_wrap=True)
            name.truncate(provider_width + 2, overflow="ellipsis", pad=True)
            row.append_text(name)
        row.append(f" {age(article.published_ts, self._now):>4}", style=self.style_of("dim"))
        return row
