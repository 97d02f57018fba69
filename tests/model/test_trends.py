"""Each topic's stories per day: the sidebar's sparklines."""

from __future__ import annotations

import os
import time

import pytest

from reader.model.article import Article
from reader.model.index import ALL, Index
from reader.model.rising import bars
from reader.model.trends import DAYS, EVERY, next_midnight, topic_days

DAY = 86_400.0


@pytest.fixture(autouse=True)
def _local_time_is_utc(utc: None) -> None:
    """Days are local days: these tests count them in UTC."""


NOW = 1_700_000_000.0 + 12 * 3600 - (1_700_000_000.0 % DAY)  # noon UTC


def story(n: int, ts: float | None, *topics: str) -> Article:
    return Article(path=f"/c/{n}.md", title=f"s{n}", published_ts=ts, topics=topics)


def test_next_midnight_in_local_time() -> None:
    assert next_midnight(NOW) == NOW + 12 * 3600
    os.environ["TZ"] = "Asia/Tokyo"  # UTC+9: noon UTC is 21:00 there
    time.tzset()
    assert next_midnight(NOW) == NOW + 3 * 3600


def test_stories_are_counted_on_their_day_per_topic() -> None:
    stories = [
        story(1, NOW - 60, "AI"),  # today
        story(2, NOW - 13 * 3600, "ai", "Space"),  # yesterday, 23:00
        story(3, NOW - 3 * DAY, "Space"),
        story(4, NOW - DAYS * DAY, "AI"),  # before the span
        story(5, NOW + 60, "AI"),  # the future
        story(6, None, "AI"),  # no date
    ]
    days = topic_days(stories, now=NOW)
    assert len(days[EVERY]) == DAYS
    assert days["ai"][-2:] == (1, 1)
    assert sum(days["ai"]) == 2
    assert days["space"][-4:] == (1, 0, 1, 0)
    assert days[EVERY][-4:] == (1, 0, 1, 1)


def test_the_index_keeps_them_for_the_day() -> None:
    index = Index([story(1, NOW - 60, "AI")])
    first = index.trends(NOW)
    assert first[ALL][-1] == 1
    assert index.trends(NOW + 60) is first  # same day: kept
    assert index.trends(NOW + DAY)[ALL][-2:] == (1, 0)  # the next day moves on


def test_bars_scale_from_nothing() -> None:
    assert bars([0, 4, 8]) == " ▄█"
    assert bars([1, 1]) == "██"
    assert bars([0, 0]) == "  "
    assert bars([1, 100])[0] == "▁"  # one story still shows
