"""Benchmark of storylines, scored against a corpus whose events are known.

    python -m tests.bench.bench_storylines DIR [--json] [--also-rapidfuzz]

DIR is a corpus written by `tests.bench.events` (its `events.json` maps each
file to its true event). The bench loads DIR (`load_folder`, no cache), then:

- times `find_links` and `group` apart (one run each, not traced),
  and measures their memory in a second run under tracemalloc: the peak
  while both run, and what stays (the links and the storylines);
- scores the storylines pairwise: a pair of stories in one storyline is
  right when the two are one true event (precision), and a pair of one true
  event is found when both are in one storyline (recall); a story alone
  forms no pairs;
- counts storylines by size, and shows the worst false merges (storylines
  that hold several true events, with the links that joined them) and the
  worst misses (true events split apart);
- checks two fixed traps shaped like real stories (PASS/FAIL);
- with --also-rapidfuzz, scores a variant: the same related links, and title
  links from `rapidfuzz.fuzz.token_set_ratio` of the folded titles over a
  threshold, on the same candidate pairs (within the window, sharing a title
  word, not vetoed), swept from 0.60 to 0.90.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # when run as a path: python tests/bench/bench_storylines.py
    sys.path.insert(0, str(REPO))

from reader.model import joining, linking, storylines  # noqa: E402
from reader.model.article import Article  # noqa: E402
from reader.model.loader import load_folder  # noqa: E402
from reader.model.similar import cosine, numbers, numbers_differ, words  # noqa: E402
from reader.model.text import fold  # noqa: E402

DAY = 24 * 3600.0
#: How many confusions of each kind are shown.
WORST = 10
#: Thresholds of the rapidfuzz variant.
SWEEP = (0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _date(article: Article) -> str:
    ts = article.published_ts
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts)) if ts is not None else "(no date)"


# -- loading -----------------------------------------------------------------------


def load(folder: str) -> tuple[list[Article], dict[str, str], float]:
    """The stories of `folder`, each story's true event (by path) and the load time."""
    started = time.perf_counter()
    result = load_folder(folder, use_cache=False)
    took = time.perf_counter() - started
    with open(os.path.join(folder, "events.json"), encoding="utf-8") as f:
        by_relative = json.load(f)
    truth = {}
    for article in result.articles:
        rel = os.path.relpath(article.path, result.root).replace(os.sep, "/")
        if rel in by_relative:
            truth[article.path] = by_relative[rel]
    articles = [a for a in result.articles if a.path in truth]
    return articles, truth, took


# -- grouping, time and memory -------------------------------------------------------


def timed(
    articles: Sequence[Article],
) -> tuple[list[storylines.Link], storylines.Storylines, float, float]:
    """Links, storylines, and the seconds `find_links` and `group` took."""
    gc.collect()
    started = time.perf_counter()
    links = linking.find_links(articles)
    found = time.perf_counter()
    lines = joining.group(articles, links)
    grouped = time.perf_counter()
    return links, lines, found - started, grouped - found


