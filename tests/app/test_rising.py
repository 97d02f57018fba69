"""Rising in the app: the order, its column, `rising>N` and the detail's sparkline."""

from __future__ import annotations

import time
from pathlib import Path

from textual.pilot import Pilot

from reader.app import ReaderApp
from reader.model.heatlog import HeatLog
from reader.screens.main import MainScreen

from .helpers import current_title, detail_text, eventually, notices, titles, wait_loaded

MEXICO = "https://news.example/mexico"


def earlier_snapshot(heat: int, hours_ago: float = 2) -> None:
    """What an earlier run saw: Mexico far cooler than its file says now."""
    log = HeatLog.open()
    log.record([(MEXICO, heat, 100)], at=time.time() - hours_ago * 3600)
    log.close()


async def recorded(pilot: Pilot[None]) -> MainScreen:
    """The main screen once the folder is read and this run's heat recorded."""
    main = await wait_loaded(pilot)
    await eventually(lambda: main.model.index.rises.ready, what="the run was not recorded")
    return main


async def test_rising_ranks_the_story_that_gained_most(news: Path) -> None:
    earlier_snapshot(1)
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await recorded(pilot)
        gain = main.model.index.rises.of(MEXICO)
        assert gain > 0
        for _ in range(4):
            await pilot.press("s")
        assert main.model.order == "rising"
        assert titles(app)[0] == "Mexico trip planned"
        status = str(app.screen.query_one("#status").render())
        assert "by rising over 24h" in status and "needs" not in status
        row = main.query_one("#articles").render_line(0).text
        assert f"+{gain}" in row
        assert current_title(app) == "Mexico trip planned"
        text = detail_text(app)
        assert "1 (" in text and f"→ {gain + 1} (" in text and f"+{gain} in 24h" in text
        assert any(ch in text for ch in "▁▂▃▄▅▆▇█")


async def test_rising_in_a_search(news: Path) -> None:
    earlier_snapshot(1)
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await recorded(pilot)
        await pilot.press("slash", *"rising>0", "enter")
        await eventually(lambda: titles(app) == ["Mexico trip planned"], what="no rising match")


async def test_no_sparkline_without_history(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert "→" not in detail_text(app)
        assert not any(ch in detail_text(app) for ch in "▁▂▃▅▆▇█")


async def test_t_draws_each_topics_stories_per_day(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        pane = main.query_one("#topics-pane")
        narrow = pane.size.width
        rows = lambda: [main.topics.render_line(y).text for y in range(4)]  # noqa: E731
        assert not any("█" in row for row in rows())
        await pilot.press("T")
        await pilot.pause()
        assert pane.has_class("-trends") and pane.size.width > narrow
        assert any("█" in row for row in rows())  # the fixed clock is days after the stories
        await pilot.press("T")
        await pilot.pause()
        assert not pane.has_class("-trends")
        assert not any("█" in row for row in rows())


async def test_i_shows_the_statistics_and_q_goes_back(news: Path) -> None:
    from reader.screens.stats import StatsScreen

    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("I")
        await eventually(lambda: isinstance(app.screen, StatsScreen), what="no stats screen")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        await eventually(lambda: screen.counts is not None, what="nothing was counted")
        assert screen.counts is not None
        assert sum(n for _, n in screen.counts.stories) == len(main.model.index)
        await pilot.press("q")
        await eventually(lambda: app.screen is main, what="q did not go back")
        assert app.is_running


async def test_trends_of_an_old_folder_say_so_and_keep_the_counts_aligned(tmp_path: Path) -> None:
    from tests.app.stories import story, write_story

    for n, topic in enumerate(("Old", "Older")):
        fields = story(f"Story {n}", 10, topics=[topic], url=f"https://o.example/{n}")
        write_story(tmp_path / "old", f"{n}.md", **{**fields, "publishedDateTime": "2019-01-01"})
    app = ReaderApp(str(tmp_path / "old"))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await wait_loaded(pilot)
        await pilot.press("T")
        await pilot.pause()
        assert any("no trend to draw" in n for n in notices(app)), notices(app)
        rows = [main.topics.render_line(y).text.rstrip("▏ ") for y in (1, 2, 3)]
        # "All stories", "Old", "Older": each count ends where the others do.
        ends = {len(row.rstrip()) for row in rows}
        assert len(ends) == 1, rows
