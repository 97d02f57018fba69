"""Command palette (Ctrl+P): go to a topic or a story by typing part of its name.

File text is matched with the same folding as the search box (`fold`) and
shown as plain `Content`: Textual's fuzzy `Matcher.highlight` would parse it
as markup. The provider talks to whichever screen offers `GoToTarget`.
"""

from __future__ import annotations

from itertools import islice
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reader.model.article import Article
from reader.model.index import Index
from reader.model.text import fold

#: Most stories offered for one search; the palette is for jumping, not browsing.
MAX_STORY_HITS = 40


@runtime_checkable
class GoToTarget(Protocol):
    """A screen the palette can send to a topic or a story."""

    @property
    def index(self) -> Index:
        """The stories to search."""
        ...

    def select_topic(self, key: str) -> None:
        """Show the stories of topic `key`."""
        ...

    def go_to_story(self, article: Article) -> None:
        """Select `article`."""
        ...


def _plain(prefix: str, text: str) -> Content:
    return Content.assemble((prefix, "dim"), Content(text))


class GoToProvider(Provider):
    """Hits for every topic and story whose name contains what was typed."""

    def _target(self) -> GoToTarget | None:
        screen = self.screen
        return screen if isinstance(screen, GoToTarget) else None

    async def discover(self) -> Hits:
        target = self._target()
        if target is None:
            return
        for topic in target.index.topics[1:16]:
            yield DiscoveryHit(
                _plain("Topic  ", topic.name),
                lambda key=topic.key: target.select_topic(key),
                text=f"Topic {topic.name}",
            )

    async def search(self, query: str) -> Hits:
        target = self._target()
        needle = fold(query.strip())
        if target is None or not needle:
            return
        for topic in target.index.topics[1:]:
            if needle in fold(topic.name):
                yield Hit(
                    0.9,
                    _plain("Topic  ", topic.name),
                    lambda key=topic.key: target.select_topic(key),
                    text=f"Topic {topic.name}",
                )
        for article in islice(target.index.titled(needle), MAX_STORY_HITS):
            yield Hit(
                0.5,
                _plain("Story  ", article.title),
                lambda a=article: target.go_to_story(a),
                text=article.title,
            )
