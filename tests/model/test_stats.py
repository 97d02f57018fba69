"""The statistics screen's numbers (`reader.model.stats`) and the read times
it reads from the state file (`reader.model.readlog`)."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reader.model import statefile
from reader.model.article import Article
from reader.model.index import Index
from reader.model.readlog import read_times
from reader.model.rising import Rises
from reader.model.stats import (
    reads_per_day,
    rising_topics,
    stories_per_day,
    top_providers,
)

UTC = timezone.utc
#: Five hours behind UTC all year: a fixed zone, so day boundaries are known.
EST = timezone(timedelta(hours=-5))
#: 2021-06-10 12:00 UTC.
NOW = datetime(2021, 6, 10, 12, tzinfo=UTC).timestamp()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, tz: tzinfo = UTC) -> float:
    """The timestamp of a wall-clock time in `tz`."""
    return datetime(year, month, day, hour, minute, tzinfo=tz).timestamp()


def story(
    n: int,
    *,
    ts: float | None = None,
    name: str = "",
    domain: str = "",
    topics: tuple[str, ...] = (),
    link: bool = True,
) -> Article:
    return Article(
        path=f"/news/{n}.md",
        title=f"Story {n}",
        published_ts=ts,
        web_url=f"https://example.com/{n}" if link else "",
        provider_name=name,
        provider_domain=domain,
        topics=topics,
    )


# --- stories per day ---------------------------------------------------------------


def test_stories_per_day_counts_each_of_the_last_days_with_zeros_oldest_first() -> None:
    stories = [
        story(1, ts=at(2021, 6, 10, 1)),
        story(2, ts=at(2021, 6, 10, 11)),
        story(3, ts=at(2021, 6, 8, 23, 59)),
        story(4, ts=at(2021, 6, 4, 0, 0)),  # the first day, at its first second
        story(5, ts=at(2021, 6, 3, 23, 59)),  # the day before the first: not counted
    ]
    days = stories_per_day(stories, days=7, now=NOW, tz=UTC)
    assert [d for d, _ in days] == [date(2021, 6, 4) + timedelta(days=i) for i in range(7)]
    assert dict(days) == {
        date(2021, 6, 4): 1,
        date(2021, 6, 5): 0,
        date(2021, 6, 6): 0,
        date(2021, 6, 7): 0,
        date(2021, 6, 8): 1,
        date(2021, 6, 9): 0,
        date(2021, 6, 10): 2,
    }


def test_stories_without_a_date_or_dated_after_now_are_not_counted() -> None:
    stories = [
        story(1, ts=None),
        story(2, ts=NOW + 1),  # later today, but after now
        story(3, ts=NOW + 86_400 * 30),
        story(4, ts=float("nan")),
        story(5, ts=NOW),  # now itself is counted
    ]
    days = stories_per_day(stories, now=NOW, tz=UTC)
    assert len(days) == 30
    assert days[-1] == (date(2021, 6, 10), 1)
    assert sum(n for _, n in days) == 1


def test_days_are_local_days_of_the_time_zone_given() -> None:
    # 03:00 UTC on 10 June is 22:00 on 9 June five hours west.
    early = story(1, ts=at(2021, 6, 10, 3))
    # 05:00 UTC on 10 June is midnight there: the first moment of 10 June.
    midnight = story(2, ts=at(2021, 6, 10, 0, tz=EST))
    in_utc = dict(stories_per_day([early, midnight], days=3, now=NOW, tz=UTC))
    in_est = dict(stories_per_day([early, midnight], days=3, now=NOW, tz=EST))
    assert in_utc[date(2021, 6, 10)] == 2
    assert in_est[date(2021, 6, 9)] == 1
    assert in_est[date(2021, 6, 10)] == 1


def test_today_is_the_local_date_of_now() -> None:
    # 02:00 UTC on 10 June is still 9 June five hours west: that is "today" there.
    now = at(2021, 6, 10, 2)
    days = stories_per_day([story(1, ts=now - 60)], days=2, now=now, tz=EST)
    assert days == [(date(2021, 6, 8), 0), (date(2021, 6, 9), 1)]


def test_a_day_that_daylight_saving_shortens_is_one_day() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # Clocks went forward at 02:00 on 28 March 2021: that day had 23 hours.
    now = datetime(2021, 3, 29, 12, tzinfo=berlin).timestamp()
    stories = [
        story(1, ts=datetime(2021, 3, 28, 0, 30, tzinfo=berlin).timestamp()),
        story(2, ts=datetime(2021, 3, 28, 23, 30, tzinfo=berlin).timestamp()),
        story(3, ts=datetime(2021, 3, 29, 0, 30, tzinfo=berlin).timestamp()),
    ]
    days = stories_per_day(stories, days=3, now=now, tz=berlin)
    assert days == [(date(2021, 3, 27), 0), (date(2021, 3, 28), 2), (date(2021, 3, 29), 1)]


def test_without_a_time_zone_the_systems_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("the time zone cannot be changed here")
    monkeypatch.setenv("TZ", "EST+05")
    time.tzset()
    try:
        days = stories_per_day([story(1, ts=at(2021, 6, 10, 3))], days=2, now=NOW)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert days == [(date(2021, 6, 9), 1), (date(2021, 6, 10), 0)]


def test_no_days_asked_gives_nothing() -> None:
    assert stories_per_day([story(1, ts=NOW)], days=0, now=NOW, tz=UTC) == []


# --- reads per day -------------------------------------------------------------------


def test_reads_per_day_counts_read_times_like_stories() -> None:
    times = [NOW - 60, NOW - 120, at(2021, 6, 9, 23), at(2021, 6, 10, 3), NOW + 10, 0.0]
    in_utc = reads_per_day(times, days=2, now=NOW, tz=UTC)
    assert in_utc == [(date(2021, 6, 9), 1), (date(2021, 6, 10), 3)]
    in_est = reads_per_day(times, days=2, now=NOW, tz=EST)
    assert in_est == [(date(2021, 6, 9), 2), (date(2021, 6, 10), 2)]
    assert reads_per_day([], now=NOW, tz=UTC) == [
        (date(2021, 6, 10) - timedelta(days=29 - i), 0) for i in range(30)
    ]


# --- top providers --------------------------------------------------------------------


def test_top_providers_by_name_else_domain_most_first() -> None:
    stories = [
        *(story(i, name="Reuters", domain="reuters.com") for i in range(3)),
        *(story(10 + i, domain="example.org") for i in range(2)),
        story(20, name="AP"),
        story(21),  # no provider at all: left out
        story(22),
    ]
    assert top_providers(stories) == [("Reuters", 3), ("example.org", 2), ("AP", 1)]
    assert top_providers(stories, 2) == [("Reuters", 3), ("example.org", 2)]
    assert top_providers(stories, 0) == []
    assert top_providers([story(1)]) == []


def test_top_providers_break_ties_by_name() -> None:
    stories = [story(1, name="b"), story(2, name="C"), story(3, name="a"), story(4, name="C")]
    assert top_providers(stories) == [("C", 2), ("a", 1), ("b", 1)]


# --- rising topics --------------------------------------------------------------------


def test_rising_topics_add_up_what_their_stories_gained() -> None:
    a = story(1, topics=("Climate", "Energy"))
    b = story(2, topics=("climate",))  # another spelling: the same topic
    c = story(3, topics=("Sport",))
    d = story(4, topics=("Energy",))
    e = story(5, topics=("Tennis",), link=False)  # marked by its file
    gains = {a.mark_key: 5, b.mark_key: 3, c.mark_key: -4, d.mark_key: 0, e.mark_key: 2}
    rises = Rises(gains, ready=True)
    index = Index([a, b, c, d, e])
    expected = [("Climate", 8), ("Energy", 5), ("Tennis", 2)]
    assert rising_topics([a, b, c, d, e], rises, names=index.topic_name) == expected
    # Without names, each topic is spelled as the Index spells it.
    assert rising_topics([a, b, c, d, e], rises) == expected
    assert rising_topics(iter([a, b, c, d, e]), rises, 1) == [("Climate", 8)]


def test_topic_names_are_those_the_index_shows() -> None:
    stories = [
        story(1, topics=("ai",)),
        story(2, topics=("AI",)),
        story(3, topics=("AI",)),
    ]
    rises = Rises({stories[0].mark_key: 7}, ready=True)  # only the lower-case one rose
    index = Index(stories)
    assert index.topic_name("ai") == "AI"
    assert rising_topics(stories, rises, names=index.topic_name) == [("AI", 7)]
    assert rising_topics(stories, rises) == [("AI", 7)]


def test_nothing_rose_gives_no_topics() -> None:
    stories = [story(1, topics=("Climate",))]
    assert rising_topics(stories, Rises()) == []
    assert rising_topics(stories, Rises({stories[0].mark_key: -3}, ready=True)) == []
    assert rising_topics(stories, Rises({"https://elsewhere/": 9}, ready=True)) == []


# --- speed at 100,000 stories ---------------------------------------------------------


def test_the_counts_at_100000_stories() -> None:
    n = 100_000
    start = NOW - 40 * 86_400
    stories = [
        story(
            i,
            ts=start + i * 40 * 86_400 / n,
            name=f"Provider {i % 300}",
            topics=(f"Topic {i % 500}", f"Topic {i % 7}"),
        )
        for i in range(n)
    ]
    rises = Rises({s.mark_key: i % 50 - 10 for i, s in enumerate(stories[::50])}, ready=True)
    reads = [start + i * 40 * 86_400 / n for i in range(n)]
    days = stories_per_day(stories, now=NOW, tz=UTC)
    providers = top_providers(stories)
    rising = rising_topics(stories, rises)
    read = reads_per_day(reads, now=NOW, tz=UTC)
    assert sum(c for _, c in days) == pytest.approx(n * 29.5 / 40, rel=0.01)
    assert len(providers) == 10 and len(rising) == 10 and len(read) == 30


# --- read times from the state file ---------------------------------------------------


def state_file(path: Path, rows: list[tuple[str, object]]) -> Path:
    """A state file as the store writes it (WAL mode), with these read marks."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    statefile.create_schema(conn)
    conn.executemany("INSERT INTO read (link, at) VALUES (?, ?)", rows)
    conn.close()
    return path


