"""Backfilling the heat history from a folder's git history, with a real git."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from reader.model.article import Article
from reader.model.githeat import Backfill, backfill
from reader.model.heatlog import HeatLog
from reader.model.parsing import parse_file
from reader.model.rising import Point

from .helpers import write_story

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

T0 = 1_700_000_000
HOUR = 3600


class Repo:
    """A git repository in a temporary folder, committed at chosen times."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.env = {
            **os.environ,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,  # the tester's own config never applies
            "GIT_AUTHOR_NAME": "Site",
            "GIT_AUTHOR_EMAIL": "site@example.com",
            "GIT_COMMITTER_NAME": "Site",
            "GIT_COMMITTER_EMAIL": "site@example.com",
        }
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q")

    def git(self, *args: str, at: int = T0) -> str:
        # Written a day before it is committed: the commit's time is the point's.
        env = {
            **self.env,
            "GIT_AUTHOR_DATE": f"@{at - 24 * HOUR} +0000",
            "GIT_COMMITTER_DATE": f"@{at} +0000",
        }
        done = subprocess.run(
            ["git", "-C", str(self.path), *args], env=env, capture_output=True, check=True
        )
        return done.stdout.decode().strip()

    def story(self, name: str, heat: object, quality: int | None = 5, **meta: Any) -> Path:
        """Write a story file (its link derived from its name unless given)."""
        meta.setdefault("webUrl", f"https://news.example/{Path(name).stem}")
        return write_story(self.path, name, title=name, heat=heat, quality=quality, **meta)

    def commit(self, at: int, message: str = "heat") -> str:
        """Commit everything at time `at`; return the commit's id."""
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, at=at)
        return self.git("rev-parse", "HEAD")


def url(name: str) -> str:
    return f"https://news.example/{name}"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "site")


def three_commits(repo: Repo) -> None:
    repo.story("a.md", 10)
    repo.commit(T0)
    repo.story("a.md", 20)
    repo.story("b.md", 3, quality=None)
    repo.commit(T0 + HOUR)
    repo.story("a.md", 20, quality=7)  # the quality alone changes: a point too
    repo.story("b.md", -5, quality=None)  # a heat `rising.score` refuses: no point
    repo.commit(T0 + 2 * HOUR)


def test_each_commit_gives_the_heat_it_held_at_its_time(repo: Repo) -> None:
    three_commits(repo)
    (repo.path / "notes.txt").write_text("not a story\n")
    repo.commit(T0 + 3 * HOUR)  # touches no story file: not read
    log = HeatLog.in_memory()
    done = backfill(repo.path, log)
    assert log.series(url("a")) == [
        Point(T0, 10, 5),
        Point(T0 + HOUR, 20, 5),
        Point(T0 + 2 * HOUR, 20, 7),
    ]
    assert log.series(url("b")) == [Point(T0 + HOUR, 3, None)]
    assert (done.commits, done.files, done.skipped, done.stories, done.points) == (3, 5, 0, 2, 4)
    assert done.complete and done.stopped == ""
    assert done.message.startswith("Read 3 commits (5 files), 4 new points")


def test_hidden_files_and_api_templates_are_not_read(repo: Repo) -> None:
    repo.story("a.md", 1)
    repo.story(".drafts/b.md", 2)
    repo.story("api/news/c.md", 3)
    repo.story("d.MARKDOWN", 4)  # discovery's endings, in any case
    repo.commit(T0)
    log = HeatLog.in_memory()
    done = backfill(repo.path, log)
    assert done.files == 2
    assert [log.series(url(n)) for n in "abcd"] == [[Point(T0, 1, 5)], [], [], [Point(T0, 4, 5)]]


def test_a_second_run_reads_only_the_new_commits(repo: Repo) -> None:
    three_commits(repo)
    log = HeatLog.in_memory()
    backfill(repo.path, log)
    again = backfill(repo.path, log)
    assert (again.commits, again.points, again.files) == (0, 0, 0)
    assert again.complete and "up to date" in again.message
    repo.story("a.md", 50, quality=7)
    repo.commit(T0 + 5 * HOUR)
    new = backfill(repo.path, log)
    assert (new.commits, new.files, new.points) == (1, 1, 1)
    assert log.series(url("a"))[-1] == Point(T0 + 5 * HOUR, 50, 7)
    assert len(log.series(url("a"))) == 4


def test_a_rewritten_history_is_read_again_from_the_start(repo: Repo) -> None:
    three_commits(repo)
    log = HeatLog.in_memory()
    backfill(repo.path, log)
    repo.story("a.md", 99, quality=7)
    repo.git("commit", "-q", "-a", "--amend", "-m", "rewritten", at=T0 + 4 * HOUR)
    done = backfill(repo.path, log)
    assert done.commits == 3 and "rewritten" in done.message
    # Merged with what was read before: the old third commit's point stays, repeats do not.
    assert log.series(url("a")) == [
        Point(T0, 10, 5),
        Point(T0 + HOUR, 20, 5),
        Point(T0 + 2 * HOUR, 20, 7),
        Point(T0 + 4 * HOUR, 99, 7),
    ]


