"""The list's cursor and view: the hottest story stays in sight until the user moves."""

from __future__ import annotations

from reader.browse.listing import Listing

from .helpers import art

STORIES = [art(n, 100 - n) for n in range(50)]


def listing(height: int = 10) -> Listing:
    rows = Listing(height=height)
    rows.reset(STORIES)
    return rows


def test_an_untouched_list_stays_on_its_first_story_as_stories_arrive() -> None:
    rows = listing()
    hotter = [art(f"hot{n}", 1000 + n) for n in range(5)]
    rows.replace([*hotter, *STORIES], keep=STORIES[0].path)
    assert (rows.cursor, rows.top, rows.new_above) == (0, 0, 0)
    assert rows.current is hotter[0]


def test_a_touched_list_keeps_its_story_at_the_same_height_and_counts_what_came_above() -> None:
    rows = listing()
    rows.move(25)
    assert (rows.cursor, rows.top) == (25, 16)  # scrolled the least to show row 25
    hotter = [art(f"hot{n}", 1000 + n) for n in range(3)]
    rows.replace([*hotter, *STORIES], keep=STORIES[25].path)
    assert rows.current is STORIES[25]
    assert (rows.cursor, rows.top) == (28, 19)  # the same screen row: 9
    assert rows.new_above == 3
    more = [art(f"more{n}", 2000 + n) for n in range(2)]
    rows.replace([*more, *hotter, *STORIES], keep=STORIES[25].path)
    assert rows.new_above == 5
    rows.move(rows.cursor - 1)  # still below the new ones
    assert rows.new_above == 5
    rows.scroll(0)  # up there: seen
    assert rows.new_above == 0


def test_stories_arriving_below_the_view_are_not_new_above() -> None:
    rows = listing()
    rows.move(12)
    rows.replace([*STORIES, art("cold", -5)], keep=STORIES[12].path)
    assert rows.new_above == 0
    assert rows.current is STORIES[12]


def test_a_story_that_goes_away_leaves_the_cursor_on_the_same_row() -> None:
    rows = listing()
    rows.move(5)
    rows.replace(STORIES[:5] + STORIES[6:], keep=STORIES[5].path)
    assert rows.cursor == 5 and rows.current is STORIES[6]


def test_moves_are_clamped_and_scroll_the_least() -> None:
    rows = listing(height=10)
    rows.move(-3)
    assert (rows.cursor, rows.top) == (0, 0)
    rows.move(99)
    assert (rows.cursor, rows.top) == (49, 40)
    rows.move(35)
    assert (rows.cursor, rows.top) == (35, 35)


def test_scrolling_does_not_move_the_cursor_and_a_smaller_view_keeps_it_on_screen() -> None:
    rows = listing(height=10)
    rows.move(3)
    rows.scroll(20)
    assert (rows.cursor, rows.top) == (3, 20)
    rows.scroll(90)
    assert rows.top == 40  # no blank rows below the last story
    rows.move(9)
    rows.resize(4)
    assert rows.cursor == 9 and rows.top <= 9 < rows.top + 4


def test_a_list_shorter_than_the_view_never_scrolls() -> None:
    rows = Listing(height=10)
    rows.reset(STORIES[:3])
    rows.move(2)
    rows.scroll(5)
    assert rows.top == 0


def test_stories_a_re_ranking_puts_above_are_more_not_new() -> None:
    rows = listing()
    rows.move(25)
    rows.replace(list(reversed(STORIES)), keep=STORIES[25].path)
    assert rows.new_above > 0 and not rows.arrived
    rows.replace([art("hot", 999), *reversed(STORIES)], keep=STORIES[25].path, arrived=True)
    assert rows.arrived
