"""Pilot tests: browsing topics and stories with the keyboard and the mouse."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.app import ReaderApp
from reader.model.parsing import load_story
from reader.screens import running
from reader.widgets.article_list import ArticleList
from reader.widgets.detail import RelatedList, StoryView
from reader.widgets.topic_list import TopicList, compact, counts

from .helpers import current_title, detail_text, eventually, titles, wait_loaded
from .stories import story, write_story


async def test_list_opens_on_hottest_story_ranked_by_heat(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert isinstance(app.focused, ArticleList)
        # 900, then the 120 tie broken by the newer story, then 245 ... in heat order.
        assert titles(app) == [
            "Chip shortage eases",
            "Harris heads to Guatemala",
            "New AI model released",
            "Mexico trip planned",
            "[@click=app.quit]x[/] Markets fall [/",
        ]
        assert app.screen.query_one(ArticleList).cursor == 0
        assert "Chip shortage eases" in detail_text(app)
        assert "All stories · 5 stories" in str(app.screen.query_one("#list-title").render())


async def test_sidebar_topics_with_counts_and_filter(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        topics = app.screen.query_one(TopicList)
        # "election" and "Election" are one topic under the more used spelling.
        assert [(t.name, t.total, t.own) for t in topics.entries] == [
            ("★ Saved", 0, True),
            ("All stories", 5, True),
            ("Election", 3, False),
            ("Technology", 2, False),
            ("Kamala Harris", 1, False),
            ("Markets", 1, False),
        ]
        await pilot.press("shift+tab")
        assert isinstance(app.focused, TopicList)
        await pilot.press("j")
        assert titles(app) == [
            "Harris heads to Guatemala",
            "New AI model released",
            "Mexico trip planned",
        ]
        await pilot.press("down")
        assert titles(app) == ["Chip shortage eases", "New AI model released"]
        await pilot.press("enter")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("j")
        assert "New AI model released" in detail_text(app)


async def test_keys_move_the_cursor_of_the_list_and_the_model_alike(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        articles = app.screen.query_one(ArticleList)
        for keys, row in [
            (("j", "down"), 2),
            (("k",), 1),
            (("G",), 4),
            (("g",), 0),
            (("end",), 4),
            (("home",), 0),
            (("pagedown",), 4),
            (("pageup",), 0),
        ]:
            await pilot.press(*keys)
            assert articles.cursor == app.model.listing.cursor == row, keys


async def test_detail_shows_the_whole_story(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j")
        text = detail_text(app)
        for expected in (
            "Harris heads to Guatemala",
            "CNN · cnn.com",
            "Sun 6 Jun 2021 14:25 (3 days ago)",
            "article · heat 245 · quality 100 · unread",
            "Election · Kamala Harris",
            "Kamala Harris leaves for Latin America on Sunday.",
            "Image  news.example · 1100×619",
            "Link   news.example/harris",
        ):
            assert expected in text
        related = app.screen.query_one(RelatedList)
        assert [(r.related.title, r.in_corpus) for r in related.rows] == [
            ("Mexico trip planned", True),
            ("Not in this folder", False),
            ("New AI model released", True),
        ]


async def test_links_and_images_are_terminal_hyperlinks_when_safe(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j")
        view = app.screen.query_one(StoryView)
        spans = view.content.spans
        links = {span.style.link for span in spans if getattr(span.style, "link", None)}
        assert links == {"https://news.example/harris", "https://news.example/harris/image.jpg"}


async def test_related_story_in_corpus_is_shown_and_back_returns(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "enter")
        assert isinstance(app.focused, RelatedList)
        await pilot.press("enter")
        assert "Mexico trip planned" in detail_text(app)
        assert "↩ from Harris heads to Guatemala · Backspace goes back" in detail_text(app)
        assert current_title(app) == "Harris heads to Guatemala"
        # The list's row is drawn as where the story came from, not as the story shown.
        assert not app.screen.query_one(ArticleList).cursor_shown
        await pilot.press("backspace")
        assert "Harris heads to Guatemala" in detail_text(app)
        assert app.screen.query_one(ArticleList).cursor_shown
        await pilot.press("alt+right")
        assert "Mexico trip planned" in detail_text(app)
        # Back again, then follow the third related story: back restores that row.
        await pilot.press("alt+left", "3")
        assert "New AI model released" in detail_text(app)
        await pilot.press("backspace")
        assert "Harris heads to Guatemala" in detail_text(app)
        assert app.screen.query_one(RelatedList).cursor == 2
        await pilot.press("escape")
        assert isinstance(app.focused, ArticleList)


async def test_a_click_selects_the_row_under_the_pointer_in_every_list(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.click(ArticleList, offset=(10, 1))
        assert app.screen.query_one(ArticleList).cursor == 1
        assert "Harris heads to Guatemala" in detail_text(app)
        related = app.screen.query_one(RelatedList)
        # The related list has a title line above its rows: the click is on row 2.
        await pilot.click(RelatedList, offset=(6, 3))
        assert related.cursor == 2
        await pilot.click(TopicList, offset=(2, 3))
        assert titles(app) == ["Chip shortage eases", "New AI model released"]


async def test_a_double_click_opens_the_row_clicked(news: Path, browser_log: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.click(ArticleList, offset=(10, 1), times=2)
        assert isinstance(app.focused, RelatedList)
        assert app.state.is_read("https://news.example/harris")
        await pilot.click(RelatedList, offset=(6, 2), times=2)  # "Not in this folder"
        assert "https://elsewhere.example/story" in (await _opened(browser_log))


async def _opened(log: Path) -> str:
    await eventually(log.exists)
    return log.read_text()


async def test_markup_in_files_is_shown_literally_and_clicking_it_runs_nothing(
    news: Path,
) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("G")
        text = detail_text(app)
        assert "[@click=app.quit]x[/] Markets fall [/" in text
        assert "[b]Bold[/b] Wire" in text
        articles = app.screen.query_one(ArticleList)
        row = articles.render_line(4)
        assert "[@click=app.quit]x[/] Markets fall [/" in row.text
        assert not any(seg.style and seg.style.meta.get("@click") for seg in row)
        # Click on the title itself: the row is selected and nothing else happens.
        await pilot.press("g")
        column = row.text.index("[@click")
        await pilot.click(ArticleList, offset=(column + 3, 4))
        assert current_title(app) == "[@click=app.quit]x[/] Markets fall [/"
        await pilot.click(StoryView, offset=(3, 0))
        assert app.is_running


async def test_skipped_files_are_counted_and_listed(
    news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(news.parent)
    app = ReaderApp(news.name)  # a relative folder, as typed on the command line
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        status = str(app.screen.query_one("#status").render())
        assert "5 stories" in status
        assert "1 skipped" in status
        await pilot.press("exclamation_mark")
        from reader.screens.problems import ProblemList, ProblemsScreen

        assert isinstance(app.screen, ProblemsScreen)
        problems = app.screen.query_one(ProblemList)
        assert problems.count == 1
        row = problems.render_line(0).text
        assert row.strip().startswith("skipped   broken.md")  # relative to the folder
        assert "invalid YAML" in row
        detail = str(app.screen.query_one("#problem-detail").render())
        assert str(news / "broken.md") in detail and "skipped: invalid YAML" in detail
        await pilot.press("escape")
        assert not isinstance(app.screen, ProblemsScreen)


def test_sidebar_counts_stay_short_and_meaningful() -> None:
    assert [compact(n) for n in (0, 9_999, 12_345, 19_234, 100_000, 1_250_000)] == [
        "0",
        "9,999",
        "12.3k",
        "19.2k",
        "100k",
        "1.25M",
    ]
    assert counts(19_234, 19_500) == "19.2k/19.5k"
    # Short forms that would look alike while the numbers differ are given in full.
    assert counts(19_234, 19_240) == "19,234/19,240"
    assert counts(20_000, 20_000) == "20.0k/20.0k"


async def test_a_large_file_is_read_for_the_detail_pane_in_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = story("Big file", 10, topics=["X"], url="https://e.x/big", secured="x" * 200_000)
    write_story(tmp_path, "big.md", **big)
    threads: list[str] = []

    def spy(path: str) -> object:
        threads.append(threading.current_thread().name)
        return load_story(path)

    monkeypatch.setattr(running, "load_story", spy)
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await eventually(lambda: "Image  e.x · 1100×619" in detail_text(app))
        assert "Reading images" not in detail_text(app)
        assert threads and threading.main_thread().name not in threads


async def test_the_problem_under_the_cursor_is_shown_in_full(tmp_path: Path) -> None:
    write_story(tmp_path, "good.md", **story("Fine", 10, topics=["X"], url="https://n.x/1"))
    (tmp_path / "a-broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (tmp_path / "b-empty.md").write_text("---\n---\n", encoding="utf-8")
    app = ReaderApp(str(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("exclamation_mark")
        detail = app.screen.query_one("#problem-detail")
        assert "a-broken.md" in str(detail.render())
        await pilot.press("down")
        assert "b-empty.md" in str(detail.render())


def many(folder: Path, count: int, matching: int) -> Path:
    """`count` stories, the first `matching` of them with "match" in the title."""
    for n in range(count):
        name = f"Story {n} match" if n < matching else f"Story {n}"
        write_story(
            folder, f"{n:03}.md", **story(name, 1000 - n, topics=["X"], url=f"https://e.x/{n}")
        )
    return folder


async def test_keys_that_come_faster_than_the_screen_answers_are_all_taken(tmp_path: Path) -> None:
    app = ReaderApp(str(many(tmp_path, 30, 0)))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        articles = app.screen.query_one(ArticleList)
        for _ in range(10):  # ten presses posted before the screen handles the first
            articles.action_cursor_down()
        await pilot.pause()
        assert app.model.listing.cursor == articles.cursor == 10
        assert current_title(app) == "Story 10"


async def test_the_list_and_the_model_agree_on_the_first_row_after_a_search(
    tmp_path: Path,
) -> None:
    app = ReaderApp(str(many(tmp_path, 100, 80)))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        articles = app.screen.query_one(ArticleList)
        await pilot.press("G", "slash", *"match")
        assert len(titles(app)) == 80
        assert round(articles.scroll_offset.y) == app.model.listing.top
        await pilot.press("enter", "G", "k")
        assert round(articles.scroll_offset.y) == app.model.listing.top
        assert articles.cursor == app.model.listing.cursor == 78
