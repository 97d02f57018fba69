"""The help screen: every key, taken from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: Keys handled outside the binding tables (focus moves and mouse).
EXTRA_KEYS = [
    (
        "tab / shift+tab",
        "Next / previous pane: topics, stories, the story, its related stories "
        "(when it has any), and the search box while it is open",
    ),
    ("ctrl+p", "Command palette: go to a topic or a story, sort, theme, skipped files"),
    ("ctrl+q", "Quit"),
    ("click, double click, wheel", "Select a row, open it, scroll"),
]

_KEY_NAMES = {
    "exclamation_mark": "!",
    "question_mark": "?",
    "slash": "/",
    "pageup": "PgUp",
    "pagedown": "PgDn",
}


def key_label(keys: str) -> str:
    """Readable form of a binding's key string: "up,k" -> "up / k"."""
    return " / ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def help_rows(
    sections: Iterable[tuple[str, Iterable[BindingType]]], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """(section, keys, description) for every described binding, with the keys
    `keymap` (binding id -> keys, the config's `[keys]`) puts in force.

    Numbered bindings ("1" for "Related story 1", ...) are folded into one row.
    """
    keymap = keymap or {}
    rows: list[tuple[str, str, str]] = []
    for section, bindings in sections:
        numbered: list[tuple[str, str]] = []
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = keymap.get(binding.id or "", binding.key)
            stem, _, number = binding.description.rpartition(" ")
            if number.isdigit() and keys == number:
                numbered.append((number, stem))
                continue
            rows.append((section, key_label(keys), binding.description))
        if numbered:
            keys = f"{numbered[0][0]} … {numbered[-1][0]}"
            rows.append((section, keys, f"{numbered[0][1]} N"))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists every key and what it does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close"),
    ]

    def __init__(
        self,
        sections: Iterable[tuple[str, Iterable[BindingType]]],
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.rows = help_rows(sections, keymap)

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 2, 0, 0))
        table.add_column("keys", style="bold", no_wrap=True, min_width=26, ratio=1)
        table.add_column("does", ratio=2)
        section = ""
        for name, keys, description in self.rows:
            if name != section:
                if section:
                    table.add_row("", "")
                table.add_row(Text(name, style="underline"), "")
                section = name
            table.add_row(Text(keys), Text(description))
        table.add_row("", "")
        table.add_row(Text("Everywhere", style="underline"), "")
        for keys, description in EXTRA_KEYS:
            table.add_row(Text(keys), Text(description))
        with Vertical(id="dialog"):
            yield Static(Text("Keys", style="bold"), classes="dialog-title")
            with VerticalScroll():
                yield Static(table, id="help-table")
