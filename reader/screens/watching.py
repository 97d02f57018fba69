"""Watching the folder for changes, and for the folder itself going away and coming back."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence

from textual.message import Message

from .messages import FolderChanged, FolderMissing

#: How often a folder that is gone is looked for.
LOOK_AGAIN_SECONDS = 1.0


def watch_folder(
    roots: Sequence[str], stop: threading.Event, post: Callable[[Message], object]
) -> None:
    """Post `FolderChanged` when files under any of `roots` change, until `stop` is set.

    When a folder itself disappears, post `FolderMissing(True)`, look for it every
    `LOOK_AGAIN_SECONDS`, and post `FolderMissing(False)` once it is back, then
    watch it again. Runs in a worker thread; watchfiles batches bursts of changes.
    """
    from watchfiles import watch

    while not stop.is_set():
        if not all_there(roots):
            post(FolderMissing(True))
            while not all_there(roots):
                if stop.wait(LOOK_AGAIN_SECONDS):
                    return
            post(FolderMissing(False))
        try:
            for _changes in watch(
                *roots,
                stop_event=stop,
                debounce=300,
                rust_timeout=500,
                yield_on_timeout=True,
                ignore_permission_denied=True,
                raise_interrupt=False,
            ):
                if not all_there(roots):
                    break  # looked for above
                if _changes:
                    post(FolderChanged())
        except FileNotFoundError:
            continue  # the folder went away under the watcher
        except Exception as error:
            # e.g. a file name that is not valid UTF-8: the watcher cannot follow it.
            raise RuntimeError(f"Live reload is off ({error}); press r to rescan") from None


def all_there(roots: Sequence[str]) -> bool:
    """True when every folder of `roots` exists."""
    return all(os.path.exists(root) for root in roots)
