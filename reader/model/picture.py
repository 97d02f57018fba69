"""A story's picture: fetched bytes made into a small RGB image, and the cells it takes.

Everything here is pure (Pillow, no Textual), so it runs in a worker thread and is
tested alone. `decode` never raises on hostile bytes: it returns a `Picture` or one
line saying why not, which the detail pane shows in the picture's place.

Costs, measured on one core for a 4000×3000 picture: the header check takes
microseconds whatever size it claims; a JPEG decodes in ~70 ms (libjpeg scales it down
while decoding), a GIF in ~200 ms, a PNG in ~280 ms, a WebP in ~350 ms. Formats that
cannot decode at a smaller scale hold every pixel for a moment: up to ~160 MB at the
40-megapixel cap. The picture kept is at most 1600×1600 (≤ 10 MB).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageFile, UnidentifiedImageError

#: Images of more pixels than this are refused from their header, before any decoding.
MAX_PIXELS = 40_000_000

#: The longer side of a decoded picture: more than any terminal pane shows.
LONGEST_SIDE = 1600

#: A terminal cell is about twice as tall as it is wide.
CELL_ASPECT = 2.0

#: The shape guessed for a picture of unknown size: that of most lead images.
GUESS = (16, 9)

UNREADABLE = "(image unreadable)"

#: The formats of pictures on the web. Pillow's other readers are left out on purpose:
#: EPS runs Ghostscript, and TIFF, PSD, ICNS... have no place in a news story.
FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "AVIF", "BMP")

#: EXIF orientation -> the transposition that shows the picture upright (as `ImageOps`).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_QUARTER_TURNS = {_UPRIGHT[5], _UPRIGHT[6], _UPRIGHT[7], _UPRIGHT[8]}
_ORIENTATION = 0x0112


@dataclass(frozen=True, slots=True)
class Picture:
    """A decoded picture, ready to draw."""

    #: The pixels: RGB, or RGBA when the picture has transparency; at most
    #: `LONGEST_SIDE` on its longer side, upright (EXIF orientation applied).
    image: Image.Image
    #: The size of the picture as sent (upright), before it was scaled down.
    width: int
    height: int


class _TooLarge(Exception):
    """The header claims more pixels than allowed."""


def decode(data: bytes, *, max_pixels: int = MAX_PIXELS) -> Picture | str:
    """The picture in `data`, or one line saying why there is none.

    "(image too large: W×H)" when the header claims more than `max_pixels` pixels
    (checked before a pixel is decoded); "(image unreadable)" for anything Pillow
    cannot read: an unknown format, truncated or corrupt data. Never raises.
    An animated picture gives its first frame.
    """
    try:
        return _decode(data, max_pixels)
    except _TooLarge as error:
        return str(error)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError):
        # Pillow's own guard, which stays on: e.g. a GIF frame claiming more than its screen.
        return "(image too large)"
    except Exception:
        # Pillow's readers raise many kinds on hostile bytes (OSError, ValueError,
        # SyntaxError, struct.error, IndexError, EOFError...); none may reach the app.
        return UNREADABLE


def _decode(data: bytes, max_pixels: int) -> Picture | str:
    with _open(io.BytesIO(data)) as opened:
        width, height = opened.size
        if width < 1 or height < 1:
            return UNREADABLE
        if width * height > max_pixels:
            raise _TooLarge(f"(image too large: {width}×{height})")
        image: Image.Image = opened
        if image.mode not in ("RGB", "RGBA", "L", "LA", "CMYK") or "transparency" in image.info:
            # Palette and 1-bit pictures would be scaled by nearest neighbour, 16-bit
            # grey ones clipped to white, a transparent colour blurred: make them
            # RGB(A) at full size first.
            image = _rgb(image)
        else:
            # A JPEG: libjpeg decodes at 1/2 to 1/8 scale, no smaller than the result
            # (a no-op for other formats; `thumbnail` asks for twice that, often in vain).
            scale = min(1.0, LONGEST_SIDE / max(width, height))
            image.draft(None, (max(1, int(width * scale)), max(1, int(height * scale))))
        image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)  # in place
        image = _rgb(image)  # a new image: the file and its bytes can go
        turn = _UPRIGHT.get(_orientation(opened))  # read once decoded: a PNG may end with it
    if turn is not None:
        image = image.transpose(turn)
        if turn in _QUARTER_TURNS:
            width, height = height, width
    return Picture(image, width, height)


def _open(fp: IO[bytes]) -> ImageFile.ImageFile:
    """The image in `fp`, its header read and no pixel decoded.

    Like `Image.open`, restricted to `FORMATS`; unlike it, this does not refuse a large
    size before the caller can read it (`Image.open` raises over twice Pillow's limit
    without saying the size), so `decode` can say how large an image is.
    """
    prefix = fp.read(16)
    for accept, factory in _readers():
        verdict = accept(prefix)  # a string is Pillow's "almost, but no"
        if verdict and not isinstance(verdict, str):
            fp.seek(0)
            with contextlib.suppress(SyntaxError, IndexError, TypeError, EOFError):
                return factory(fp, "")
    raise UnidentifiedImageError("not a picture of a known format")


Accept = Callable[[bytes], "bool | str"]
Factory = Callable[[IO[bytes], str], ImageFile.ImageFile]


@functools.cache
def _readers() -> tuple[tuple[Accept, Factory], ...]:
    """Pillow's readers of `FORMATS` that this Pillow has (AVIF needs Pillow 11.2)."""
    Image.preinit()  # JPEG, PNG, GIF, BMP
    for plugin in ("WebPImagePlugin", "AvifImagePlugin"):
        with contextlib.suppress(ImportError):
            importlib.import_module(f"PIL.{plugin}")
    readers = []
    for name in FORMATS:
        if name in Image.OPEN:
            factory, accept = Image.OPEN[name]
            readers.append((accept or (lambda prefix: True), factory))
    return tuple(readers)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation of `image` (1, upright, when unknown or unreadable)."""
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # a corrupt EXIF block does not make the picture unreadable
        return 1
    return value if isinstance(value, int) else 1


def _rgb(image: Image.Image) -> Image.Image:
    """`image` as a new RGB image, RGBA if it has transparency."""
    if image.mode.startswith("I"):
        # 16-bit grey (PNG): keep the top 8 bits (`convert` would clip them all to white).
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    mode = "RGBA" if image.has_transparency_data else "RGB"
    return image.convert(mode)


def cells_for(
    width: int | None, height: int | None, columns: int, *, max_rows: int = 16
) -> tuple[int, int]:
    """The (columns, rows) a picture of `width`×`height` pixels takes in a pane `columns` wide.

    The picture fills the width unless it would be more than `max_rows` tall; a cell is
    taken as twice as tall as it is wide. With no size (or a nonsense one), the picture
    is guessed to be 16:9. This is what the pane reserves before the picture arrives, so
    the text below it does not jump. (0, 0) when there is no room at all.
    """
    if columns < 1 or max_rows < 1:
        return (0, 0)
    if not width or not height or width < 1 or height < 1:
        width, height = GUESS
    rows = round(columns * height / width / CELL_ASPECT)
    if rows <= max_rows:
        return (columns, max(1, rows))
    return (max(1, min(columns, round(max_rows * CELL_ASPECT * width / height))), max_rows)
