"""The brief: the period's top stories and storylines, ranked by heat gained, as
Markdown and JSON (pure: stories, storylines and an in-memory history)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import pytest

from reader.brief import (
    NEEDS_HISTORY,
    BriefItem,
    brief,
    markdown_text,
    render_json,
    render_markdown,
)
from reader.model.article import Article
from reader.model.heatlog import HeatLog
from reader.model.index import Index
from reader.model.rising import Point
from reader.model.storylines import Storylines

#: 2026-12-02 09:00 UTC.
NOW = 1_796_202_000.0
HOUR = 3600.0
DAY = 24 * HOUR
START = NOW - DAY
NONE = Storylines.none()


def story(
    name: str,
    heat: int | None = 100,
    *,
    at: float | None = NOW - 2 * HOUR,
    provider: str = "Wire",
    title: str | None = None,
    url: str | None = None,
    **fields: object,
) -> Article:
    """A story of file /f/NAME.md, linked as https://n.example/NAME, published `at`."""
    return Article(
        path=f"/f/{name}.md",
        title=title if title is not None else name,
        web_url=f"https://n.example/{name}" if url is None else url,
        heat=heat,
        published_ts=at,
        provider_name=provider,
        **fields,  # type: ignore[arg-type]
    )


def history(*runs: tuple[float, Mapping[Article, int]]) -> HeatLog:
    """A history of these readings: at each time, the heat seen of each story."""
    log = HeatLog.in_memory()
    for at, heats in runs:
        log.record([(a.mark_key, heat, None) for a, heat in heats.items()], at=at)
    return log


def now_heats(*stories: Article) -> dict[Article, int]:
    return {a: a.heat for a in stories if a.heat is not None}


def titles(items: list[BriefItem]) -> list[str]:
    return [item.title for item in items]


def markdown(items: list[BriefItem], log: HeatLog | None, **options: object) -> str:
    since = options.pop("since", DAY)
    return render_markdown(items, since=since, now=NOW, history=log, **options)  # type: ignore[arg-type]


# --- the period -------------------------------------------------------------------


def test_the_period_holds_stories_published_or_moved_in_it() -> None:
    fresh = story("fresh", 100, at=NOW - 2 * HOUR)
    moved = story("moved", 500, at=NOW - 5 * DAY)
    still = story("still", 900, at=NOW - 5 * DAY)
    moved_before = story("moved-before", 150, at=NOW - 5 * DAY)
    future = story("future", 100, at=NOW + HOUR)
    undated = story("undated", 100, at=None)
    edge = story("edge", 100, at=START)  # the period starts after it
    log = history(
        (NOW - 3 * DAY, {moved: 300, still: 900, moved_before: 100}),
        (NOW - 2 * DAY, {moved_before: 150}),
        (NOW - HOUR, now_heats(fresh, moved, still, moved_before, future, undated, edge)),
    )
    index = Index([fresh, moved, still, moved_before, future, undated, edge])
    items = brief(index, NONE, log, since=DAY, now=NOW)
    assert titles(items) == ["moved", "fresh"]
    # A longer period reaches further back.
    longer = brief(index, NONE, log, since=2.5 * DAY, now=NOW)
    # A story published in the period gained all its heat in it (fresh, edge: 100).
    assert titles(longer) == ["moved", "fresh", "edge", "moved-before"]


# --- storylines -------------------------------------------------------------------


def storm() -> tuple[list[Article], Storylines]:
    """A storyline of five stories (one before the period) and a story alone."""
    before = story("before", 950, at=NOW - 3 * DAY, provider="Reuters", title="Storm nears")
    a = story("a", 300, at=NOW - 5 * HOUR, provider="BBC", title="Storm hits coast")
    b = story("b", 850, at=NOW - 4 * HOUR, provider="CNN", title="Storm batters the coast")
    c = story("c", 400, at=NOW - 3 * HOUR, provider="BBC", title="Storm: the damage")
    d = story("d", 200, at=NOW - 2 * HOUR, provider="AP", title="Coast counts storm cost")
    alone = story("alone", 500, at=NOW - HOUR, provider="Wire", title="Markets calm")
    lines = Storylines([[before, a, b, c, d]], {})
    return [before, a, b, c, d, alone], lines


