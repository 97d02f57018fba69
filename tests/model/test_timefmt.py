from __future__ import annotations

import time

import pytest

from reader.model.timefmt import age, day_and_time, iso_utc, local_datetime, relative

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("seconds", "short", "spoken"),
    [
        (5, "5s", "5 seconds ago"),
        (60, "1m", "1 minute ago"),
        (3 * 3600, "3h", "3 hours ago"),
        (86_400, "1d", "1 day ago"),
        (13 * 86_400, "13d", "13 days ago"),
        (15 * 86_400, "2w", "2 weeks ago"),
        (70 * 86_400, "2mo", "2 months ago"),
        (800 * 86_400, "2y", "2 years ago"),
    ],
)
def test_ages(seconds: int, short: str, spoken: str) -> None:
    assert age(NOW - seconds, NOW) == short
    assert relative(NOW - seconds, NOW) == spoken


def test_unknown_and_future() -> None:
    assert age(None) == "" and relative(None) == "" and local_datetime(None) == ""
    assert age(NOW + 10, NOW) == "soon" and relative(NOW + 10, NOW) == "in the future"


def test_iso_utc() -> None:
    assert iso_utc(1622989529.0) == "2021-06-06T14:25:29Z"
    assert iso_utc(None) is None
    assert iso_utc(1e20) is None


def test_local_datetime_has_the_year() -> None:
    assert "2021" in local_datetime(1622989529.0)
    assert local_datetime(1e20) == ""


def test_day_and_time_is_local_day_month_and_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert day_and_time(1622989529.0) == "6 Jun 14:25"  # 2021-06-06T14:25:29Z
    finally:
        monkeypatch.undo()
        time.tzset()
    assert day_and_time(None) == "" and day_and_time(1e20) == ""
