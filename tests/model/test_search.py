"""The searcher's shortcuts: narrowing, remembered results and prepared lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model.article import Article
from reader.model.query import Query, parse_query
from reader.model.rising import Rises
from reader.model.search import Searcher
from reader.model.searchtext import SearchText
from reader.model.terms import Named, Score

from .searching import NOW, UTC, art, matches, ts


def test_narrowing() -> None:
    def q(text: str) -> Query:
        return parse_query(text, now=NOW, tz=UTC)

    assert q("clima").narrows(q("clim"))
    assert not q("clim").narrows(q("clima"))
    assert q("clim lopez").narrows(q("clim"))
    assert q("-climate").narrows(q("-clim")) is False
    assert q("-clim").narrows(q("-climate"))
    assert q("heat>60").narrows(q("heat>50"))
    assert q("heat>=50").narrows(q("heat>50")) is False
    assert q("heat<40").narrows(q("heat<=40"))
    assert q("heat=45").narrows(q("heat<=50"))
    assert q("after:2024-05").narrows(q("after:2024-04"))
    assert not q("before:2024-05").narrows(q("before:2024-04"))
    assert q("provider:bbc.co").narrows(q("provider:bbc"))
    assert q("x is:read").narrows(q("x is:unread"))  # marks are always checked afresh
    assert isinstance(q("heat>5").terms[0], Score)
    assert q("provider:x").terms == (Named("provider", "x"),)
    assert q("topic:electi").narrows(q("topic:elect"))
    assert not q("type:elect").narrows(q("topic:elect"))


def test_marks_are_looked_up_afresh_on_every_filter() -> None:
    searcher = Searcher()
    stories = [art("One"), art("Two")]
    assert searcher.filter("is:unread", stories) == stories
    read = {stories[0].link}
    assert searcher.filter("is:unread", stories, read_links=read) == [stories[1]]
    read.add(stories[1].link)  # the same set, changed in place
    assert searcher.filter("is:unread", stories, read_links=read) == []


def test_a_new_list_is_searched_afresh() -> None:
    searcher = Searcher()
    first = [art("climate one"), art("other")]
    second = [art("climate two"), art("climate three")]
    assert searcher.filter("climate", first) == [first[0]]
    assert searcher.filter("climate", second) == second
    assert searcher.filter("climat", first) == [first[0]]
    # What was found in one list never answers for another.
    assert searcher.filter("climate two", first) == []
    assert searcher.filter("climate", second) == second


def test_a_prepared_list_costs_nothing_on_the_first_keystroke(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    searcher = Searcher()
    stories = [art("climate one"), art("other")]
    searcher.prepare(stories)

    def per_story(article: Article) -> SearchText:
        raise AssertionError("a story looked up again")

    # Neither folded again nor looked up one by one: the prepared list is used whole.
    monkeypatch.setattr(searcher, "_entry", per_story)
    assert searcher.filter("climate", stories) == [stories[0]]
    assert searcher.filter("other", stories) == [stories[1]]
    monkeypatch.undo()
    assert searcher.filter("climate", list(reversed(stories))) == [stories[0]]


WORDS = ["climate", "change", "lopez", "summit", "market", "zurich", "-", '"', " ", "heat>"]


@given(
    st.lists(st.tuples(st.sampled_from(WORDS), st.integers(min_value=0, max_value=9)), max_size=12),
    st.lists(st.integers(0, 60), max_size=8),
)
@settings(max_examples=150, deadline=None)
def test_typing_and_deleting_gives_the_same_result_as_a_fresh_search(
    steps: list[tuple[str, int]], cuts: list[int]
) -> None:
    """Whatever the searcher remembers, each keystroke's result is exact."""
    stories = [
        art(
            f"{a} {b}",
            heat=n * 10,
            topics=(b,),
            published_ts=ts(2024, 1 + n % 12, 1),
        )
        for n, (a, b) in enumerate(
            [
                ("Climate", "change"),
                ("López", "summit"),
                ("Market", "Zürich"),
                ("climate change", "market"),
                ("Summit", "lopez"),
                ("Change", "climate"),
                ("Zurich", "markets"),
            ]
        )
    ]
    read = {stories[1].link, stories[3].link}
    searcher = Searcher()
    typed = ""
    texts = []
    for word, digit in steps:
        typed += word if digit % 3 else f"{word}{digit}"
        texts.extend(typed[:i] for i in range(max(0, len(typed) - len(word) - 1), len(typed) + 1))
    for cut in cuts:  # backspacing and retyping
        texts.append(typed[: max(0, len(typed) - cut)])
    texts.extend(["is:unread " + t for t in texts[-3:]])
    for text in texts:
        q = parse_query(text, now=NOW, tz=UTC)
        expected = [a for a in stories if matches(q, a, read, set())]
        assert searcher.filter(q, stories, read_links=read) == expected, text


def test_rising_compares_what_each_story_gained() -> None:
    up, flat, down = art(title="up"), art(title="flat"), art(title="down")
    stories = [up, flat, down]
    rises = Rises({up.mark_key: 30, down.mark_key: -5}, ready=True)
    searcher = Searcher()
    found = lambda q: [a.title for a in searcher.filter(q, stories, rises=rises)]  # noqa: E731
    assert found("rising>10") == ["up"]
    assert found("rising > 10") == ["up"]
    assert found("rising<0") == ["down"]
    assert found("-rising>0") == ["flat", "down"]
    assert found("rising>=0 rising<=0") == ["flat"]
    # Gains are looked up afresh: a newer snapshot changes the result of the same query.
    later = Rises({flat.mark_key: 50}, ready=True)
    assert [a.title for a in searcher.filter("rising>10", stories, rises=later)] == ["flat"]
    assert searcher.filter("rising>10", stories) == []  # no history: nothing gained


def test_rising_is_parsed_apart_from_the_story_terms() -> None:
    query = parse_query("climate rising>=20")
    assert [t.name for t in query.rising] == ["rising"]
    assert not any(isinstance(t, Score) and t.name == "rising" for t in query.terms)
    assert query.of_the_moment and not query.is_empty and not query.errors
    assert parse_query("rising>").errors == ("rising> expects a number, like rising>50",)
    assert "did you mean rising" in parse_query("risin>5").errors[0]


def test_text_looks_in_the_full_texts_fetched() -> None:
    kept, other = art(title="kept"), art(title="other")
    texts = {kept.mark_key: "leaders agreed on a ceasefire late on tuesday"}
    searcher = Searcher()
    found = lambda q: [a.title for a in searcher.filter(q, [kept, other], texts=texts)]  # noqa: E731
    assert found("text:ceasefire") == ["kept"]
    assert found('text:"late on tuesday"') == ["kept"]
    assert found("-text:ceasefire") == ["other"]  # a story not fetched has no text
    assert found("text:ceasefire kept") == ["kept"]
    assert found("text:truce") == []
    assert searcher.filter("text:ceasefire", [kept, other]) == []  # none fetched
    assert parse_query("text:").errors == (
        'text: expects words, like text:ceasefire or text:"peace talks"',
    )
    assert parse_query("text:x").of_the_moment
