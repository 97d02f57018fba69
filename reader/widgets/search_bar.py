"""The search box above the story list: what it found, where, and what it did not understand."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from reader.browse.view import SearchView

from .one_line import OneLine

PLACEHOLDER = (
    'Search: words, "a phrase", -not, topic:, provider:, type:, after:2024-01, heat>100, is:unread'
)


class SearchBar(Vertical):
    """The query is `input.value` (its parent watches it: see `reader.screens.main`);
    posts `Done` on Enter and `Cleared` on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear search", id="clear_search"),
    ]

    class Done(Message):
        """Enter: keep the filter and go back to the list."""

    class Cleared(Message):
        """Escape: the user wants the search gone."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="search-input")
        yield OneLine(id="search-info")

    @property
    def input(self) -> Input:
        """The box typed into."""
        return self.query_one(Input)

    def show(self, view: SearchView) -> None:
        """Show or hide the box, what it holds, and what it found."""
        self.display = view.open
        if view.text != self.input.value.strip():  # never undo what is being typed
            self.input.set_reactive(Input.value, view.text)
            self.input.cursor_position = len(view.text)
            self.input.refresh()
        info = Text()
        if view.text:
            info.append(f"in {view.scope}: {view.matches:,} of {view.total:,}", style="bold")
            if view.everywhere is not None:
                info.append(f" · all topics: {view.everywhere:,}")
        else:
            info.append("Type to filter; Enter keeps the filter, Escape clears it.")
        for error in view.errors:
            info.append(f" · {error}", style="italic")
        self.query_one("#search-info", OneLine).set(info)

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()  # the parent watches the value itself

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def action_clear(self) -> None:
        """Escape in the box."""
        self.post_message(self.Cleared())
