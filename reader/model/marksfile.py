"""Read and saved marks as a plain file, to carry them to another machine or keep them
in git or Syncthing.

The format is JSON, stable and diff-friendly: the keys sorted, one per line,
ASCII only (a key from a file name that is not UTF-8 holds lone surrogates,
which only a JSON escape can carry), a trailing newline:

    {
     "reader_marks": 1,
     "read": [
      "https://n.example/a"
     ],
     "saved": []
    }

Keys are `Article.mark_key`s. Reading is strict: anything but this shape is
refused with a one-line reason (`MarksFileError`), never half taken, and a
merge only ever adds marks (`merge_into`).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn, Protocol

#: The version this module writes and reads (the value of "reader_marks").
MARKS_VERSION = 1
#: A marks file larger than this is not read: a million long links take ~150 MB,
#: a lifetime of reading ~10 MB.
MAX_MARKS_BYTES = 64 * 1024 * 1024

_VERSION_FIELD = "reader_marks"
_LISTS = ("read", "saved")
_FIELDS = (_VERSION_FIELD, *_LISTS)


class MarksFileError(Exception):
    """A marks file that cannot be read or written; the message is one line."""


class MarkStore(Protocol):
    """What `merge_into` adds marks to: `StateStore`, `MemoryMarks`."""

    def read_links(self) -> frozenset[str]:
        """The keys of every story marked read."""
        ...

    def saved_links(self) -> frozenset[str]:
        """The keys of every saved story."""
        ...

    def set_read_many(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark many stories read (or unread)."""
        ...

    def set_saved(self, key: str, saved: bool = True) -> None:
        """Save (or unsave) one story."""
        ...


def dump_marks(read: Iterable[str], saved: Iterable[str]) -> str:
    """The marks file for these keys: each list sorted, without repeats or empty keys
    (which mark nothing: the stores ignore them, and `parse_marks` refuses them)."""
    document = {
        _VERSION_FIELD: MARKS_VERSION,
        "read": _sorted_keys(read, "read"),
        "saved": _sorted_keys(saved, "saved"),
    }
    return json.dumps(document, indent=1, ensure_ascii=True) + "\n"


def _sorted_keys(keys: Iterable[str], name: str) -> list[str]:
    # A lone string is an iterable of strings too: it would be written letter by letter.
    if isinstance(keys, str):
        raise TypeError(f"{name} must be an iterable of keys, not a string")
    return sorted({key for key in keys if key})


