"""Reading a story's full text in the detail pane (`f`), fetched only when asked.

The text comes from the offline cache when it was read before, else from the
story's link (the screen's worker does both: see `FetchText`). Until then the
pane says what is happening; Escape cancels; moving to another story forgets
the text shown (it stays in the cache).
"""

from __future__ import annotations

from collections.abc import Mapping

from reader.model.article import Article
from reader.model.extract import FullText
from reader.model.links import unsafe_reason
from reader.model.textcache import folded
from reader.model.timefmt import day_and_time

from .acting import StoryActions
from .change import CancelFetch, Change, CopyLink, FetchText, Part, quoted
from .state import LISTED


class Reading(StoryActions):
    """The intents of the full text: fetch or toggle it, its progress, cancel."""

    def toggle_full_text(self) -> Change:
        """`f`: the story's full text (fetched the first time), or the excerpt again."""
        detail, article = self.detail, self.detail.article
        if article is None:
            return self._nothing_selected()
        change = Change(Part.DETAIL)
        if detail.fetching:
            change.say("Still fetching the article: Escape cancels.", timeout=3)
            return change
        if detail.full is not None:
            detail.full_shown = not detail.full_shown
            return change
        link = article.link_to_open
        reason = unsafe_reason(link)
        if reason is not None:
            change.say(f"No full text: {reason}.", "warning")
            return change
        detail.fetching, detail.full_note = link, "Fetching the article… (Escape cancels)"
        change.run(FetchText(article, link))
        return change

    def fetch_progress(self, article: Article, got: int) -> Change:
        """The worker has `got` bytes of the page of `article`."""
        detail = self.detail
        if not detail.fetching or detail.article != article:
            return Change()
        detail.full_note = f"Fetching the article… {got / 1024:,.0f} KB (Escape cancels)"
        return Change(Part.DETAIL)

    def text_fetched(
        self, article: Article, result: FullText | str, *, cached: bool = False, note: str = ""
    ) -> Change:
        """The full text of `article`, or why there is none (`result` a message);
        `cached`: read from the offline cache; `note`: why it was not kept there."""
        detail = self.detail
        if not detail.fetching or detail.article != article:
            return Change()  # moved on, or cancelled: it is in the cache for next time
        detail.fetching = ""
        change = Change(Part.DETAIL)
        if isinstance(result, str):
            detail.full_note = f"No full text: {result}."
            change.say(f"No full text for {quoted(article)}: {result}.", "warning", timeout=6)
            return change
        detail.full, detail.full_shown, detail.full_note = result, True, ""
        self.full_texts[article.mark_key] = folded(result)
        if cached:
            when = day_and_time(result.fetched_at) if result.fetched_at else "before"
            change.say(f"Full text from the cache (fetched {when}).", timeout=3)
        if note:
            change.say(f"Full text {note}.", "warning", timeout=6)
        return change

    def copy_related_row(self) -> Change:
        """`y` on the related list: copy the selected row's link."""
        place, rows = self.detail.place, self.detail.related_rows(self.index)
        if place is None or not 0 <= place.related_row < len(rows):
            return self._nothing_selected()
        related = rows[place.related_row].related
        change = Change()
        reason = unsafe_reason(related.url)
        if reason is not None:
            change.say(f"Not copied: {reason}.", "warning")
        else:
            change.run(CopyLink(related.url, related.title))
        return change

    def texts_loaded(self, texts: Mapping[str, str]) -> Change:
        """The full texts kept in the cache, by link, folded: `text:` can look in them."""
        for link, text in texts.items():
            article = self.index.find(link)
            if article is not None:
                self.full_texts[article.mark_key] = text
        if not self.query.texts:
            return Change()
        self._relist(keep=self.chosen, chosen=True)
        return Change(LISTED)

    def toggle_images(self) -> Change:
        """`i`: fetch and draw the lead image of each story shown, or stop."""
        change = Change(Part.DETAIL)
        if not self.images_allowed:
            change.say("Images are off in the config (images = false).", timeout=4)
            return change
        self.show_images = not self.show_images
        if self.show_images:
            change.say(
                "Images on: the lead image of the story shown is fetched (i: off).", timeout=3
            )
        return change

    def cancel_fetch(self) -> Change:
        """Escape while fetching: stop, and say so."""
        detail = self.detail
        if not detail.fetching:
            return Change()
        detail.fetching, detail.full_note = "", "Cancelled: f fetches the article again."
        change = Change(Part.DETAIL)
        change.run(CancelFetch())
        return change
