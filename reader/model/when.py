"""Typed dates and ages of the search language (`after:`, `before:`) as timestamps.

    2024-03-01  2024-03  2024      the start of that day, month or year
    today  yesterday               the start of that day
    45m  12h  7d  2w  3mo  1y      that long before now

Days start at midnight in the given time zone (local time by default).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

_AGE = re.compile(r"(\d{1,6})(mo|m|h|d|w|y)")
_AGE_SECONDS = {"m": 60, "h": 3600, "d": 86_400, "w": 604_800, "mo": 2_629_800, "y": 31_557_600}
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DATE_HELP = "a date (2024-03-01, 2024-03, today) or an age (7d)"


def parse_age(value: str) -> float | None:
    """An age like 45m, 12h, 7d, 2w, 3mo or 1y in seconds, or None when it is not one."""
    age = _AGE.fullmatch(value.strip().lower())
    return int(age.group(1)) * _AGE_SECONDS[age.group(2)] if age else None


def parse_when(value: str, now: float, tz: tzinfo | None) -> tuple[float | None, str]:
    """A typed date or age as a timestamp, or (None, why not)."""
    value = value.lower()
    age = _AGE.fullmatch(value)
    if age:
        return now - int(age.group(1)) * _AGE_SECONDS[age.group(2)], ""
    if value in ("today", "yesterday"):
        today = datetime.fromtimestamp(now, tz)
        if value == "yesterday":
            today -= timedelta(days=1)
        return _midnight(today.year, today.month, today.day, tz), ""
    date = _DATE.fullmatch(value)
    if not date:
        return None, f"expects {_DATE_HELP}"
    year, month, day = (int(g) if g else 1 for g in date.groups())
    ts = _midnight(year, month, day, tz)
    return (ts, "") if ts is not None else (None, f"{value} is not a real date")


def _midnight(year: int, month: int, day: int, tz: tzinfo | None) -> float | None:
    """The start of a day in `tz` (None: local time), or None for no such day."""
    try:
        moment = datetime(year, month, day, tzinfo=tz)
        if tz is None:
            moment = moment.astimezone()  # a naive datetime is local time
        return moment.timestamp()
    except (ValueError, OverflowError, OSError):
        return None
