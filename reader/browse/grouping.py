"""The list's rows when storylines are on: one row per storyline, or its stories when expanded.

The stories listed (a topic, searched, in the chosen order) are grouped after
the fact: a storyline takes the place of its first story in that order (in
"heat", its hottest), so ranking, topics and search need no rules of their own.
An expanded storyline lists its stories there in time order, who reported first.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter

from reader.model.article import Article
from reader.model.storylines import Storylines, time_order


@dataclass(frozen=True, slots=True)
class Group:
    """A storyline as the list shows it."""

    #: Every story of the storyline, in time order (those of other topics too).
    stories: Sequence[Article]
    #: The storyline's stories that are listed here, in time order.
    listed: Sequence[Article]
    #: The first of those in the list's order: the row of the storyline.
    lead: Article
    expanded: bool

    @property
    def key(self) -> str:
        """What names the storyline while browsing: its first story's file."""
        return self.stories[0].path

    @property
    def others(self) -> int:
        """Stories of the storyline besides the row's own."""
        return len(self.stories) - 1


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
        members: dict[int, list[int]] | None = None,
        expanded: Collection[str] = (),
        count: int | None = None,
    ) -> None:
        #: The story of each row.
        self.stories = stories
        #: Storylines listed (an opened one counts once; a story alone is one).
        self.count = len(stories) if count is None else count
        self._listed = listed
        self._storylines = storylines or Storylines.none()
        self._members = members or {}
        self._expanded = expanded
        self._made: dict[int, Group] = {}

    def _group_of(self, path: str) -> Group | None:
        n = self._storylines.numbers.get(path)
        if n is None or n not in self._members:
            return None
        group = self._made.get(n)
        if group is None:
            everyone = self._storylines.groups[n]
            members = [self._listed[i] for i in self._members[n]]
            timed = sorted(members, key=time_order) if len(members) > 1 else members
            is_open = everyone[0].path in self._expanded
            group = self._made[n] = Group(everyone, timed, members[0], is_open)
        return group

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
    "All stories": the stories are looked up in C (`map`), and Python only
    loops over those in a storyline, once each.
    """
    if not len(storylines):
        return Rows(stories)
    numbers = list(map(storylines.numbers.get, map(_path, stories)))
    keep = [True] * len(stories)
    members: dict[int, list[int]] = {}  # storyline -> its rows here, in list order
    known = members.get
    for i, n in [(i, n) for i, n in enumerate(numbers) if n is not None]:
        rows_of = known(n)
        if rows_of is None:
            members[n] = [i]
        else:
            rows_of.append(i)
            keep[i] = False  # folded into the storyline's first row
    count = len(stories) - sum(map(len, members.values())) + len(members)
    opened = {}
    for key in expanded:  # few: those the user opened
        line = storylines.numbers.get(key)
        if line is not None and line in members and storylines.groups[line][0].path == key:
            indices = members[line]
            opened[indices[0]] = sorted((stories[i] for i in indices), key=time_order)
    if opened:
        rows: list[Article] = []
        for i, article in enumerate(stories):
            if i in opened:
                rows.extend(opened[i])
            elif keep[i]:
                rows.append(article)
    else:
        rows = list(compress(stories, keep))
    return Rows(
        rows,
        listed=stories,
        storylines=storylines,
        members=members,
        expanded=frozenset(expanded),
        count=count,
    )


_path = attrgetter("path")
