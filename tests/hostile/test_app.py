"""The app on the whole hostile corpus: nothing crashes it, nothing escapes it.

A pilot visits every story (its detail, its link, every related story), every
sidebar topic, the help and problems screens, the search box and the command
palette, and checks each screen as the terminal would receive it: no escape,
control or direction character from a file, no markup interpreted, and no
link handed to the browser that `unsafe_reason` does not accept.
"""

from __future__ import annotations

import asyncio
import html
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual._compositor import LayoutUpdate
from textual.app import App, ComposeResult
from textual.command import CommandList, CommandPalette
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import WorkerState

from reader.app import ReaderApp
from reader.model.article import Article
from reader.model.index import ALL
from reader.model.links import unsafe_reason
from reader.model.text import show_path
from reader.screens.help import HelpScreen
from reader.screens.main import MainScreen
from reader.screens.problems import ProblemList, ProblemsScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.detail import RelatedList, StoryView
from reader.widgets.line_list import LineList
from reader.widgets.status_bar import StatusBar
from reader.widgets.topic_list import TopicList
from tests.app.helpers import alive, detail_text, wait_loaded, written

from .corpus import Case, bad_chars, built_corpus

SIZE = (160, 50)
#: Cases that leave more than one unusable entry: the second link of a loop.
EXTRA_SKIPPED = {"symlink_loop": 1}
#: Typed into the search box: markup, a click action, broken query syntax.
SEARCHES = ["[/]", "[@click=app.quit]x", 'topic:"', "heat>abc", "provider:[b", "\\"]
#: Escape sequences the app's own styles produce: SGR colours and cursor moves.
OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;]*m|\x1b\[[0-9]+;[0-9]+H")
#: Terminal hyperlinks (OSC 8) around links and images: their target is checked apart.
HYPERLINK = re.compile(r"\x1b\]8;(?:id=[^;\x1b]*)?;([^\x1b\x07]*)\x1b\\")
NOT_OPENED = "Not opened: "
LIVE_RELOAD_OFF = "Live reload is off"


class RecordingApp(ReaderApp):
    """The reader, keeping every notification it ever showed (toasts expire)."""

    def __init__(self, root: str) -> None:
        super().__init__(root)
        self.notes: list[tuple[str, SeverityLevel, bool]] = []

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.notes.append((message, severity, markup))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def refusals(self) -> list[str]:
        return [
            m for m, severity, _ in self.notes if severity == "error" and m.startswith(NOT_OPENED)
        ]


@dataclass
class Seen:
    """What a tour saw on the screen."""

    screens: int = 0
    #: Actions of `@click` metadata found in rendered segments.
    clicks: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


# --- fixtures -------------------------------------------------------------------


@contextmanager
def corpus_in(tmp_path: Path) -> Iterator[tuple[Path, list[Case]]]:
    """The corpus built under `tmp_path`."""
    folder = tmp_path / "corpus"
    with built_corpus(folder) as built:
        yield folder, built


# --- checking what reaches the terminal -----------------------------------------


def check_screen(app: App[Any], seen: Seen, where: str) -> list[str]:
    """The screen's lines as the terminal would get them; problems go to `seen`.

    Every segment of text must be free of control, escape and direction
    characters, and the data written to a terminal for a full redraw must hold
    no escape sequence other than the colours and cursor moves of the app itself.
    """
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert isinstance(update, LayoutUpdate)
    lines: list[str] = []
    for row in update.strips:
        texts = []
        for strip in row:
            for segment in strip:
                if segment.control:
                    continue
                texts.append(segment.text)
                meta = segment.style.meta if segment.style else {}
                if "@click" in meta:
                    seen.clicks.add(str(meta["@click"]))
        lines.append("".join(texts))
    for y, line in enumerate(lines):
        bad = bad_chars(line)
        if bad:
            seen.problems.append(f"{where}: line {y}: {' '.join(bad[:5])}: {line.strip()[:80]}")
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        safe_box=False,
    )
    raw = update.render_segments(console)
    for target in HYPERLINK.findall(raw):
        if target and unsafe_reason(target) is not None:
            seen.problems.append(f"{where}: a hyperlink to an unsafe link: {target[:80]!r}")
    raw = OWN_SEQUENCES.sub("", HYPERLINK.sub("", raw))
    bad = bad_chars(raw, newlines=True)
    if bad:
        seen.problems.append(f"{where}: terminal data: {' '.join(bad[:5])}")
    seen.screens += 1
    return lines


def check_svg(app: App[Any], seen: Seen, where: str) -> str:
    """The text of an SVG screenshot, which must hold no control character either."""
    svg = app.export_screenshot()
    text = html.unescape(re.sub(r"<[^>]*>", "", svg))
    bad = bad_chars(text, newlines=True)
    if bad:
        seen.problems.append(f"{where}: screenshot: {' '.join(bad[:5])}")
    return text


