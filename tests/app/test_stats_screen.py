"""The statistics screen, pushed over a plain app at 80x24 and 200x60: what each
panel shows, its empty states, the theme, hostile names, and closing it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual._compositor import LayoutUpdate
from textual.app import App
from textual.color import Color
from textual.geometry import Region
from textual.widgets import Static

from reader.model import statefile
from reader.model.article import Article
from reader.model.index import Index
from reader.model.rising import NEEDS_TWO, Rises
from reader.screens.stats import StatsScreen
from reader.widgets.charts import DayBars, RankBars

from .conftest import FIXED_NOW
from .helpers import alive, eventually

DAY = 86_400.0
#: Noon on the tests' day (the clock says midnight: a day with no time in it yet).
NOW = FIXED_NOW + 12 * 3600
SIZES = [(80, 24), (200, 60)]
#: Names that Textual would act on if they were read as markup.
HOSTILE = ["[b]bold[/b]", "[@click=app.quit]Quit[/]", "Markets fall [/"]


def story(n: int, *, age: float, provider: str = "", topics: tuple[str, ...] = ()) -> Article:
    """A story published `age` seconds before `NOW`."""
    return Article(
        path=f"/news/{n}.md",
        title=f"Story {n}",
        published_ts=NOW - age,
        web_url=f"https://example.com/{n}",
        provider_name=provider,
        topics=topics,
    )


def corpus() -> list[Article]:
    """Today: 2 stories (and one due in an hour); yesterday: 1; 5 days ago: 2;
    one 90 days old and one undated."""
    return [
        story(1, age=60, provider="Reuters", topics=("Climate",)),
        story(2, age=120, provider="Reuters", topics=("climate", "Energy")),
        story(3, age=-3600, provider="Reuters"),  # in an hour: not counted
        story(4, age=DAY + 60, provider=HOSTILE[0], topics=(HOSTILE[1],)),
        story(5, age=5 * DAY, provider=HOSTILE[2]),
        story(6, age=5 * DAY + 3600, provider="AP"),
        story(7, age=90 * DAY, provider="AP"),  # outside the 30 days
        Article(path="/news/8.md", title="Undated", web_url="https://example.com/8"),
    ]


def rises_for(stories: list[Article]) -> Rises:
    by_path = {a.path: a.mark_key for a in stories}
    gains = {by_path["/news/1.md"]: 9, by_path["/news/2.md"]: 4, by_path["/news/4.md"]: 20}
    return Rises(gains, ready=True)


def state_with_reads(path: Path, ages: list[float]) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    statefile.create_schema(conn)
    rows = [(f"https://example.com/read/{i}", NOW - age) for i, age in enumerate(ages)]
    conn.executemany("INSERT INTO read (link, at) VALUES (?, ?)", rows)
    conn.close()
    return path


class StatsApp(App[None]):
    """An app that shows the statistics screen over an empty one."""

    def __init__(self, screen: StatsScreen) -> None:
        super().__init__()
        self.stats = screen

    def on_mount(self) -> None:
        self.push_screen(self.stats)


async def shown(app: StatsApp, pilot: Any) -> StatsScreen:
    """The screen once it has counted and drawn its panels."""
    screen = app.stats

    def counted() -> bool:
        alive(app)
        notes = screen.query(".stats-note").results(Static)
        return screen.counts is not None and all("Counting" not in str(n.content) for n in notes)

    await eventually(counted, what="the statistics were never shown")
    await pilot.pause()
    return screen


def screen_lines(app: App[Any]) -> list[str]:
    """The screen's lines as the terminal gets them."""
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, LayoutUpdate)
    return ["".join(seg.text for strip in row for seg in strip) for row in update.strips]


def chart_text(screen: StatsScreen, selector: str) -> str:
    widget = screen.query_one(selector)
    assert isinstance(widget, DayBars | RankBars)
    rendered = widget.render()
    return rendered.plain


