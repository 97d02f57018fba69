"""The search language: parsing, matching and the searcher's shortcuts."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model.article import Article
from reader.model.query import Query, parse_query
from reader.model.search import Searcher
from reader.model.searchtext import SearchText
from reader.model.terms import Flag, Named, Published, Score, Words

UTC = timezone.utc
NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC).timestamp()


def ts(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()  # type: ignore[misc]


def art(title: str = "A story", **fields: object) -> Article:
    fields.setdefault("path", f"/c/{title}.md")
    fields.setdefault("web_url", f"https://example.com/{title.replace(' ', '-')}")
    return Article(title=title, **fields)  # type: ignore[arg-type]


def titles(query: str, articles: list[Article], **marks: set[str]) -> list[str]:
    q = parse_query(query, now=NOW, tz=UTC)
    found = Searcher().filter(q, articles, **marks)
    # The slow single-story path must agree with the searcher.
    read, saved = marks.get("read_links", set()), marks.get("saved_links", set())
    slow = [a for a in articles if q.matches(a, is_read=a.link in read, is_saved=a.link in saved)]
    assert found == slow
    return [a.title for a in found]


# --- words and phrases -------------------------------------------------------

CORPUS = [
    art("López wins in Zürich", excerpt="A tight race.", provider_name="El País"),
    art("Climate change talks stall", topics=("Politics",)),
    art("Change of climate at the summit", provider_domain="bbc.co.uk"),
    art("Ødegaard scores", excerpt="Arsenal’s captain doesn’t miss."),
    art("Markets", excerpt="Investors weigh rising costs", topics=("Climate Change",)),
]


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


# --- malformed input ---------------------------------------------------------


LISTED = "(qualifiers: topic, provider, type, category, after, before, is, heat, quality)"


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
        ("price>5", "unknown qualifier price> (scores: heat, quality)"),
        ("price>=", "unknown qualifier price>= (scores: heat, quality)"),
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


def test_highlights_are_the_positive_words() -> None:
    q = parse_query('López "Climate change" -summit topic:x')
    assert q.highlights == ("lopez", "climate change")


# --- the searcher's shortcuts ------------------------------------------------


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
    searcher.clear()
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
        expected = [a for a in stories if q.matches(a, is_read=a.link in read)]
        assert searcher.filter(q, stories, read_links=read) == expected, text
