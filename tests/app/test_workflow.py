"""Pilot tests: sorting, related stories by number, copying links, the command palette."""

from __future__ import annotations

from pathlib import Path

from reader.app import ReaderApp
from reader.widgets.article_list import ArticleList
from reader.widgets.topic_list import TopicList

from .helpers import detail_text, titles, wait_loaded


async def test_s_cycles_heat_newest_oldest_quality(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("s")
        assert main.order == "newest"
        assert titles(app)[0] == "New AI model released"  # 2021-06-08, the newest
        assert titles(app)[-1] == "Mexico trip planned"  # 2021-06-02, the oldest
        assert "by newest" in str(app.screen.query_one("#status").render())
        await pilot.press("s")
        assert main.order == "oldest"
        assert titles(app)[0] == "Mexico trip planned"
        await pilot.press("s")
        assert main.order == "quality"
        await pilot.press("s")
        assert main.order == "heat"
        assert titles(app)[0] == "Chip shortage eases"


async def test_sorting_keeps_the_selected_story(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j")
        await pilot.press("s")
        assert app.screen.query_one(ArticleList).current.title == "Harris heads to Guatemala"


async def test_number_keys_act_on_related_stories(news: Path, browser_log: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "1")
        assert "Mexico trip planned" in detail_text(app)
        await pilot.press("backspace", "2")
        await pilot.pause(0.5)
        assert app.opened == ["https://elsewhere.example/story"]
        await pilot.press("9")  # no ninth related story: nothing happens
        assert app.opened == ["https://elsewhere.example/story"]


async def test_y_copies_the_link(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("y")
        assert app.clipboard == "https://news.example/chips"
        assert any("copied" in n.message for n in app._notifications)


async def test_palette_goes_to_a_topic_and_to_a_story(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"technology")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        topic = app.screen.query_one(TopicList).current
        assert topic is not None and topic.name == "Technology"
        assert titles(app) == ["Chip shortage eases", "New AI model released"]
        await pilot.press("ctrl+p")
        await pilot.press(*"mexico trip")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(ArticleList).current.title == "Mexico trip planned"
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
