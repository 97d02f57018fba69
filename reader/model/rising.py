"""Heat over time, as numbers: which scores are kept, thinning a story's points,
the heat a story gained over a window, and a sparkline of it in text.

Pure: `reader.model.heatlog` keeps the points in a file and asks these
functions what to keep and what a story gained.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .normalize import MAX_SCORE

#: The window "rising" measures over unless the config says otherwise.
DEFAULT_WINDOW = 24 * 3600.0
#: The most points kept for one story; older ones are thinned first.
MAX_POINTS = 48
#: Points newer than this are never thinned (the window "rising" looks at, and more).
DENSE_SECONDS = 3 * 24 * 3600.0
_DAY = 24 * 3600.0
#: What `Rises.needs` says while there is nothing to compare.
NEEDS_TWO = (
    "Rising needs two snapshots of the folder: heat is recorded each time reader reads it "
    "(or run `reader history --from-git`)."
)
_BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class Point:
    """A story's heat and quality as seen at `at` (seconds since the epoch)."""

    at: float
    heat: int | None
    quality: int | None = None


def score(value: object) -> int | None:
    """`value` as a score worth recording, or None: unknown, not an int, negative or absurd."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= MAX_SCORE else None


def compact(points: Iterable[Point]) -> list[Point]:
    """`points` in time order with each repeat of the point before it left out:
    only changes are kept (the first sighting of a value, not its last)."""
    kept: list[Point] = []
    for point in sorted(points, key=lambda p: p.at):
        if kept and kept[-1].at == point.at:
            kept[-1] = point  # two sightings at one moment: the later word wins
            if len(kept) > 1 and _same(kept[-2], point):
                kept.pop()
        elif not kept or not _same(kept[-1], point):
            kept.append(point)
    return kept


def _same(a: Point, b: Point) -> bool:
    return a.heat == b.heat and a.quality == b.quality


def thin(points: Sequence[Point], limit: int = MAX_POINTS) -> list[Point]:
    """At most `limit` of `points` (in time order), keeping the shape of the curve.

    The first and the last point are always kept, and every point of the last
    `DENSE_SECONDS` before the last one while they fit. Older points keep the
    last of each day, then every other one, oldest first, until they fit.
    """
    if len(points) <= limit:
        return list(points)
    limit = max(limit, 2)
    first, *middle, last = points
    recent = [p for p in middle if p.at > last.at - DENSE_SECONDS]
    if len(recent) > limit - 2:
        recent = recent[len(recent) - (limit - 2) :]
    older = _daily([p for p in middle if p.at <= last.at - DENSE_SECONDS])
    room = limit - 2 - len(recent)
    while len(older) > room:
        older = older[1::2] if room > 0 else []
    return [first, *older, *recent, last]


def _daily(points: list[Point]) -> list[Point]:
    """The last point of each day (UTC) of `points`, in order."""
    by_day: dict[int, Point] = {}
    for point in points:
        by_day[int(point.at // _DAY)] = point
    return list(by_day.values())


def gained(points: Sequence[Point], since: float) -> int | None:
    """The heat a story gained from `since` to its last point, or None when unknown.

    The baseline is its heat at `since` (its last point then), or its first
    known heat when it was first seen later.
    """
    known = [p for p in points if p.heat is not None]
    if not known:
        return None
    before = [p for p in known if p.at <= since]
    base = before[-1] if before else known[0]
    assert known[-1].heat is not None and base.heat is not None
    return known[-1].heat - base.heat


@dataclass(frozen=True, slots=True)
class Rises:
    """What each story gained over the window: the "rising" order and `rising>N`.

    `gains` holds only the stories whose heat moved in the window (by mark
    key); any other story gained 0, or nothing is known of it.
    """

    gains: Mapping[str, int] = field(default_factory=dict)
    #: The window measured over, in seconds.
    window: float = DEFAULT_WINDOW
    #: True once two snapshots exist (two runs, or a story with two points).
    ready: bool = False

    def of(self, key: str) -> int:
        """What the story with mark key `key` gained (0 when it did not move)."""
        return self.gains.get(key, 0)

    @property
    def needs(self) -> str:
        """Why the order cannot rank yet ("" once it can)."""
        return "" if self.ready else NEEDS_TWO


def over_time(points: Sequence[Point], width: int) -> list[int]:
    """The heat of `points` at `width` equal steps from the first point to the last
    (each step the heat last seen by then), so a sparkline shows time evenly."""
    known = [p for p in points if p.heat is not None]
    if not known or width <= 0:
        return []
    start, span = known[0].at, known[-1].at - known[0].at
    values, i = [], 0
    for step in range(width):
        moment = start + span * step / max(width - 1, 1)
        while i + 1 < len(known) and known[i + 1].at <= moment:
            i += 1
        heat = known[i].heat
        assert heat is not None
        values.append(heat)
    return values


def bars(counts: Sequence[int]) -> str:
    """Counts as one block character each, from nothing (a space) to the largest (█)."""
    high = max(counts, default=0) or 1
    top = len(_BLOCKS)
    return "".join(_BLOCKS[max(0, -(-c * top // high) - 1)] if c > 0 else " " for c in counts)


def window_label(seconds: float) -> str:
    """A window as the config writes it: 45m, 24h, 36h, 7d, 2w (hours up to two days)."""
    for unit, size in (("w", 7 * _DAY), ("d", _DAY), ("h", 3600.0), ("m", 60.0)):
        if seconds >= max(size, 2 * _DAY if unit == "d" else 0) and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{max(1, round(seconds / 60))}m"