def test_a_storyline_is_one_item_with_every_provider_in_the_order_they_reported() -> None:
    stories = storm()[0]
    before, a, b, c, d, alone = stories
    _, lines = storm()
    index = Index(stories)
    items = brief(index, lines, None, since=DAY, now=NOW)
    assert titles(items) == ["Storm batters the coast", "Markets calm"]
    event = items[0]
    assert event.stories == (a, b, c, d)  # in the order they reported; not `before`
    assert event.lead is b and event.link == "https://n.example/b" and event.heat == 850
    assert event.providers == ("BBC", "CNN", "AP") and event.sources == 3
    assert event.published == a.published_ts
    assert event.storyline == lines.ident(a) == lines.ident(before)
    assert items[1].stories == (alone,) and items[1].providers == ("Wire",)
    assert items[1].storyline != event.storyline
    # Without the storyline, each story is an item of its own.
    assert len(brief(index, NONE, None, since=DAY, now=NOW)) == 5


# --- ranking ----------------------------------------------------------------------


def test_items_rank_by_heat_gained_then_by_heat() -> None:
    old = NOW - 5 * DAY
    hot = story("hot", 900, at=NOW - HOUR)
    riser = story("riser", 300, at=old)
    small = story("small", 800, at=old)
    faller = story("faller", 700, at=old)
    calm = story("calm", 100, at=NOW - HOUR)
    slow = story("slow", 250, at=old, title="Line: slow")
    fast = story("fast", 260, at=old, title="Line: fast")
    lines = Storylines([[slow, fast]], {})
    log = history(
        (NOW - 2 * DAY, {riser: 100, small: 750, faller: 800, slow: 220, fast: 10}),
        (NOW - HOUR, now_heats(hot, riser, small, faller, calm, slow, fast)),
    )
    index = Index([hot, riser, small, faller, calm, slow, fast])
    items = brief(index, lines, log, since=DAY, now=NOW)
    # The storyline gains what its most risen story gained, and shows its hottest;
    # a story published in the period ranks by all its heat (hot: 900, calm: 100).
    assert titles(items) == ["hot", "Line: fast", "riser", "calm", "small", "faller"]
    assert [item.gain for item in items] == [0, 250, 200, 0, 50, -100]
    assert [item.movement for item in items] == ["new", "+250", "+200", "new", "+50", "-100"]
    md = markdown(items, log)
    assert "riser](https://n.example/riser) — Wire · heat 300 ▲200" in md
    assert "faller](https://n.example/faller) — Wire · heat 700 ▼100" in md


def test_a_limit_keeps_the_best_items() -> None:
    stories = [story(f"s{n}", n * 10, at=NOW - HOUR) for n in range(1, 30)]
    index = Index(stories)
    assert titles(brief(index, NONE, None, since=DAY, now=NOW, limit=3)) == ["s29", "s28", "s27"]
    assert len(brief(index, NONE, None, since=DAY, now=NOW)) == 20
    assert len(brief(index, NONE, None, since=DAY, now=NOW, limit=None)) == 29
    assert brief(index, NONE, None, since=DAY, now=NOW, limit=0) == []


# --- "new" ------------------------------------------------------------------------


def test_new_is_said_of_stories_first_seen_in_the_period() -> None:
    seen = story("seen", 100, at=NOW - 9 * DAY)  # the history began before the period
    brand = story("brand", 400, at=NOW - 3 * HOUR)
    unrecorded = story("unrecorded", 300, at=NOW - 30 * 60)  # after the last reading
    late = story("late", 150, at=NOW - 5 * DAY)  # an old file, first seen today
    early = story("early", 200, at=NOW - 20 * HOUR)  # seen before its date
    first = story("first", 120, at=NOW - 2 * DAY, title="Line: first")
    then = story("then", 110, at=NOW - 2 * HOUR, title="Line: then")
    lines = Storylines([[first, then]], {})
    log = history(
        (NOW - 2 * DAY, {seen: 100, early: 200, first: 120}),
        (NOW - 3 * HOUR, {late: 100}),
        (NOW - HOUR, now_heats(seen, brand, late, early, first, then)),
    )
    index = Index([seen, brand, unrecorded, late, early, first, then])
    items = {item.title: item for item in brief(index, lines, log, since=DAY, now=NOW)}
    assert sorted(items) == ["Line: then", "brand", "early", "late", "unrecorded"]
    assert {title for title, item in items.items() if item.new} == {"brand", "unrecorded"}
    # A storyline is new only when all of it is: its first story came before the period.
    line = items["Line: then"]
    assert line.stories == (then,) and not line.new and line.gain == 0
    assert items["late"].gain == 50 and items["unrecorded"].gain is None
    md = markdown(list(items.values()), log)
    assert "brand](https://n.example/brand) — Wire · heat 400 (new)" in md
    assert "late](https://n.example/late) — Wire · heat 150 ▲50" in md
    assert "early](https://n.example/early) — Wire · heat 200 ·" in md  # did not move


# --- no history -------------------------------------------------------------------


