"""Messages from the main screen's workers back to the screen."""

from __future__ import annotations

from textual.message import Message

from reader.browse.loading import Loaded
from reader.model.article import Article, Problem, Story


class IndexUpdated(Message):
    """A newer index (posted repeatedly while a folder loads, and after a rescan)."""

    def __init__(self, loaded: Loaded) -> None:
        super().__init__()
        self.loaded = loaded


class SearchReady(Message):
    """Every story of the newest index is folded for searching (saved searches can be counted)."""


class FolderChanged(Message):
    """Files under the folder were added, changed or removed."""

    def can_replace(self, message: Message) -> bool:
        # A burst of changes needs one rescan, not one each.
        return isinstance(message, FolderChanged)


class FolderMissing(Message):
    """The folder was removed while reader runs (`gone`), or it is back."""

    def __init__(self, gone: bool) -> None:
        super().__init__()
        self.gone = gone


class StoryRead(Message):
    """A story's file was read in full (in a worker) for the detail pane."""

    def __init__(self, article: Article, story: Story | Problem) -> None:
        super().__init__()
        self.article = article
        self.story = story