def note(screen: StatsScreen, panel: str) -> str:
    return str(screen.query_one(f"#panel-{panel} .stats-note", Static).content)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_four_panels_show_the_folders_numbers(tmp_path: Path, size: Any) -> None:
    stories = corpus()
    state = state_with_reads(tmp_path / "state.sqlite3", [30, 600, DAY + 5, 3 * DAY, 40 * DAY])
    app = StatsApp(StatsScreen(Index(stories), rises_for(stories), state, now=NOW))
    async with app.run_test(size=size) as pilot:
        screen = await shown(app, pilot)
        per_day = screen.query_one("#chart-stories", DayBars).days
        assert len(per_day) == 30
        assert [n for _, n in per_day[-6:]] == [2, 0, 0, 0, 1, 2]
        assert screen.query_one("#panel-stories").border_subtitle == "5 in 30 days"
        providers = screen.query_one("#chart-providers", RankBars).items
        assert providers[0] == ("Reuters", 3)
        assert dict(providers) == {"Reuters": 3, "AP": 2, HOSTILE[0]: 1, HOSTILE[2]: 1}
        rising = screen.query_one("#chart-rising", RankBars).items
        assert rising == [(HOSTILE[1], 20), ("Climate", 13), ("Energy", 4)]
        reads = screen.query_one("#chart-reads", DayBars).days
        assert [n for _, n in reads[-4:]] == [1, 0, 1, 2]
        assert screen.query_one("#panel-reads").border_subtitle == "4 read in 30 days"
        # Every panel is on screen, whole, and none covers another.
        panels = [screen.query_one(f"#panel-{p}").region for p in ("stories", "providers")]
        panels += [screen.query_one(f"#panel-{p}").region for p in ("reads", "rising")]
        whole = Region(0, 0, *size)
        for i, region in enumerate(panels):
            assert whole.contains_region(region) and region.height >= 8 and region.width >= 30
            assert all(not region.overlaps(other) for other in panels[i + 1 :])
        lines = screen_lines(app)
        text = "\n".join(lines)
        for title in ("Stories per day", "Top providers", "Your reading", "Rising topics"):
            assert title in text
        assert "Reuters" in text and "█" in text
        assert lines[-1].strip().startswith("esc")


async def test_names_from_files_are_shown_literally_never_as_markup(tmp_path: Path) -> None:
    stories = corpus()
    app = StatsApp(StatsScreen(Index(stories), rises_for(stories), None, now=NOW))
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await shown(app, pilot)
        text = "\n".join(screen_lines(app))
        for name in HOSTILE:
            assert name in text
        assert HOSTILE[1] in chart_text(screen, "#chart-rising")
        await pilot.click("#chart-rising")  # a click on the name would quit if it were markup
        await pilot.pause()
        alive(app)
        assert app.screen is screen


