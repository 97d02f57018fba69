"""What the command line prints, made safe at print time.

Stories are cleaned when files are read, but text can reach the printer by
other ways (a forged cache: its checksum is not a MAC), so every text field is
cleaned again here with `clean_line`, every path and message escaped
(`printable`), and the output stream told to replace what its encoding cannot
show. Cleaning is idempotent: clean stories print unchanged.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from reader.model.article import Article, Problem
from reader.model.index import Index, rank
from reader.model.links import MAX_URL
from reader.model.storylines import Storylines
from reader.model.text import MAX_TITLE, clean_line, show_path
from reader.model.timefmt import age, iso_utc

#: Width of the provider column of `reader list`; longer names are cut with "…".
PROVIDER_WIDTH = 20


class OutputError(Exception):
    """Standard output could not be written (a full disk, a closed descriptor...)."""


#: Surrogates that are not undecodable bytes (U+DC80..U+DCFF, which `show_path` shows
#: as bytes): only a forged record or a YAML escape holds them, and they cannot be encoded.
_LONE_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


def printable(text: str) -> str:
    """`text` (a path, an argument...) made safe to print on one line: controls, bidi
    controls, undecodable bytes and lone surrogates become escapes."""
    return show_path(_LONE_SURROGATE.sub(_surrogate_escape, text))


def _surrogate_escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def escaped(message: str) -> str:
    """`message` made safe to print, as `printable` but keeping its line breaks."""
    return "\n".join(map(printable, message.split("\n")))


def say(message: str) -> None:
    """Print "reader: `message`" on stderr, escaped."""
    print(f"reader: {escaped(message)}", file=sys.stderr)


def prepare(stream: TextIO) -> None:
    """Let `stream` replace what its encoding cannot show ("Z?rich" under ASCII)
    instead of raising in the middle of the output."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")


def emit(text: str, out: TextIO) -> None:
    """Write and flush `text`; a failure to write raises `OutputError`.

    `BrokenPipeError` passes through: the reader of the output has gone (`| head`).
    """
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(err.strerror or str(err)) from None


def discard_stdout() -> None:
    """Send what is left in stdout's buffer to /dev/null, so that the final flush at
    exit cannot fail again and print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (a test's capture, say)
        pass


def article_json(article: Article, storylines: Storylines, index: Index) -> dict[str, Any]:
    """The JSON object `reader list --json` prints for a story, every text cleaned:
    JSON escapes C0 controls itself, but not C1 controls or bidi overrides, and
    `jq -r` would print those raw."""
    return {
        "title": clean_line(article.title, MAX_TITLE),
        "url": clean_line(article.link, MAX_URL) or None,
        "heat": article.heat,
        "quality": article.quality,
        "published": iso_utc(article.published_ts),
        "provider": {
            "name": clean_line(article.provider_name),
            "domain": clean_line(article.provider_domain),
        },
        "topics": [clean_line(index.topic_name(t)) for t in article.topics],
        "type": clean_line(article.type) or None,
        "category": clean_line(article.category) or None,
        # Printable, like `check`: a raw name may hold escapes or bytes that are not UTF-8.
        "path": printable(article.path),
        # The same string for every story of one event; a story alone has its own.
        "storyline": storylines.ident(article),
    }


def _dumps(objects: list[dict[str, Any]], encoding: str | None) -> str:
    """JSON for an output in `encoding`: what it cannot show is written as JSON
    escapes, so nothing is lost."""
    codec = codecs.lookup(encoding or "utf-8").name
    return json.dumps(objects, ensure_ascii=not codec.startswith("utf"), indent=2) + "\n"


def list_json(
    stories: Iterable[Article], storylines: Storylines, index: Index, encoding: str | None
) -> str:
    """`reader list --json`: an array of `article_json` objects."""
    return _dumps([article_json(a, storylines, index) for a in stories], encoding)


def storylines_json(
    lines: Iterable[Sequence[Article]], storylines: Storylines, index: Index, encoding: str | None
) -> str:
    """`reader list --storylines --json`: an array of storylines, each with its id,
    size, sources and stories (in time order, each with what put it there)."""
    objects = []
    for stories in lines:
        entries = []
        for story in stories:
            entry = article_json(story, storylines, index)
            link = storylines.why(story)
            entry["joined_by"] = link.reason() if link is not None else None
            entries.append(entry)
        objects.append(
            {
                "storyline": storylines.ident(stories[0]),
                "size": len(stories),
                "providers": providers_of(stories),
                "stories": entries,
            }
        )
    return _dumps(objects, encoding)


def providers_of(stories: Iterable[Article]) -> list[str]:
    """The sources of stories, each once, in time order."""
    names = (clean_line(s.provider_name or s.provider_domain) for s in stories)
    return [name for name in dict.fromkeys(names) if name]


def storyline_row(stories: Sequence[Article]) -> str:
    """One line of `reader list --storylines`: the hottest story's heat and title,
    the storyline's age (its first story), size and sources."""
    lead = rank(stories)[0]  # the hottest, as the list ranks
    heat = "-" if lead.heat is None else str(lead.heat)
    sources = clean_line(", ".join(providers_of(stories)), PROVIDER_WIDTH)
    title = clean_line(lead.title, MAX_TITLE) or "(untitled)"
    when = age(stories[0].published_ts)
    return f"{heat:>5}  {when:>4}  {len(stories):>3}  {sources or '?':<{PROVIDER_WIDTH}}  {title}\n"


def list_row(article: Article, gained: int | None = None) -> str:
    """One line of `reader list`: heat, age, provider (cut to its column) and title;
    with `gained` (the rising order), the heat gained first."""
    heat = "-" if article.heat is None else str(article.heat)
    provider = clean_line(article.provider_name or article.provider_domain, PROVIDER_WIDTH)
    title = clean_line(article.title, MAX_TITLE) or "(untitled)"
    gain = "" if gained is None else f"{f'+{gained}' if gained > 0 else '·':>6} "
    return (
        f"{gain}{heat:>5}  {age(article.published_ts):>4}  "
        f"{provider or '?':<{PROVIDER_WIDTH}}  {title}\n"
    )


def problem_row(problem: Problem) -> str:
    """One line of `reader check`: the file, the kind of problem and why."""
    reason = clean_line(problem.reason, 500)  # a reason may quote file text
    return f"{printable(problem.path)}: {clean_line(problem.kind)}: {reason}\n"


#: How wide a progress bar is.
BAR_CELLS = 24


class Progress:
    """A progress bar on a terminal (`stream`), redrawn at most ten times a second;
    nothing when `stream` is not a terminal (a cron job's log stays clean)."""

    def __init__(self, what: str, stream: TextIO, unit: str) -> None:
        self.what, self.stream, self.unit = what, stream, unit
        self.shown = stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.shown or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        filled = BAR_CELLS * done // total if total else BAR_CELLS
        bar = "█" * filled + "·" * (BAR_CELLS - filled)
        self.stream.write(f"\r{self.what} {bar} {done:,}/{total:,} {self.unit}")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.shown and self._last:
            self.stream.write("\n")
            self.stream.flush()
            self._last = 0.0