def test_read_times_are_the_times_of_the_read_marks(tmp_path: Path) -> None:
    path = state_file(tmp_path / "state.sqlite3", [("a", NOW), ("b", NOW - 86_400.5), ("c", 7)])
    assert sorted(read_times(path)) == [7.0, NOW - 86_400.5, NOW]


def test_read_times_skip_values_that_are_not_times(tmp_path: Path) -> None:
    path = tmp_path / "odd.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE read (link TEXT PRIMARY KEY, at)")  # a foreign file: any type
    rows = [("a", 5.0), ("b", "soon"), ("c", b"\x00"), ("d", None), ("e", float("inf"))]
    conn.executemany("INSERT INTO read VALUES (?, ?)", rows)
    conn.commit()
    conn.close()
    assert read_times(path) == [5.0]


def test_a_missing_state_file_gives_nothing_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "none" / "state.sqlite3"
    assert read_times(path) == []
    assert read_times(tmp_path / "state.sqlite3") == []
    assert not path.parent.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"", b"not a database at all\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["empty", "text", "damaged"],
)
def test_a_file_that_is_no_state_file_gives_nothing(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(content)
    assert read_times(path) == []
    assert path.read_bytes() == content


def test_a_damaged_state_file_gives_nothing(tmp_path: Path) -> None:
    path = state_file(tmp_path / "state.sqlite3", [(f"link{i}", NOW) for i in range(2000)])
    data = bytearray(path.read_bytes())
    data[1024 : len(data) - 512] = b"\x5a" * (len(data) - 1536)  # pages overwritten
    path.write_bytes(bytes(data))
    assert read_times(path) == []


def test_a_folder_or_a_database_without_marks_gives_nothing(tmp_path: Path) -> None:
    assert read_times(tmp_path) == []
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    assert read_times(other) == []


def test_a_locked_state_file_gives_nothing_soon(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    statefile.create_schema(conn)  # rollback journal: an exclusive lock keeps readers out
    conn.execute("INSERT INTO read VALUES ('a', 1.0)")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO read VALUES ('b', 2.0)")
    try:
        assert read_times(path) == []  # at once (a 0.5 s wait), never blocked
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert read_times(path) == [1.0]


def test_read_times_can_be_read_while_the_store_writes(tmp_path: Path) -> None:
    path = state_file(tmp_path / "state.sqlite3", [("a", 1.0)])
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")  # a write in progress: WAL readers do not wait
    writer.execute("INSERT INTO read VALUES ('b', 2.0)")
    try:
        seen: list[list[float]] = []
        reader = threading.Thread(target=lambda: seen.append(read_times(path)))
        reader.start()
        reader.join(30)
        assert seen == [[1.0]]
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert sorted(read_times(path)) == [1.0, 2.0]