async def test_control_characters_in_names_never_reach_the_terminal() -> None:
    odd = "Evil\x1b[2JCorp\u202e\x07"
    stories = [story(1, age=60, provider=odd)]
    app = StatsApp(StatsScreen(Index(stories), Rises(), None, now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        name = screen.query_one("#chart-providers", RankBars).items[0][0]
        assert name == "Evil[2JCorp"
        assert "\x1b" not in "".join(screen_lines(app))


async def test_rising_says_what_it_needs_before_two_snapshots() -> None:
    stories = corpus()
    app = StatsApp(StatsScreen(Index(stories), Rises(), None, now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        assert not screen.query("#chart-rising")
        assert note(screen, "rising") == NEEDS_TWO


async def test_rising_says_so_when_nothing_rose() -> None:
    stories = corpus()
    rises = Rises({stories[0].mark_key: -5}, window=3 * DAY, ready=True)
    app = StatsApp(StatsScreen(Index(stories), rises, None, now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        assert note(screen, "rising") == "No topic rose over 3d."


@pytest.mark.parametrize(
    ("state", "says"),
    [
        ("missing", "No stories read yet."),
        ("damaged", "No stories read yet."),
        ("old", "No stories read in the last 30 days."),
        ("none", "Reading is not recorded: there is no state file."),
    ],
)
async def test_your_reading_when_there_is_nothing_to_draw(
    tmp_path: Path, state: str, says: str
) -> None:
    path: Path | None = tmp_path / "state.sqlite3"
    assert path is not None
    if state == "damaged":
        path.write_bytes(b"SQLite format 3\x00" + b"\xee" * 5000)
    elif state == "old":
        state_with_reads(path, [45 * DAY])
    elif state == "none":
        path = None
    stories = corpus()
    app = StatsApp(StatsScreen(Index(stories), Rises(), path, now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        assert not screen.query("#chart-reads")
        assert note(screen, "reads") == says
        assert screen.query("#chart-stories")


async def test_an_empty_folder_shows_notes_not_charts() -> None:
    app = StatsApp(StatsScreen(Index([]), Rises(), None, now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        assert not screen.query(DayBars) and not screen.query(RankBars)
        assert note(screen, "stories") == "No stories dated in the last 30 days."
        assert note(screen, "providers") == "No story names its provider."


async def test_an_old_folder_says_when_its_newest_story_is_from() -> None:
    stories = [story(1, age=90 * DAY, provider="AP"), story(2, age=400 * DAY)]
    app = StatsApp(StatsScreen(Index(stories), Rises(), None, now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        assert note(screen, "stories") == (
            "No stories dated in the last 30 days. The newest is of 12 Mar 2021."
        )
        assert screen.query_one("#panel-stories").border_subtitle == ""


async def test_today_ends_at_now_else_at_the_clock() -> None:
    stories = corpus()
    later = NOW + 10 * DAY
    app = StatsApp(StatsScreen(Index(stories), Rises(), None, now=later))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        days = screen.query_one("#chart-stories", DayBars).days
        assert days[-1][0].isoformat() == "2021-06-20"
        # The story due an hour after NOW is in the past by then.
        assert [n for _, n in days[-11:]] == [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    app = StatsApp(StatsScreen(Index(stories), Rises(), None))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        days = screen.query_one("#chart-stories", DayBars).days
        assert days[-1][0].isoformat() == "2021-06-10"
        # At midnight the stories of 10 June are still to come.
        assert [n for _, n in days[-6:]] == [2, 0, 0, 0, 1, 0]


def bar_colours(widget: DayBars | RankBars) -> set[str]:
    rendered = widget.render()
    assert isinstance(rendered, Text)
    return {
        str(span.style.color.triplet.hex) if span.style.color.triplet else ""
        for span in rendered.spans
        if not isinstance(span.style, str) and span.style.color is not None
        if "█" in rendered.plain[span.start : span.end]
    }


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "nord"])
async def test_the_charts_take_their_colours_from_the_theme(tmp_path: Path, theme: str) -> None:
    stories = corpus()
    state = state_with_reads(tmp_path / "state.sqlite3", [30])
    app = StatsApp(StatsScreen(Index(stories), rises_for(stories), state, now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        app.theme = theme
        await pilot.pause()
        variables = app.theme_variables
        primary = Color.parse(variables["primary"]).hex.lower()
        accent = Color.parse(variables["accent"]).hex.lower()
        assert bar_colours(screen.query_one("#chart-stories", DayBars)) == {primary}
        assert bar_colours(screen.query_one("#chart-reads", DayBars)) == {primary}
        assert bar_colours(screen.query_one("#chart-providers", RankBars)) == {accent}


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_escape_or_q_closes_the_screen(key: str) -> None:
    stories = corpus()
    app = StatsApp(StatsScreen(Index(stories), Rises(), None, now=NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(app, pilot)
        assert app.screen is screen
        await pilot.press(key)
        await pilot.pause()
        alive(app)
        assert app.screen is not screen
        assert not isinstance(app.screen, StatsScreen)


async def test_a_narrow_screen_is_drawn_without_breaking(tmp_path: Path) -> None:
    stories = corpus()
    state = state_with_reads(tmp_path / "state.sqlite3", [30])
    app = StatsApp(StatsScreen(Index(stories), rises_for(stories), state, now=NOW))
    async with app.run_test(size=(50, 16)) as pilot:
        screen = await shown(app, pilot)
        for selector in ("#chart-stories", "#chart-providers", "#chart-reads", "#chart-rising"):
            lines = chart_text(screen, selector).split("\n")
            widget = screen.query_one(selector)
            assert len(lines) <= widget.size.height
            assert all(len(line) <= widget.size.width for line in lines)
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert "Rising topics" in "\n".join(screen_lines(app))