def test_without_history_items_rank_by_heat_and_the_brief_says_why() -> None:
    old = story("old", 100, at=NOW - 5 * DAY)
    cool = story("cool", 200, at=NOW - HOUR)
    hot = story("hot", 800, at=NOW - 2 * HOUR)
    index = Index([old, cool, hot])
    one_reading = history((NOW - HOUR, now_heats(old, cool, hot)))
    for log in (None, HeatLog.in_memory(), one_reading):
        items = brief(index, NONE, log, since=DAY, now=NOW)
        assert titles(items) == ["hot", "cool"]
        assert all(item.gain is None and not item.new for item in items)
        md = markdown(items, log)
        assert NEEDS_HISTORY in md
        assert "▲" not in md and "(new)" not in md and "heat 800 ·" in md
    two_readings = history((NOW - 2 * DAY, {old: 50}), (NOW - HOUR, now_heats(old, cool, hot)))
    items = brief(index, NONE, two_readings, since=DAY, now=NOW)
    assert titles(items) == ["hot", "cool", "old"]  # old gained 50; the others came today
    assert items[2].movement == "+50"
    assert NEEDS_HISTORY not in markdown(items, two_readings)


# --- Markdown ---------------------------------------------------------------------


def test_the_markdown_names_the_period_and_gives_one_line_an_item(utc: None) -> None:
    names = ["BBC", "CNN", "AP", "Reuters", "DW"]
    event = [
        story(f"e{n}", 850 - n, at=NOW - (5 - n) * HOUR, provider=name, title=f"Storm {n}")
        for n, name in enumerate(names)
    ]
    plain = story("plain", 50, at=NOW - HOUR, url="", title="No link here")
    log = history(
        (NOW - 2 * DAY, {event[0]: 730}),
        (NOW - 2 * HOUR, now_heats(*event)),
    )
    items = brief(Index([*event, plain]), Storylines([event], {}), log, since=DAY, now=NOW)
    assert markdown(items, log, folders=["/news", "/more news"]) == (
        "# Brief: 24h to 2026-12-02 09:00\n"
        "\n"
        "Folders: /news, /more news\n"
        "\n"
        "1. [Storm 0](https://n.example/e0) — BBC, CNN, AP (+2) · heat 850 ▲120 · 2 Dec 04:00\n"
        "2. No link here — Wire · heat 50 (new) · 2 Dec 08:00\n"
    )


def test_an_empty_period_says_so(utc: None) -> None:
    index = Index([story("old", 100, at=NOW - 5 * DAY)])
    log = history((NOW - 2 * DAY, {}), (NOW - HOUR, {}))
    assert brief(index, NONE, log, since=DAY, now=NOW) == []
    assert markdown([], log) == (
        "# Brief: 24h to 2026-12-02 09:00\n\nNo stories in the last 24h.\n"
    )
    assert "No stories in the last 90m.\n" in markdown([], log, since=90 * 60)
    assert "No stories in the last 3d.\n" in markdown([], None, since=3 * DAY)


HOSTILE = {
    "link": "[x](javascript:alert(1)) <script>alert(1)</script>",
    "heading": "# heading",
    "code": "`rm -rf` **bold** _em_ ~~gone~~ a|b $x$ &amp; ![i](https://evil.example/i.png)",
    "undo": "\\[y](javascript:alert(2))",
    "terminal": "Red \x1b[31mALERT\x1b[0m \u202egnp.exe\u202c \x9b2J",
}


def hostile_brief() -> tuple[list[BriefItem], str]:
    stories = [
        story(name, 100 + n, title=title, provider="<img src=x onerror=alert(1)> | **P**")
        for n, (name, title) in enumerate(HOSTILE.items())
    ]
    items = brief(Index(stories), NONE, None, since=DAY, now=NOW)
    return items, markdown(items, None, folders=["/f/<b>\x1b[2J"])


def test_hostile_titles_cannot_make_links_html_or_headings() -> None:
    md_it = pytest.importorskip("markdown_it")
    _, md = hostile_brief()
    html = md_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert html.count("<h1>") == 1  # the brief's own heading, nothing else
    for tag in ("<strong>", "<em>", "<code>", "<s>", "<del>", "<table>"):
        assert tag not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert sorted(hrefs) == sorted(f"https://n.example/{name}" for name in HOSTILE)
    assert "javascript:" not in "".join(hrefs)
    # The text shows as written, for all that.
    assert "[x](javascript:alert(1)) &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "# heading</a>" in html and "\\[y](javascript:alert(2))</a>" in html
    assert "`rm -rf` **bold** _em_ ~~gone~~ a|b $x$ &amp;amp; ![i](https" in html