def parse_marks(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The read and saved keys of a marks file's text.

    Raises `MarksFileError` saying what is wrong: not JSON (with the line and
    column), not an object, no or an unknown version (a newer one said so), an
    unknown or repeated field, "read" or "saved" missing or not a list of
    non-empty strings (naming which, and the item), or larger than `MAX_MARKS_BYTES`.
    """
    if len(text) > MAX_MARKS_BYTES:
        _fail(f"too large ({len(text):,} characters; the limit is {MAX_MARKS_BYTES:,})")
    try:
        document = json.loads(text, object_pairs_hook=_no_repeats)
    except json.JSONDecodeError as err:
        _fail(f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})")
    except _Repeated as err:
        _fail(f'the field "{_shown(err.args[0])}" appears twice')
    except RecursionError:
        _fail("not a marks file: nested too deeply")
    except ValueError as err:  # an integer too long to convert, say
        _fail(f"not valid JSON: {err}")
    if not isinstance(document, dict):
        _fail(f"not a marks file: it holds {_kind(document)}, not an object")
    _check_version(document)
    unknown = [field for field in document if field not in _FIELDS]
    if unknown:
        _fail(f'not a marks file: unknown field "{_shown(unknown[0])}"')
    read, saved = (_keys(document, name) for name in _LISTS)
    return read, saved


class _Repeated(Exception):
    """A field given twice in one object (an unfinished merge, a hand edit)."""


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # `json` keeps the last of two equal fields without a word; a second "read" list
    # would silently lose the first.
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _Repeated(key)
        document[key] = value
    return document


def _check_version(document: dict[str, Any]) -> None:
    if _VERSION_FIELD not in document:
        _fail(f'not a marks file: there is no "{_VERSION_FIELD}" version')
    version = document[_VERSION_FIELD]
    # bool is an int to Python, but `true` is no version.
    if isinstance(version, int) and not isinstance(version, bool):
        if version == MARKS_VERSION:
            return
        if version > MARKS_VERSION:
            _fail(
                f"made by a newer reader (marks file version {version}; "
                f"this one reads version {MARKS_VERSION})"
            )
    # A string or number is quoted, cut short; a list or object only named (it may be huge).
    if isinstance(version, str):
        shown = _shown(json.dumps(version[:100]))
    elif isinstance(version, (int, float)) and not isinstance(version, bool):
        shown = _shown(repr(version))
    else:
        shown = _kind(version)
    _fail(f"unknown marks file version: {shown}")


def _keys(document: dict[str, Any], name: str) -> frozenset[str]:
    if name not in document:
        _fail(f'not a marks file: there is no "{name}" list')
    keys = document[name]
    if not isinstance(keys, list):
        _fail(f'"{name}" is not a list of strings (it is {_kind(keys)})')
    for number, key in enumerate(keys):
        if not isinstance(key, str):
            _fail(f'"{name}"[{number}] is not a string (it is {_kind(key)})')
        if not key:
            _fail(f'"{name}"[{number}] is an empty string')
    return frozenset(keys)


def _kind(value: object) -> str:
    """What a JSON value is, in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _shown(text: str, limit: int = 60) -> str:
    # A field name or value quoted in a message: one line, and short.
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fail(message: str) -> NoReturn:
    raise MarksFileError(message) from None


def read_marks_file(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The read and saved keys of the marks file at `path` (as `parse_marks`).

    Raises `MarksFileError` naming the file: it cannot be read (with the system's
    reason), is not a regular file, is larger than `MAX_MARKS_BYTES`, is not UTF-8
    text, or is not a valid marks file.
    """
    data = _read_capped(path, MAX_MARKS_BYTES)
    try:
        text = data.decode("utf-8-sig")  # a byte order mark, as some editors write
    except UnicodeDecodeError as err:
        raise MarksFileError(f"{path}: not UTF-8 text (at byte {err.start:,})") from None
    try:
        return parse_marks(text)
    except MarksFileError as err:
        raise MarksFileError(f"{path}: {err}") from None


def _read_capped(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, refused above `limit` before they are
    read; never blocks on a FIFO or a device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise MarksFileError(f"cannot read {path}: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise MarksFileError(f"{path}: not a regular file")
        if info.st_size > limit:
            raise MarksFileError(
                f"{path}: too large ({info.st_size:,} bytes; the limit is {limit:,})"
            )
        chunks: list[bytes] = []
        remaining = limit + 1  # one byte more: a file that grew past the limit is seen
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as err:
        raise MarksFileError(f"cannot read {path}: {err.strerror or err}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise MarksFileError(f"{path}: too large (over {limit:,} bytes)")
    return data


def write_marks_file(path: Path, read: Iterable[str], saved: Iterable[str]) -> None:
    """Write the marks file (`dump_marks`) to `path`, atomically.

    The text goes to a new file in the same folder, flushed to disk, that then
    replaces `path` in one step: a reader (git, Syncthing, another machine) sees
    the old file or the new one, never half of one, and a crash leaves the old.
    When `path` is a symbolic link, the file it points to is replaced, so the link
    stays. Raises `MarksFileError` naming the file and the system's reason.
    """
    data = dump_marks(read, saved).encode("ascii")
    target = Path(os.path.realpath(path))
    temp = None
    try:
        fd, temp = _new_temp(target)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except OSError as err:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise MarksFileError(f"cannot write {path}: {err.strerror or err}") from None
    _sync_folder(target.parent)


def _new_temp(target: Path) -> tuple[int, Path]:
    """A new, empty file next to `target`, open for writing.

    Made with mode 0o666 less the umask, as a plain new file gets (`mkstemp` would
    give 0o600, and the marks file would lose its readers in a shared folder). The
    name starts with "." and ends ".tmp", which Syncthing and most tools skip.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue


def _sync_folder(folder: Path) -> None:
    # The rename is only durable once the folder is flushed too; best effort (not every
    # system can open a folder).
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def merge_into(store: MarkStore, read: Iterable[str], saved: Iterable[str]) -> tuple[int, int]:
    """Add these read and saved marks to `store`; return how many of each were new.

    Only ever adds: a story read or saved in `store` stays so whatever the file says
    (a file is a record of what was marked, not of what was unmarked). Empty keys
    are skipped, as the stores skip them.
    """
    new_read = sorted({key for key in read if key} - store.read_links())
    new_saved = sorted({key for key in saved if key} - store.saved_links())
    if new_read:
        store.set_read_many(new_read, True)  # one transaction for the state file
    for key in new_saved:
        store.set_saved(key, True)
    return len(new_read), len(new_saved)