def memory(articles: Sequence[Article]) -> tuple[int, int]:
    """Bytes at the peak of `find_links` + `group`, and bytes kept after (links and
    storylines), measured by tracemalloc above what was there before."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    links = linking.find_links(articles)
    lines = joining.group(articles, links)
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del links, lines
    return peak - base, current - base


# -- scores --------------------------------------------------------------------------


def score(
    articles: Sequence[Article], truth: dict[str, str], lines: storylines.Storylines
) -> dict[str, Any]:
    """Pairwise precision and recall of `lines` against `truth`, and sizes."""
    cells: Counter[tuple[int, str]] = Counter()
    events: Counter[str] = Counter()
    for article in articles:
        events[truth[article.path]] += 1
        number = lines.number(article)
        if number is not None:
            cells[number, truth[article.path]] += 1
    predicted = sum(_pairs(len(g)) for g in lines.groups)
    true = sum(_pairs(n) for n in events.values())
    right = sum(_pairs(n) for n in cells.values())
    precision = right / predicted if predicted else 1.0
    recall = right / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    groups_of_event: Counter[str] = Counter(event for _, event in cells)
    whole = sum(
        1
        for (number, event), n in cells.items()
        if n == events[event] == len(lines.groups[number]) and groups_of_event[event] == 1
    )
    return {
        "stories": len(articles),
        "events": len(events),
        "multi_story_events": sum(1 for n in events.values() if n > 1),
        "events_found_whole": whole,
        "true_pairs": true,
        "predicted_pairs": predicted,
        "right_pairs": right,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "storylines": len(lines.groups),
        "storylines_by_size": dict(sorted(Counter(len(g) for g in lines.groups).items())),
        "events_by_size": dict(sorted(Counter(events.values()).items())),
    }


def _kind(event: str) -> str:
    return event.rsplit("-", 1)[0]


def _show(article: Article, truth: dict[str, str]) -> dict[str, str]:
    return {
        "date": _date(article),
        "provider": article.provider_name,
        "title": article.title,
        "event": truth[article.path],
    }


def false_merges(
    articles: Sequence[Article],
    truth: dict[str, str],
    links: Sequence[storylines.Link],
    lines: storylines.Storylines,
    worst: int = WORST,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The storylines holding the most pairs of different events, with the links
    that crossed events, and tallies of the crossing links by kind."""
    by_path = {a.path: a for a in articles}
    crossing: dict[int, list[storylines.Link]] = defaultdict(list)
    kinds: Counter[str] = Counter()
    event_kinds: Counter[str] = Counter()
    for link in links:
        a, b = by_path.get(link.a), by_path.get(link.b)
        if a is None or b is None or truth[link.a] == truth[link.b]:
            continue
        number = lines.number(a)
        if number is None or number != lines.number(b):
            continue
        crossing[number].append(link)
        kinds[link.kind] += 1
        event_kinds[" + ".join(sorted((_kind(truth[link.a]), _kind(truth[link.b]))))] += 1
    ranked = []
    for number, group in enumerate(lines.groups):
        count = Counter(truth[a.path] for a in group)
        if len(count) < 2:
            continue
        wrong = _pairs(len(group)) - sum(_pairs(n) for n in count.values())
        ranked.append((-wrong, number, count))
    ranked.sort()
    shown = []
    for minus_wrong, number, count in ranked[:worst]:
        group = lines.groups[number]
        used = {lines.why(a) for a in group} - {None}
        joins = sorted(crossing[number], key=lambda k: (k not in used, k.a, k.b))
        shown.append(
            {
                "storyline": number,
                "size": len(group),
                "events": dict(count.most_common()),
                "wrong_pairs": -minus_wrong,
                "joins": [
                    {
                        "reason": link.reason(),
                        "why": link in used,
                        "a": _show(by_path[link.a], truth),
                        "b": _show(by_path[link.b], truth),
                    }
                    for link in joins[:3]
                ],
            }
        )
    tallies = {
        "storylines_with_several_events": len(ranked),
        "wrong_pairs": -sum(r[0] for r in ranked),
        "crossing_links_by_kind": dict(kinds.most_common()),
        "crossing_links_by_event_kinds": dict(event_kinds.most_common(12)),
    }
    return shown, tallies


def _cause(a: Article, b: Article, linked: set[tuple[str, str]]) -> str:
    """Why two stories of one event have no link of their own (or, linked, were not
    joined): the first rule of storylines that keeps them apart."""
    if tuple(sorted((a.path, b.path))) in linked:
        return "linked, join refused (span)"
    window = getattr(storylines, "WINDOW", 3 * DAY)
    if a.published_ts and b.published_ts and abs(a.published_ts - b.published_ts) > window:
        return "over the window"
    ta, tb = words(a.title), words(b.title)
    if numbers_differ(numbers(ta), numbers(tb)):
        return "title numbers differ"
    low_title, _ = getattr(storylines, "TITLE_AND_EXCERPT", (0.4, 0.3))
    if cosine(ta, tb) >= low_title:
        return "titles half alike, excerpts unlike"
    return "titles unlike"


