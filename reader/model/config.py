"""The user's settings: `config.toml`, read and checked once at start.

A bad file never stops reader: a syntax error makes the whole file unusable
(`ConfigResult.error`, one line with the file and line, and the defaults
apply); an unknown setting or a bad value is a warning naming it, and the
rest still applies. Which binding ids exist is known only to the screens, so
the `[keys]` table is checked here for shape alone (`unknown_key_ids` checks
the ids once they are known).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .index import ORDERS
from .opening import opener_refusal
from .query import parse_query
from .rising import DEFAULT_WINDOW
from .text import clean_line
from .when import parse_age

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,no-redef]

#: The environment variable naming another config file (as `--config` does).
CONFIG_ENV = "READER_CONFIG"
#: Files larger than this are not settings: refused rather than read.
MAX_BYTES = 1024 * 1024
#: Older names of orders (`reader.model.index.ORDERS`), kept working here and by
#: `reader list --sort`.
ORDER_ALIASES = {"date": "newest"}
#: Every top-level setting, in the order the default file lists them.
SETTINGS = (
    "folders",
    "sort",
    "theme",
    "hide_read",
    "rising_window",
    "history",
    "trends",
    "images",
    "keys",
    "searches",
    "mute",
    "open",
)
#: A key name as Textual spells them ("ctrl+o", "f5", "question_mark") or one character.
_KEY_NAME = re.compile(r"(?:[a-z]+\+)*(?:[A-Za-z0-9_]+|[^\s,])")
_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")

DEFAULT_TEXT = """\
# reader's settings. Every setting is commented out: remove the "#" to use one.
# `reader config` prints where this file is; READER_CONFIG or --config name another.

# Folders read when no PATH is given on the command line.
# folders = ["~/news/election", "~/news/ai"]

# The order of the list at start: heat | newest | oldest | quality | rising
# sort = "heat"

# A theme, as the command palette's "Change theme" lists them (ctrl+p).
# theme = "nord"

# Start with read stories hidden (H shows them again).
# hide_read = false

# "rising" ranks by the heat gained over this window: 45m, 12h, 7d, 2w...
# rising_window = "24h"

# Record each story's heat when it changes (for "rising" and the sparklines).
# history = true

# Start with each topic's stories per day drawn in the sidebar (T toggles).
# trends = false

# false: i never fetches nor draws a story's lead image. Nothing is fetched
# unless you ask (f, i, `reader fetch`).
# images = true

# Keys: binding id = keys, comma-separated, as `reader keys` lists them.
# [keys]
# open = "O,enter"

# Saved searches: sidebar entries with unread and total counts.
# [[searches]]
# name = "Hot election"
# query = "topic:Election heat>800"

# Stories matching any of these searches are hidden everywhere (M shows them).
# [mute]
# queries = ["provider:foxnews", "type:course"]

# How to open links, by story type: a program and its arguments, with {url}
# standing for the link. Never run through a shell. Without a rule, `o` opens
# the web browser.
# [open]
# video = ["mpv", "{url}"]
"""


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A search kept under a name: a sidebar entry listing what it matches."""

    name: str
    query: str


@dataclass(frozen=True, slots=True)
class Config:
    """The settings in force (the defaults for anything not set, or set wrong)."""

    folders: tuple[str, ...] = ()
    sort: str | None = None
    theme: str | None = None
    hide_read: bool = False
    #: Seconds "rising" measures the heat gained over.
    rising_window: float = DEFAULT_WINDOW
    #: Whether each story's heat is recorded as it changes.
    history: bool = True
    #: Start with each topic's stories per day drawn in the sidebar (`T`).
    trends: bool = False
    #: False: `i` never fetches nor draws a story's image.
    images: bool = True
    #: Binding id -> keys, comma-separated ("O,enter").
    keys: Mapping[str, str] = field(default_factory=dict)
    searches: tuple[SavedSearch, ...] = ()
    mutes: tuple[str, ...] = ()
    #: Story type -> the program and its arguments ("{url}" stands for the link).
    openers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConfigResult:
    """A config file as read: the settings, and what was wrong with it."""

    path: Path
    config: Config = field(default_factory=Config)
    #: One line per setting ignored, naming it.
    warnings: tuple[str, ...] = ()
    #: Why the whole file could not be used (its syntax, or reading it), or None.
    error: str | None = None
    #: False when there is no file (the defaults, said nowhere).
    exists: bool = True


