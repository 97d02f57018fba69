"""A story's full text: from the offline cache, else fetched and extracted, then kept.

The one path both the app (`f`) and `reader fetch` take, so that what the
command fills is what the app opens offline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .extract import FullText, extract
from .textcache import TextCache

if TYPE_CHECKING:  # httpx costs 0.15 s to import: not before a fetch
    from .fetch import Fetched, Limits

#: Said when a page holds no article text (an index page, a paywall, a video).
NO_TEXT = "no article text was found on the page"


@dataclass(frozen=True, slots=True)
class Read:
    """What reading a link gave: the text, or why there is none."""

    #: The text, or one line saying why there is none.
    text: FullText | str
    #: True when it came from the cache (nothing was fetched).
    cached: bool = False
    #: Why the text fetched could not be kept for offline reading ("" when it was).
    unkept: str = ""


def read_full_text(
    url: str,
    cache: TextCache,
    *,
    limits: Limits | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int | None], object] = lambda got, total: None,
    fetch_page: Callable[..., Fetched] | None = None,
) -> Read:
    """The full text of the story whose link is `url`: kept, or fetched now and kept.

    Never raises for a bad page or network: the `Read` says what went wrong.
    `fetch_page` is `fetch.fetch` unless given (`reader fetch` passes one with its
    shared client).
    """
    kept = cache.get(url)
    if kept is not None:
        return Read(kept, cached=True)
    from .fetch import FetchError, Limits, fetch

    limits = limits or Limits()
    fetch_page = fetch_page or fetch
    try:
        page = fetch_page(url, limits=limits, cancelled=cancelled, progress=progress)
    except FetchError as err:
        return Read(str(err))
    try:
        text = extract(page.body, page.url, charset=page.charset, fetched_at=time.time())
    except ImportError as err:
        return Read(f"the article extractor cannot be loaded ({err})")
    if text is None:
        return Read(NO_TEXT)
    return Read(text, unkept=cache.put(text, key=url) or "")
