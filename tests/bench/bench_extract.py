"""Benchmark: reader's article extraction (trafilatura) against readability-lxml.

    python -m tests.bench.bench_extract [--runs 5] [--detail]

On the saved news pages of tests/model/pages (README.md there: where they come from
and what each article is), for each extractor: the words it gives, whether the
article's first and last sentences are in them, how many of the article's
paragraphs it keeps, how many lines it adds that are about the story but not its
text (headline, captions, credits: "extra"), how many are boilerplate (navigation,
promotions, related stories, notices) and the median time per page. `--detail`
lists the boilerplate lines and the paragraphs lost.

A line is matched after removing all white space and case, so a paragraph that an
extractor cuts at a link still counts as kept. reader's lines are its blocks with
the link numbers (" [3]") taken out; readability-lxml's are the block elements of
its summary (p, li, h1-h6, blockquote, div...).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reader.model.extract import extract  # noqa: E402

PAGES = REPO / "tests" / "model" / "pages"
_MARKER = re.compile(r" \[\d+\]")
_BLOCK_TAGS = frozenset(
    {"p", "li", "ul", "ol", "dt", "dd", "blockquote", "pre", "div", "br", "figure", "figcaption"}
    | {"table", "tr", "td", "th", "section", "article", "header", "footer", "aside"}
    | {f"h{level}" for level in range(1, 7)}
)


@dataclass
class Page:
    """A saved page and what it holds (its .txt file)."""

    name: str
    url: str
    html: bytes
    #: The article's first and last sentences.
    first: str = ""
    last: str = ""
    #: The article's running text, paragraph by paragraph.
    body: list[str] = field(default_factory=list)
    #: About the story, not its text: headline, byline, captions...
    extra: list[str] = field(default_factory=list)
    #: Navigation, promotions, notices found on the page.
    boilerplate: list[str] = field(default_factory=list)


def load_pages() -> list[Page]:
    """The saved pages, by name."""
    pages = []
    for expected in sorted(PAGES.glob("*.txt")):
        page = Page(expected.stem, "", expected.with_suffix(".html").read_bytes())
        kinds = {"=": page.body, "~": page.extra, "!": page.boilerplate}
        for line in expected.read_text(encoding="utf-8").splitlines():
            if line.startswith("# url: "):
                page.url = line.removeprefix("# url: ")
            elif line.startswith("# first: "):
                page.first = line.removeprefix("# first: ")
            elif line.startswith("# last: "):
                page.last = line.removeprefix("# last: ")
            elif line[:2] in ("= ", "~ ", "! "):
                kinds[line[0]].append(line[2:])
        pages.append(page)
    return pages


def squeeze(text: str) -> str:
    """`text` without white space and case, as lines are compared."""
    return "".join(text.split()).casefold()


def is_within(line: str, paragraphs: list[str]) -> bool:
    """Whether `line` is one of `paragraphs`, or a piece of one at least four words long
    (a shorter piece such as "Related" is found inside too many paragraphs)."""
    squeezed = squeeze(line)
    if len(line.split()) < 4:
        return any(squeezed == squeeze(p) for p in paragraphs)
    return any(squeezed in squeeze(p) for p in paragraphs)


@dataclass
class Score:
    """How one extractor did on one page."""

    words: int
    first: bool
    last: bool
    kept: int
    extra: int
    boilerplate: list[str]
    lost: list[str]


def score(page: Page, lines: list[str]) -> Score:
    """How much of `page`'s article `lines` hold, and what else."""
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    whole = squeeze(" ".join(lines))
    body = [line for line in lines if is_within(line, page.body)]
    extra = [line for line in lines if line not in body and is_within(line, page.extra)]
    lost = [p for p in page.body if squeeze(p) not in whole]
    return Score(
        words=sum(len(line.split()) for line in lines),
        first=squeeze(page.first) in whole,
        last=squeeze(page.last) in whole,
        kept=len(page.body) - len(lost),
        extra=len(extra),
        boilerplate=[line for line in lines if line not in body and line not in extra],
        lost=lost,
    )


def reader_lines(page: Page) -> list[str]:
    """What reader shows of the page: its blocks, link numbers left out."""
    text = extract(page.html, page.url)
    return [] if text is None else [_MARKER.sub("", block.text) for block in text.blocks]


def readability_lines(page: Page) -> list[str]:
    """What readability-lxml keeps of the page, one line per block element."""
    import lxml.html  # type: ignore[import-untyped]  # no stubs installed
    from readability import Document  # type: ignore[import-untyped]

    summary = Document(page.html, url=page.url).summary(html_partial=True)
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(element: lxml.html.HtmlElement) -> None:
        block = element.tag in _BLOCK_TAGS
        if block:
            flush()
        current.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            current.append(child.tail or "")
        if block:
            flush()

    walk(lxml.html.fromstring(summary))
    flush()
    return lines


def extractors() -> dict[str, Callable[[Page], list[str]]]:
    """The extractors to compare: reader's, and readability-lxml when it is installed."""
    found: dict[str, Callable[[Page], list[str]]] = {"trafilatura": reader_lines}
    try:
        import readability  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        print("readability-lxml is not installed: only reader's extractor is measured")
    else:
        found["readability"] = readability_lines
    return found


def timed(run: Callable[[Page], list[str]], page: Page, runs: int) -> tuple[list[str], float]:
    """The lines `run` gives for `page`, and its median time in milliseconds."""
    times, lines = [], []
    for _ in range(runs):
        start = time.perf_counter()
        lines = run(page)
        times.append((time.perf_counter() - start) * 1000)
    return lines, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per page and extractor")
    parser.add_argument("--detail", action="store_true", help="list boilerplate and losses")
    args = parser.parse_args()
    extract(b"<html><body><p>warm up</p></body></html>", "https://example.org/")
    header = f"{'page':<34} {'extractor':<12} {'words':>5} {'first':>5} {'last':>5}"
    print(f"{header} {'paragraphs':>10} {'extra':>5} {'boiler':>6} {'ms':>5}")
    times: dict[str, list[float]] = {}
    scores: dict[str, list[tuple[Page, Score]]] = {}
    for page in load_pages():
        for i, (name, run) in enumerate(extractors().items()):
            lines, ms = timed(run, page, args.runs)
            s = score(page, lines)
            times.setdefault(name, []).append(ms)
            scores.setdefault(name, []).append((page, s))
            paragraphs = f"{s.kept}/{len(page.body)}"
            print(
                f"{page.name if i == 0 else '':<34} {name:<12} {s.words:>5} "
                f"{'yes' if s.first else 'NO':>5} {'yes' if s.last else 'NO':>5} "
                f"{paragraphs:>10} {s.extra:>5} {len(s.boilerplate):>6} {ms:>5.0f}"
            )
            if args.detail:
                for line in s.boilerplate:
                    print(f"{'':<34}   boilerplate: {line[:90]}")
                for line in s.lost:
                    print(f"{'':<34}   lost: {line[:90]}")
    print()
    for name, done in scores.items():
        whole = sum(s.first and s.last and not s.lost for _, s in done)
        kept = sum(s.kept for _, s in done)
        total = sum(len(page.body) for page, _ in done)
        print(
            f"{name}: {whole}/{len(done)} articles whole, {kept}/{total} paragraphs, "
            f"{sum(len(s.boilerplate) for _, s in done)} boilerplate lines, "
            f"{sum(s.extra for _, s in done)} extra, "
            f"median {statistics.median(times[name]):.0f} ms a page"
        )


if __name__ == "__main__":
    main()
