"""Decoding fetched picture bytes, and the cells a picture takes in the detail pane."""

from __future__ import annotations

import io
import random
import struct
import time
import tracemalloc
import zlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile, features

from reader.model.picture import (
    LONGEST_SIDE,
    MAX_PIXELS,
    UNREADABLE,
    Picture,
    cells_for,
    decode,
)

RED = (220, 30, 30)
GREEN = (30, 200, 60)
BLUE = (30, 60, 220)


def encoded(image: Image.Image, format: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()


def picture(data: bytes, **options: Any) -> Picture:
    result = decode(data, **options)
    assert isinstance(result, Picture), result
    return result


def close(pixel: Any, expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header (IHDR, valid CRC) claims `width`×`height`; its data is a stub."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


# --- decoding -----------------------------------------------------------------------------

FORMATS = ["PNG", "JPEG", "GIF", "WEBP", "BMP"]
if features.check("avif"):
    FORMATS.append("AVIF")


@pytest.mark.parametrize("format", FORMATS)
def test_web_formats_decode_to_rgb_at_their_size(format: str) -> None:
    got = picture(encoded(Image.new("RGB", (300, 200), RED), format))
    assert (got.width, got.height) == (300, 200)
    assert got.image.size == (300, 200)  # small pictures are not scaled
    assert got.image.mode == "RGB"
    assert close(got.image.getpixel((150, 100)), RED)


def test_a_large_picture_is_scaled_down_to_the_longest_side_keeping_its_size() -> None:
    got = picture(encoded(Image.new("RGB", (3200, 1800), GREEN), "PNG"))
    assert (got.width, got.height) == (3200, 1800)
    assert got.image.size == (LONGEST_SIDE, 900)


def test_a_large_jpeg_is_scaled_while_decoding() -> None:
    data = encoded(Image.linear_gradient("L").resize((4000, 3000)).convert("RGB"), "JPEG")
    got = picture(data)
    assert (got.width, got.height) == (4000, 3000)
    assert got.image.size == (1600, 1200)


def test_a_tall_picture_is_bounded_by_its_height() -> None:
    got = picture(encoded(Image.new("L", (500, 4000), 128), "PNG"))
    assert got.image.size == (200, LONGEST_SIDE)


def test_the_decoded_image_no_longer_needs_the_bytes() -> None:
    got = picture(encoded(Image.new("RGB", (40, 30), BLUE), "PNG"))
    assert type(got.image) is Image.Image  # not a file-backed PngImageFile
    assert got.image.tobytes()[:3] == bytes(BLUE)


def test_a_truncated_jpeg_is_unreadable() -> None:
    data = encoded(Image.effect_noise((400, 300), 50).convert("RGB"), "JPEG")
    assert decode(data[: len(data) // 2]) == UNREADABLE
    assert decode(data[:20]) == UNREADABLE


def test_random_bytes_and_nothing_are_unreadable() -> None:
    noise = random.Random(7).randbytes(5000)
    assert decode(noise) == UNREADABLE
    assert decode(b"") == UNREADABLE
    assert decode(b"\x89PNG\r\n\x1a\n") == UNREADABLE  # a signature and nothing else
    assert decode(b"<svg xmlns='http://www.w3.org/2000/svg'/>") == UNREADABLE


@pytest.mark.parametrize("format", ["TIFF", "EPS", "ICO", "PPM"])
def test_formats_that_are_not_web_pictures_are_not_even_tried(format: str) -> None:
    # EPS would run Ghostscript on the bytes; TIFF brings its own decoders.
    image = Image.new("RGB", (64, 64), RED)
    data = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 64 64\n" if format == "EPS" else b""
    assert decode(data or encoded(image, format)) == UNREADABLE


def test_a_header_claiming_too_many_pixels_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_decoding(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    data = png_claiming(100_000, 100_000)  # 30 GB of pixels, were they decoded
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = decode(data)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result == "(image too large: 100000×100000)"
    assert elapsed < 1.0
    assert peak < 1_000_000


def test_the_pixel_cap_is_a_keyword() -> None:
    data = encoded(Image.new("RGB", (300, 200), RED), "PNG")
    assert decode(data, max_pixels=59_999) == "(image too large: 300×200)"
    assert isinstance(decode(data, max_pixels=60_000), Picture)
    assert decode(png_claiming(8000, 5001)) == "(image too large: 8000×5001)"
    assert MAX_PIXELS == 40_000_000


def test_pillows_own_guard_stays_on() -> None:
    # A GIF whose first frame claims 60000×60000 on a 10×10 screen: Pillow refuses it.
    gif = (
        b"GIF89a"
        + struct.pack("<HHBBB", 10, 10, 0, 0, 0)
        + b","
        + struct.pack("<HHHHB", 0, 0, 60000, 60000, 0)
        + b"\x02\x02\x44\x01\x00;"
    )
    assert decode(gif) == "(image too large)"


def test_an_animated_gif_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (60, 40), colour) for colour in (RED, GREEN, BLUE)]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 3
    got = picture(data)
    assert close(got.image.getpixel((30, 20)), RED)


def test_an_animated_webp_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (60, 40), colour) for colour in (BLUE, RED)]
    data = encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    assert close(picture(data).image.getpixel((30, 20)), BLUE)


def test_a_cmyk_jpeg_becomes_rgb() -> None:
    got = picture(encoded(Image.new("RGB", (64, 64), RED).convert("CMYK"), "JPEG"))
    assert got.image.mode == "RGB"
    assert close(got.image.getpixel((32, 32)), RED, tolerance=24)


def test_a_palette_png_with_transparency_becomes_rgba() -> None:
    image = Image.new("P", (40, 40), 1)
    image.putpalette([0, 0, 0, *RED] + [0] * (256 - 2) * 3)
    image.paste(0, (0, 0, 20, 40))
    got = picture(encoded(image, "PNG", transparency=0))
    assert got.image.mode == "RGBA"
    assert got.image.getpixel((5, 5))[3] == 0
    assert got.image.getpixel((30, 5)) == (*RED, 255)


def test_a_palette_png_without_transparency_becomes_rgb() -> None:
    image = Image.new("RGB", (40, 40), GREEN).convert("P", palette=Image.Palette.ADAPTIVE)
    got = picture(encoded(image, "PNG"))
    assert got.image.mode == "RGB"
    assert close(got.image.getpixel((5, 5)), GREEN)


def test_a_transparent_colour_becomes_alpha() -> None:
    image = Image.new("RGB", (40, 40), BLUE)
    image.paste(RED, (0, 0, 20, 40))
    got = picture(encoded(image, "PNG", transparency=BLUE))
    assert got.image.mode == "RGBA"
    assert got.image.getpixel((30, 5)) == (*BLUE, 0)
    assert got.image.getpixel((5, 5)) == (*RED, 255)


def test_grey_with_alpha_becomes_rgba() -> None:
    got = picture(encoded(Image.new("LA", (20, 20), (100, 50)), "PNG"))
    assert got.image.mode == "RGBA"
    assert got.image.getpixel((1, 1)) == (100, 100, 100, 50)


def test_one_bit_and_grey_pictures_become_rgb() -> None:
    for mode, value, expected in (("1", 1, (255, 255, 255)), ("L", 90, (90, 90, 90))):
        got = picture(encoded(Image.new(mode, (20, 20), value), "BMP"))
        assert got.image.mode == "RGB"
        assert got.image.getpixel((3, 3)) == expected


def test_sixteen_bit_grey_keeps_its_shade() -> None:
    got = picture(encoded(Image.new("I;16", (20, 20), 40_000), "PNG"))
    assert got.image.mode == "RGB"
    assert close(got.image.getpixel((3, 3)), (156, 156, 156), tolerance=1)  # not clipped white


def test_a_large_palette_picture_is_scaled_smoothly() -> None:
    stripes = Image.new("P", (3200, 100), 0)
    stripes.putpalette([0, 0, 0, 255, 255, 255] + [0] * 254 * 3)
    for x in range(1, 3200, 2):
        stripes.paste(1, (x, 0, x + 1, 100))
    got = picture(encoded(stripes, "PNG"))
    assert got.image.size == (1600, 50)
    assert close(got.image.getpixel((800, 25)), (128, 128, 128), tolerance=20)  # grey, not black


def test_exif_orientation_turns_the_picture_upright() -> None:
    image = Image.new("RGB", (300, 200), RED)
    image.paste(BLUE, (0, 0, 30, 200))  # a blue band on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    got = picture(encoded(image, "JPEG", exif=exif, quality=95))
    assert (got.width, got.height) == (200, 300)
    assert got.image.size == (200, 300)
    assert close(got.image.getpixel((100, 10)), BLUE, tolerance=30)  # now along the top


def test_a_corrupt_exif_block_does_not_make_the_picture_unreadable() -> None:
    data = encoded(Image.new("RGB", (30, 20), RED), "JPEG", exif=b"Exif\0\0garbage!!")
    assert picture(data).image.size == (30, 20)


SEEDS = [
    encoded(Image.new("RGB", (16, 12), RED), "PNG"),
    encoded(Image.new("RGB", (16, 12), RED), "JPEG"),
    encoded(Image.new("P", (16, 12), 3), "GIF"),
    encoded(Image.new("RGBA", (16, 12), (*RED, 100)), "WEBP"),
]


@settings(max_examples=300, deadline=None)
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)), max_size=8),
    cut=st.integers(0, 2000),
)
def test_damaged_pictures_never_raise(seed: bytes, edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(seed)
    for at, value in edits:
        data[at % len(data)] = value
    result = decode(bytes(data[: max(cut, 8)]))
    assert isinstance(result, (Picture, str))
    if isinstance(result, Picture):
        assert result.image.mode in ("RGB", "RGBA")
        assert max(result.image.size) <= LONGEST_SIDE


# --- cells ----------------------------------------------------------------------------------


def test_a_landscape_picture_fills_the_width() -> None:
    # A cell is twice as tall as wide: 2000×400 px at 60 columns is 60×6 cells.
    assert cells_for(2000, 400, 60) == (60, 6)
    assert cells_for(1600, 900, 40) == (40, 11)


def test_a_tall_picture_is_bounded_by_max_rows() -> None:
    assert cells_for(600, 1200, 80) == (16, 16)
    assert cells_for(1100, 619, 80) == (57, 16)
    assert cells_for(1100, 619, 80, max_rows=30) == (80, 23)


def test_an_unknown_size_is_guessed_as_16_by_9() -> None:
    expected = cells_for(1600, 900, 40)
    assert cells_for(None, None, 40) == expected
    assert cells_for(1100, None, 40) == expected
    assert cells_for(0, 0, 40) == expected
    assert cells_for(-5, 300, 40) == expected


def test_there_is_always_a_cell_unless_there_is_no_room() -> None:
    assert cells_for(10_000, 1, 80) == (80, 1)
    assert cells_for(1, 10_000, 80) == (1, 16)
    assert cells_for(1600, 900, 0) == (0, 0)
    assert cells_for(1600, 900, 40, max_rows=0) == (0, 0)


@given(
    width=st.integers(1, 100_000),
    height=st.integers(1, 100_000),
    columns=st.integers(1, 400),
    max_rows=st.integers(1, 60),
)
def test_cells_fit_the_pane_and_fill_one_side(
    width: int, height: int, columns: int, max_rows: int
) -> None:
    cols, rows = cells_for(width, height, columns, max_rows=max_rows)
    assert 1 <= cols <= columns
    assert 1 <= rows <= max_rows
    assert cols == columns or rows == max_rows
