"""Browsing rules, as plain unit tests of the model (no Textual): what the screen must show."""

from __future__ import annotations

from reader.browse.change import CopyLink, OpenLink, Part, Rescan
from reader.browse.model import CONFIRM_SECONDS, SAVED
from reader.model.article import Problem, Related
from reader.model.index import ALL

from .helpers import Session, art, loaded

HARRIS = art("harris", 245, topics=("Election",), title="Harris heads to Guatemala")
MEXICO = art("mexico", 120, topics=("Election",), title="Mexico trip planned")
CHIPS = art("chips", 900, topics=("Technology",), title="Chip shortage eases")
AI = art("ai", 120, topics=("Technology", "Election"), title="New AI model released")
NEWS = (HARRIS, MEXICO, CHIPS, AI)
ELSEWHERE = Related("Not in this folder", "https://elsewhere.example/story")
RELATED = {HARRIS.path: [MEXICO, ELSEWHERE, AI]}


def news() -> Session:
    return Session(*NEWS, related=RELATED)


# -- the list and the detail pane --------------------------------------------------


def test_the_hottest_story_is_selected_and_shown_at_first() -> None:
    s = news()
    assert s.titles() == [
        "Chip shortage eases",
        "Harris heads to Guatemala",
        "Mexico trip planned",  # 120, tied: newer first, then the title
        "New AI model released",
    ]
    assert s.current == s.shown == "Chip shortage eases"
    assert s.read_files == [CHIPS.path]


def test_an_untouched_list_keeps_the_hottest_story_while_stories_stream_in() -> None:
    s = Session()
    s.do(s.model.apply_index(loaded([MEXICO, AI], total=4)))
    assert s.current == s.shown == "Mexico trip planned"
    s.do(s.model.apply_index(loaded([MEXICO, AI, HARRIS, CHIPS])))
    assert s.model.listing.cursor == 0 and s.model.listing.top == 0
    assert s.current == s.shown == "Chip shortage eases"
    s.key("toggle_saved")  # acts on what is on screen, not on a story never chosen
    assert s.marks.saved_links() == {CHIPS.mark_key}


def test_a_story_the_user_chose_stays_chosen_as_hotter_ones_arrive_above_it() -> None:
    s = Session(*[art(n, 100 - n) for n in range(30)])
    s.key("move", 15)
    chosen = s.current
    s.do(
        s.model.apply_index(
            loaded(
                [art(f"hot{n}", 1000 + n) for n in range(3)] + [art(n, 100 - n) for n in range(30)]
            )
        )
    )
    assert s.current == s.shown == chosen
    assert s.model.listing.new_above == 3
    s.key("go_to_new")
    assert s.model.listing.cursor == 0 and s.model.listing.new_above == 0


def test_moving_shows_the_story_and_enter_marks_it_read() -> None:
    s = news()
    change = s.key("move", 1)
    assert s.shown == "Harris heads to Guatemala"
    assert Part.DETAIL in change.dirty
    assert not s.marks.read_links()
    s.key("open_listed")
    assert s.marks.read_links() == {HARRIS.mark_key}


def test_a_reload_redraws_the_story_shown_only_when_its_file_changed() -> None:
    s = news()
    s.key("move", 1)
    reads = len(s.read_files)
    s.do(s.model.apply_index(loaded(NEWS)))  # the same stories, new objects
    assert len(s.read_files) == reads
    updated = art("harris", 245, topics=("Election",), title="Harris heads to Guatemala (updated)")
    s.do(s.model.apply_index(loaded([updated, MEXICO, CHIPS, AI])))
    assert s.shown == s.current == "Harris heads to Guatemala (updated)"
    assert s.read_files[-1] == HARRIS.path


# -- related stories and history ------------------------------------------------------


def test_following_a_related_story_says_where_it_came_from_and_backspace_returns() -> None:
    s = news()
    s.key("move", 1)
    s.key("follow_related", 0)
    assert s.shown == "Mexico trip planned"
    assert s.current == "Harris heads to Guatemala"  # the list stays where it was ...
    view = s.model
    assert view.detail.came_from is not None
    assert view.detail.came_from.title == "Harris heads to Guatemala"
    assert MEXICO.mark_key in s.marks.read_links()  # shown here, so read
    s.key("back")
    assert s.shown == "Harris heads to Guatemala"
    assert s.model.detail.came_from is None
    s.key("forward")
    assert s.shown == "Mexico trip planned"