def test_the_commits_of_merged_branches_are_all_read(repo: Repo) -> None:
    repo.story("a.md", 1)
    repo.story("b.md", 1)
    base = repo.commit(T0)
    repo.story("a.md", 2)
    repo.commit(T0 + 2 * HOUR)
    main = repo.git("rev-parse", "--abbrev-ref", "HEAD")
    repo.git("checkout", "-q", "-b", "side", base)
    repo.story("b.md", 3)
    repo.commit(T0 + HOUR)
    repo.git("checkout", "-q", main)
    repo.git("merge", "-q", "--no-edit", "side", at=T0 + 3 * HOUR)
    log = HeatLog.in_memory()
    done = backfill(repo.path, log)
    assert done.complete and done.files == 4
    assert log.series(url("a")) == [Point(T0, 1, 5), Point(T0 + 2 * HOUR, 2, 5)]
    assert log.series(url("b")) == [Point(T0, 1, 5), Point(T0 + HOUR, 3, 5)]
    assert backfill(repo.path, log).commits == 0


def test_max_commits_stops_early_and_the_next_call_goes_on(repo: Repo) -> None:
    three_commits(repo)
    log = HeatLog.in_memory()
    calls: list[tuple[int, int]] = []
    first = backfill(repo.path, log, max_commits=2, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert first.stopped == "max_commits" and not first.complete
    assert first.commits == 2 and "1 commits are left" in first.message
    assert log.series(url("a")) == [Point(T0, 10, 5), Point(T0 + HOUR, 20, 5)]
    rest = backfill(repo.path, log)
    assert rest.complete and rest.commits == 1
    assert log.series(url("a"))[-1] == Point(T0 + 2 * HOUR, 20, 7)


def test_a_limit_equal_to_the_history_reads_it_all(repo: Repo) -> None:
    three_commits(repo)
    done = backfill(repo.path, HeatLog.in_memory(), max_commits=3)
    assert done.complete and done.commits == 3


def test_the_deadline_stops_between_commits_and_keeps_what_was_read(repo: Repo) -> None:
    three_commits(repo)
    log = HeatLog.in_memory()
    deadline = time.monotonic() + 1.0

    def slow(done: int, total: int) -> None:
        if done == 1:  # the deadline passes while the first commit is handed over
            time.sleep(max(0.0, deadline - time.monotonic()) + 0.05)

    first = backfill(repo.path, log, deadline=deadline, progress=slow)
    assert first.stopped == "deadline" and first.commits == 1
    assert "time ran out" in first.message
    assert log.series(url("a")) == [Point(T0, 10, 5)]
    assert backfill(repo.path, log).commits == 2


def test_a_deadline_already_past_reads_nothing(repo: Repo) -> None:
    three_commits(repo)
    log = HeatLog.in_memory()
    done = backfill(repo.path, log, deadline=time.monotonic() - 1)
    assert done.stopped == "deadline" and done.commits == 0
    assert log.size() == (0, 0)


def test_unusable_file_versions_are_counted_and_skipped(repo: Repo) -> None:
    repo.story("a.md", 10)
    repo.story("big.md", 1)
    repo.commit(T0)
    (repo.path / "a.md").write_text("---\ntitle: [unclosed\nheat: 11\n---\n")
    big = repo.story("big.md", 2)
    big.write_text(big.read_text() + "x" * (1024 * 1024))  # a body over the index's limit
    repo.commit(T0 + HOUR)
    repo.story("a.md", 12)
    repo.commit(T0 + 2 * HOUR)
    log = HeatLog.in_memory()
    done = backfill(repo.path, log)
    assert done.complete and (done.files, done.skipped) == (5, 2)
    assert "2 files could not be read" in done.message
    assert log.series(url("a")) == [Point(T0, 10, 5), Point(T0 + 2 * HOUR, 12, 5)]
    assert log.series(url("big")) == [Point(T0, 1, 5)]


def test_a_damaged_object_is_skipped(repo: Repo) -> None:
    repo.story("a.md", 10)
    repo.story("b.md", 20)
    repo.commit(T0)
    blob = repo.git("rev-parse", "HEAD:a.md")
    loose = repo.path / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"not zlib at all")
    log = HeatLog.in_memory()
    done = backfill(repo.path, log)
    assert (done.commits, done.files, done.skipped) == (1, 2, 1)
    assert log.series(url("a")) == [] and log.series(url("b")) == [Point(T0, 20, 5)]


