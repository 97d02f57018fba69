"""The workers and effects behind the main screen: indexing, watching, reading, launching.

`ModelScreen` runs what a `BrowseModel` asks for (its effects) and feeds it
what the folder does (new indexes, changes, the folder going away); a
subclass draws. Every worker posts a message back, handled here.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from typing import cast

from textual import work
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from reader.browse.change import (
    AskSearchName,
    CancelFetch,
    Change,
    CopyLink,
    CountEverywhere,
    FetchText,
    OpenLink,
    Rescan,
    ShowProblems,
    ShowStats,
)
from reader.browse.loading import index_folder
from reader.browse.model import BrowseModel
from reader.model.article import Article
from reader.model.fulltext import read_full_text
from reader.model.heatlog import HeatLog
from reader.model.muting import Muter
from reader.model.parsing import load_story
from reader.model.picture import Picture, decode
from reader.model.rising import DEFAULT_WINDOW
from reader.model.text import clean_line
from reader.model.textcache import TextCache

from .host import Host
from .messages import (
    FolderChanged,
    FolderMissing,
    ImageRead,
    IndexUpdated,
    SearchReady,
    StoryRead,
    TextProgress,
    TextRead,
    TextsKept,
)
from .watching import watch_folder

#: Files up to this size are read for the detail pane at once; larger ones in a worker.
READ_AT_ONCE = 64 * 1024
#: How long typing must pause before a search within a topic counts all topics' matches.
COUNT_AFTER_SECONDS = 0.3
#: How often marks made by another reader running at the same time are picked up.
STATE_POLL_SECONDS = 2.0
#: How often the marks (and settings) are looked for while the state file is being read.
FIRST_MARKS_SECONDS = 0.05
#: How often a page's download progress is shown.
PROGRESS_SECONDS = 0.2


class Throttle:
    """True at most once every `seconds` (the first call: True)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last = -seconds

    def __call__(self) -> bool:
        now = time.monotonic()
        if now - self._last < self.seconds:
            return False
        self._last = now
        return True


