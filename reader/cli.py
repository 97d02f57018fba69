"""The command line: `reader [PATH...]`, and `list`, `check`, `export`, `marks`,
`config` and `keys`.

Everything printed goes through `reader.cliout`, which cleans story text and
escapes paths and messages at print time, argparse's messages included.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TextIO

from reader import __version__
from reader.brief import DEFAULT_LIMIT, brief, render_json, render_markdown
from reader.brief import FORMATS as BRIEF_FORMATS
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
from reader.export import (
    FORMATS,
    ExportError,
    export_csv,
    export_json,
    export_markdown,
    export_markdown_files,
)
from reader.fetchcmd import DEFAULT_JOBS, run_fetch
from reader.heatcmd import DEFAULT_TIMEOUT, run_history
from reader.model.article import Article, Problem
from reader.model.config import (
    DEFAULT_TEXT,
    ORDER_ALIASES,
    ConfigResult,
    config_path,
    read_config,
    unknown_key_ids,
)
from reader.model.folders import load_folders
from reader.model.heatlog import HeatLog
from reader.model.index import ALL, ORDERS, Index
from reader.model.loader import LoadResult
from reader.model.marksfile import MarksFileError, merge_into, read_marks_file, write_marks_file
from reader.model.muting import Muter
from reader.model.query import parse_query
from reader.model.rising import Rises
from reader.model.search import Searcher
from reader.model.state import StateStore
from reader.model.storylines import Storylines
from reader.model.text import fold
from reader.model.when import parse_age
from reader.resources import sample_content

COMMANDS = (
    "list",
    "check",
    "export",
    "fetch",
    "brief",
    "history",
    "marks",
    "config",
    "keys",
)
#: The commands that read folders of stories.
READING = ("list", "check", "export", "fetch", "brief", "history")
#: Options that take a value: `--query -climate` is joined into `--query=-climate`,
#: or argparse would read the negated word as an unknown option.
VALUE_OPTIONS = (
    "--topic",
    "--sort",
    "--limit",
    "--query",
    "--config",
    "--format",
    "--output",
    "--since",
    "--max-commits",
    "--timeout",
    "--jobs",
)
DESCRIPTION = """\
Read folders of news stories (Markdown files with YAML front matter).

commands:
  reader [PATH...]          open the full-screen reader on these folders
  reader list [PATH...]     print the ranked stories (--query to search)
  reader check [PATH...]    report files that were skipped or hidden, and why
  reader export [PATH...]   write the stories listed as Markdown, JSON or CSV
  reader fetch [PATH...]    keep the full text of the stories listed, to read offline
  reader brief [PATH...]    the top stories of the last day (--since), for a digest
  reader history [PATH...]  what the heat history holds (--from-git: fill it from git)
  reader marks export FILE  write read and saved marks to FILE (plain JSON)
  reader marks import FILE  add the marks of FILE to these (never removes one)
  reader config             print where the config file is, and a commented default
  reader keys               list every key binding's id and keys (for [keys])

PATH defaults to the config's `folders`, else the bundled sample stories."""


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
    if command is None or command in READING:
        parser.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="folders of stories (default: the config's folders, else the samples)",
        )
        parser.add_argument(
            "--no-cache", action="store_true", help="do not read or write the cache"
        )
    if command == "marks":
        parser.add_argument("action", choices=("export", "import"))
        parser.add_argument("file", help="the marks file (plain JSON)")
    parser.add_argument(
        "--config", help="the config file (default: READER_CONFIG, else `reader config`'s)"
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    if command in ("list", "export", "fetch"):
        parser.add_argument("--topic", help="only stories of this topic (any case or accents)")
        parser.add_argument(
            "--sort",
            choices=(*ORDERS, *ORDER_ALIASES),
            metavar="|".join(ORDERS),
            help="the order, as `s` cycles in the app (default: the config's sort, "
            "else heat; date = newest)",
        )
        parser.add_argument("--limit", type=int, help="at most N stories")
        parser.add_argument(
            "--query",
            help='search words and qualifiers, as typed after "/" in the app '
            "(e.g. 'topic:\"climate change\" heat>100 -sport is:unread')",
        )
        parser.add_argument(
            "--all", action="store_true", help="muted stories too (the config's [mute])"
        )
        parser.add_argument("--saved", action="store_true", help="only the saved stories")
    if command == "export":
        parser.add_argument("--format", choices=FORMATS, default="md", help="default: md")
        parser.add_argument(
            "-o",
            "--output",
            help="write to this file (md: to a folder, one file each, when it is one "
            "or ends with /); default: standard output",
        )
    if command == "fetch":
        parser.add_argument(
            "--jobs", type=int, default=DEFAULT_JOBS, help=f"pages at once ({DEFAULT_JOBS})"
        )
    if command == "brief":
        parser.add_argument(
            "--since", default="24h", help="the period: an age like 12h, 24h, 7d (default: 24h)"
        )
        parser.add_argument("--format", choices=BRIEF_FORMATS, default="md", help="default: md")
        parser.add_argument(
            "--limit", type=int, default=DEFAULT_LIMIT, help=f"at most N lines ({DEFAULT_LIMIT})"
        )
        parser.add_argument(
            "--all", action="store_true", help="muted stories too (the config's [mute])"
        )
    if command == "history":
        parser.add_argument(
            "--from-git",
            action="store_true",
            help="fill the history from each folder's git history (resumable)",
        )
        parser.add_argument("--max-commits", type=int, help="read at most N commits this time")
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help=f"stop after this many seconds (default {DEFAULT_TIMEOUT:.0f}); "
            "run it again to go on",
        )
    if command == "list":
        parser.add_argument("--json", action="store_true", help="print a JSON array")
        parser.add_argument(
            "--storylines",
            action="store_true",
            help="one row per storyline (the stories of one event), with its size and sources",
        )
    return parser


