"""Site folders hold more than news: pages and API templates are skipped, with why."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reader.model.article import Article, Problem
from reader.model.discovery import API_REASON, discover
from reader.model.loader import load_folder
from reader.model.normalize import to_story
from reader.model.parse import INDEX_FIELDS, read_front_matter
from reader.model.parsing import parse_file
from tests.hostile.corpus import CASES, bad_chars, check_expect, story_fields

from .helpers import write_story

PAGE = "not a story: no link and no date (a page of the site?)"
LINK = "https://news.example/a"


@pytest.mark.parametrize(
    "meta",
    [
        {"title": "A course collection", "type": "collection", "heat": 60},
        {"title": "Only a title"},
        {"title": "Null link", "webUrl": None, "publishedDateTime": None},
        {"title": "Empty link", "webUrl": "", "originalUrl": ""},
    ],
)
def test_a_page_without_link_or_date_is_skipped(tmp_path: Path, meta: dict[str, Any]) -> None:
    path = write_story(tmp_path, "page.md", **meta)
    assert parse_file(str(path)) == Problem(str(path), PAGE)


@pytest.mark.parametrize(
    "meta",
    [
        {"title": "Link, no date", "webUrl": LINK},
        {"title": "Date, no link", "publishedDateTime": "2024-03-01T10:00:00Z"},
        {"title": "Original link only", "originalUrl": LINK},
        {"title": "AMP link only", "ampWebUrl": LINK},
        {"webUrl": LINK},  # no title: shown by its link
        # Judged on what is written: an unusable link or date still makes a story.
        {"title": "Unsafe link", "webUrl": "https://news.example/\x1b[2J"},
        {"title": "Impossible date", "publishedDateTime": "2021-02-30T10:00:00Z"},
        {"title": "Wrong type", "webUrl": 5},
    ],
)
def test_a_story_needs_a_link_or_a_date_not_both(tmp_path: Path, meta: dict[str, Any]) -> None:
    path = write_story(tmp_path, "story.md", **meta)
    assert isinstance(parse_file(str(path)), Article)


def test_no_title_and_no_link_keeps_its_reason(tmp_path: Path) -> None:
    path = write_story(tmp_path, "x.md", excerpt="only an excerpt", publishedDateTime="2024-01-01")
    assert parse_file(str(path)) == Problem(str(path), "no title and no link")


def test_files_under_an_api_folder_are_skipped_as_templates(tmp_path: Path) -> None:
    site = tmp_path / "api"  # the folder read may itself be called api
    write_story(site, "_posts/news.md", title="News", webUrl=LINK)
    write_story(site, "api/news/index.json", title="News", webUrl=LINK)
    write_story(site, "api/index.md", title="Index", webUrl=LINK)
    write_story(site, "deeper/api/x/page.md", title="Deep", webUrl=LINK)
    write_story(site, "apis/kept.md", title="Kept", webUrl=f"{LINK}/kept")
    (site / "api" / "plain.json").write_text('{"value": []}')  # not front matter: not listed
    entries, problems = discover(str(site))
    assert [os.path.relpath(e.path, site) for e in entries] == ["_posts/news.md", "apis/kept.md"]
    assert sorted((os.path.relpath(p.path, site), p.reason, p.kind) for p in problems) == [
        ("api/index.md", API_REASON, "skipped"),
        ("api/news/index.json", API_REASON, "skipped"),
        ("deeper/api/x/page.md", API_REASON, "skipped"),
    ]
    result = load_folder(str(site), use_cache=False, workers=1)
    assert sorted(a.title for a in result.articles) == ["Kept", "News"]
    assert len(result.problems) == 3


def test_the_bundled_samples_are_all_stories() -> None:
    samples = Path(__file__).resolve().parents[2] / "sample_content"
    result = load_folder(str(samples), use_cache=False, workers=1)
    assert [p for p in result.problems if p.kind != "hidden"] == []  # drafts are hidden
    files = [p for p in samples.rglob("*") if p.is_file()]  # every one of them a story
    assert len(result.articles) + len(result.problems) == len(files)
    assert len(result.articles) > 200


PAGES = [name for name, case in CASES.items() if case.reason == "not a story"]


@pytest.mark.parametrize("name", PAGES)
def test_hostile_pages_are_still_read_cleanly(name: str, tmp_path: Path) -> None:
    """The corpus cases that are pages (a title, no link, no date) are skipped,
    but what they hold must still be read as a story's fields would be."""
    case = CASES[name]
    path = str(case.build(tmp_path))
    assert parse_file(path) == Problem(path, PAGE)
    story = to_story(read_front_matter(path), path)
    assert story.article == to_story(read_front_matter(path, INDEX_FIELDS), path).article
    assert check_expect(case, story_fields(story.article, story)) == []
    assert bad_chars(story.article.title) == []


def test_the_corpus_has_pages() -> None:
    assert len(PAGES) >= 10
