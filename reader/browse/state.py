"""The state of browsing, and the rules that place the list's cursor and the detail pane.

`BrowseState` holds what the user is looking at; `reader.browse.model.BrowseModel`
adds the intents that change it. Its helpers decide what is listed (the
topic, searched) and which story the detail pane shows after any change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reader.model.article import Article
from reader.model.index import ALL, ORDERS, Index, rank
from reader.model.query import Query, parse_query

from .change import Change, Part, ReadStory
from .detail import Detail
from .listing import Listing
from .loading import Loaded
from .marks import Marks
from .rescan import RescanReport

#: The key of the sidebar's "Saved" entry (no real topic can hold a NUL).
SAVED = "\x00saved"
#: What a change to the list shows: the list, the detail that follows it, the search count.
LISTED = Part.LIST | Part.DETAIL | Part.SEARCH | Part.STATUS
#: What a change of marks shows: counts, list marks, the detail's marks.
MARKED = Part.SIDEBAR | Part.LIST | Part.DETAIL


@dataclass(frozen=True, slots=True)
class Pending:
    """A first press of "mark all read", waiting for the second."""

    keys: int
    at: float
    stories: Sequence[Article]
    unread: int


class BrowseState:
    """Topic, order, search, the listed stories and the story shown, for one folder."""

    def __init__(
        self,
        root: str,
        marks: Marks,
        *,
        order: str = "heat",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = root
        self.marks = marks
        self.clock = clock
        self.loaded = Loaded(Index(()), waiting=True)
        self.order = order if order in ORDERS else "heat"
        #: The key of the sidebar entry selected (a topic, `ALL` or `SAVED`).
        self.topic = ALL
        self.query_text = ""
        self.query: Query = parse_query("")
        self.search_open = False
        self.listing = Listing()
        #: The file of the story the user last chose: kept selected across
        #: reloads, re-rankings and searches, even while it is briefly missing.
        self.chosen: str | None = None
        self.detail = Detail()
        #: The selected topic's stories before the search, and the matches in all topics.
        self.base: Sequence[Article] = ()
        self.everywhere: int | None = None
        self.folder_gone = False
        self._rescan: RescanReport | None = None
        #: A first press of "mark all read" waiting for the second.
        self._pending: Pending | None = None
        #: Keys pressed so far: a confirmation is good for the very next key only.
        self._keys = 0

    @property
    def index(self) -> Index:
        """The stories known so far."""
        return self.loaded.index

    def topic_stories(self, key: str) -> Sequence[Article]:
        """The stories of a sidebar entry, in the current order."""
        if key == SAVED:
            saved = (self.index.with_mark(k) for k in self.marks.saved_links())
            return rank((a for a in saved if a is not None), self.order)
        return self.index.articles(key, self.order)

    def _relist(
        self,
        *,
        keep: str | None = None,
        reset: bool = False,
        chosen: bool = False,
        arrived: bool = False,
    ) -> None:
        """Work out the stories listed (the topic, searched) and place the cursor."""
        self.base = self.topic_stories(self.topic)
        stories = self._search(self.base)
        if reset:
            self.listing.reset(stories)
        else:
            self.listing.replace(stories, keep, chosen=chosen, arrived=arrived)
        current = self.listing.current
        # A story asked for but (for now) missing stays the one to come back to.
        if current is not None and (
            reset or keep is None or not self.listing.touched or current.path == keep
        ):
            self.chosen = current.path

    def _search(self, base: Sequence[Article]) -> Sequence[Article]:
        """`base` as the query filters it; also counts the matches in all topics."""
        self.everywhere = None
        if self.query.is_empty:
            return base
        marks = {"read_links": self.marks.read_links(), "saved_links": self.marks.saved_links()}
        everything = self.index.articles(ALL, self.order)
        matches = self.loaded.searcher.filter(self.query, everything, **marks)
        if self.topic == ALL:
            return matches
        self.everywhere = len(matches)
        members = set(map(id, base))
        return [a for a in matches if id(a) in members]

    def _follow_list(self, change: Change, *, moved: bool = False) -> None:
        """The detail pane follows the list's cursor, unless it shows a related
        story that a reload or a re-ranking should not take away."""
        current, shown = self.listing.current, self.detail.article
        if self.detail.followed and not moved:
            newer = self.index.with_mark(shown.mark_key) if shown is not None else None
            if newer is not None and self.detail.refresh(newer):
                change.run(ReadStory(newer))  # its file changed
            return
        if current is not None and shown is not None and current.path == shown.path:
            if moved:
                self.detail.history.clear()
            if self.detail.refresh(current):
                change.run(ReadStory(current))
            return
        self._show_listed(current, change)

    def _show_listed(self, article: Article | None, change: Change) -> None:
        if self.detail.show_listed(article) and article is not None:
            change.run(ReadStory(article))
        change.dirty |= Part.DETAIL