def test_back_restores_the_related_row_that_was_followed() -> None:
    s = news()
    s.key("move", 1)
    s.key("follow_related", 2)  # "New AI model released"
    s.key("back")
    place = s.model.detail.place
    assert place is not None and place.related_row == 2


def test_a_related_story_not_in_the_folder_opens_in_the_browser() -> None:
    s = news()
    s.key("move", 1)
    change = s.key("follow_related", 1)
    assert change.effects == [OpenLink("https://elsewhere.example/story", None, ELSEWHERE.title)]
    assert s.shown == "Harris heads to Guatemala"


def test_a_missing_related_number_and_an_empty_history_say_so() -> None:
    s = news()
    s.key("move", 1)
    assert s.said(s.key("follow_related", 4)) == [
        "“Harris heads to Guatemala” has 3 related stories: press 1 to 3."
    ]
    assert "No earlier story" in s.said(s.key("back"))[0]
    s.key("move", 0)
    assert s.said(s.key("follow_related", 0)) == ["“Chip shortage eases” has no related stories."]


def test_a_reload_keeps_a_followed_related_story_and_its_history() -> None:
    s = news()
    s.key("move", 1)
    s.key("follow_related", 0)
    s.do(s.model.apply_index(loaded([*NEWS, art("other", 1, title="Unrelated")])))
    assert s.shown == "Mexico trip planned"
    s.key("back")
    assert s.shown == "Harris heads to Guatemala"


def test_moving_in_the_list_leaves_the_related_story() -> None:
    s = news()
    s.key("move", 1)
    s.key("follow_related", 0)
    s.key("move", 0)
    assert s.shown == "Chip shortage eases" and s.model.detail.came_from is None
    s.key("move", 1)
    s.key("follow_related", 0)
    s.key("open_listed")  # Enter on the list: back to the list's own story
    assert s.shown == "Harris heads to Guatemala"


# -- acting on the story shown ----------------------------------------------------------


def test_keys_act_on_the_story_shown_and_say_which() -> None:
    s = news()
    s.key("move", 1)
    s.key("follow_related", 0)  # Mexico is shown, Harris is under the cursor
    assert s.said(s.key("toggle_saved")) == ["Saved “Mexico trip planned”."]
    assert s.marks.saved_links() == {MEXICO.mark_key}
    assert s.said(s.key("toggle_read")) == ["Marked “Mexico trip planned” unread."]
    change = s.key("open_current")
    assert change.effects == [OpenLink(MEXICO.link_to_open, MEXICO.mark_key, MEXICO.title)]
    change = s.key("copy_link")
    assert change.effects == [CopyLink(MEXICO.link_to_open, MEXICO.title)]


def test_a_story_is_marked_read_by_o_only_once_the_browser_has_it() -> None:
    s = news()
    (effect,) = s.key("open_current").effects
    assert isinstance(effect, OpenLink)
    assert not s.marks.read_links()
    s.do(s.model.link_opened(effect.mark))
    assert s.marks.read_links() == {CHIPS.mark_key}


def test_y_refuses_what_o_refuses() -> None:
    s = Session(art("evil", url="https://go\xadod.example/"))
    copy, opened = s.key("copy_link"), s.key("open_current")
    assert copy.effects == [] and opened.effects == []
    assert s.said(copy)[0].startswith("Not copied: ")
    assert s.said(opened)[0].startswith("Not opened: ")


def test_nothing_listed_leaves_nothing_to_act_on() -> None:
    s = news()
    s.do(s.model.set_query("zzzqx"))
    for intent in ("open_current", "toggle_read", "toggle_saved", "copy_link"):
        assert s.key(intent).effects == []
    assert not s.marks.read_links() and not s.marks.saved_links()


def test_n_goes_to_the_next_unread_story_round_the_list() -> None:
    s = news()
    stories = list(s.model.listing.stories)
    s.marks.set_read_many([stories[1].mark_key, stories[3].mark_key])
    s.key("next_unread")
    assert s.model.listing.cursor == 2
    s.key("next_unread")
    assert s.model.listing.cursor == 0
    s.marks.set_read_many(a.mark_key for a in stories)
    assert s.said(s.key("next_unread")) == ["No unread stories here."]


