"""The story's lead picture in the detail pane: reserved first, drawn when it arrives.

The pane calls `show_placeholder` with the size the story's file gives, then
`show_picture` or `show_message` once the bytes are fetched and decoded. The rows
reserved come from `picture.cells_for` and the pane's width alone, so nothing below
the picture moves when it arrives or fails.

The picture is drawn by textual-image: Sixel or the Kitty protocol where the terminal
answers that it has them, coloured half blocks ("▀") elsewhere. Two cautions:

- textual-image asks the terminal what it can do *when it is imported* (a Sixel and
  a Kitty query, then the cell size in pixels: ~0.1 s each when unanswered), and this
  only works before Textual reads the keyboard. Import this module at start-up, never
  from inside a running app. With no terminal (stdout not a tty: tests, CI, pipes) it
  asks nothing and writes nothing.
- Headless apps (`run_test`, snapshots) and apps whose stdout is not a terminal always
  get half blocks: textual-image would pick grey shade characters there, and its Kitty
  and Sixel output go straight to the terminal, past Textual.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PIL import Image as PILImage
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.geometry import Size
from textual.widget import Widget

from reader.model.picture import Picture, cells_for

if TYPE_CHECKING:
    from textual_image.widget._base import Image as ImageWidget

# textual-image logs a warning with a traceback when the terminal does not answer its
# cell-size query; with no handler, Python would print it on the terminal (stderr)
# before the app starts. Its records still reach any handler the app sets up.
logging.getLogger("textual_image").addHandler(logging.NullHandler())

#: Why textual-image could not be imported here, if it could not.
IMPORT_ERROR: Exception | None = None
#: What draws pictures: the best the terminal has, and half blocks (None: nothing can).
_renderers: tuple[type[ImageWidget] | None, type[ImageWidget] | None, bool] | None = None


def prepare() -> None:
    """Import textual-image, which asks the terminal what it can draw: call it before
    the app starts reading the keyboard (the command line does, unless the config
    says `images = false`, so that a reader without images never pays for it)."""
    global _renderers, IMPORT_ERROR
    if _renderers is not None:
        return
    try:
        import textual_image._terminal
        import textual_image.renderable
        import textual_image.widget
    except Exception as error:
        # termios.error when stdout is a terminal but stdin is not (its query needs both),
        # ZeroDivisionError in a terminal of no size... Pictures are then described.
        IMPORT_ERROR = error
        _renderers = (None, None, False)
        return
    best = textual_image.renderable.Image is not textual_image.renderable.UnicodeImage
    _renderers = (textual_image.widget.Image, textual_image.widget.HalfcellImage, best)


#: What is shown instead of a picture when no way of drawing one works here.
NOT_DRAWN = "(pictures cannot be drawn here)"


def renderer(headless: bool) -> type[ImageWidget] | None:
    """The textual-image widget that draws pictures in this app, or None if none can.

    Not prepared before the app started: prepared now, which asks nothing of a
    headless app's terminal (there is none) and draws in half blocks."""
    prepare()
    assert _renderers is not None
    best, blocks, terminal = _renderers
    return blocks if headless or not terminal else best


