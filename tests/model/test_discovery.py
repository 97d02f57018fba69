from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.model.discovery import discover

from .helpers import write_story


def _names(root: Path) -> tuple[list[str], list[tuple[str, str]]]:
    entries, problems = discover(str(root))
    return (
        [os.path.relpath(e.path, root) for e in entries],
        [(os.path.relpath(p.path, root), p.reason) for p in problems],
    )


def test_recursive_and_suffixes(tmp_path: Path) -> None:
    write_story(tmp_path, "a.md", title="a")
    write_story(tmp_path, "deep/er/b.markdown", title="b")
    write_story(tmp_path, "C.MD", title="c")
    (tmp_path / "story.txt").write_text("---\ntitle: t\n---\n")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf---\ntitle: t\n---\n")
    (tmp_path / "notes.txt").write_text("plain notes\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    entries, problems = _names(tmp_path)
    assert entries == ["C.MD", "a.md", "bom.txt", "deep/er/b.markdown", "story.txt"]
    assert problems == []


def test_stat_values_are_recorded(tmp_path: Path) -> None:
    path = write_story(tmp_path, "a.md", title="a")
    [entry], _ = discover(str(tmp_path))
    info = path.stat()
    assert (entry.size, entry.mtime_ns) == (info.st_size, info.st_mtime_ns)


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    write_story(tmp_path, ".draft.md", title="x")
    write_story(tmp_path, ".git/x.md", title="x")
    write_story(tmp_path, "sub/.cache/y.md", title="y")
    write_story(tmp_path, "sub/z.md", title="z")
    assert _names(tmp_path) == (["sub/z.md"], [])


def test_symlinked_folders_are_reported_not_followed(tmp_path: Path) -> None:
    write_story(tmp_path, "real/a.md", title="a")
    os.symlink(tmp_path / "real", tmp_path / "link")
    os.symlink(".", tmp_path / "real" / "loop")
    entries, problems = _names(tmp_path)
    assert entries == ["real/a.md"]
    assert problems == [
        ("link", "a symbolic link to a folder (not followed)"),
        ("real/loop", "a symbolic link to a folder (not followed)"),
    ]


def test_symlinks_to_files_are_followed_and_bad_ones_reported(tmp_path: Path) -> None:
    target = write_story(tmp_path, ".store/a.md", title="a")
    os.symlink(target, tmp_path / "good.md")
    os.symlink("missing.md", tmp_path / "broken.md")
    os.symlink("missing", tmp_path / "broken-other")  # not a story name: ignored
    os.symlink("loop2.md", tmp_path / "loop1.md")
    os.symlink("loop1.md", tmp_path / "loop2.md")
    entries, problems = _names(tmp_path)
    assert entries == ["good.md"]
    assert [p[0] for p in problems] == ["broken.md", "loop1.md", "loop2.md"]
    assert problems[0][1] == "a broken symbolic link"
    assert problems[1][1].startswith("a bad symbolic link: ")


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "zero.md")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    (tmp_path / "dir.md").mkdir()
    write_story(tmp_path, "dir.md/in.md", title="in")
    entries, problems = _names(tmp_path)
    assert entries == ["dir.md/in.md"]
    assert problems == [
        ("pipe.md", "not a regular file (a device, FIFO or socket)"),
        ("zero.md", "not a regular file (a device, FIFO or socket)"),
    ]


def test_a_file_as_root(tmp_path: Path) -> None:
    path = write_story(tmp_path, "one.md", title="one")
    entries, problems = discover(str(path))
    assert [e.path for e in entries] == [str(path)] and problems == []


def test_root_errors_raise(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        discover(str(tmp_path / "missing"))
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotADirectoryError):
        discover(str(tmp_path / "fifo"))
