"""The browsing model: what the user is looking at, and every intent that changes it.

Each public method is one thing the user (or the folder, or another reader
running at once) did, and returns a `Change`: the parts of the screen to
redraw, what to tell the user, and effects for the screen to run (open a
link, read a file). The views the widgets draw come from `views`.
"""

from __future__ import annotations

from reader.model import timefmt
from reader.model.article import Article, Problem, Story
from reader.model.index import ALL, ORDERS
from reader.model.query import parse_query
from reader.model.text import clean_line
from reader.model.trends import DAYS

from .acting import CONFIRM_SECONDS
from .change import (
    AskSearchName,
    Change,
    Part,
    ReadStory,
    Rescan,
    ShowProblems,
    ShowStats,
    quoted,
)
from .loading import Loaded
from .reading import Reading
from .rescan import RescanReport
from .searches import MAX_NAME
from .state import LISTED, MUTED, SAVED, SEARCH

__all__ = ["CONFIRM_SECONDS", "SAVED", "BrowseModel"]


class BrowseModel(Reading):
    """Browsing one folder: the intents of every key, click and folder change."""

    # -- the folder ------------------------------------------------------------

    def apply_index(self, loaded: Loaded) -> Change:
        """A newer index of the folder (while it loads, after a change or a rescan)."""
        change = Change(Part.ALL)
        before = self.loaded
        self.loaded = loaded
        gone = not self.entry_exists(self.topic)
        if gone:  # its last story went away
            name = before.index.topic_name(self.topic)
            change.say(f"No stories are left in {name!r}: showing all stories.")
            self.topic = ALL
        self._rows_of.clear()  # rows and stories of the index before: let them go
        self._stories_of.clear()
        if loaded.cache_note:
            change.say(f"The index cache was rebuilt: {loaded.cache_note}.")
        # A topic gone from under the user keeps the story they were on.
        self._relist(keep=self.chosen, chosen=gone, arrived=True)
        self._follow_list(change)
        self._count_later(change)
        if self._rescan is not None and loaded.finished:
            change.say(self._rescan.report(loaded.index, len(loaded.problems)))
            self._rescan = None
        return change

    def rescan(self) -> Change:
        """`r`: read new and changed files now, and say what was found (once the
        folder has been read: a partial index would count stories not read yet)."""
        if self.loaded.finished:
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
        return self._saved_changed()

    def problems(self) -> Change:
        """`!`: the files not shown, and why."""
        change = Change()
        change.run(ShowProblems())
        return change

    def stats(self) -> Change:
        """`I`: the folder in numbers and charts."""
        change = Change()
        change.run(ShowStats())
        return change

    # -- choosing what is listed -----------------------------------------------

    def choose_topic(self, key: str) -> Change:
        """The user selected a sidebar entry: list its stories from the top."""
        if key == self.topic:
            return Change()
        if not self.entry_exists(key):
            change = Change()
            change.say("That topic has no stories any more.", "warning")
            return change
        self.topic = key
        self._relist(reset=True)
        change = Change(Part.SIDEBAR | LISTED)
        self._follow_list(change, moved=True)  # a new list: its story, not a related one
        self._count_later(change)
        return change

    def set_order(self, order: str) -> Change:
        """Rank the list by `order`, keeping the chosen story."""
        if order not in ORDERS:
            return Change()
        self.order = order
        self._relist(keep=self.chosen)
        change = Change(LISTED)
        self._follow_list(change)
        self._count_later(change)
        needs = self.index.rises.needs if order == "rising" else ""
        if needs:
            change.say(f"{needs} Until then: by heat.", "warning", timeout=6)
        else:
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
        change = Change(LISTED)
        self._follow_list(change, moved=True)  # another list: its story, not a related one
        self._count_later(change)
        return change

    def count_everywhere(self) -> Change:
        """How many stories match the search in every topic (typing has paused)."""
        if self.query.is_empty or self.topic == ALL:
            return Change()
        self.everywhere = len(self._filter(self.index.articles(ALL, self.order)))
        return Change(Part.SEARCH | Part.DETAIL)

    def clear_search(self) -> Change:
        """Escape: empty and close the search box."""
        change = self.set_query("")
        self.search_open = False
        change.dirty |= Part.SEARCH
        return change

    def go_to_story(self, article: Article) -> Change:
        """Select `article` among all stories (from the palette), whatever was searched."""
        self.query_text, self.query, self.search_open = "", parse_query(""), False
        self.topic, self.chosen = ALL, article.path
        self._relist(keep=article.path, chosen=True)
        change = Change(Part.SIDEBAR | LISTED)
        self._follow_list(change, moved=True)
        return change

    def toggle_trends(self) -> Change:
        """`T`: each topic's stories per day over the last two weeks, in the sidebar."""
        self.show_trends = not self.show_trends
        change = Change(Part.SIDEBAR)
        if self.show_trends and not any(self.index.trends(timefmt.current_time()).get(ALL, ())):
            change.say(
                f"No story was published in the last {DAYS} days: no trend to draw.", timeout=4
            )
        elif self.show_trends:
            change.say(f"Topic trends: stories per day over the last {DAYS} days.", timeout=3)
        return change

    def toggle_hide_read(self) -> Change:
        """`H`: leave read stories out of every list, or show them again."""
        self.hide_read = not self.hide_read
        self._relist(keep=self.chosen, chosen=self.listing.touched)
        change = Change(LISTED)
        self._follow_list(change)
        if self.hide_read:
            change.say("Read stories hidden (H shows them again).", timeout=3)
        else:
            change.say("Read stories shown.", timeout=2)
        return change

    def toggle_muted(self) -> Change:
        """`M`: list the stories the mutes hide, and go back where it was."""
        if self.topic == MUTED:
            return self.choose_topic(self.before_muted)
        if not self.loaded.muted:
            change = Change()
            change.say("Nothing is muted: [mute] in the config hides stories.", timeout=3)
            return change
        self.before_muted = self.topic
        change = self.choose_topic(MUTED)
        change.say("The muted stories: M goes back.", timeout=3)
        return change

    # -- saved searches ------------------------------------------------------------

    def save_search(self) -> Change:
        """`S`: keep the search typed under a name (asked for), as a sidebar entry."""
        change = Change()
        if self.query.is_empty:
            change.say("Type a search first (/), then S saves it.", timeout=3)
            return change
        change.run(AskSearchName(self.query_text, self.query_text))
        return change

    def edit_search(self, name: str) -> Change:
        """Change the name or query of a search saved in the app (from the palette)."""
        found = self.searches.find(name)
        change = Change()
        if found is None or not self.searches.editable(name):
            change.say(f"{name!r} is set in the config file: change it there.", "warning")
            return change
        change.run(AskSearchName(found.name, found.query, editing=name))
        return change

    def keep_search(self, name: str, query: str, editing: str | None = None) -> Change:
        """The name and query asked for: save (or change) the search, and list it."""
        name, query = clean_line(name, MAX_NAME), clean_line(query, 500)
        why = self.searches.why_not(name, editing) or (
            None if query else "A saved search needs a query."
        )
        if why is not None:
            change = Change()
            change.say(why, "warning")
            return change
        if editing is None:
            self.searches.add(name, query)
        else:
            self.searches.edit(editing, name, query)
        self._stories_of.clear()
        self.query_text, self.query, self.search_open = "", parse_query(""), False
        self.topic = ALL  # so that choosing it lists it afresh, even when it was listed
        change = self.choose_topic(SEARCH + name)
        change.dirty |= Part.SEARCH
        change.say(f"Saved search {name!r}: {query}", timeout=3)
        return change

    def remove_search(self, name: str) -> Change:
        """Forget a search saved in the app (from the palette)."""
        change = Change(Part.SIDEBAR)
        if not self.searches.editable(name):
            change.say(f"{name!r} is set in the config file: remove it there.", "warning")
            return change
        self.searches.remove(name)
        if self.topic == SEARCH + name:
            change.merge(self.choose_topic(ALL))
        change.say(f"Saved search {name!r} removed.", timeout=2)
        return change

    def search_ready(self) -> Change:
        """Every story is folded for searching: the saved searches can be counted."""
        return Change(Part.SIDEBAR if self.searches.all() else Part.NONE)

    def searches_loaded(self) -> Change:
        """The searches saved in the app were read from the state store."""
        change = Change(Part.SIDEBAR)
        trouble = self.searches.load()
        if trouble:
            change.say(trouble, "warning")
        return change

    # -- storylines ----------------------------------------------------------------

    def toggle_expanded(self) -> Change:
        """`e`: list the storyline under the cursor story by story, or fold it back."""
        change = Change()
        group = self.rows.group(self.listing.current)
        if group is None:
            alone = "No other source covered this story." if self.grouped else ""
            change.say(alone or "Storylines are off: t turns them on.", timeout=3)
            return change
        if group.expanded:
            self.expanded.discard(group.key)
            self._relist(keep=group.lead.path, chosen=True)  # folded: the storyline's row
        else:
            # Opened where its row was, from its first story down; the cursor stays
            # on the story it was on, scrolled to as little as can be.
            self.expanded.add(group.key)
            self._relist(keep=group.listed[0].path, chosen=True)
            rows, start = self.listing.stories, self.listing.cursor
            lead = next((i for i in range(start, len(rows)) if rows[i] is group.lead), start)
            self.listing.move(lead)
            self.chosen = group.lead.path  # what a reload or `t` keeps
        change.dirty |= LISTED
        self._follow_list(change, moved=True)
        return change

    def toggle_storylines(self) -> Change:
        """`t`: one row per storyline, or every story on its own row."""
        self.grouped = not self.grouped
        self._relist(keep=self.chosen, chosen=self.listing.touched)
        change = Change(LISTED)
        self._follow_list(change)
        if self.grouped:
            change.say("Storylines on: one row per event (e lists its stories).", timeout=3)
        else:
            change.say("Storylines off: every story on its own row.", timeout=3)
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
            if any(s.mark_key not in read for s in self.row_stories(stories[index])):
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
        return change.merge(self._set_read_all(self.row_stories(current), True))

    # -- related stories and history ---------------------------------------------

    def related_moved(self, row: int) -> Change:
        """The cursor of the related list moved to `row`."""
        self.detail.select_related(row)
        return Change(Part.DETAIL)

    def follow_related(self, number: int) -> Change:
        """`1`..`9`, Enter on a related story: show it here, or open it in the browser."""
        article = self.detail.article
        if article is None:
            return self._nothing_selected()
        change = Change()
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

    def open_related_row(self) -> Change:
        """`o` on the related list: the row selected (a related story, or a link of the
        full text), as Enter does."""
        place = self.detail.place
        return self.follow_related(place.related_row if place else 0)

    def back(self) -> Change:
        """Backspace: the story shown before following a related one."""
        return self._travel(self.detail.back(), "No earlier story: 1 to 9 follow related stories.")

    def forward(self) -> Change:
        """Alt+Right: the story left by going back."""
        return self._travel(self.detail.forward(), "No later story: Alt+Right undoes Backspace.")

    def _travel(self, read: bool | None, nowhere: str) -> Change:
        change = Change()
        if read is None:
            change.say(nowhere, timeout=3)
            return change
        change.dirty |= Part.LIST | Part.DETAIL
        article = self.detail.article
        # A place kept in the history may predate a reload: show the story as it is now.
        newer = self.index.with_mark(article.mark_key) if article is not None else None
        if newer is not None and self.detail.refresh(newer):
            read, article = True, newer
        if read and article is not None:
            change.run(ReadStory(article))
        return change

    def story_read(self, article: Article, story: Story | Problem) -> Change:
        """The file of `article` was read in full (for its images and related stories)."""
        return Change(Part.DETAIL if self.detail.story_read(article, story) else Part.NONE)
