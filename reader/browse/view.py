"""Frozen views of the browsing model: what each part of the screen draws.

The screen hands each widget its view with `show(view)`; a widget keeps
nothing else about what is browsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reader.model.article import Article, Problem, Related, Story
from reader.model.extract import FullText
from reader.model.rising import Point, Rises

from .grouping import Rows


@dataclass(frozen=True, slots=True)
class SidebarEntry:
    """A row of the sidebar: a topic, or one of reader's own entries."""

    key: str
    name: str
    unread: int
    total: int
    #: One of reader's own entries ("★ Saved", "All stories"), drawn unlike
    #: any topic so that a file's topic cannot pass for one.
    own: bool = False
    #: False while the counts are still to be worked out (a saved search, before
    #: the stories have been folded for searching).
    counted: bool = True
    #: Stories published per day over the last days, oldest first (`T`; empty: not shown).
    trend: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SidebarView:
    """The sidebar's entries and the one selected."""

    entries: Sequence[SidebarEntry]
    cursor: int
    #: Topic trends are shown (`T`): the sidebar is drawn wider for them.
    trends: bool = False


@dataclass(frozen=True, slots=True)
class ListView:
    """The story list: the stories, the cursor and the first row on screen."""

    stories: Sequence[Article]
    cursor: int
    top: int
    read: frozenset[str]
    saved: frozenset[str]
    order: str
    #: The title of the pane: the topic and how many stories it lists.
    title: str
    #: Stories above the rows on screen that the user has not seen ("↑ 3 new").
    new_above: int = 0
    #: They came with a newer index (False: a re-ranking or a cleared search put them there).
    arrived: bool = True
    #: False while the detail pane shows another story (a related one): the
    #: cursor row is then where that story came from, not the story shown.
    cursor_shown: bool = True
    #: Every story listed has this provider (its column is then left out), or "".
    one_provider: str = ""
    #: The storyline of each row that has one (`groups.get(file)`).
    groups: Rows = field(default_factory=lambda: Rows(()))
    #: What each story gained lately (shown in the "rising" order).
    rises: Rises = field(default_factory=Rises)


@dataclass(frozen=True, slots=True)
class RelatedRow:
    """A related story and whether it is in the folder too."""

    related: Related
    in_corpus: bool


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """A story of the shown story's storyline, and what put it there."""

    article: Article
    #: "related link to CNN", "title 0.82 similar to ZDNet"; "" for the first story.
    reason: str
    #: The story the detail pane shows.
    current: bool
    read: bool


@dataclass(frozen=True, slots=True)
class ImageView:
    """A story's lead image: its link and, when the file says, its size in pixels."""

    url: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class DetailView:
    """The story shown in the detail pane, or why there is none."""

    article: Article | None
    #: The file in full; None while it is read, a `Problem` when it cannot be.
    story: Story | Problem | None = None
    related: Sequence[RelatedRow] = ()
    related_cursor: int = 0
    topic_names: Sequence[str] = ()
    #: The story this one was reached from (by a related link); None when it
    #: is the one selected in the list.
    came_from: Article | None = None
    read: bool = False
    saved: bool = False
    #: Said instead of a story when `article` is None.
    message: str = ""
    #: Every story of its storyline in time order, when it has other sources.
    storyline: Sequence[TimelineRow] = ()
    #: The story's heat as recorded over time, oldest first (none: no history).
    heat_history: Sequence[Point] = ()
    #: What it gained over the rising window, and that window's name ("24h").
    gained: int = 0
    window: str = ""
    #: The article's full text, when fetched and shown (`f`) instead of the excerpt.
    full_text: FullText | None = None
    #: Progress of the full text, or why it could not be had ("" when nothing to say).
    full_note: str = ""
    #: The lead image to draw (`i`), if any.
    image: ImageView | None = None


@dataclass(frozen=True, slots=True)
class SearchView:
    """The search box: what was typed, what it found, where, and what was not understood."""

    open: bool
    text: str
    matches: int = 0
    #: How many stories the topic searched holds, and its name.
    total: int = 0
    scope: str = ""
    #: Matches in every topic, when the search is within one topic.
    everywhere: int | None = None
    errors: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class StatusView:
    """The top line: the folders, the stories, progress, order and search."""

    folders: tuple[str, ...]
    stories: int
    skipped: int
    done: int
    total: int
    order: str
    query: str
    #: Stories come from the cache and the folder is being checked (or not read yet).
    checking: bool = False
    #: The folder was removed while reader ran; it is watched for.
    folder_gone: bool = False
    #: Stories the config's mutes hide.
    muted: int = 0
    #: Read stories are left out of the lists (`H`).
    hide_read: bool = False
