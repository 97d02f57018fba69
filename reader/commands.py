"""Command palette (Ctrl+P): go to a topic or a story by typing part of its name.

File text is matched with plain folded substrings and shown as plain
`Content`: Textual's fuzzy `Matcher.highlight` would parse it as markup.
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reader.model.text import fold

if TYPE_CHECKING:
    from reader.screens.main import MainScreen

#: Most stories offered for one search; the palette is for jumping, not browsing.
MAX_STORY_HITS = 40


def _plain(prefix: str, text: str) -> Content:
    return Content.assemble((prefix, "dim"), Content(text))


class GoToProvider(Provider):
    """Hits for every topic and story whose name contains what was typed."""

    def _main(self) -> MainScreen | None:
        from reader.screens.main import MainScreen

        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    async def discover(self) -> Hits:
        main = self._main()
        if main is None:
            return
        for topic in main.index.topics[:15]:
            yield DiscoveryHit(
                _plain("Topic  ", topic.name),
                lambda key=topic.key: main.select_topic(key),
                text=f"Topic {topic.name}",
            )

    async def search(self, query: str) -> Hits:
        main = self._main()
        needle = fold(query.strip())
        if main is None or not needle:
            return
        for topic in main.index.topics:
            if needle in fold(topic.name):
                yield Hit(
                    0.9,
                    _plain("Topic  ", topic.name),
                    lambda key=topic.key: main.select_topic(key),
                    text=f"Topic {topic.name}",
                )
        for article in islice(main.index.titled(needle), MAX_STORY_HITS):
            yield Hit(
                0.5,
                _plain("Story  ", article.title),
                lambda a=article: main.go_to_story(a),
                text=article.title,
            )