def test_a_damaged_packed_object_loses_only_itself(repo: Repo) -> None:
    for name in "abc":
        repo.story(f"{name}.md", 10, excerpt=f"{name} is a story " * 200)
    repo.commit(T0)
    repo.git("repack", "-a", "-d", "-q")
    blob = repo.git("rev-parse", "HEAD:b.md")
    (pack,) = (repo.path / ".git" / "objects" / "pack").glob("*.pack")
    index = pack.with_suffix(".idx")
    rows = repo.git("verify-pack", "-v", str(index)).splitlines()
    _, _, _, size, offset = next(r for r in rows if r.startswith(blob)).split()[:5]
    data = bytearray(pack.read_bytes())
    data[int(offset) + int(size) // 2] ^= 0xFF  # inside the blob's compressed bytes
    pack.chmod(0o644)
    pack.write_bytes(bytes(data))
    log = HeatLog.in_memory()
    done = backfill(repo.path, log)
    assert done.complete and (done.files, done.skipped) == (3, 1)
    assert log.series(url("b")) == []
    assert log.series(url("a")) == log.series(url("c")) == [Point(T0, 10, 5)]


def test_files_are_read_as_the_index_reads_them(repo: Repo) -> None:
    # A numeric string heat, and no link at all: the key is the file, under the folder given.
    path = write_story(
        repo.path, "_posts/no link.md", title="Plain", heat="42", quality=3.6,
        publishedDateTime="2021-06-06T14:25:29Z",
    )  # fmt: skip
    repo.commit(T0)
    article = parse_file(str(path))
    assert isinstance(article, Article), article
    log = HeatLog.in_memory()
    backfill(repo.path, log)
    assert article.mark_key == f"file:{repo.path}/_posts/no link.md"
    assert log.series(article.mark_key) == [Point(T0, 42, 4)]


def test_any_file_name_is_read(repo: Repo) -> None:
    names = ["with spaces.md", "ünï 新闻.md", "two\nlines.md", "tab\tand 'quotes\".md"]
    for heat, name in enumerate(names, start=1):
        # No link: the story is keyed by its file, so the name must come through whole.
        repo.story(name, heat, webUrl=None, publishedDateTime="2021-06-06T14:25:29Z")
    repo.commit(T0)
    log = HeatLog.in_memory()
    done = backfill(repo.path, log)
    assert (done.files, done.skipped) == (4, 0)
    for heat, name in enumerate(names, start=1):
        assert log.series(f"file:{repo.path}/{name}") == [Point(T0, heat, 5)]


def test_a_subfolder_reads_only_its_own_files(repo: Repo) -> None:
    repo.story("site/_posts/a.md", 1)
    repo.story("site/_posts/c.md", 5, webUrl=None, publishedDateTime="2021-06-06T14:25:29Z")
    repo.story("other/b.md", 2)
    repo.commit(T0)
    repo.story("other/b.md", 3)
    repo.commit(T0 + HOUR)  # outside the subfolder: not one of its commits
    repo.story("site/_posts/a.md", 4)
    repo.commit(T0 + 2 * HOUR)
    log = HeatLog.in_memory()
    sub = backfill(repo.path / "site", log)
    assert (sub.commits, sub.files) == (2, 3)
    assert log.series(f"file:{repo.path / 'site'}/_posts/c.md") == [Point(T0, 5, 5)]
    assert log.series(url("a")) == [Point(T0, 1, 5), Point(T0 + 2 * HOUR, 4, 5)]
    assert log.series(url("b")) == []
    # The whole repository is another source, with its own place in the history.
    whole = backfill(repo.path, log)
    assert whole.commits == 3 and len(log.series(url("b"))) == 2


def test_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    write_story(tmp_path / "plain", "a.md", title="A", heat=1, webUrl=url("a"))
    log = HeatLog.in_memory()
    done = backfill(tmp_path / "plain", log)
    assert done == Backfill(stopped="error", message="not a git repository")
    assert log.size() == (0, 0)
    assert "not a folder" in backfill(tmp_path / "missing", log).message


def test_git_missing(repo: Repo) -> None:
    three_commits(repo)
    done = backfill(repo.path, HeatLog.in_memory(), git="/nonexistent/git")
    assert done.stopped == "error" and done.message.startswith("git is not installed")


def test_a_repository_without_commits(repo: Repo) -> None:
    done = backfill(repo.path, HeatLog.in_memory())
    assert done.complete and done.commits == 0 and "no commits" in done.message


def wrapper(folder: Path, name: str, when: str) -> str:
    """A git that does `when` (shell) for one subcommand and is git otherwise."""
    script = folder / name
    script.write_text(
        f'#!/bin/sh\nfor a in "$@"; do case "$a" in {when};; esac; done\nexec git "$@"\n'
    )
    script.chmod(0o755)
    return str(script)


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for git")
def test_a_stalled_git_is_stopped_at_the_deadline(repo: Repo, tmp_path: Path) -> None:
    three_commits(repo)
    stalled = wrapper(tmp_path, "stalled-git", "log) sleep 30")
    start = time.monotonic()
    done = backfill(repo.path, HeatLog.in_memory(), git=stalled, deadline=start + 0.5)
    assert done.stopped == "deadline" and done.commits == 0
    assert time.monotonic() - start < 20  # killed with its parent, not after its 30 s sleep


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for git")
def test_a_failing_cat_file_is_reported(repo: Repo, tmp_path: Path) -> None:
    three_commits(repo)
    failing = wrapper(tmp_path, "failing-git", 'cat-file) echo "fatal: no memory" >&2; exit 128')
    log = HeatLog.in_memory()
    done = backfill(repo.path, log, git=failing)
    assert done == Backfill(stopped="error", message="git cat-file failed: no memory")
    assert log.series(url("a")) == []
    assert backfill(repo.path, log).commits == 3  # nothing was marked as read
