"""Turning a parsed front-matter mapping into typed, immutable records.

Any field may be missing, null or of the wrong type; such a field becomes
unknown and the rest of the story is kept. Values are read only along known
paths with type checks, never stringified or walked recursively, so a YAML
alias bomb or a self-referencing structure costs nothing here.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from typing import Any

from .article import Article, Image, Related, Story
from .linkkey import link_key
from .text import MAX_TITLE, clean_block, clean_line, intern

#: Integers outside this range are treated as unknown.
MAX_SCORE = 10**12
#: At most this many entries of a list field are read.
MAX_ITEMS = 100
MAX_URL = 2048


def to_int(value: object) -> int | None:
    """An integer score from an int, a finite float or a numeric string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value):
        number = round(value)
    elif isinstance(value, str) and 0 < len(value) <= 20:
        try:
            number = int(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if -MAX_SCORE <= number <= MAX_SCORE else None


def to_timestamp(value: object) -> float | None:
    """Seconds since the epoch from a YAML datetime, date or ISO 8601 string."""
    if isinstance(value, str) and 0 < len(value) <= 64:
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            try:
                value = date.fromisoformat(text)
            except ValueError:
                return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    else:
        return None
    try:
        ts = moment.timestamp()
        # Near year 1 or 9999 the UTC time can fall outside what datetime can hold,
        # and showing it as a date would raise later; such a time is unknown.
        datetime.fromtimestamp(ts, tz=timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None
    return ts


def to_url(value: object) -> str:
    """A raw link string, kept as written (safety is judged when opening).

    A link with control or direction characters is unusable (""): cleaning it
    would make a different link from the one judged, and keeping it would put
    raw escapes into a text field.
    """
    if isinstance(value, str) and len(value) <= MAX_URL:
        url = value.strip()
        return url if clean_line(url, MAX_URL) == url else ""
    return ""


def is_false(value: object) -> bool:
    """True for YAML false and for the strings "false" / "no"."""
    if isinstance(value, str):
        return value.strip().lower() in ("false", "no")
    return value is False


def is_true(value: object) -> bool:
    """True for YAML true and for the strings "true" / "yes"."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes")
    return value is True


def _items(value: object) -> list[Any]:
    return value[:MAX_ITEMS] if isinstance(value, list) else []


def _provider(value: object) -> tuple[str, str]:
    if not isinstance(value, dict):
        return "", ""
    return _label(value.get("name")), intern(clean_line(value.get("domain")).lower())


def _topics(value: object) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in _items(value):
        name = clean_line(item)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = intern(name)
    return tuple(seen.values())


def _label(value: object) -> str:
    """A short repeated name (a type, a category), cleaned and shared."""
    return intern(clean_line(value))


def _category(meta: dict[Any, Any]) -> str:
    """`category`, else the first of `categories` (a list, or Jekyll's
    space-separated string)."""
    category = _label(meta.get("category"))
    if category:
        return category
    categories = meta.get("categories")
    if isinstance(categories, str):
        categories = categories.split(None, 1)[:1]
    return next(filter(None, map(_label, _items(categories))), "")


def hidden_reason(meta: dict[Any, Any]) -> str | None:
    """Why a story is not shown by default, or None when it is."""
    if is_true(meta.get("deleted")):
        return "withdrawn (deleted: true)"
    if is_false(meta.get("published")):
        return "a draft (published: false)"
    return None


#: The fields of which a story has at least one: its links and its date.
_STORY_FIELDS = ("webUrl", "originalUrl", "ampWebUrl", "publishedDateTime")


def not_a_story(meta: dict[Any, Any], article: Article) -> str | None:
    """Why a file that parsed (`meta`, read into `article`) is not a story to
    list, or None when it is one.

    Site folders hold pages beside the news (collections, people, samples)
    that share the front matter but have neither a link nor a publication
    date. The shape is judged on the fields written, not on their values: a
    story whose only link is unsafe or whose date is impossible is still one.
    """
    if not article.title and not article.link:
        return "no title and no link"
    if all(meta.get(name) in (None, "") for name in _STORY_FIELDS):
        return "not a story: no link and no date (a page of the site?)"
    return None


def to_article(meta: dict[Any, Any], path: str) -> Article:
    """The slim `Article` of a front-matter mapping."""
    provider_name, provider_domain = _provider(meta.get("provider"))
    related = meta.get("related")
    return Article(
        path=path,
        title=clean_line(meta.get("title"), MAX_TITLE),
        excerpt=clean_block(meta.get("excerpt")),
        published_ts=to_timestamp(meta.get("publishedDateTime")),
        web_url=to_url(meta.get("webUrl")),
        original_url=to_url(meta.get("originalUrl")),
        amp_url=to_url(meta.get("ampWebUrl")),
        provider_name=provider_name,
        provider_domain=provider_domain,
        topics=_topics(meta.get("topics")),
        type=_label(meta.get("type")),
        category=_category(meta),
        heat=to_int(meta.get("heat")),
        quality=to_int(meta.get("quality")),
        related_count=sum(isinstance(r, dict) for r in _items(related)),
        related_keys=_related_keys(related),
    )


def _related_keys(related: object) -> str:
    """The link keys of the related stories, space-separated, each once, in file order."""
    keys: dict[str, None] = {}
    for item in _items(related):
        if isinstance(item, dict):
            key = link_key(to_url(item.get("webUrl")) or to_url(item.get("ampWebUrl")))
            if key:
                keys[key] = None
    return " ".join(keys)


def _image(value: object) -> Image | None:
    if not isinstance(value, dict):
        return None
    url = to_url(value.get("url"))
    if not url:
        return None
    width, height = to_int(value.get("width")), to_int(value.get("height"))
    return Image(url=clean_line(url, MAX_URL), width=width, height=height)


def _related(value: object) -> Related | None:
    if not isinstance(value, dict):
        return None
    name, domain = _provider(value.get("provider"))
    title = clean_line(value.get("title"), MAX_TITLE)
    url = to_url(value.get("webUrl")) or to_url(value.get("ampWebUrl"))
    if not title and not url:
        return None
    return Related(
        title=title,
        url=url,
        provider_name=name,
        provider_domain=domain,
        published_ts=to_timestamp(value.get("publishedDateTime")),
        excerpt=clean_block(value.get("excerpt")),
    )


def to_story(meta: dict[Any, Any], path: str) -> Story:
    """The full `Story` of a front-matter mapping, for the detail pane."""
    images = tuple(i for i in map(_image, _items(meta.get("images"))) if i is not None)
    related = tuple(r for r in map(_related, _items(meta.get("related"))) if r is not None)
    return Story(
        article=to_article(meta, path),
        images=images,
        related=related,
        updated_ts=to_timestamp(meta.get("updatedDateTime")),
    )