class ModelScreen(Screen[None]):
    """A screen driven by a browsing model; `apply` (in a subclass) shows its changes."""

    def __init__(
        self,
        model: BrowseModel,
        *,
        use_cache: bool = True,
        muter: Muter | None = None,
        window: float = DEFAULT_WINDOW,
        keep_history: bool = True,
    ) -> None:
        super().__init__()
        self.model = model
        self.muter = muter
        self.use_cache = use_cache
        #: What "rising" measures over, and whether heat history is kept at all.
        self.window = window
        self.keep_history = keep_history
        #: Opened by the first load (in its worker: opening is disk work).
        self.history: HeatLog | None = None
        self._stop_watching = threading.Event()
        self._watching = False
        self._count_timer: Timer | None = None
        self._texts_read = False

    @property
    def host(self) -> Host:
        """The app, with its browser, clipboard and state."""
        return cast(Host, self.app)

    def apply(self, change: Change) -> None:
        """Show what `change` changed and run its effects (see `reader.screens.main`)."""
        raise NotImplementedError

    def start(self) -> None:
        """Index the folder, and look for other readers' marks every `STATE_POLL_SECONDS`
        (every `FIRST_MARKS_SECONDS` until the state file has been read)."""
        self._load()
        self.set_interval(STATE_POLL_SECONDS, self.pick_up_marks)
        self._first_marks = self.set_interval(FIRST_MARKS_SECONDS, self._until_marks_read)

    def _until_marks_read(self) -> None:
        ready = self.host.state.ready
        self.pick_up_marks()
        if ready:
            self._first_marks.stop()
            self.host.state_ready()
            self.apply(self.model.searches_loaded())

    def on_unmount(self) -> None:
        self._stop_watching.set()
        gc.unfreeze()  # the loader froze the stories (see index_folder); let them go

    def _run(self, effect: object) -> None:
        if isinstance(effect, OpenLink):
            mark = effect.mark
            opened = lambda: self.apply(self.model.link_opened(mark))  # noqa: E731
            self.host.open_link(effect.url, opened, effect.argv)
        elif isinstance(effect, CopyLink):
            self.host.copy_link(effect.url, effect.about)
        elif isinstance(effect, CountEverywhere):
            # Counted once typing pauses: a keystroke never waits for all topics.
            if self._count_timer is not None:
                self._count_timer.stop()
            self._count_timer = self.set_timer(
                COUNT_AFTER_SECONDS, lambda: self.apply(self.model.count_everywhere())
            )
        elif isinstance(effect, Rescan):
            self._load()
        elif isinstance(effect, FetchText):
            self._fetch_text(effect.article, effect.url)
        elif isinstance(effect, CancelFetch):
            self.workers.cancel_group(self, "fulltext")
        elif isinstance(effect, AskSearchName):
            self._ask_search_name(effect)
        elif isinstance(effect, ShowStats):
            from .stats import StatsScreen

            index = self.model.index
            self.app.push_screen(StatsScreen(index, index.rises, self.host.state.path))
        elif isinstance(effect, ShowProblems):
            from .problems import ProblemsScreen

            roots = self.model.roots
            common = roots[0] if len(roots) == 1 else os.path.commonpath(roots)
            self.app.push_screen(ProblemsScreen(common, self.model.loaded.problems))

    def _ask_search_name(self, asked: AskSearchName) -> None:
        from .ask_search import AskSearchScreen

        def answered(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                self.apply(self.model.keep_search(*answer, editing=asked.editing))

        dialog = AskSearchScreen(asked.name, asked.query, editing=asked.editing is not None)
        self.app.push_screen(dialog, answered)

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

    @work(thread=True, exclusive=True, group="fulltext", exit_on_error=False)
    def _fetch_text(self, article: Article, url: str) -> None:
        """The full text of `article`: from the cache, else fetched (only ever when asked)."""
        worker = get_current_worker()
        shown = Throttle(PROGRESS_SECONDS)

        def progress(got: int, total: int | None) -> None:
            if shown():
                self.post_message(TextProgress(article, got))

        read = read_full_text(url, TextCache(), cancelled=lambda: worker.is_cancelled,
                              progress=progress)  # fmt: skip
        if not worker.is_cancelled:
            self.post_message(TextRead(article, read))

    @work(thread=True, exclusive=True, group="image", exit_on_error=False)
    def fetch_image(self, url: str) -> None:
        """Fetch and decode a story's picture (only when images are on: `i`)."""
        from reader.model.fetch import IMAGE_TYPES, FetchError, fetch

        worker = get_current_worker()
        try:
            page = fetch(url, accept=IMAGE_TYPES, cancelled=lambda: worker.is_cancelled)
        except FetchError as err:
            picture: Picture | str = f"(image not fetched: {err})"
        else:
            picture = decode(page.body)
        if not worker.is_cancelled:
            self.post_message(ImageRead(url, picture))

    def on_text_progress(self, message: TextProgress) -> None:
        self.apply(self.model.fetch_progress(message.article, message.got))

    def on_text_read(self, message: TextRead) -> None:
        read = message.read
        change = self.model.text_fetched(
            message.article, read.text, cached=read.cached, note=read.unkept
        )
        self.apply(change)

    # -- loading and watching --------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        worker = get_current_worker()
        if self.keep_history and self.history is None:
            self.history = HeatLog.open()
        try:
            index_folder(
                self.model.roots,
                use_cache=self.use_cache,
                muter=self.muter,
                order=lambda: self.model.order,
                searching=lambda: bool(self.model.query_text),
                post=lambda loaded: self.post_message(IndexUpdated(loaded)),
                cancelled=lambda: worker.is_cancelled,
                warmed=lambda: self.post_message(SearchReady()),
                history=self.history,
                window=self.window,
            )
        except (FileNotFoundError, NotADirectoryError):
            self.post_message(FolderMissing(True))

    def on_search_ready(self, message: SearchReady) -> None:
        self.apply(self.model.search_ready())
        if not self._texts_read:
            self._texts_read = True
            self._read_texts()

    @work(thread=True, group="texts", exit_on_error=False)
    def _read_texts(self) -> None:
        """The full texts kept offline, for `text:` searches (once, after the first load)."""
        self.post_message(TextsKept(TextCache().searchable()))

    def on_texts_kept(self, message: TextsKept) -> None:
        self.apply(self.model.texts_loaded(message.texts))

    def on_index_updated(self, message: IndexUpdated) -> None:
        if message.loaded.finished:
            # Start watching once indexed: the watcher's own scan of a large
            # folder would otherwise compete with the first screen for the CPU.
            self._start_watching()
        self.apply(self.model.apply_index(message.loaded))

    def _start_watching(self) -> None:
        if not self._watching:
            self._watching = True
            self._watch()

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch(self) -> None:
        watch_folder(self.model.roots, self._stop_watching, self.post_message)

    def on_folder_changed(self, message: FolderChanged) -> None:
        self._load()

    def on_folder_missing(self, message: FolderMissing) -> None:
        self._start_watching()  # gone before the first index was done: watch for it
        self.apply(self.model.folder_missing(message.gone))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.host.on_worker_state_changed(event)

    def pick_up_marks(self) -> None:
        """Marks other readers made meanwhile, and what the state store has to say."""
        self.report_state()
        if self.host.state.refresh():
            self.apply(self.model.marks_changed())

    def report_state(self) -> None:
        """Say what the state store has to tell (a mark not saved, a damaged file)."""
        notices = self.host.state_notices()
        if self.history is not None:
            notices += [clean_line(n, 400) for n in self.history.take_notices()]
        for notice in notices:
            self.notify(notice, severity="warning", markup=False)
