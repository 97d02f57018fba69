"""The persistent index cache: parsed records keyed by path, size and mtime.

One file per content folder in the user's cache folder. The payload is a
marshal dump behind a header with a format version and a BLAKE2 digest, so a
truncated, corrupt or foreign file is detected before anything is unmarshalled
and is simply rebuilt. Writes go to a temporary file renamed into place, so a
reader never sees a half-written cache and concurrent writers cannot mix.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from .records import Record

#: Bump when records or parsing change, so old caches are rebuilt.
FORMAT_VERSION = 1
_MAGIC = b"READER-INDEX\x00"
_DIGEST = 32

#: Cache entry: (size, mtime_ns, record).
Entry = tuple[int, int, Record]


def cache_dir() -> Path:
    """Where caches live: $READER_CACHE_DIR, else the platform's user cache folder."""
    override = os.environ.get("READER_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reader", appauthor=False))


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

    def load(self) -> dict[str, Entry]:
        """The cached entries, or {} when the cache is missing or not trustworthy."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as err:
            self.rebuilt_because = f"unreadable ({err.strerror or err})"
            return {}
        header = len(_MAGIC) + 1
        if not data.startswith(_MAGIC) or len(data) < header + _DIGEST:
            self.rebuilt_because = "not a reader cache, or truncated"
            return {}
        if data[len(_MAGIC)] != FORMAT_VERSION:
            self.rebuilt_because = "written by another version"
            return {}
        digest, payload = data[header : header + _DIGEST], data[header + _DIGEST :]
        if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != digest:
            self.rebuilt_because = "corrupt or truncated"
            return {}
        try:
            root, entries = marshal.loads(payload)
        except Exception:
            self.rebuilt_because = "unreadable contents"
            return {}
        if root != self.root or not isinstance(entries, dict):
            self.rebuilt_because = "belongs to another folder"
            return {}
        return _valid(entries)

    def save(self, entries: dict[str, Entry]) -> bool:
        """Write the cache atomically; False when the cache folder is not writable."""
        payload = marshal.dumps((self.root, entries))
        digest = hashlib.blake2b(payload, digest_size=_DIGEST).digest()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".index-", suffix=".tmp")
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + bytes([FORMAT_VERSION]) + digest + payload)
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return False
        return True


def _valid(entries: dict[Any, Any]) -> dict[str, Entry]:
    """Keep only entries of the right shape; a bad one is simply parsed again."""
    good: dict[str, Entry] = {}
    for path, entry in entries.items():
        if (
            isinstance(path, str)
            and isinstance(entry, tuple)
            and len(entry) == 3
            and isinstance(entry[0], int)
            and isinstance(entry[1], int)
            and isinstance(entry[2], tuple)
        ):
            good[path] = entry
    return good
