"""The state of browsing, and the rules that place the list's cursor and the detail pane.

`BrowseState` holds what the user is looking at; `reader.browse.model.BrowseModel`
adds the intents that change it. Its helpers decide what is listed (the
topic, searched) and which story the detail pane shows after any change.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reader.model.article import Article
from reader.model.index import ALL, ORDERS, Index, rank
from reader.model.query import Query, parse_query

from .change import Change, CountEverywhere, Part, ReadStory
from .detail import Detail
from .grouping import Rows, storyline_rows
from .listing import Listing
from .loading import Loaded
from .marks import Marks
from .rescan import RescanReport
from .searches import SavedSearches

#: The key of the sidebar's "Saved" entry (no real topic can hold a NUL).
SAVED = "\x00saved"
#: The key of the sidebar's "Muted" entry: the stories the config's mutes set aside.
MUTED = "\x00muted"
#: The keys of a saved search's entry and of a folder's: this, then its name or path.
SEARCH = "\x00search:"
FOLDER = "\x00folder:"
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
    """Topic, order, search, the listed stories and the story shown, for the folders read."""

    def __init__(
        self,
        roots: str | Sequence[str],
        marks: Marks,
        *,
        order: str = "heat",
        clock: Callable[[], float] = time.monotonic,
        searches: SavedSearches | None = None,
        hide_read: bool = False,
        show_trends: bool = False,
        images: bool = True,
        openers: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        #: The folders read, each with its own sidebar entry when there are several.
        self.roots = (roots,) if isinstance(roots, str) else tuple(roots)
        self.marks = marks
        self.clock = clock
        self.searches = searches or SavedSearches()
        #: Read stories are left out of every list (`H`), but for the one chosen.
        self.hide_read = hide_read
        #: Each topic's stories per day are drawn in the sidebar (`T`).
        self.show_trends = show_trends
        #: The story's lead image is fetched and drawn (`i`); never when the config
        #: says `images = false`.
        self.images_allowed = images
        self.show_images = False
        #: Story type -> the program that opens its link (the config's `[open]`).
        self.openers = dict(openers or {})
        #: Where `M` goes back to from the muted stories.
        self.before_muted = ALL
        #: The full texts fetched so far, folded for `text:` (mark key -> text).
        self.full_texts: dict[str, str] = {}
        #: The stories of saved searches, folders and the muted, as last worked out.
        self._stories_of: dict[tuple[str, str], tuple[tuple[object, ...], Sequence[Article]]] = {}
        self.loaded = Loaded(Index(()), waiting=True)
        self.order = order if order in ORDERS else "heat"
        #: The key of the sidebar entry selected (a topic, `ALL` or `SAVED`).
        self.topic = ALL
        self.query_text = ""
        self.query: Query = parse_query("")
        self.search_open = False
        self.listing = Listing()
        #: One row per storyline (on by default), and those listed story by story.
        self.grouped = True
        self.expanded: set[str] = set()
        self.rows = Rows(())
        #: Each topic's rows in each order, as last worked out (see `_grouped`).
        self._rows_of: dict[tuple[str, str], tuple[object, object, frozenset[str], Rows]] = {}
        #: How many stories the topic and the search list (rows may be fewer).
        self.matched = 0
        #: The file of the story the user last chose (a move, or the first of a new
        #: list or search): kept selected across reloads and re-rankings, and
        #: come back to when a search is cleared, even while briefly missing.
        self.chosen: str | None = None
        self.detail = Detail()
        #: The selected topic's stories before the search, and the matches in all topics.
        self.base: Sequence[Article] = ()
        self.everywhere: int | None = None
        #: The provider every listed story shares (its column is then left out), or "".
        self.one_provider = ""
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
            return rank((a for a in saved if a is not None), self.order, self.index.rises)
        if key == MUTED:
            muted, rises = self.loaded.muted, self.index.rises
            return self._kept(key, (muted, rises), lambda: rank(muted, self.order, rises))
        if not key.startswith((SEARCH, FOLDER)):
            return self.index.articles(key, self.order)
        everything = self.index.articles(ALL, self.order)
        if key.startswith(FOLDER):
            inside = os.path.join(key.removeprefix(FOLDER), "")
            return self._kept(
                key, (everything,), lambda: [a for a in everything if a.path.startswith(inside)]
            )
        found = self.searches.find(key.removeprefix(SEARCH))
        if found is None:
            return ()
        query = parse_query(found.query)
        # What the matches depend on besides the stories: marks, and heat gained.
        marks = (self.marks.read_links(), self.marks.saved_links()) if query.flags else ()
        gains = (self.index.rises,) if query.rising else ()
        inputs = (everything, found.query, *marks, *gains)
        return self._kept(key, inputs, lambda: self._filter(everything, query))

    def _kept(
        self, key: str, inputs: tuple[object, ...], work: Callable[[], Sequence[Article]]
    ) -> Sequence[Article]:
        """`work()`, or what it gave last time for `key` in this order from the very same
        `inputs`: a sidebar redraw asks for every entry's stories at each mark."""
        kept = self._stories_of.get((key, self.order))
        if kept is not None and len(kept[0]) == len(inputs):
            # Identity: comparing lists of 100,000 stories would cost more than the work.
            same = (
                a is b or (isinstance(a, str) and a == b)
                for a, b in zip(kept[0], inputs, strict=True)
            )
            if all(same):
                return kept[1]
        stories = work()
        self._stories_of[key, self.order] = (inputs, stories)
        return stories

    def entry_exists(self, key: str) -> bool:
        """True when the sidebar has an entry `key` (a topic may lose its last story)."""
        if key in (ALL, SAVED, MUTED):
            return True
        if key.startswith(SEARCH):
            return self.searches.find(key.removeprefix(SEARCH)) is not None
        if key.startswith(FOLDER):
            return key.removeprefix(FOLDER) in self.roots
        return any(t.key == key for t in self.index.topics)

    def _relist(
        self,
        *,
        keep: str | None = None,
        reset: bool = False,
        chosen: bool = False,
        arrived: bool = False,
    ) -> None:
        """Work out the stories listed (the topic, searched, grouped) and place the cursor."""
        self.base = self.topic_stories(self.topic)
        stories = self._search(self.base)
        self.matched = len(stories)
        if self.grouped:
            self.rows = self._grouped(stories)
        else:
            self.rows = Rows(stories)
        if keep is not None:
            keep = self.rows.home(keep)  # a story within a storyline's row
        if reset:
            self.listing.reset(self.rows.stories)
        else:
            self.listing.replace(self.rows.stories, keep, chosen=chosen, arrived=arrived)
        self.one_provider = one_provider(stories)
        current = self.listing.current
        if current is None:
            return
        # `keep` is listed exactly when the cursor landed on it (Listing.replace).
        missing = keep is not None and current.path != keep and self.listing.touched
        if not (missing and self._unreadable_now(keep)):
            self.chosen = current.path

    def _grouped(self, stories: Sequence[Article]) -> Rows:
        """The rows of `stories`; a topic's rows are kept for the next time it is
        chosen, while the index, its storylines and what is opened stay the same
        (grouping "All stories" costs ~90 ms at 100,000 stories). `stories` is
        `self.base` filtered, in its order: as long, it is the same stories (one
        letter typed matches nearly all), and the topic's rows serve."""
        lines, opened = self.loaded.storylines, frozenset(self.expanded)
        if len(stories) != len(self.base):  # searched: new every time
            return storyline_rows(stories, lines, opened)
        kept = self._rows_of.get((self.topic, self.order))
        if kept is not None and kept[0] is self.base and kept[1] is lines and kept[2] == opened:
            return kept[3]
        rows = storyline_rows(self.base, lines, opened)
        self._rows_of[self.topic, self.order] = (self.base, lines, opened, rows)
        return rows

    def _unreadable_now(self, path: str | None) -> bool:
        """True when the file `path` could not be read just now (e.g. caught
        half-written): its story stays the one to come back to. A story deleted,
        unsaved or filtered out gives way to the one under the cursor."""
        return any(p.path == path and p.kind == "skipped" for p in self.loaded.problems)

    def _search(self, base: Sequence[Article]) -> Sequence[Article]:
        """`base` as the query filters it (and without read stories when they are
        hidden). The matches in all topics are counted later (`count_everywhere`):
        at 100,000 stories that costs ~30 ms, against well under 1 ms for a topic
        of a few thousand, on every keystroke."""
        self.everywhere = None
        stories = base if self.query.is_empty else self._filter(base)
        if self.hide_read:
            read, chosen = self.marks.read_links(), self.chosen
            stories = [a for a in stories if a.mark_key not in read or a.path == chosen]
        return stories

    def _count_later(self, change: Change) -> None:
        """Ask for the matches in all topics to be counted once typing pauses."""
        if not self.query.is_empty and self.topic != ALL:
            change.run(CountEverywhere())

    def _filter(self, stories: Sequence[Article], query: Query | None = None) -> list[Article]:
        """`stories` that `query` (by default the one typed) matches."""
        marks = self.marks
        return self.loaded.searcher.filter(
            self.query if query is None else query,
            stories,
            read_links=marks.read_links(),
            saved_links=marks.saved_links(),
            rises=self.index.rises,
            texts=self.full_texts,
        )

    def _follow_list(self, change: Change, *, moved: bool = False) -> None:
        """The detail pane follows the list's cursor, unless it shows a related
        story that a reload or a re-ranking should not take away."""
        current, shown = self.listing.current, self.detail.article
        if self.detail.followed and not moved:
            newer = self.index.with_mark(shown.mark_key) if shown is not None else None
            if newer is not None:
                if self.detail.refresh(newer):
                    change.run(ReadStory(newer))  # its file changed
                return
            # The related story shown is gone from the folder: back to the list's.
        if current is not None and shown is not None and current.path == shown.path:
            if moved:
                self.detail.history.clear()
            if self.detail.refresh(current):
                change.run(ReadStory(current))
            return
        self._show_listed(current, change)

    def row_stories(self, article: Article) -> Sequence[Article]:
        """The stories a mark on `article` applies to: every story of its storyline
        when it stands for one (a storyline's row, not expanded), else itself."""
        group = self.rows.group(article)
        if group is None or group.expanded:
            return (article,)
        return group.stories

    def _show_listed(self, article: Article | None, change: Change) -> None:
        if self.detail.show_listed(article) and article is not None:
            change.run(ReadStory(article))
        change.dirty |= Part.DETAIL


def one_provider(stories: Sequence[Article]) -> str:
    """The provider every story of `stories` shares, or "" (stops at the first other one)."""
    first = (stories[0].provider_name or stories[0].provider_domain) if stories else ""
    for article in stories:
        if (article.provider_name or article.provider_domain) != first:
            return ""
    return first