def _check_root(root: str, maybe_command: bool = False) -> str:
    """`root`, if it can be read; `UsageError` saying why not."""
    if not os.path.exists(root):
        hint = ""
        if maybe_command and os.sep not in root:
            close = difflib.get_close_matches(root, COMMANDS, n=1)
            hint = f" (did you mean `reader {close[0]}`?)" if close else ""
        raise UsageError(f"no such file or folder: {printable(root)}{hint}")
    if not os.access(root, os.R_OK) or (os.path.isdir(root) and not os.access(root, os.X_OK)):
        raise UsageError(f"cannot read: {printable(root)}")
    return root


def _roots(paths: Sequence[str], settings: Settings, maybe_command: bool = False) -> list[str]:
    """The folders to read: those given, else the config's (those that can be read;
    the others are said), else the bundled samples. Each once."""
    if paths:
        roots = [_check_root(path, maybe_command) for path in paths]
    elif settings.config.folders:
        roots = []
        for folder in settings.config.folders:
            try:
                roots.append(_check_root(folder))
            except UsageError as err:
                settings.tell(f"folders: {err}: skipped")
        if not roots:
            raise UsageError(f"{settings.path}: none of the folders can be read")
    else:
        roots = [str(sample_content())]
    return list(dict.fromkeys(os.path.abspath(root) for root in roots))


class Settings:
    """The config file as the command line uses it: its settings, and what to say."""

    def __init__(self, option: str | None) -> None:
        path, named = config_path(option)
        self.result: ConfigResult = read_config(path, named=named)
        self.path = self.result.path
        self.config = self.result.config
        #: What the app shows as notices; the other commands print it on stderr.
        self.notes: list[str] = [f"{printable(str(self.path))}: {w}" for w in self.result.warnings]

    def tell(self, note: str) -> None:
        self.notes.append(f"{printable(str(self.path))}: {note}")

    def strict(self) -> None:
        """For commands other than the app: a config that cannot be used stops them."""
        if self.result.error is not None:
            raise UsageError(self.result.error)

    def say_notes(self) -> None:
        for note in self.notes:
            say(note)
        self.notes.clear()


def _load(
    args: argparse.Namespace,
    settings: Settings,
    *,
    storylines: bool = True,
    roots: list[str] | None = None,
) -> LoadResult:
    """The stories of `roots` (default: the folders `args` and the config name)."""
    roots = roots if roots is not None else _roots(args.paths, settings)
    settings.say_notes()
    try:
        return load_folders(roots, use_cache=not args.no_cache, storylines=storylines)
    except OSError as err:
        where = printable(err.filename) if err.filename else "a folder"
        raise UsageError(f"cannot read {where}: {err.strerror or err}") from None


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


def _listed(args: argparse.Namespace, settings: Settings) -> tuple[list[Article], Listed]:
    """The stories `list` and `export` print: the topic, searched, saved, in order,
    without the muted ones unless `--all`."""
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    # Only JSON and the storylines view show storylines: plain rows need none.
    wanted = getattr(args, "json", False) or getattr(args, "storylines", False)
    result = _load(args, settings, storylines=wanted or getattr(args, "format", "") == "json")
    articles = result.articles
    rises = _recorded(articles, settings)
    if not args.all:
        articles, _ = Muter(settings.config.mutes).split(articles)
    index = Index(articles, rises)
    storylines = result.storylines.only(index.holds)
    topic = ALL if args.topic is None else topic_key(index, args.topic)
    order = _order(args, settings)
    stories = index.articles(topic, order)
    if args.saved:
        with _state("--saved sees no saved stories") as state:
            saved = state.saved_links()
        stories = [a for a in stories if a.mark_key in saved]
    if order == "rising" and rises.needs:
        say(rises.needs)
    if args.query:
        stories = _search(args.query, stories, rises)
    return stories, Listed(index, storylines)


