"""The search box above the story list, with the match count and query errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

PLACEHOLDER = 'Search: words, "a phrase", topic:, provider:, after:2024-01, heat>100, is:unread'


class SearchBar(Vertical):
    """`text` follows what is typed (watch it); posts `Done` on Enter, `Cleared` on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear search", id="clear_search"),
    ]

    #: The query as typed. A reactive, not a message: whoever watches it updates
    #: in the same frame as the keystroke.
    text: reactive[str] = reactive("", init=False)

    class Done(Message):
        """Enter: keep the filter and go back to the list."""

    class Cleared(Message):
        """Escape: the search was cleared and closed."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="search-input")
        yield Static(id="search-info")

    def open(self) -> None:
        """Show the bar and put the cursor in it."""
        self.display = True
        self.query_one(Input).focus()

    def show_result(self, matches: int, total: int, errors: Sequence[str]) -> None:
        """Say how many stories match, and what in the query could not be understood."""
        info = Text(no_wrap=True, overflow="ellipsis")
        info.append(f"{matches:,} of {total:,} match", style="bold")
        for error in errors:
            info.append(f"  ·  {error}", style="italic")
        # One line, always: redrawing it needs no layout pass (~25 ms) of the screen.
        self.query_one("#search-info", Static).update(info, layout=False)

    def on_mount(self) -> None:
        self.watch(self.query_one(Input), "value", self._typed, init=False)

    def _typed(self, value: str) -> None:
        self.text = value

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def action_clear(self) -> None:
        """Empty the box, hide the bar and say so."""
        self.query_one(Input).value = ""
        self.display = False
        self.post_message(self.Cleared())
