"""The command line: `reader [PATH]`, `reader list`, `reader check`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from reader import __version__
from reader.model.article import Article, LoadResult
from reader.model.index import ALL, Index
from reader.model.loader import load_folder
from reader.model.query import parse_query
from reader.model.search import Searcher
from reader.model.state import StateStore
from reader.model.text import clean_line, fold, show_path
from reader.model.timefmt import age, iso_utc
from reader.resources import sample_content

COMMANDS = ("list", "check")
DESCRIPTION = """\
Read a folder of news stories (Markdown files with YAML front matter).

commands:
  reader [PATH]          open the full-screen reader on PATH
  reader list [PATH]     print the ranked stories (--query to search)
  reader check [PATH]    report files that were skipped or hidden, and why

PATH defaults to the bundled sample stories."""


class UsageError(Exception):
    """A command-line mistake; the message is printed as one line."""


def _parser(command: str | None) -> argparse.ArgumentParser:
    prog = "reader" if command is None else f"reader {command}"
    parser = argparse.ArgumentParser(
        prog=prog,
        description=DESCRIPTION if command is None else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", nargs="?", help="folder of stories (default: the samples)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    if command == "list":
        parser.add_argument("--topic", help="only stories of this topic (any case)")
        parser.add_argument("--sort", choices=("heat", "date", "quality"), default="heat")
        parser.add_argument("--limit", type=int, help="at most N stories")
        parser.add_argument(
            "--query",
            help='search words and qualifiers, as typed after "/" in the app '
            "(e.g. 'topic:\"climate change\" heat>100 is:unread')",
        )
        parser.add_argument("--json", action="store_true", help="print a JSON array")
    return parser


def _root(path: str | None) -> str:
    root = path if path is not None else str(sample_content())
    if not os.path.exists(root):
        raise UsageError(f"no such file or folder: {show_path(root)}")
    if not os.access(root, os.R_OK) or (os.path.isdir(root) and not os.access(root, os.X_OK)):
        raise UsageError(f"cannot read: {show_path(root)}")
    return root


def _load(path: str | None, no_cache: bool) -> LoadResult:
    root = _root(path)
    try:
        return load_folder(root, use_cache=not no_cache)
    except OSError as err:
        raise UsageError(f"cannot read {show_path(root)}: {err.strerror or err}") from None


def article_json(article: Article, index: Index) -> dict[str, Any]:
    """The JSON object `reader list --json` prints for a story."""
    return {
        "title": article.title,
        "url": article.link or None,
        "heat": article.heat,
        "quality": article.quality,
        "published": iso_utc(article.published_ts),
        "provider": {"name": article.provider_name, "domain": article.provider_domain},
        "topics": [index.topic_name(t) for t in article.topics],
        # Printable, like `check`: a raw name may hold escapes or bytes that are not UTF-8.
        "path": show_path(article.path),
    }


def run_list(args: argparse.Namespace, out: TextIO) -> int:
    """Print the ranked stories."""
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    index = Index(_load(args.path, args.no_cache).articles)
    order = "newest" if args.sort == "date" else args.sort
    topic = ALL
    if args.topic is not None:
        topic = args.topic.strip().casefold()
        if not any(t.key == topic for t in index.topics):
            names = [t for t in index.topics if fold(t.name) == fold(args.topic.strip())]
            topic = names[0].key if names else topic
    stories = index.articles(topic, order)
    if args.query:
        stories = _search(args.query, stories)
    stories = stories[: args.limit]
    if args.json:
        json.dump([article_json(a, index) for a in stories], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    for a in stories:
        heat = "-" if a.heat is None else str(a.heat)
        provider = a.provider_name or a.provider_domain or "?"
        out.write(f"{heat:>5}  {age(a.published_ts):>4}  {provider[:20]:<20}  {a.title}\n")
    return 0


def _search(text: str, stories: list[Article]) -> list[Article]:
    """The stories matching a query; what cannot be understood is said on stderr."""
    query = parse_query(text)
    for error in query.errors:
        print(f"reader: query: {error}", file=sys.stderr)
    read: frozenset[str] = frozenset()
    saved: frozenset[str] = frozenset()
    if query.flags:  # is:read, is:saved...: only then is the state file needed
        with StateStore.open() as state:
            read, saved = state.read_links(), state.saved_links()
    return Searcher().filter(query, stories, read_links=read, saved_links=saved)


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    """Report skipped, hidden and duplicate files; exit 1 when any was skipped."""
    result = _load(args.path, args.no_cache)
    index = Index(result.articles)
    problems = sorted([*result.problems, *index.duplicates], key=lambda p: p.path)
    for problem in problems:
        reason = clean_line(problem.reason, 500)  # a reason may quote file text
        out.write(f"{show_path(problem.path)}: {problem.kind}: {reason}\n")
    skipped = sum(p.kind == "skipped" for p in problems)
    hidden = sum(p.kind == "hidden" for p in problems)
    out.write(
        f"{len(index)} stories shown, {skipped} skipped, {hidden} hidden, "
        f"{len(index.duplicates)} duplicates\n"
    )
    return 1 if skipped else 0


def run_app(args: argparse.Namespace) -> int:
    """Open the full-screen reader."""
    root = _root(args.path)
    from reader.app import ReaderApp  # textual is imported only for the app

    ReaderApp(root, use_cache=not args.no_cache).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `reader` command; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The command is the first word that is not an option: `reader --no-cache list`.
    words = [i for i, arg in enumerate(args_list) if not arg.startswith("-")]
    command = None
    if words and args_list[words[0]] in COMMANDS:
        command = args_list.pop(words[0])
    args = _parser(command).parse_args(args_list)
    try:
        if command == "list":
            return run_list(args, sys.stdout)
        if command == "check":
            return run_check(args, sys.stdout)
        return run_app(args)
    except UsageError as err:
        print(f"reader: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `reader list | head`: the reader of our output has gone; that is fine.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
