"""The search language, term by term: what each kind of term finds."""

from __future__ import annotations

from datetime import datetime

import pytest

from reader.model.query import parse_query
from reader.model.terms import Flag, Named, Published, Words

from .searching import CORPUS, NOW, UTC, art, titles, ts

# --- words and phrases -------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lopez", ["López wins in Zürich"]),
        ("LÓPEZ zurich", ["López wins in Zürich"]),
        ("zürich", ["López wins in Zürich"]),
        ("ZURICH", ["López wins in Zürich"]),
        ("pais", ["López wins in Zürich"]),  # provider name
        ("bbc.co", ["Change of climate at the summit"]),  # provider domain
        ("politics", ["Climate change talks stall"]),  # topic text
        ("odegaard", ["Ødegaard scores"]),
        ("doesn't", ["Ødegaard scores"]),  # curly apostrophe typed as '
        ("arsenal’s", ["Ødegaard scores"]),
        ("tight race", ["López wins in Zürich"]),  # words anywhere, both needed
        ("tight zurich", ["López wins in Zürich"]),  # across title and excerpt
        ("tight nowhere", []),
        ("clim", ["Climate change talks stall", "Change of climate at the summit", "Markets"]),
    ],
)
def test_words_are_folded_substrings_that_must_all_match(query: str, expected: list[str]) -> None:
    assert titles(query, CORPUS) == expected


def test_a_phrase_must_match_as_a_whole() -> None:
    both = ["Climate change talks stall", "Change of climate at the summit", "Markets"]
    assert titles("climate change", CORPUS) == both
    assert titles('"climate change"', CORPUS) == ["Climate change talks stall", "Markets"]
    assert titles('"change climate"', CORPUS) == []
    # Spaces inside quotes are collapsed, as they are in the stories.
    assert titles('"climate    change   talks"', CORPUS) == ["Climate change talks stall"]


def test_a_phrase_never_spans_two_fields() -> None:
    story = art("Rising climate", excerpt="change is here")
    assert titles('"climate change"', [story]) == []
    assert titles("climate change", [story]) == ["Rising climate"]


def test_an_unclosed_quote_is_a_phrase_being_typed() -> None:
    q = parse_query('"climate cha')
    assert q.terms == (Words("climate cha"),)
    assert q.errors == ()
    assert titles('"climate cha', CORPUS) == ["Climate change talks stall", "Markets"]


def test_negation() -> None:
    assert titles("climate -summit", CORPUS) == ["Climate change talks stall", "Markets"]
    assert titles('-"climate change" clim', CORPUS) == ["Change of climate at the summit"]
    assert titles("-topic:politics clim", CORPUS) == [
        "Change of climate at the summit",
        "Markets",
    ]
    # A lone "-" is what the user types before the word: it is ignored.
    assert parse_query("climate -").terms == (Words("climate"),)


def test_quoted_qualifier_is_a_plain_phrase() -> None:
    q = parse_query('"topic:politics"')
    assert q.terms == (Words("topic:politics"),)


# --- qualifiers --------------------------------------------------------------


def test_topic_is_part_of_a_topic_name_case_and_accent_insensitive() -> None:
    stories = [
        art("One", topics=("Election",)),
        art("Two", topics=("Taiwan", "Climate Change")),
        art("Three", topics=("Política",)),
    ]
    assert titles("topic:elect", stories) == ["One"]
    assert titles('topic:"climate change"', stories) == ["Two"]
    assert titles("topic:climate", stories) == ["Two"]
    assert titles("topic:POLITICA", stories) == ["Three"]
    assert titles("-topic:elect", stories) == ["Two", "Three"]
    # A part of a name, as provider: is: "ai" is inside "Taiwan".
    assert titles("topic:ai", stories) == ["Two"]
    assert parse_query('topic:"Climate  Change"').terms == (Named("topics", "climate change"),)


def test_a_topic_never_matches_across_two_topics() -> None:
    story = art("One", topics=("Climate", "Change"))
    assert titles('topic:"climate change"', [story]) == []
    assert titles("topic:change", [story]) == ["One"]


def test_type_and_category() -> None:
    stories = [
        art("News", type="article", category="news"),
        art("Clip", type="Video", category="News"),
        art("Class", type="course", category="Learning"),
        art("Unknown"),
    ]
    assert titles("type:video", stories) == ["Clip"]
    assert titles("-type:course", stories) == ["News", "Clip", "Unknown"]
    assert titles("category:news", stories) == ["News", "Clip"]
    assert titles("category:news -type:video", stories) == ["News"]
    # They are not part of the story's words: "article" would match every story.
    assert titles("article", stories) == []


