"""`reader fetch`: keep the full text of many stories for offline reading.

Only what the user names is fetched (the folders, `--query`, `--limit`), and
each story once: a text already kept is skipped, so a run that stopped (Ctrl+C,
a lost network) goes on where it was when run again. At most `jobs` pages are
fetched at once, one at a time from any one site, with `HOST_PAUSE` seconds
between two requests to the same site.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

from reader.cliout import Progress, emit, say
from reader.model.article import Article
from reader.model.fulltext import Read, read_full_text
from reader.model.links import unsafe_reason
from reader.model.text import clean_line
from reader.model.textcache import TextCache

if TYPE_CHECKING:
    from reader.model.fetch import Limits

#: Pages fetched at once.
DEFAULT_JOBS = 4
#: Seconds between two requests to one site.
HOST_PAUSE = 1.0


class Sites:
    """One request at a time to each site, `pause` seconds apart."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def lock(self, url: str) -> tuple[threading.Lock, str]:
        """The lock of `url`'s site, and the site."""
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        with self._guard:
            return self._locks[host], host

    def wait(self, host: str) -> None:
        """Sleep until `host` may be asked again (call with its lock held)."""
        last = self._last.get(host)
        if last is not None:
            time.sleep(max(0.0, last + self.pause - time.monotonic()))

    def done(self, host: str) -> None:
        self._last[host] = time.monotonic()


def run_fetch(
    stories: Sequence[Article],
    out: TextIO,
    *,
    jobs: int = DEFAULT_JOBS,
    pause: float = HOST_PAUSE,
    limits: Limits | None = None,
    cache: TextCache | None = None,
) -> int:
    """Fetch and keep the full text of `stories` not kept yet; 1 when any failed."""
    from reader.model.fetch import Limits, fetch, make_client  # httpx: 0.15 s to import

    cache = cache or TextCache()
    limits = limits or Limits()
    kept = cache.keys_kept()
    wanted: dict[str, Article] = {}
    refused, already = 0, set[str]()
    for article in stories:
        link = article.link_to_open
        if unsafe_reason(link) is not None:
            refused += 1
        elif link in kept:
            already.add(link)
        else:
            wanted.setdefault(link, article)
    bar = Progress("fetching", sys.stderr, "stories")
    sites = Sites(pause)
    failed = fetched = unkept = 0
    with make_client(limits) as client, ThreadPoolExecutor(max(1, jobs)) as pool:
        get = partial(fetch, client=client)

        def one(link: str) -> Read:
            lock, host = sites.lock(link)
            with lock:
                sites.wait(host)
                try:
                    return read_full_text(link, cache, limits=limits, fetch_page=get)
                finally:
                    sites.done(host)

        futures = {pool.submit(one, link): article for link, article in wanted.items()}
        try:
            bar(0, len(futures))
            for n, future in enumerate(as_completed(futures), 1):
                read, article = future.result(), futures[future]
                if isinstance(read.text, str):
                    failed += 1
                    say(f"not fetched: {clean_line(article.title, 80)}: {read.text}")
                else:
                    fetched += 1
                    if read.unkept:
                        unkept += 1
                        say(f"{clean_line(article.title, 80)}: fetched but {read.unkept}")
                bar(n, len(futures))
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            bar.close()  # before the message, on its own line
            say("stopped: what was fetched is kept; run it again to go on")
            return 130
        finally:
            bar.close()
    emit(_summary(fetched, len(already), failed, refused, unkept), out)
    return 1 if failed or unkept else 0


def _summary(fetched: int, already: int, failed: int, refused: int, unkept: int) -> str:
    parts = [f"fetched {fetched:,}", f"{already:,} kept before"]
    if failed:
        parts.append(f"{failed:,} failed (said above)")
    if refused:
        parts.append(f"{refused:,} without a link that can be opened")
    if unkept:
        parts.append(f"{unkept:,} could not be kept")
    return ", ".join(parts) + "\n"
