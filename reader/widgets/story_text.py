"""The text of the detail pane, built from parts (never markup) for a given width.

Links and images are shown short, as host and path or host and size, each on
one line, and carry the whole link as a terminal hyperlink (OSC 8) when it is
one reader would open: terminals that know OSC 8 make it clickable, the
others show the text alone.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from urllib.parse import urlsplit

from rich.color import Color
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.renderables.sparkline import Sparkline

from reader.browse.view import DetailView
from reader.model.article import Article, Problem, Story
from reader.model.extract import FullText
from reader.model.links import unsafe_reason
from reader.model.rising import over_time
from reader.model.text import clean_line
from reader.model.timefmt import day_and_time, local_datetime, relative, short_date

_BOLD = Style(bold=True)
_GREY, _ORANGE = Color.parse("grey50"), Color.parse("dark_orange")


def host_of(url: str) -> str:
    """The host of a link without "www.", or "" when it has none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def short_link(url: str, width: int) -> str:
    """A link as host and path in at most `width` cells ("npr.org/2024/07/…")."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    shown = url
    if parts is not None and parts.hostname:
        shown = host_of(url) + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return clean_line(shown, max(2, width))  # cut with "…", as every shown line


def linked(url: str) -> Style:
    """A style that makes text a hyperlink to `url`, if it is safe to open."""
    return Style(link=url) if unsafe_reason(url) is None else Style()


def story_text(view: DetailView, width: int, muted: Style, accent: Style | None = None) -> Text:
    """Everything the detail pane says about `view.article` (`muted` and `accent`:
    the theme's styles for what matters less, and for the top of a sparkline)."""
    article = view.article
    assert article is not None
    text = Text()
    text.append(article.title or "(untitled)", style="bold")
    text.append("\n")
    if view.came_from is not None:
        # At most two lines, whatever the title's length.
        back = " · Backspace goes back"
        origin = Text(view.came_from.title or "(untitled)", style="italic")
        origin.truncate(max(20, 2 * width - len("↩ from ") - len(back) - 2), overflow="ellipsis")
        text.append("↩ from ", style=muted)
        text.append_text(origin)
        text.append(f"{back}\n", style=muted)
    _source(text, article, muted)
    _scores(text, view, muted)
    _heat_history(text, view, width, muted, accent)
    if view.topic_names:
        text.append(" · ".join(view.topic_names), style=muted)
        text.append("\n")
    text.append("\n")
    if view.full_note:
        text.append(f"{view.full_note}\n\n", style=Style(italic=True) + muted)
    if view.full_text is not None:
        full_text(text, view.full_text, width, muted)
    else:
        text.append(article.excerpt or "No excerpt.", style="" if article.excerpt else muted)
        text.append("\n")
    _timeline(text, view, muted)
    _pictures(text, view.story, width, muted)
    _link(text, article, width, muted)
    return text


def _source(text: Text, article: Article, muted: Style) -> None:
    text.append(article.provider_name or "Unknown provider", style=_BOLD)
    if article.provider_domain:
        text.append(f" · {article.provider_domain}", style=muted)
    text.append("\n")
    if article.published_ts is not None:
        text.append(f"{local_datetime(article.published_ts)} ({relative(article.published_ts)})")
    else:
        text.append("Publication date unknown", style=muted)
    text.append("\n")


def _scores(text: Text, view: DetailView, muted: Style) -> None:
    article = view.article
    assert article is not None
    heat = "unknown" if article.heat is None else str(article.heat)
    quality = "unknown" if article.quality is None else str(article.quality)
    kind = " · ".join(k for k in (article.type, article.category) if k)
    text.append(f"{kind} · " if kind else "", style=muted)
    text.append(f"heat {heat} · quality {quality}", style=muted)
    marks = ["read" if view.read else "unread"]
    if view.saved:
        marks.append("★ saved")
    text.append(" · " + " · ".join(marks) + "\n", style=muted)


def full_text(text: Text, full: FullText, width: int, muted: Style) -> None:
    """The article's text: headings, paragraphs, list items, quotes; its links are
    numbered in the text ([3]) and listed under the pane (1 to 9, Enter: open)."""
    host = host_of(full.url)
    words = f"{full.words:,} words" if full.words != 1 else "1 word"
    when = f" · fetched {day_and_time(full.fetched_at)}" if full.fetched_at else ""
    text.append(f"Full text · {words} · {host}{when} · f: the excerpt\n\n", style=muted)
    for block in full.blocks:
        if block.kind == "heading":
            text.append(block.text, style=_BOLD)
        elif block.kind == "item":
            text.append(f"  • {block.text}")
        elif block.kind == "quote":
            text.append(f"  ▎ {block.text}", style=Style(italic=True))
        elif block.kind == "code":
            text.append(block.text, style=muted)
        else:
            text.append(block.text)
        text.append("\n" if block.kind == "item" else "\n\n")


def _heat_history(
    text: Text, view: DetailView, width: int, muted: Style, accent: Style | None
) -> None:
    """A sparkline of the story's heat over time, with its first and last values."""
    points = [p for p in view.heat_history if p.heat is not None]
    if len(points) < 2:
        return
    first, last = points[0], points[-1]
    ends = f" {first.heat} ({short_date(first.at)}) → {last.heat} ({short_date(last.at)})"
    gain = f" · {view.gained:+} in {view.window}" if view.gained else ""
    # The sparkline takes the room the numbers leave on its line, and at least
    # 8 cells (the numbers then wrap under it).
    room = width - len("heat ") - len(ends) - len(gain)
    spark = max(8, min(room, 32))
    line = Text("heat ", style=muted)
    line.append_text(sparkline_text(over_time(points, spark), spark, muted, accent))
    line.append(ends, style=muted)
    line.append(gain, style=accent or muted)
    text.append_text(line)
    text.append("\n")


def sparkline_text(values: Sequence[int], width: int, low: Style, high: Style | None) -> Text:
    """`values` as Textual's sparkline, `width` cells wide, coloured from `low` to `high`."""
    spark = Sparkline(
        values,
        width=width,
        min_color=low.color or _GREY,
        max_color=(high.color if high and high.color else _ORANGE),
    )
    console = _console(width)
    return Text.assemble(
        *((seg.text, seg.style or "") for seg in console.render(spark, console.options) if seg.text)
    )


@functools.lru_cache(maxsize=8)
def _console(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, color_system="truecolor", legacy_windows=False)


def _timeline(text: Text, view: DetailView, muted: Style) -> None:
    """The storyline: every source in the order they reported, with why it is there."""
    rows = view.storyline
    if not rows:
        return
    providers = {r.article.provider_name or r.article.provider_domain for r in rows}
    sources = "1 source" if len(providers) == 1 else f"{len(providers)} sources"
    text.append(f"\nStoryline · {len(rows)} stories", style=_BOLD)
    text.append(f" from {sources}, as they reported\n", style=muted)
    for row in rows:
        story = row.article
        text.append("▶" if row.current else " ", style=_BOLD)
        text.append("  " if row.read else "• ", style=muted)  # unread, as in the list
        text.append(story.provider_name or story.provider_domain or "Unknown provider", _BOLD)
        text.append(f" · {day_and_time(story.published_ts) or 'date unknown'}\n", style=muted)
        text.append(f"  {story.title or '(untitled)'}\n")
        if row.reason:
            text.append(f"  ↳ {row.reason}\n", style=muted)


def _pictures(text: Text, story: Story | Problem | None, width: int, muted: Style) -> None:
    if story is None:
        text.append("\nReading images and related stories…\n", style=muted)
    elif isinstance(story, Problem):
        text.append(f"\nThe file could not be read again: {story.reason}\n", style=muted)
    elif story.images:
        text.append("\n")
        for n, image in enumerate(story.images):
            text.append("Image  " if n == 0 else "       ", style=_BOLD)
            size = f" · {image.width}×{image.height}" if image.width and image.height else ""
            host = host_of(image.url) or short_link(image.url, width - 7 - len(size))
            text.append(host, style=linked(image.url) + Style(underline=True))
            text.append(f"{size}\n", style=muted)


def _link(text: Text, article: Article, width: int, muted: Style) -> None:
    link = article.link_to_open
    text.append("\nLink   ", style=_BOLD)
    if not link:
        text.append("none", style=muted)
        return
    reason = unsafe_reason(link)
    style = Style(link=link, underline=True) if reason is None else Style()
    text.append(short_link(link, width - 7), style=style)
    if reason is not None:
        text.append(f"\n       not opened: {reason}", style=muted)