def misses(
    articles: Sequence[Article],
    truth: dict[str, str],
    links: Sequence[storylines.Link],
    lines: storylines.Storylines,
    worst: int = WORST,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The true events split the most (missed pairs), and the missed pairs by kind
    and by cause (see `_cause`)."""
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        members[truth[article.path]].append(article)
    linked = {(link.a, link.b) for link in links}
    ranked = []
    by_kind: Counter[str] = Counter()
    by_cause: Counter[str] = Counter()
    for event, stories in members.items():
        if len(stories) < 2:
            continue
        where = [lines.number(a) for a in stories]
        missed = 0
        for i, a in enumerate(stories):
            for j in range(i):
                if where[i] is None or where[i] != where[j]:
                    missed += 1
                    by_cause[_cause(a, stories[j], linked)] += 1
        if missed:
            ranked.append((-missed, event))
            by_kind[_kind(event)] += missed
    ranked.sort()
    shown = []
    for minus_missed, event in ranked[:worst]:
        stories = sorted(members[event], key=lambda a: (a.published_ts or 0.0, a.path))
        shown.append(
            {
                "event": event,
                "missed_pairs": -minus_missed,
                "stories": [{**_show(a, truth), "storyline": lines.number(a)} for a in stories],
            }
        )
    tallies = {
        "events_split": len(ranked),
        "missed_pairs": -sum(r[0] for r in ranked),
        "missed_pairs_by_event_kind": dict(by_kind.most_common(12)),
        "missed_pairs_by_cause": dict(by_cause.most_common()),
    }
    return shown, tallies


# -- fixed traps ---------------------------------------------------------------------


def _trap_article(
    name: str, title: str, provider: str, domain: str, day: int, excerpt: str = ""
) -> Article:
    return Article(
        path=f"/traps/{name}.md",
        title=title,
        excerpt=excerpt,
        published_ts=1_600_000_000.0 + day * DAY,
        web_url=f"https://{domain}/{name}",
        provider_name=provider,
        provider_domain=domain,
        type="article",
    )


def traps() -> list[dict[str, Any]]:
    """Two real-shaped pairs: template titles of one site a day apart (must stay
    apart), and one announcement told two ways by two sites (must be together)."""
    overview = "Release overview of the features planned for Power Apps in the {}."
    waves = (
        _trap_article(
            "wave-2019-2",
            "Microsoft Power Apps | 2019 release wave 2 overview",
            "Microsoft Docs",
            "docs.microsoft.com",
            0,
            overview.format("2019 release wave 2"),
        ),
        _trap_article(
            "wave-2020-1",
            "Microsoft Power Apps | 2020 release wave 1 overview",
            "Microsoft Docs",
            "docs.microsoft.com",
            1,
            overview.format("2020 release wave 1"),
        ),
    )
    dataverse = (
        _trap_article(
            "dataverse-ga",
            "Dataverse for Teams is now generally available",
            "Microsoft",
            "microsoft.com",
            0,
        ),
        _trap_article(
            "dataverse-zdnet",
            "Microsoft announces general availability of Dataverse for Teams",
            "ZDNet",
            "zdnet.com",
            1,
        ),
    )
    results = []
    for name, pair, together in (
        ("release waves of one site a day apart: apart", waves, False),
        ("Dataverse for Teams GA, two sites: together", dataverse, True),
    ):
        lines = joining.group(pair, linking.find_links(pair))
        a, b = (lines.number(x) for x in pair)
        joined = a is not None and a == b
        why = lines.why(pair[1]) or lines.why(pair[0])
        results.append(
            {
                "trap": name,
                "pass": joined == together,
                "joined": joined,
                "reason": why.reason() if why is not None else None,
            }
        )
    return results


# -- the rapidfuzz variant -----------------------------------------------------------


def _vetoed(a: Article, b: Article, ta: frozenset[str], tb: frozenset[str]) -> bool:
    """The vetoes of storylines: numbers that differ, one site on different days."""
    return numbers_differ(numbers(ta), numbers(tb)) or linking.one_site_other_days(a, b)


def candidates(articles: Sequence[Article]) -> list[tuple[int, int]]:
    """Pairs of stories within the window that share a title word and are not
    vetoed: the pairs any title score is asked about."""
    window = getattr(storylines, "WINDOW", 3 * DAY)
    titles = [words(a.title) for a in articles]
    dated = sorted(
        (a.published_ts, i) for i, a in enumerate(articles) if a.published_ts is not None
    )
    postings: dict[str, list[tuple[float, int]]] = {}
    starts: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    for ts, i in dated:
        near: set[int] = set()
        for word in sorted(titles[i]):
            posted = postings.setdefault(word, [])
            start = starts.get(word, 0)
            while start < len(posted) and posted[start][0] < ts - window:
                start += 1
            starts[word] = start
            near.update(j for _, j in posted[start:])
            posted.append((ts, i))
        for j in sorted(near):
            if not _vetoed(articles[i], articles[j], titles[i], titles[j]):
                pairs.append((j, i))
    return pairs


def rapidfuzz_variant(
    articles: Sequence[Article], truth: dict[str, str], links: Sequence[storylines.Link]
) -> dict[str, Any] | None:
    """Precision and recall with rapidfuzz title scores in place of the cosine."""
    try:
        from rapidfuzz import fuzz
    except ImportError:
        return None
    started = time.perf_counter()
    pairs = candidates(articles)
    folded = [fold(a.title) for a in articles]
    scores = [fuzz.token_set_ratio(folded[i], folded[j]) / 100 for i, j in pairs]
    took = time.perf_counter() - started
    related = [link for link in links if link.kind == storylines.RELATED]
    rows = []
    for threshold in SWEEP:
        title_links = [
            storylines.Link(*sorted((articles[i].path, articles[j].path)), storylines.TITLE, s)
            for (i, j), s in zip(pairs, scores, strict=True)
            if s >= threshold
        ]
        lines = joining.group(articles, [*related, *title_links])
        result = score(articles, truth, lines)
        rows.append(
            {
                "threshold": threshold,
                "title_links": len(title_links),
                "precision": result["precision"],
                "recall": result["recall"],
                "f1": result["f1"],
            }
        )
    return {"candidate_pairs": len(pairs), "scoring_seconds": round(took, 2), "sweep": rows}


# -- report --------------------------------------------------------------------------


def run(folder: str, also_rapidfuzz: bool = False) -> dict[str, Any]:
    """Everything the bench measures on `folder`, as one mapping."""
    articles, truth, load_s = load(folder)
    links, lines, links_s, group_s = timed(articles)
    peak, kept = memory(articles)
    report: dict[str, Any] = {
        "folder": folder,
        "load_seconds": round(load_s, 3),
        "find_links_seconds": round(links_s, 3),
        "group_seconds": round(group_s, 3),
        "links": len(links),
        "links_by_kind": dict(Counter(link.kind for link in links).most_common()),
        "wrong_links_by_kind": dict(
            Counter(link.kind for link in links if truth[link.a] != truth[link.b]).most_common()
        ),
        "memory_peak_bytes": peak,
        "memory_kept_bytes": kept,
        **score(articles, truth, lines),
    }
    report["false_merges"], report["false_merge_tallies"] = false_merges(
        articles, truth, links, lines
    )
    report["misses"], report["miss_tallies"] = misses(articles, truth, links, lines)
    report["traps"] = traps()
    if also_rapidfuzz:
        report["rapidfuzz"] = rapidfuzz_variant(articles, truth, links)
    return report


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def _line(story: dict[str, Any]) -> str:
    return f"{story['date']}  {story['provider'][:18]:18}  [{story['event']}]  {story['title']}"


def print_report(r: dict[str, Any]) -> None:
    """The report for a reader in a terminal."""
    print(
        f"storylines of {r['folder']}: {r['stories']:,} stories, {r['events']:,} true events "
        f"({r['multi_story_events']:,} with more than one story)"
    )
    print(f"  load (no cache)   {r['load_seconds']:.2f} s")
    print(
        f"  find_links        {r['find_links_seconds']:.2f} s  ({r['links']:,} links: "
        + ", ".join(f"{n:,} {k}" for k, n in r["links_by_kind"].items())
        + ")"
    )
    wrong = r["wrong_links_by_kind"]
    print(
        "  links between two true events: "
        + ", ".join(
            f"{wrong.get(k, 0):,} {k} ({wrong.get(k, 0) / n:.0%})"
            for k, n in r["links_by_kind"].items()
        )
    )
    print(f"  group             {r['group_seconds']:.3f} s  ({r['storylines']:,} storylines)")
    print(
        f"  memory            peak {_mb(r['memory_peak_bytes'])}, "
        f"kept {_mb(r['memory_kept_bytes'])} (tracemalloc)"
    )
    print(
        f"  pairs             {r['right_pairs']:,} right of {r['predicted_pairs']:,} "
        f"predicted, of {r['true_pairs']:,} true"
    )
    print(
        f"  precision {r['precision']:.3f}   recall {r['recall']:.3f}   F1 {r['f1']:.3f}   "
        f"events found whole {r['events_found_whole']:,} of {r['multi_story_events']:,}"
    )
    sizes = "  ".join(f"{k}:{v}" for k, v in r["storylines_by_size"].items())
    truth = "  ".join(f"{k}:{v}" for k, v in r["events_by_size"].items())
    print(f"  storylines by size  {sizes}")
    print(f"  true events by size {truth}")
    t = r["false_merge_tallies"]
    print(
        f"\nfalse merges: {t['storylines_with_several_events']:,} storylines hold several "
        f"events ({t['wrong_pairs']:,} wrong pairs)"
    )
    print(
        "  crossing links by kind: "
        + ", ".join(f"{k} {n}" for k, n in t["crossing_links_by_kind"].items())
    )
    print(
        "  by event kinds: "
        + ", ".join(f"{k} {n}" for k, n in t["crossing_links_by_event_kinds"].items())
    )
    for m in r["false_merges"]:
        events = ", ".join(f"{e}×{n}" for e, n in m["events"].items())
        print(
            f"\n  storyline {m['storyline']} ({m['size']} stories, {m['wrong_pairs']} wrong "
            f"pairs): {events}"
        )
        for join in m["joins"]:
            mark = "joined by" if join["why"] else "also"
            print(f"    {mark} {join['reason']}:")
            print(f"      {_line(join['a'])}")
            print(f"      {_line(join['b'])}")
    t = r["miss_tallies"]
    print(f"\nmisses: {t['events_split']:,} events split ({t['missed_pairs']:,} missed pairs)")
    print(
        "  by event kind: "
        + ", ".join(f"{k} {n}" for k, n in t["missed_pairs_by_event_kind"].items())
    )
    print("  by cause: " + ", ".join(f"{k} {n}" for k, n in t["missed_pairs_by_cause"].items()))
    for m in r["misses"]:
        print(f"\n  {m['event']} ({len(m['stories'])} stories, {m['missed_pairs']} missed pairs)")
        for s in m["stories"]:
            where = "-" if s["storyline"] is None else s["storyline"]
            print(f"    {where!s:>6}  {_line(s)}")
    print("\nfixed traps:")
    for trap in r["traps"]:
        verdict = "PASS" if trap["pass"] else "FAIL"
        print(f"  {verdict}  {trap['trap']} (joined: {trap['joined']}, by: {trap['reason']})")
    fuzzy = r.get("rapidfuzz")
    if fuzzy:
        print(
            f"\nrapidfuzz token_set_ratio on {fuzzy['candidate_pairs']:,} candidate pairs "
            f"(scored in {fuzzy['scoring_seconds']:.1f} s), with the same related links:"
        )
        for row in fuzzy["sweep"]:
            print(
                f"  >= {row['threshold']:.2f}  precision {row['precision']:.3f}  "
                f"recall {row['recall']:.3f}  F1 {row['f1']:.3f}  "
                f"({row['title_links']:,} title links)"
            )
    elif "rapidfuzz" in r:
        print("\nrapidfuzz is not importable: no comparison")


def main(argv: list[str] | None = None) -> int:
    """Command line: bench_storylines DIR [--json] [--also-rapidfuzz]."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--also-rapidfuzz",
        action="store_true",
        help="also score rapidfuzz title similarity on the same candidates",
    )
    args = parser.parse_args(argv)
    report = run(args.folder, args.also_rapidfuzz)
    if args.json:
        json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
        print()
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
