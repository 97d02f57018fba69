"""Messages from the main screen's workers back to the screen."""

from __future__ import annotations

from textual.message import Message

from reader.browse.loading import Loaded
from reader.model.article import Article, Problem, Story
from reader.model.fulltext import Read
from reader.model.picture import Picture


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


class TextRead(Message):
    """The full text of a story was read (from the cache or the network), or not."""

    def __init__(self, article: Article, read: Read) -> None:
        super().__init__()
        self.article = article
        self.read = read


class TextProgress(Message):
    """`got` bytes of a story's page have arrived."""

    def __init__(self, article: Article, got: int) -> None:
        super().__init__()
        self.article = article
        self.got = got

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TextProgress)  # only the latest count matters


class TextsKept(Message):
    """The full texts in the offline cache, by link, folded for search."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__()
        self.texts = texts


class ImageRead(Message):
    """A story's picture was fetched and decoded, or why not (one line)."""

    def __init__(self, url: str, picture: Picture | str) -> None:
        super().__init__()
        self.url = url
        self.picture = picture
