"""The main screen: topics, the ranked list and the detail pane, wired together."""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, get_current_worker

from reader.indexing import IndexUpdated, index_folder
from reader.model.article import Article, Problem, Story
from reader.model.history import History
from reader.model.index import ALL, ORDERS, Index, Topic
from reader.model.parsing import load_story
from reader.model.query import parse_query
from reader.model.search import Searcher
from reader.model.state import StateStore
from reader.model.text import clean_line
from reader.widgets.article_list import ArticleList
from reader.widgets.detail import DetailPane, RelatedList, RelatedRow, StoryView
from reader.widgets.line_list import LineList
from reader.widgets.search_bar import SearchBar
from reader.widgets.status_bar import StatusBar
from reader.widgets.topic_list import TopicList

if TYPE_CHECKING:
    from reader.app import ReaderApp

#: Files up to this size are read for the detail pane at once; larger ones in a worker.
READ_AT_ONCE = 64 * 1024

#: How often marks made by another reader running at the same time are picked up.
STATE_POLL_SECONDS = 2.0

#: How long a first press of "mark all read" waits for the second that confirms it.
CONFIRM_SECONDS = 4.0

#: The key of the sidebar's "Saved" entry (no real topic can hold a NUL).
SAVED = "\x00saved"


class FolderChanged(Message):
    """Files under the folder were added, changed or removed."""


class StoryRead(Message):
    """A story's file was read in full (in a worker) for the detail pane."""

    def __init__(self, article: Article, story: Story | Problem, related_row: int) -> None:
        super().__init__()
        self.article = article
        self.story = story
        self.related_row = related_row


