"""The story records the rest of reader works with.

`Article` is the slim record held in memory for every story: what the list,
the sidebar and search need. `Story` is the full record of one file (images
and related stories), read on demand when the detail pane shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .links import first_safe_link


@dataclass(frozen=True, slots=True)
class Article:
    """One story, as indexed. Text fields are already cleaned for display."""

    path: str
    title: str
    excerpt: str = ""
    #: Publication time as seconds since the epoch (UTC), or None when unknown.
    published_ts: float | None = None
    #: The link that identifies the story across files (`webUrl`), raw.
    web_url: str = ""
    original_url: str = ""
    amp_url: str = ""
    provider_name: str = ""
    provider_domain: str = ""
    topics: tuple[str, ...] = ()
    #: What the file holds, as written: "article" for news; sites also hold
    #: "video", "book", "course"... ("" when unknown).
    type: str = ""
    #: The site's section, as written: "news" for stories ("" when unknown).
    category: str = ""
    heat: int | None = None
    quality: int | None = None
    related_count: int = 0
    #: The `linkkey.link_key` of each related story's link, space-separated:
    #: how storylines find the related stories that are in the folder too.
    related_keys: str = ""

    @property
    def link(self) -> str:
        """The story's link: `webUrl`, else `originalUrl`, else `ampWebUrl`."""
        return self.web_url or self.original_url or self.amp_url

    @property
    def link_to_open(self) -> str:
        """The link `o` opens, `y` copies and the detail pane shows: the first safe
        one of `webUrl`, `originalUrl`, `ampWebUrl`, else `link` (refused when opened)."""
        return first_safe_link((self.web_url, self.original_url, self.amp_url))

    @property
    def mark_key(self) -> str:
        """What read and saved marks are kept by: the link, so a mark follows the
        story across files; for a story without any link, its file."""
        return self.link or f"file:{self.path}"


@dataclass(frozen=True, slots=True)
class Image:
    """A picture of a story."""

    url: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class Related:
    """Another story on the same subject, as listed inside a file."""

    title: str
    url: str = ""
    provider_name: str = ""
    provider_domain: str = ""
    published_ts: float | None = None
    excerpt: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    """The whole of one file: its article plus what only the detail pane shows."""

    article: Article
    images: tuple[Image, ...] = ()
    related: tuple[Related, ...] = ()
    updated_ts: float | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that was not shown, and why.

    `kind` is "skipped" for a file that cannot be used, "hidden" for a draft or
    withdrawn story, and "duplicate" for a second file with the same link.
    """

    path: str
    reason: str
    kind: str = "skipped"
