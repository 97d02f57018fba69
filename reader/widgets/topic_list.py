"""The sidebar: topics with their story counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text

from reader.model.index import Topic

from .line_list import LineList


def compact(number: int) -> str:
    """A count in few columns: 9,999 as is, then 12k, 100k, 1.2M."""
    if number < 10_000:
        return f"{number:,}"
    if number < 1_000_000:
        return f"{number // 1000}k"
    return f"{number / 1_000_000:.1f}M"


class TopicList(LineList):
    """Sidebar entries with unread/total counts; row N shows `topics[N]`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.topics: Sequence[Topic] = ()
        #: Unread stories per topic key; a topic missing here has none unread.
        self.unread: Mapping[str, int] = {}

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
        # Counts change all the time (marks, reloads): scroll only if the entry moved.
        self.set_count(len(topics), cursor=cursor, scroll=cursor != self.cursor)

    def render_row(self, index: int, width: int) -> Text:
        topic = self.topics[index]
        count = f"{compact(self.unread.get(topic.key, 0))}/{compact(topic.count)}"
        name = Text(topic.name, no_wrap=True)
        name.truncate(max(1, width - len(count) - 2), overflow="ellipsis", pad=True)
        name.append(" ")
        name.append(" " + count, style=self.style_of("dim"))
        return name
