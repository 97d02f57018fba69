"""The fast path of indexing: front matter read by `yaml_rs` (Rust), when that is safe.

Indexing spends most of its time in YAML. `yaml_rs` reads a story's front
matter ~7x faster than pyyaml's C loader, but it reads YAML 1.2, and pyyaml
(the hardened loader in `parse`, which decides what a file means) reads YAML
1.1. So `yaml_rs` is used only where the two cannot differ, and anything else
goes to pyyaml: `index_fields` returns None and the caller falls back.

What goes to pyyaml:
- tags, anchors, aliases and merge keys (pyyaml's hardened loader has its own
  rules for them: unknown tags drop the field, alias bombs are bounded);
- a kept field that 1.1 and 1.2 may read apart: a number not written as a
  plain decimal on its own top-level line (010 is octal in 1.1, 1e3 text),
  text 1.1 reads as a number (1:20, 0b101), or the 1.1 booleans
  yes/no/on/off/y/n, which 1.2 reads as words (checked on what `yaml_rs`
  built, so the fields indexing drops cost nothing);
- control characters, which pyyaml refuses;
- several documents, tabs, and anything `yaml_rs` rejects (a duplicate key,
  a huge integer, nesting too deep): pyyaml then says what is wrong.

`tests/model/test_fastyaml.py` checks that both paths give the same fields.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

yaml_rs: Any
try:
    yaml_rs = importlib.import_module("yaml_rs")
except ImportError:  # pragma: no cover - a platform without a wheel: pyyaml alone
    yaml_rs = None
#: Part of the cache's key: another version may read a file otherwise.
VERSION: str | None = getattr(yaml_rs, "__version__", None)

#: What pyyaml's reader refuses outright (controls, C1, surrogates): it says so.
_UNREADABLE = re.compile("[^\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: A tag, an anchor or an alias where a node starts.
_NODE_SIGN = re.compile(r"(?:^|[\s\[{,])[!&*]", re.MULTILINE)
#: A number both read alike: a plain decimal integer or one with a point.
_PLAIN_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)(?:\.[0-9]+)?")
_NUMBER_STARTS = frozenset("+-0123456789")
#: Text 1.1 reads as a number and 1.2 as text: sexagesimal (1:20), binary.
_OLD_NUMBER = re.compile(r"[-+]?(?:[0-9][0-9_]*(?::[0-9]+)+(?:\.[0-9_]*)?|0b[01_]+)")
#: Words YAML 1.1 reads as booleans and YAML 1.2 as text.
_OLD_BOOLEANS = frozenset(
    {"y", "yes", "n", "no", "on", "off"}
    | {"Y", "Yes", "YES", "N", "No", "NO", "On", "ON"}
    | {"Off", "OFF"}
)
#: The fields of a related story that indexing reads (as `parse` does).
_RELATED_LINKS = ("webUrl", "ampWebUrl")

#: False when `yaml_rs` is not installed; tests turn it off to compare the paths.
ENABLED = yaml_rs is not None


def index_fields(front: str, fields: frozenset[str]) -> dict[Any, Any] | None:
    """The `fields` of `front` as `parse.load_yaml` would build them in index mode
    (related stories as their links only, the provider as its name and domain),
    or None when pyyaml must read it."""
    if not ENABLED or _pyyaml_only(front):
        return None
    try:
        document = yaml_rs.loads(front)
    except Exception:  # whatever it is, pyyaml says it properly
        return None
    if not isinstance(document, dict):
        return None
    meta: dict[Any, Any] = {}
    for key, value in document.items():
        if key == "related" and isinstance(value, list):
            value = [_links_of(item) for item in value if isinstance(item, dict)]
        elif key == "provider" and isinstance(value, dict):
            # All indexing reads of it (its logos are the detail pane's, read by pyyaml).
            value = {name: value[name] for name in ("name", "domain") if name in value}
        elif key not in fields:
            continue
        try:
            if not _read_alike(key, value, front):
                return None
        except RecursionError:  # nested deeper than Python recurses: pyyaml's rules
            return None
        meta[key] = value
    return meta


def _pyyaml_only(front: str) -> bool:
    """True for what pyyaml must read (cheap checks first: this runs on every file)."""
    if "<<" in front or "\t" in front or "\n---" in front or "\n..." in front:
        return True
    if ("!" in front or "&" in front or "*" in front) and _NODE_SIGN.search(front):
        return True
    return _UNREADABLE.search(front) is not None


def _read_alike(key: Any, value: Any, front: str, top: bool = True) -> bool:
    """True when YAML 1.1 reads `value` (of `key`) as 1.2 did."""
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, str):
        if value in _OLD_BOOLEANS:
            return False
        # Only text that starts like a number can be one (most text does not).
        return not (value[:1] in _NUMBER_STARTS and _OLD_NUMBER.fullmatch(value))
    if isinstance(value, (int, float)):
        # 010, 0o17, 1e3: only the literal tells; a top-level field's is on its line.
        return top and isinstance(key, str) and _plain_number_at(key, front)
    if isinstance(value, list):
        return all([_read_alike(None, item, front, False) for item in value])
    if isinstance(value, dict):
        return all(
            _read_alike(None, k, front, False) and _read_alike(k, v, front, False)
            for k, v in value.items()
        )
    return True  # a date or a time: both read those alike


def _plain_number_at(key: str, front: str) -> bool:
    """True when the top-level line `key: N` writes N as a plain decimal."""
    if front.startswith(f"{key}:"):
        start = 0
    else:
        found = front.find(f"\n{key}:")
        if found < 0:
            return False  # written some other way (a flow mapping): pyyaml reads it
        start = found + 1
    end = front.find("\n", start)
    line = front[start + len(key) + 1 : end if end >= 0 else None]
    return _PLAIN_NUMBER.fullmatch(line.split("#", 1)[0].strip()) is not None


def _links_of(item: dict[Any, Any]) -> dict[str, Any]:
    """A related story's link fields, scalars only (as `parse._links_of`)."""
    return {
        name: item[name]
        for name in _RELATED_LINKS
        if name in item and not isinstance(item[name], (list, dict))
    }
