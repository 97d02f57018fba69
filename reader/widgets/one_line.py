"""A single line of text that is cut to its width with "…", never wrapped."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget


class OneLine(Widget):
    """One line of text, cut with "…" when it does not fit; posts `Clicked` when clicked.

    Changing the text redraws this line alone: no layout pass of the screen.
    """

    DEFAULT_CSS = """
    OneLine { height: 1; width: 1fr; }
    """

    class Clicked(Message):
        """The line was clicked."""

        def __init__(self, line: OneLine) -> None:
            super().__init__()
            self.line = line

        @property
        def control(self) -> OneLine:
            """The line that was clicked."""
            return self.line

    def __init__(self, text: Text | str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.text = text if isinstance(text, Text) else Text(text)

    def set(self, text: Text | str) -> None:
        """Show `text` instead (plain text, never markup)."""
        text = text if isinstance(text, Text) else Text(text)
        if text != self.text:
            self.text = text
            self.refresh()

    @property
    def plain(self) -> str:
        """The whole text, uncut and without styles."""
        return self.text.plain

    def render(self) -> Text:
        line = self.text.copy()
        line.no_wrap = True
        line.truncate(max(1, self.size.width), overflow="ellipsis")
        return line

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Clicked(self))