def test_no_terminal_escape_reaches_the_output() -> None:
    items, md = hostile_brief()
    for text in (md, render_json(items)):
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
    assert "Red \\[31mALERT\\[0m gnp.exe 2J" in md  # the escapes' ESC, CSI and bidi gone
    assert "/f/\\<b\\>\\\\x1b\\[2J" in md  # the folder's escape shown, not run


def test_markdown_text_escapes_what_markdown_reads() -> None:
    assert markdown_text("Plain: U.S. (AP) - 3 + 4 = 7!") == "Plain: U.S. (AP) - 3 + 4 = 7!"
    assert markdown_text("[a](b) <c> #d `e` *f* _g_ |h| ~i~ &j; $k$ \\") == (
        "\\[a\\](b) \\<c\\> \\#d \\`e\\` \\*f\\* \\_g\\_ \\|h\\| \\~i\\~ \\&j; \\$k\\$ \\\\"
    )
    assert markdown_text("one\x1b[1m\nline\u202e") == "one\\[1m line"  # cleaned first


def test_links_are_the_first_safe_one_and_keep_their_parentheses() -> None:
    unsafe = story("unsafe", 300, url="javascript:alert(1)")
    fallback = story(
        "fallback", 200, url="javascript:alert(2)", original_url="https://n.example/orig"
    )
    parens = story("parens", 100, url="https://n.example/a_(b)/c)")
    items = brief(Index([unsafe, fallback, parens]), NONE, None, since=DAY, now=NOW)
    assert [item.link for item in items] == ["", "https://n.example/orig", parens.web_url]
    md = markdown(items, None)
    assert "1. unsafe — Wire" in md and "javascript" not in md
    assert "[parens](https://n.example/a_\\(b\\)/c\\))" in md
    md_it = pytest.importorskip("markdown_it")
    html = md_it.MarkdownIt("commonmark").render(md)
    assert re.findall(r'href="([^"]*)"', html) == ["https://n.example/orig", parens.web_url]
    assert json.loads(render_json(items))[0]["link"] is None


# --- JSON -------------------------------------------------------------------------


KEYS = [
    "gain",
    "heat",
    "link",
    "new",
    "providers",
    "published",
    "rank",
    "sources",
    "stories",
    "storyline",
    "title",
]


def test_json_is_an_array_of_items_with_sorted_documented_keys() -> None:
    stories, lines = storm()
    log = history(
        (NOW - 2 * DAY, {stories[0]: 950}),
        (NOW - 6 * HOUR, {stories[1]: 250}),
        (NOW - HOUR, now_heats(*stories)),
    )
    items = brief(Index(stories), lines, log, since=DAY, now=NOW)
    text = render_json(items)
    entries = json.loads(text)
    assert isinstance(entries, list) and len(entries) == 2
    assert all(list(entry) == KEYS for entry in entries)  # sorted as written
    assert entries[0] == {
        "gain": 50,
        "heat": 850,
        "link": "https://n.example/b",
        "new": False,
        "providers": ["BBC", "CNN", "AP"],
        "published": "2026-12-02T04:00:00Z",
        "rank": 1,
        "sources": 3,
        "stories": 4,
        "storyline": lines.ident(stories[1]),
        "title": "Storm batters the coast",
    }
    assert entries[1]["new"] is True and entries[1]["rank"] == 2
    assert render_json([]) == "[]\n"


def test_json_keeps_text_as_written_unless_the_output_cannot_show_it() -> None:
    zurich = story("zurich", title="Zürich 東京 ✓", provider="Tages-Anzeiger")
    items = brief(Index([zurich]), NONE, None, since=DAY, now=NOW)
    assert '"title": "Zürich 東京 ✓"' in render_json(items)
    assert '"title": "Z\\u00fcrich \\u6771\\u4eac \\u2713"' in render_json(items, encoding="ascii")
    assert json.loads(render_json(items, encoding="latin-1"))[0]["title"] == "Zürich 東京 ✓"


# --- cost -------------------------------------------------------------------------


class CountingLog(HeatLog):
    """A history that counts the series read."""

    series_read = 0

    def series(self, key: str) -> list[Point]:
        type(self).series_read += 1
        return super().series(key)


def test_only_the_stories_shown_read_their_series() -> None:
    stories = [story(f"s{n}", n, at=NOW - 3 * DAY) for n in range(2000)]
    log = CountingLog.in_memory()
    log.record([(a.mark_key, a.heat, None) for a in stories[::2]], at=NOW - 2 * DAY)
    log.record([(a.mark_key, (a.heat or 0) + 1, None) for a in stories], at=NOW - HOUR)
    CountingLog.series_read = 0
    items = brief(Index(stories), NONE, log, since=DAY, now=NOW, limit=5)
    assert len(items) == 5 and all(item.gain == 1 for item in items)
    assert CountingLog.series_read == 5
