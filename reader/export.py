"""Exporting stories: JSON, CSV, one Markdown digest, or one Markdown file each.

JSON is what `reader list --json` prints. CSV cleans every text cell as the
command line does, and defuses cells a spreadsheet would run as a formula.
Markdown is the story files themselves, as written: their bytes are read again
(bounded in size, never blocking), so a file that has gone or changed into
something that is not UTF-8 text since it was indexed becomes a `Problem` for
the caller to report, not a crash.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from reader import cliout
from reader.model.article import Article, Problem
from reader.model.index import Index
from reader.model.links import MAX_URL
from reader.model.parse import ParseError, read_bytes
from reader.model.storylines import Storylines
from reader.model.text import MAX_TITLE, clean_line
from reader.model.timefmt import iso_utc

#: The formats `reader export` writes.
FORMATS = ("md", "json", "csv")

#: Story files larger than this are not exported: one hostile file must not fill memory.
#: Far above what a story holds (the index reads at most 1 MB of one).
MAX_EXPORT_FILE_BYTES = 16 * 1024 * 1024

#: The columns of `export_csv`, in order (its header row).
CSV_COLUMNS = (
    "title",
    "link",
    "provider",
    "published",
    "heat",
    "quality",
    "topics",
    "type",
    "path",
)

#: What a spreadsheet takes for the start of a formula: see `_defused`.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: A name is cut to this many bytes (UTF-8) before "-N" is added: most file systems
#: allow 255, and the number must still fit.
_MAX_NAME_BYTES = 200
#: The name a story is written under when nothing of its own name is left.
_FALLBACK_NAME = "story.md"
#: Unicode categories never kept in a written name: controls (NUL among them), format
#: characters (bidi overrides, zero-width ones), lone surrogates (undecodable bytes),
#: line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: Characters Windows does not allow in a name; ":" would even name a hidden stream
#: of another file ("a:b.md" writes into "a").
_UNSAFE_HERE = frozenset('<>:"|?*') if os.name == "nt" else frozenset()


class ExportError(Exception):
    """The export cannot be made (its folder, a file that cannot be written); the
    message is one line, for the command line to print before exiting with status 2."""


def export_json(
    stories: Iterable[Article], storylines: Storylines, index: Index, encoding: str | None
) -> str:
    """The stories as `reader list --json` prints them (`cliout.list_json`)."""
    return cliout.list_json(stories, storylines, index, encoding)


def export_csv(stories: Iterable[Article]) -> str:
    """The stories as CSV with a header row (`CSV_COLUMNS`), one row each.

    Text is cleaned as the command line prints it (one line, no controls), the
    date is ISO 8601 in UTC, unknown values are empty. Rows end with "\\n": the
    text is meant to be written in text mode, which gives the platform's line end.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for story in stories:
        writer.writerow(_csv_row(story))
    return buffer.getvalue()


def _csv_row(story: Article) -> list[str]:
    texts = [
        clean_line(story.title, MAX_TITLE),
        clean_line(story.link_to_open, MAX_URL),
        clean_line(story.provider_name or story.provider_domain),
    ]
    tail = [
        clean_line("; ".join(story.topics), MAX_TITLE),
        clean_line(story.type),
        cliout.printable(story.path),
    ]
    # Numbers are written by us, never taken from the file as text: they cannot be a
    # formula, and a negative heat must stay a number, so only text cells are defused.
    numbers = [
        iso_utc(story.published_ts) or "",
        "" if story.heat is None else str(story.heat),
        "" if story.quality is None else str(story.quality),
    ]
    return [*map(_defused, texts), *numbers, *map(_defused, tail)]


def _defused(cell: str) -> str:
    # Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts with
    # "=", "+", "-" or "@" as a formula, and some drop a leading tab or CR first: a
    # story titled '=HYPERLINK("https://evil.example", "click")' or "=cmd|' /C calc'!A1"
    # would become a live link or command in the sheet of whoever opens the export.
    # A leading apostrophe makes the cell text in all of them (OWASP's advice); it is
    # visible in a plain text editor, a small price for a file of third-party text.
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def export_markdown(stories: Iterable[Article]) -> tuple[str, list[Problem]]:
    """One digest of the stories' files, each as written (front matter and all), in
    order, separated by a blank line; and the files that could not be read.

    A file is taken whole or not at all: gone, unreadable, larger than
    `MAX_EXPORT_FILE_BYTES` or not UTF-8 text, it is left out and given back as a
    `Problem`. The text is the files' own: printed to a terminal, it may carry
    escapes a story file was written with.
    """
    parts: list[str] = []
    problems: list[Problem] = []
    for story in stories:
        data = _read_story(story.path, problems)
        if data is None:
            continue
        # A byte order mark is not part of the text, and in the middle of a digest
        # it would be an invisible character; everything else is kept as it is.
        text = data.decode("utf-8").removeprefix("\ufeff")
        parts.append(text if text.endswith("\n") else text + "\n")
    return "\n".join(parts), problems


