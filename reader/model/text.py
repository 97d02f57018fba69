"""Cleaning text that comes from files before anything shows it, and folding it for matching.

Third-party files may carry terminal escapes, C1 controls, bidi overrides, lone
surrogates and NUL bytes. They are removed once, when a story is read in, so no
widget can ever pass them to the terminal.

`fold` is the one form text is compared in, wherever the user types to find
something: the `/` search, the command palette, topic names on the command line.
"""

from __future__ import annotations

import functools
import re
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
#: Anything `clean_line` would change: a character of `_TABLE`, a lone surrogate,
#: white space other than single spaces between words.
_NEEDS_CLEANING = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in _TABLE) + "\ud800-\udfff]|[^\\S ]|  |^ | $"
)


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
    if len(value) <= limit and not _NEEDS_CLEANING.search(value):
        # Already clean, as most text is (the index cleans it once): the command
        # line cleans 200,000 fields again at 100,000 stories, in 0.15 s this way.
        return value
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


#: Letters and punctuation that survive removing accents but that people type
#: in plain ASCII: "odegaard" finds "Ødegaard" and "don't" finds "don’t".
#: Mapping them also keeps most folded text pure ASCII, which CPython searches
#: ~1.5x faster.
ASCII_FORMS = {
    **dict.fromkeys("‘’‚‛′", "'"),
    **dict.fromkeys("“”„‟«»″", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **{"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "ı": "i"},
    **{"þ": "th", "ħ": "h", "ŧ": "t"},
}


@functools.cache
def _fold_table() -> dict[int, str | None]:
    # Built on first use (~40 ms): every combining mark (an accent once
    # decomposed) is dropped, and ASCII_FORMS applied.
    table: dict[int, str | None] = {
        code: None for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))
    }
    table.update({ord(k): v for k, v in ASCII_FORMS.items()})
    return table


def fold(text: str) -> str:
    """The form text is matched in: case, accents and `ASCII_FORMS` ignored.

    "Ødegaard", "ødegaard" and "odegaard" fold alike, as do "López" and
    "LOPEZ", "Straße" and "STRASSE", "don’t" and "don't". ASCII text is only
    case-folded (the common case, and the fast one).
    """
    folded = text.casefold()
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFKD", folded).translate(_fold_table())


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
