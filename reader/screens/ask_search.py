"""The dialog that names a saved search (and lets its query be changed)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from reader.browse.searches import MAX_NAME


class AskSearchScreen(ModalScreen[tuple[str, str] | None]):
    """Asks for a name and a query; dismissed with both, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel_dialog"),
    ]

    def __init__(self, name: str, query: str, *, editing: bool = False) -> None:
        super().__init__()
        self.initial = (name[:MAX_NAME], query)
        self.editing = editing

    def compose(self) -> ComposeResult:
        title = "Change the saved search" if self.editing else "Save this search"
        with Vertical(id="dialog", classes="ask"):
            yield Static(title, classes="dialog-title")
            yield Label("Name, as the sidebar shows it")
            yield Input(self.initial[0], id="search-name", max_length=MAX_NAME)
            yield Label("Search")
            yield Input(self.initial[1], id="search-query")
            yield Static("Enter saves · Escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#search-name", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = self.query_one("#search-name", Input).value
        query = self.query_one("#search-query", Input).value
        self.dismiss((name, query))

    def action_cancel(self) -> None:
        self.dismiss(None)
