"""Deciding whether a link from a file is safe to hand to a web browser.

The raw string is judged, never a parsed and normalised form: `urlsplit`
turns `" javascript:x"` into a scheme and reads `https://evil\\@good` as host
`good` while browsers go to `evil`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

MAX_URL = 2048
_FORBIDDEN = set('\\"<>`{}|^') | {" "}
#: Unicode categories of characters that are invisible or look like a space
#: (no-break and zero-width spaces, soft hyphens...): they disguise a link.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}


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
    for ch in raw:
        code = ord(ch)
        if code <= 0x20 or 0x7F <= code <= 0x9F or ch in _FORBIDDEN:
            return "the link contains spaces or control characters"
        if code in (0x200E, 0x200F, 0x061C, 0xFEFF) or 0x202A <= code <= 0x202E:
            return "the link contains invisible direction controls"
        if 0x2066 <= code <= 0x2069:
            return "the link contains invisible direction controls"
        if code > 0x7F and unicodedata.category(ch) in _INVISIBLE:
            return "the link contains invisible or space characters"
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "the link is malformed"
    if "@" in parts.netloc:
        return "the link hides its host behind a user name"
    if not parts.hostname:
        return "the link has no host"
    if not parts.netloc.startswith("[") and not all(map(_host_char, parts.hostname)):
        # e.g. "good.example\u2215evil.example": a division slash that looks like a path.
        return "the link's host has characters that can disguise it"
    return None


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
