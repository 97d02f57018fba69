"""Pilot tests: sorting, related stories by number, copying links, the command palette."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot

from reader.app import ReaderApp
from reader.widgets.article_list import ArticleList
from reader.widgets.topic_list import TopicList

from .helpers import current_title, detail_text, eventually, notices, titles, wait_loaded
from .stories import story, write_story


async def test_s_cycles_heat_newest_oldest_quality_rising(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("s")
        assert main.model.order == "newest"
        assert titles(app)[0] == "New AI model released"  # 2021-06-08, the newest
        assert titles(app)[-1] == "Mexico trip planned"  # 2021-06-02, the oldest
        assert "by newest" in str(app.screen.query_one("#status").render())
        await pilot.press("s")
        assert main.model.order == "oldest"
        assert titles(app)[0] == "Mexico trip planned"
        await pilot.press("s")
        assert main.model.order == "quality"
        await pilot.press("s")
        assert main.model.order == "rising"
        # A fresh state has one snapshot: the order says so and ranks by heat meanwhile.
        assert "needs two snapshots" in str(app.screen.query_one("#status").render())
        assert titles(app)[0] == "Chip shortage eases"
        await pilot.press("s")
        assert main.model.order == "heat"
        assert titles(app)[0] == "Chip shortage eases"


async def test_sorting_keeps_the_selected_story(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j")
        await pilot.press("s")
        assert current_title(app) == "Harris heads to Guatemala"


async def test_number_keys_act_on_related_stories(news: Path, browser_log: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "1")
        assert "Mexico trip planned" in detail_text(app)
        await pilot.press("backspace", "2")
        assert app.opened == ["https://elsewhere.example/story"]
        await pilot.press("9")  # no ninth related story: said, nothing opened
        assert app.opened == ["https://elsewhere.example/story"]
        said = "“Harris heads to Guatemala” has 3 related stories: press 1 to 3."
        assert said in notices(app)


async def test_y_copies_the_link_and_says_how(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("y")
        assert app.clipboard == "https://news.example/chips"
        said = "The link of “Chip shortage eases” was sent to the terminal's clipboard (OSC 52)."
        await eventually(lambda: said in notices(app), what="nothing said about the copy")


async def test_y_uses_the_system_clipboard_tool_when_there_is_one(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    pasted = tmp_path / "clipboard.txt"
    xclip = tools / "xclip"
    xclip.write_text(f'#!/bin/sh\ncat > "{pasted}"\n')
    xclip.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("y")
        said = "The link of “Chip shortage eases” was copied with xclip, and sent to the terminal"
        await eventually(lambda: any(n.startswith(said) for n in notices(app)))
        assert pasted.read_text() == "https://news.example/chips"


async def _palette(pilot: Pilot[ReaderApp], typed: str) -> None:
    """Type `typed` into the command palette and take its first hit."""
    await pilot.press("ctrl+p")
    await pilot.press(*typed)
    hits = pilot.app.screen.query_one(CommandList)
    await eventually(lambda: hits.option_count > 0, what=f"no palette hit for {typed!r}")
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_goes_to_a_topic_and_to_a_story(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await _palette(pilot, "technology")
        topics = app.screen.query_one(TopicList)
        assert topics.entries[topics.cursor].name == "Technology"
        assert titles(app) == ["Chip shortage eases", "New AI model released"]
        await _palette(pilot, "mexico trip")
        assert current_title(app) == "Mexico trip planned"
        assert "Mexico trip planned" in detail_text(app)


async def test_every_built_in_theme_renders(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_loaded(pilot)
        themes = sorted(app.available_themes)
        assert len(themes) > 5
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            # Drawing a row resolves the list's component styles under the theme.
            row = app.screen.query_one(ArticleList).render_line(0)
            assert "Chip shortage eases" in row.text
            assert (
                app.screen.query_one(ArticleList)
                .get_component_rich_style("line-list--cursor")
                .bgcolor
                is not None
            )


async def test_the_palette_and_the_search_box_match_alike(tmp_path: Path) -> None:
    write_story(tmp_path, "a.md", **story("Ødegaard scores", 1, topics=["X"], url="https://e.x/a"))
    write_story(tmp_path, "b.md", **story("Other", 50, topics=["X"], url="https://e.x/b"))
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert current_title(app) == "Other"
        await _palette(pilot, "odegaard")
        assert current_title(app) == "Ødegaard scores"
        await pilot.press("slash", *"odegaard")
        assert titles(app) == ["Ødegaard scores"]
