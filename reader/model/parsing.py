"""Parsing one story file, for the index (a slim `Article`) or the detail pane (a `Story`).

No exception escapes for a bad file: each becomes a `Problem`. Both the
loader and the worker processes of `pool` call in here.
"""

from __future__ import annotations

from collections.abc import Sequence

from .article import Article, Problem, Story
from .gcpause import gc_paused
from .normalize import hidden_reason, not_a_story, to_article, to_story
from .parse import (
    INDEX_FIELDS,
    ParseError,
    decode,
    load_yaml,
    read_front_matter,
    split_front_matter,
)
from .records import Record, to_record


def parse_file(path: str, data: bytes | None = None) -> Article | Problem:
    """Parse one file into its `Article`, or the `Problem` that stops it.

    `data`: the file's bytes when they come from elsewhere (a git history), else
    the file is read.
    """
    try:
        if data is None:
            meta = read_front_matter(path, INDEX_FIELDS)
        else:
            meta = load_yaml(split_front_matter(decode(data)), INDEX_FIELDS)
        hidden = hidden_reason(meta)
        if hidden:
            return Problem(path, hidden, "hidden")
        article = to_article(meta, path)
    except ParseError as err:
        return Problem(path, str(err))
    except RecursionError:
        return Problem(path, "the front matter is nested too deeply")
    except Exception as err:  # a last guard: a bad file must never stop a load
        return Problem(path, f"unusable ({type(err).__name__})")
    reason = not_a_story(meta, article)
    return article if reason is None else Problem(path, reason)


def load_story(path: str) -> Story | Problem:
    """Read one file in full (images, related stories) for the detail pane."""
    try:
        return to_story(read_front_matter(path), path)
    except ParseError as err:
        return Problem(path, str(err))
    except Exception as err:
        return Problem(path, f"unusable ({type(err).__name__})")


def parse_records(paths: Sequence[str]) -> list[Record]:
    """Parse several files; the unit of work of a worker process."""
    with gc_paused():
        return [to_record(parse_file(p)) for p in paths]