def _order(args: argparse.Namespace, settings: Settings) -> str:
    order = args.sort or settings.config.sort or "heat"
    return ORDER_ALIASES.get(order, order)


def _recorded(articles: Sequence[Article], settings: Settings) -> Rises:
    """Record the stories' heat in the history (unless the config says `history =
    false`) and return what each gained over the config's rising window."""
    history = _history(articles, settings)
    if history is None:
        return Rises(window=settings.config.rising_window)
    rises = history.rises(settings.config.rising_window)
    history.close()
    return rises


def _history(articles: Sequence[Article], settings: Settings) -> HeatLog | None:
    """The heat history with `articles` recorded, or None when the config turns it off."""
    if not settings.config.history:
        return None
    history = HeatLog.open()
    history.record((a.mark_key, a.heat, a.quality) for a in articles)
    for notice in history.take_notices():
        say(notice)
    return history


def _run_history(args: argparse.Namespace, settings: Settings) -> int:
    if args.max_commits is not None and args.max_commits < 1:
        raise UsageError("--max-commits must be 1 or more")
    if not args.timeout > 0:
        raise UsageError("--timeout must be more than 0 seconds")
    roots = _roots(args.paths, settings)
    return run_history(
        roots,
        sys.stdout,
        from_git=args.from_git,
        stories=lambda: _load(args, settings, storylines=False, roots=roots).articles,
        max_commits=args.max_commits,
        timeout=args.timeout,
    )


def run_brief(args: argparse.Namespace, out: TextIO, settings: Settings) -> int:
    """Print the top stories of the last `--since`, one line each (a daily digest)."""
    since = parse_age(args.since)
    if not since:
        raise UsageError(f"--since expects an age like 12h, 24h or 7d, not {args.since!r}")
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    roots = _roots(args.paths, settings)
    result = _load(args, settings, roots=roots)
    history = _history(result.articles, settings)
    articles = result.articles
    if not args.all:
        articles, _ = Muter(settings.config.mutes).split(articles)
    index = Index(articles)
    storylines = result.storylines.only(index.holds)
    now = time.time()
    items = brief(index, storylines, history, since=since, now=now, limit=args.limit)
    if args.format == "json":
        text = render_json(items, encoding=getattr(out, "encoding", None))
    else:
        text = render_markdown(items, since=since, now=now, history=history, folders=roots)
    if history is not None:
        history.close()
    emit(text, out)
    return 0


class Listed:
    """What the stories listed were found in: their index and its storylines."""

    def __init__(self, index: Index, storylines: Storylines) -> None:
        self.index = index
        self.storylines = storylines


def run_list(args: argparse.Namespace, out: TextIO, settings: Settings) -> int:
    """Print the ranked stories."""
    stories, listed = _listed(args, settings)
    storylines, index = listed.storylines, listed.index
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
        rises = index.rises if _order(args, settings) == "rising" and index.rises.ready else None
        emit("".join(list_row(a, rises.of(a.mark_key) if rises else None) for a in stories), out)
    return 0


def run_export(args: argparse.Namespace, out: TextIO, settings: Settings) -> int:
    """Write the stories listed as Markdown (a digest, or one file each), JSON or CSV."""
    stories, listed = _listed(args, settings)
    stories = stories[: args.limit]
    problems: list[Problem] = []
    target = args.output
    if args.format == "md" and target and (target.endswith(os.sep) or os.path.isdir(target)):
        written, problems = export_markdown_files(stories, Path(target))
        say(f"wrote {count_files(len(written))} into {printable(target)}")
    else:
        if args.format == "md":
            text, problems = export_markdown(stories)
            if not target and out.isatty():
                text = escaped(text)  # a file's escape sequences would act on the terminal
        elif args.format == "json":
            encoding = None if target else getattr(out, "encoding", None)
            text = export_json(stories, listed.storylines, listed.index, encoding)
        else:
            text = export_csv(stories)
        if target:
            _write_file(Path(target), text)
        else:
            emit(text, out)
    for problem in problems:
        say(f"not exported: {printable(problem.path)}: {problem.reason}")
    return 1 if problems else 0


def count_files(count: int) -> str:
    return "1 file" if count == 1 else f"{count:,} files"


def _write_file(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"cannot write {printable(str(path))}: {err.strerror or err}") from None


@contextmanager
def _state(unseen: str) -> Iterator[StateStore]:
    """The state store, read (as `with StateStore.open()` waits for it); `unseen` says
    what goes without marks when it could not be read in time. Its notices are said after."""
    with StateStore.open() as state:
        if not state.ready:
            say(f"the state file could not be read in time: {unseen}")
        yield state
        for notice in state.take_notices():
            say(notice)


