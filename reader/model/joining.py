"""Joining links into storylines, strongest first (see `storylines`)."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from operator import attrgetter
from typing import Any

from .article import Article
from .storylines import DAY, Link, Storylines, time_order

#: The most a storyline spans, first story to last.
MAX_SPAN = 5 * DAY
#: Storylines of several stories join when this share of the smaller one's
#: stories are linked to the other: one story that looks like both events does
#: not make them one (a story alone joins on its strongest link).
SUPPORT = 0.5


def _neighbours(links: Iterable[Link]) -> dict[str, set[str]]:
    """The stories each story is linked to."""
    neighbours: dict[str, set[str]] = {}
    for link in links:
        neighbours.setdefault(link.a, set()).add(link.b)
        neighbours.setdefault(link.b, set()).add(link.a)
    return neighbours


def group(articles: Sequence[Article], links: Iterable[Link]) -> Storylines:
    """Join `articles` by `links`, strongest first, never beyond `MAX_SPAN`.

    Two storylines of several stories join only when enough of their stories
    are linked (`SUPPORT`), not on one link: one story that looks like two
    events must not make them one (single linkage chains them otherwise).
    """
    by_path = {a.path: a for a in articles}
    usable = [k for k in links if k.a in by_path and k.b in by_path]  # gone, or a duplicate
    neighbours = _neighbours(usable)
    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    span: dict[str, tuple[float, float]] = {}
    why: dict[str, Link] = {}

    def root(path: str) -> str:
        while path in parent:
            up = parent[path]
            if up in parent:  # halve the path on the way up
                parent[path] = parent[up]
            path = up
        return path

    def extent(path: str) -> tuple[float, float]:
        known = span.get(path)
        if known is not None:
            return known
        ts = by_path[path].published_ts
        return (ts, ts) if ts is not None else (math.inf, -math.inf)

    def supported(small: list[str], large_root: str) -> bool:
        """Enough of `small`'s stories are linked to the other storyline, and to more
        than one story of it: one story like both events does not make them one."""
        linked, partners = 0, set()
        for path in small:
            across = [other for other in neighbours[path] if root(other) == large_root]
            linked += bool(across)
            partners.update(across)
        return linked >= math.ceil(SUPPORT * len(small)) and len(partners) > 1

    # Strongest first (a related link scores above 1, alike words at most 1), ties
    # by path: two sorts in C, the second stable.
    usable.sort(key=attrgetter("a", "b"))
    usable.sort(key=attrgetter("score"), reverse=True)
    for link in usable:
        ra, rb = root(link.a), root(link.b)
        if ra == rb:
            continue
        (a_low, a_high), (b_low, b_high) = extent(ra), extent(rb)
        low, high = min(a_low, b_low), max(a_high, b_high)
        if high - low > MAX_SPAN:
            continue
        a_members, b_members = members.get(ra), members.get(rb)
        if a_members is not None and b_members is not None:
            # Two storylines of several stories: one link is not enough.
            small, other = (a_members, rb) if len(a_members) <= len(b_members) else (b_members, ra)
            if not supported(small, other):
                continue
        if len(a_members or ()) < len(b_members or ()):
            ra, rb = rb, ra  # the larger one takes the smaller in
        keep = members.setdefault(ra, [ra])
        keep.extend(members.pop(rb, [rb]))
        parent[rb] = ra
        span[ra] = (low, high)
        span.pop(rb, None)
        for path in (link.a, link.b):
            why.setdefault(path, link)
    groups = sorted(
        (sorted((by_path[p] for p in m), key=time_order) for m in members.values()),
        key=lambda g: g[0].path,
    )
    for group_ in groups:
        why.pop(group_[0].path, None)  # the first story is there on its own account
    return Storylines(groups, why)


def regroup(
    articles: Sequence[Article],
    links: Sequence[Link],
    before: list[list[Any]],
    before_links: list[list[Any]],
    changed: Collection[str],
) -> Storylines:
    """`group(articles, links)` after the stories `changed` (new, changed or gone),
    given the storylines `before` them (`Storylines.columns`, whose link places
    are in `before_links`).

    Only the stories linked, however far, to a changed story, or in a storyline
    with one, are joined again: each part of the folder that links hold together
    is joined on its own links alone, so the other storylines stand as they were.
    """
    paths, numbers, why = before
    touched = {n for path, n in zip(paths, numbers, strict=True) if path in changed}
    by_path = {a.path: a for a in articles}
    neighbours = _neighbours(k for k in links if k.a in by_path and k.b in by_path)
    seeds = [p for p in changed if p in by_path]
    seeds += (p for p, n in zip(paths, numbers, strict=True) if n in touched and p in by_path)
    affected = set(seeds)
    while seeds:
        for other in neighbours.get(seeds.pop(), ()):
            if other not in affected:
                affected.add(other)
                seeds.append(other)
    gone = {n for path, n in zip(paths, numbers, strict=True) if path in affected}
    gone |= touched
    rows = [i for i, n in enumerate(numbers) if n not in gone]
    renumber = {n: m for m, n in enumerate(dict.fromkeys(numbers[i] for i in rows))}
    kept = Storylines.from_columns(
        [[paths[i] for i in rows], [renumber[numbers[i]] for i in rows], [why[i] for i in rows]],
        articles,
        before_links,
    )
    if kept is None:  # the stored storylines do not fit: join everything
        return group(articles, links)
    fresh = group(
        [by_path[p] for p in sorted(affected)],
        [k for k in links if k.a in affected and k.b in affected],
    )
    return kept.joined(fresh)
