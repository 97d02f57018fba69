"""Deciding whether a link from a file is safe to hand to a web browser.

The raw string is judged, never a parsed and normalised form: `urlsplit`
turns `" javascript:x"` into a scheme and reads `https://evil\\@good` as host
`good` while browsers go to `evil`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

MAX_URL = 2048
#: ASCII a link never holds raw: controls, space, and what RFC 3986 leaves out.
_BAD_ASCII = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')
_ASCII_HOST = re.compile(r"[A-Za-z0-9._-]+")
_INVISIBLE_REASONS = {
    "control": "the link contains spaces or control characters",
    "direction": "the link contains invisible direction controls",
    "invisible": "the link contains invisible or space characters",
}


def unsafe_reason(raw: object) -> str | None:
    """Why `raw` must not be opened, or None when it is a safe http(s) link."""
    if not isinstance(raw, str) or not raw:
        return "there is no link"
    if len(raw) > MAX_URL:
        return "the link is too long"
    if raw.startswith("-"):
        return "the link starts with '-'"
    lowered = raw[:8].lower()
    if not (lowered.startswith("http://") or lowered.startswith("https://")):
        return "only http and https links are opened"
    if _BAD_ASCII.search(raw):
        return "the link contains spaces or control characters"
    if not raw.isascii():
        invisible = _invisible().search(raw)
        if invisible is not None:
            return _INVISIBLE_REASONS[invisible.lastgroup]
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "the link is malformed"
    if "@" in parts.netloc:
        return "the link hides its host behind a user name"
    host = parts.hostname
    if not host:
        return "the link has no host"
    if parts.netloc.startswith("["):
        return None
    if not (_ASCII_HOST.fullmatch(host) if host.isascii() else all(map(_host_char, host))):
        # e.g. "good.example\u2215evil.example": a division slash that looks like a path.
        return "the link's host has characters that can disguise it"
    return None


@cache
def _invisible() -> Any:
    """A `regex` pattern for the first character that hides or reorders text.

    Default_Ignorable code points (U+034F, the Hangul fillers, variation
    selectors...) are drawn as nothing, whatever their category. `regex` is
    imported on the first non-ASCII link: ~20 ms that most runs never pay.
    """
    import regex  # type: ignore[import-untyped]

    return regex.compile(
        r"(?P<control>[\x80-\x9f])"
        r"|(?P<direction>[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069])"
        r"|(?P<invisible>[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}\p{Default_Ignorable_Code_Point}])"
    )


def _host_char(ch: str) -> bool:
    """Letters and digits of any script (IDN hosts), '-', '.' and '_'."""
    if ch.isascii():
        return ch.isalnum() or ch in "-._"
    return unicodedata.category(ch)[0] in "LMN"


def is_safe_url(raw: object) -> bool:
    """True when `raw` is an http(s) link with a host that may be opened."""
    return unsafe_reason(raw) is None


#: Percent-encodings of what a shell gives a meaning to. A `BROWSER` such as
#: `sh -c 'firefox "%s"'` puts the link inside a shell script, where `$(...)`, a
#: quote or `;` would run code. Controls, space, `"`, backquote, `\` and `{}|^<>`
#: are refused by `unsafe_reason` anyway; encoding them too keeps this function safe
#: on its own. A link is one word starting with "http", so `~`, `=` and `#` (special
#: only at a word's start) and glob characters such as `?` (which run nothing) stay.
_SHELL_ESCAPES = {
    code: f"%{code:02X}" for code in [*range(0x21), 0x7F, *map(ord, "\"$'();<>\\^`{|}")]
}
#: `&` as well: it ends a shell command, but it is in most query strings and `%26`
#: changes what a link means, so it is encoded only on the way through a shell.
_SHELL_ESCAPES_AND_AMPERSAND = {**_SHELL_ESCAPES, ord("&"): "%26"}


def encode_for_launch(url: str, *, through_shell: bool) -> str:
    """`url` with the characters a shell treats specially percent-encoded, to hand
    to a browser command: `&` too when `through_shell` (the command is a shell)."""
    return url.translate(_SHELL_ESCAPES_AND_AMPERSAND if through_shell else _SHELL_ESCAPES)


def first_safe_link(links: Iterable[str]) -> str:
    """The first safe one of `links`, else the first given (to be refused with its
    reason), else "": an unsafe `webUrl` must not hide a good `originalUrl`."""
    candidates = [u for u in links if u]
    return next((u for u in candidates if is_safe_url(u)), candidates[0] if candidates else "")
