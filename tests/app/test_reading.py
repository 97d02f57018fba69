"""Pilot tests: search, read state, saved stories, remembered theme, live reload."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from reader.app import ReaderApp
from reader.browse.model import SAVED
from reader.model.index import ALL
from reader.model.state import StateStore
from reader.screens import running, watching
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.search_bar import SearchBar
from reader.widgets.topic_list import TopicList

from .helpers import current_title, detail_text, eventually, notices, titles, wait_loaded
from .stories import story, write_story


def sidebar(app: ReaderApp) -> dict[str, str]:
    """Each sidebar entry's name and its unread/total text."""
    topics = app.screen.query_one(TopicList)
    rows = {}
    for i, entry in enumerate(topics.entries):
        text = topics.render_row(i, 40).plain.rstrip()
        rows[entry.name] = text.rsplit(" ", 1)[-1]
    return rows


async def test_slash_filters_as_you_type_and_escape_clears(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("slash")
        assert app.screen.query_one(SearchBar).display
        await pilot.press(*"harris")
        assert titles(app) == ["Harris heads to Guatemala"]
        info = str(app.screen.query_one("#search-info").render())
        assert "in All stories: 1 of 5" in info
        await pilot.press("escape")
        assert not app.screen.query_one(SearchBar).display
        assert main.model.query_text == ""
        assert len(titles(app)) == 5
        assert isinstance(app.focused, ArticleList)
        # The story found stays selected, not the top of the whole list.
        assert titles(app)[0] != "Harris heads to Guatemala"
        assert current_title(app) == "Harris heads to Guatemala"


async def test_search_qualifiers_combine_and_errors_are_explained(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"topic:election heat>200")
        assert titles(app) == ["Harris heads to Guatemala"]
        for _ in range(len("heat>200")):
            await pilot.press("backspace")
        await pilot.press(*"heat>abc")
        info = str(app.screen.query_one("#search-info").render())
        assert "heat" in info and "number" in info
        # The malformed qualifier is ignored: the topic still filters.
        assert len(titles(app)) == 3
        await pilot.press("enter")
        assert isinstance(app.focused, ArticleList)


async def test_search_is_accent_insensitive(tmp_path: Path) -> None:
    write_story(tmp_path, "a.md", **story("López gana", 10, topics=["X"], url="https://e.x/a"))
    write_story(tmp_path, "b.md", **story("Other", 5, topics=["X"], url="https://e.x/b"))
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"lopez")
        assert titles(app) == ["López gana"]


