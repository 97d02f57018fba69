"""The heat history file: only changes kept, bounded, rises, and never a crash."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader.model import heatlog
from reader.model.heatlog import HEAT_FILE, HeatLog
from reader.model.rising import MAX_POINTS, Point

HOUR = 3600.0


def test_only_changes_are_kept(tmp_path: Path) -> None:
    log = HeatLog.open(tmp_path / HEAT_FILE)
    assert log.record([("a", 10, 5), ("b", 3, None)], at=1000) == 2
    assert log.record([("a", 10, 5), ("b", 3, None)], at=2000) == 0
    assert log.record([("a", 12, 5), ("b", 3, 1)], at=3000) == 2
    assert log.series("a") == [Point(1000, 10, 5), Point(3000, 12, 5)]
    assert log.series("b") == [Point(1000, 3, None), Point(3000, 3, 1)]
    assert [run[1:] for run in log.runs()] == [(2, 2), (2, 0), (2, 2)]
    assert log.take_notices() == []


def test_a_run_that_sees_what_the_last_one_saw_is_only_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared: list[int] = []
    monkeypatch.setattr(heatlog, "_forget", lambda conn, now: compared.append(now))
    log = HeatLog.in_memory()
    seen_a, seen_b = [("a", 10, 5), ("b", 3, None)], [("a", 11, 5), ("b", 3, None)]
    assert log.record(seen_a, at=1000) == 2
    assert log.record(seen_a, at=2000) == 0
    assert compared == [1000]  # the second run was not compared story by story
    assert log.record(seen_b, at=3000) == 1
    assert log.record(seen_a, at=4000) == 1  # back to what an earlier run saw: a change
    assert log.series("a") == [Point(1000, 10, 5), Point(3000, 11, 5), Point(4000, 10, 5)]
    log.add_points({"a": [Point(500, 9, 5)]})
    assert log.record(seen_a, at=5000) == 0
    assert compared == [1000, 3000, 4000, 5000]  # a backfill makes the next run compare
    assert [run[1:] for run in log.runs()] == [(2, 2), (2, 0), (2, 1), (2, 1), (2, 0)]


@pytest.mark.parametrize("heat", [None, -5, 1e309, [1, 2], "12", True, 10**13])
def test_unknown_or_absurd_heat_records_nothing(heat: object) -> None:
    log = HeatLog.in_memory()
    assert log.record([("a", heat, 5), ("b", 7, 1)], at=1000) == 1
    assert log.series("a") == []
    assert log.record([("a", 4, 5), ("b", 7, 1)], at=2000) == 1
    assert log.record([("a", heat, 5)], at=3000) == 0  # the last good heat stands
    assert log.series("a") == [Point(2000, 4, 5)]


def test_rises_over_the_window() -> None:
    log = HeatLog.in_memory()
    log.record([("old", 50, None), ("up", 10, None), ("down", 90, None)], at=0)
    log.record([("up", 30, None), ("down", 60, None), ("new", 40, None)], at=30 * HOUR)
    log.record([("up", 70, None)], at=40 * HOUR)
    rises = log.rises(window=24 * HOUR, now=41 * HOUR)
    assert rises.ready
    # up: from its heat at the window's start (10, seen at 0) to 70; down lost 30;
    # new was first seen in the window and has not moved; old did not change.
    assert dict(rises.gains) == {"up": 60, "down": -30}
    narrow = log.rises(window=10 * HOUR, now=41 * HOUR)
    assert dict(narrow.gains) == {"up": 40}  # from 30, its heat at 31h


def test_rising_needs_two_snapshots() -> None:
    log = HeatLog.in_memory()
    assert not log.rises().ready
    log.record([("a", 1, None)], at=0)
    assert not log.rises(now=10).ready
    log.record([("a", 1, None)], at=5)
    assert log.rises(now=10).ready


def test_points_per_story_are_bounded() -> None:
    log = HeatLog.in_memory()
    for run in range(MAX_POINTS * 3):
        log.record([("a", run, None)], at=run * HOUR)
    series = log.series("a")
    assert len(series) <= MAX_POINTS
    assert series[0] == Point(0, 0) and series[-1].heat == MAX_POINTS * 3 - 1
    assert log.size() == (1, len(series))


def test_stories_gone_and_unchanged_for_long_are_forgotten() -> None:
    log = HeatLog.in_memory()
    log.record([("gone", 1, None), ("kept", 1, None)], at=0)
    later = heatlog.FORGET_SECONDS + 10
    log.record([("kept", 1, None)], at=later)
    assert log.series("gone") == []
    assert log.series("kept") == [Point(0, 1)]  # still seen: its one point stays


def test_add_points_merges_older_history() -> None:
    log = HeatLog.in_memory()
    log.record([("a", 50, None)], at=10_000)
    added = log.add_points({"a": [Point(100, 5), Point(200, 5), Point(300, 20)], "b": []})
    assert added == 1
    assert log.series("a") == [Point(100, 5), Point(300, 20), Point(10_000, 50)]
    assert log.add_points({"a": [Point(200, 5)]}) == 0  # nothing new
    assert log.add_points({"c": [Point(1, -3)]}) == 0  # an absurd heat adds nothing
    log.set_imported("repo", "abc")
    assert log.imported("repo") == "abc"
    assert log.imported("other") is None


def test_a_second_instance_sees_the_history(tmp_path: Path) -> None:
    path = tmp_path / HEAT_FILE
    HeatLog.open(path).record([("a", 1, None)], at=1)
    other = HeatLog.open(path)
    other.record([("a", 2, None)], at=2)
    assert HeatLog.open(path).series("a") == [Point(1, 1), Point(2, 2)]


def test_a_damaged_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / HEAT_FILE
    path.write_bytes(b"this is not a database" * 100)
    log = HeatLog.open(path)
    notices = log.take_notices()
    assert len(notices) == 1 and "damaged" in notices[0] and "moved" in notices[0]
    assert log.path == path
    assert log.record([("a", 1, None)], at=1) == 1
    assert list(tmp_path.glob(f"{HEAT_FILE}.corrupt-*"))


def test_a_folder_in_the_way_keeps_history_in_memory(tmp_path: Path) -> None:
    path = tmp_path / HEAT_FILE
    path.mkdir()
    log = HeatLog.open(path)
    assert log.path is None
    assert "not kept" in log.take_notices()[0]
    assert log.record([("a", 1, None)], at=1) == 1
    assert log.series("a") == [Point(1, 1)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_keeps_history_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        log = HeatLog.open(folder / HEAT_FILE)
        assert log.path is None
        assert log.take_notices()
        assert log.record([("a", 1, None)], at=1) == 1
    finally:
        folder.chmod(0o700)


def test_a_failing_write_is_a_notice_not_a_crash(tmp_path: Path) -> None:
    log = HeatLog.open(tmp_path / HEAT_FILE)
    log.record([("a", 1, None)], at=1)
    os.chmod(tmp_path / HEAT_FILE, 0o400)
    # Another connection holding the write lock makes the next record fail fast.
    blocker = sqlite3.connect(tmp_path / HEAT_FILE, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        log._conn.execute("PRAGMA busy_timeout = 10")
        assert log.record([("a", 2, None)], at=2) == 0
        assert "not recorded" in log.take_notices()[0]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert log.series("a") == [Point(1, 1)]


def test_a_file_name_that_is_not_utf8_keeps_its_history() -> None:
    key = "file:" + b"/c/caf\xe9.md".decode("utf-8", "surrogateescape")
    log = HeatLog.in_memory()
    log.record([(key, 1, None)], at=0)
    log.record([(key, 5, None)], at=10)
    assert log.series(key) == [Point(0, 1), Point(10, 5)]
    assert dict(log.rises(window=100, now=20).gains) == {key: 4}
    assert log.add_points({key: [Point(-5, 0)]}) == 1


def test_a_lone_surrogate_in_a_link_keeps_its_history() -> None:
    key = "https://x.example/\ud800"
    log = HeatLog.in_memory()
    log.record([(key, 1, None)], at=0)
    log.record([(key, 3, None)], at=10)
    assert dict(log.rises(window=100, now=20).gains) == {key: 2}
