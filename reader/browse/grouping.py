"""The list's rows when storylines are on: one row per storyline, or its stories when expanded.

The stories listed (a topic, searched, in the chosen order) are grouped after
the fact: a storyline takes the place of its first story in that order (in
"heat", its hottest), so ranking, topics and search need no rules of their own.
An expanded storyline lists its stories there in time order, who reported first.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from reader.model.article import Article
from reader.model.storylines import Storylines


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


@dataclass(frozen=True, slots=True)
class Rows:
    """The stories of the list's rows, and the storyline of each row that has one."""

    stories: Sequence[Article]
    #: By the file of a row's story.
    groups: dict[str, Group]
    #: For each story listed within a storyline, the file of the row it is on.
    home: dict[str, str] = field(default_factory=dict)
    #: Storylines listed (an opened one counts once; a story alone is one).
    count: int = 0

    def group(self, article: Article | None) -> Group | None:
        """The storyline of a row's story (None for a story alone or not listed)."""
        return self.groups.get(article.path) if article is not None else None


def storyline_rows(
    stories: Sequence[Article], storylines: Storylines, expanded: Collection[str]
) -> Rows:
    """`stories` grouped into storylines; `expanded` names (by `Group.key`) those
    listed story by story."""
    if not len(storylines):
        return Rows(stories, {}, count=len(stories))
    number = storylines.numbers.get  # a lookup per story listed: kept to the bare minimum
    listed: dict[int, list[Article]] = {}
    order: list[Article | int] = []
    for article in stories:
        n = number(article.path)
        if n is None:
            order.append(article)
        elif n in listed:
            listed[n].append(article)
        else:
            listed[n] = [article]
            order.append(n)
    rows: list[Article] = []
    groups: dict[str, Group] = {}
    home: dict[str, str] = {}
    for item in order:
        if isinstance(item, Article):
            rows.append(item)
            continue
        everyone = storylines.groups[item]
        members = listed[item]
        is_open = everyone[0].path in expanded
        timed = sorted(members, key=everyone.index) if len(members) > 1 else members
        group = Group(everyone, timed, members[0], is_open)
        shown = timed if is_open else members[:1]
        rows.extend(shown)
        for article in shown:
            groups[article.path] = group
        for article in members:
            home[article.path] = article.path if is_open else members[0].path
    return Rows(rows, groups, home, len(order))
