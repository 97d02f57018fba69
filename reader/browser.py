"""Handing a story's link to the user's web browser, or to a program of theirs, safely."""

from __future__ import annotations

import os
import shlex
import subprocess
import webbrowser

from reader.model.links import encode_for_launch, unsafe_reason
from reader.model.opening import SHELLS, command, opener_refusal


def launches_through_shell(browser: str | None) -> bool:
    """True when a `$BROWSER` value may put the link inside a shell script.

    Python's `webbrowser` splits each `os.pathsep`-separated entry like a shell
    would and puts the link in place of `%s`, so `sh -c 'firefox "%s"'` makes
    the link part of a script. Any entry naming a shell, or passing `-c` (or a
    short option cluster such as `-ec`), counts; so does one that cannot be split.
    """
    for entry in (browser or "").split(os.pathsep):
        try:
            words = shlex.split(entry)
        except ValueError:
            return True
        for word in words:
            if os.path.basename(word) in SHELLS or _is_command_option(word):
                return True
    return False


def _is_command_option(word: str) -> bool:
    return word.startswith("-") and not word.startswith("--") and "c" in word[1:5]


def open_in_browser(url: str) -> None:
    """Open `url` with Python's `webbrowser` (which honours $BROWSER).

    The link must already have passed `unsafe_reason`; this checks again so no
    caller can forget. What a shell would act on is percent-encoded first
    (`encode_for_launch`). Runs in a worker thread: a launcher may take a while.
    """
    reason = unsafe_reason(url)
    if reason is not None:
        raise ValueError(reason)
    through_shell = launches_through_shell(os.environ.get("BROWSER"))
    if not webbrowser.open(encode_for_launch(url, through_shell=through_shell)):
        raise OSError("no web browser could be started")


def open_with(argv: tuple[str, ...], url: str) -> None:
    """Run the config's program `argv` for `url` (`{url}` replaced), never through a shell.

    Both the link (`unsafe_reason`) and the program (`opener_refusal`) are checked
    again here, so no caller can forget. The program runs on its own, detached
    from reader's terminal: it must not draw over the screen or read its keys.
    Raises `OSError` when the program cannot be started (not installed, say).
    """
    reason = unsafe_reason(url) or opener_refusal(argv)
    if reason is not None:
        raise ValueError(reason)
    subprocess.Popen(
        command(argv, url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
