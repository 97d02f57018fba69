"""Conditions a table of files cannot hold: files vanishing or changing mid-scan,
folders that cannot be read (simulated, since root reads everything)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader import cli
from reader.model import discovery, loader, parsing
from reader.model.article import Article, Problem
from reader.model.discovery import FileEntry, discover
from reader.model.parse import MAX_FILE_BYTES, ParseError, read_bytes

STORY = "---\ntitle: {0}\nwebUrl: https://news.example/{0}\n---\n"


def _write(folder: Path, name: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(STORY.format(name))
    return path


def test_a_file_vanishing_between_discovery_and_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "stays")
    gone = _write(tmp_path, "goes")
    real = loader.discover

    def discover_then_delete(root: str) -> tuple[list[FileEntry], list[Problem]]:
        found = real(root)
        gone.unlink()
        return found

    monkeypatch.setattr(loader, "discover", discover_then_delete)
    result = loader.load_folder(str(tmp_path), use_cache=False, workers=1)
    assert [a.title for a in result.articles] == ["stays"]
    assert [(p.path, p.reason) for p in result.problems] == [
        (str(gone), "the file vanished while it was being read")
    ]


def test_a_file_replaced_by_a_fifo_after_discovery(tmp_path: Path) -> None:
    path = _write(tmp_path, "swapped")
    entries, _ = discover(str(tmp_path))
    path.unlink()
    os.mkfifo(path)  # no writer: a blocking open would hang forever
    problem = parsing.parse_file(entries[0].path)
    assert isinstance(problem, Problem)
    assert problem.reason == "not a regular file (a device, FIFO or socket)"


def test_a_file_growing_past_the_limit_after_discovery(tmp_path: Path) -> None:
    path = _write(tmp_path, "grows")
    with open(path, "ab") as out:
        out.truncate(MAX_FILE_BYTES * 2)
    with pytest.raises(ParseError, match="too large"):
        read_bytes(str(path))


def test_a_file_vanishing_between_listing_and_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "one")
    real_scandir = os.scandir

    class Vanishing:
        def __init__(self, entry: os.DirEntry[str]) -> None:
            self._entry = entry
            self.name, self.path = entry.name, entry.path

        def is_symlink(self) -> bool:
            return False

        def is_dir(self, follow_symlinks: bool = True) -> bool:
            return False

        def is_file(self, follow_symlinks: bool = True) -> bool:
            return True  # the listing says a file; by the time of the stat it is gone

        def stat(self, follow_symlinks: bool = True) -> os.stat_result:
            raise FileNotFoundError(2, "No such file or directory")

    class Listing:
        def __init__(self, folder: str) -> None:
            self._it = real_scandir(folder)

        def __enter__(self) -> list[Vanishing]:
            return [Vanishing(e) for e in self._it]

        def __exit__(self, *exc: object) -> None:
            self._it.close()

    monkeypatch.setattr(discovery.os, "scandir", Listing)
    entries, problems = discover(str(tmp_path))
    assert entries == []
    assert [p.reason for p in problems] == ["cannot read: No such file or directory"]


def test_an_unreadable_folder_is_reported_and_the_rest_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores mode 000, so the refusal is simulated where discovery lists folders.
    _write(tmp_path, "readable")
    locked = tmp_path / "locked"
    locked.mkdir()
    _write(locked, "behind")
    real_scandir = os.scandir

    def scandir(folder: str) -> object:
        if os.path.basename(folder) == "locked":
            raise PermissionError(13, "Permission denied", folder)
        return real_scandir(folder)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    result = loader.load_folder(str(tmp_path), use_cache=False, workers=1)
    assert [a.title for a in result.articles] == ["readable"]
    assert [(p.path, p.reason, p.kind) for p in result.problems] == [
        (str(locked), "cannot read folder: Permission denied", "skipped")
    ]


@pytest.mark.skipif(os.geteuid() != 0, reason="checks the honest skip of the root-only case")
def test_root_really_reads_mode_000_folders(tmp_path: Path) -> None:
    # Why the corpus leaves out its unreadable cases when run as root.
    locked = tmp_path / "locked"
    locked.mkdir()
    _write(locked, "x")
    locked.chmod(0)
    try:
        entries, problems = discover(str(tmp_path))
    finally:
        locked.chmod(0o755)
    assert len(entries) == 1 and problems == []


def test_an_unreadable_root_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli.os, "access", lambda path, mode: False)
    assert cli.main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"reader: cannot read: {tmp_path}\n"


def test_a_file_read_as_root_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "alone")
    result = loader.load_folder(str(path), use_cache=False, workers=1)
    assert [a.title for a in result.articles] == ["alone"]
    assert isinstance(result.articles[0], Article)
