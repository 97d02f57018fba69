"""Reading one file's front matter into a mapping, whatever the file holds.

Every failure becomes `ParseError` with a one-line reason; nothing else
escapes. Reads are bounded in size and never block (FIFOs, devices).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from . import fastyaml

#: Files larger than this are not read.
MAX_FILE_BYTES = 1024 * 1024
#: Front matter larger than this is not parsed.
MAX_FRONT_MATTER_CHARS = 512 * 1024

#: True when pyyaml's fast C loader is available; the pure loader is ~9x slower.
HAS_LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))
_BaseLoader: type = yaml.CSafeLoader if HAS_LIBYAML else yaml.SafeLoader


class ParseError(Exception):
    """A file that cannot be used; the message is the one-line reason."""


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader whose scalars never fail the whole file.

    A value YAML cannot turn into a date or a number (an impossible date, an
    integer of 5,000 digits) stays a string, so only that field is unusable.
    """


def _lenient(tag: str) -> None:
    construct = yaml.SafeLoader.yaml_constructors[tag]

    def constructor(loader: Any, node: Any) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError, TypeError):
            return loader.construct_scalar(node)

    _Loader.add_constructor(tag, constructor)


for _tag in ("timestamp", "int", "float"):
    _lenient(f"tag:yaml.org,2002:{_tag}")


#: The top-level fields the index needs. Indexing builds only these (and counts
#: the related stories); images, logos and related stories are built in full
#: only when the detail pane reads the file. That makes indexing ~1.5x faster.
INDEX_FIELDS = frozenset(
    {
        "title",
        "excerpt",
        "publishedDateTime",
        "webUrl",
        "originalUrl",
        "ampWebUrl",
        "provider",
        "topics",
        "type",
        "category",
        "categories",
        "heat",
        "quality",
        "published",
        "deleted",
    }
)


def _construct(front: str, fields: frozenset[str] | None) -> Any:
    """YAML to Python with the hardened loader; of a mapping, only `fields` when given.

    The fields of a mapping are built one by one: a field YAML cannot build (an
    unknown tag, an unhashable key inside it) is left out, so only that field
    is unknown and the story is kept, in the index and in the detail pane alike.
    """
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if not isinstance(node, yaml.MappingNode):
            return loader.construct_document(node)
        loader.flatten_mapping(node)  # resolve "<<" merge keys as a full load would
        meta: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = loader.construct_object(key_node)
            if (
                fields is not None
                and key == "related"
                and isinstance(value_node, yaml.SequenceNode)
            ):
                # Only their links (storylines match them); each related story is
                # built in full when the detail pane asks.
                meta[key] = [
                    _links_of(loader, item)
                    for item in value_node.value
                    if isinstance(item, yaml.MappingNode)
                ]
            elif fields is None or key in fields:
                try:
                    meta[key] = loader.construct_object(value_node, deep=True)
                except Exception:  # a bad tag, an unhashable key, nesting too deep...
                    loader.recursive_objects.clear()  # forget the half-built field
        return meta
    finally:
        loader.dispose()


#: The fields of a related story that indexing reads.
_RELATED_LINKS = ("webUrl", "ampWebUrl")


def _links_of(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    """The link fields of a related story's mapping (scalars only; others are left out)."""
    links: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if (
            isinstance(key_node, yaml.ScalarNode)
            and key_node.value in _RELATED_LINKS
            and isinstance(value_node, yaml.ScalarNode)
        ):
            try:  # `null`, a number, a bad tag: whatever the full read would make of it
                links[key_node.value] = loader.construct_object(value_node)
            except Exception:
                continue
    return links


class _Handler(YAMLHandler):  # type: ignore[misc]
    """python-frontmatter's YAML handler, loading with the hardened loader."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return _construct(fm, None)  # a SafeLoader subclass: no Python tags


_HANDLER = _Handler()


def read_bytes(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file of at most `limit` bytes without ever blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ParseError("the file vanished while it was being read") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise ParseError("a symbolic link loop") from None
        raise ParseError(f"cannot open: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ParseError("not a regular file (a device, FIFO or socket)")
        if info.st_size > limit:
            raise ParseError(f"too large ({info.st_size:,} bytes; the limit is {limit:,})")
        chunks = []
        remaining = limit + 1
        # The whole file in one read when it is as large as it said (a 60 MB
        # cache: one allocation, no join); more reads only if it grew meanwhile.
        size = min(remaining, info.st_size + 1)
        while remaining > 0:
            chunk = os.read(fd, min(remaining, max(size, 1 << 16)))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as err:
        raise ParseError(f"cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ParseError(f"too large (over {limit:,} bytes)")
    return data


def decode(data: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else cp1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ParseError("not valid UTF-16 text") from None
    if b"\x00" in data:
        raise ParseError("a binary file (it contains NUL bytes)")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older exports are often Windows-1252 / Latin-1; keep the story readable.
        return data.decode("cp1252", errors="replace")


def starts_front_matter(text: str) -> bool:
    """True when the text opens with a `---` line."""
    first = text.split("\n", 1)[0].rstrip()
    return len(first) >= 3 and set(first) == {"-"}


def split_front_matter(text: str) -> str:
    """Return the YAML between the opening and closing `---` lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError("the file is empty")
    if not starts_front_matter(text):
        raise ParseError("no front matter (the file does not start with a '---' line)")
    if not YAMLHandler.FM_BOUNDARY.search(text, len(text.split("\n", 1)[0]) + 1):
        raise ParseError("the front matter is not closed by a '---' line")
    front, _content = _HANDLER.split(text)
    if len(front) > MAX_FRONT_MATTER_CHARS:
        raise ParseError(
            f"front matter too large ({len(front):,} characters; "
            f"the limit is {MAX_FRONT_MATTER_CHARS:,})"
        )
    return str(front)


def load_yaml(front: str, fields: frozenset[str] | None = None) -> dict[Any, Any]:
    """Parse front matter, which must be a mapping; only `fields` of it when given
    (then by the fast path, `fastyaml`, whenever that reads it as pyyaml would)."""
    if fields is not None:
        fast = fastyaml.index_fields(front, fields)
        if fast is not None:
            return fast
    try:
        meta = _construct(front, fields)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(err, "problem", None) or type(err).__name__
        raise ParseError(f"invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise ParseError("the front matter is nested too deeply") from None
    except MemoryError:
        raise ParseError("the front matter is too large to load") from None
    except Exception as err:  # pyyaml raises ValueError, TypeError and others too
        raise ParseError(f"unusable YAML ({type(err).__name__})") from None
    if meta is None:
        raise ParseError("the front matter is empty")
    if not isinstance(meta, dict):
        kinds: dict[type, str] = {list: "a list", str: "a single string"}
        kind = kinds.get(type(meta), type(meta).__name__)
        raise ParseError(f"the front matter is {kind}, not a mapping of fields")
    return meta


def read_front_matter(path: str, fields: frozenset[str] | None = None) -> dict[Any, Any]:
    """Read `path` and return its front matter as a mapping, or raise `ParseError`.

    With `fields`, only those top-level fields are built (see `INDEX_FIELDS`).
    """
    return load_yaml(split_front_matter(decode(read_bytes(path))), fields)
