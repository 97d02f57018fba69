"""Time search-as-you-type over a large synthetic corpus (a check, not a test).

    python -m tests.bench.bench_query [N]

Builds N (default 100,000) `Article`s in memory, then types queries one
character at a time and prints what each keystroke's filter took. The first
search folds every story once; that cost is printed on its own.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from reader.model.article import Article
from reader.model.query import parse_query
from reader.model.search import Searcher
from tests.bench.generate import PROVIDERS, TOPICS, _excerpt, _title

_NAMES = ("López", "Zürich", "Müller", "Nuñez", "Ødegaard", "Smith", "Chen", "Dupont", "Kowalski")
_START = 1_546_300_800.0  # 2019-01-01
_SPAN = 3 * 365 * 86_400.0


def corpus(n: int, seed: int = 1) -> list[Article]:
    """N varied stories: accented names, curly quotes, 1-5 topics, scores, dates."""
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        name, domain = rng.choice(PROVIDERS)
        title = f"{_title(rng).strip()} — {rng.choice(_NAMES)} #{i}"
        articles.append(
            Article(
                path=f"/corpus/{i // 1000:03d}/story-{i}.md",
                title=title,
                excerpt=_excerpt(rng).strip(),
                published_ts=None if rng.random() < 0.02 else _START + rng.random() * _SPAN,
                web_url=f"https://{domain}/story/{i}",
                provider_name=name,
                provider_domain=domain,
                topics=tuple(rng.sample(TOPICS, rng.randint(1, 5))),
                heat=rng.randint(0, 100) if rng.random() < 0.95 else None,
                quality=rng.randint(0, 100) if rng.random() < 0.9 else None,
            )
        )
    return articles


def type_out(
    searcher: Searcher,
    articles: list[Article],
    text: str,
    read: set[str],
    fresh: bool = False,
) -> list[float]:
    """Milliseconds per keystroke while `text` is typed; `fresh` defeats narrowing."""
    times = []
    for end in range(1, len(text) + 1):
        if fresh:
            searcher._recent = []  # as if every keystroke were a new search
        started = time.perf_counter()
        found = searcher.filter(parse_query(text[:end]), articles, read_links=read)
        times.append((time.perf_counter() - started) * 1000)
    print(f"  {text!r}: {len(found)} found")
    return times


def report(label: str, times: list[float]) -> None:
    """Print median and worst keystroke, and the worst keystroke's position."""
    worst = max(times)
    print(
        f"{label:<44} median {statistics.median(times):6.2f} ms   "
        f"worst {worst:6.2f} ms (keystroke {times.index(worst) + 1} of {len(times)})"
    )


def main() -> None:
    """Run every scenario and print the figures."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    started = time.perf_counter()
    articles = corpus(n)
    print(f"built {n:,} articles in {time.perf_counter() - started:.2f} s")
    read = {a.link for a in articles[::3]}

    searcher = Searcher()
    started = time.perf_counter()
    searcher.prepare(articles)
    print(f"folded {n:,} stories once in {time.perf_counter() - started:.2f} s (first search)")

    queries = (
        "climate change",
        "lopez",
        '"the new plan" zurich',
        'topic:"climate change" provider:bbc after:2020-06 heat>40 is:unread officials',
        "-officials -critics investors",
    )
    for query in queries:
        report("typed, narrowing", type_out(searcher, articles, query, read))
        report(
            "typed, every keystroke from scratch", type_out(searcher, articles, query, read, True)
        )
    # Deleting characters never narrows; the queries typed on the way in are
    # still remembered, though, unless the searcher's memory was cleared.
    text = "climate change officials"
    for label, forget in (("backspacing after typing", False), ("backspacing, nothing kept", True)):
        type_out(searcher, articles, text, read)
        if forget:
            searcher._recent = []
        times = []
        for end in range(len(text) - 1, 0, -1):
            started = time.perf_counter()
            searcher.filter(parse_query(text[:end]), articles, read_links=read)
            times.append((time.perf_counter() - started) * 1000)
        report(label, times)


if __name__ == "__main__":
    main()