def run_marks(args: argparse.Namespace, out: TextIO) -> int:
    """`marks export FILE` / `marks import FILE`: read and saved marks as plain JSON."""
    path = Path(args.file)
    with _state("nothing is exported or imported") as state:
        if not state.ready:
            # Writing the marks seen so far would overwrite a good file with too few.
            return 2
        try:
            if args.action == "export":
                read, saved = state.read_links(), state.saved_links()
                write_marks_file(path, read, saved)
                emit(f"wrote {len(read):,} read and {len(saved):,} saved marks\n", out)
            else:
                read, saved = read_marks_file(path)
                new_read, new_saved = merge_into(state, read, saved)
                emit(f"added {new_read:,} read and {new_saved:,} saved marks\n", out)
        except MarksFileError as err:
            raise UsageError(str(err)) from None
        trouble = state.close()
    if trouble:
        say(trouble)
        return 1
    return 0


def run_config(out: TextIO, settings: Settings) -> int:
    """Print where the config file is, whether it is there, and a commented default."""
    result = settings.result
    state = "" if result.exists else " (not there yet: the defaults apply)"
    emit(f"# {printable(str(result.path))}{state}\n{DEFAULT_TEXT}", out)
    if result.error is not None and result.exists:  # a file named but not made yet is fine
        say(result.error)
        return 2
    settings.say_notes()
    return 0


def run_keys(out: TextIO, settings: Settings) -> int:
    """List every binding id with the keys in force and what it does."""
    from textual.binding import Binding  # textual is imported only for the app and this

    from reader.app import binding_ids, binding_sections
    from reader.screens.help import key_label

    keymap = settings.config.keys
    lines = []
    for section, bindings in binding_sections():
        lines.append(f"{section}:\n")
        for binding in bindings:
            if isinstance(binding, Binding) and binding.id:
                keys = key_label(keymap.get(binding.id, binding.key))
                changed = " (config)" if binding.id in keymap else ""
                lines.append(f"  {binding.id:<14} {keys:<22} {binding.description}{changed}\n")
    emit("".join(lines), out)
    for warning in unknown_key_ids(keymap, binding_ids()):
        settings.tell(warning)
    settings.say_notes()
    return 0


def _search(text: str, stories: list[Article], rises: Rises | None = None) -> list[Article]:
    """The stories matching a query; what cannot be understood is said on stderr."""
    query = parse_query(text)
    for error in query.errors:
        say(f"query: {error}")
    read: frozenset[str] = frozenset()
    saved: frozenset[str] = frozenset()
    if query.flags:  # is:read, is:saved...: only then is the state file needed
        with _state("is: sees no marks") as state:
            read, saved = state.read_links(), state.saved_links()
    return Searcher().filter(query, stories, read_links=read, saved_links=saved, rises=rises)


def run_check(args: argparse.Namespace, out: TextIO, settings: Settings) -> int:
    """Report skipped, hidden and duplicate files; exit 1 when any was skipped."""
    result = _load(args, settings, storylines=False)
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


def run_app(args: argparse.Namespace, settings: Settings, maybe_command: bool) -> int:
    """Open the full-screen reader (a config that cannot be used is said there)."""
    if settings.result.error is not None:
        settings.notes.insert(0, f"{settings.result.error}; the defaults apply")
    roots = _roots(args.paths, settings, maybe_command)
    from reader.app import ReaderApp  # textual is imported only for the app

    if settings.config.images:
        from reader.widgets.lead_image import prepare

        prepare()  # asks the terminal how it draws pictures, before the app reads keys
    app = ReaderApp(
        roots, use_cache=not args.no_cache, config=settings.config, config_notes=settings.notes
    )
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
        settings = Settings(args.config)
        if command is None:
            # A first word that is not a folder may be a mistyped command: `reader lsit`.
            first = bool(words) and bool(args.paths) and args.paths[0] == args_list[words[0]]
            return run_app(args, settings, maybe_command=first)
        if command == "config":
            return run_config(sys.stdout, settings)
        settings.strict()
        if command == "list":
            return run_list(args, sys.stdout, settings)
        if command == "check":
            return run_check(args, sys.stdout, settings)
        if command == "export":
            return run_export(args, sys.stdout, settings)
        if command == "brief":
            return run_brief(args, sys.stdout, settings)
        if command == "fetch":
            if not 1 <= args.jobs <= 16:
                raise UsageError("--jobs must be 1 to 16")
            stories, _ = _listed(args, settings)
            return run_fetch(stories[: args.limit], sys.stdout, jobs=args.jobs)
        if command == "history":
            return _run_history(args, settings)
        if command == "marks":
            settings.say_notes()
            return run_marks(args, sys.stdout)
        return run_keys(sys.stdout, settings)
    except (UsageError, ExportError) as err:
        say(str(err))
        return err.status if isinstance(err, UsageError) else 2
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
