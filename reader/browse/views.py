"""Building the frozen views the widgets draw from the browsing model."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace

from reader.model import timefmt
from reader.model.article import Article, Story
from reader.model.index import ALL
from reader.model.links import unsafe_reason
from reader.model.rising import window_label
from reader.model.text import show_path
from reader.model.trends import DAYS

from .change import count_stories
from .model import SAVED, BrowseModel
from .state import FOLDER, MUTED, SEARCH
from .view import (
    DetailView,
    ImageView,
    ListView,
    SearchView,
    SidebarEntry,
    SidebarView,
    StatusView,
    TimelineRow,
)

#: The names of reader's own sidebar entries, and the signs before saved searches and folders.
SAVED_NAME = "★ Saved"
ALL_NAME = "All stories"
MUTED_NAME = "⊘ Muted"
SEARCH_SIGN = "⌕ "
FOLDER_SIGN = "▤ "


def sidebar_view(model: BrowseModel) -> SidebarView:
    """reader's own entries ("★ Saved", "All stories", saved searches, folders when
    there are several), then every topic, then the muted stories, with counts."""
    index, read = model.index, model.marks.read_links()
    unread = index.unread_counts(read)
    saved = [k for k in model.marks.saved_links() if index.with_mark(k) is not None]
    searches = [SEARCH + s.name for s in model.searches.all()]
    folders = [FOLDER + root for root in model.roots] if len(model.roots) > 1 else []
    muted = [MUTED] if model.loaded.muted else []
    entries = [
        SidebarEntry(SAVED, SAVED_NAME, len(set(saved) - read), len(saved), own=True),
        SidebarEntry(ALL, ALL_NAME, unread.get(ALL, 0), len(index), own=True),
        *(_counted(model, key, read) for key in [*searches, *folders]),
        *(SidebarEntry(t.key, t.name, unread.get(t.key, 0), t.count) for t in index.topics[1:]),
        *(_counted(model, key, read) for key in muted),
    ]
    cursor = next((i for i, e in enumerate(entries) if e.key == model.topic), 1)
    if model.show_trends:
        trends = index.trends(timefmt.current_time())
        entries = [
            # A topic with no story lately gets an empty column: the counts stay aligned.
            replace(e, trend=trends.get(e.key, NONE_LATELY)) if not e.own or e.key == ALL else e
            for e in entries  # topics and all stories; not Saved, searches or folders
        ]
    return SidebarView(entries, cursor, model.show_trends)


#: The stories per day of a topic with none in the last `trends.DAYS` days.
NONE_LATELY = (0,) * DAYS


def _counted(model: BrowseModel, key: str, read: frozenset[str]) -> SidebarEntry:
    """The entry `key` with its unread and total counts (its stories are kept between
    calls). A saved search is counted once the loader has folded every story for
    searching: before, it would hold the first screen up by ~0.5 s at 100,000."""
    everything = model.index.articles(ALL, model.order)
    if key.startswith(SEARCH) and not model.loaded.searcher.covers(everything):
        return SidebarEntry(key, entry_name(model, key), 0, 0, own=True, counted=False)
    stories = model.topic_stories(key)
    unread = sum(a.mark_key not in read for a in stories)
    return SidebarEntry(key, entry_name(model, key), unread, len(stories), own=True)


def entry_name(model: BrowseModel, key: str) -> str:
    """The name a sidebar entry shows."""
    if key == SAVED:
        return SAVED_NAME
    if key == ALL:
        return ALL_NAME
    if key == MUTED:
        return MUTED_NAME
    if key.startswith(SEARCH):
        return SEARCH_SIGN + key.removeprefix(SEARCH)
    if key.startswith(FOLDER):
        return FOLDER_SIGN + show_path(folder_name(key.removeprefix(FOLDER), model.roots))
    return model.index.topic_name(key)


def folder_name(root: str, roots: Sequence[str]) -> str:
    """A folder as the sidebar names it: its last part, or as many more as tell it
    from the other folders."""
    parts = root.rstrip(os.sep).split(os.sep)
    others = [r.rstrip(os.sep).split(os.sep) for r in roots if r != root]
    for depth in range(1, len(parts) + 1):
        if all(other[-depth:] != parts[-depth:] for other in others):
            return os.sep.join(parts[-depth:])
    return root


def scope_name(model: BrowseModel) -> str:
    """The name of the sidebar entry selected."""
    return entry_name(model, model.topic)


def list_view(model: BrowseModel) -> ListView:
    """The listed stories, their cursor and view, marks and the pane's title."""
    listing = model.listing
    stories = listing.stories
    title = f"{scope_name(model)} · {count_stories(len(model.base))}"
    if not model.query.is_empty:
        title = f"{scope_name(model)} · {model.matched:,} of {len(model.base):,} match"
    if model.rows.count != model.matched:
        title += f" · {model.rows.count:,} storylines"
    return ListView(
        stories=stories,
        cursor=listing.cursor,
        top=listing.top,
        read=model.marks.read_links(),
        saved=model.marks.saved_links(),
        order=model.order,
        title=title,
        new_above=listing.new_above,
        arrived=listing.arrived,
        cursor_shown=not model.detail.followed,
        one_provider=model.one_provider,
        groups=model.rows,
        rises=model.index.rises,
    )


