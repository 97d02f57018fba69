"""Handing a story's link to the user's web browser, safely."""

from __future__ import annotations

import webbrowser

from reader.model.links import unsafe_reason


def open_in_browser(url: str) -> None:
    """Open `url` with Python's `webbrowser` (which honours $BROWSER).

    The link must already have passed `unsafe_reason`; this checks again so no
    caller can forget. Runs in a worker thread: a launcher may take a while.
    """
    reason = unsafe_reason(url)
    if reason is not None:
        raise ValueError(reason)
    if not webbrowser.open(url):
        raise OSError("no web browser could be started")
