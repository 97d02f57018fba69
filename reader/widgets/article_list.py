"""The ranked list of stories: the sorted value, a mark, title, provider and age on each row."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from reader.browse.grouping import Group
from reader.browse.view import ListView
from reader.model import timefmt
from reader.model.article import Article
from reader.model.rising import Rises
from reader.model.timefmt import age, short_date

from .line_list import LineList

#: Columns of a row besides the title and the value: mark, age and the spaces between.
_FIXED = 1 + 2 + 5
#: How wide the first column is, by order (dates, "+123" gains; scores otherwise).
_VALUE_WIDTH = {"newest": 6, "oldest": 6, "rising": 5}
#: A list narrower than this (for the title plus `_FIXED`) leaves the provider out.
_TITLE_FIRST = 45


def sort_value(article: Article, order: str, now: float, rises: Rises | None = None) -> str:
    """What a row shows in its first column: the value the list is sorted by."""
    if order in ("newest", "oldest"):
        return short_date(article.published_ts, now)
    if order == "rising" and rises is not None and rises.ready:
        gain = rises.of(article.mark_key)
        return f"+{gain}" if gain > 0 else "·"
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
            or view.groups is not old.groups
            or view.rises is not old.rises
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
        group = view.groups.get(article.path)
        if group is not None and not group.expanded:  # a storyline: read once all are
            is_read = all(s.mark_key in view.read for s in group.stories)
        else:
            is_read = article.mark_key in view.read
        mark = "★" if article.mark_key in view.saved else (" " if is_read else "•")
        provider = "" if view.one_provider else article.provider_name or article.provider_domain
        value_width = _VALUE_WIDTH.get(view.order, 4)
        fixed = value_width + _FIXED
        spare = width - fixed - _TITLE_FIRST
        provider_width = min(18, spare) if provider and spare >= 8 else 0
        title_width = max(1, width - fixed - (provider_width + 2 if provider_width else 0))
        row = Text(no_wrap=True, overflow="ellipsis")
        value = sort_value(article, view.order, self._now, view.rises)
        row.append(f"{value:>{value_width}} ", style=self.style_of("accent"))
        row.append(f"{mark} ", style=self.style_of("accent"))
        folded = group is not None and not group.expanded
        more = f"+{group.others}" if folded and group is not None else ""
        title = Text(no_wrap=True)
        if group is not None:
            title.append(_branch(group, article), style=self.style_of("accent"))
        if more and not provider_width:  # no provider column to say it in
            title.append(f"{more} ", style=self.style_of("accent"))
        title.append(article.title or "(untitled)")
        title.stylize(self.style_of("read") if is_read else self.style_of("unread"))
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row.append_text(title)
        if provider_width:
            name = Text(no_wrap=True)
            shown = provider_width + 2 - (len(more) + 1 if more else 0)
            name.append(Text("  " + provider, style=self.style_of("dim")))
            name.truncate(shown, overflow="ellipsis", pad=not more)
            if more:
                name.append(f" {more}", style=self.style_of("accent"))
                name.truncate(provider_width + 2, pad=True)
            row.append_text(name)
        row.append(f" {age(article.published_ts, self._now):>4}", style=self.style_of("dim"))
        return row


def _branch(group: Group, article: Article) -> str:
    """The sign before a storyline's title: folded, or where the row is in it opened."""
    if not group.expanded:
        return "▸ "
    listed = group.listed
    if article is listed[0]:
        return "▾ "
    return "└ " if article is listed[-1] else "├ "
