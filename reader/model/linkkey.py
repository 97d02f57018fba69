"""A short, stable key of a link, for matching one story's link against another's.

Files name the same page in slightly different ways (`http` or `https`,
`www.` or not, a trailing slash, a `#fragment`), so links are compared in a
normal form. Stories keep only the keys of their related links (16 hex digits
each, not the whole link): that is all grouping needs, and a tenth of the memory.
"""

from __future__ import annotations

import hashlib

#: Hex digits of a key: 64 bits, so 100,000 stories with 500,000 related links
#: give a chance below one in 300,000 of a single false match.
KEY_DIGITS = 16


def normal_link(url: str) -> str:
    """`url` without what does not tell two pages apart: scheme, `www.`, case of
    the host, the fragment and a trailing slash."""
    url = url.strip()
    _, sep, rest = url.partition("://")
    if not sep:
        return url.partition("#")[0].rstrip("/")
    host, slash, path = rest.partition("/")
    host = host.lower().removeprefix("www.")
    path = path.partition("#")[0].rstrip("/")
    return f"{host}{slash}{path}" if path else host


def link_key(url: str) -> str:
    """The key of `url` ("" for no link): equal for links `normal_link` makes equal."""
    if not url:
        return ""
    digest = hashlib.blake2b(normal_link(url).encode("utf-8", "surrogatepass"), digest_size=8)
    return digest.hexdigest()
