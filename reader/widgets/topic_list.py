"""The sidebar: topics with their story counts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from reader.model.index import Topic

from .line_list import LineList


class TopicList(LineList):
    """Topics in sidebar order ("All" first); row N shows `topics[N]`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.topics: Sequence[Topic] = ()

    @property
    def current(self) -> Topic | None:
        """The topic under the cursor, if any."""
        if 0 <= self.cursor < len(self.topics):
            return self.topics[self.cursor]
        return None

    def show(self, topics: Sequence[Topic], keep: str | None = None) -> None:
        """Show `topics`, keeping the cursor on the topic whose key is `keep`."""
        self.topics = topics
        cursor = next((i for i, t in enumerate(topics) if t.key == keep), 0)
        self.set_count(len(topics), cursor=cursor)

    def render_row(self, index: int, width: int) -> Text:
        topic = self.topics[index]
        count = f"{topic.count:,}"
        name = Text(topic.name, no_wrap=True)
        name.truncate(max(1, width - len(count) - 2), overflow="ellipsis", pad=True)
        name.append(" ")
        name.append(" " + count, style=self.style_of("dim"))
        return name
