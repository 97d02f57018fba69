"""What a rescan (`r`) found: stories new, changed and gone, in one line."""

from __future__ import annotations

from reader.model.index import Index


class RescanReport:
    """The stories before a rescan, to compare with those after it."""

    def __init__(self, before: Index, problems: int) -> None:
        self._before = {a.path: a for a in before.articles()}
        self._problems = problems

    def report(self, after: Index, problems: int) -> str:
        """One line saying what changed since the rescan was asked for."""
        now = {a.path: a for a in after.articles()}
        new = len(now.keys() - self._before.keys())
        gone = len(self._before.keys() - now.keys())
        changed = sum(now[p] != self._before[p] for p in now.keys() & self._before.keys())
        parts = [
            f"{n:,} {what}" for n, what in ((new, "new"), (changed, "changed"), (gone, "gone"))
        ]
        found = ", ".join(p for p in parts if not p.startswith("0 "))
        skipped = problems - self._problems
        if skipped:
            more = "more" if skipped > 0 else "fewer"
            found = ", ".join(filter(None, [found, f"{abs(skipped):,} {more} files not shown"]))
        if not found:
            return f"Rescanned: nothing changed ({len(now):,} stories)."
        return f"Rescanned: {found} ({len(now):,} stories)."
