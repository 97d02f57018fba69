"""Pilot tests of the looks: focus is visible, read rows are dimmed, in every built-in theme."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.color import Color as RichColor
from textual.color import Color

from reader.app import ReaderApp
from reader.screens.help import EXTRA_KEYS
from reader.widgets.article_list import ArticleList
from reader.widgets.one_line import OneLine

from .helpers import wait_loaded


def luminance(color: Color) -> float:
    """Relative luminance, as WCAG defines it."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = color.rgb
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(a: RichColor, b: RichColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = luminance(Color.from_rich_color(a)), luminance(Color.from_rich_color(b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def is_true_colour(color: RichColor | None) -> bool:
    return color is not None and color.triplet is not None


async def tab_stops(pilot: object, app: ReaderApp) -> list[str]:
    """The ids of the widgets Tab visits, starting from the focused one, once round."""
    stops: list[str] = []
    while app.focused is not None and app.focused.id not in stops:
        stops.append(app.focused.id or "")
        await pilot.press("tab")  # type: ignore[attr-defined]
    return stops


async def test_tab_visits_the_panes_the_help_names(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        help_text = dict(EXTRA_KEYS)["tab / shift+tab"]
        for named in ("topics", "stories", "the story", "its related stories", "search box"):
            assert named in help_text
        # "Chip shortage eases" has no related stories: three stops.
        assert sorted(await tab_stops(pilot, app)) == ["articles", "story", "topics"]
        await pilot.press("shift+tab")
        await pilot.press("j")  # Harris, with three related stories: four.
        assert sorted(await tab_stops(pilot, app)) == ["articles", "related", "story", "topics"]
        await pilot.press("slash")  # the search box while it is open
        assert "search-input" in await tab_stops(pilot, app)


async def test_the_focused_pane_is_unmistakable_in_every_theme(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        titles = {t.parent.id: t for t in app.screen.query(".pane-title").results(OneLine)}
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            focused = titles["list-pane"].rich_style
            for other in ("topics-pane", "detail-pane"):
                assert titles[other].rich_style.bgcolor != focused.bgcolor, theme
            if is_true_colour(focused.bgcolor) and is_true_colour(focused.color):
                assert contrast(focused.color, focused.bgcolor) >= 3, theme


async def test_the_lit_title_follows_the_focus_from_pane_to_pane(news: Path) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        titles = {t.parent.id: t for t in app.screen.query(".pane-title").results(OneLine)}

        async def lit() -> list[str]:
            """The panes whose title stands out from the others'."""
            await pilot.pause()
            colours = {pane: title.rich_style.bgcolor for pane, title in titles.items()}
            counts = Counter(colours.values())
            return [pane for pane, colour in colours.items() if counts[colour] == 1]

        assert await lit() == ["list-pane"]
        await pilot.press("tab")  # to the story
        assert await lit() == ["detail-pane"]
        await pilot.press("shift+tab", "shift+tab")  # back past the list to the topics
        assert await lit() == ["topics-pane"]
        await pilot.press("tab", "enter")  # a story opened from the list: the detail pane
        assert await lit() == ["detail-pane"]


async def test_read_rows_are_dimmer_than_unread_ones_and_readable_in_every_theme(
    news: Path,
) -> None:
    app = ReaderApp(str(news))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        articles = app.screen.query_one(ArticleList)
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            read, unread = articles.style_of("read"), articles.style_of("unread")
            background = articles.rich_style.bgcolor
            if not (is_true_colour(background) and is_true_colour(read.color)):
                assert read.dim, theme  # terminal colours: the terminal dims it
                continue
            assert background is not None and read.color is not None
            assert unread.color is not None
            dimmed, plain = contrast(read.color, background), contrast(unread.color, background)
            assert 2.4 <= dimmed < 0.8 * plain, (theme, dimmed, plain)
