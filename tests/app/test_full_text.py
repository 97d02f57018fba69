"""`f` in the app: the article fetched from a local server, kept, read offline; `i` images."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image

from reader.app import ReaderApp
from reader.model.textcache import TextCache
from reader.widgets.lead_image import LeadImage
from tests.local_http import Handler, serving

from .helpers import detail_text, eventually, wait_loaded
from .stories import story, write_story

ARTICLE = b"""<html><head><title>Summit ends</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Summit ends with a deal</h1>
<p>Leaders agreed on Tuesday to cut emissions, in a deal that
<a href="https://other.example/report">the report</a> calls historic.</p>
<p>The agreement still needs the approval of each parliament before it takes effect,
officials said late in the evening after twelve hours of talks.</p>
<blockquote>We have done what we came to do.</blockquote>
<p>\x1b[31mRed\x1b[0m text and [b]markup[/b] stay text.</p></article></body></html>"""


class Pages(Handler):
    """/article: the page; /image.png: a picture; /broken.png: not one; /pdf: a PDF."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Pages.hits.append(self.path)
        if self.path == "/article":
            self.answer(200, "text/html; charset=utf-8", ARTICLE)
        elif self.path == "/image.png":
            buffer = io.BytesIO()
            Image.new("RGB", (64, 36), (200, 30, 30)).save(buffer, "PNG")
            self.answer(200, "image/png", buffer.getvalue())
        elif self.path == "/broken.png":
            self.answer(200, "image/png", b"\x89PNG not really")
        elif self.path == "/pdf":
            self.answer(200, "application/pdf", b"%PDF-1.4")
        else:
            self.answer(404, "text/plain", b"no")


@pytest.fixture
def server() -> Iterator[str]:
    Pages.hits = []
    with serving(Pages) as url:
        yield url


def folder(tmp_path: Path, url: str, image: str = "") -> Path:
    fields = story("Summit ends", 500, topics=["World"], url=url)
    if image:
        fields["images"] = [{"url": image, "width": 640, "height": 360}]
    write_story(tmp_path / "news", "summit.md", **fields)
    return tmp_path / "news"


async def test_f_reads_the_article_here_and_then_offline(tmp_path: Path, server: str) -> None:
    news = folder(tmp_path, f"{server}/article")
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        assert Pages.hits == []  # nothing is fetched unless asked
        await pilot.press("f")
        await eventually(lambda: "Full text" in detail_text(app), what="no full text")
        text = detail_text(app)
        assert "Leaders agreed on Tuesday" in text and "twelve hours of talks" in text
        assert "\x1b" not in text and "[b]markup[/b]" in text
        assert "Home" not in text.split("Full text", 1)[1]  # the navigation is left out
        rows = main.detail.related_list.rows
        assert [r.related.url for r in rows] == ["https://other.example/report"]
        await pilot.press("f")
        await pilot.pause()
        assert "Full text" not in detail_text(app)  # the excerpt again
    assert TextCache().has(f"{server}/article")
    hits = len(Pages.hits)
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("f")
        await eventually(lambda: "Leaders agreed" in detail_text(app), what="not read offline")
        assert len(Pages.hits) == hits  # from the cache, not the network
        await pilot.press("slash", *"text:parliament", "enter")
        await eventually(lambda: main_count(app) == 1, what="text: found nothing")


def main_count(app: ReaderApp) -> int:
    return len(app.model.listing.stories)


async def test_a_page_that_is_not_html_is_said_and_the_app_goes_on(
    tmp_path: Path, server: str
) -> None:
    app = ReaderApp(str(folder(tmp_path, f"{server}/pdf")))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("f")
        await eventually(lambda: "No full text" in detail_text(app), what="no message")
        assert "application/pdf" in detail_text(app)
        await pilot.press("j")  # still answering keys
        assert app.is_running


async def test_escape_cancels_a_fetch(tmp_path: Path, server: str) -> None:
    # A port nobody answers on quickly: the fetch waits, Escape stops it.
    silent = __import__("socket").socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(0)
    port = silent.getsockname()[1]
    try:
        app = ReaderApp(str(folder(tmp_path, f"http://127.0.0.1:{port}/article")))
        async with app.run_test(size=(120, 40)) as pilot:
            main = await wait_loaded(pilot)
            main.detail.story_view.focus()
            await pilot.press("f")
            await eventually(lambda: "Fetching" in detail_text(app), what="no progress shown")
            await pilot.press("escape")
            await eventually(lambda: "Cancelled" in detail_text(app), what="not cancelled")
            assert not main.model.detail.fetching
    finally:
        silent.close()


async def test_i_draws_the_lead_image_in_the_room_the_file_gives(
    tmp_path: Path, server: str
) -> None:
    app = ReaderApp(str(folder(tmp_path, f"{server}/article", image=f"{server}/image.png")))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        lead = main.query_one(LeadImage)
        assert lead.size.height == 0 and "/image.png" not in Pages.hits
        await pilot.press("i")
        await eventually(lambda: lead.picture is not None, what="no picture")
        rows = lead.size.height
        assert rows > 0 and Pages.hits.count("/image.png") == 1
        await pilot.press("i")
        await pilot.pause()
        assert lead.size.height == 0


async def test_a_corrupt_image_is_said_in_its_place(tmp_path: Path, server: str) -> None:
    app = ReaderApp(str(folder(tmp_path, f"{server}/article", image=f"{server}/broken.png")))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("i")
        lead = main.query_one(LeadImage)
        await eventually(lambda: "unreadable" in lead.note, what="no message")
