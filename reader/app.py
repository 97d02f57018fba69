"""The reader application: stylesheet, global keys, the browser, the clipboard and help."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from reader.browse.change import quoted_title
from reader.browse.model import BrowseModel
from reader.browse.searches import SavedSearches
from reader.browser import open_in_browser, open_with
from reader.clipboard import copy_with_tool
from reader.commands import GoToProvider
from reader.model.config import Config, unknown_key_ids
from reader.model.links import unsafe_reason
from reader.model.muting import Muter
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
        (160, "-wider"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
    ]
    COMMANDS = App.COMMANDS | {GoToProvider}

    def __init__(
        self,
        roots: str | Sequence[str],
        *,
        use_cache: bool = True,
        config: Config | None = None,
        config_notes: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.use_cache = use_cache
        #: The user's settings (the defaults unless the command line read a file).
        self.config = config or Config()
        #: What was wrong with the config file, said once the screen is up.
        self.config_notes = [*config_notes, *unknown_key_ids(self.config.keys, binding_ids())]
        #: Read marks, saved stories and settings, shared with other instances;
        #: opened and read on its own thread, so nothing here waits for the file.
        self.state = StateStore.open()
        #: What browsing shows; the main screen wires it to the widgets.
        self.model = BrowseModel(
            roots,
            self.state,
            order=self.config.sort or "heat",
            searches=SavedSearches(self.config.searches, self.state),
            hide_read=self.config.hide_read,
            show_trends=self.config.trends,
            images=self.config.images,
            openers=self.config.openers,
        )
        self.set_keymap(dict(self.config.keys))
        #: Links handed to the browser, in order.
        self.opened: list[str] = []
        #: Said on the terminal after the app has quit (e.g. marks that could not be saved).
        self.exit_note: str | None = None

    def get_default_screen(self) -> Screen[None]:
        muter = Muter(self.config.mutes)
        return MainScreen(
            self.model,
            use_cache=self.use_cache,
            muter=muter,
            window=self.config.rising_window,
            keep_history=self.config.history,
        )

    def on_mount(self) -> None:
        theme = self.config.theme
        if theme is not None and theme not in self.available_themes:
            names = ", ".join(sorted(self.available_themes))
            self.config_notes.append(f"theme: no theme {theme!r} (there are {names})")
        for note in self.config_notes:
            self.notify(clean_line(note, 400), title="config.toml", severity="warning")

    def state_ready(self) -> None:
        """The state file has been read (the main screen says so; on a usual start at
        once, as the store is read while Textual starts): take the config's theme,
        else the one chosen last time, then remember changes."""
        theme = self.config.theme
        if theme not in self.available_themes:
            theme = self.state.get_setting("theme")
        if theme in self.available_themes:
            self.theme = theme
        # Remember the theme chosen from the command palette for the next start.
        self.watch(self, "theme", self._remember_theme, init=False)

    def _remember_theme(self, theme: str) -> None:
        self.state.set_setting("theme", theme)

    def on_unmount(self) -> None:
        # Marks still unwritten (a locked or vanished file) are said after the screen is gone.
        self.exit_note = self.state.close()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            # A confirmation ("press A again") is only good for the very next key.
            self.model.key_pressed()
        await super().on_event(event)

    def state_notices(self) -> list[str]:
        """What the state store has to tell the user, each said once."""
        return [clean_line(notice, 400) for notice in self.state.take_notices()]

    # -- the browser and the clipboard -------------------------------------------------

    def open_link(
        self,
        url: str,
        on_opened: Callable[[], object] | None = None,
        argv: tuple[str, ...] | None = None,
    ) -> None:
        """Open `url` in the browser (or with the config's program `argv`) if it is
        safe; otherwise say why and launch nothing.

        `on_opened` runs (on the UI thread) once the browser has taken the link;
        a failed launch is reported instead.
        """
        reason = unsafe_reason(url)
        if reason is not None:
            self.notify(f"Not opened: {reason}.", severity="error", markup=False)
            return
        self.opened.append(url)
        self._launch(url, on_opened, argv)

    @work(thread=True, group="browser", exit_on_error=False)
    def _launch(
        self, url: str, on_opened: Callable[[], object] | None, argv: tuple[str, ...] | None
    ) -> None:
        # Either raises when nothing could be started: reported by on_worker_state_changed.
        if argv is None:
            open_in_browser(url)
        else:
            try:
                open_with(argv, url)
            except OSError as error:
                raise OSError(f"{argv[0]} could not be started: {error.strerror}") from None
        if on_opened is not None:
            self.call_from_thread(on_opened)

    def copy_link(self, url: str, about: str) -> None:
        """Copy `url` through the terminal (OSC 52) and the system's clipboard tool, if any,
        then say which of them ran."""
        if unsafe_reason(url) is not None:
            return  # the model refuses these; never put one on the clipboard
        self.copy_to_clipboard(url)
        self._copy_with_tool(url, about)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def _copy_with_tool(self, url: str, about: str) -> None:
        what = f"The link of {quoted_title(about)}"
        try:
            tool = copy_with_tool(url)
        except OSError as error:
            message = f"{what} went to the terminal (OSC 52) only: {error}."
            self.call_from_thread(self.notify, message, severity="warning", markup=False)
            return
        if tool is None:
            message = f"{what} was sent to the terminal's clipboard (OSC 52)."
        else:
            message = f"{what} was copied with {tool}, and sent to the terminal (OSC 52)."
        self.call_from_thread(self.notify, message, timeout=3, markup=False)

    # -- workers, the palette and help ---------------------------------------------------

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
        self.push_screen(HelpScreen(binding_sections(), self._keymap))


def binding_sections() -> list[tuple[str, list[BindingType]]]:
    """Every key binding, by where it works: what help and `reader keys` list."""
    return [
        ("Moving", LineList.BINDINGS),
        ("Stories", MainScreen.BINDINGS),
        ("Search box", SearchBar.BINDINGS),
        ("Application", ReaderApp.BINDINGS),
    ]


def binding_ids() -> list[str]:
    """The id of every binding a `[keys]` entry may name."""
    return [
        b.id
        for _, bindings in binding_sections()
        for b in bindings
        if isinstance(b, Binding) and b.id
    ]
