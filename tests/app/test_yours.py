"""Pilot tests: the config in the app (keys, theme, sort, mutes, openers) and saved searches."""

from __future__ import annotations

from pathlib import Path

from reader.app import ReaderApp
from reader.browse.state import MUTED, SEARCH
from reader.model.config import Config, SavedSearch
from reader.screens.ask_search import AskSearchScreen
from reader.screens.help import HelpScreen
from reader.widgets.topic_list import TopicList

from .helpers import eventually, notices, titles, wait_loaded, written
from .stories import story, write_story

#: A link a shell would act on: it must reach the program as it is, as one argument.
LINK = "https://v.example/a;b$(id)&x=1"


async def test_keys_are_remapped_and_help_and_footer_show_them(
    news: Path, browser_log: Path
) -> None:
    app = ReaderApp(str(news), config=Config(keys={"open": "O"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o")  # no longer bound
        await pilot.press("O")
        assert await written(browser_log) == "https://news.example/chips\n"
        footer = {b.binding.id: key for key, b in app.screen.active_bindings.items()}
        assert footer.get("open") == "O"
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {description: keys for _, keys, description in app.screen.rows}
        assert rows["Open in browser"] == "O"


async def test_the_configs_problems_are_said_and_its_other_settings_apply(news: Path) -> None:
    config = Config(sort="oldest", theme="no-such-theme", keys={"opne": "x"})
    app = ReaderApp(str(news), config=config, config_notes=["config.toml: unknown setting 'a'"])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        said = notices(app)
        assert "config.toml: unknown setting 'a'" in said
        assert any("no binding 'opne'" in n for n in said)
        assert any("no theme 'no-such-theme'" in n for n in said)
        assert app.model.order == "oldest" and titles(app)[0] == "Mexico trip planned"


async def test_the_configs_theme_wins_over_the_one_remembered(news: Path) -> None:
    app = ReaderApp(str(news), config=Config(theme="nord"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await eventually(lambda: app.theme == "nord")


async def test_s_saves_the_search_under_a_name_and_the_sidebar_lists_it(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await eventually(lambda: app.state.ready)
        await pilot.press("slash", *"chip", "enter", "S")
        assert isinstance(app.screen, AskSearchScreen)
        await pilot.press(*"chips mine", "enter")  # typing replaces the name offered
        assert not isinstance(app.screen, AskSearchScreen)
        assert app.model.topic == SEARCH + "chips mine"
        assert titles(app) == ["Chip shortage eases"]
        sidebar = app.screen.query_one(TopicList)
        await eventually(lambda: all(e.counted for e in sidebar.entries))
        assert any(e.name == "⌕ chips mine" and e.total == 1 for e in sidebar.entries)
        assert "chips mine" in (app.state.get_setting("saved_searches") or "")
        palette = [title for title, _, _ in app.screen.palette_commands()]
        assert "Remove saved search: chips mine" in palette


async def test_escape_in_the_dialog_saves_nothing(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"chip", "enter", "S", "escape")
        assert not isinstance(app.screen, AskSearchScreen)
        assert app.model.searches.all() == []


async def test_configured_searches_and_mutes_reach_the_sidebar(news: Path) -> None:
    config = Config(searches=(SavedSearch("Votes", "topic:election"),), mutes=("provider:cnn",))
    app = ReaderApp(str(news), config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert "Harris heads to Guatemala" not in titles(app)
        sidebar = app.screen.query_one(TopicList)
        # Saved searches are counted once the loader has folded the stories for search.
        await eventually(lambda: all(e.counted for e in sidebar.entries))
        entries = {e.key: e for e in sidebar.entries}
        assert entries[MUTED].total == 1 and entries[SEARCH + "Votes"].total == 2
        await pilot.press("M")
        assert titles(app) == ["Harris heads to Guatemala"]
        await pilot.press("M")
        assert app.model.topic == ""


async def test_o_runs_the_configs_program_with_the_link_as_one_argument(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "videos"
    write_story(folder, "v.md", **story("A video", 5, topics=["X"], url=LINK))
    log = tmp_path / "played.txt"
    player = tmp_path / "player"
    player.write_text(f'#!/bin/sh\nprintf "%s|%s\\n" "$#" "$1" >> "{log}"\n')
    player.chmod(0o755)
    config = Config(openers={"article": (str(player), "{url}")})
    app = ReaderApp(str(folder), config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o")
        assert await written(log) == f"1|{LINK}\n"


async def test_two_folders_have_their_own_entries(tmp_path: Path) -> None:
    for name in ("left", "right"):
        write_story(
            tmp_path / name, "s.md", **story(name, 5, topics=["X"], url=f"https://{name}.x/")
        )
    app = ReaderApp([str(tmp_path / "left"), str(tmp_path / "right")])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert sorted(titles(app)) == ["left", "right"]
        names = [e.name for e in app.screen.query_one(TopicList).entries]
        assert "▤ left" in names and "▤ right" in names
