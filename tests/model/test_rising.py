"""Heat over time as numbers: what is kept, thinning, gains, sparklines."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from reader.model.rising import (
    DENSE_SECONDS,
    MAX_POINTS,
    Point,
    Rises,
    compact,
    gained,
    score,
    thin,
    window_label,
)

DAY = 86_400.0


def test_only_sane_scores_are_recorded() -> None:
    assert score(0) == 0
    assert score(850) == 850
    for absurd in (-1, 10**13, 1e309, math.nan, 3.5, "12", [5], None, True):
        assert score(absurd) is None, absurd


def test_compact_keeps_only_changes_in_time_order() -> None:
    points = [Point(30, 5), Point(10, 1), Point(20, 1), Point(40, 5), Point(50, 7)]
    assert compact(points) == [Point(10, 1), Point(30, 5), Point(50, 7)]


def test_compact_two_sightings_at_one_moment_the_later_wins() -> None:
    assert compact([Point(10, 1), Point(20, 2), Point(20, 1)]) == [Point(10, 1)]
    assert compact([Point(10, 1), Point(20, 2), Point(20, 3)]) == [Point(10, 1), Point(20, 3)]


def test_a_quality_change_is_a_change() -> None:
    assert len(compact([Point(1, 5, 1), Point(2, 5, 2)])) == 2


def test_thin_keeps_short_histories_whole() -> None:
    points = [Point(i * DAY, i) for i in range(10)]
    assert thin(points, 10) == points


def test_thin_keeps_first_last_and_recent_points() -> None:
    # Hourly points over 30 days: far more than fit.
    points = [Point(i * 3600.0, i) for i in range(30 * 24)]
    kept = thin(points, MAX_POINTS)
    assert len(kept) <= MAX_POINTS
    assert kept[0] == points[0] and kept[-1] == points[-1]
    assert kept == sorted(kept, key=lambda p: p.at)
    recent = [p for p in kept if p.at > points[-1].at - DENSE_SECONDS]
    assert recent  # the last days keep their points, while they fit
    assert all(p in points for p in kept)


def test_thin_keeps_the_last_of_each_old_day() -> None:
    last = 100 * DAY
    old = [Point(d * DAY + h * 3600, d * 10 + h) for d in range(5) for h in (1, 2)]
    points = [*old, Point(last, 999)]
    kept = thin(points, 8)
    # First point, then the last point of days 1..4 that fit, then the last.
    assert kept[0] == old[0] and kept[-1] == points[-1]
    assert all(p.at % DAY == 2 * 3600 for p in kept[1:-1])


@given(
    st.lists(st.integers(0, 400 * 24), unique=True, min_size=1, max_size=300),
    st.integers(2, 60),
)
def test_thin_never_exceeds_the_limit(hours: list[int], limit: int) -> None:
    points = [Point(h * 3600.0, h) for h in sorted(hours)]
    kept = thin(points, limit)
    assert len(kept) <= max(limit, 2) or len(points) <= limit
    assert kept[0] == points[0] and kept[-1] == points[-1]


def test_gained_since_the_window_start() -> None:
    points = [Point(0, 10), Point(100, 40), Point(200, 25)]
    assert gained(points, since=150) == 25 - 40  # heat at 150 was 40
    assert gained(points, since=50) == 15  # from 10
    assert gained(points, since=-10) == 15  # first seen later: from its first heat
    assert gained([], since=0) is None
    assert gained([Point(0, None)], since=0) is None


def test_rises_before_two_snapshots_say_so() -> None:
    assert Rises().needs.startswith("Rising needs two snapshots")
    assert Rises({"a": 3}, ready=True).needs == ""
    assert Rises({"a": 3}, ready=True).of("a") == 3
    assert Rises({"a": 3}, ready=True).of("b") == 0


def test_window_label() -> None:
    assert window_label(24 * 3600) == "24h"
    assert window_label(2 * DAY) == "2d"
    assert window_label(12 * 3600) == "12h"
    assert window_label(14 * DAY) == "2w"
    assert window_label(45 * 60) == "45m"
