"""The reader application: stylesheet, global keys, browser and help."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from reader.browser import open_in_browser
from reader.commands import GoToProvider
from reader.model.links import unsafe_reason
from reader.model.state import StateStore
from reader.model.text import clean_line
from reader.resources import styles_dir
from reader.screens.main import MainScreen
from reader.widgets.line_list import LineList
from reader.widgets.search_bar import SearchBar


class ReaderApp(App[None]):
    """Browse a folder of news stories."""

    CSS_PATH = str(styles_dir() / "reader.tcss")
    TITLE = "reader"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 - declared so by App
        (0, "-narrow"),
        (120, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(self, root: str, *, use_cache: bool = True) -> None:
        super().__init__()
        self.root = root
        self.use_cache = use_cache
        #: Read marks, saved stories and settings, shared with other instances.
        self.state = StateStore.open()
        theme = self.state.get_setting("theme")
        if theme in self.available_themes:
            self.theme = theme
        #: Links handed to the browser, in order.
        self.opened: list[str] = []

    COMMANDS = App.COMMANDS | {GoToProvider}

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.root, self.state, use_cache=self.use_cache)

    def on_mount(self) -> None:
        # Remember the theme chosen from the command palette for the next start.
        self.watch(self, "theme", self._remember_theme, init=False)

    def _remember_theme(self, theme: str) -> None:
        self.state.set_setting("theme", theme)

    def on_unmount(self) -> None:
        self.state.close()

    def open_link(self, url: str, on_opened: Callable[[], object] | None = None) -> None:
        """Open `url` in the browser if it is safe; otherwise say why and launch nothing.

        `on_opened` runs (on the UI thread) once the browser has taken the link;
        a failed launch is reported instead.
        """
        reason = unsafe_reason(url)
        if reason is not None:
            self.notify(f"Not opened: {reason}.", severity="error", markup=False)
            return
        self.opened.append(url)
        self.notify("Opening in your browser…", markup=False, timeout=2)
        self._launch(url, on_opened)

    @work(thread=True, group="browser", exit_on_error=False)
    def _launch(self, url: str, on_opened: Callable[[], object] | None) -> None:
        open_in_browser(url)  # raises when no browser could be started: reported below
        if on_opened is not None:
            self.call_from_thread(on_opened)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker is reported to the user.

        Screens forward their workers' changes here (the message does not bubble).
        """
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            message = clean_line(str(error) or type(error).__name__, 300)
            self.notify(message, severity="error", markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for title, help_text, callback in screen.palette_commands():
                yield SystemCommand(title, help_text, callback)

    def action_help(self) -> None:
        from reader.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        sections = [
            ("Moving", LineList.BINDINGS),
            ("Stories", MainScreen.BINDINGS),
            ("Search box", SearchBar.BINDINGS),
            ("Application", self.BINDINGS),
        ]
        self.push_screen(HelpScreen(sections))
