"""Intents that act on the story shown: open, copy, mark read, save, mark all read."""

from __future__ import annotations

from collections.abc import Sequence

from reader.model.article import Article
from reader.model.links import unsafe_reason
from reader.model.opening import opener_for

from .change import Change, CopyLink, OpenLink, count_stories, quoted
from .state import LISTED, MARKED, SAVED, BrowseState, Pending

#: How long a first press of "mark all read" waits for the second that confirms it.
CONFIRM_SECONDS = 4.0


class StoryActions(BrowseState):
    """What the keys do to the story the detail pane shows (and to all those listed)."""

    def open_current(self) -> Change:
        """`o`: open the story shown in the browser; it is marked read once the browser has it."""
        article = self.detail.article
        if article is None:
            return self._nothing_selected()
        return self._open(article.link_to_open, article.mark_key, article.title, article.type)

    def link_opened(self, mark: str | None) -> Change:
        """The browser took a link; `mark` is the story to mark read, if any."""
        article = self.index.with_mark(mark) if mark else None
        return self._set_read(article, True) if article else Change()

    def copy_link(self) -> Change:
        """`y`: copy the shown story's link, if it is one `o` would open."""
        article = self.detail.article
        if article is None:
            return self._nothing_selected()
        change = Change()
        link = article.link_to_open
        reason = unsafe_reason(link)
        if reason is not None:
            change.say(f"Not copied: {reason}.", "warning")
        else:
            change.run(CopyLink(link, article.title))
        return change

    def toggle_read(self) -> Change:
        """`m`: mark the story shown read or unread; a storyline's row, all its stories."""
        article = self.detail.article
        if article is None:
            return self._nothing_selected()
        stories = self._marked_by_row(article)
        marks = self.marks.read_links()
        read = any(s.mark_key not in marks for s in stories)
        change = self._set_read_all(stories, read)
        what = quoted(article)
        if len(stories) > 1:
            what = f"the storyline {what} ({count_stories(len(stories))})"
        change.say(f"Marked {what} {'read' if read else 'unread'}.", timeout=2)
        return change

    def toggle_saved(self) -> Change:
        """`b`: save the story shown, or unsave it."""
        article = self.detail.article
        if article is None:
            return self._nothing_selected()
        saved = article.mark_key not in self.marks.saved_links()
        self.marks.set_saved(article.mark_key, saved)
        change = self._saved_changed()
        change.say(f"{'Saved' if saved else 'No longer saved:'} {quoted(article)}.", timeout=2)
        return change

    def mark_all_read(self) -> Change:
        """`A`: mark every story listed read, once the very next key is `A` again."""
        change = Change()
        read = self.marks.read_links()
        rows = self.listing.stories
        unread = [s.mark_key for a in rows for s in self.row_stories(a) if s.mark_key not in read]
        if not unread:
            self._pending = None
            listed = "Every story here is read." if self.listing.stories else "No stories here."
            change.say(listed, timeout=2)
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
            change.dirty |= MARKED
            change.say(f"Marked {count_stories(len(unread))} read.", timeout=2)
            return change
        self._pending = Pending(self._keys, now, self.listing.stories, len(unread))
        change.say(
            f"Press A again to mark {count_stories(len(unread))} read.",
            timeout=CONFIRM_SECONDS,
        )
        return change

    def _open(self, url: str, mark: str | None, about: str, kind: str = "") -> Change:
        """Open `url` with the config's program for stories of type `kind`, or the browser."""
        change = Change()
        reason = unsafe_reason(url)
        if reason is not None:
            change.say(f"Not opened: {reason}.", "error")
            return change
        argv = opener_for(self.openers, kind)
        change.run(OpenLink(url, mark, about, tuple(argv) if argv else None))
        change.say(f"Opening with {argv[0]}…" if argv else "Opening in your browser…", timeout=2)
        return change

    def _saved_changed(self) -> Change:
        """What a change of marks redraws; the list too when it is the saved stories."""
        change = Change(MARKED)
        if self.topic == SAVED:
            self._relist(keep=self.chosen)
            self._follow_list(change)
            change.dirty |= LISTED
        return change

    def _nothing_selected(self) -> Change:
        change = Change()
        change.say("No story is selected.", "warning")
        return change

    def _marked_by_row(self, article: Article) -> Sequence[Article]:
        """The stories marking `article` marks: a storyline's, when the list's row
        shows it collapsed (not a story reached by a related link)."""
        return (article,) if self.detail.followed else self.row_stories(article)

    def _set_read_all(self, stories: Sequence[Article], read: bool) -> Change:
        marks = self.marks.read_links()
        keys = [a.mark_key for a in stories if (a.mark_key in marks) != read]
        if not keys:
            return Change()
        self.marks.set_read_many(keys, read)
        self._pending = None
        return Change(MARKED)

    def _set_read(self, article: Article, read: bool) -> Change:
        return self._set_read_all((article,), read)
