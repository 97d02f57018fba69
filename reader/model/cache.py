"""The persistent index cache: parsed records keyed by path, size and mtime.

One file per content folder in the user's cache folder. The payload is a
marshal dump behind a header with a format version and a BLAKE2 digest, so a
truncated, corrupt or foreign file is detected before anything is unmarshalled
and is simply rebuilt. Writes go to a temporary file renamed into place, so a
reader never sees a half-written cache and concurrent writers cannot mix; a
temporary file left by a writer that was killed is removed by a later open or save.
The file is read like a story file (`parse.read_bytes`): never blocking, regular
files only, at most `MAX_CACHE_BYTES`; anything else is rebuilt.

Records are stored as columns (see `records`): 100,000 stories load in a few
tenths of a second and are type-checked a whole column at a time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import Any

from . import fastyaml
from .parse import ParseError, read_bytes
from .records import (
    ARTICLE_FIELDS,
    ARTICLE_TYPES,
    LINK_FIELDS,
    LINK_TYPES,
    PROBLEM_FIELDS,
    PROBLEM_TYPES,
    STORYLINE_TYPES,
    WORD_TYPES,
    Column,
    Record,
    check_columns,
)
from .storylines import KINDS

#: Bump when the layout changes, so old caches are rebuilt.
FORMAT_VERSION = 4
#: A bigger cache file is not read (it is rebuilt). Measured with
#: tests/bench/generate.py: 60,241,021 bytes for 100,000 stories (602 bytes a story)
#: and 942 MB for 1,000,000 with their storylines, so this allows ~2,000,000
#: stories, twice the largest folder benchmarked, and still stops a stray huge file
#: from filling memory.
MAX_CACHE_BYTES = 2 * 1024 * 1024 * 1024
#: A temporary file of ours older than this is left by a writer that died (a
#: SIGKILL mid-save): a live writer fills and renames its file within a second
#: (57 MiB at 100,000 stories).
STALE_TEMP_SECONDS = 10 * 60
_TEMP_PREFIX, _TEMP_SUFFIX = ".index-", ".tmp"
# What `tempfile.mkstemp` makes of that prefix and suffix: 8 of [a-z0-9_] between.
_TEMP_NAME = re.compile(rf"{re.escape(_TEMP_PREFIX)}[a-z0-9_]{{8}}{re.escape(_TEMP_SUFFIX)}")
_MAGIC = b"READER-INDEX\x00"
_DIGEST = 32
_STAT_TYPES = (frozenset({int}), frozenset({int}))
#: The modules whose code decides what a record holds: a change to any of them
#: (a parsing fix, a new field) makes old caches stale.
_PARSING_MODULES = (
    "article",
    "linkkey",
    "normalize",
    "fastyaml",
    "parse",
    "parsing",
    "records",
    "joining",
    "linking",
    "similar",
    "storylines",
    "text",
)


def cache_dir() -> Path:
    """Where caches live: $READER_CACHE_DIR, else the platform's user cache folder."""
    override = os.environ.get("READER_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reader", appauthor=False))


@functools.cache
def _parser_digest() -> str:
    digest = hashlib.blake2b(repr((ARTICLE_FIELDS, PROBLEM_FIELDS)).encode(), digest_size=16)
    # Another version of the fast YAML reader may read a file otherwise.
    digest.update(repr(fastyaml.VERSION).encode())
    here = Path(__file__).parent
    for name in _PARSING_MODULES:
        try:
            digest.update((here / f"{name}.py").read_bytes())
        except OSError:  # no source (a frozen build): rely on FORMAT_VERSION
            digest.update(name.encode())
    return digest.hexdigest()


@dataclass(slots=True)
class Table:
    """Records of one kind as columns (the first is the path), with the stat they were parsed at."""

    sizes: list[int]
    mtimes: list[int]
    columns: list[Column]

    @classmethod
    def empty(cls, width: int) -> Table:
        """A table of `width` columns and no rows."""
        return cls([], [], [[] for _ in range(width)])

    def __len__(self) -> int:
        return len(self.sizes)

    @property
    def paths(self) -> Column:
        """The path of each row."""
        return self.columns[0]

    def select(self, keep: list[bool]) -> Table:
        """The rows where `keep` is true (this very table when that is all of them)."""
        if all(keep):
            return self
        return Table(
            list(compress(self.sizes, keep)),
            list(compress(self.mtimes, keep)),
            [list(compress(column, keep)) for column in self.columns],
        )

    def append(self, size: int, mtime_ns: int, record: Record) -> None:
        """Add one row."""
        self.sizes.append(size)
        self.mtimes.append(mtime_ns)
        for column, value in zip(self.columns, record, strict=True):
            column.append(value)


@dataclass(slots=True)
class Snapshot:
    """Everything a cache holds: parsed articles, files that were problems, and the
    storyline links between articles (`storylines.Link` fields as columns) and the
    storylines they made (`Storylines.columns`), so a warm start need not join them."""

    articles: Table
    problems: Table
    links: list[Column] = field(default_factory=lambda: [[] for _ in LINK_FIELDS])
    storylines: list[Column] = field(default_factory=lambda: [[] for _ in STORYLINE_TYPES])
    #: In how many titles each word is (`storylines.count_words`): words and counts.
    words: list[Column] = field(default_factory=lambda: [[], []])

    @classmethod
    def empty(cls) -> Snapshot:
        """A snapshot of nothing (no cache, or one not to be trusted)."""
        return cls(Table.empty(len(ARTICLE_FIELDS)), Table.empty(len(PROBLEM_FIELDS)))

    def __len__(self) -> int:
        return len(self.articles) + len(self.problems)


