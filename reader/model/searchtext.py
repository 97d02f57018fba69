"""The folded text of a story that search queries are matched against.

Matching ignores case and accents, and a few typographic letters are read as
their plain ASCII forms, so both stories and queries are folded the same way.
"""

from __future__ import annotations

import functools
import sys
import unicodedata
from dataclasses import dataclass

from .article import Article

#: Letters and punctuation that survive `fold` but that people type in plain
#: ASCII: "odegaard" finds "Ødegaard" and "don't" finds "don’t". Mapping them
#: also keeps most haystacks pure ASCII, which CPython searches ~1.5x faster.
ASCII_FORMS = {
    **dict.fromkeys("‘’‚‛′", "'"),
    **dict.fromkeys("“”„‟«»″", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **{"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "ı": "i"},
    **{"þ": "th", "ħ": "h", "ŧ": "t"},
}


@functools.cache
def _search_table() -> dict[int, str | None]:
    # Built on first use (~40 ms): every combining mark, dropped as `fold` drops it.
    table: dict[int, str | None] = {
        code: None for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))
    }
    table.update({ord(k): v for k, v in ASCII_FORMS.items()})
    return table


def search_fold(text: str) -> str:
    """`fold(text)` with `ASCII_FORMS` applied: the form both stories and
    queries are matched in. Faster than `fold` on non-ASCII text."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFKD", folded).translate(_search_table())


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
    #: Every topic wrapped in \x1f marks, so a whole name can be looked up.
    topics: str
    #: `article.mark_key`, kept because read and saved marks are looked up by it.
    mark_key: str

    @classmethod
    def of(cls, article: Article) -> SearchText:
        """Fold `article` for matching."""
        topics = [search_fold(t) for t in article.topics]
        provider = f"{search_fold(article.provider_name)}\n{search_fold(article.provider_domain)}"
        excerpt = search_fold(article.excerpt).replace("\n\n", "\n")
        text = "\n".join((search_fold(article.title), excerpt, provider, *topics))
        marked = "\x1f" + "\x1f".join(topics) + "\x1f"
        return cls(article, text, provider, marked, article.mark_key)