def detail_view(model: BrowseModel) -> DetailView:
    """The story shown, its full record and related stories, or why there is none."""
    detail = model.detail
    article = detail.article
    if article is None:
        return DetailView(None, message=empty_message(model))
    names = tuple(model.index.topic_name(t) for t in article.topics)
    place = detail.place
    history = model.loaded.history
    return DetailView(
        article,
        detail.story,
        detail.related_rows(model.index),
        place.related_row if place else 0,
        names,
        detail.came_from,
        read=article.mark_key in model.marks.read_links(),
        saved=article.mark_key in model.marks.saved_links(),
        storyline=timeline(model, article),
        heat_history=history.series(article.mark_key) if history is not None else (),
        gained=model.index.rises.of(article.mark_key),
        window=window_label(model.index.rises.window),
        full_text=detail.full if detail.full_shown else None,
        full_note=detail.full_note,
        image=lead_image(model) if model.show_images else None,
    )


def lead_image(model: BrowseModel) -> ImageView | None:
    """The shown story's first picture that can be fetched: the file's, else the one
    its full text names."""
    detail = model.detail
    story = detail.story
    if isinstance(story, Story):
        for image in story.images:
            if unsafe_reason(image.url) is None:
                return ImageView(image.url, image.width, image.height)
    if detail.full is not None and detail.full.lead_image:
        return ImageView(detail.full.lead_image)
    return None


def timeline(model: BrowseModel, article: Article) -> tuple[TimelineRow, ...]:
    """The stories of `article`'s storyline in time order, each with what put it there."""
    storylines = model.loaded.storylines
    stories = storylines.of(article)
    if len(stories) < 2:
        return ()
    read = model.marks.read_links()
    by_path = {s.path: s for s in stories}
    rows = []
    for story in stories:
        link = storylines.why(story)
        reason = ""
        if link is not None:
            other = by_path.get(link.other(story.path))
            name = (other.provider_name or other.provider_domain) if other else ""
            reason = f"{link.reason()} to {name}" if name else link.reason()
        rows.append(TimelineRow(story, reason, story.path == article.path, story.mark_key in read))
    return tuple(rows)


def search_view(model: BrowseModel) -> SearchView:
    """The search box and what the search found."""
    return SearchView(
        open=model.search_open,
        text=model.query_text,
        matches=model.matched,
        total=len(model.base),
        scope=scope_name(model),
        everywhere=model.everywhere,
        errors=model.query.errors,
    )


def status_view(model: BrowseModel) -> StatusView:
    """The top line."""
    loaded = model.loaded
    return StatusView(
        folders=model.roots,
        stories=len(loaded.index),
        skipped=loaded.skipped,
        done=loaded.done,
        total=loaded.total,
        order=_order_label(model),
        query=model.query_text,
        checking=loaded.provisional or loaded.waiting,
        folder_gone=model.folder_gone,
        muted=len(loaded.muted),
        hide_read=model.hide_read,
    )


def _order_label(model: BrowseModel) -> str:
    """The order as the top line says it: "rising" with its window, and whether it can rank."""
    if model.order != "rising":
        return model.order
    rises = model.index.rises
    label = f"rising over {window_label(rises.window)}"
    return label if rises.ready else f"{label} (needs two snapshots: by heat)"


def empty_message(model: BrowseModel) -> str:
    """Why no story is listed, and what to do about it."""
    loaded = model.loaded
    if model.folder_gone:
        return "The folder is gone. reader picks it up again when it comes back."
    if not model.query.is_empty:
        elsewhere = model.everywhere
        if elsewhere:
            return f"No story in {scope_name(model)} matches; {elsewhere:,} in all topics."
        return "No story matches the search. Escape clears it."
    if not len(loaded.index):
        if not loaded.finished:
            return "Loading stories…"
        if loaded.skipped:
            return f"No stories in this folder: {loaded.skipped:,} files were skipped (press !)."
        return (
            "No stories in this folder. reader reads Markdown files with YAML front matter "
            "(see its README); new files show up as they are written."
        )
    if model.topic == SAVED:
        return "No saved stories yet: press b on a story to save it."
    return "No stories here."
