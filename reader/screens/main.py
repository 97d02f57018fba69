"""The main screen: wires the widgets to the browsing model, and runs its effects.

Widget messages become intents of `BrowseModel`; the `Change` each returns
says which widgets to hand a fresh view (`show`), what to tell the user and
what to run (open a link, read a file, rescan). Nothing here decides what is
shown: that is the model's job.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from functools import cached_property
from typing import ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, get_current_worker

from reader.browse import views
from reader.browse.change import Change, CopyLink, OpenLink, Part, ReadStory, Rescan, ShowProblems
from reader.browse.loading import index_folder
from reader.browse.model import BrowseModel
from reader.model.article import Article
from reader.model.index import ORDERS, Index
from reader.model.parsing import load_story
from reader.widgets.article_list import ArticleList, list_title
from reader.widgets.detail import DetailPane
from reader.widgets.line_list import LineList
from reader.widgets.one_line import OneLine
from reader.widgets.search_bar import SearchBar
from reader.widgets.status_bar import StatusBar
from reader.widgets.topic_list import TopicList

from .host import Host
from .messages import FolderChanged, FolderMissing, IndexUpdated, StoryRead
from .watching import watch_folder

#: Files up to this size are read for the detail pane at once; larger ones in a worker.
READ_AT_ONCE = 64 * 1024
#: How often marks made by another reader running at the same time are picked up.
STATE_POLL_SECONDS = 2.0


class MainScreen(Screen[None]):
    """Browse topics and stories; the detail pane follows the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("slash", "search", "Search", id="search"),
        Binding("o", "intent('open_current')", "Open in browser", id="open"),
        Binding("m", "intent('toggle_read')", "Read/unread", show=False, id="read"),
        Binding("n", "intent('next_unread')", "Next unread", show=False, id="next_unread"),
        Binding("A", "intent('mark_all_read')", "Mark all listed read", show=False, id="read_all"),
        Binding("b", "intent('toggle_saved')", "Save", id="save"),
        Binding("s", "intent('cycle_order')", "Sort", id="sort"),
        Binding("y", "intent('copy_link')", "Copy link", show=False, id="copy"),
        Binding("r", "intent('rescan')", "Rescan folder", show=False, id="rescan"),
        Binding("backspace,alt+left", "intent('back')", "Previous story", show=False, id="prev"),
        Binding("alt+right", "intent('forward')", "Next story", show=False, id="next"),
        Binding(
            "exclamation_mark", "intent('problems')", "Skipped files", show=False, id="problems"
        ),
        *(
            Binding(str(n), f"related({n - 1})", f"Related story {n}", show=False, id=f"r{n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(self, root: str, model: BrowseModel, *, use_cache: bool = True) -> None:
        super().__init__()
        self.root = root
        self.model = model
        self.use_cache = use_cache
        self._stop_watching = threading.Event()
        self._watching = False

    @property
    def host(self) -> Host:
        """The app, with its browser, clipboard and state."""
        return cast(Host, self.app)

    # -- the widgets ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="panes"):
            with Vertical(id="topics-pane", classes="pane"):
                yield OneLine("Topics", classes="pane-title")
                yield TopicList(id="topics")
            with Horizontal(id="content"):
                with Vertical(id="list-pane", classes="pane"):
                    yield OneLine(id="list-title", classes="pane-title")
                    yield SearchBar(id="search")
                    yield ArticleList(id="articles")
                with Vertical(id="detail-pane", classes="pane"):
                    yield OneLine("Story", classes="pane-title")
                    yield DetailPane(id="detail")
        yield Footer()

    @cached_property
    def topics(self) -> TopicList:
        return self.query_one(TopicList)

    @cached_property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @cached_property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @cached_property
    def search(self) -> SearchBar:
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        # The one attribute watched rather than messaged: a keystroke's results then
        # come in the frame that shows the letter (a message lands a frame later,
        # which measured 58 rather than 30 ms a keystroke at 10,000 stories).
        # show() sets the value with set_reactive, so only typing gets here.
        self.watch(self.search.input, "value", self._search_typed, init=False)
        self.articles.focus()
        self.apply(Change(Part.ALL))
        self._load()
        self.set_interval(STATE_POLL_SECONDS, self._pick_up_marks)
        self.set_interval(60, self._refresh_ages)

    def on_unmount(self) -> None:
        self._stop_watching.set()
        gc.unfreeze()  # the loader froze the stories (see index_folder); let them go

    # -- showing what changed ----------------------------------------------------------

    def apply(self, change: Change) -> None:
        """Fresh views for the widgets `change` marks dirty; then its notices and effects."""
        # A small story file is read before drawing, so the pane is drawn once, complete.
        for read in [e for e in change.effects if isinstance(e, ReadStory)]:
            change.merge(self._read(read.article))
        model, dirty = self.model, change.dirty
        if Part.SIDEBAR in dirty:
            self.topics.show(views.sidebar_view(model))
            self._report_state()  # marks changed: say if they could not be kept
        if Part.LIST in dirty:
            view = views.list_view(model)
            self.articles.show(view)
            self.query_one("#list-title", OneLine).set(list_title(view))
        if Part.DETAIL in dirty:
            self.detail.show(views.detail_view(model))
        if Part.SEARCH in dirty:
            self.search.show(views.search_view(model))
        if Part.STATUS in dirty:
            self.query_one(StatusBar).show(views.status_view(model))
        for notice in change.notices:
            self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)
        for effect in change.effects:
            self._run(effect)

    def _run(self, effect: object) -> None:
        if isinstance(effect, OpenLink):
            mark = effect.mark
            self.host.open_link(effect.url, lambda: self.apply(self.model.link_opened(mark)))
        elif isinstance(effect, CopyLink):
            self.host.copy_link(effect.url, effect.about)
        elif isinstance(effect, Rescan):
            self._load()
        elif isinstance(effect, ShowProblems):
            from .problems import ProblemsScreen

            self.app.push_screen(ProblemsScreen(self.root, self.model.loaded.problems))

    def _read(self, article: Article) -> Change:
        """Read a story's file for the detail pane: a usual one (a few KB) at once, a
        large one in a worker, so holding a key down over big files never stalls."""
        try:
            small = os.stat(article.path).st_size <= READ_AT_ONCE
        except OSError:
            small = True  # load_story says what is wrong
        if small:
            return self.model.story_read(article, load_story(article.path))
        self._read_in_worker(article)
        return Change()

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _read_in_worker(self, article: Article) -> None:
        self.post_message(StoryRead(article, load_story(article.path)))

    def on_story_read(self, message: StoryRead) -> None:
        self.apply(self.model.story_read(message.article, message.story))

    # -- loading and watching --------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        worker = get_current_worker()
        try:
            index_folder(
                self.root,
                use_cache=self.use_cache,
                order=lambda: self.model.order,
                searching=lambda: bool(self.model.query_text),
                post=lambda loaded: self.post_message(IndexUpdated(loaded)),
                cancelled=lambda: worker.is_cancelled,
            )
        except (FileNotFoundError, NotADirectoryError):
            self.post_message(FolderMissing(True))

    def on_index_updated(self, message: IndexUpdated) -> None:
        if message.loaded.finished and not self._watching:
            # Start watching once indexed: the watcher's own scan of a large
            # folder would otherwise compete with the first screen for the CPU.
            self._watching = True
            self._watch()
        self.apply(self.model.apply_index(message.loaded))

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch(self) -> None:
        watch_folder(self.root, self._stop_watching, self.post_message)

    def on_folder_changed(self, message: FolderChanged) -> None:
        self._load()

    def on_folder_missing(self, message: FolderMissing) -> None:
        self.apply(self.model.folder_missing(message.gone))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.host.on_worker_state_changed(event)

    def _refresh_ages(self) -> None:
        """Ages ("3h") are drawn from the time a list was shown: move them on."""
        self.articles.tick()
        self.detail.related_list.tick()

    def _pick_up_marks(self) -> None:
        self._report_state()
        if self.host.state.refresh():
            self.apply(self.model.marks_changed())

    def _report_state(self) -> None:
        for notice in self.host.state_notices():
            self.notify(notice, severity="warning", markup=False)

    # -- the widgets' messages ---------------------------------------------------------

    @on(LineList.Highlighted, "#topics")
    def _topic_moved(self, event: LineList.Highlighted) -> None:
        entries = self.topics.entries
        if 0 <= event.index < len(entries):
            self.apply(self.model.choose_topic(entries[event.index].key))

    @on(LineList.Activated, "#topics")
    def _topic_activated(self, event: LineList.Activated) -> None:
        self.articles.focus()

    @on(LineList.Highlighted, "#articles")
    def _article_moved(self, event: LineList.Highlighted) -> None:
        self.apply(self.model.move(event.index))

    @on(LineList.Scrolled, "#articles")
    def _articles_scrolled(self, event: LineList.Scrolled) -> None:
        self.apply(self.model.scrolled(event.index))

    @on(LineList.Resized, "#articles")
    def _articles_resized(self, event: LineList.Resized) -> None:
        self.apply(self.model.resized(event.index))

    @on(LineList.Activated, "#articles")
    def _article_activated(self, event: LineList.Activated) -> None:
        self.apply(self.model.open_listed())
        related = self.detail.related_list
        (related if related.count else self.detail.story_view).focus()

    @on(LineList.Highlighted, "#related")
    def _related_moved(self, event: LineList.Highlighted) -> None:
        self.apply(self.model.related_moved(event.index))

    @on(LineList.Activated, "#related")
    def _related_activated(self, event: LineList.Activated) -> None:
        self.action_related(event.index)

    @on(OneLine.Clicked, "#list-title")
    def _list_title_clicked(self, event: OneLine.Clicked) -> None:
        if self.model.listing.new_above:
            self.apply(self.model.go_to_new())
            self.articles.focus()

    def _search_typed(self, text: str) -> None:
        self.apply(self.model.set_query(text))

    @on(SearchBar.Done)
    def _search_done(self, event: SearchBar.Done) -> None:
        self.articles.focus()

    @on(SearchBar.Cleared)
    def _search_cleared(self, event: SearchBar.Cleared) -> None:
        self.apply(self.model.clear_search())
        self.articles.focus()

    # -- keys ----------------------------------------------------------------------------

    def action_intent(self, name: str) -> None:
        """Run the model's intent `name` (a binding's action) and show what changed."""
        self.apply(getattr(self.model, name)())
        if name == "next_unread":
            self.articles.focus()

    def action_related(self, number: int) -> None:
        """Show related story `number` (from 0) here, or open it in the browser."""
        self.apply(self.model.follow_related(number))

    def action_search(self) -> None:
        self.apply(self.model.open_search())
        self.search.input.focus()

    def action_back(self) -> None:
        """Escape: from the story to the list, then out of the search, then to the topics."""
        focused = self.focused
        if focused is self.articles:
            if self.model.query_text or self.model.search_open:
                self.apply(self.model.clear_search())
            else:
                self.topics.focus()
        else:
            self.articles.focus()

    # -- the command palette (see reader.commands) -----------------------------------

    @property
    def index(self) -> Index:
        """The stories known so far (the palette searches them)."""
        return self.model.index

    def select_topic(self, key: str) -> None:
        """Select the sidebar entry `key` and focus the list."""
        self.apply(self.model.choose_topic(key))
        self.articles.focus()

    def go_to_story(self, article: Article) -> None:
        """Select `article` among all stories and focus the list."""
        self.apply(self.model.go_to_story(article))
        self.articles.focus()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """Commands this screen offers in the command palette: (title, help, callback)."""

        def run(name: str, *args: object) -> Callable[[], None]:
            return lambda: self.apply(getattr(self.model, name)(*args))

        orders = [(f"Sort by {o}", f"Rank stories by {o}", run("set_order", o)) for o in ORDERS]
        return [
            *orders,
            ("Show skipped files", "Files not shown, and why", run("problems")),
            ("Open in browser", "Open the story shown", run("open_current")),
            ("Copy link", "Copy the link of the story shown", run("copy_link")),
            ("Mark all listed read", "Every story listed (press A twice)", run("mark_all_read")),
            ("Rescan the folder", "Read new and changed files now", run("rescan")),
        ]
