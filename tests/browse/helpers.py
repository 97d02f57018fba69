"""Driving the browsing model in tests: stories, indexes, a fake clock, effects run by hand."""

from __future__ import annotations

from collections.abc import Iterable

from reader.browse.change import Change, CountEverywhere, ReadStory
from reader.browse.loading import Loaded
from reader.browse.marks import MemoryMarks
from reader.browse.model import BrowseModel
from reader.model.article import Article, Related, Story
from reader.model.index import Index


def art(
    n: int | str,
    heat: int | None = 10,
    *,
    topics: tuple[str, ...] = ("News",),
    published: float | None = 1_600_000_000.0,
    provider: str = "Wire",
    title: str | None = None,
    url: str | None = None,
    **fields: object,
) -> Article:
    """A story of file /f/N.md, linked as https://n.example/N."""
    return Article(
        path=f"/f/{n}.md",
        title=title if title is not None else f"Story {n}",
        web_url=f"https://n.example/{n}" if url is None else url,
        heat=heat,
        topics=topics,
        published_ts=published,
        provider_name=provider,
        **fields,  # type: ignore[arg-type]
    )


def loaded(articles: Iterable[Article], *, total: int | None = None, **fields: object) -> Loaded:
    """An index of these stories, finished unless `total` says more are coming."""
    articles = list(articles)
    done = len(articles)
    return Loaded(Index(articles), done=done, total=done if total is None else total, **fields)  # type: ignore[arg-type]


class Clock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Session:
    """A browsing model with in-memory marks, a fake clock and story files held in a dict."""

    def __init__(
        self, *articles: Article, related: dict[str, list[Article | Related]] | None = None
    ) -> None:
        self.marks = MemoryMarks()
        self.clock = Clock()
        self.model = BrowseModel("/f", self.marks, clock=self.clock)
        #: The related stories each file lists, by path.
        self.related = related or {}
        self.read_files: list[str] = []
        self.changes: list[Change] = []
        if articles:
            self.do(self.model.apply_index(loaded(articles)))
        self.model.resized(10)

    def do(self, change: Change) -> Change:
        """Run the change's effects as the screen would (files read at once)."""
        self.changes.append(change)
        for effect in change.effects:
            if isinstance(effect, CountEverywhere):  # typing "pauses" at once here
                change.merge(self.model.count_everywhere())
            if isinstance(effect, ReadStory):
                article = effect.article
                self.read_files.append(article.path)
                related = tuple(
                    r if isinstance(r, Related) else Related(r.title, r.web_url)
                    for r in self.related.get(article.path, [])
                )
                change.merge(self.model.story_read(article, Story(article, related=related)))
        return change

    def key(self, intent: str, *args: object) -> Change:
        """A key press that runs model intent `intent`."""
        self.model.key_pressed()
        return self.do(getattr(self.model, intent)(*args))

    def said(self, change: Change | None = None) -> list[str]:
        """What `change` (default: the last one) told the user."""
        return [n.text for n in (change or self.changes[-1]).notices]

    @property
    def shown(self) -> str | None:
        """The title of the story in the detail pane."""
        article = self.model.detail.article
        return article.title if article else None

    @property
    def current(self) -> str | None:
        """The title of the story under the list's cursor."""
        article = self.model.listing.current
        return article.title if article else None

    def titles(self) -> list[str]:
        """The titles listed, top to bottom."""
        return [a.title for a in self.model.listing.stories]
