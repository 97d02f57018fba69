"""Copying text to the system clipboard with the tool the desktop provides, if any.

The terminal's own clipboard (OSC 52) is asked by the app; a terminal may
ignore it, so a system tool is used too when one is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

#: Seconds a clipboard tool may take before it is given up on.
TIMEOUT = 3.0


def clipboard_tool() -> list[str] | None:
    """The command that puts standard input on the clipboard here, or None."""
    candidates: list[list[str]] = []
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    if os.environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    candidates.append(["clip.exe"])  # WSL
    return next((c for c in candidates if shutil.which(c[0])), None)


def copy_with_tool(text: str) -> str | None:
    """Put `text` on the clipboard with the system tool; its name, or None when there is none.

    Raises OSError when the tool exists but fails. Runs the program directly
    (never a shell), with the text on its standard input.
    """
    command = clipboard_tool()
    if command is None:
        return None
    try:
        done = subprocess.run(
            command,
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OSError(f"{command[0]} did not finish") from None
    if done.returncode != 0:
        raise OSError(f"{command[0]} failed (status {done.returncode})")
    return command[0]
