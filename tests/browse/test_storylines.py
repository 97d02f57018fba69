"""Storylines in the browsing model: one row per event, opened in place, marked as one."""

from __future__ import annotations

from reader.browse.views import detail_view, list_view
from reader.model.article import Article
from reader.model.joining import group
from reader.model.linking import find_links

from .helpers import Session, art, loaded

DAY = 86_400.0
T0 = 1_600_000_000.0


def event() -> list[Article]:
    """Three sources of one event (hottest last to report) and two stories alone."""
    return [
        art("first", 50, title="Dataverse for Teams is now generally available", provider="MS"),
        art(
            "second",
            70,
            title="Microsoft announces general availability of Dataverse for Teams",
            provider="ZDNet",
            published=T0 + 3600,
        ),
        art(
            "third",
            90,
            title="Dataverse for Teams generally available, Microsoft says",
            provider="Verge",
            published=T0 + 7200,
            topics=("Tech",),
        ),
        art("alone", 80, title="Volcano erupts on Iceland peninsula"),
        art("other", 60, title="Central bank raises interest rates again"),
    ]


def session(articles: list[Article] | None = None) -> Session:
    stories = event() if articles is None else articles
    s = Session()
    s.do(s.model.apply_index(loaded(stories, storylines=group(stories, find_links(stories)))))
    return s


def test_a_storyline_is_one_row_ranked_by_its_hottest_story() -> None:
    s = session()
    assert s.titles() == [
        "Dataverse for Teams generally available, Microsoft says",
        "Volcano erupts on Iceland peninsula",
        "Central bank raises interest rates again",
    ]
    view = list_view(s.model)
    lead = s.model.listing.stories[0]
    assert view.groups[lead.path].others == 2
    assert view.title == "All stories · 5 stories · 3 storylines"


def test_e_opens_a_storyline_in_time_order_and_folds_it_back() -> None:
    s = session()
    s.key("toggle_expanded")
    assert [a.path for a in s.model.listing.stories][:3] == [
        "/f/first.md",
        "/f/second.md",
        "/f/third.md",
    ]
    assert s.current == "Dataverse for Teams generally available, Microsoft says"  # stays put
    s.key("move", 0)
    s.key("toggle_expanded")  # folds from any of its rows, back to the storyline's row
    assert len(s.titles()) == 3
    assert s.current == "Dataverse for Teams generally available, Microsoft says"


def test_e_on_a_story_alone_says_so() -> None:
    s = session()
    s.key("move", 1)
    s.key("toggle_expanded")
    assert s.said() == ["No other source covered this story."]
    assert len(s.titles()) == 3


def test_t_turns_storylines_off_and_on_keeping_the_story() -> None:
    s = session()
    s.key("move", 1)
    s.key("toggle_storylines")
    assert len(s.titles()) == 5
    assert s.current == "Volcano erupts on Iceland peninsula"
    assert "Storylines off" in s.said()[0]
    s.key("toggle_storylines")
    assert len(s.titles()) == 3
    assert s.current == "Volcano erupts on Iceland peninsula"


def test_marking_a_storyline_read_marks_every_story_of_it() -> None:
    s = session()
    s.key("toggle_read")
    assert s.marks.read_links() == {
        "https://n.example/first",
        "https://n.example/second",
        "https://n.example/third",
    }
    assert s.said() == [
        "Marked the storyline “Dataverse for Teams generally available, Microsoft says” "
        "(3 stories) read."
    ]
    s.key("toggle_read")
    assert s.marks.read_links() == frozenset()


def test_a_storyline_is_unread_while_any_of_its_stories_is() -> None:
    s = session()
    s.marks.set_read_many(["https://n.example/third", "https://n.example/first"])
    s.key("move", 2)
    s.key("next_unread")  # round the list: the storyline still has an unread story
    assert s.current == "Dataverse for Teams generally available, Microsoft says"
    s.marks.set_read("https://n.example/second")
    s.key("next_unread")
    assert s.current == "Volcano erupts on Iceland peninsula"


def test_enter_on_a_storyline_marks_all_of_it_read_an_opened_one_only_its_row() -> None:
    s = session()
    s.key("open_listed")
    assert len(s.marks.read_links()) == 3
    s.marks.set_read_many(list(s.marks.read_links()), False)
    s.key("toggle_expanded")
    s.key("move", 0)
    s.key("open_listed")
    assert s.marks.read_links() == {"https://n.example/first"}


