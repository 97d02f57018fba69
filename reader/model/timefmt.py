"""Human forms of times: "3h" ages and local dates."""

from __future__ import annotations

import time
from datetime import datetime, timezone


def current_time() -> float:
    """The current time; tests replace it to draw ages from a fixed moment."""
    return time.time()


def age(ts: float | None, now: float | None = None) -> str:
    """A compact age such as "45s", "3h", "2d", "5w", "3mo", "2y"; "" when unknown."""
    if ts is None:
        return ""
    seconds = (current_time() if now is None else now) - ts
    if seconds < 0:
        return "soon"
    for unit, size in (("y", 31_557_600), ("mo", 2_629_800), ("w", 604_800), ("d", 86_400)):
        if seconds >= size * (2 if unit in ("y", "mo", "w") else 1):
            return f"{int(seconds // size)}{unit}"
    if seconds >= 3600:
        return f"{int(seconds // 3600)}h"
    if seconds >= 60:
        return f"{int(seconds // 60)}m"
    return f"{int(seconds)}s"


def short_date(ts: float | None, now: float | None = None) -> str:
    """The local day in at most six columns: "6 Jun" this year, "Jun'21" before; "" when unknown."""
    if ts is None:
        return ""
    try:
        moment = datetime.fromtimestamp(ts, tz=timezone.utc).astimezone()
        year = datetime.fromtimestamp(current_time() if now is None else now).year
    except (OverflowError, OSError, ValueError):
        return ""
    if moment.year == year:
        return f"{moment.day} {moment:%b}"
    return f"{moment:%b}'{moment:%y}"


def relative(ts: float | None, now: float | None = None) -> str:
    """A spoken age: "3 hours ago", "2 days ago"; "" when unknown."""
    short = age(ts, now)
    if not short or short == "soon":
        return "in the future" if short else ""
    units = {"s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week"}
    units.update({"mo": "month", "y": "year"})
    number = int("".join(ch for ch in short if ch.isdigit()))
    unit = units[short.lstrip("0123456789")]
    return f"{number} {unit}{'s' if number != 1 else ''} ago"


def _local(ts: float | None) -> datetime | None:
    """`ts` in local time, or None when unknown or out of the platform's range."""
    if ts is None:
        return None
    try:
        return datetime.fromtimestamp(ts, tz=timezone.utc).astimezone()
    except (OverflowError, OSError, ValueError):
        return None


def local_datetime(ts: float | None) -> str:
    """The local date and time, e.g. "Sun 6 Jun 2021 16:25"; "" when unknown."""
    moment = _local(ts)
    return "" if moment is None else f"{moment:%a} {moment.day} {moment:%b %Y %H:%M}"


def day_and_time(ts: float | None) -> str:
    """The local day and time without year or weekday, e.g. "6 Jun 16:25" (for a
    storyline, which spans a few days); "" when unknown."""
    moment = _local(ts)
    return "" if moment is None else f"{moment.day} {moment:%b %H:%M}"


def local_minute(ts: float | None) -> str:
    """The local date and time as "2026-12-02 09:00" (for the command line); "?" when unknown."""
    moment = _local(ts)
    return "?" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def iso_utc(ts: float | None) -> str | None:
    """ISO 8601 in UTC ("2021-06-06T14:25:29Z"), or None when unknown."""
    if ts is None:
        return None
    try:
        return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None
