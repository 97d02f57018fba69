"""The command line: `reader [PATH]`, `reader list`, `reader check`.

Everything printed goes through `reader.cliout`, which cleans story text and
escapes paths and messages at print time, argparse's messages included.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from reader import __version__
from reader.browse.grouping import storyline_rows
from reader.cliout import (
    OutputError,
    discard_stdout,
    emit,
    escaped,
    list_json,
    list_row,
    prepare,
    printable,
    problem_row,
    say,
    storyline_row,
    storylines_json,
)
from reader.model.article import Article
from reader.model.index import ALL, ORDERS, Index
from reader.model.loader import LoadResult, load_folder
from reader.model.query import parse_query
from reader.model.search import Searcher
from reader.model.state import StateStore
from reader.model.text import fold
from reader.resources import sample_content

COMMANDS = ("list", "check")
#: Options that take a value: `--query -climate` is joined into `--query=-climate`,
#: or argparse would read the negated word as an unknown option.
VALUE_OPTIONS = ("--topic", "--sort", "--limit", "--query")
#: Older names of orders (`reader.model.index.ORDERS`), kept working.
ORDER_ALIASES = {"date": "newest"}
DESCRIPTION = """\
Read a folder of news stories (Markdown files with YAML front matter).

commands:
  reader [PATH]          open the full-screen reader on PATH
  reader list [PATH]     print the ranked stories (--query to search)
  reader check [PATH]    report files that were skipped or hidden, and why

PATH defaults to the bundled sample stories."""


class UsageError(Exception):
    """A command-line mistake; the message is printed as one line."""

    #: The exit status.
    status = 2


class UnknownTopic(UsageError):
    """`--topic` names no topic of the folder."""

    status = 1


class _Parser(argparse.ArgumentParser):
    """argparse, escaping its error messages: they quote arguments, which may be
    hostile file names expanded by the shell (`reader check ok-*`)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {escaped(message)}\n")


