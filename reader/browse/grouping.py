"""The list's rows when storylines are on: one row per storyline, or its stories when expanded.

The stories listed (a topic, searched, in the chosen order) are grouped after
the fact: a storyline takes the place of its first story in that order (in
"heat", its hottest), so ranking, topics and search need no rules of their own.
An expanded storyline lists its stories there in time order, who reported first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from operator import attrgetter

from reader.model.article import Article
from reader.model.storylines import Storylines, time_order


@dataclass(frozen=True, slots=True)
class Group:
    """A storyline as the list shows it."""

    #: Every story of the storyline, in time order (those of other topics too).
    stories: Sequence[Article]
    #: The first of its stories in the list's order: the row of the storyline.
    lead: Article
    expanded: bool
    rows: Rows

    @property
    def key(self) -> str:
        """What names the storyline while browsing: its first story's file."""
        return self.stories[0].path

    @property
    def others(self) -> int:
        """Stories of the storyline besides the row's own."""
        return len(self.stories) - 1

    @property
    def listed(self) -> list[Article]:
        """The storyline's stories that are listed here, in time order."""
        return self.rows.listed_of(self.stories)


class Rows:
    """The stories of the list's rows, and the storyline of each row that has one.

    A storyline's `Group` is only made when asked for (a row drawn, a key on
    it): "All stories" may hold 20,000 storylines, and only a screenful shows.
    """

    def __init__(
        self,
        stories: Sequence[Article],
        *,
        listed: Sequence[Article] = (),
        storylines: Storylines | None = None,
        leads: dict[int | str, Article] | None = None,
        expanded: Collection[str] = (),
    ) -> None:
        #: The story of each row.
        self.stories = stories
        #: Storylines listed (an opened one counts once; a story alone is one).
        self.count = len(stories) if leads is None else len(leads)
        self._listed = listed
        self._storylines = storylines or Storylines.none()
        self._leads = leads or {}
        self._expanded = expanded
        self._listed_ids: set[int] | None = None

    def _group_of(self, path: str) -> Group | None:
        n = self._storylines.numbers.get(path)
        lead = None if n is None else self._leads.get(n)
        if n is None or lead is None:
            return None
        everyone = self._storylines.groups[n]
        return Group(everyone, lead, everyone[0].path in self._expanded, self)

    def listed_of(self, stories: Sequence[Article]) -> list[Article]:
        """Those of `stories` that are listed here, in time order."""
        if self._listed_ids is None:  # only for a storyline opened or being opened
            self._listed_ids = set(map(id, self._listed))
        ids = self._listed_ids
        return sorted((a for a in stories if id(a) in ids), key=time_order)

    def get(self, path: str) -> Group | None:
        """The storyline of the row showing file `path` (None: a story alone, or not a row)."""
        group = self._group_of(path)
        if group is None or not (group.expanded or group.lead.path == path):
            return None
        return group

    def __getitem__(self, path: str) -> Group:
        group = self.get(path)
        if group is None:
            raise KeyError(path)
        return group

    def group(self, article: Article | None) -> Group | None:
        """The storyline of a row's story (None for a story alone or not listed)."""
        return self.get(article.path) if article is not None else None

    def home(self, path: str) -> str:
        """The file of the row that shows the listed story `path` (a folded
        storyline's row shows its lead)."""
        group = self._group_of(path)
        return path if group is None or group.expanded else group.lead.path


def storyline_rows(
    stories: Sequence[Article], storylines: Storylines, expanded: Collection[str]
) -> Rows:
    """`stories` grouped into storylines; `expanded` names (by `Group.key`) those
    listed story by story.

    Runs on every topic switch and search keystroke, over 100,000 stories for
    "All stories", so every pass over them runs in C (`map`, `dict`): each story
    gets a key, its storyline's number or (alone) its own file, and the first
    story of each key in the list's order is its row.
    """
    if not len(storylines):
        return Rows(stories)
    paths = list(map(_path, stories))
    keys = map(storylines.numbers.get, paths, paths)
    leads: dict[int | str, Article] = {}
    deque(map(leads.setdefault, keys, stories), maxlen=0)  # keeps each key's first story
    rows = Rows(
        list(leads.values()),
        listed=stories,
        storylines=storylines,
        leads=leads,
        expanded=frozenset(expanded),
    )
    opened = [n for key in expanded if (n := _opened(key, storylines, leads)) is not None]
    if opened:  # few: those the user opened
        instead = {id(leads[n]): rows.listed_of(storylines.groups[n]) for n in opened}
        rows.stories = []
        for article in leads.values():
            listed = instead.get(id(article))
            if listed is None:
                rows.stories.append(article)
            else:
                rows.stories.extend(listed)
    return rows


def _opened(key: str, storylines: Storylines, leads: dict[int | str, Article]) -> int | None:
    """The storyline named `key` (its first story's file) when it is listed here."""
    n = storylines.numbers.get(key)
    if n is None or n not in leads or storylines.groups[n][0].path != key:
        return None
    return n


_path = attrgetter("path")
