"""Several folders read as one: batches add up, each folder's cache replaces only its stories."""

from __future__ import annotations

from pathlib import Path

from reader.model.folders import folder_of, iter_load_folders, load_folders
from tests.app.stories import story, write_story


def two_folders(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "a", tmp_path / "b"
    for n in range(3):
        write_story(a, f"a{n}.md", **story(f"A {n}", 10 + n, topics=["X"], url=f"https://a.x/{n}"))
    for n in range(2):
        write_story(b, f"b{n}.md", **story(f"B {n}", 20 + n, topics=["Y"], url=f"https://b.x/{n}"))
    (b / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    return str(a), str(b)


def accumulate(batches: list) -> tuple[list[str], int]:  # type: ignore[type-arg]
    """The titles an index would hold after these batches, as the loading worker adds them."""
    titles: list[str] = []
    problems = 0
    for batch in batches:
        if batch.replaces:
            titles, problems = [], 0
        titles += [a.title for a in batch.articles]
        problems += len(batch.problems)
    return sorted(titles), problems


def test_load_folders_gives_every_folders_stories_and_problems(tmp_path: Path) -> None:
    a, b = two_folders(tmp_path)
    result = load_folders([a, b], use_cache=False)
    assert sorted(x.title for x in result.articles) == ["A 0", "A 1", "A 2", "B 0", "B 1"]
    assert [Path(p.path).name for p in result.problems] == ["broken.md"]


def test_batches_add_up_and_say_how_many_folders_are_left(tmp_path: Path) -> None:
    a, b = two_folders(tmp_path)
    batches = list(iter_load_folders([a, b], use_cache=False))
    assert accumulate(batches) == (["A 0", "A 1", "A 2", "B 0", "B 1"], 1)
    last = batches[-1]
    assert last.done == last.total == 6 and last.folders_left == 0
    first_folder = [x for x in batches if x.folders_left == 1]
    assert first_folder and all(x.total == 3 for x in first_folder)
    assert all(x.done <= x.total for x in batches)


def test_a_warm_start_replaces_only_the_folder_it_came_from(tmp_path: Path) -> None:
    a, b = two_folders(tmp_path)
    load_folders([a, b])  # fill both caches
    write_story(Path(b), "b9.md", **story("B 9", 1, topics=["Y"], url="https://b.x/9"))
    batches = list(iter_load_folders([a, b], provisional=True))
    assert any(x.provisional for x in batches) and any(x.replaces for x in batches)
    titles, problems = accumulate(batches)
    assert titles == ["A 0", "A 1", "A 2", "B 0", "B 1", "B 9"] and problems == 1


def test_a_story_knows_its_folder_the_deepest_one() -> None:
    roots = ["/n/a", "/n/a/deep", "/n/ab"]
    assert folder_of("/n/a/x.md", roots) == "/n/a"
    assert folder_of("/n/a/deep/x.md", roots) == "/n/a/deep"
    assert folder_of("/n/ab/x.md", roots) == "/n/ab"
    assert folder_of("/n/abc/x.md", roots) is None
