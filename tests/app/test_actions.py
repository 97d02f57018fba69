"""Pilot tests: open in browser, refusing bad links, help and quit."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.app import ReaderApp
from reader.screens.help import HelpScreen
from reader.widgets.detail import StoryView

from .helpers import detail_text, eventually, wait_loaded, written
from .stories import story, write_story


async def test_o_opens_the_current_story_in_the_browser(news: Path, browser_log: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "o")
        assert await written(browser_log) == "https://news.example/harris\n"
        assert app.opened == ["https://news.example/harris"]


async def test_a_failed_launch_is_reported_and_leaves_the_story_unread(
    news: Path, browser_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken-browser"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(broken))
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "o")
        await eventually(lambda: any("no web browser" in n.message for n in app._notifications))
        await pilot.pause()
        assert app.opened == ["https://news.example/harris"]
        assert not app.state.is_read("https://news.example/harris")


async def test_enter_on_related_story_not_in_corpus_opens_it(news: Path, browser_log: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "enter", "down", "enter")
        assert await written(browser_log) == "https://elsewhere.example/story\n"


@pytest.mark.parametrize(
    ("links", "opened"),
    [
        # No webUrl nor originalUrl: the AMP link.
        (
            {"webUrl": None, "originalUrl": None, "ampWebUrl": "https://amp.example/only"},
            "https://amp.example/only",
        ),
        # An unsafe webUrl does not hide a good originalUrl.
        (
            {"webUrl": "javascript:alert(1)", "originalUrl": "https://origin.example/story"},
            "https://origin.example/story",
        ),
    ],
)
async def test_opens_the_first_safe_link(
    tmp_path: Path, browser_log: Path, links: dict[str, str | None], opened: str
) -> None:
    fields = story("Links", 10, topics=["X"], url="")
    fields.update(links)
    write_story(tmp_path, "links.md", **fields)
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o")
        assert await written(browser_log) == f"{opened}\n"
        assert app.opened == [opened]
        # The pane shows (short, linked in full), and `y` copies, the very link that was opened.
        assert f"Link   {opened.removeprefix('https://')}" in detail_text(app)
        content = app.screen.query_one(StoryView).content
        assert opened in {span.style.link for span in content.spans if hasattr(span.style, "link")}
        await pilot.press("y")
        assert app.clipboard == opened


@pytest.mark.parametrize("web_url", ["javascript:alert(1)", None])
async def test_unsafe_link_is_refused_with_a_message(
    tmp_path: Path, browser_log: Path, web_url: str | None
) -> None:
    # The only link is unsafe, whether it is the webUrl or the originalUrl.
    fields = story("Evil", 10, topics=["X"], url="javascript:alert(1)")
    fields.update(webUrl=web_url)
    write_story(tmp_path, "evil.md", **fields)
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o")
        await pilot.pause(0.3)
        messages = [n.message for n in app._notifications]
        assert any("Not opened" in m and "http" in m for m in messages)
        assert app.opened == []
        assert not browser_log.exists()


async def test_help_lists_every_key_and_closes(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = {keys for _, keys, _ in app.screen.rows}
        for expected in ("up / k", "down / j", "PgUp", "PgDn", "home / g", "end / G", "enter"):
            assert expected in keys
        for expected in ("escape", "o", "!", "q", "?", "backspace / alt+left", "s", "y", "1 … 9"):
            assert expected in keys
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_empty_folder_says_so(tmp_path: Path) -> None:
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        assert "No stories in this folder." in detail_text(app)
