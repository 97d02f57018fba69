"""The list of files that were skipped, hidden or merged, with the reasons."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.model.article import Problem
from reader.model.text import clean_line, show_path
from reader.widgets.line_list import LineList


class ProblemList(LineList):
    """One row per problem: its kind, its path (relative to the folder) and why."""

    def __init__(self, root: str, problems: Sequence[Problem], *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Problem paths are absolute, whatever form of the folder was given.
        self.root = os.path.join(os.path.abspath(root), "")
        self.problems = problems

    def on_mount(self) -> None:
        self.show_rows(len(self.problems), 0)

    def render_row(self, index: int, width: int) -> Text:
        problem = self.problems[index]
        path = problem.path.removeprefix(self.root)
        text = Text(no_wrap=True)
        text.append(f"{problem.kind:<9} ", style=self.style_of("accent"))
        text.append(show_path(path))
        text.append(f"  {clean_line(problem.reason, 500)}", style=self.style_of("dim"))
        return text


class ProblemsScreen(ModalScreen[None]):
    """Why files are not shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,exclamation_mark", "dismiss", "Close", id="close"),
    ]

    def __init__(self, root: str, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.root = root
        self.problems = problems

    def compose(self) -> ComposeResult:
        skipped = sum(p.kind == "skipped" for p in self.problems)
        summary = (
            f"{skipped:,} skipped, {len(self.problems) - skipped:,} hidden or duplicate"
            "  ·  Escape to close"
        )
        with Vertical(id="dialog"):
            yield Static(Text("Files not shown", style="bold"), classes="dialog-title")
            if self.problems:
                yield Static(Text(summary), classes="dialog-subtitle")
                yield ProblemList(self.root, self.problems, id="problem-list")
                yield Static(id="problem-detail")
            else:
                yield Static(Text("Every file was read and shown."), classes="dialog-subtitle")

    def on_mount(self) -> None:
        if self.problems:
            self.query_one(ProblemList).focus()
            self._show_whole(0)

    @on(LineList.Moved)
    def _moved(self, event: LineList.Moved) -> None:
        problems = self.query_one(ProblemList)
        row = event.row(problems.cursor, len(self.problems))
        problems.show_rows(len(self.problems), row, changed=False)
        self._show_whole(row)

    def _show_whole(self, index: int) -> None:
        """Rows are cut to the width; the one under the cursor is also shown in full."""
        problem = self.problems[index]
        text = Text()
        text.append(show_path(problem.path), style="bold")
        text.append(f"\n{problem.kind}: {clean_line(problem.reason, 500)}")
        self.query_one("#problem-detail", Static).update(text)
