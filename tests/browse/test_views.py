"""What the views tell the widgets to draw: sidebar entries, titles, empty states."""

from __future__ import annotations

from reader.browse import views
from reader.browse.model import SAVED
from reader.model.index import ALL

from .helpers import Session, art, loaded


def test_a_topic_named_like_readers_own_entries_is_drawn_as_a_topic() -> None:
    s = Session(art(1, topics=("★ Saved",)), art(2, topics=("All stories", "All")))
    entries = views.sidebar_view(s.model).entries
    own = [(e.key, e.name) for e in entries if e.own]
    assert own == [(SAVED, "★ Saved"), (ALL, "All stories")]
    impostors = [e for e in entries if e.name in ("★ Saved", "All stories", "All") and not e.own]
    assert len(impostors) == 3 and all(e.key not in (SAVED, ALL) for e in impostors)


def test_counts_follow_the_marks() -> None:
    s = Session(art(1, topics=("A",)), art(2, topics=("A", "B")))
    s.marks.set_read(art(2).mark_key)
    s.marks.set_saved(art(1).mark_key)
    counts = {e.name: (e.unread, e.total) for e in views.sidebar_view(s.model).entries}
    assert counts == {"★ Saved": (1, 1), "All stories": (1, 2), "A": (1, 2), "B": (0, 1)}


def test_the_list_title_says_what_is_listed_and_how_a_search_went() -> None:
    s = Session(art(1, topics=("Election",)), art(2, topics=("Tech",)))
    assert views.list_view(s.model).title == "All stories · 2 stories"
    s.key("choose_topic", "election")
    s.do(s.model.set_query("story"))
    assert views.list_view(s.model).title == "Election · 1 of 1 match"
    search = views.search_view(s.model)
    assert (search.scope, search.matches, search.total, search.everywhere) == ("Election", 1, 1, 2)


def test_empty_states_say_what_to_do() -> None:
    s = Session()
    assert views.empty_message(s.model) == "Loading stories…"
    s.do(s.model.apply_index(loaded([])))
    assert "No stories in this folder" in views.empty_message(s.model)
    s.do(s.model.apply_index(loaded([art(1)])))
    s.key("choose_topic", SAVED)
    assert views.empty_message(s.model) == "No saved stories yet: press b on a story to save it."
    assert views.detail_view(s.model).message == views.empty_message(s.model)


def test_one_provider_lists_leave_the_provider_column_out() -> None:
    same = Session(art(1, provider="NPR"), art(2, provider="NPR"))
    assert views.list_view(same.model).one_provider == "NPR"
    mixed = Session(art(1, provider="NPR"), art(2, provider="BBC"))
    assert views.list_view(mixed.model).one_provider == ""
