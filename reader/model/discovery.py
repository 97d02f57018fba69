"""Finding the story files under a folder.

Recursive; hidden files and folders are skipped; symbolic links to folders are
not followed (so link loops cannot make the walk endless) and are reported;
only regular files are ever read. Files under a folder named `api` (below the
folder read) are a site's JSON templates, which start with front matter too:
they are reported as skipped rather than read.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import NamedTuple

from .article import Problem

ARTICLE_SUFFIXES = (".md", ".markdown")
_PEEK = 8
#: The folder of a Jekyll site's API templates (`api/news/index.json`...).
API_FOLDER = "api"
API_REASON = "not a story: in an api/ folder (a template of the site?)"


class FileEntry(NamedTuple):
    """A candidate story file and the stat values that key the cache.

    A named tuple: 100,000 of them are made on every start, and a tuple is
    several times cheaper to build than a frozen dataclass.
    """

    path: str
    size: int
    mtime_ns: int


def _starts_with_fence(path: str) -> bool:
    """True when a file of another ending begins with `---` (a story too)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        head = os.read(fd, _PEEK)
    except OSError:
        return False
    finally:
        os.close(fd)
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


def _is_article_name(name: str) -> bool:
    return name.lower().endswith(ARTICLE_SUFFIXES)


def discover(root: str) -> tuple[list[FileEntry], list[Problem]]:
    """Return the story files under `root`, sorted by path, and the problems met.

    Raises `FileNotFoundError` or `NotADirectoryError`/`PermissionError` only
    for `root` itself; everything below it becomes a `Problem`.
    """
    info = os.stat(root)
    if stat.S_ISREG(info.st_mode):
        return [FileEntry(root, info.st_size, info.st_mtime_ns)], []
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "not a folder or a regular file", root)
    os.listdir(root)  # raises PermissionError now rather than as a problem

    entries: list[FileEntry] = []
    problems: list[Problem] = []
    templates: list[FileEntry] = []
    # Each folder with whether it is inside an api/ folder.
    stack = [(root, False)]
    while stack:
        folder, in_api = stack.pop()
        found = templates if in_api else entries
        subfolders: list[str] = []
        try:
            with os.scandir(folder) as it:
                children = list(it)
        except OSError as err:
            problems.append(Problem(folder, f"cannot read folder: {err.strerror or err}"))
            continue
        for child in children:
            name = child.name
            if name.startswith("."):
                continue
            try:
                # The common case first: d_type says a regular file with a story name.
                if child.is_file(follow_symlinks=False) and _is_article_name(name):
                    info = child.stat(follow_symlinks=False)
                    found.append(FileEntry(child.path, info.st_size, info.st_mtime_ns))
                    continue
                _visit(child, subfolders, found, problems)
            except OSError as err:
                problems.append(Problem(child.path, f"cannot read: {err.strerror or err}"))
        stack.extend((sub, in_api or os.path.basename(sub) == API_FOLDER) for sub in subfolders)
    problems.extend(Problem(t.path, API_REASON) for t in templates)
    entries.sort()  # by path: each path is listed once
    problems.sort(key=lambda p: p.path)
    return entries, problems


def _visit(
    child: os.DirEntry[str],
    stack: list[str],
    entries: list[FileEntry],
    problems: list[Problem],
) -> None:
    if child.is_symlink():
        try:
            target = os.stat(child.path)
        except FileNotFoundError:
            if _is_article_name(child.name):
                problems.append(Problem(child.path, "a broken symbolic link"))
            return
        except OSError as err:
            problems.append(Problem(child.path, f"a bad symbolic link: {err.strerror or err}"))
            return
        if stat.S_ISDIR(target.st_mode):
            problems.append(Problem(child.path, "a symbolic link to a folder (not followed)"))
            return
        mode = target.st_mode
    elif child.is_dir(follow_symlinks=False):
        stack.append(child.path)
        return
    else:
        target = child.stat(follow_symlinks=False)
        mode = target.st_mode

    if stat.S_ISREG(mode):
        if _is_article_name(child.name) or _starts_with_fence(child.path):
            entries.append(FileEntry(child.path, target.st_size, target.st_mtime_ns))
    elif _is_article_name(child.name):
        problems.append(Problem(child.path, "not a regular file (a device, FIFO or socket)"))