def _parser(command: str | None) -> argparse.ArgumentParser:
    prog = "reader" if command is None else f"reader {command}"
    parser = _Parser(
        prog=prog,
        description=DESCRIPTION if command is None else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", nargs="?", help="folder of stories (default: the samples)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    if command == "list":
        parser.add_argument("--topic", help="only stories of this topic (any case or accents)")
        parser.add_argument(
            "--sort",
            choices=(*ORDERS, *ORDER_ALIASES),
            default="heat",
            metavar="|".join(ORDERS),
            help="the order, as `s` cycles in the app (default: heat; date = newest)",
        )
        parser.add_argument("--limit", type=int, help="at most N stories")
        parser.add_argument(
            "--query",
            help='search words and qualifiers, as typed after "/" in the app '
            "(e.g. 'topic:\"climate change\" heat>100 -sport is:unread')",
        )
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.add_argument(
            "--storylines",
            action="store_true",
            help="one row per storyline (the stories of one event), with its size and sources",
        )
    return parser


def _root(path: str | None, maybe_command: bool = False) -> str:
    root = path if path is not None else str(sample_content())
    if not os.path.exists(root):
        hint = ""
        if maybe_command and os.sep not in root:
            close = difflib.get_close_matches(root, COMMANDS, n=1)
            hint = f" (did you mean `reader {close[0]}`?)" if close else ""
        raise UsageError(f"no such file or folder: {printable(root)}{hint}")
    if not os.access(root, os.R_OK) or (os.path.isdir(root) and not os.access(root, os.X_OK)):
        raise UsageError(f"cannot read: {printable(root)}")
    return root


def _load(path: str | None, no_cache: bool) -> LoadResult:
    root = _root(path)
    try:
        return load_folder(root, use_cache=not no_cache)
    except OSError as err:
        raise UsageError(f"cannot read {printable(root)}: {err.strerror or err}") from None


def topic_key(index: Index, wanted: str) -> str:
    """The key of the topic `wanted` names, in any case or accents; `UnknownTopic`,
    with the closest names, when there is none."""
    folded = fold(wanted.strip())
    names = {fold(topic.name): topic for topic in index.topics}
    if folded in names:
        return names[folded].key
    close = difflib.get_close_matches(folded, list(names), n=3)
    hint = ", ".join(f"`{names[name].name}`" for name in close)
    raise UnknownTopic(f"no topic named {wanted!r}" + (f" (did you mean {hint}?)" if hint else ""))


def run_list(args: argparse.Namespace, out: TextIO) -> int:
    """Print the ranked stories."""
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    result = _load(args.path, args.no_cache)
    index = Index(result.articles)
    storylines = result.storylines.only(index.holds)
    topic = ALL if args.topic is None else topic_key(index, args.topic)
    stories = index.articles(topic, ORDER_ALIASES.get(args.sort, args.sort))
    if args.query:
        stories = _search(args.query, stories)
    encoding = getattr(out, "encoding", None)
    if args.storylines:
        rows = storyline_rows(stories, storylines, ()).stories[: args.limit]
        lines = [storylines.of(row) for row in rows]
        if args.json:
            emit(storylines_json(lines, storylines, index, encoding), out)
        else:
            emit("".join(map(storyline_row, lines)), out)
        return 0
    stories = stories[: args.limit]
    if args.json:
        emit(list_json(stories, storylines, index, encoding), out)
    else:
        emit("".join(map(list_row, stories)), out)
    return 0


def _search(text: str, stories: list[Article]) -> list[Article]:
    """The stories matching a query; what cannot be understood is said on stderr."""
    query = parse_query(text)
    for error in query.errors:
        say(f"query: {error}")
    read: frozenset[str] = frozenset()
    saved: frozenset[str] = frozenset()
    if query.flags:  # is:read, is:saved...: only then is the state file needed
        with StateStore.open() as state:
            if not state.ready:
                say("the state file could not be read in time: is: sees no marks")
            read, saved = state.read_links(), state.saved_links()
            for notice in state.take_notices():
                say(notice)
    return Searcher().filter(query, stories, read_links=read, saved_links=saved)


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    """Report skipped, hidden and duplicate files; exit 1 when any was skipped."""
    result = _load(args.path, args.no_cache)
    index = Index(result.articles)
    problems = sorted([*result.problems, *index.duplicates], key=lambda p: p.path)
    skipped = sum(p.kind == "skipped" for p in problems)
    hidden = sum(p.kind == "hidden" for p in problems)
    summary = (
        f"{len(index)} stories shown, {skipped} skipped, {hidden} hidden, "
        f"{len(index.duplicates)} duplicates\n"
    )
    emit("".join(map(problem_row, problems)) + summary, out)
    return 1 if skipped else 0


def run_app(args: argparse.Namespace, maybe_command: bool) -> int:
    """Open the full-screen reader."""
    root = _root(args.path, maybe_command)
    from reader.app import ReaderApp  # textual is imported only for the app

    app = ReaderApp(root, use_cache=not args.no_cache)
    app.run()
    if app.exit_note:  # e.g. marks that could not be written to a locked state file
        say(app.exit_note)
    return 0


def _joined(args: Sequence[str]) -> list[str]:
    """`args` with each `--option VALUE` of `VALUE_OPTIONS` as `--option=VALUE`."""
    joined: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            joined += [arg, *rest]
        elif arg in VALUE_OPTIONS:
            value = next(rest, None)
            joined.append(arg if value is None else f"{arg}={value}")
        else:
            joined.append(arg)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `reader` command; returns the exit status."""
    prepare(sys.stdout)
    args_list = _joined(sys.argv[1:] if argv is None else argv)
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
        # A first word that is not a folder may be a mistyped command: `reader lsit`.
        return run_app(args, maybe_command=bool(words) and args.path == args_list[words[0]])
    except UsageError as err:
        say(str(err))
        return err.status
    except OutputError as err:
        discard_stdout()
        say(f"cannot write the output: {err}")
        return 2
    except BrokenPipeError:
        # `reader list | head`: the reader of our output has gone; that is fine.
        discard_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