def _table(raw: Any, types: tuple[frozenset[type], ...]) -> Table:
    if not isinstance(raw, list):
        raise ValueError("not a table")
    check_columns(raw, _STAT_TYPES + types)
    return Table(raw[0], raw[1], raw[2:])


def _payload(snapshot: Snapshot, root: str) -> Any:
    def table(t: Table) -> list[Column]:
        return [t.sizes, t.mtimes, *t.columns]

    return (
        root,
        _parser_digest(),
        table(snapshot.articles),
        table(snapshot.problems),
        snapshot.links,
        snapshot.storylines,
        snapshot.words,
    )


class IndexCache:
    """The cache file of one content folder."""

    def __init__(self, path: Path, root: str) -> None:
        self.path = path
        self.root = root
        #: Why the last `load` found nothing usable ("" when it did, or there was none).
        self.rebuilt_because = ""

    @classmethod
    def for_root(cls, root: str) -> IndexCache:
        """The cache of the folder `root` (an absolute path)."""
        key = hashlib.blake2b(root.encode("utf-8", "surrogateescape"), digest_size=12)
        return cls(cache_dir() / f"index-{key.hexdigest()}.bin", root)

    def load(self) -> Snapshot:
        """The cached records, or an empty snapshot when missing or not trustworthy.

        Never raises: whatever is wrong with the file is noted in `rebuilt_because`.
        """
        try:
            return self._load()
        except Exception as err:  # a last guard: a bad cache must never stop a load
            self.rebuilt_because = f"unusable ({type(err).__name__})"
            return Snapshot.empty()

    def _load(self) -> Snapshot:
        self.rebuilt_because = ""
        remove_stale_temp_files(self.path.parent)
        if not self.path.exists():
            return Snapshot.empty()  # no cache yet (or a broken link): nothing to say
        try:
            # Like a story file, so a FIFO or /dev/zero at this path cannot hang or
            # fill memory; one read of the size fstat gives, as fast as
            # Path.read_bytes (~35 ms of a ~0.35 s load at 100,000 stories).
            data = read_bytes(str(self.path), MAX_CACHE_BYTES)
        except ParseError as err:  # a FIFO, a device, too large, unreadable...
            self.rebuilt_because = str(err)
            return Snapshot.empty()
        header = len(_MAGIC) + 1
        if not data.startswith(_MAGIC) or len(data) < header + _DIGEST:
            self.rebuilt_because = "not a reader cache, or truncated"
            return Snapshot.empty()
        if data[len(_MAGIC)] != FORMAT_VERSION:
            self.rebuilt_because = "written by another version"
            return Snapshot.empty()
        view = memoryview(data)
        digest, payload = view[header : header + _DIGEST], view[header + _DIGEST :]
        if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != digest:
            self.rebuilt_because = "corrupt or truncated"
            return Snapshot.empty()
        try:
            content = marshal.loads(payload)
        except Exception:
            self.rebuilt_because = "unreadable contents"
            return Snapshot.empty()
        if not isinstance(content, tuple) or len(content) != 7:
            self.rebuilt_because = "unreadable contents"
            return Snapshot.empty()
        root, parser, articles, problems, links, lines, words = content
        if root != self.root:
            self.rebuilt_because = "belongs to another folder"
            return Snapshot.empty()
        if parser != _parser_digest():
            self.rebuilt_because = "written by another version"
            return Snapshot.empty()
        try:
            if not all(isinstance(table, list) for table in (links, lines, words)):
                raise ValueError("no storyline tables")
            check_columns(links, LINK_TYPES)
            if not set(links[LINK_FIELDS.index("kind")]) <= KINDS:  # shown as text
                raise ValueError("an unknown kind of storyline link")
            check_columns(lines, STORYLINE_TYPES)
            check_columns(words, WORD_TYPES)
            snapshot = Snapshot(
                _table(articles, ARTICLE_TYPES),
                _table(problems, PROBLEM_TYPES),
                links,
                lines,
                words,
            )
        except ValueError as err:
            self.rebuilt_because = f"malformed ({err})"
            return Snapshot.empty()
        if len(set(snapshot.articles.paths).union(snapshot.problems.paths)) != len(snapshot):
            self.rebuilt_because = "malformed (a path twice)"
            return Snapshot.empty()
        return snapshot

    def save(self, snapshot: Snapshot) -> bool:
        """Write the cache atomically; False when the cache folder is not writable."""
        payload = marshal.dumps(_payload(snapshot, self.root))
        digest = hashlib.blake2b(payload, digest_size=_DIGEST).digest()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                dir=self.path.parent, prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX
            )
        except OSError:
            return False
        remove_stale_temp_files(self.path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + bytes([FORMAT_VERSION]) + digest)
                out.write(payload)
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return False
        return True


def remove_stale_temp_files(folder: Path, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove our temporary files in `folder` not written to for `older_than` seconds.

    Only regular files named as `IndexCache.save` names them; a symbolic link or
    anything else is left alone, and so is a fresh file (another process saving
    right now). Never raises; returns how many were removed.
    """
    removed = 0
    limit = time.time() - older_than
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not _TEMP_NAME.fullmatch(entry.name):
                    continue
                with contextlib.suppress(OSError):
                    if (
                        entry.is_file(follow_symlinks=False)
                        and entry.stat(follow_symlinks=False).st_mtime < limit
                    ):
                        os.unlink(entry.path)
                        removed += 1
    except OSError:  # no folder yet, or not readable: nothing to tidy
        pass
    return removed
