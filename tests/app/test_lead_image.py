"""The lead picture widget: rows reserved before the picture arrives, and kept."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from textual._compositor import LayoutUpdate
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reader.model.picture import Picture, cells_for, decode
from reader.widgets.lead_image import NOT_DRAWN, LeadImage, renderer

REPO = Path(__file__).resolve().parents[2]
RED = (220, 30, 30)
BLUE = (30, 60, 220)


class LeadApp(App[None]):
    """A pane as the detail pane holds it: the picture, then the story's text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield LeadImage()
            yield Static("The story's text.", id="text")


def lead(app: App[Any]) -> LeadImage:
    return app.query_one(LeadImage)


def text_row(app: App[Any]) -> int:
    """The screen row the text below the picture starts at."""
    return app.query_one("#text").region.y


def sample(width: int = 1100, height: int = 619) -> Picture:
    """A red picture with a blue band across its lower half."""
    image = Image.new("RGB", (width, height), RED)
    ImageDraw.Draw(image).rectangle((0, height // 2, width, height), fill=BLUE)
    got = decode(_png(image))
    assert isinstance(got, Picture)
    return got


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("width", "height"),
    [(1100, 619), (2000, 400), (600, 1200), (None, None), (3000, 200), (8000, 200)],
)
async def test_a_placeholder_reserves_the_rows_cells_for_gives(
    width: int | None, height: int | None
) -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lead(app).show_placeholder(width, height)
        await pilot.pause()
        rows = cells_for(width, height, 80)[1]
        assert lead(app).outer_size.height == rows
        assert text_row(app) == rows


async def test_the_placeholder_says_the_size_or_the_note() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = lead(app)
        widget.show_placeholder(1100, 619)
        await pilot.pause()
        assert widget.note == "image · 1100×619 · i to hide"
        assert "image · 1100×619 · i to hide" in _screen_text(app)
        widget.show_placeholder(1100, 619, "loading image…")
        await pilot.pause()
        assert widget.note == "loading image…"
        widget.show_placeholder(None, None)
        assert widget.note == "image · i to hide"


async def test_the_picture_keeps_the_reserved_rows() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = lead(app)
        widget.show_placeholder(1100, 619, "loading image…")
        await pilot.pause()
        before = (widget.outer_size, text_row(app))
        widget.show_picture(sample())
        await pilot.pause()
        assert (widget.outer_size, text_row(app)) == before
        assert widget.picture is not None
        assert widget.note == ""


async def test_a_picture_of_another_shape_than_announced_fits_in_the_rows() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = lead(app)
        widget.show_placeholder(2000, 400)  # 8 rows
        await pilot.pause()
        widget.show_picture(sample(500, 500))  # square: would want 16
        await pilot.pause()
        assert widget.outer_size.height == 8 == text_row(app)
        drawn = app.query_one("#lead-picture").region
        assert drawn.height <= 8
        assert widget.region.contains_region(drawn)


async def test_half_blocks_look_like_the_picture() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = lead(app)
        widget.show_placeholder(1100, 619)
        widget.show_picture(sample())
        await pilot.pause()
        drawn = app.query_one("#lead-picture").region
        assert drawn.size == (57, 16)  # as cells_for said: (57, 16)
        top = app.screen.get_style_at(drawn.x + 5, drawn.y + 2)
        bottom = app.screen.get_style_at(drawn.x + 5, drawn.bottom - 2)
        # Each cell is "▀": its colour is the upper pixel, its background the lower one.
        assert top.color is not None and top.bgcolor is not None
        assert top.color.triplet == top.bgcolor.triplet == RED
        assert bottom.color is not None and bottom.color.triplet == BLUE


async def test_a_message_replaces_the_picture_in_the_same_rows() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = lead(app)
        widget.show_placeholder(1100, 619)
        widget.show_picture(sample())
        await pilot.pause()
        rows = widget.outer_size.height
        widget.show_message("(image unreadable)")
        await pilot.pause()
        assert widget.picture is None
        assert widget.note == "(image unreadable)"
        assert "(image unreadable)" in _screen_text(app)
        assert not app.query_one("#lead-picture").display
        assert widget.outer_size.height == rows == text_row(app)


async def test_a_message_is_never_markup() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lead(app).show_message("[@click=app.quit]x[/] [/")
        await pilot.pause()
        assert "[@click=app.quit]x[/] [/" in _screen_text(app)
        assert lead(app).outer_size.height == cells_for(None, None, 80)[1]


async def test_clear_takes_no_rows() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = lead(app)
        assert widget.outer_size.height == 0  # nothing until asked
        widget.show_placeholder(1100, 619)
        widget.show_picture(sample())
        await pilot.pause()
        widget.clear()
        await pilot.pause()
        assert widget.outer_size.height == 0
        assert text_row(app) == 0
        assert widget.picture is None and widget.note == ""


async def test_a_picture_without_a_placeholder_reserves_its_own_size() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lead(app).show_picture(sample(2000, 400))
        await pilot.pause()
        assert lead(app).outer_size.height == cells_for(2000, 400, 80)[1]


async def test_the_rows_follow_the_panes_width() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lead(app).show_placeholder(2000, 400)
        await pilot.pause()
        assert lead(app).outer_size.height == 8
        await pilot.resize_terminal(40, 24)
        await pilot.pause()
        assert lead(app).outer_size.height == cells_for(2000, 400, 40)[1] == 4


async def test_a_headless_app_draws_with_half_blocks() -> None:
    app = LeadApp()
    async with app.run_test(size=(80, 24)):
        drawer = renderer(app.is_headless)
        assert drawer is not None and drawer.__name__ == "HalfcellImage"
        assert isinstance(app.query_one("#lead-picture"), drawer)


def _screen_text(app: App[Any]) -> str:
    """The screen's text as the terminal gets it."""
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, LayoutUpdate)
    return "\n".join("".join(seg.text for strip in row for seg in strip) for row in update.strips)


