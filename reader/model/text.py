"""Cleaning text that comes from files before anything shows it.

Third-party files may carry terminal escapes, C1 controls, bidi overrides, lone
surrogates and NUL bytes. They are removed once, when a story is read in, so no
widget can ever pass them to the terminal.
"""

from __future__ import annotations

import sys
import unicodedata

#: Longest title kept; longer ones are cut with an ellipsis.
MAX_TITLE = 500
#: Longest excerpt kept.
MAX_EXCERPT = 4000
#: Longest short field kept (provider, topic, domain).
MAX_SHORT = 200


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(0x20):
        table[code] = None
    for code in (0x09, 0x0A, 0x0B, 0x0C, 0x0D):
        table[code] = " " if code != 0x0A else "\n"
    table[0x7F] = None
    for code in range(0x80, 0xA0):  # C1 controls, CSI (U+009B) among them
        table[code] = None
    # Bidi embeddings, overrides, isolates and marks can reorder what is shown.
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]:
        table[code] = None
    table[0xFEFF] = None  # byte order mark / zero-width no-break space
    table[0x2028] = "\n"
    table[0x2029] = "\n"
    table[0x85] = "\n"
    return table


_TABLE = _build_table()


def _drop_surrogates(text: str) -> str:
    # YAML escapes like "\ud800" give lone surrogates, which cannot be encoded.
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_line(value: object, limit: int = MAX_SHORT) -> str:
    """Return `value` as one line of safe text, or "" when it is not a string.

    Control characters and bidi controls are removed and runs of white space
    (newlines included) become one space.
    """
    if not isinstance(value, str):
        return ""
    text = _drop_surrogates(value[: limit * 4]).translate(_TABLE)
    return _cut(" ".join(text.split()), limit)


def clean_block(value: object, limit: int = MAX_EXCERPT) -> str:
    """Return `value` as safe paragraphs, or "" when it is not a string.

    Like `clean_line`, but blank lines between paragraphs are kept as one
    blank line, so an excerpt keeps its shape.
    """
    if not isinstance(value, str):
        return ""
    text = _drop_surrogates(value[: limit * 4]).translate(_TABLE)
    paragraphs = (" ".join(part.split()) for part in text.split("\n\n"))
    return _cut("\n\n".join(p for p in paragraphs if p), limit)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text`, for matching and merging."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def intern(text: str) -> str:
    """Share one copy of a string that many stories repeat (topics, providers)."""
    return sys.intern(text)


def show_path(path: str) -> str:
    """A file path made safe to print: undecodable bytes and controls become escapes."""
    raw = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(
        ch
        if ch.isprintable() and ord(ch) not in _TABLE
        else f"\\x{ord(ch):02x}"
        if ord(ch) < 0x100
        else f"\\u{ord(ch):04x}"
        for ch in raw
    )
