"""The top line: story count, skipped files, progress, order, search and folder."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from reader.model.text import show_path


class StatusBar(Static):
    """Shows where the stories come from and how many there are."""

    def update_status(
        self,
        *,
        folder: str,
        stories: int,
        skipped: int,
        done: int,
        total: int,
        order: str = "heat",
        checking: bool = False,
        extra: str = "",
    ) -> None:
        """Redraw the line from these values."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" reader ", style="bold reverse")
        text.append(f" {stories:,} stories", style="bold")
        if skipped:
            text.append(f"  ·  {skipped:,} skipped (press !)", style="bold")
        if checking:
            text.append("  ·  checking for changes…", style="italic")
        elif done < total:
            text.append(f"  ·  indexed {done:,} of {total:,}", style="italic")
        text.append(f"  ·  by {order}")
        if extra:
            text.append(f"  ·  {extra}")
        # The folder goes last: on a narrow terminal it is what gets cut.
        text.append(f"  ·  {show_path(folder)}", style="dim")
        self.update(text, layout=False)  # one line, always: no layout pass needed