# -- "mark all read" asks first ------------------------------------------------------------


def test_a_then_a_marks_the_listed_stories_read() -> None:
    s = news()
    s.key("choose_topic", "technology")
    assert s.said(s.key("mark_all_read")) == ["Press A again to mark 2 stories read."]
    assert not s.marks.read_links()
    s.key("mark_all_read")
    assert s.marks.read_links() == {CHIPS.mark_key, AI.mark_key}
    assert s.said(s.key("mark_all_read")) == ["Every story here is read."]


def test_a_confirmation_is_good_for_the_very_next_key_only() -> None:
    s = news()
    s.key("mark_all_read")
    s.model.key_pressed()  # Tab, say: not an intent, but a key
    assert "Press A again" in s.said(s.key("mark_all_read"))[0]
    assert not s.marks.read_links()


def test_a_confirmation_belongs_to_the_list_it_was_asked_about() -> None:
    s = news()
    s.key("mark_all_read")
    s.do(s.model.apply_index(loaded([*NEWS, art("late", 1)])))  # the list changed meanwhile
    assert "Press A again" in s.said(s.key("mark_all_read"))[0]
    assert not s.marks.read_links()


def test_a_late_second_press_only_asks_again() -> None:
    s = news()
    s.key("mark_all_read")
    s.clock.now += CONFIRM_SECONDS + 0.1
    assert "Press A again" in s.said(s.key("mark_all_read"))[0]
    assert not s.marks.read_links()


# -- topics, order and search ------------------------------------------------------------


def test_choosing_a_topic_lists_its_stories_from_the_top() -> None:
    s = news()
    s.key("move", 3)
    s.key("choose_topic", "election")
    assert s.titles() == [
        "Harris heads to Guatemala",
        "Mexico trip planned",
        "New AI model released",
    ]
    assert s.current == s.shown == "Harris heads to Guatemala"


def test_a_topic_that_goes_away_gives_way_to_all_and_keeps_the_chosen_story() -> None:
    alone = art("alone", 10, topics=("Gone",), title="Alone")
    s = Session(alone, art("hot", 50, topics=("Stay",)))
    s.key("choose_topic", "gone")
    moved = art("alone", 10, topics=("Stay",), title="Alone")
    change = s.do(s.model.apply_index(loaded([moved, art("hot", 50, topics=("Stay",))])))
    assert s.model.topic == ALL
    assert s.current == "Alone"
    assert s.said(change) == ["No stories are left in 'Gone': showing all stories."]


def test_sorting_keeps_a_chosen_story_and_an_untouched_list_starts_from_the_top() -> None:
    s = news()
    s.key("cycle_order")  # newest: untouched, so the newest story is selected
    assert s.model.order == "newest" and s.model.listing.cursor == 0
    s.key("move", 2)
    chosen = s.current
    s.key("cycle_order")
    assert s.model.order == "oldest" and s.current == chosen


def test_a_search_starts_from_the_top_and_clearing_it_returns_to_the_story_found() -> None:
    s = news()
    s.do(s.model.set_query("harris"))
    assert s.titles() == ["Harris heads to Guatemala"]
    s.do(s.model.clear_search())
    assert len(s.titles()) == 4
    assert s.current == s.shown == "Harris heads to Guatemala"


def test_a_search_in_a_topic_says_how_many_match_in_all_topics() -> None:
    s = news()
    s.key("choose_topic", "technology")
    s.do(s.model.set_query("e"))
    assert s.titles() == ["Chip shortage eases", "New AI model released"]
    assert s.model.everywhere == 4
    s.do(s.model.set_query("mexico"))
    assert s.titles() == [] and s.model.everywhere == 1


def test_saved_stories_are_a_topic_of_their_own() -> None:
    s = news()
    s.key("move", 1)
    s.key("toggle_saved")
    s.key("choose_topic", SAVED)
    assert s.titles() == ["Harris heads to Guatemala"]
    s.key("toggle_saved")
    assert s.titles() == []


