"""The story the detail pane shows, its full record, and the way back."""

from __future__ import annotations

from dataclasses import dataclass

from reader.model.article import Article, Problem, Related, Story
from reader.model.extract import FullText
from reader.model.history import History
from reader.model.index import Index

from .view import RelatedRow


@dataclass(frozen=True, slots=True)
class Place:
    """A story shown, with the row of its related stories that was selected."""

    article: Article
    related_row: int = 0


class Detail:
    """What the detail pane shows: the list's story, or one reached by related links.

    The full record (`story`: images, related stories) is read from the file
    by the screen and handed back with `story_read`; until then it is None.
    """

    def __init__(self) -> None:
        self.place: Place | None = None
        self.story: Story | Problem | None = None
        #: Places left by following related stories.
        self.history: History[Place] = History()
        #: The shown story's full text, once fetched (`f`), and whether it is shown
        #: rather than the excerpt.
        self.full: FullText | None = None
        self.full_shown = False
        #: The link whose full text is being fetched ("" when none).
        self.fetching = ""
        #: A line about the full text: progress, or why it could not be had.
        self.full_note = ""

    @property
    def article(self) -> Article | None:
        """The story shown, if any."""
        return self.place.article if self.place else None

    @property
    def came_from(self) -> Article | None:
        """The story the shown one was reached from (None: it is the list's own)."""
        previous = self.history.previous
        return previous.article if previous else None

    @property
    def followed(self) -> bool:
        """True while the story shown was reached through related links, not chosen in the list."""
        return self.history.previous is not None

    def show_listed(self, article: Article | None) -> bool:
        """Show the list's story, forgetting the history; True when its file must be read."""
        self.history.clear()
        return self._show(Place(article) if article else None)

    def follow(self, article: Article) -> bool:
        """Show a related story, keeping the way back; True when its file must be read."""
        if self.place is not None:
            self.history.leave(self.place)
        return self._show(Place(article))

    def back(self) -> bool | None:
        """Show the story before; None when there is none, else whether to read its file."""
        place = self.history.back(self.place) if self.place else None
        return None if place is None else self._show(place)

    def forward(self) -> bool | None:
        """Show the story `back` came from; None when there is none."""
        place = self.history.forward(self.place) if self.place else None
        return None if place is None else self._show(place)

    def select_related(self, row: int) -> None:
        """Remember the related row selected, to come back to it."""
        if self.place is not None:
            self.place = Place(self.place.article, row)

    def refresh(self, article: Article) -> bool:
        """The story shown, from a newer index; True when it changed (its file
        must then be read again)."""
        if self.place is None:
            return False
        changed = article != self.place.article
        self.place = Place(article, self.place.related_row)
        if changed:
            self.story = None
        return changed

    def story_read(self, article: Article, story: Story | Problem) -> bool:
        """The file of `article` was read; False when the pane moved on meanwhile."""
        if self.article != article:  # the same story, maybe from a newer index
            return False
        self.story = story
        return True

    def related_rows(self, index: Index) -> tuple[RelatedRow, ...]:
        """The shown story's related stories, each marked when it is in the folder; while
        its full text is shown, the links of that text instead ([1], [2]...)."""
        if self.full is not None and self.shows_links:
            return tuple(
                RelatedRow(Related(f"[{n}] {_bare(link)}", link), index.find(link) is not None)
                for n, link in enumerate(self.full.links, 1)
            )
        if not isinstance(self.story, Story):
            return ()
        return tuple(RelatedRow(r, index.find(r.url) is not None) for r in self.story.related)

    @property
    def shows_links(self) -> bool:
        """True when the related list holds the links of the full text shown."""
        return self.full is not None and self.full_shown

    def _show(self, place: Place | None) -> bool:
        # The same file, unchanged (equal articles have equal paths): keep its record.
        same_file = (
            place is not None and self.place is not None and place.article == self.place.article
        )
        self.place = place
        if not same_file:
            self.story = None
            self.full, self.full_shown, self.fetching, self.full_note = None, False, "", ""
        return place is not None and not same_file


def _bare(link: str) -> str:
    """A link as a row shows it: without its scheme and "www."."""
    for prefix in ("https://", "http://"):
        link = link.removeprefix(prefix)
    return link.removeprefix("www.")