def default_path() -> Path:
    """Where the config file lives unless `--config` or `READER_CONFIG` says otherwise."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("reader", appauthor=False)) / "config.toml"


def config_path(option: str | None, environ: Mapping[str, str] = os.environ) -> tuple[Path, bool]:
    """The config file to read and whether it was named (`--config`, then `READER_CONFIG`):
    a named file must exist, the default one need not."""
    named = option or environ.get(CONFIG_ENV) or None
    if named:
        return Path(os.path.expanduser(named)), True
    return default_path(), False


def read_config(path: Path, *, named: bool = False) -> ConfigResult:
    """Read and check `path`. Never raises."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return ConfigResult(path, error=f"{path}: larger than {MAX_BYTES // 1024} KB")
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        if named:
            return ConfigResult(path, error=f"{path}: no such config file", exists=False)
        return ConfigResult(path, exists=False)
    except UnicodeDecodeError as err:
        return ConfigResult(path, error=f"{path}: not UTF-8 text (byte {err.start})")
    except OSError as err:
        return ConfigResult(path, error=f"{path}: cannot read: {err.strerror or err}")
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> ConfigResult:
    """The settings `text` (the contents of `path`) holds."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return ConfigResult(path, error=_syntax_error(path, str(err), text))
    checker = _Checker()
    config = checker.config(data)
    return ConfigResult(path, config, tuple(checker.warnings))


def unknown_key_ids(keys: Mapping[str, str], known: Iterable[str]) -> list[str]:
    """A warning for each `[keys]` entry naming no binding id of `known`."""
    ids = sorted(set(known))
    warnings = []
    for name in keys:
        if name not in ids:
            close = difflib.get_close_matches(name, ids, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else "; `reader keys` lists them"
            warnings.append(f"keys: no binding {name!r}{hint}")
    return warnings


def _syntax_error(path: Path, message: str, text: str) -> str:
    """ "file:line: what", from tomllib's "what (at line 3, column 5)" (or "at end of
    document": the last line)."""
    where = _WHERE.search(message)
    what = _WHERE.sub("", message).strip()
    if where is not None:
        return f"{path}:{where.group(1)}: {what} (column {where.group(2)})"
    if "(at end of document)" in message:
        what = what.replace("(at end of document)", "").strip()
        return f"{path}:{len(text.splitlines()) or 1}: {what} (at the end of the file)"
    return f"{path}: {what}"


class _Checker:
    """Builds a `Config` from parsed TOML, noting a warning for each value it drops."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def config(self, data: dict[str, Any]) -> Config:
        for name in data:
            if name not in SETTINGS:
                close = difflib.get_close_matches(name, SETTINGS, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.warn(f"unknown setting {name!r}{hint}: ignored")
        return Config(
            folders=self.folders(data.get("folders")),
            sort=self.sort(data.get("sort")),
            theme=self.string("theme", data.get("theme")),
            hide_read=self.boolean("hide_read", data.get("hide_read")),
            rising_window=self.window(data.get("rising_window")),
            history=self.boolean("history", data.get("history"), default=True),
            trends=self.boolean("trends", data.get("trends")),
            images=self.boolean("images", data.get("images"), default=True),
            keys=self.keys(data.get("keys")),
            searches=self.searches(data.get("searches")),
            mutes=self.mutes(data.get("mute")),
            openers=self.openers(data.get("open")),
        )

    def string(self, name: str, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.warn(f"{name}: should be a word in quotes, not {_shown(value)}")
        return None

    def boolean(self, name: str, value: object, *, default: bool = False) -> bool:
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.warn(f"{name}: should be true or false, not {_shown(value)}")
        return default

    def window(self, value: object) -> float:
        text = self.string("rising_window", value)
        seconds = parse_age(text) if text is not None else None
        if text is not None and not seconds:
            self.warn(f"rising_window: {value!r} is not an age like 12h, 7d or 2w")
        return seconds or DEFAULT_WINDOW

    def strings(self, name: str, value: object) -> list[str]:
        """A list of non-empty strings; a lone string counts as a list of one."""
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.warn(f"{name}: should be a list of strings, not {_shown(value)}")
            return []
        kept = []
        for item in value:
            if isinstance(item, str) and item.strip():
                kept.append(item.strip())
            else:
                self.warn(f"{name}: {_shown(item)} is not a non-empty string: ignored")
        return kept

    def folders(self, value: object) -> tuple[str, ...]:
        return tuple(os.path.expanduser(f) for f in self.strings("folders", value))

    def sort(self, value: object) -> str | None:
        order = self.string("sort", value)
        if order is None:
            return None
        order = ORDER_ALIASES.get(order.lower(), order.lower())
        if order in ORDERS:
            return order
        self.warn(f"sort: {value!r} is none of {', '.join(ORDERS)}")
        return None

    def table(self, name: str, value: object) -> dict[str, Any]:
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        self.warn(f"{name}: should be a table ([{name}]), not {_shown(value)}")
        return {}

    def keys(self, value: object) -> dict[str, str]:
        keys = {}
        for name, keyed in self.table("keys", value).items():
            if isinstance(keyed, list) and all(isinstance(k, str) for k in keyed):
                keyed = ",".join(keyed)
            if not isinstance(keyed, str):
                self.warn(f"keys: {name} should be keys in quotes, not {_shown(keyed)}")
                continue
            parts = [k.strip() for k in keyed.split(",")]
            bad = [k for k in parts if not _KEY_NAME.fullmatch(k)]
            if bad or not parts:
                self.warn(f"keys: {name}: {bad[0] if bad else keyed!r} is not a key name")
                continue
            keys[name] = ",".join(parts)
        return keys

    def searches(self, value: object) -> tuple[SavedSearch, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.warn(f"searches: should be [[searches]] tables, not {_shown(value)}")
            return ()
        kept: dict[str, SavedSearch] = {}
        for n, entry in enumerate(value, 1):
            where = f"searches #{n}"
            if not isinstance(entry, dict):
                self.warn(f"{where}: should be a table with a name and a query")
                continue
            for extra in sorted(set(entry) - {"name", "query"}):
                self.warn(f"{where}: unknown field {extra!r}: ignored")
            # A sidebar entry: one line, no controls (a TOML string may hold escapes).
            name, query = clean_line(entry.get("name"), 60), clean_line(entry.get("query"), 500)
            if not name:
                self.warn(f"{where}: needs a name in quotes")
                continue
            if not query:
                self.warn(f"{where} ({name!r}): needs a query in quotes")
                continue
            if name in kept:
                self.warn(f"{where}: a second search named {name!r}: ignored")
                continue
            errors = parse_query(query).errors
            if errors:
                self.warn(f"{where} ({name!r}): {errors[0]}")
            kept[name] = SavedSearch(name, query)
        return tuple(kept.values())

    def mutes(self, value: object) -> tuple[str, ...]:
        table = self.table("mute", value)
        for extra in sorted(set(table) - {"queries"}):
            self.warn(f"mute: unknown field {extra!r}: ignored")
        kept = []
        for text in self.strings("mute.queries", table.get("queries")):
            query = parse_query(text)
            if query.of_the_moment:
                # Marks, heat and full texts change all the time: a story would come and go.
                what = "is:" if query.flags else "rising" if query.rising else "text:"
                self.warn(f"mute: {text!r}: {what} cannot mute (it changes): ignored")
            elif query.is_empty:
                self.warn(f"mute: {text!r} matches every story: ignored")
            else:
                if query.errors:
                    self.warn(f"mute: {text!r}: {query.errors[0]}")
                kept.append(text)
        return tuple(kept)

    def openers(self, value: object) -> dict[str, tuple[str, ...]]:
        openers = {}
        for kind, argv in self.table("open", value).items():
            if not (isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv)):
                self.warn(f'open: {kind} should be a list like ["mpv", "{{url}}"]')
                continue
            refusal = opener_refusal(argv)
            if refusal is not None:
                self.warn(f"open: {kind}: {refusal}: ignored")
                continue
            openers[kind.strip().casefold()] = tuple(argv)
        return openers


def _shown(value: object) -> str:
    """A value as a warning quotes it, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