# -- the folder ----------------------------------------------------------------------


def test_rescan_says_what_it_found() -> None:
    s = news()
    change = s.key("rescan")
    assert change.effects == [Rescan()]
    changed = art("chips", 901, topics=("Technology",), title="Chip shortage eases")
    found = s.do(s.model.apply_index(loaded([HARRIS, MEXICO, changed, art("new", 1)])))
    assert "Rescanned: 1 new, 1 changed, 1 gone (4 stories)." in s.said(found)
    s.key("rescan")
    assert "Rescanned: nothing changed (4 stories)." in s.said(
        s.do(s.model.apply_index(loaded([HARRIS, MEXICO, changed, art("new", 1)])))
    )


def test_a_folder_that_goes_away_and_comes_back_is_said_and_read_again() -> None:
    s = news()
    gone = s.do(s.model.folder_missing(True))
    assert "The folder is gone" in s.said(gone)[0]
    assert s.model.folder_gone and s.titles()  # the stories as last read stay
    back = s.do(s.model.folder_missing(False))
    assert back.effects == [Rescan()] and not s.model.folder_gone


def test_marks_from_elsewhere_redraw_counts_and_marks() -> None:
    s = news()
    s.marks.set_read(CHIPS.mark_key)
    change = s.do(s.model.marks_changed())
    assert Part.SIDEBAR in change.dirty and Part.LIST in change.dirty


# -- what a new list does to a followed story, and a chosen one that is gone -------


def test_a_new_list_shows_its_own_story_not_the_related_one_followed() -> None:
    for intent, args in (("choose_topic", ("technology",)), ("set_query", ("chip",))):
        s = news()
        s.key("move", 1)
        s.key("follow_related", 0)
        s.key(intent, *args)
        assert s.shown == s.current == "Chip shortage eases", intent
        assert not s.model.detail.followed
    s = news()
    s.key("move", 1)
    s.key("follow_related", 0)
    s.do(s.model.go_to_story(CHIPS))  # the palette
    assert s.shown == s.current == "Chip shortage eases"


def test_a_chosen_story_deleted_gives_way_to_the_one_under_the_cursor() -> None:
    stories = [art(n, 100 - n) for n in range(10)]
    s = Session(*stories)
    s.key("move", 3)
    s.do(s.model.apply_index(loaded(stories[:3] + stories[4:])))  # Story 3 is deleted
    assert s.shown == s.current == "Story 4"
    s.do(s.model.apply_index(loaded([art("hot", 999), *stories[:3], *stories[4:]])))
    assert s.shown == s.current == "Story 4"  # stays: it is the chosen one now


def test_a_chosen_story_caught_half_written_stays_the_one_to_come_back_to() -> None:
    stories = [art(n, 100 - n) for n in range(10)]
    s = Session(*stories)
    s.key("move", 3)
    half = Problem(stories[3].path, "invalid YAML at line 2: mapping values are not allowed")
    s.do(s.model.apply_index(loaded(stories[:3] + stories[4:], problems=[half])))
    s.do(s.model.apply_index(loaded(stories)))  # written in full again
    assert s.shown == s.current == "Story 3"


def test_going_back_shows_the_story_as_it_is_after_a_reload() -> None:
    s = news()
    s.key("move", 1)
    s.key("follow_related", 0)
    renamed = art("harris", 245, topics=("Election",), title="Harris heads to Guatemala (updated)")
    s.do(s.model.apply_index(loaded([renamed, MEXICO, CHIPS, AI])))
    s.key("back")
    assert s.shown == "Harris heads to Guatemala (updated)"
    assert s.read_files[-1] == HARRIS.path


def test_a_followed_story_deleted_gives_way_to_the_list_story() -> None:
    s = news()
    s.key("move", 1)
    s.key("follow_related", 0)  # Mexico
    s.do(s.model.apply_index(loaded([HARRIS, CHIPS, AI])))
    assert s.shown == s.current == "Harris heads to Guatemala"


def test_the_palette_cannot_choose_a_topic_that_is_gone() -> None:
    s = news()
    change = s.key("choose_topic", "no such topic")
    assert s.model.topic == ALL and s.said(change) == ["That topic has no stories any more."]
