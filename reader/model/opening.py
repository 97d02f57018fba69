"""Opening a story's link with a program of the user's (`[open]` in the config).

The program is run with its arguments as a list, never through a shell, and
the link takes the place of `{url}` inside one argument, so no link can add an
argument or a command. What would run the link as code anyway (a shell, or an
interpreter given a script option) is refused when the config is read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from itertools import pairwise

#: What stands for the link in an opener's arguments.
URL = "{url}"
#: Commands that read their argument as a script when given `-c`.
SHELLS = frozenset(
    {"sh", "ash", "bash", "dash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh", "busybox", "pwsh"}
)
#: Programs that run their arguments as a command or as code.
RUNNERS = SHELLS | frozenset(
    {
        "env",
        "xargs",
        "sudo",
        "doas",
        "nohup",
        "setsid",
        "exec",
        "eval",
        "python",
        "python3",
        "perl",
        "ruby",
        "node",
        "php",
        "lua",
        "osascript",
        "cmd",
        "cmd.exe",
        "powershell",
    }
)


def opener_refusal(argv: Sequence[str]) -> str | None:
    """Why `argv` may not open links, or None when it may."""
    if not argv or not argv[0].strip():
        return "the program is missing"
    program = os.path.basename(argv[0]).casefold()
    if program in RUNNERS or program.rstrip("0123456789.") in RUNNERS:
        return f"{argv[0]!r} would run the link as a command"
    if not any(URL in arg for arg in argv[1:]):
        return f"no argument holds {URL}"
    for before, arg in pairwise(argv[1:]):
        if URL in arg and is_command_option(before):
            return f"{before!r} before the link would run it as a command"
    return None


def is_command_option(word: str) -> bool:
    """A short option cluster that may mean "run this" (`-c`, `-ec`, `-e`)."""
    return word.startswith("-") and not word.startswith("--") and any(c in word[1:5] for c in "ce")


def opener_for(openers: Mapping[str, Sequence[str]], story_type: str) -> Sequence[str] | None:
    """The opener the config names for stories of `story_type` ("video"), if any."""
    return openers.get(story_type.strip().casefold()) if story_type else None


def command(argv: Sequence[str], url: str) -> list[str]:
    """The program and arguments to run for `url` (each `{url}` replaced, in place)."""
    return [argv[0], *(arg.replace(URL, url) for arg in argv[1:])]