async def test_enter_and_open_mark_read_and_m_toggles(news: Path, browser_log: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert sidebar(app)["All stories"] == "5/5"
        await pilot.press("enter")  # the detail of "Chip shortage eases"
        assert app.state.is_read("https://news.example/chips")
        assert sidebar(app)["All stories"] == "4/5"
        assert sidebar(app)["Technology"] == "1/2"
        await pilot.press("escape", "j", "o")
        # Marked read once the browser has the link.
        await eventually(lambda: app.state.is_read("https://news.example/harris"))
        await pilot.pause()
        assert sidebar(app)["All stories"] == "3/5"
        await pilot.press("m")
        assert not app.state.is_read("https://news.example/harris")
        assert sidebar(app)["All stories"] == "4/5"
        row = app.screen.query_one(ArticleList).render_row(0, 80).plain
        assert "•" not in row  # read stories lose the unread mark


async def test_read_filter_qualifier(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("m")  # mark "Chip shortage eases" read
        await pilot.press("slash", *"is:unread")
        assert "Chip shortage eases" not in titles(app)
        assert len(titles(app)) == 4


async def test_b_saves_and_the_saved_entry_lists_them(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("j", "b")
        assert app.state.is_saved("https://news.example/harris")
        assert sidebar(app)["★ Saved"] == "1/1"
        main.select_topic(SAVED)
        await pilot.pause()
        assert titles(app) == ["Harris heads to Guatemala"]
        await pilot.press("b")
        assert not app.state.is_saved("https://news.example/harris")
        assert titles(app) == []


async def test_state_follows_the_story_across_restarts_and_files(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("m", "b")
    # The same story under another file name, in another folder.
    (news / "tech" / "chips.md").rename(news / "moved-chips.md")
    again = ReaderApp(str(news))
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        # Marks appear once the state file is read, on its own thread.
        await eventually(lambda: sidebar(again)["★ Saved"] == "0/1")
        assert again.state.is_read("https://news.example/chips")
        assert sidebar(again)["All stories"] == "4/5"


async def test_marks_from_another_instance_appear(
    news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(running, "STATE_POLL_SECONDS", 0.1)
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        with StateStore.open() as other:  # a second reader, writing the same file
            other.set_saved("https://news.example/ai")
            other.set_read("https://news.example/chips")
        await eventually(lambda: sidebar(app)["★ Saved"] == "1/1")
        assert sidebar(app)["All stories"] == "4/5"
        assert app.state.is_saved("https://news.example/ai")


async def test_corrupt_state_file_is_survived(news: Path, tmp_path: Path) -> None:
    with StateStore.open() as store:
        state_file = store.path
    assert state_file is not None
    state_file.write_bytes(b"this is not a database" * 100)
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("corrupt" in w.lower() or "damaged" in w.lower() for w in warnings), warnings
        await pilot.press("m")
        assert app.state.is_read("https://news.example/chips")
    assert any(p.name.startswith("state.sqlite3.corrupt") for p in state_file.parent.iterdir())


async def test_theme_is_remembered(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert app.state.wait_ready(30)
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    again = ReaderApp(str(news))
    async with again.run_test(size=(120, 40)):
        await eventually(lambda: again.theme == "nord", what="the theme was not taken again")


async def test_new_changed_and_removed_files_appear_live(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        assert isinstance(main, MainScreen)
        await pilot.press("j")  # select "Harris heads to Guatemala"
        await asyncio.sleep(0.5)  # let the watcher start
        write_story(
            news, "new.md", **story("Fresh story", 300, topics=["Election"], url="https://n.x/1")
        )
        await eventually(lambda: "Fresh story" in titles(app))
        # The selection stayed on the same story.
        assert current_title(app) == "Harris heads to Guatemala"
        (news / "tech" / "ai.md").unlink()
        await eventually(lambda: "New AI model released" not in titles(app))
        write_story(
            news,
            "new.md",
            **story("Fresh story, updated", 300, topics=["Election"], url="https://n.x/1"),
        )
        await eventually(lambda: "Fresh story, updated" in titles(app))
        # The selected story's own file changes: the selection follows the file.
        harris = story(
            "Harris heads to Guatemala (updated)",
            245,
            topics=["Election"],
            url="https://news.example/harris",
        )
        write_story(news, "politics/harris.md", **harris)
        await eventually(lambda: "Harris heads to Guatemala (updated)" in titles(app))
        assert current_title(app) == "Harris heads to Guatemala (updated)"
        assert "Harris heads to Guatemala (updated)" in detail_text(app)


async def test_r_rescans(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        main._stop_watching.set()  # only the key may pick the change up here
        write_story(news, "later.md", **story("Later story", 1, topics=["X"], url="https://n.x/2"))
        await pilot.press("r")
        await eventually(lambda: "Later story" in titles(app))
        report = "Rescanned: 1 new (6 stories)."
        await eventually(lambda: report in notices(app), what="the rescan said nothing")


async def test_a_failing_watcher_is_reported_not_fatal(
    news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import watchfiles

    def broken_watch(*args: object, **kwargs: object) -> object:
        raise RuntimeError("Unable to decode path")

    monkeypatch.setattr(watchfiles, "watch", broken_watch)
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await eventually(lambda: any("Live reload is off" in n.message for n in app._notifications))
        assert app.is_running
        await pilot.press("j")
        assert titles(app)


async def test_typing_key_letters_in_the_search_box_only_searches(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        # q, s, o, b, m, y, r and digits are keys of the app, but not while typing.
        await pilot.press("slash", *"quality mobs 1y")
        assert app.is_running
        assert main.model.query_text == "quality mobs 1y"
        assert main.model.order == "heat"
        assert app.opened == []
        assert not app.state.saved_links()


async def test_enter_on_the_list_shows_the_list_story_after_a_related_jump(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "1")  # Harris, then its related "Mexico trip planned"
        assert "Mexico trip planned" in detail_text(app)
        await pilot.press("enter")  # Enter on the list, still on Harris
        assert "Harris heads to Guatemala" in detail_text(app)
        assert app.state.is_read("https://news.example/harris")


async def test_a_reload_keeps_a_followed_related_story_and_its_history(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("j", "1")  # Harris, then its related "Mexico trip planned"
        assert "Mexico trip planned" in detail_text(app)
        write_story(news, "other.md", **story("Unrelated", 1, topics=["X"], url="https://n.x/9"))
        await pilot.press("r")
        await eventually(lambda: "Unrelated" in titles(app))
        await pilot.pause()
        assert "Mexico trip planned" in detail_text(app)
        await pilot.press("backspace")
        assert "Harris heads to Guatemala" in detail_text(app)
        assert main.model.loaded.finished


async def test_no_match_leaves_no_story_to_act_on(news: Path, browser_log: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"zzzqx", "enter")
        assert titles(app) == []
        assert "No story matches the search" in detail_text(app)
        await pilot.press("o", "m", "b")
        await pilot.pause(0.3)
        assert app.opened == []
        assert not app.state.read_links() and not app.state.saved_links()


async def test_escape_on_the_list_clears_the_search_first(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("slash", *"harris", "enter")
        assert isinstance(app.focused, ArticleList) and titles(app) == ["Harris heads to Guatemala"]
        await pilot.press("escape")
        assert main.model.query_text == "" and len(titles(app)) == 5
        assert isinstance(app.focused, ArticleList)
        assert current_title(app) == "Harris heads to Guatemala"
        await pilot.press("escape")
        assert isinstance(app.focused, TopicList)


async def test_a_topic_that_disappears_gives_way_to_all(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        main.select_topic("markets")
        await pilot.pause()
        assert titles(app) == ["[@click=app.quit]x[/] Markets fall [/"]
        (news / "markup.md").unlink()
        await pilot.press("r")
        await eventually(lambda: len(titles(app)) == 4)
        topics = app.screen.query_one(TopicList)
        assert topics.entries[topics.cursor].name == "All stories"


async def test_palette_goes_to_a_story_hidden_by_the_search(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("slash", *"chip", "enter")
        main.go_to_story(main.index.find("https://news.example/harris"))
        await pilot.pause()
        assert main.model.query_text == ""
        assert current_title(app) == "Harris heads to Guatemala"


async def test_a_mark_that_cannot_be_saved_is_reported(
    news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(running, "STATE_POLL_SECONDS", 0.1)
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert app.state.wait_ready(30)
        path = app.state.path
        assert path is not None
        path.unlink()
        path.mkdir()  # the state file replaced by a folder while reader runs
        await pilot.press("m")
        said = "was replaced by a folder while reader was running; marks are kept"
        await eventually(lambda: any(said in n for n in notices(app)), what="nothing was said")
        assert app.state.is_read("https://news.example/chips")  # kept for this session
    assert app.exit_note is not None and "not saved" in app.exit_note


async def test_a_story_without_a_link_keeps_its_marks(tmp_path: Path) -> None:
    fields = story("No link at all", 10, topics=["Local"], url="")
    fields.update(webUrl=None, originalUrl=None, images=[])
    write_story(tmp_path, "nolink.md", **fields)
    write_story(tmp_path, "other.md", **story("Linked", 5, topics=["Local"], url="https://l.x/1"))
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert titles(app)[0] == "No link at all"
        await pilot.press("m", "b")
        assert sidebar(app)["Local"] == "1/2"
        assert sidebar(app)["★ Saved"] == "0/1"
        await pilot.press("slash", *"is:read", "enter")
        assert titles(app) == ["No link at all"]
    # Kept by the file, so they are there on the next start.
    again = ReaderApp(str(tmp_path))
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await eventually(lambda: sidebar(again)["Local"] == "1/2")
        assert sidebar(again)["★ Saved"] == "0/1"


async def test_n_goes_to_the_next_unread_story_round_the_list(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        listed = list(app.model.listing.stories)
        assert len(listed) == 5
        for article in (listed[1], listed[2], listed[4]):
            app.state.set_read(article.mark_key)
        await pilot.press("n")  # from the first: 1 and 2 are read
        assert app.screen.query_one(ArticleList).cursor == 3
        await pilot.press("n")  # 4 is read: round to the first
        assert app.screen.query_one(ArticleList).cursor == 0
        assert detail_text(app).startswith(listed[0].title)
        for article in (listed[0], listed[3]):
            app.state.set_read(article.mark_key)
        await pilot.press("n")
        assert app.screen.query_one(ArticleList).cursor == 0
        assert any("No unread" in n.message for n in app._notifications)


async def test_a_topic_that_goes_away_leaves_the_chosen_story_selected(tmp_path: Path) -> None:
    write_story(tmp_path, "a.md", **story("Alone", 10, topics=["Gone"], url="https://n.x/a"))
    write_story(tmp_path, "b.md", **story("Hot", 50, topics=["Stay"], url="https://n.x/b"))
    write_story(tmp_path, "c.md", **story("Warm", 40, topics=["Stay"], url="https://n.x/c"))
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        main._stop_watching.set()
        main.select_topic("gone")
        await pilot.pause()
        assert titles(app) == ["Alone"]
        # Its only story moves to another topic: "Gone" is no more.
        write_story(tmp_path, "a.md", **story("Alone", 10, topics=["Stay"], url="https://n.x/a"))
        await pilot.press("r")
        await eventually(lambda: "Gone" not in sidebar(app))
        await pilot.pause()
        assert main.model.topic == ALL
        assert current_title(app) == "Alone"


async def test_shift_a_marks_every_listed_story_read_on_a_second_press(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"topic:election", "enter")
        listed = list(app.model.listing.stories)
        assert 1 < len(listed) < 5
        await pilot.press("A")
        assert not app.state.read_links()  # asked, not done
        assert any("Press A again" in n.message for n in app._notifications)
        await pilot.press("A")
        assert app.state.read_links() == {a.mark_key for a in listed}
        assert sidebar(app)["Election"] == f"0/{len(listed)}"
        await pilot.press("A")
        assert any("Every story here is read" in n.message for n in app._notifications)


async def test_a_folder_removed_while_running_is_said_and_picked_up_when_back(
    news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watching, "LOOK_AGAIN_SECONDS", 0.05)
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await asyncio.sleep(0.5)  # let the watcher start
        shutil.rmtree(news)
        status = app.screen.query_one("#status")
        await eventually(lambda: "the folder is gone" in str(status.render()))
        assert any("The folder is gone" in n for n in notices(app))
        assert "checking for changes" not in str(status.render())
        write_story(news, "back.md", **story("Back again", 5, topics=["X"], url="https://n.x/b"))
        await eventually(lambda: titles(app) == ["Back again"])
        assert "the folder is gone" not in str(status.render())