def export_markdown_files(
    stories: Iterable[Article], folder: Path
) -> tuple[list[Path], list[Problem]]:
    """Copy each story's file into `folder` (made when missing); return the files
    written, in order, and the files that could not be read (as `export_markdown`).

    A file keeps its source's base name, made safe (`safe_name`). Nothing is ever
    overwritten: when the name is taken, by a file already there or by another
    story of this export, "-2", "-3"... is added before the suffix. Raises
    `ExportError` when `folder` cannot be made or is not a folder, or a file cannot
    be written (what was written stays).
    """
    _make_folder(folder)
    written: list[Path] = []
    problems: list[Problem] = []
    #: The number to try next for each name: many stories named "index.md" are not
    #: each tried against every name already taken.
    next_number: dict[str, int] = {}
    for story in stories:
        data = _read_story(story.path, problems)
        if data is not None:
            written.append(_write_new(folder, safe_name(story.path), data, next_number))
    return written, problems


def safe_name(path: str) -> str:
    """The base name of `path`, made safe to create inside a folder.

    Path separators (both "/" and "\\"), NUL, control, format (bidi) and surrogate
    characters are removed (on Windows, the characters it forbids too), then leading
    dots and white space (no "..", no hidden file), and a long name is cut to
    `_MAX_NAME_BYTES`. What is left is a plain name of one path component;
    "story.md" when nothing is.
    """
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        ch
        for ch in base
        if unicodedata.category(ch) not in _UNSAFE_CATEGORIES and ch not in _UNSAFE_HERE
    )
    name = kept.strip().lstrip(".").strip()
    if not name:
        return _FALLBACK_NAME
    return _cut_name(name, _MAX_NAME_BYTES)


def _cut_name(name: str, limit: int) -> str:
    """`name` cut to `limit` UTF-8 bytes, keeping its suffix when that is short."""
    if len(name.encode("utf-8")) <= limit:
        return name
    suffix = _suffix(name)
    suffix = suffix if len(suffix.encode("utf-8")) <= 16 else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    room = limit - len(suffix.encode("utf-8"))
    # Cut on a character boundary: dropping the bytes of a half character.
    stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip()
    return (stem or "story") + suffix


def _suffix(name: str) -> str:
    # `Path.suffix`, without building a path: "" for "README", ".md" for "a.b.md".
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def _numbered(name: str, number: int) -> str:
    """`name` with "-`number`" before its suffix: "a.md" -> "a-2.md"."""
    suffix = _suffix(name)
    return f"{name[: len(name) - len(suffix)]}-{number}{suffix}"


def _read_story(path: str, problems: list[Problem]) -> bytes | None:
    """The bytes of the story file at `path` when they are UTF-8 text, else None with
    the reason added to `problems`."""
    try:
        data = read_bytes(path, MAX_EXPORT_FILE_BYTES)
    except ParseError as err:
        problems.append(Problem(path, str(err)))
        return None
    # NUL is valid UTF-8 but no text file holds it; the index refuses such files too.
    if b"\x00" in data:
        problems.append(Problem(path, "a binary file (it contains NUL bytes)"))
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        problems.append(Problem(path, f"not UTF-8 text (at byte {err.start:,})"))
        return None
    return data


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot make the folder {folder}: {err.strerror or err}") from None
    if not folder.is_dir():  # replaced by a file between the check and here
        raise ExportError(f"{folder} exists and is not a folder")


def _write_new(folder: Path, name: str, data: bytes, next_number: dict[str, int]) -> Path:
    """Write `data` to a new file in `folder` named `name`, or numbered after it when
    that is taken; return its path."""
    number = next_number.get(name, 1)
    while True:
        candidate = name if number == 1 else _numbered(name, number)
        number += 1
        target = folder / candidate
        # O_EXCL makes the file or fails, in one step: a file already there (even one
        # made meanwhile by another program, or differing only in case on a file system
        # that ignores case) is never overwritten, and with O_NOFOLLOW a symbolic link
        # planted under the name cannot send the write outside `folder`.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(target, flags, 0o666)
        except FileExistsError:
            continue
        except OSError as err:
            if err.errno == errno.ELOOP:  # a symbolic link where O_NOFOLLOW says so
                continue
            raise ExportError(f"cannot write {target}: {err.strerror or err}") from None
        next_number[name] = number
        try:
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)  # a network file system may report a failed write here
        except OSError as err:
            _remove_quietly(target)  # no half-written story is left behind
            raise ExportError(f"cannot write {target}: {err.strerror or err}") from None
        return target


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
