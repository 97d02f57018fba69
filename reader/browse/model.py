"""The browsing model: what the user is looking at, and every intent that changes it.

Each public method is one thing the user (or the folder, or another reader
running at once) did, and returns a `Change`: the parts of the screen to
redraw, what to tell the user, and effects for the screen to run (open a
link, read a file). The views the widgets draw come from `views.Views`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reader.model.article import Article, Problem, Story
from reader.model.index import ALL, ORDERS, Index, rank
from reader.model.links import unsafe_reason
from reader.model.query import Query, parse_query

from .change import Change, CopyLink, OpenLink, Part, ReadStory, Rescan, ShowProblems
from .detail import Detail
from .listing import Listing
from .loading import Loaded
from .marks import Marks
from .rescan import RescanReport

#: How long a first press of "mark all read" waits for the second that confirms it.
CONFIRM_SECONDS = 4.0
#: The key of the sidebar's "Saved" entry (no real topic can hold a NUL).
SAVED = "\x00saved"
#: What a change to the list shows: the list, the detail that follows it, the search count.
_LISTED = Part.LIST | Part.DETAIL | Part.SEARCH | Part.STATUS
#: What a change of marks shows: counts, list marks, the detail's marks.
_MARKED = Part.SIDEBAR | Part.LIST | Part.DETAIL


@dataclass(frozen=True, slots=True)
class _Pending:
    """A first press of "mark all read", waiting for the second."""

    keys: int
    at: float
    stories: Sequence[Article]
    unread: int


def quoted_title(title: str) -> str:
    """A story's title as notices name it: in quotes, cut when long."""
    title = title or "(untitled)"
    return f"“{title if len(title) <= 60 else title[:59].rstrip() + '…'}”"


def quoted(article: Article) -> str:
    """A story's title as notices name it."""
    return quoted_title(article.title)


