"""Saved searches: the config's, and those saved from the search box (kept in the state store).

The config's cannot be changed from the app (the file is the user's); those
saved in the app can be edited and removed from the command palette.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol

from reader.model.config import SavedSearch
from reader.model.text import clean_line

#: The state store's setting that holds the searches saved in the app (a JSON list).
SETTING = "saved_searches"
#: Longest name kept: it is a sidebar entry.
MAX_NAME = 60


class Settings(Protocol):
    """Where the app keeps settings (the state store)."""

    def get_setting(self, key: str, default: str | None = None) -> str | None: ...

    def set_setting(self, key: str, value: str) -> None: ...


class SavedSearches:
    """Every saved search, the config's first."""

    def __init__(self, configured: Sequence[SavedSearch] = (), store: Settings | None = None):
        self.configured = tuple(configured)
        self.store = store
        self.saved: list[SavedSearch] = []

    def all(self) -> list[SavedSearch]:
        """Every saved search, in sidebar order."""
        return [*self.configured, *self.saved]

    def find(self, name: str) -> SavedSearch | None:
        """The search called `name`, if any."""
        return next((s for s in self.all() if s.name == name), None)

    def editable(self, name: str) -> bool:
        """True for a search saved in the app (not one of the config's)."""
        return any(s.name == name for s in self.saved)

    def load(self) -> str | None:
        """Read the searches saved in the app from the store; what was wrong, if anything."""
        if self.store is None:
            return None
        text = self.store.get_setting(SETTING)
        if not text:
            return None
        try:
            entries = json.loads(text)
            searches = [
                SavedSearch(clean_line(e["name"], MAX_NAME), clean_line(e["query"], 500))
                for e in entries
            ]
        except (ValueError, TypeError, KeyError):
            return "The saved searches kept in the state file could not be read: none are shown."
        taken = {s.name for s in self.configured}
        self.saved = [s for s in searches if s.name and s.query and s.name not in taken]
        return None

    def why_not(self, name: str, replacing: str | None = None) -> str | None:
        """Why a search may not be saved as `name` (`replacing`: the one being edited)."""
        if not name.strip():
            return "A saved search needs a name."
        if name != replacing and self.find(name) is not None:
            return f"There is a saved search called {name!r} already."
        return None

    def add(self, name: str, query: str) -> None:
        """Save `query` as `name` (checked with `why_not` first)."""
        self.saved.append(SavedSearch(name, query))
        self._keep()

    def edit(self, name: str, new_name: str, query: str) -> None:
        """Rename and change the search `name` saved in the app."""
        self.saved = [SavedSearch(new_name, query) if s.name == name else s for s in self.saved]
        self._keep()

    def remove(self, name: str) -> None:
        """Forget the search `name` saved in the app."""
        self.saved = [s for s in self.saved if s.name != name]
        self._keep()

    def _keep(self) -> None:
        if self.store is not None:
            entries = [{"name": s.name, "query": s.query} for s in self.saved]
            self.store.set_setting(SETTING, json.dumps(entries, ensure_ascii=False))