def test_provider_matches_name_or_domain() -> None:
    stories = [
        art("One", provider_name="BBC News", provider_domain="bbc.co.uk"),
        art("Two", provider_name="The Guardian", provider_domain="theguardian.com"),
        art("Three", provider_name="Le Monde", provider_domain="lemonde.fr"),
    ]
    assert titles("provider:bbc", stories) == ["One"]
    assert titles("provider:theguardian.com", stories) == ["Two"]
    assert titles('provider:"le monde"', stories) == ["Three"]
    assert titles("-provider:bbc", stories) == ["Two", "Three"]


DATED = [
    art("Feb", published_ts=ts(2024, 2, 29, 23, 59)),
    art("March first", published_ts=ts(2024, 3, 1)),
    art("March", published_ts=ts(2024, 3, 20)),
    art("April", published_ts=ts(2024, 4, 2)),
    art("Undated"),
    art("Last week", published_ts=NOW - 5 * 86_400),
    art("Yesterday", published_ts=NOW - 86_400),
    art("This morning", published_ts=ts(2024, 6, 15, 1)),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("after:2024-03-01 before:2024-04-01", ["March first", "March"]),
        ("after:2024-03 before:2024-04", ["March first", "March"]),
        ("before:2024-03", ["Feb"]),
        ("after:2024-4-2 before:2024-04-03", ["April"]),
        ("before:2024", []),
        ("after:2025", []),
        ("after:7d", ["Last week", "Yesterday", "This morning"]),
        ("after:2d", ["Yesterday", "This morning"]),
        ("after:2w before:3d", ["Last week"]),
        ("after:today", ["This morning"]),
        ("after:yesterday before:today", ["Yesterday"]),
        ("after:12h", ["This morning"]),
        ("after:1mo -after:4d", ["Last week"]),
        ("AFTER:2024-06", ["Last week", "Yesterday", "This morning"]),
    ],
)
def test_dates(query: str, expected: list[str]) -> None:
    assert titles(query, DATED) == expected


def test_dates_default_to_local_midnight() -> None:
    q = parse_query("after:2024-03-01")
    assert q.terms == (Published(True, datetime(2024, 3, 1).timestamp()),)


SCORED = [
    art("Cold", heat=10, quality=90),
    art("Warm", heat=50, quality=50),
    art("Hot", heat=90, quality=None),
    art("Unknown"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("heat>50", ["Hot"]),
        ("heat>=50", ["Warm", "Hot"]),
        ("heat<50", ["Cold"]),
        ("heat<=50", ["Cold", "Warm"]),
        ("heat=50", ["Warm"]),
        ("heat:50", ["Warm"]),
        ("heat:>10", ["Warm", "Hot"]),
        ("heat>9.5", ["Cold", "Warm", "Hot"]),
        ("heat>10 heat<90", ["Warm"]),
        ("quality>40", ["Cold", "Warm"]),
        ("quality<60 heat>0", ["Warm"]),
        ("-heat>20", ["Cold", "Unknown"]),  # no score counts as "not above 20"
        ("Heat>-1", ["Cold", "Warm", "Hot"]),
    ],
)
def test_scores(query: str, expected: list[str]) -> None:
    assert titles(query, SCORED) == expected


MARKED = [art("Read"), art("Saved"), art("Both"), art("Neither"), art("No link", web_url="")]
READ = {MARKED[0].link, MARKED[2].link}
SAVED = {MARKED[1].link, MARKED[2].link}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("is:read", ["Read", "Both"]),
        ("is:unread", ["Saved", "Neither", "No link"]),
        ("is:saved", ["Saved", "Both"]),
        ("is:unsaved", ["Read", "Neither", "No link"]),
        ("is:read is:saved", ["Both"]),
        ("is:unread is:unsaved", ["Neither", "No link"]),
        ("-is:read", ["Saved", "Neither", "No link"]),
        ("IS:Saved -is:unread", ["Both"]),
        ("is:read is:unread", []),
        ("is:saved neither", []),
        ("is:unread link", ["No link"]),
    ],
)
def test_read_and_saved_marks(query: str, expected: list[str]) -> None:
    assert titles(query, MARKED, read_links=READ, saved_links=SAVED) == expected


def test_everything_combines() -> None:
    stories = [
        art(
            "López on climate",
            topics=("Climate Change",),
            provider_name="BBC",
            published_ts=ts(2024, 3, 5),
            heat=70,
            quality=80,
        ),
        art("Same but read", topics=("Climate Change",), provider_name="BBC", heat=70),
        art("López elsewhere", topics=("Sport",), provider_name="BBC", heat=70),
    ]
    query = 'lopez topic:"climate change" provider:bbc after:2024-03 heat>50 quality>=80 is:unread'
    read = {stories[1].link}
    assert titles(query, stories, read_links=read) == ["López on climate"]
    q = parse_query(query, now=NOW, tz=UTC)
    assert q.errors == ()
    assert len(q.terms) == 6
    assert q.flags == (Flag("unread"),)
