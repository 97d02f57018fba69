from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.model.article import Article
from reader.model.index import ALL, Index, rank


def art(title: str, heat: int | None = None, ts: float | None = None, **kw: object) -> Article:
    return Article(path=f"/c/{title}.md", title=title, heat=heat, published_ts=ts, **kw)  # type: ignore[arg-type]


def test_ranking_by_heat_then_newer_then_title_unknown_last() -> None:
    stories = [
        art("b", 10, 100.0),
        art("a", 10, 100.0),
        art("old", 10, 50.0),
        art("undated", 10, None),
        art("cold", 1, 999.0),
        art("unknown", None, 999.0),
        art("hot", 99, None),
    ]
    assert [a.title for a in rank(stories)] == [
        "hot", "a", "b", "old", "undated", "cold", "unknown"
    ]  # fmt: skip


def test_other_orders() -> None:
    stories = [art("x", 1, 300.0, quality=5), art("y", 9, 100.0), art("z", 5, 200.0, quality=7)]
    assert [a.title for a in rank(stories, "newest")] == ["x", "z", "y"]
    assert [a.title for a in rank(stories, "quality")] == ["z", "x", "y"]


def test_oldest_first_keeps_stories_of_unknown_date_last() -> None:
    stories = [art("x", 1, 300.0), art("undated", 50, None), art("y", 9, 100.0)]
    assert [a.title for a in rank(stories, "oldest")] == ["y", "x", "undated"]
    assert [a.title for a in rank(stories, "newest")] == ["x", "y", "undated"]


def test_topics_all_first_then_count_then_name_with_case_variants_merged() -> None:
    index = Index(
        [
            art("1", topics=("Politics", "Sport")),
            art("2", topics=("politics", "Arts")),
            art("3", topics=("Politics", "arts")),
            art("4", topics=("Books",)),
        ]
    )
    assert [(t.key, t.name, t.count) for t in index.topics] == [
        (ALL, "All", 4),
        ("politics", "Politics", 3),
        ("arts", "Arts", 2),
        ("books", "Books", 1),
        ("sport", "Sport", 1),
    ]
    assert [a.title for a in index.articles("arts")] == ["2", "3"]
    assert index.topic_name("POLITICS") == "Politics"


def test_duplicates_keep_the_hotter_and_report_the_other() -> None:
    cool = art("cool", 5, web_url="https://n.example/s")
    hot = art("hot", 50, web_url="https://n.example/s")
    other = art("other", 7, web_url="https://n.example/o")
    index = Index([cool, hot, other])
    assert [a.title for a in index.articles()] == ["hot", "other"]
    assert [(p.path, p.kind) for p in index.duplicates] == [(cool.path, "duplicate")]
    assert hot.path in index.duplicates[0].reason
    # Order of arrival does not matter.
    assert [p.path for p in Index([hot, cool]).duplicates] == [cool.path]


def test_stories_without_links_are_never_duplicates() -> None:
    assert len(Index([art("a"), art("a")])) == 2


def test_lookup_by_link() -> None:
    story = art("s", 1, web_url="https://n.example/s", original_url="https://o.example/s")
    index = Index([story])
    assert index.find("https://n.example/s") is story
    assert index.find(" https://n.example/s ") is story
    assert index.find("https://o.example/s") is story
    assert index.find("https://n.example/other") is None
    assert index.find("") is None


def test_unread_counts_per_topic_from_the_read_links() -> None:
    a = Article(path="a", title="A", web_url="https://e.x/a", topics=("Election", "Tech"))
    b = Article(path="b", title="B", web_url="https://e.x/b", topics=("election",))
    c = Article(path="c", title="C", original_url="https://e.x/c")
    index = Index([a, b, c])
    assert index.unread_counts(set()) == {"": 3, "election": 2, "tech": 1}
    read = {"https://e.x/a", "https://e.x/c", "https://not.in/corpus"}
    assert index.unread_counts(read) == {"": 1, "election": 1, "tech": 0}


def test_a_story_without_a_link_is_marked_by_its_file() -> None:
    linked = Article(path="/f/a.md", title="A", original_url="https://e.x/a", topics=("T",))
    bare = Article(path="/f/b.md", title="B", topics=("T",))
    assert linked.mark_key == "https://e.x/a"
    assert bare.mark_key == "file:/f/b.md"
    index = Index([linked, bare])
    assert index.with_mark("file:/f/b.md") is bare
    assert index.with_mark("https://e.x/a") is linked
    assert index.unread_counts({"file:/f/b.md"}) == {"": 1, "t": 1}


_TOPICS = ["Election", "election", "Tech", "Sport"]
_STORIES = [
    Article(
        path=f"/f/{n}.md",
        title=f"S{n}",
        web_url=f"https://e.x/{n}" if n % 4 else "",
        topics=tuple(_TOPICS[i] for i in range(4) if (n >> i) & 1),
    )
    for n in range(16)
]
_KEYS = [a.mark_key for a in _STORIES] + ["https://not.in/corpus"]


@given(st.lists(st.sets(st.sampled_from(_KEYS)), min_size=1, max_size=8))
def test_unread_counts_from_the_last_call_equal_a_fresh_count(reads: list[set[str]]) -> None:
    index = Index(_STORIES)
    for read in reads:
        assert index.unread_counts(read) == Index(_STORIES).unread_counts(read)


def test_titled_finds_folded_titles_hottest_first() -> None:
    cool = Article(path="a", title="López wins", heat=5)
    hot = Article(path="b", title="LOPEZ again", heat=50)
    other = Article(path="c", title="Something else", heat=99)
    index = Index([cool, hot, other])
    assert list(index.titled("lopez")) == [hot, cool]
    assert list(index.titled("else")) == [other]
    assert list(index.titled("nothing")) == []


def test_rising_ranks_by_gain_and_odd_heats_never_break_it() -> None:
    from reader.model.rising import Rises

    def art(name: str, heat: int | None) -> Article:
        return Article(path=f"/c/{name}.md", title=name, web_url=f"https://x/{name}", heat=heat)

    up, flat, cold, unknown, negative = (
        art("up", 10), art("flat", 900), art("cold", 5), art("unknown", None), art("neg", -3)
    )  # fmt: skip
    rises = Rises({up.mark_key: 40, cold.mark_key: -5, unknown.mark_key: 7}, ready=True)
    index = Index([up, flat, cold, unknown, negative], rises)
    # Gainers first, then by heat the stories that did not move; those that lost go last.
    assert [a.title for a in index.articles(order="rising")] == [
        "up", "unknown", "flat", "neg", "cold"
    ]  # fmt: skip
    # Before two snapshots nothing gained: "rising" is the heat order.
    plain = Index([up, flat, cold, unknown, negative])
    assert plain.articles(order="rising") == plain.articles(order="heat")
    # Newer gains rank again without building the index again.
    later = index.with_rises(Rises({cold.mark_key: 99}, ready=True))
    assert later.articles(order="rising")[0] is cold
    assert index.articles(order="rising")[0] is up
