"""The folded text of a story that search queries are matched against.

Stories and queries are folded alike (`reader.model.text.fold`), so matching
ignores case and accents and reads a few typographic letters as plain ASCII.
"""

from __future__ import annotations

from dataclasses import dataclass

from .article import Article
from .text import fold, intern


@dataclass(frozen=True, slots=True)
class SearchText:
    """The folded text of one story that queries are matched against.

    Fields are joined with newlines, which no query term can contain, so a
    phrase never matches across two fields.
    """

    article: Article
    #: Title, excerpt, provider name and domain, and topics.
    text: str
    #: Provider name and domain.
    provider: str
    #: The topics, one a line, so that a name never matches across two.
    topics: str
    #: `article.type` and `article.category`, folded.
    type: str
    category: str
    #: `article.mark_key`, kept because read and saved marks are looked up by it.
    mark_key: str

    @classmethod
    def of(cls, article: Article) -> SearchText:
        """Fold `article` for matching."""
        # Providers, sets of topics, types and categories repeat from story to
        # story: one shared copy of each saves ~60 bytes a story (bench_query corpus).
        provider = intern(f"{fold(article.provider_name)}\n{fold(article.provider_domain)}")
        topics = intern("\n".join(map(fold, article.topics)))
        excerpt = fold(article.excerpt).replace("\n\n", "\n")
        text = "\n".join((fold(article.title), excerpt, provider, topics))
        kind, category = intern(fold(article.type)), intern(fold(article.category))
        return cls(article, text, provider, topics, kind, category, article.mark_key)
