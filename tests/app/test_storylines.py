"""Pilot tests: storylines on screen, opened with `e`, turned off with `t`, marked as one."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.app import ReaderApp
from reader.widgets.article_list import ArticleList

from .helpers import current_title, detail_text, eventually, titles, wait_loaded
from .stories import related, story, write_story

LEAD = "Dataverse for Teams generally available, Microsoft says"


@pytest.fixture
def event(tmp_path: Path) -> Path:
    """Three sources of one event, and a story alone."""
    folder = tmp_path / "event"
    stories = [
        ("ms.md", "Dataverse for Teams is now generally available", 50, "Microsoft", "10:00"),
        (
            "zd.md",
            "Microsoft announces general availability of Dataverse for Teams",
            70,
            "ZDNet",
            "12:00",
        ),
        ("vg.md", LEAD, 90, "The Verge", "14:00"),
    ]
    for name, title, heat, provider, at in stories:
        write_story(
            folder,
            name,
            **story(
                title,
                heat,
                topics=["Tech"],
                url=f"https://{name[:2]}.example/dataverse",
                provider=provider,
                published=f"2020-11-16T{at}:00Z",
            ),
        )
    write_story(
        folder,
        "volcano.md",
        **story(
            "Volcano erupts on Iceland peninsula",
            80,
            topics=["Science"],
            url="https://bbc.example/volcano",
            provider="BBC",
            related=[related("Dataverse", "https://ms.example/dataverse")],
        ),
    )
    return folder


def row_text(app: ReaderApp, row: int) -> str:
    articles = app.screen.query_one(ArticleList)
    return articles.render_row(row, 100).plain


async def grouped(app: ReaderApp, pilot: object) -> None:
    await eventually(lambda: len(app.model.loaded.storylines) == 1, what="no storylines")


async def test_a_storyline_is_one_row_that_e_opens_and_folds(event: Path) -> None:
    app = ReaderApp(str(event))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await grouped(app, pilot)
        await pilot.pause()
        assert titles(app) == [LEAD, "Volcano erupts on Iceland peninsula"]
        first = row_text(app, 0)
        assert "▸ Dataverse" in first and "+2" in first
        assert "Storyline · 3 stories from 3 sources" in detail_text(app)
        assert "title 0." in detail_text(app)
        await pilot.press("e")
        assert len(titles(app)) == 4
        assert [row_text(app, n)[7:9] for n in range(3)] == ["▾ ", "├ ", "└ "]
        assert current_title(app) == LEAD
        await pilot.press("up", "e")
        assert titles(app) == [LEAD, "Volcano erupts on Iceland peninsula"]


async def test_t_turns_storylines_off_and_m_marks_a_storyline(event: Path) -> None:
    app = ReaderApp(str(event))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await grouped(app, pilot)
        await pilot.press("m")
        assert len(app.model.marks.read_links()) == 3
        assert "•" not in row_text(app, 0)[:8]
        await pilot.press("t")
        assert len(titles(app)) == 4
        assert "▸" not in row_text(app, 0)
        await pilot.press("t")
        assert len(titles(app)) == 2
