"""The top line: story count, skipped files, progress, order, search and folder."""

from __future__ import annotations

from rich.text import Text

from reader.browse.change import count_stories
from reader.browse.view import StatusView
from reader.model.text import show_path

from .one_line import OneLine


class StatusBar(OneLine):
    """Shows where the stories come from, how many there are and how they are listed."""

    def show(self, view: StatusView) -> None:
        """Redraw the line from `view`."""
        text = Text()
        text.append(" reader ", style="bold reverse")
        text.append(f" {count_stories(view.stories)}", style="bold")
        if view.skipped:
            text.append(f" · {view.skipped:,} skipped (press !)", style="bold")
        if view.folder_gone:
            text.append(" · the folder is gone, watching for it", style="bold italic")
        elif view.checking:
            doing = "checking for changes" if view.stories else "reading the folder"
            text.append(f" · {doing}…", style="italic")
        elif view.done < view.total:
            text.append(f" · indexed {view.done:,} of {view.total:,}", style="italic")
        if view.muted:
            text.append(f" · {view.muted:,} muted (M)")
        if view.hide_read:
            text.append(" · read hidden (H)")
        text.append(f" · by {view.order}")
        if view.query:
            text.append(" · search: ")
            text.append(view.query, style="italic")
        # The folders go last: on a narrow terminal they are what gets cut.
        text.append(f" · {', '.join(map(show_path, view.folders))}", style="dim")
        self.set(text)