class MainScreen(Screen[None]):
    """Browse topics and stories; the detail pane follows the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("slash", "search", "Search", id="search"),
        Binding("o", "open_current", "Open in browser", id="open"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="read"),
        Binding("n", "next_unread", "Next unread", show=False, id="next_unread"),
        Binding("A", "mark_all_read", "Mark all listed read", show=False, id="read_all"),
        Binding("b", "toggle_saved", "Save", id="save"),
        Binding("s", "cycle_order", "Sort", id="sort"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy"),
        Binding("r", "rescan", "Rescan folder", show=False, id="rescan"),
        Binding("backspace,alt+left", "history_back", "Previous story", show=False, id="prev"),
        Binding("alt+right", "history_forward", "Next story", show=False, id="next"),
        Binding("exclamation_mark", "problems", "Skipped files", show=False, id="problems"),
        *(
            Binding(str(n), f"related({n - 1})", f"Related story {n}", show=False, id=f"r{n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(self, root: str, state: StateStore, *, use_cache: bool = True) -> None:
        super().__init__()
        self.root = root
        self.state = state
        self.use_cache = use_cache
        self.index = Index(())
        self.problems: list[Problem] = []
        self.order = "heat"
        self.loaded = (0, 0)
        #: True once every file has been indexed.
        self.finished = False
        #: True while the stories shown come from the cache and are being checked.
        self.checking = False
        self.searcher = Searcher()
        self.query_text = ""
        self._shown: Article | None = None
        # Stories shown by following related stories: (story, related row selected).
        self._history: History[tuple[Article, int]] = History()
        self._listed: tuple[str, str, str] | None = None
        #: The file of the list's story whose detail was opened from the list.
        self._listed_story: str | None = None
        #: The file of the story the user last chose in the list: kept selected
        #: across reloads, even while its file is briefly unreadable.
        self._chosen: str | None = None
        self._stop_watching = threading.Event()
        self._state_warning: str | None = None
        self._watching = False
        self._mark_all_asked = -CONFIRM_SECONDS  # when "mark all read" was first pressed

    @property
    def reader_app(self) -> ReaderApp:
        """The app, with its browser and state."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="panes"):
            yield TopicList(id="topics")
            with Horizontal(id="content"):
                with Vertical(id="list-pane"):
                    yield SearchBar(id="search")
                    yield ArticleList(id="articles")
                yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SearchBar).display = False
        articles = self.query_one(ArticleList)
        articles.focus()
        # Watched rather than messaged, so the list and the detail pane follow a
        # key in the frame that shows it.
        self.watch(articles, "cursor", self._article_cursor_moved, init=False)
        self.watch(self.query_one(TopicList), "cursor", self._topic_cursor_moved, init=False)
        self.watch(self.query_one(SearchBar), "text", self._search_typed, init=False)
        self.query_one(DetailPane).show_message("Loading stories…")
        self._sync_marks()
        self._update_status()
        self._load()
        self.set_interval(STATE_POLL_SECONDS, self._pick_up_other_instances)
        self.set_interval(60, self._refresh_ages)

    def on_unmount(self) -> None:
        self._stop_watching.set()
        gc.unfreeze()  # the loader froze the stories (see index_folder); let them go

    # -- loading and watching ----------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        worker = get_current_worker()
        index_folder(
            self.root,
            use_cache=self.use_cache,
            order=lambda: self.order,
            searching=lambda: bool(self.query_text),
            post=self.post_message,
            cancelled=lambda: worker.is_cancelled,
        )

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch(self) -> None:
        """Rescan when files change; watchfiles batches bursts of changes."""
        from watchfiles import watch

        try:
            for _changes in watch(
                self.root,
                stop_event=self._stop_watching,
                debounce=300,
                rust_timeout=500,
                yield_on_timeout=False,
                ignore_permission_denied=True,
                raise_interrupt=False,
            ):
                self.post_message(FolderChanged())
        except Exception as error:
            # e.g. a file name that is not valid UTF-8: the watcher cannot follow it.
            raise RuntimeError(f"Live reload is off ({error}); press r to rescan") from None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.reader_app.on_worker_state_changed(event)

    def on_folder_changed(self, message: FolderChanged) -> None:
        self._load()

    def on_index_updated(self, message: IndexUpdated) -> None:
        self.index = message.index
        self.problems = message.problems
        self.loaded = (message.done, message.total)
        self.checking = message.provisional
        self.finished = message.done == message.total and not message.provisional
        if self.finished and not self._watching:
            # Start watching once indexed: the watcher's own scan of a large
            # folder would otherwise compete with the first screen for the CPU.
            self._watching = True
            self._watch()
        self.searcher = message.searcher
        if message.cache_note:  # why this start is slower than the last
            self.notify(f"The index cache was rebuilt: {message.cache_note}.", markup=False)
        self._sync_marks()
        self._refresh_topics()
        self._refresh_articles(keep=self._chosen, force=True)
        self._update_status()

    def _refresh_ages(self) -> None:
        """Ages ("3h") are drawn from the time a list was shown: move it on."""
        self.query_one(ArticleList).tick()
        self.query_one(RelatedList).tick()

    def _pick_up_other_instances(self) -> None:
        if self.state.refresh():
            self._sync_marks()
            self._refresh_topics()

    def _update_status(self) -> None:
        done, total = self.loaded
        extra = ""
        if self.query_text:
            extra = f"search: {self.query_text}"
        self.query_one(StatusBar).update_status(
            folder=self.root,
            stories=len(self.index),
            skipped=sum(p.kind == "skipped" for p in self.problems),
            done=done,
            total=total,
            order=self.order,
            checking=self.checking,
            extra=extra,
        )

    # -- what the list shows -------------------------------------------------------

    @property
    def topic(self) -> str:
        """The key of the sidebar entry selected."""
        current = self.query_one(TopicList).current
        return current.key if current else ALL

    def _topic_articles(self, key: str) -> list[Article]:
        if key == SAVED:
            saved = self._saved_here()
            return [a for a in self.index.articles(ALL, self.order) if a.mark_key in saved]
        return self.index.articles(key, self.order)

    def _saved_here(self) -> set[str]:
        """The marks of saved stories that are in this folder (marks outlive files)."""
        return {key for key in self.state.saved_links() if self.index.with_mark(key)}

    def _refresh_topics(self) -> None:
        topics = self.query_one(TopicList)
        entries = [Topic(SAVED, "★ Saved", len(self._saved_here())), *self.index.topics]
        # A topic that is gone (its last story removed) gives way to "All".
        keep = self.topic if any(t.key == self.topic for t in entries) else ALL
        topics.show(entries, keep=keep)

    def _refresh_articles(self, keep: str | None = None, *, force: bool = False) -> None:
        listed = (self.topic, self.order, self.query_text)
        if listed == self._listed and not force:
            return
        self._listed = listed
        base = self._topic_articles(self.topic)
        shown = base
        search = self.query_one(SearchBar)
        if self.query_text:
            query = parse_query(self.query_text)
            shown = self.searcher.filter(
                query,
                base,
                read_links=self.state.read_links(),
                saved_links=self.state.saved_links(),
            )
            search.show_result(len(shown), len(base), query.errors)
        articles = self.query_one(ArticleList)
        articles.show(shown, keep=keep)
        current = articles.current
        if current is None:
            self._show_nothing()
        # A story asked for but (for now) missing stays the one to come back to.
        if keep is None or (current is not None and current.path == keep):
            self._chosen = current.path if current else None

    def _show_nothing(self) -> None:
        """No story is listed: the detail pane says why, and no key acts on a story."""
        self._shown = self._listed_story = None
        self._history.clear()
        if self.query_text:
            message = "No stories match the search."
        elif not len(self.index):
            message = "No stories in this folder." if self.finished else "Loading stories…"
        else:
            message = "No stories here."
        self.query_one(DetailPane).show_message(message)

    def _sync_marks(self) -> None:
        """Hand the current read and saved marks to the widgets that draw them."""
        read = self.state.read_links()
        articles = self.query_one(ArticleList)
        articles.marks(read, self.state.saved_links())
        unread = self.index.unread_counts(read)
        unread[SAVED] = len(self._saved_here() - read)
        self.query_one(TopicList).unread = unread
        self.query_one(TopicList).redraw()
        self._report_state_trouble()

    def _report_state_trouble(self) -> None:
        """Say once why marks may not last (a damaged or unwritable state file)."""
        warning = self.state.warning
        if warning and warning != self._state_warning:
            self._state_warning = warning
            self.notify(clean_line(warning, 400), severity="warning", markup=False)

    # -- wiring ------------------------------------------------------------------

    def _topic_cursor_moved(self, _index: int) -> None:
        # Only the user's moves: whoever moves it otherwise (a reload, the
        # palette) refreshes the list itself, keeping the chosen story.
        if self.query_one(TopicList).moved_by_user:
            self._refresh_articles()

    @on(LineList.Activated, "#topics")
    def _topic_activated(self, event: LineList.Activated) -> None:
        self.query_one(ArticleList).focus()

    def _article_cursor_moved(self, _index: int) -> None:
        """The list's cursor moved (watched, so the detail follows in the same frame)."""
        articles = self.query_one(ArticleList)
        article = articles.current
        if article is None:
            return
        if articles.moved_by_user:
            self._chosen = article.path
        elif article.path == self._listed_story:
            # The same story after a reload or a re-ranking: keep what the pane
            # shows (maybe a related story, with its history), redrawn only if
            # the story's own file changed.
            shown = self._shown
            if shown is not None and shown.path == article.path and shown != article:
                self.show_story(article, self.query_one(RelatedList).cursor)
            return
        self._open_from_list(article)

    def _open_from_list(self, article: Article) -> None:
        """Show the list's story in the detail pane, starting a fresh history."""
        self._listed_story = article.path
        self._history.clear()
        self.show_story(article)

    @on(LineList.Activated, "#articles")
    def _article_activated(self, event: LineList.Activated) -> None:
        article = self.query_one(ArticleList).current
        if article is None:
            return
        if article is not self._shown:  # e.g. a related story is shown in its place
            self._open_from_list(article)
        self._set_read(article, True)
        related = self.query_one(RelatedList)
        (related if related.count else self.query_one(DetailPane).story_view).focus()

    @on(LineList.Activated, "#related")
    def _related_activated(self, event: LineList.Activated) -> None:
        self.action_related(event.index)

    def _search_typed(self, query: str) -> None:
        self.query_text = query.strip()
        # Results start from the top; a cleared search comes back to the story chosen.
        self._refresh_articles(keep=None if self.query_text else self._chosen)
        self._update_status()

    @on(SearchBar.Done)
    def _search_done(self, event: SearchBar.Done) -> None:
        self.query_one(ArticleList).focus()

    @on(SearchBar.Cleared)
    def _search_cleared(self, event: SearchBar.Cleared) -> None:
        self.query_one(ArticleList).focus()

    def show_story(self, article: Article, related_row: int = 0) -> None:
        """Show `article` in the detail pane, its file read again in full.

        A usual file (a few KB) is read at once; a large one in a worker, so
        holding a key down over big files never stalls the screen.
        """
        self._shown = article
        try:
            small = os.stat(article.path).st_size <= READ_AT_ONCE
        except OSError:
            small = True  # load_story says what is wrong
        if small:
            self._show_loaded(article, load_story(article.path), related_row)
        else:
            self._show_loaded(article, None, related_row)
            self._read_story(article, related_row)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _read_story(self, article: Article, related_row: int) -> None:
        story = load_story(article.path)
        self.post_message(StoryRead(article, story, related_row))

    def on_story_read(self, message: StoryRead) -> None:
        if message.article is self._shown:  # not moved on meanwhile
            self._show_loaded(message.article, message.story, message.related_row)

    def _show_loaded(
        self, article: Article, story: Story | Problem | None, related_row: int
    ) -> None:
        rows: list[RelatedRow] = []
        if isinstance(story, Story):
            rows = [RelatedRow(r, self.index.find(r.url) is not None) for r in story.related]
        names = [self.index.topic_name(t) for t in article.topics]
        self.query_one(DetailPane).show(article, story, rows, names, related_row)

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
            ("Rescan the folder", "Read new and changed files now", self.action_rescan),
        ]

    def select_topic(self, key: str, keep: str | None = None) -> None:
        """Select the sidebar entry `key` and focus the list (on the story of file `keep`)."""
        topics = self.query_one(TopicList)
        position = next((i for i, t in enumerate(topics.topics) if t.key == key), 0)
        topics.set_cursor(position)
        self._refresh_articles(keep=keep, force=keep is not None)
        self.query_one(ArticleList).focus()

    def go_to_story(self, article: Article) -> None:
        """Select `article` in the list of all stories and focus it."""
        self._clear_search()
        self.select_topic(ALL, keep=article.path)

    # -- actions -------------------------------------------------------------------

    def action_back(self) -> None:
        focused = self.focused
        if focused is None or isinstance(focused, (StoryView, RelatedList)):
            self.query_one(ArticleList).focus()
        elif isinstance(focused, ArticleList):
            if self.query_text:
                self._clear_search()
            else:
                self.query_one(TopicList).focus()

    def _clear_search(self) -> None:
        if self.query_text:
            self.query_text = ""
            self.query_one(SearchBar).action_clear()
            self._refresh_articles(keep=self._chosen)
            self._update_status()

    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    def action_open_current(self) -> None:
        if self._shown is None:
            self.notify("No story is selected.", severity="warning", markup=False)
            return
        shown = self._shown
        # Read once the browser has it: a failed launch leaves the story unread.
        self.reader_app.open_link(shown.link_to_open, lambda: self._set_read(shown, True))

    def action_toggle_read(self) -> None:
        if self._shown is not None:
            self._set_read(self._shown, not self.state.is_read(self._shown.mark_key))

    def action_next_unread(self) -> None:
        """Select the next unread story of the list after the cursor, wrapping round."""
        articles = self.query_one(ArticleList)
        stories, read = articles.articles, self.state.read_links()
        start = articles.cursor + 1
        for offset in range(len(stories)):
            index = (start + offset) % len(stories)
            if stories[index].mark_key not in read:
                articles.set_cursor(index, by_user=True)
                articles.focus()
                return
        self.notify("No unread stories here.", markup=False, timeout=2)

    def action_mark_all_read(self) -> None:
        """Mark every story listed (the topic, searched) read, once a second press confirms."""
        read, listed = self.state.read_links(), self.query_one(ArticleList).articles
        unread = [a.mark_key for a in listed if a.mark_key not in read]
        if not unread:
            self.notify("Every story here is read.", markup=False, timeout=2)
            return
        now = time.monotonic()
        if now - self._mark_all_asked > CONFIRM_SECONDS:
            self._mark_all_asked = now
            stories = "story" if len(unread) == 1 else "stories"
            message = f"Press A again to mark {len(unread):,} {stories} read."
            self.notify(message, markup=False, timeout=CONFIRM_SECONDS)
            return
        self._mark_all_asked = -CONFIRM_SECONDS
        self.state.set_read_many(unread)
        self._sync_marks()
        self.notify(f"Marked {len(unread):,} read.", markup=False, timeout=2)

    def action_toggle_saved(self) -> None:
        article = self._shown
        if article is None:
            self.notify("No story is selected.", severity="warning", markup=False)
            return
        saved = self.state.toggle_saved(article.mark_key)
        self._sync_marks()
        self._refresh_topics()
        if self.topic == SAVED:
            self._refresh_articles(keep=article.path, force=True)
        self.notify("Saved." if saved else "No longer saved.", markup=False, timeout=2)

    def _set_read(self, article: Article, read: bool) -> None:
        if self.state.is_read(article.mark_key) == read:
            return
        self.state.set_read(article.mark_key, read)
        self._sync_marks()

    def action_related(self, number: int) -> None:
        """Show related story `number` (from 0) if it is in the corpus, else open its link."""
        rows = self.query_one(RelatedList).rows
        if not 0 <= number < len(rows):
            return
        row = rows[number]
        self.query_one(RelatedList).set_cursor(number)  # the row to come back to
        target = self.index.find(row.related.url) if row.in_corpus else None
        if target is None:
            self.reader_app.open_link(row.related.url)
            return
        self._history.leave(self._here())
        self.show_story(target)
        self._set_read(target, True)

    def action_cycle_order(self) -> None:
        """Rank by heat, then newest, then quality, then heat again."""
        self.set_order(ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)])

    def set_order(self, order: str) -> None:
        """Rank the list by `order` ("heat", "newest" or "quality")."""
        self.order = order
        self._refresh_articles(keep=self._chosen)
        self._update_status()
        self.notify(f"Sorted by {order}.", markup=False, timeout=2)

    def action_copy_link(self) -> None:
        """Put the shown story's link on the clipboard."""
        if self._shown is None or not self._shown.link_to_open:
            self.notify("This story has no link.", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(self._shown.link_to_open)
        self.notify("Link copied to the clipboard.", markup=False, timeout=2)

    def action_rescan(self) -> None:
        """Read new and changed files now."""
        self.notify("Rescanning the folder…", markup=False, timeout=2)
        self._load()

    def _here(self) -> tuple[Article, int]:
        assert self._shown is not None  # only called while a story is shown
        return self._shown, self.query_one(RelatedList).cursor

    def action_history_back(self) -> None:
        if self._shown is not None and (place := self._history.back(self._here())):
            self.show_story(*place)

    def action_history_forward(self) -> None:
        if self._shown is not None and (place := self._history.forward(self._here())):
            self.show_story(*place)

    def action_problems(self) -> None:
        from reader.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.root, self.problems))
