"""The main screen: topics, the ranked list and the detail pane, wired together."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from reader.model.article import Article, Problem
from reader.model.index import ALL, ORDERS, Index
from reader.model.loader import iter_load, load_story
from reader.widgets.article_list import ArticleList
from reader.widgets.detail import DetailPane, RelatedList, RelatedRow
from reader.widgets.line_list import LineList
from reader.widgets.status_bar import StatusBar
from reader.widgets.topic_list import TopicList

#: How often, at most, a growing index is handed to the screen while loading.
PUBLISH_INTERVAL = 0.4


class IndexUpdated(Message):
    """The loader has a newer index (posted repeatedly while a folder loads)."""

    def __init__(self, index: Index, problems: list[Problem], done: int, total: int) -> None:
        super().__init__()
        self.index = index
        self.problems = problems
        self.done = done
        self.total = total


class MainScreen(Screen[None]):
    """Browse topics and stories; the detail pane follows the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back"),
        Binding("o", "open_current", "Open in browser", id="open"),
        Binding("backspace,alt+left", "history_back", "Previous story", show=False, id="prev"),
        Binding("alt+right", "history_forward", "Next story", show=False, id="next"),
        Binding("s", "cycle_order", "Sort", id="sort"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy"),
        Binding("exclamation_mark", "problems", "Skipped files", show=False, id="problems"),
        *(
            Binding(str(n), f"related({n - 1})", f"Related story {n}", show=False, id=f"r{n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(self, root: str, *, use_cache: bool = True) -> None:
        super().__init__()
        self.root = root
        self.use_cache = use_cache
        self.index = Index(())
        self.problems: list[Problem] = []
        self.order = "heat"
        self.loaded = (0, 0)
        self._shown: Article | None = None
        self._back: list[Article] = []
        self._forward: list[Article] = []
        self._listed_topic: str | None = None
        #: True once every file has been indexed.
        self.finished = False

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="panes"):
            yield TopicList(id="topics")
            with Horizontal(id="content"):
                yield ArticleList(id="articles")
                yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArticleList).focus()
        self.query_one(DetailPane).show_message("Loading stories…")
        self._update_status()
        self._load()

    # -- loading -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        """Index the folder in a thread, handing over a fresh index now and then."""
        articles: list[Article] = []
        problems: list[Problem] = []
        published = 0.0
        for batch in iter_load(self.root, use_cache=self.use_cache):
            articles.extend(batch.articles)
            problems.extend(batch.problems)
            now = time.monotonic()
            if batch.done == batch.total or now - published >= PUBLISH_INTERVAL:
                index = Index(articles)
                index.articles(ALL, self.order)  # rank here, not on the UI thread
                problems_now = sorted([*problems, *index.duplicates], key=lambda p: p.path)
                self.post_message(IndexUpdated(index, problems_now, batch.done, batch.total))
                published = now

    def on_index_updated(self, message: IndexUpdated) -> None:
        self.index = message.index
        self.problems = message.problems
        self.loaded = (message.done, message.total)
        topics = self.query_one(TopicList)
        current = topics.current
        topics.show(self.index.topics, keep=current.key if current else ALL)
        self._refresh_articles(keep=self.query_one(ArticleList).current)
        self.finished = message.done == message.total
        self._update_status()
        if not len(self.index) and message.done == message.total:
            self.query_one(DetailPane).show_message("No stories in this folder.")

    def _update_status(self) -> None:
        done, total = self.loaded
        self.query_one(StatusBar).update_status(
            folder=self.root,
            stories=len(self.index),
            skipped=sum(p.kind == "skipped" for p in self.problems),
            done=done,
            total=total,
            order=self.order,
        )

    # -- wiring ------------------------------------------------------------------

    @property
    def topic(self) -> str:
        """The key of the topic selected in the sidebar."""
        current = self.query_one(TopicList).current
        return current.key if current else ALL

    def _refresh_articles(self, keep: Article | None = None) -> None:
        self._listed_topic = self.topic
        self.query_one(ArticleList).show(self.index.articles(self.topic, self.order), keep=keep)

    @on(LineList.Highlighted, "#topics")
    def _topic_highlighted(self, event: LineList.Highlighted) -> None:
        if self.topic != self._listed_topic:
            self._refresh_articles()

    @on(LineList.Activated, "#topics")
    def _topic_activated(self, event: LineList.Activated) -> None:
        self.query_one(ArticleList).focus()

    @on(LineList.Highlighted, "#articles")
    def _article_highlighted(self, event: LineList.Highlighted) -> None:
        article = self.query_one(ArticleList).current
        if article is not None and article is not self._shown:
            self._back.clear()
            self._forward.clear()
            self.show_story(article)

    @on(LineList.Activated, "#articles")
    def _article_activated(self, event: LineList.Activated) -> None:
        detail = self.query_one(DetailPane)
        related = self.query_one(RelatedList)
        (related if related.count else detail).focus()

    @on(LineList.Activated, "#related")
    def _related_activated(self, event: LineList.Activated) -> None:
        self.action_related(event.index)

    def action_related(self, number: int) -> None:
        """Show related story `number` (from 0) if it is in the corpus, else open its link."""
        rows = self.query_one(RelatedList).rows
        if not 0 <= number < len(rows):
            return
        row = rows[number]
        target = self.index.find(row.related.url) if row.in_corpus else None
        if target is None:
            self.app.open_link(row.related.url)  # type: ignore[attr-defined]
            return
        if self._shown is not None:
            self._back.append(self._shown)
        self._forward.clear()
        self.show_story(target)

    def show_story(self, article: Article) -> None:
        """Show `article` in the detail pane, its file read again in full."""
        self._shown = article
        story = load_story(article.path)
        rows: list[RelatedRow] = []
        if not isinstance(story, Problem):
            rows = [RelatedRow(r, self.index.find(r.url) is not None) for r in story.related]
        names = [self.index.topic_name(t) for t in article.topics]
        self.query_one(DetailPane).show(article, story, rows, names)

    # -- actions -------------------------------------------------------------------

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """Commands this screen offers in the command palette: (title, help, callback)."""
        orders = [
            (f"Sort by {order}", f"Rank stories by {order}", partial(self.set_order, order))
            for order in ORDERS
        ]
        return [
            *orders,
            ("Show skipped files", "Files not shown, and why", self.action_problems),
            ("Open in browser", "Open the shown story", self.action_open_current),
            ("Copy link", "Copy the shown story's link", self.action_copy_link),
        ]

    def select_topic(self, key: str) -> None:
        """Select the topic `key` in the sidebar and focus the list."""
        topics = self.query_one(TopicList)
        position = next((i for i, t in enumerate(topics.topics) if t.key == key), 0)
        topics.set_cursor(position)
        self.query_one(ArticleList).focus()

    def go_to_story(self, article: Article) -> None:
        """Select `article` in the list of all stories and focus it."""
        self.select_topic(ALL)
        self._refresh_articles(keep=article)
        self.query_one(ArticleList).focus()

    def action_back(self) -> None:
        focused = self.focused
        if focused is None or isinstance(focused, (DetailPane, RelatedList)):
            self.query_one(ArticleList).focus()
        elif isinstance(focused, ArticleList):
            self.query_one(TopicList).focus()

    def action_open_current(self) -> None:
        if self._shown is None:
            self.notify("No story is selected.", severity="warning", markup=False)
            return
        self.app.open_link(self._shown.link)  # type: ignore[attr-defined]

    def action_cycle_order(self) -> None:
        """Rank by heat, then newest, then quality, then heat again."""
        self.set_order(ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)])

    def set_order(self, order: str) -> None:
        """Rank the list by `order` ("heat", "newest" or "quality")."""
        self.order = order
        self._refresh_articles(keep=self.query_one(ArticleList).current)
        self._update_status()
        self.notify(f"Sorted by {order}.", markup=False, timeout=2)

    def action_copy_link(self) -> None:
        """Put the shown story's link on the clipboard."""
        if self._shown is None or not self._shown.link:
            self.notify("This story has no link.", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(self._shown.link)
        self.notify("Link copied to the clipboard.", markup=False, timeout=2)

    def action_history_back(self) -> None:
        if self._back and self._shown is not None:
            self._forward.append(self._shown)
            self.show_story(self._back.pop())

    def action_history_forward(self) -> None:
        if self._forward and self._shown is not None:
            self._back.append(self._shown)
            self.show_story(self._forward.pop())

    def action_problems(self) -> None:
        from reader.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.root, self.problems))
