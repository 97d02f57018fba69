"""Unit tests: mute searches set stories aside, matched by name or by text."""

from __future__ import annotations

from reader.model.article import Article
from reader.model.muting import Muter
from reader.model.search import Searcher


def story(n: int, provider: str, kind: str = "article", title: str = "", topics=()) -> Article:
    return Article(
        path=f"/x/{n}.md",
        title=title or f"Story {n}",
        provider_name=provider,
        type=kind,
        topics=tuple(topics),
        heat=n,
    )


STORIES = [
    story(0, "Fox News"),
    story(1, "BBC", "course"),
    story(2, "BBC", title="Football results"),
    story(3, "Foxtrot Daily", topics=["Sport"]),
    story(4, "Reuters", topics=["Politics"]),
]


def paths(articles: list[Article]) -> list[int]:
    return [int(a.path[3:-3]) for a in articles]


def test_no_mutes_keep_everything() -> None:
    kept, muted = Muter().split(STORIES)
    assert kept == STORIES and muted == []
    assert not Muter()


def test_a_name_mute_matches_as_search_does_and_keeps_the_order() -> None:
    kept, muted = Muter(["provider:fox", "type:course"]).split(STORIES)
    assert paths(muted) == [0, 1, 3] and paths(kept) == [2, 4]


def test_every_term_of_one_mute_must_match() -> None:
    _, muted = Muter(["provider:bbc -type:course"]).split(STORIES)
    assert paths(muted) == [2]


def test_a_mute_with_words_goes_through_the_searcher() -> None:
    _, muted = Muter(["football", "topic:politics"]).split(STORIES, Searcher())
    assert paths(muted) == [2, 4]


def test_name_mutes_agree_with_the_searcher_on_every_story() -> None:
    queries = ["provider:fox", "-topic:sport", "type:art", "provider:bbc -type:course"]
    for query in queries:
        expected = Searcher().filter(query, STORIES)
        assert Muter([query]).split(STORIES)[1] == expected, query


def test_marks_and_empty_queries_never_mute() -> None:
    assert not Muter(["is:read", ""])
    assert Muter(["is:read"]).split(STORIES) == (STORIES, [])