def list_rows(widget: LineList) -> list[str]:
    """The rows of a line list that are on screen, as drawn."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def focus_of(app: App[Any]) -> Widget | None:
    """The focused widget (a function, so that type checkers do not narrow it)."""
    return app.focused


def case_of(built: list[Case]) -> dict[str, Case]:
    return {str(case.path): case for case in built if case.path is not None}


def skipped_entries(built: list[Case]) -> int:
    return sum(1 + EXTRA_SKIPPED.get(case.name, 0) for case in built if case.outcome == "skipped")


# --- the tour -------------------------------------------------------------------


@dataclass
class Tour:
    """Figures of one tour, for the final checks."""

    visited: list[Article] = field(default_factory=list)
    rows: dict[str, str] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    related_rows: list[str] = field(default_factory=list)
    related_pressed: int = 0


async def visit_stories(pilot: Pilot[Any], seen: Seen) -> Tour:
    """j through the whole list: o, Enter, every related digit, Escape on each story."""
    app = pilot.app
    main = app.screen
    assert isinstance(main, MainScreen)
    articles = main.query_one(ArticleList)
    related = main.query_one(RelatedList)
    tour = Tour()
    model = main.model
    # Every story on its own row, storylines too (the start screen showed them grouped).
    assert model.grouped and len(model.listing.stories) < model.matched
    await pilot.press("t", "g")
    assert len(model.listing.stories) == model.matched
    for i in range(articles.count):
        alive(app)
        assert articles.cursor == i
        article = model.listing.current
        assert article is not None
        tour.visited.append(article)
        row = articles.render_line(articles.cursor - round(articles.scroll_offset.y)).text
        tour.rows[article.path] = row
        tour.details[article.path] = detail_text(app)
        check_screen(app, seen, f"story {i}")
        await pilot.press("o", "enter")
        assert isinstance(app.focused, (StoryView, RelatedList))
        rows = list(related.rows)
        tour.related_rows += [related.render_line(n).text for n in range(min(len(rows), 12))]
        for number in range(1, min(9, len(rows)) + 1):
            await pilot.press(str(number))
            tour.related_pressed += 1
            check_screen(app, seen, f"story {i}, related {number}")
            if model.detail.article is not article:  # went to a story of the folder: come back
                await pilot.press("backspace")
                assert model.detail.article is article
        await pilot.press("escape")
        assert focus_of(app) is articles
        await pilot.press("j")
    alive(app)
    assert articles.cursor == articles.count - 1
    return tour


async def visit_topics(pilot: Pilot[Any], seen: Seen) -> list[str]:
    """Every sidebar entry in turn; back to "All" at the end."""
    app = pilot.app
    topics = app.screen.query_one(TopicList)
    await pilot.press("escape")
    assert app.focused is topics
    await pilot.press("g")
    names = []
    for i in range(topics.count):
        assert topics.cursor == i
        names.append(topics.render_line(i - round(topics.scroll_offset.y)).text)
        check_screen(app, seen, f"topic {i}")
        await pilot.press("j")
    await pilot.press("g", "j", "enter")
    alive(app)
    assert topics.entries[topics.cursor].name == "All stories"
    assert isinstance(app.focused, ArticleList)
    return names


async def visit_help(pilot: Pilot[Any], seen: Seen) -> None:
    app = pilot.app
    await pilot.press("question_mark")
    assert isinstance(app.screen, HelpScreen)
    check_screen(app, seen, "help")
    check_svg(app, seen, "help")
    await pilot.press("escape")
    assert isinstance(app.screen, MainScreen)


async def visit_problems(pilot: Pilot[Any], seen: Seen) -> list[str]:
    """Every row of the problems screen, scrolled through."""
    app = pilot.app
    await pilot.press("exclamation_mark")
    assert isinstance(app.screen, ProblemsScreen)
    problems = app.screen.query_one(ProblemList)
    rows = []
    for i in range(problems.count):
        assert problems.cursor == i
        rows.append(problems.render_line(i - round(problems.scroll_offset.y)).text)
        if i % 10 == 0:
            check_screen(app, seen, f"problems row {i}")
        await pilot.press("j")
    check_screen(app, seen, "problems, last row")
    check_svg(app, seen, "problems")
    await pilot.press("escape")
    assert isinstance(app.screen, MainScreen)
    return rows


async def visit_search(pilot: Pilot[Any], seen: Seen) -> list[str]:
    """Hostile queries typed in the search box; what the screen said for each."""
    app = pilot.app
    shown = []
    await pilot.press("slash")
    for query in SEARCHES:
        await pilot.press(*query)
        alive(app)
        shown.append("\n".join(check_screen(app, seen, f"search {query!r}")))
        await pilot.press("ctrl+u")
    await pilot.press("escape")
    assert isinstance(app.focused, ArticleList)
    return shown


async def visit_palette(pilot: Pilot[Any], seen: Seen, query: str) -> list[str]:
    """The command palette's hits for `query`, as shown."""
    app = pilot.app
    await pilot.press("ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    hits = app.screen.query_one(CommandList)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while hits.option_count == 0 and loop.time() < deadline:
        await pilot.pause(0.05)
    await pilot.pause()
    lines = check_screen(app, seen, f"palette {query!r}")
    check_svg(app, seen, f"palette {query!r}")
    await pilot.press("escape")
    if isinstance(app.screen, CommandPalette):
        await pilot.press("escape")
    assert isinstance(app.screen, MainScreen)
    return lines


async def test_a_tour_of_the_whole_corpus(tmp_path: Path, browser_log: Path) -> None:
    with corpus_in(tmp_path) as (folder, built):
        await tour_the_corpus(folder, built, browser_log)


async def tour_the_corpus(folder: Path, built: list[Case], browser_log: Path) -> None:
    by_path = case_of(built)
    seen = Seen()
    app = RecordingApp(str(folder))
    async with app.run_test(size=SIZE) as pilot:
        main = await wait_loaded(pilot)
        status = main.query_one("#status", StatusBar).plain
        check_svg(app, seen, "start")

        tour = await visit_stories(pilot, seen)
        topics = await visit_topics(pilot, seen)
        await visit_help(pilot, seen)
        problem_rows = await visit_problems(pilot, seen)
        searches = await visit_search(pilot, seen)
        palette_b = await visit_palette(pilot, seen, "[b]")
        palette_click = await visit_palette(pilot, seen, "@click")
        await pilot.pause()
        alive(app)
        assert isinstance(app.screen, MainScreen)
        failed = [w for w in app.workers if w.state == WorkerState.ERROR]
        problems = list(main.model.loaded.problems)
        opened = list(app.opened)
        launched = (await written(browser_log, len(opened), timeout=20.0)).splitlines()
    assert app.return_code is None or app.return_code == 0
    assert failed == []

    # Nothing escaped to the screen, and no markup became a click action.
    assert seen.problems == []
    assert seen.clicks == set()
    assert seen.screens > len(tour.visited)

    # Every story was visited; each shows its text literally, rows and detail alike.
    shown_cases = {p: c for p, c in by_path.items() if c.outcome == "shown"}
    visited_paths = {a.path for a in tour.visited}
    assert set(shown_cases) <= visited_paths
    extra = visited_paths - set(shown_cases)
    # The hotter copies of the duplicates, kept in their place.
    assert all(Path(p).name.startswith("hot") for p in extra), extra
    assert f"{len(tour.visited):,} stories" in status
    for path, case in shown_cases.items():
        for key in ("title", "excerpt", "provider_name"):
            want = case.expect.get(key)
            if isinstance(want, str) and want:
                assert want in tour.details[path], (case.name, key)
    for path in visited_paths:
        assert bad_chars(tour.rows[path]) == []
        assert bad_chars(tour.details[path], newlines=True) == []
    row = tour.rows[_path_of(built, "markup_title")]
    assert "[bold red]Red[/] [@click=app.quit]quit[/]" in row
    assert "[@click=app.quit]…" in tour.rows[_path_of(built, "markup_provider")]
    detail = tour.details[_path_of(built, "markup_provider")]
    assert "[@click=app.quit]CNN[/] · [b]cnn.com[/b]" in detail
    detail = tour.details[_path_of(built, "markup_topics")]
    assert "[b]Politics[/b] · [@click=app.quit]Q[/] · [/]" in detail
    assert any("[@click=app.quit]Other[/]  [i]P[/i]" in row for row in tour.related_rows)
    assert all(bad_chars(row) == [] for row in tour.related_rows)
    assert any(row.startswith("[@click=app.quit]Q[") for row in topics)
    assert any(row.startswith("[b]Politics[/b] ") for row in topics)

    # Links: only safe ones reached the browser; every dangerous one was refused.
    assert sorted(launched) == sorted(opened)
    assert [url for url in opened if unsafe_reason(url) is not None] == []
    dangerous = {link for case in built for link in case.unsafe_links}
    assert len(dangerous) >= 10
    assert dangerous.isdisjoint(opened) and dangerous.isdisjoint(launched)
    safe_links = {a.link for a in tour.visited if unsafe_reason(a.link) is None}
    assert safe_links <= set(opened)
    assert "https://news.example/other" in opened  # a related story outside the folder
    refused = app.refusals()
    unsafe_main = [a for a in tour.visited if unsafe_reason(a.link) is not None]
    assert len(refused) >= len(unsafe_main) + 6  # and the six bad related links of two cases
    errors = [m for m, severity, _ in app.notes if severity == "error" and m not in refused]
    # The watcher cannot follow a file name that is not UTF-8; the app says so and runs on.
    assert all(m.startswith(LIVE_RELOAD_OFF) for m in errors), errors
    assert all(markup is False for _, _, markup in app.notes)

    # Skipped files: counted in the status bar, each listed once with its kind.
    skipped = skipped_entries(built)
    assert f"{skipped:,} skipped" in status
    assert len(problem_rows) == len(problems)
    assert sum(p.kind == "skipped" for p in problems) == skipped
    for case in built:
        if case.outcome in ("skipped", "hidden", "duplicate"):
            kind = case.outcome
            rel = show_path(str(case.path)).removeprefix(show_path(str(folder)) + "/")
            mine = [row for row in problem_rows if row.startswith(f"{kind:<9} {rel}  ")]
            assert len(mine) == 1, (case.name, rel)
    assert all(bad_chars(row) == [] for row in problem_rows)

    # Search box and palette show what was typed and what files hold, literally.
    assert "search: [@click=app.quit]x" in searches[1]
    assert "Topic  [b]Politics[/b]" in "\n".join(palette_b)
    assert "[@click=app.quit]Q[/]" in "\n".join(palette_click)

    print(
        f"\nvisited {len(tour.visited)} stories and {tour.related_pressed} related stories, "
        f"{len(topics)} topics, {len(problem_rows)} problems; launched {len(opened)} links, "
        f"refused {len(refused)}; checked {seen.screens} screens"
    )


def _path_of(built: list[Case], name: str) -> str:
    case = next(c for c in built if c.name == name)
    return str(case.path)


# --- clicking on text from files ------------------------------------------------


#: Markup with a click action or a link, as it shows when taken literally.
ACTION_MARKUP = re.compile(r"\[(?:@click|link)=[^\]]*\][^\[]*(?:\[/[^\]]*\])?")


async def click_on_markup(pilot: Pilot[Any], seen: Seen, where: str) -> int:
    """Click the start, middle and end of every piece of action markup on screen.

    Were the markup interpreted, these cells would carry the action (and
    `check_screen` would find `@click` metadata); taken literally, they are text.
    Returns how many pieces were clicked.
    """
    found = 0
    for y, line in enumerate(check_screen(pilot.app, seen, where)):
        for match in ACTION_MARKUP.finditer(line):
            start, end = cell_len(line[: match.start()]), cell_len(line[: match.end()])
            for x in sorted({start, (start + end) // 2, end - 1}):
                await pilot.click(offset=(x, y))
                alive(pilot.app)
            found += 1
    return found


async def test_clicking_text_from_files_runs_no_action(tmp_path: Path) -> None:
    with corpus_in(tmp_path) as (folder, built):
        markup = [c for c in built if c.category == "markup"]
        app = RecordingApp(str(folder))
        seen = Seen()
        async with app.run_test(size=SIZE) as pilot:
            main = await wait_loaded(pilot)
            for case in markup:
                main.select_topic(ALL)  # a click on a sidebar row may have chosen a topic
                paths = [a.path for a in main.model.listing.stories]
                main.apply(main.model.move(paths.index(str(case.path))))
                await pilot.pause()
                shown = main.model.detail.article
                assert shown is not None and shown.path == str(case.path)
                found = await click_on_markup(pilot, seen, case.name)
                assert isinstance(app.screen, MainScreen)
                if case.name != "markup_filename":  # its name is not shown
                    assert found > 0, case.name
            # Every sidebar entry, clicked (their names are markup too).
            topics = main.query_one(TopicList)
            for y in range(topics.count):
                await pilot.click(TopicList, offset=(6, y))
                alive(app)
            alive(app)
            assert isinstance(app.screen, MainScreen)
            assert app.opened == []  # single clicks select; they open nothing
        assert seen.problems == [] and seen.clicks == set()


class _Canary(App[None]):
    """Markup interpreted on purpose, and a raw escape: what the checks must catch."""

    def compose(self) -> ComposeResult:
        yield Static("[@click=app.quit]quit quit quit[/]", markup=True)
        yield Static(Text("[@click=app.quit]literal[/]"))
        yield Static(Text("\x1b[2J\u202eraw"))


async def test_the_checks_catch_what_they_look_for() -> None:
    app = _Canary()
    async with app.run_test(size=(40, 4)) as pilot:
        seen = Seen()
        check_screen(app, seen, "canary")
        assert any("\\x1b" in p and "\\u202e" in p for p in seen.problems), seen.problems
        assert any("app.quit" in c for c in seen.clicks)
        assert await click_on_markup(pilot, Seen(), "canary") == 1  # the literal line
        alive(app)
        await pilot.click(offset=(2, 0))  # the markup that was interpreted
        await pilot.pause()
        with pytest.raises(AssertionError):
            alive(app)
    assert not app.is_running