class BrowseModel:
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
        self.loaded = Loaded(Index(()))
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
        self._pending: _Pending | None = None
        self._keys = 0
        self._rescan: RescanReport | None = None

    @property
    def index(self) -> Index:
        """The stories known so far."""
        return self.loaded.index

    # -- the folder ------------------------------------------------------------

    def apply_index(self, loaded: Loaded) -> Change:
        """A newer index of the folder (while it loads, after a change or a rescan)."""
        change = Change(Part.ALL)
        gone = self.topic not in (ALL, SAVED) and not any(
            t.key == self.topic for t in loaded.index.topics
        )
        if gone:  # its last story went away
            name = self.index.topic_name(self.topic)
            change.say(f"No stories are left in {name!r}: showing all stories.")
            self.topic = ALL
        self.loaded = loaded
        self.folder_gone = False
        if loaded.cache_note:
            change.say(f"The index cache was rebuilt: {loaded.cache_note}.")
        # A topic gone from under the user keeps the story they were on.
        self._relist(keep=self.chosen, chosen=gone)
        self._follow_list(change)
        if self._rescan is not None and loaded.finished:
            change.say(self._rescan.report(loaded.index, len(loaded.problems)))
            self._rescan = None
        return change

    def rescan(self) -> Change:
        """`r`: read new and changed files now, and say what was found."""
        self._rescan = RescanReport(self.index, len(self.loaded.problems))
        change = Change()
        change.say("Rescanning the folder…", timeout=2)
        change.run(Rescan())
        return change

    def folder_missing(self, gone: bool) -> Change:
        """The folder was removed while reader runs (or came back)."""
        if gone == self.folder_gone:
            return Change()
        self.folder_gone = gone
        change = Change(Part.STATUS | Part.LIST | Part.DETAIL)
        if gone:
            change.say(
                "The folder is gone: the stories shown are as last read; "
                "reader picks it up again when it comes back.",
                "warning",
            )
        else:
            change.say("The folder is back: reading it again.")
            change.run(Rescan())
        return change

    def marks_changed(self) -> Change:
        """Marks changed outside this screen (another reader, the state file loading)."""
        self._pending = None
        change = Change(_MARKED)
        if self.topic == SAVED:
            self._relist(keep=self.chosen)
            self._follow_list(change)
            change.dirty |= _LISTED
        return change

    def problems(self) -> Change:
        """`!`: the files not shown, and why."""
        change = Change()
        change.run(ShowProblems())
        return change

    # -- choosing what is listed -----------------------------------------------

    def choose_topic(self, key: str) -> Change:
        """The user selected a sidebar entry: list its stories from the top."""
        if key == self.topic:
            return Change()
        self.topic = key
        self._relist(reset=True)
        change = Change(Part.SIDEBAR | _LISTED)
        self._follow_list(change)
        return change

    def set_order(self, order: str) -> Change:
        """Rank the list by `order`, keeping the chosen story."""
        if order not in ORDERS:
            return Change()
        self.order = order
        self._relist(keep=self.chosen)
        change = Change(_LISTED)
        self._follow_list(change)
        change.say(f"Sorted by {order}.", timeout=2)
        return change

    def cycle_order(self) -> Change:
        """`s`: the next order."""
        return self.set_order(ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)])

    def open_search(self) -> Change:
        """`/`: show the search box."""
        self.search_open = True
        return Change(Part.SEARCH)

    def set_query(self, text: str) -> Change:
        """What is typed in the search box changed: results start from the top;
        an emptied search comes back to the story chosen."""
        text = text.strip()
        if text == self.query_text:
            return Change()
        self.query_text, self.query = text, parse_query(text)
        self._pending = None
        if text:
            self._relist(reset=True)
        else:
            self._relist(keep=self.chosen, chosen=True)
        change = Change(_LISTED)
        self._follow_list(change)
        return change

    def clear_search(self) -> Change:
        """Escape: empty and close the search box."""
        change = self.set_query("")
        self.search_open = False
        change.dirty |= Part.SEARCH
        return change

    def go_to_story(self, article: Article) -> Change:
        """Select `article` among all stories (from the palette), whatever was searched."""
        change = self.clear_search()
        self.topic = ALL
        self.chosen = article.path
        self._relist(keep=article.path, chosen=True)
        self._follow_list(change)
        change.dirty |= Part.SIDEBAR | _LISTED
        return change

    # -- moving ------------------------------------------------------------------

    def key_pressed(self) -> None:
        """Any key: a confirmation asked for is only good for the very next key."""
        self._keys += 1

    def move(self, index: int) -> Change:
        """The user moved the list's cursor (a key, a click) to row `index`."""
        self.listing.move(index)
        current = self.listing.current
        if current is not None:
            self.chosen = current.path
        change = Change(Part.LIST | Part.DETAIL)
        self._follow_list(change, moved=True)
        return change

    def scrolled(self, top: int) -> Change:
        """The list's view scrolled (the wheel, the scroll bar)."""
        before = self.listing.new_above
        self.listing.scroll(top)
        return Change(Part.LIST if self.listing.new_above != before else Part.NONE)

    def resized(self, height: int) -> Change:
        """The list shows `height` rows now."""
        self.listing.resize(height)
        return Change(Part.LIST)

    def go_to_new(self) -> Change:
        """Go up to the stories that arrived above the view ("↑ 3 new")."""
        return self.move(0)

    def next_unread(self) -> Change:
        """`n`: the next unread story after the cursor, round the list."""
        stories, read = self.listing.stories, self.marks.read_links()
        start = self.listing.cursor + 1
        for offset in range(len(stories)):
            index = (start + offset) % len(stories)
            if stories[index].mark_key not in read:
                return self.move(index)
        change = Change()
        change.say("No unread stories here.", timeout=2)
        return change

    def open_listed(self) -> Change:
        """Enter on the list: show its story (not a related one) and mark it read."""
        current = self.listing.current
        if current is None:
            return Change()
        change = Change(Part.LIST | Part.DETAIL)
        shown = self.detail.article
        if shown is None or shown.path != current.path or self.detail.followed:
            self._show_listed(current, change)
        return change.merge(self._set_read(current, True))

    # -- related stories and history ---------------------------------------------

    def related_moved(self, row: int) -> Change:
        """The cursor of the related list moved to `row`."""
        self.detail.select_related(row)
        return Change(Part.DETAIL)

    def follow_related(self, number: int) -> Change:
        """`1`..`9`, Enter on a related story: show it here, or open it in the browser."""
        change = Change()
        article = self.detail.article
        if article is None:
            change.say("No story is selected.", "warning")
            return change
        rows = self.detail.related_rows(self.index)
        if self.detail.story is None:
            change.say("Still reading this story's related stories…", timeout=2)
            return change
        if not rows:
            change.say(f"{quoted(article)} has no related stories.", timeout=3)
            return change
        if not 0 <= number < len(rows):
            count = "one related story" if len(rows) == 1 else f"{len(rows)} related stories"
            keys = "press 1" if len(rows) == 1 else f"press 1 to {min(len(rows), 9)}"
            change.say(f"{quoted(article)} has {count}: {keys}.", timeout=3)
            return change
        self.detail.select_related(number)
        related = rows[number].related
        target = self.index.find(related.url) if rows[number].in_corpus else None
        if target is None:
            return change.merge(self._open(related.url, None, related.title))
        if self.detail.follow(target):
            change.run(ReadStory(target))
        change.dirty |= Part.LIST | Part.DETAIL
        return change.merge(self._set_read(target, True))

    def back(self) -> Change:
        """Backspace: the story shown before following a related one."""
        return self._travel(self.detail.back(), "No earlier story: 1 to 9 follow related stories.")

    def forward(self) -> Change:
        """Alt+Right: the story left by going back."""
        return self._travel(self.detail.forward(), "No later story: Backspace went back nowhere.")

    def _travel(self, read: bool | None, nowhere: str) -> Change:
        change = Change()
        if read is None:
            change.say(nowhere, timeout=3)
            return change
        change.dirty |= Part.LIST | Part.DETAIL
        article = self.detail.article
        if read and article is not None:
            change.run(ReadStory(article))
        return change

    def story_read(self, article: Article, story: Story | Problem) -> Change:
        """The file of `article` was read in full (for its images and related stories)."""
        return Change(Part.DETAIL if self.detail.story_read(article, story) else Part.NONE)

    # -- acting on the story shown -------------------------------------------------

    def open_current(self) -> Change:
        """`o`: open the story shown in the browser; it is marked read once the browser has it."""
        article = self.detail.article
        if article is None:
            change = Change()
            change.say("No story is selected.", "warning")
            return change
        return self._open(article.link_to_open, article.mark_key, article.title)

    def link_opened(self, mark: str | None) -> Change:
        """The browser took a link; `mark` is the story to mark read, if any."""
        article = self.index.with_mark(mark) if mark else None
        return self._set_read(article, True) if article else Change()

    def copy_link(self) -> Change:
        """`y`: copy the shown story's link, if it is one `o` would open."""
        change = Change()
        article = self.detail.article
        if article is None:
            change.say("No story is selected.", "warning")
            return change
        link = article.link_to_open
        reason = unsafe_reason(link)
        if reason is not None:
            change.say(f"Not copied: {reason}.", "warning")
        else:
            change.run(CopyLink(link, article.title))
        return change

    def toggle_read(self) -> Change:
        """`m`: mark the story shown read or unread."""
        article = self.detail.article
        if article is None:
            return self._nothing_selected()
        read = article.mark_key not in self.marks.read_links()
        change = self._set_read(article, read)
        change.say(f"Marked {quoted(article)} {'read' if read else 'unread'}.", timeout=2)
        return change

    def toggle_saved(self) -> Change:
        """`b`: save the story shown, or unsave it."""
        article = self.detail.article
        if article is None:
            return self._nothing_selected()
        saved = article.mark_key not in self.marks.saved_links()
        self.marks.set_saved(article.mark_key, saved)
        change = Change(_MARKED)
        if self.topic == SAVED:
            self._relist(keep=self.chosen)
            self._follow_list(change)
            change.dirty |= _LISTED
        change.say(f"{'Saved' if saved else 'No longer saved:'} {quoted(article)}.", timeout=2)
        return change

    def mark_all_read(self) -> Change:
        """`A`: mark every story listed read, once the very next key is `A` again."""
        change = Change()
        read = self.marks.read_links()
        unread = [a.mark_key for a in self.listing.stories if a.mark_key not in read]
        if not unread:
            self._pending = None
            change.say("Every story here is read.", timeout=2)
            return change
        pending, now = self._pending, self.clock()
        self._pending = None
        if (
            pending is not None
            and pending.keys + 1 == self._keys
            and pending.stories is self.listing.stories
            and pending.unread == len(unread)
            and now - pending.at <= CONFIRM_SECONDS
        ):
            self.marks.set_read_many(unread)
            change.dirty |= _MARKED
            change.say(f"Marked {len(unread):,} {_stories(len(unread))} read.", timeout=2)
            return change
        self._pending = _Pending(self._keys, now, self.listing.stories, len(unread))
        change.say(
            f"Press A again to mark {len(unread):,} {_stories(len(unread))} read.",
            timeout=CONFIRM_SECONDS,
        )
        return change

    # -- helpers -------------------------------------------------------------------

    def topic_stories(self, key: str) -> Sequence[Article]:
        """The stories of a sidebar entry, in the current order."""
        if key == SAVED:
            saved = (self.index.with_mark(k) for k in self.marks.saved_links())
            return rank((a for a in saved if a is not None), self.order)
        return self.index.articles(key, self.order)

    def _relist(
        self, *, keep: str | None = None, reset: bool = False, chosen: bool = False
    ) -> None:
        """Work out the stories listed (the topic, searched) and place the cursor."""
        self.base = self.topic_stories(self.topic)
        stories = self._search(self.base)
        if reset:
            self.listing.reset(stories)
        else:
            self.listing.replace(stories, keep, chosen=chosen)
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

    def _set_read(self, article: Article, read: bool) -> Change:
        if (article.mark_key in self.marks.read_links()) == read:
            return Change()
        self.marks.set_read(article.mark_key, read)
        self._pending = None
        return Change(_MARKED)

    def _open(self, url: str, mark: str | None, about: str) -> Change:
        change = Change()
        reason = unsafe_reason(url)
        if reason is not None:
            change.say(f"Not opened: {reason}.", "error")
        else:
            change.run(OpenLink(url, mark, about))
            change.say("Opening in your browser…", timeout=2)
        return change

    def _nothing_selected(self) -> Change:
        change = Change()
        change.say("No story is selected.", "warning")
        return change


def _stories(count: int) -> str:
    return "story" if count == 1 else "stories"
