"""Storylines from files: kept in the index cache, regrouped only where files changed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from reader.model import loader
from reader.model.article import Article, Story
from reader.model.cache import IndexCache
from reader.model.linking import Titles, count_words
from reader.model.linkkey import link_key
from reader.model.loader import load_folder
from reader.model.parsing import load_story
from reader.model.similar import words
from reader.model.storylines import Link

REPO = Path(__file__).resolve().parent.parent


def write(
    folder: Path, name: str, title: str, *, provider: str, when: str, related: str = ""
) -> Path:
    """A story file; `related` names another file's story (by name) in its related list."""
    related_block = ""
    if related:
        related_block = (
            "related:\n"
            f"  - title: {json.dumps(related)}\n"
            f"    webUrl: https://news.example/{related}\n"
            "    provider: {name: Elsewhere}\n"
        )
    path = folder / f"{name}.md"
    path.write_text(
        "---\n"
        f"title: {json.dumps(title)}\n"
        f"publishedDateTime: {when}\n"
        f"webUrl: https://news.example/{name}\n"
        f"provider: {{name: {provider}, domain: {provider.lower()}.example}}\n"
        "topics: [Tech]\n"
        "heat: 10\n"
        f"{related_block}"
        "---\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    root.mkdir()
    write(
        root,
        "a",
        "Dataverse for Teams is now generally available",
        provider="MS",
        when="2020-11-16T10:00:00Z",
    )
    write(
        root,
        "b",
        "Microsoft announces general availability of Dataverse for Teams",
        provider="ZDNet",
        when="2020-11-17T09:00:00Z",
    )
    write(
        root,
        "c",
        "Harris heads to Guatemala on first trip abroad",
        provider="CNN",
        when="2021-06-06T14:25:29Z",
        related="d",
    )
    write(
        root,
        "d",
        "Vice president Harris lands in Guatemala City",
        provider="NYT",
        when="2021-06-06T18:00:00Z",
    )
    write(
        root,
        "e",
        "Volcano erupts on Iceland peninsula",
        provider="BBC",
        when="2021-06-06T12:00:00Z",
    )
    return root


@pytest.fixture
def searched(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[str] | None]:
    """The stories `find_links` was asked about, call by call (None: every story)."""
    calls: list[Sequence[str] | None] = []
    real = loader.find_links

    def spy(
        articles: Sequence[Article],
        new: Sequence[str] | None = None,
        titles: Titles | None = None,
        counts: Counter[str] | None = None,
    ) -> list[Link]:
        calls.append(None if new is None else sorted(Path(p).name for p in new))
        return real(articles, new, titles, counts)

    monkeypatch.setattr(loader, "find_links", spy)
    return calls


def names(result: loader.LoadResult) -> list[list[str]]:
    return [[Path(a.path).stem for a in g] for g in result.storylines.groups]


def test_storylines_come_from_the_files(folder: Path) -> None:
    result = load_folder(str(folder), workers=1)
    assert names(result) == [["a", "b"], ["c", "d"]]


def test_a_warm_load_groups_from_the_cache_without_comparing(
    folder: Path, searched: list[Sequence[str] | None]
) -> None:
    cold = load_folder(str(folder), workers=1)
    assert searched == [None]
    warm = load_folder(str(folder), workers=1)
    assert searched == [None]  # not asked again
    assert warm.storylines == cold.storylines


def test_a_changed_file_is_compared_alone_and_the_rest_kept(
    folder: Path, searched: list[Sequence[str] | None]
) -> None:
    load_folder(str(folder), workers=1)
    write(
        folder,
        "f",
        "Iceland volcano erupts on peninsula again",
        provider="AP",
        when="2021-06-06T15:00:00Z",
    )
    (folder / "b.md").unlink()
    result = load_folder(str(folder), workers=1)
    assert searched == [None, ["f.md"]]
    assert names(result) == [["c", "d"], ["e", "f"]]
    cold = load_folder(str(folder), use_cache=False, workers=1)
    assert cold.storylines == result.storylines  # as if read from scratch


def test_related_links_read_for_the_index_are_those_of_the_whole_file(folder: Path) -> None:
    articles = load_folder(str(folder), workers=1).articles
    (article,) = [a for a in articles if a.title.startswith("Harris")]
    story = load_story(article.path)
    assert isinstance(story, Story) and [r.url for r in story.related] == ["https://news.example/d"]
    assert article.related_keys == link_key(story.related[0].url)


def test_odd_related_entries_are_left_out_without_losing_the_story(tmp_path: Path) -> None:
    (tmp_path / "odd.md").write_text(
        "---\n"
        "title: Odd related entries\n"
        "webUrl: https://news.example/odd\n"
        "publishedDateTime: 2021-06-06T14:25:29Z\n"
        "related:\n"
        "  - webUrl: [not, a, link]\n"
        "  - webUrl: null\n"
        "  - ampWebUrl: https://news.example/amp\n"
        "  - just a string\n"
        "  - webUrl: !!binary aGVsbG8=\n"
        "---\n",
        encoding="utf-8",
    )
    (article,) = load_folder(str(tmp_path), use_cache=False, workers=1).articles
    assert article.related_count == 4
    assert len(article.related_keys.split()) == 1  # the AMP link only


def test_reader_list_gives_each_story_its_storyline(folder: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "reader", "list", str(folder), "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    lines = {Path(s["path"]).stem: s["storyline"] for s in json.loads(out)}
    assert lines["a"] == lines["b"] and lines["c"] == lines["d"]
    assert len({lines["a"], lines["c"], lines["e"]}) == 3
    assert all(isinstance(v, str) and v for v in lines.values())


def test_reader_list_storylines_prints_one_row_each(folder: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "reader", "list", str(folder), "--storylines", "--sort", "oldest"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout.splitlines()
    assert len(out) == 3
    assert out[0].split()[2] == "2" and "MS, ZDNet" in out[0]
    assert out[1].split()[2] == "1" and "CNN, NYT" in out[2]
    as_json = subprocess.run(
        [sys.executable, "-m", "reader", "list", str(folder), "--storylines", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    objects = json.loads(as_json)
    assert sorted(o["size"] for o in objects) == [1, 2, 2]
    pair = next(o for o in objects if o["providers"] == ["CNN", "NYT"])
    assert [s["joined_by"] for s in pair["stories"]] == [None, "related link"]


def test_a_forged_cache_with_odd_storylines_is_rebuilt_or_ignored(folder: Path) -> None:
    cold = load_folder(str(folder), workers=1)
    cache = IndexCache.for_root(str(folder))
    snapshot = cache.load()
    kinds = list(snapshot.links[2])
    snapshot.links[2][0] = "title\x1b[31m"  # text the detail pane would show
    assert cache.save(snapshot)
    assert cache.load().links == [[], [], [], []]
    assert "unknown kind" in cache.rebuilt_because
    snapshot.links[2] = kinds
    snapshot.storylines[1] = [7] * len(snapshot.storylines[1])  # numbers out of place
    assert cache.save(snapshot)
    warm = load_folder(str(folder), workers=1)  # joined again from the links
    assert names(warm) == names(cold)


def test_word_counts_kept_in_the_cache_follow_changes_as_a_fresh_count_would(
    folder: Path,
) -> None:
    load_folder(str(folder), workers=1)
    write(
        folder,
        "a",
        "Dataverse for Teams reaches general availability",
        provider="MS",
        when="2020-11-16T10:00:00Z",
    )
    (folder / "e.md").unlink()
    load_folder(str(folder), workers=1)
    kept = IndexCache.for_root(str(folder)).load().words
    articles = load_folder(str(folder), use_cache=False, workers=1).articles
    fresh = count_words(words(a.title) for a in articles)
    assert dict(zip(*kept, strict=True)) == dict(fresh)
    assert "volcan" not in fresh and fresh["availa"] == 2
