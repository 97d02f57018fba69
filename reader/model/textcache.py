"""The offline cache of articles' full text (`extract.FullText`), one JSON file each.

An entry is keyed by the story's link, the URL its file gives and `put` is asked
to keep (`put(text, key=link)`), not by `FullText.url`, the page's final URL
after redirects: the story finds its text again by the link it has, whatever the
site redirected to. The file is named by the SHA-256 of the key, in a subfolder
named by its first two hex digits (`3f/3f9a...e1.json`), so no URL can choose
where anything is written, and 10,000 entries make 256 folders of ~40.

Writes go to a temporary file in the entry's folder, renamed into place: a reader
never sees half an entry. A symbolic link planted where an entry or its folder
goes is replaced, never followed (the temporary file is created with O_EXCL and
the rename replaces the link itself); entries are opened with O_NOFOLLOW. The
cache folder itself is taken as given. Whatever the disk or folder does, `put`
returns why it kept nothing and `get` returns None; a damaged entry (bad JSON,
another version, wrong types, text that is not clean, an unsafe link) is removed.

`keys.jsonl` lists the keys kept, one JSON string a line, appended by `put`;
`keys_kept` checks it against the entries' names (without reading the entries: a
damaged one is listed until it is read) and reads only the entries it misses (the
file lost or cut short), then rewrites it.

Costs on a shared 2-core machine, 10,000 entries of ~700 words (5.3 KiB of JSON
each): `put` ~0.4-1 ms, `get` ~0.3 ms, `has` ~15 µs, `keys_kept` ~50 ms (~0.75 s
when the index is lost and rebuilt), `searchable` ~0.9 s, holding ~4.5 KiB an
article (its folded text, ~4,400 characters, nearly all ASCII), see
tests/model/test_textcache.py.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from .cache import STALE_TEMP_SECONDS, cache_dir
from .extract import KINDS, Block, FullText, clean_text
from .links import unsafe_reason
from .text import ASCII_FORMS, MAX_TITLE, clean_line, fold, show_path

#: Bump when the entry layout changes: entries of another version are removed.
FORMAT_VERSION = 1
#: A bigger entry is not read (it is removed): a long article is ~100 KB.
MAX_ENTRY_BYTES = 16 * 1024 * 1024
#: A longer key is not kept (story links are at most 2,048 characters).
MAX_KEY = 8192
#: The index of keys, in the cache folder.
INDEX = "keys.jsonl"
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")
_FOLDER = re.compile(r"[0-9a-f]{2}")
_TEMP_PREFIX, _TEMP_SUFFIX = ".fulltext-", ".tmp"
_TEMP = re.compile(rf"{re.escape(_TEMP_PREFIX)}[a-z0-9_]{{8}}{re.escape(_TEMP_SUFFIX)}")
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def digest(key: str) -> str:
    """The hex SHA-256 of `key`: its entry's file name."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class TextCache:
    """The kept full texts, in `folder` (default: reader's cache folder / "fulltext")."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else cache_dir() / "fulltext"

    def path(self, key: str) -> Path:
        """Where the entry of `key` is (whether or not it is kept)."""
        name = digest(key)
        return self.folder / name[:2] / f"{name}.json"

    def has(self, key: str) -> bool:
        """Whether an entry for `key` is kept (one stat; it is not read)."""
        try:
            return stat.S_ISREG(os.lstat(self.path(key)).st_mode)
        except (OSError, ValueError):
            return False

    def get(self, key: str) -> FullText | None:
        """The text kept for `key`, or None when there is none or it is damaged (then it
        is removed). Never raises."""
        try:
            found = self._load(self.path(key)) if isinstance(key, str) else None
        except Exception:  # a last guard: a bad entry must never stop a story opening
            return None
        return found[1] if found is not None and found[0] == key else None

    def put(self, text: FullText, key: str | None = None) -> str | None:
        """Keep `text` under `key` (the story's link; `text.url` when None). None when it
        was kept, else one line saying why not ("not kept: the disk is full"). Never raises."""
        try:
            return self._put(text, key)
        except Exception as err:  # a last guard: keeping must never stop reading
            return f"not kept: {type(err).__name__}"

    def _put(self, text: FullText, key: str | None) -> str | None:
        if not isinstance(text, FullText):
            return "not kept: not a full text"
        key = text.url if key is None else key
        if not isinstance(key, str) or not key or len(key) > MAX_KEY:
            return "not kept: the link is missing or too long"
        problem = _problem(text)
        if problem:
            return f"not kept: {problem}"
        path = self.path(key)
        try:
            entry = _entry(key, text)
            payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
        except ValueError:  # a lone surrogate in the link or the URL
            return "not kept: the link is not valid text"
        try:
            new = not self.has(key)
            self._write(path, payload)
        except OSError as err:
            return f"not kept: {_why(err, path)}"
        if new:
            self._note(key)
        return None

    def keys_kept(self) -> set[str]:
        """The keys (story links) of the entries kept. Never raises."""
        try:
            return set(self._keys().values())
        except Exception:
            return set()

    def searchable(self) -> dict[str, str]:
        """Each key kept, with its text's title and blocks folded (`text.fold`) for a
        `text:` search. Reads every entry. Never raises.

        The entries' shape is checked, but not that their text is clean: it is matched,
        never shown (which saves half the time). A damaged entry is left out and removed."""
        found: dict[str, str] = {}
        try:
            names = self._names()
        except OSError:
            return found
        for path in names.values():
            with contextlib.suppress(Exception):
                entry = self._load(path, check=False)
                if entry is not None:
                    key, text = entry
                    found[key] = folded(text)
        return found

    # Reading

    def _load(self, path: Path | str, check: bool = True) -> tuple[str, FullText] | None:
        """The key and text of the entry at `path`; None when there is none, or it is
        damaged (then it is removed). Without `check`, its strings are not checked."""
        try:
            if not stat.S_ISDIR(os.lstat(os.path.dirname(path)).st_mode):
                return None  # a link in place of the entry's folder: not followed
            raw = _read(path)
        except FileNotFoundError:
            return None
        except OSError:  # a link, a FIFO, a folder, too large, unreadable
            _remove(path)
            return None
        try:
            key, text = _decoded(raw, check)
        except (ValueError, TypeError, KeyError, RecursionError):
            _remove(path)
            return None
        if os.path.basename(path) != f"{digest(key)}.json":
            _remove(path)  # an entry of another key, copied here
            return None
        return key, text

    def _names(self) -> dict[str, str]:
        """Every entry's digest and path; stale temporary files are removed on the way."""
        names: dict[str, str] = {}
        limit = time.time() - STALE_TEMP_SECONDS
        with os.scandir(self.folder) as folders:
            for folder in folders:
                if not (_FOLDER.fullmatch(folder.name) and folder.is_dir(follow_symlinks=False)):
                    _tidy(folder, limit)  # the index's temporary file
                    continue
                with os.scandir(folder.path) as entries:
                    for entry in entries:
                        if not _ENTRY.fullmatch(entry.name):
                            _tidy(entry, limit)
                        elif entry.is_file(follow_symlinks=False):
                            names[entry.name[:64]] = entry.path
        return names

    def _keys(self) -> dict[str, str]:
        """Digest -> key of the entries kept: from the index, and from the entries the
        index misses (which are then added to it)."""
        try:
            names = self._names()
        except FileNotFoundError:
            return {}
        listed = self._index()
        keys = {}
        for key in set(listed):
            name = digest(key)
            if name in names:
                keys[name] = key
        missed = False
        for name in names.keys() - keys.keys():
            entry = self._load(names[name], check=False)
            if entry is not None:
                keys[name] = entry[0]
                missed = True
        if missed or len(listed) > 2 * len(keys) + 100:
            self._rewrite_index(sorted(keys.values()))
        return keys

    def _index(self) -> list[str]:
        try:
            raw = _read(self.folder / INDEX)
        except OSError:
            return []
        keys = []
        for line in raw.decode("utf-8", "replace").splitlines():
            with contextlib.suppress(ValueError):
                key = json.loads(line)
                if isinstance(key, str) and key:
                    keys.append(key)
        return keys

    # Writing

    def _write(self, path: Path, payload: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if path.parent != self.folder:
            _make_folder(path.parent)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
            os.replace(temp, path)  # replaces a link at `path`, never what it points to
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def _note(self, key: str) -> None:
        """Add `key` to the index (one append: concurrent writers do not mix lines)."""
        line = (json.dumps(key) + "\n").encode()
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        with contextlib.suppress(OSError):
            fd = os.open(self.folder / INDEX, flags, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

    def _rewrite_index(self, keys: list[str]) -> None:
        payload = "".join(json.dumps(key) + "\n" for key in keys)
        with contextlib.suppress(OSError):
            self._write(self.folder / INDEX, payload.encode())


def _tidy(entry: os.DirEntry[str], limit: float) -> None:
    """Remove `entry` if it is a temporary file of ours last written before `limit`
    (left by a writer that was killed); a live writer renames its file within a second."""
    if _TEMP.fullmatch(entry.name):
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)


def _make_folder(folder: Path) -> None:
    """Make an entry's folder; a symbolic link in its place is replaced, not followed."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        info = os.lstat(folder)
        if stat.S_ISLNK(info.st_mode):
            os.unlink(folder)
            os.mkdir(folder)
        elif not stat.S_ISDIR(info.st_mode):
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder)) from None


def _read(path: Path | str) -> bytes:
    """The bytes of the regular file `path`, never following a link or blocking."""
    fd = os.open(path, _OPEN_FLAGS | _NOFOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            raise OSError(errno.EINVAL, "not a regular file of a sensible size")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_ENTRY_BYTES:
                raise OSError(errno.EFBIG, "grew too large")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _remove(path: Path | str) -> None:
    with contextlib.suppress(OSError):
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            os.unlink(path)


def _entry(key: str, text: FullText) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "key": key,
        "url": text.url,
        "title": text.title,
        "blocks": [[b.kind, b.text, b.level] for b in text.blocks],
        "links": list(text.links),
        "lead_image": text.lead_image,
        "fetched_at": text.fetched_at,
    }


def folded(text: FullText) -> str:
    """The whole of `text`, its title first, folded for search: `text.fold` of it.

    Typographic quotes and dashes are made ASCII first, as `fold` would, so that most
    articles are ASCII and fold in one `casefold` (~0.02 ms, not ~0.25 ms)."""
    whole = "\n".join([text.title, *(b.text for b in text.blocks)])
    if not whole.isascii():
        for typographic, ascii_form in _punctuation():
            if typographic in whole:  # str.replace: ~20x faster than str.translate here
                whole = whole.replace(typographic, ascii_form)
    return fold(whole)


@functools.cache
def _punctuation() -> tuple[tuple[str, str], ...]:
    """The `ASCII_FORMS` that `fold` maps alike wherever they are (not "″", which it
    first decomposes into two primes). Built on first use: `fold` of non-ASCII builds
    its table (~40 ms)."""
    return tuple((c, a) for c, a in ASCII_FORMS.items() if not c.isalpha() and fold(c) == a)


def _decoded(raw: bytes, check: bool = True) -> tuple[str, FullText]:
    """The key and text of an entry's bytes; ValueError (or TypeError...) when damaged.
    Without `check`, the types are checked but not that the strings are clean."""
    data = json.loads(raw)
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise ValueError("another version")
    key, url, title, image = data["key"], data["url"], data["title"], data["lead_image"]
    if not all(isinstance(v, str) for v in (key, url, title, image)) or not key:
        raise ValueError("not text")
    fetched = data["fetched_at"]
    if isinstance(fetched, bool) or not isinstance(fetched, (int, float)):
        raise ValueError("not a time")
    blocks, links = data["blocks"], data["links"]
    if not isinstance(blocks, list) or not isinstance(links, list):
        raise ValueError("not lists")
    text = FullText(
        url=url,
        title=title,
        blocks=tuple(Block(*_block(b)) for b in blocks),
        links=tuple(links),
        lead_image=image,
        fetched_at=float(fetched),
    )
    problem = _problem(text) if check else ""
    if problem:
        raise ValueError(problem)
    return key, text


def _block(raw: object) -> tuple[str, str, int]:
    if not isinstance(raw, list) or len(raw) != 3:
        raise ValueError("not a block")
    kind, text, level = raw
    if not isinstance(kind, str) or not isinstance(text, str) or type(level) is not int:
        raise ValueError("not a block")
    return kind, text, level


def _problem(text: FullText) -> str:
    """Why `text` may not be kept (or was damaged on disk), or "": every string as
    `extract` makes it (clean), every link safe."""
    if not isinstance(text, FullText) or not isinstance(text.url, str):
        return "not a full text"
    if not isinstance(text.title, str) or clean_line(text.title, MAX_TITLE) != text.title:
        return "the title is not clean text"
    for block in text.blocks:
        if not isinstance(block, Block) or block.kind not in KINDS:
            return "a block of an unknown kind"
        if not isinstance(block.text, str) or clean_text(block.text, block.kind) != block.text:
            return "a block is not clean text"
        level = block.level
        if type(level) is not int or not (
            1 <= level <= 6 if block.kind == "heading" else level == 0
        ):
            return "a heading level is out of range"
    if any(unsafe_reason(link) for link in text.links):
        return "a link is not safe"
    if text.lead_image and unsafe_reason(text.lead_image):
        return "the lead image's link is not safe"
    return ""


def _why(err: OSError, path: Path) -> str:
    """One line saying why an entry could not be written."""
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full"
    if err.errno == errno.EROFS:
        return "the cache folder is read-only"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "the cache folder is not writable (permission denied)"
    if err.errno == errno.EISDIR:
        return f"a folder is in the way ({show_path(str(path))})"
    if err.errno in (errno.ENOTDIR, errno.EEXIST):
        return "a file is in the way of the cache folder"
    return " ".join(str(err.strerror or err).split()) or type(err).__name__
