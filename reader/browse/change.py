"""What an intent of the browsing model changed, and what the screen must do about it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Literal

from reader.model.article import Article
from reader.model.text import clean_line


def quoted_title(title: str) -> str:
    """A story's title as notices name it: in quotes, cut when long."""
    return f"“{clean_line(title, 60) or '(untitled)'}”"


def count_stories(count: int) -> str:
    """ "1 story", "12 stories": how notices and titles count stories."""
    return "1 story" if count == 1 else f"{count:,} stories"


def quoted(article: Article) -> str:
    """A story's title as notices name it."""
    return quoted_title(article.title)


class Part(enum.Flag):
    """The parts of the screen that show something the model changed."""

    NONE = 0
    SIDEBAR = enum.auto()
    LIST = enum.auto()
    DETAIL = enum.auto()
    SEARCH = enum.auto()
    STATUS = enum.auto()
    ALL = SIDEBAR | LIST | DETAIL | SEARCH | STATUS


#: How serious a notice is (Textual's notification severities).
Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Notice:
    """A line to tell the user; `severity` is "information", "warning" or "error"."""

    text: str
    severity: Severity = "information"
    #: Seconds to show it; None for the screen's default.
    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class OpenLink:
    """Hand `url` (already judged safe) to the web browser; once it has it,
    call `BrowseModel.link_opened(mark)` (None: nothing to mark)."""

    url: str
    mark: str | None = None
    #: The title of the story whose link this is, to say what was opened.
    about: str = ""
    #: The program (and arguments, `{url}` for the link) the config opens it with;
    #: None for the web browser.
    argv: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class CopyLink:
    """Put `url` (already judged safe) on the clipboard, saying which story's it is."""

    url: str
    about: str = ""


@dataclass(frozen=True, slots=True)
class ReadStory:
    """Read `article`'s file in full, then call `BrowseModel.story_read`."""

    article: Article


@dataclass(frozen=True, slots=True)
class CountEverywhere:
    """Once typing pauses, call `BrowseModel.count_everywhere` (a search within a
    topic also says how many stories match in every topic)."""


@dataclass(frozen=True, slots=True)
class Rescan:
    """Read new and changed files now."""


@dataclass(frozen=True, slots=True)
class ShowProblems:
    """Show the files that were skipped, hidden or merged."""


@dataclass(frozen=True, slots=True)
class ShowStats:
    """Show the folder's statistics: stories per day, providers, rising topics, reading."""


@dataclass(frozen=True, slots=True)
class FetchText:
    """Read the full text of `article` from `url`: from the cache, else the network,
    then call `BrowseModel.text_fetched`."""

    article: Article
    url: str


@dataclass(frozen=True, slots=True)
class CancelFetch:
    """Stop reading the full text being fetched."""


@dataclass(frozen=True, slots=True)
class AskSearchName:
    """Ask for a saved search's name and query, then call `BrowseModel.keep_search`
    (`editing`: the name of the search being changed; None for a new one)."""

    name: str
    query: str
    editing: str | None = None


Effect = (
    OpenLink
    | CopyLink
    | ReadStory
    | CountEverywhere
    | Rescan
    | ShowProblems
    | ShowStats
    | FetchText
    | CancelFetch
    | AskSearchName
)


@dataclass(slots=True)
class Change:
    """What one intent changed: the parts to redraw, notices, effects to run."""

    dirty: Part = Part.NONE
    notices: list[Notice] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    def say(
        self, text: str, severity: Severity = "information", timeout: float | None = None
    ) -> None:
        """Add a notice."""
        self.notices.append(Notice(text, severity, timeout))

    def run(self, effect: Effect) -> None:
        """Add an effect to run."""
        self.effects.append(effect)

    def merge(self, other: Change) -> Change:
        """This change followed by `other` (both applied)."""
        self.dirty |= other.dirty
        self.notices += other.notices
        self.effects += other.effects
        return self
