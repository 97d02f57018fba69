"""Property tests of the app: stories with any hostile text never crash it, and what
it shows is the cleaned text, literally (markup never interpreted)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.model.text import MAX_TITLE, clean_block, clean_line
from reader.screens.main import MainScreen
from reader.widgets.article_list import ArticleList
from reader.widgets.detail import RelatedList, StoryView
from tests.app.helpers import alive, detail_text, wait_loaded
from tests.app.stories import write_story

from .corpus import bad_chars
from .test_app import RecordingApp, Seen, check_screen

PIECES = [
    "[", "]", "[/]", "[b]", "[/b]", "[bold red]", "[@click=app.quit]", "[@click=app.exit]",
    "[link=file:///etc/passwd]", ":warning:", "$accent", "\\", "\x1b", "\x1b[2J", "\x1b]0;x\x07",
    "\x9b", "\x85", "\x00", "\u202e", "\u2066", "\u200f", "\ufeff", "\u2028", "\n", "\t",
    "🙂", "👩‍👩‍👧", "漢字", "ｗｉｄｅ", "e\u0301", "\u200b", " ", "  ",
]  # fmt: skip
#: Any text but lone surrogates, which YAML cannot hold.
chars = st.text(st.characters(codec="utf-8"), max_size=8)
texts = st.lists(st.one_of(st.sampled_from(PIECES), chars), max_size=8).map("".join)
long_texts = st.one_of(texts, st.tuples(texts, st.integers(20, 200)).map(lambda t: t[0] * t[1]))


@st.composite
def stories(draw: st.DrawFn, number: int) -> dict[str, Any]:
    return {
        "title": draw(long_texts),
        "excerpt": draw(long_texts),
        "webUrl": f"https://news.example/{number}",
        "heat": 100 - number,
        "provider": {"name": draw(texts), "domain": draw(texts)},
        "topics": draw(st.lists(texts, max_size=3)),
        "related": [{"title": draw(texts), "webUrl": f"https://elsewhere.example/{number}"}],
    }


story_lists = st.integers(1, 3).flatmap(
    lambda n: st.tuples(*(stories(i) for i in range(n))).map(list)
)


def write_stories(folder: Path, metas: list[dict[str, Any]]) -> None:
    for i, meta in enumerate(metas):
        write_story(folder, f"story-{i}.md", **meta)


async def visit(folder: Path, metas: list[dict[str, Any]]) -> None:
    app = RecordingApp(str(folder))
    seen = Seen()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await wait_loaded(pilot)
        articles = main.query_one(ArticleList)
        assert articles.count == len(metas)
        for i in range(articles.count):
            alive(app)
            article = main.model.listing.current
            assert article is not None
            meta = metas[int(Path(article.path).stem.rpartition("-")[2])]
            shown = detail_text(app)
            # The whole cleaned title, excerpt and provider, with every bracket kept.
            assert (clean_line(meta["title"], MAX_TITLE) or "(untitled)") in shown
            assert clean_block(meta["excerpt"]) in shown
            assert clean_line(meta["provider"]["name"]) in shown
            assert bad_chars(shown, newlines=True) == []
            row = articles.render_line(i - round(articles.scroll_offset.y)).text
            assert bad_chars(row) == []
            check_screen(app, seen, f"story {i}")
            await pilot.press("enter")
            assert isinstance(app.focused, (StoryView, RelatedList))
            related = main.query_one(RelatedList)
            assert bad_chars(related.render_line(0).text) == []
            check_screen(app, seen, f"story {i}, detail")
            await pilot.press("escape", "j")
        alive(app)
        assert isinstance(app.screen, MainScreen)
    assert seen.problems == []
    assert seen.clicks == set()
    assert [m for m, severity, _ in app.notes if severity == "error"] == []


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(metas=story_lists)
def test_any_story_text_is_shown_literally_and_cleanly(metas: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write_stories(Path(folder), metas)
        asyncio.run(visit(Path(folder), metas))