# --- textual-image and the terminal, in a process of their own ------------------------------

SHOW = textwrap.dedent(
    """
    import asyncio, io, sys
    from PIL import Image
    from textual.app import App
    from reader.model.picture import decode
    from reader.widgets import lead_image

    class One(App):
        def compose(self):
            yield lead_image.LeadImage()

    async def main():
        out = io.BytesIO()
        Image.new("RGB", (64, 36), (200, 40, 40)).save(out, "PNG")
        app = One()
        async with app.run_test(size=(80, 24)) as pilot:
            widget = app.query_one(lead_image.LeadImage)
            widget.show_placeholder(64, 36)
            widget.show_picture(decode(out.getvalue()))
            await pilot.pause()
            drawer = lead_image.renderer(app.is_headless)
            name = drawer.__name__ if drawer else None
            print(name, widget.outer_size.height, repr(widget.note), file=sys.stderr)

    asyncio.run(main())
    """
)


def _python(**options: Any) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "CI": "true"}
    return subprocess.run([sys.executable, "-c", SHOW], env=env, timeout=60, check=False, **options)


def test_with_no_terminal_nothing_is_asked_nor_written() -> None:
    done = _python(stdin=subprocess.DEVNULL, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b""  # no query was sent
    assert done.stderr.decode().splitlines()[-1] == "HalfcellImage 16 ''"


def _terminal(rows: int, columns: int) -> tuple[int, int]:
    """A pseudo-terminal (main, child) of that size, that reports no pixel sizes."""
    import fcntl
    import pty
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return main, child


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_terminal_that_never_answers_gets_half_blocks() -> None:
    main, child = _terminal(24, 80)
    try:
        done = _python(stdin=child, stdout=child, stderr=subprocess.PIPE)
        os.set_blocking(main, False)
        sent = os.read(main, 65536)
    finally:
        os.close(main)
        os.close(child)
    assert done.returncode == 0, done.stderr.decode()
    # textual-image asked, at import, for Sixel, Kitty graphics and the cell size.
    assert sent.startswith(b"\x1b[c\x1b_G")
    assert b"\x1b[16t" in sent
    # Its warning that the cell size went unanswered is not printed over the terminal.
    assert done.stderr.decode().splitlines() == ["HalfcellImage 16 ''"]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_terminal_of_no_size_does_not_break_the_import() -> None:
    # textual-image divides by the terminal's columns: ZeroDivisionError.
    main, child = _terminal(0, 0)
    try:
        done = _python(stdin=child, stdout=child, stderr=subprocess.PIPE)
    finally:
        os.close(main)
        os.close(child)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode().splitlines()[-1] == f"None 16 {NOT_DRAWN!r}"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_terminal_on_stdout_only_does_not_break_the_import() -> None:
    # textual-image's query needs stdin to be the terminal too; it raises termios.error.
    main, child = _terminal(24, 80)
    try:
        done = _python(stdin=subprocess.DEVNULL, stdout=child, stderr=subprocess.PIPE)
    finally:
        os.close(main)
        os.close(child)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode().splitlines()[-1] == f"None 16 {NOT_DRAWN!r}"
