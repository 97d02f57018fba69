"""The search language as typed: what is understood, and what is explained."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model.query import parse_query
from reader.model.search import Searcher
from reader.model.terms import Score, Words

from .searching import CORPUS, NOW, art, titles

LISTED = (
    "(qualifiers: topic, provider, type, category, after, before, is, heat, quality, rising, text)"
)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("after:", "after: expects a date (2024-03-01, 2024-03, today) or an age (7d)"),
        ("after:nonsense", "after: expects a date (2024-03-01, 2024-03, today) or an age (7d)"),
        ("before:2024-02-30", "before: 2024-02-30 is not a real date"),
        ("before:2024-13", "before: 2024-13 is not a real date"),
        ("after:0000-01-01", "after: 0000-01-01 is not a real date"),
        ("heat>", "heat> expects a number, like heat>50"),
        ("heat>abc", "heat> expects a number, like heat>50"),
        ("quality<=x", "quality<= expects a number, like quality>50"),
        ("Heat:", "Heat: expects a number, like heat>50"),
        ("is:", "is: expects read, unread, saved or unsaved"),
        ("is:starred", "is: expects read, unread, saved or unsaved"),
        ("is:save", "is: expects read, unread, saved or unsaved (did you mean is:saved?)"),
        ("topic:", 'topic: expects a name, like topic:science or topic:"climate change"'),
        ('topic:""', 'topic: expects a name, like topic:science or topic:"climate change"'),
        ("provider:", "provider: expects a name, like provider:bbc or provider:bbc.co.uk"),
        ("type:", "type: expects a name, like type:video or -type:course"),
        ("category:", "category: expects a name, like category:news"),
        ("foo:bar", f"unknown qualifier foo: {LISTED}"),
        ("re:launch", f"unknown qualifier re: {LISTED}"),
        ('foo:"a b"', f"unknown qualifier foo: {LISTED}"),
        ("-foo:bar", f"unknown qualifier foo: {LISTED}"),
        ("topics:science", "unknown qualifier topics: (did you mean topic:?)"),
        ("Provder:bbc", "unknown qualifier Provder: (did you mean provider:?)"),
        ("cat:news", "unknown qualifier cat: (did you mean category:?)"),  # the start of one
        ("typ:video", "unknown qualifier typ: (did you mean type:?)"),
        ("qualty>5", "unknown qualifier qualty> (did you mean quality>?)"),
        ("price>5", "unknown qualifier price> (scores: heat, quality, rising)"),
        ("price>=", "unknown qualifier price>= (scores: heat, quality, rising)"),
        ("topic=science", "unknown qualifier topic= (did you mean topic:?)"),
        ("x" * 40 + ":y", f"unknown qualifier {'x' * 19}…: {LISTED}"),
    ],
)
def test_what_cannot_be_understood_is_explained_and_ignored(query: str, message: str) -> None:
    q = parse_query(f"climate {query} -summit", now=NOW)
    assert q.errors == (message,)
    # Short enough for one line under the search box (the list of qualifiers aside).
    assert len(message) <= 70 or message.endswith(LISTED)
    # It becomes no word to match, and the rest of the query still works.
    assert q.terms == (Words("climate"), Words("summit", negated=True))
    assert titles(f"climate {query} -summit", CORPUS) == ["Climate change talks stall", "Markets"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("heat>800", Score("heat", ">", 800)),
        ("heat > 800", Score("heat", ">", 800)),
        ("heat >800", Score("heat", ">", 800)),
        ("heat> 800", Score("heat", ">", 800)),
        ("heat >= 800", Score("heat", ">=", 800)),
        ("-heat > 800", Score("heat", ">", 800, negated=True)),
        ("QUALITY <  -5", Score("quality", "<", -5)),
        ("heat: 5", Score("heat", "=", 5)),
        ("heat:>10", Score("heat", ">", 10)),
        ("heat>.5", Score("heat", ">", 0.5)),
    ],
)
def test_a_score_may_be_written_with_spaces(query: str, expected: Score) -> None:
    q = parse_query(f"climate {query}")
    assert q.errors == ()
    assert q.terms == (Words("climate"), expected)


def test_a_score_name_alone_is_a_word() -> None:
    assert parse_query("heat wave").terms == (Words("heat"), Words("wave"))
    # Only a comparison joins it; a quoted ">" is a word of its own.
    assert parse_query('heat ">" 5').terms == (Words("heat"), Words(">"), Words("5"))
    # Only a number joins a comparison: a word after it is never swallowed.
    for text in ("heat> wave", "heat > wave"):
        assert parse_query(text).errors == ("heat> expects a number, like heat>50",)
        assert parse_query(text).terms == (Words("wave"),)


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ('"foo:bar"', "foo:bar"),  # quoted: a phrase
        ('-"re:launch"', "re:launch"),
        ("https://example.com/a", "https://example.com/a"),  # a link
        ("https:", "https:"),  # a link being typed
        ("ftp://x.org", "ftp://x.org"),  # the value starts with "/"
        ("10:30", "10:30"),  # not only letters before the colon
        ("u.s.:", "u.s.:"),
        ("v2:x", "v2:x"),
        ("e=mc2", "e=mc2"),  # compared with something other than a number
    ],
)
def test_words_with_colons_that_stay_words(query: str, needle: str) -> None:
    q = parse_query(query)
    assert q.errors == ()
    assert [t.needle for t in q.terms if isinstance(t, Words)] == [needle]


def test_several_errors_are_all_reported_in_order() -> None:
    q = parse_query("after:x heat>y is:z")
    assert [e.split(" ")[0] for e in q.errors] == ["after:", "heat>", "is:"]
    assert q.is_empty
    q = parse_query("foo:1 climate bar:2")
    assert [e.split(" ")[2] for e in q.errors] == ["foo:", "bar:"]
    assert q.terms == (Words("climate"),)


@given(st.text(alphabet='ab "-:<>=./0123456789topicheatafterisredvum\x00\n\t\u202eé', max_size=40))
@settings(max_examples=300, deadline=None)
def test_parsing_and_filtering_never_raise(text: str) -> None:
    q = parse_query(text)
    Searcher().filter(q, CORPUS, read_links={"x"})


# --- empty queries and order -------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "-", '""', "after:", "heat>"])
def test_an_empty_query_matches_everything_in_order(text: str) -> None:
    q = parse_query(text)
    assert q.is_empty
    assert Searcher().filter(q, CORPUS) == CORPUS
    assert Searcher().filter(q, CORPUS) is not CORPUS  # the caller may change its copy


def test_order_is_preserved() -> None:
    stories = [art(f"story {n}", heat=n) for n in (5, 3, 9, 1, 7)]
    assert titles("story heat>2", stories) == ["story 5", "story 3", "story 9", "story 7"]
    assert titles("story heat>2", stories[::-1]) == ["story 7", "story 9", "story 3", "story 5"]
