"""Deciding whether a link from a file is safe to hand to a web browser.

The raw string is judged, never a parsed and normalised form: `urlsplit`
turns `" javascript:x"` into a scheme and reads `https://evil\\@good` as host
`good` while browsers go to `evil`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_URL = 2048
_FORBIDDEN = set('\\"<>`{}|^') | {" "}


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
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "the link is malformed"
    if "@" in parts.netloc:
        return "the link hides its host behind a user name"
    if not parts.hostname:
        return "the link has no host"
    return None


def is_safe_url(raw: object) -> bool:
    """True when `raw` is an http(s) link with a host that may be opened."""
    return unsafe_reason(raw) is None