def test_mark_all_read_counts_every_story_of_the_storylines_listed() -> None:
    s = session()
    s.key("mark_all_read")
    assert s.said() == ["Press A again to mark 5 stories read."]
    s.key("mark_all_read")
    assert len(s.marks.read_links()) == 5


def test_a_topic_or_search_groups_the_stories_it_lists() -> None:
    s = session()
    s.key("choose_topic", "tech")
    assert s.titles() == ["Dataverse for Teams generally available, Microsoft says"]
    group_ = list_view(s.model).groups["/f/third.md"]
    assert [a.path for a in group_.listed] == ["/f/third.md"]
    assert group_.others == 2  # the storyline's other sources, though not in the topic
    s.key("choose_topic", "")
    s.key("set_query", "microsoft")
    assert s.titles() == ["Dataverse for Teams generally available, Microsoft says"]
    assert list_view(s.model).title == "All stories · 2 of 5 match · 1 storylines"


def test_sorting_ranks_a_storyline_by_its_first_story_in_that_order() -> None:
    s = session()
    s.key("set_order", "oldest")
    lead = s.model.listing.stories[0]
    assert lead.path in ("/f/first.md", "/f/alone.md", "/f/other.md")
    assert all(a.path not in ("/f/second.md", "/f/third.md") for a in s.model.listing.stories)


def test_the_detail_shows_the_storylines_timeline_and_why() -> None:
    s = session()
    rows = detail_view(s.model).storyline
    assert [r.article.path for r in rows] == ["/f/first.md", "/f/second.md", "/f/third.md"]
    assert [r.current for r in rows] == [False, False, True]
    assert rows[0].reason == ""
    assert rows[1].reason.startswith("title ") and rows[1].reason.endswith(" similar to Verge")
    s.key("move", 1)
    assert detail_view(s.model).storyline == ()


def test_storylines_arriving_later_keep_the_story_chosen() -> None:
    stories = event()
    s = Session(*stories)  # no storylines yet, as while a folder is first read
    assert len(s.titles()) == 5
    s.key("move", 1)  # "Volcano…" under the heat order
    chosen = s.current
    s.do(s.model.apply_index(loaded(stories, storylines=group(stories, find_links(stories)))))
    assert len(s.titles()) == 3
    assert s.current == chosen


def test_a_chosen_story_inside_a_folded_storyline_brings_the_cursor_to_its_row() -> None:
    stories = event()
    s = Session(*stories)
    s.key("move", 4)  # the coldest: the storyline's first story, not its lead
    assert s.current == "Dataverse for Teams is now generally available"
    s.do(s.model.apply_index(loaded(stories, storylines=group(stories, find_links(stories)))))
    assert s.current == "Dataverse for Teams generally available, Microsoft says"


def test_an_opened_storyline_shows_its_first_story_above_the_cursor() -> None:
    s = session()
    s.key("move", 0)
    s.key("toggle_expanded")
    listing = s.model.listing
    assert listing.top == 0 and listing.cursor == 2  # the first reporter is on screen
    assert listing.new_above == 0
    assert list_view(s.model).title == "All stories · 5 stories · 3 storylines"


def test_an_opened_storyline_keeps_its_lead_chosen_when_storylines_go_off() -> None:
    s = session()
    s.key("toggle_expanded")
    assert s.current == "Dataverse for Teams generally available, Microsoft says"
    s.key("toggle_storylines")
    assert s.current == "Dataverse for Teams generally available, Microsoft says"
    assert s.shown == s.current


def test_a_search_that_keeps_every_story_lists_the_topics_own_rows() -> None:
    s = session()
    unsearched = s.model.rows
    s.key("set_query", "a")  # in every title
    assert s.model.rows is unsearched  # grouped once, not again for the search
    assert list_view(s.model).title == "All stories · 5 of 5 match · 3 storylines"


def test_e_in_a_search_opens_only_the_stories_it_matched_in_time_order() -> None:
    s = session()
    s.key("set_query", "microsoft")  # the second and third sources, not the first
    s.key("toggle_expanded")
    assert [a.path for a in s.model.listing.stories] == ["/f/second.md", "/f/third.md"]
    group_ = list_view(s.model).groups["/f/second.md"]
    assert group_.expanded and group_.lead.path == "/f/third.md"
    s.key("toggle_expanded")
    assert [a.path for a in s.model.listing.stories] == ["/f/third.md"]