class LeadImage(Widget):
    """A picture above or below the story, in rows reserved before it arrives.

    Height 0 until `show_placeholder` (or `show_message`) reserves the rows; the same
    rows then hold the placeholder, the picture or a message, whatever the picture's
    real shape (it is fitted inside them, centred), until `clear` or another placeholder.

    Drawing a picture in half blocks costs ~8 ms at 57×16 cells; it is drawn from a
    copy scaled to the pane (~20 ms from a 1600-pixel picture), made once per picture.
    """

    DEFAULT_CSS = """
    LeadImage {
        width: 1fr;
        height: auto;
        align: center middle;
        content-align: center middle;
        color: $text-muted;
    }
    LeadImage.-note { outline: round $foreground 25%; }
    LeadImage.-note.-short { outline: none; background: $boost; }
    LeadImage > #lead-picture { width: auto; height: auto; }
    """

    def __init__(
        self,
        *,
        hint: str = "i to hide",
        max_rows: int = 16,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """`hint` ends the placeholder's text; a picture takes at most `max_rows` rows."""
        super().__init__(id=id, classes=classes)
        self.hint = hint
        self.max_rows = max_rows
        #: The pixel size the rows are reserved for; None when nothing is reserved.
        self._reserved: tuple[int | None, int | None] | None = None
        self._note: Text | None = None
        self._picture: Picture | None = None
        self._drawer: ImageWidget | None = None
        self._drawn_for = 0  # the width the drawn copy of the picture was scaled for
        self._composed = False

    def compose(self) -> ComposeResult:
        self._composed = True
        drawer = renderer(self.app.is_headless)
        if drawer is None:
            if self._picture is not None:
                self._show_note(NOT_DRAWN)
            return
        self._drawer = drawer(id="lead-picture")
        self._drawer.display = False
        if self._picture is not None:
            self._draw(self._picture)
        yield self._drawer

    # --- what the pane calls ----------------------------------------------------------

    def show_placeholder(self, width: int | None, height: int | None, note: str = "") -> None:
        """Reserve the rows for a `width`×`height` picture, showing `note` or its size."""
        self._reserve((width, height))
        self._show_note(note or self._describe(width, height))

    def show_picture(self, picture: Picture) -> None:
        """Draw `picture` in the reserved rows (reserved for its own size if none were)."""
        if self._reserved is None:
            self._reserve((picture.width, picture.height))
        if self._drawer is None and self._composed:
            self._show_note(NOT_DRAWN)
            return
        self._set_note(None)
        self._picture = picture
        if self._drawer is not None:
            self._draw(picture)

    def show_message(self, text: str) -> None:
        """Show `text` (plain, never markup) in the reserved rows, e.g. "(image unreadable)".

        With no rows reserved, reserves those of a picture of unknown size.
        """
        if self._reserved is None:
            self._reserve((None, None))
        self._show_note(text)

    def clear(self) -> None:
        """Show nothing, in no rows."""
        self._drop_picture()
        self._set_note(None)
        if self._reserved is not None:
            self._reserved = None
            self.refresh(layout=True)

    # --- what tests and the pane read ---------------------------------------------------

    @property
    def picture(self) -> Picture | None:
        """The picture drawn, if one is."""
        return self._picture

    @property
    def note(self) -> str:
        """The placeholder's or message's text when one is shown, else ""."""
        return "" if self._note is None else self._note.plain

    def rows_for(self, width: int) -> int:
        """The rows reserved in a pane `width` columns wide (0 when nothing is)."""
        if self._reserved is None:
            return 0
        return cells_for(*self._reserved, width, max_rows=self.max_rows)[1]

    # --- inside -----------------------------------------------------------------------

    def render(self) -> Text:
        return self._note or Text()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.rows_for(width)

    def on_resize(self, event: events.Resize) -> None:
        self._frame()
        if self._picture is not None and self.size.width > self._drawn_for:
            self._draw(self._picture)  # wider than the copy drawn: scale it again

    def _describe(self, width: int | None, height: int | None) -> str:
        size = f"{width}×{height}" if width and height and width > 0 and height > 0 else ""
        return " · ".join(part for part in ("image", size, self.hint) if part)

    def _reserve(self, size: tuple[int | None, int | None]) -> None:
        if size != self._reserved:
            self._reserved = size
            self.refresh(layout=True)
            self._frame()

    def _frame(self) -> None:
        # An outline takes no room, so it never moves the layout; under 3 rows it
        # would hide the note, which then sits on a tinted band instead.
        if not self.is_mounted:
            return  # done on the first resize
        width = self.size.width or self.app.size.width
        self.set_class(self.rows_for(width) < 3, "-short")

    def _show_note(self, text: str) -> None:
        self._drop_picture()
        self._set_note(Text(text, no_wrap=True, overflow="ellipsis"))

    def _set_note(self, note: Text | None) -> None:
        self._note = note
        self.set_class(note is not None, "-note")
        self.refresh()

    def _draw(self, picture: Picture) -> None:
        assert self._drawer is not None
        width = self.size.width or self.app.size.width
        self._drawer.image = _scaled(picture.image, width, self.max_rows)
        self._drawer.display = True
        self._drawn_for = width

    def _drop_picture(self) -> None:
        self._picture = None
        self._drawn_for = 0
        if self._drawer is not None and self._drawer.image is not None:
            self._drawer.image = None  # lets a Kitty terminal free its copy
            self._drawer.display = False


def _scaled(image: PILImage.Image, columns: int, rows: int) -> PILImage.Image:
    """`image`, or a copy no larger than `columns`×`rows` cells need in pixels.

    textual-image copies and scales the image it is given each time it draws it.
    """
    import textual_image._terminal  # imported by `prepare` already: a lookup

    cell = textual_image._terminal.get_cell_size()
    box = (max(1, columns) * cell.width, max(1, rows) * cell.height)
    if image.width <= box[0] and image.height <= box[1]:
        return image
    copy = image.copy()
    copy.thumbnail(box, PILImage.Resampling.LANCZOS)
    return copy
