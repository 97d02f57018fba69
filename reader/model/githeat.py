"""Heat history from a folder's git history: a backfill of the `HeatLog`.

Sites rewrite a story's file each time its heat changes, and some story
folders are git repositories, so each commit holds the heat of every story it
changed, at the commit's time. `backfill` reads those commits, oldest first,
and merges what they held into a `HeatLog`, so that "rising" has a past
before reader ever ran.

- One `git log --raw -z` stream lists each commit's changed story files with
  their blob ids (-z: any file name; the ids: no name is ever written to
  another process), and one `git cat-file --batch` process reads the blobs:
  a process per file would cost milliseconds each.
- Each file is read as the index reads it (`parse`, `normalize`), so a story
  gets the same key, heat and quality as when reader lists it.
- Every `CHUNK_COMMITS` commits the points go to the log and the last commit
  read is remembered (`HeatLog.set_imported`): memory holds one chunk (or one
  commit, if a commit alone holds more), and the next call reads only the
  commits after it. A history rewritten since is read again from the start;
  merging twice is harmless (repeats are dropped).
- Commits are read parents first (`--topo-order --reverse`), so every commit
  before the one remembered has been read. A merge's own changes (a conflict
  resolved by hand) are not read; the commits it merges are.
- Nothing raises for a bad folder, a missing git, a damaged object or the
  deadline: the `Backfill` says what happened.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from .article import Article
from .discovery import API_FOLDER, ARTICLE_SUFFIXES
from .heatlog import HeatLog
from .parse import MAX_FILE_BYTES
from .parsing import parse_file
from .rising import Point, compact, score

#: Points are handed to the log, and the place remembered, every this many commits.
CHUNK_COMMITS = 200
#: ...or as soon as this many points are gathered (a site rewriting every file each time).
CHUNK_POINTS = 50_000
#: How long one setup command (rev-parse, the count) may take without a deadline.
SETUP_SECONDS = 120.0
#: Why a backfill ended before the end of the history ("" when it did not).
Stop = Literal["", "deadline", "max_commits", "error"]

# Story files in any case (discovery's suffixes), relative to the folder read.
_PATHSPECS = tuple(f":(icase)*{suffix}" for suffix in ARTICLE_SUFFIXES)
# Output options a user's config could change, pinned.
_OPTIONS = ("-c", "core.quotepath=off", "-c", "log.showSignature=false", "-c", "color.ui=never")
# Variables that would point git at another repository than the folder's.
_ELSEWHERE = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_NAMESPACE",
    "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
)  # fmt: skip
_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_HEADER = b"\x01"
#: Blob ids asked of cat-file at once: at most 50 x 65 bytes, under the 4 KB a pipe holds.
_BATCH = 50


@dataclass(frozen=True, slots=True)
class Backfill:
    """What a backfill did."""

    #: Commits read (each touching a story file under the folder).
    commits: int = 0
    #: File versions read from those commits.
    files: int = 0
    #: File versions that could not be used (bad YAML, too large, a damaged object...).
    skipped: int = 0
    #: Distinct stories whose heat was read.
    stories: int = 0
    #: How many points the history grew by (repeats and thinned points do not count).
    points: int = 0
    #: Why it ended before the end of the history: "" when it read it all.
    stopped: Stop = ""
    #: One line for the user.
    message: str = ""

    @property
    def complete(self) -> bool:
        """True when the whole history was read (a later call reads only new commits)."""
        return not self.stopped


class _Failed(Exception):
    """Git could not do its part; the message says why, in one line."""


class _Expired(Exception):
    """The deadline passed while git was working."""


def backfill(
    root: Path,
    log: HeatLog,
    *,
    progress: Callable[[int, int], object] = lambda done, total: None,
    max_commits: int | None = None,
    deadline: float | None = None,
    git: str = "git",
) -> Backfill:
    """Merge the heat held by the git history of the folder `root` into `log`.

    Reads the commits not read before (all of them the first time), oldest
    first, calling `progress(done, total)` after each. Stops cleanly after
    `max_commits` commits or at `deadline` (a `time.monotonic()` value); a
    later call goes on from there. Never raises for a bad folder or history
    (an exception from `progress` does stop it: what was handed over stays).

    `root` is spelled as the index is given it: a story without a link is
    keyed by its file, `root` joined with its path.
    """
    run = _Run(root, log, git, deadline)
    try:
        return run.run(progress, max_commits)
    except FileNotFoundError:
        return run.result("error", f"git is not installed (no {git!r} to run)")
    except _Expired:
        return run.result("deadline", "when time ran out")
    except _Failed as err:
        return run.result("error", str(err))
    except (OSError, subprocess.SubprocessError) as err:
        return run.result("error", f"git could not be run: {err}")
    except ValueError:  # output not as documented: a git far older or newer than known
        return run.result("error", "git's output could not be read")
    finally:
        run.close()


@dataclass
class _Commit:
    """One commit of the stream: its id, time, and story files (blob id, path)."""

    sha: str
    at: int
    files: list[tuple[bytes, str]]


class _Run:
    """One backfill: the git processes, the counts, and the chunk not yet handed over."""

    def __init__(self, root: Path, log: HeatLog, git: str, deadline: float | None) -> None:
        self.root, self.log, self.deadline = root, log, deadline
        env = {k: v for k, v in os.environ.items() if k not in _ELSEWHERE}
        # No prompt (a credential helper waiting on a terminal); no system config; English
        # messages, which are matched below. The user's own config stays: safe.directory
        # is only read from there, and the output options it could change are pinned.
        env.update(GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1", GIT_OPTIONAL_LOCKS="0")
        env["LC_ALL"] = "C"
        self.env = env
        self.base = [git, "--no-pager", "-C", str(root), *_OPTIONS]
        self.source = ""
        self.commits = self.files = self.skipped = self.count = 0
        self.keys: set[str] = set()
        self.chunk: dict[str, list[Point]] = {}
        self.gathered = 0
        self.last = ""
        self.kept_before: int | None = None
        self.rewritten = False
        self.processes: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        self.timer: threading.Timer | None = None
        self.expired = threading.Event()
        self.blobs: tuple[subprocess.Popen[bytes], IO[bytes]] | None = None

    # --- the steps --------------------------------------------------------------

    def run(self, progress: Callable[[int, int], object], max_commits: int | None) -> Backfill:
        if not self.root.is_dir():
            return self.result("error", f"{self.root} is not a folder")
        # The repository and the folder's place in it: the key of what was read.
        top = os.fsdecode(self.git("rev-parse", "--show-toplevel"))
        self.source = f"git:{top}:{os.fsdecode(self.git('rev-parse', '--show-prefix'))}"
        head = self._git("rev-parse", "--verify", "--quiet", "HEAD^{commit}").stdout
        head_id = head.decode("ascii", "replace").strip()
        if not _COMMIT_ID.fullmatch(head_id):
            return self.result("", "The git repository has no commits yet.")
        since = self.log.imported(self.source)
        if since is not None and not self._in_history(since, head_id):
            since, self.rewritten = None, True  # rewritten: read again, merging is idempotent
        span = f"{since}..{head_id}" if since else head_id
        self.count = int(self.git("rev-list", "--count", span, "--", *_PATHSPECS))
        total = self.count if max_commits is None else min(self.count, max(max_commits, 0))
        self.kept_before = self.log.size()[1]
        self._watch()
        progress(0, total)
        for commit in self._commits(span):
            if max_commits is not None and self.commits >= max_commits:
                return self.result("max_commits", f"at the limit of {max_commits:,} commits")
            if self.deadline is not None and time.monotonic() >= self.deadline:
                raise _Expired
            self._take(commit)
            progress(self.commits, total)
            if self.commits % CHUNK_COMMITS == 0 or self.gathered >= CHUNK_POINTS:
                self.flush(self.last)
        self.flush(head_id)  # the commits after the last story commit hold no story
        if since is None and not self.commits:
            return self.result("", "No commit of the git history holds a story file here.")
        return self.result("")

    def _in_history(self, commit: str, head: str) -> bool:
        """True when `commit` (as remembered) is still an ancestor of `head`."""
        if not _COMMIT_ID.fullmatch(commit):  # never hand git an option from a file
            return False
        return self._git("merge-base", "--is-ancestor", commit, head).returncode == 0

    def _commits(self, span: str) -> Iterator[_Commit]:
        """The commits of `span` touching story files, parents before children."""
        process = self.start(
            "log", "--reverse", "--topo-order", "--raw", "--no-abbrev", "--no-renames",
            "--relative", "--root", "-z", "--format=%x01%H %ct",
            span, "--", *_PATHSPECS,
        )  # fmt: skip
        assert process.stdout is not None
        current: _Commit | None = None
        meta: bytes | None = None
        for token in _tokens(process.stdout):
            if meta is not None:  # the path after its ":old new ids status" token
                if current is not None and self._wanted(meta, token):
                    current.files.append((meta.split(b" ")[3], os.fsdecode(token)))
                meta = None
                continue
            token = token.lstrip(b"\n")
            if token.startswith(_HEADER):
                if current is not None:
                    yield current
                sha, _, at = token[1:].partition(b" ")
                current = _Commit(sha.decode("ascii"), int(at), [])
            elif token.startswith(b":"):
                meta = token
        if process.wait() != 0:  # the last commit may be cut short: not read
            if self.expired.is_set():
                raise _Expired
            raise _Failed(_why(self.stderr(process), "git log"))
        if current is not None:
            yield current

    @staticmethod
    def _wanted(meta: bytes, path: bytes) -> bool:
        """A regular story file, added or changed, that the index would read."""
        fields = meta.split(b" ")
        if len(fields) < 5 or not fields[1].startswith(b"100") or fields[4].startswith(b"D"):
            return False  # deleted, a symbolic link or a submodule
        *folders, name = os.fsdecode(path).split("/")
        return (
            name.lower().endswith(ARTICLE_SUFFIXES)
            and not any(part.startswith(".") for part in (*folders, name))
            and API_FOLDER not in folders  # as discovery: hidden files and api/ templates
        )

    def _take(self, commit: _Commit) -> None:
        """Read the commit's files; its points join the chunk once all are read."""
        points: list[tuple[str, Point]] = []
        skipped = 0
        blobs = self._blobs([blob for blob, _ in commit.files])
        for (_, path), data in zip(commit.files, blobs, strict=True):
            where = os.path.join(self.root, *path.split("/"))  # as discovery spells it
            story = None if data is None else parse_file(where, data)
            if isinstance(story, Article):
                heat, quality = score(story.heat), score(story.quality)  # as `HeatLog.record`
                if heat is not None:
                    points.append((story.mark_key, Point(float(commit.at), heat, quality)))
            elif story is None or story.kind == "skipped":
                skipped += 1
        for key, point in points:
            self.chunk.setdefault(key, []).append(point)
            self.keys.add(key)
        self.gathered += len(points)
        self.files += len(commit.files)
        self.skipped += skipped
        self.commits += 1
        self.last = commit.sha

    def _blobs(self, ids: list[bytes]) -> Iterator[bytes | None]:
        """Each blob's bytes, in order; None for one missing, damaged or too large.

        Asked `_BATCH` at a time: one write and one wake-up for many blobs, not a
        round trip each (3x faster), and few enough that the ids fit in any pipe's
        buffer, so the write never waits on cat-file while cat-file waits on us.
        """
        done = 0
        while done < len(ids):
            process = self._cat_file()
            batch = ids[done : done + _BATCH]
            if self._ask(process, batch):
                for _ in batch:
                    alive, data = self._answer(process)
                    if not alive:
                        break
                    done += 1
                    yield data
                else:
                    continue
            self._lost(ids[done])  # that blob was damaged: a new cat-file reads the rest
            done += 1
            yield None

    def _cat_file(self) -> subprocess.Popen[bytes]:
        if self.blobs is None:
            process = self.start("cat-file", "--batch", stdin=True)
            self.blobs = (process, self.processes[-1][1])
        return self.blobs[0]

    @staticmethod
    def _ask(process: subprocess.Popen[bytes], ids: list[bytes]) -> bool:
        assert process.stdin is not None
        try:
            process.stdin.write(b"".join(blob + b"\n" for blob in ids))
            process.stdin.flush()
        except (OSError, ValueError):
            return False
        return True

    @staticmethod
    def _answer(process: subprocess.Popen[bytes]) -> tuple[bool, bytes | None]:
        """The next blob cat-file gives: (False, None) when it died first."""
        assert process.stdout is not None
        try:
            header = process.stdout.readline()
            fields = header.split()
            if not header.endswith(b"\n"):
                return False, None
            if len(fields) != 3 or fields[1] != b"blob":
                return True, None  # "<id> missing": a damaged loose object reads so too
            size = int(fields[2])
            if size > MAX_FILE_BYTES:  # too large for the index too: read past it, keep none
                left = size + 1
                while left > 0:
                    got = len(process.stdout.read(min(left, 1 << 20)))
                    if not got:
                        return False, None
                    left -= got
                return True, None
            data = process.stdout.read(size + 1)
        except (OSError, ValueError):
            return False, None
        return (True, data[:-1]) if len(data) == size + 1 else (False, None)

    def _lost(self, blob: bytes) -> None:
        """cat-file died reading `blob`. A damaged packed object makes it exit, naming
        the object: then only that blob is lost. Otherwise git is failing: `_Failed`."""
        if self.expired.is_set():
            raise _Expired
        assert self.blobs is not None
        process, self.blobs = self.blobs[0], None
        stderr = self.stderr(process)
        if blob not in stderr:
            raise _Failed(_why(stderr, "git cat-file"))

    def flush(self, mark: str) -> None:
        """Hand the chunk to the log, then remember that the history is read to `mark`."""
        if self.chunk:
            self.log.add_points({key: compact(points) for key, points in self.chunk.items()})
            self.chunk, self.gathered = {}, 0
        if mark:
            self.log.set_imported(self.source, mark)

    # --- git --------------------------------------------------------------------

    def git(self, *args: str) -> bytes:
        """The output of a short git command; `_Failed` when it fails."""
        done = self._git(*args)
        if done.returncode != 0:
            raise _Failed(_why(done.stderr, f"git {args[0]}"))
        return done.stdout.removesuffix(b"\n")

    def _git(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        """A short git command, done: within the deadline, else `_Expired`."""
        timeout = SETUP_SECONDS if self.deadline is None else self.deadline - time.monotonic()
        if timeout <= 0:
            raise _Expired
        try:
            return subprocess.run(
                [*self.base, *args], env=self.env, stdin=subprocess.DEVNULL,
                capture_output=True, timeout=timeout, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            if self.deadline is not None:
                raise _Expired from None
            raise _Failed(f"git {args[0]} took over {SETUP_SECONDS:.0f} s") from None

    def start(self, *args: str, stdin: bool = False) -> subprocess.Popen[bytes]:
        """A long-running git command, watched by the deadline."""
        # Its messages go to a file: a pipe nobody reads could fill and stall git.
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        try:
            # In a group of its own, so that `_kill` reaches what a wrapper script started.
            process = subprocess.Popen(
                [*self.base, *args], env=self.env, stdout=subprocess.PIPE, stderr=errors,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                start_new_session=os.name == "posix",
            )  # fmt: skip
        except BaseException:
            errors.close()
            raise
        self.processes.append((process, errors))
        if self.expired.is_set():
            _kill(process)
        return process

    def stderr(self, process: subprocess.Popen[bytes]) -> bytes:
        """What `process`, ended now if it had not, said on its standard error."""
        _kill(process)
        with contextlib.suppress(subprocess.SubprocessError):
            process.wait(timeout=5)
        errors = next(e for p, e in self.processes if p is process)
        with contextlib.suppress(OSError, ValueError):
            errors.seek(0)
            return errors.read(4096)
        return b""

    def _watch(self) -> None:
        """Kill git at the deadline, so that a long walk or a stalled read stops too."""
        if self.deadline is None:
            return
        self.timer = threading.Timer(max(0.0, self.deadline - time.monotonic()), self._expire)
        self.timer.daemon = True
        self.timer.start()

    def _expire(self) -> None:
        self.expired.set()
        for process, _ in list(self.processes):
            _kill(process)

    def close(self) -> None:
        """Stop the timer and every git process still running."""
        if self.timer is not None:
            self.timer.cancel()
        for process, errors in self.processes:
            with contextlib.suppress(OSError, ValueError):
                if process.stdin is not None:
                    process.stdin.close()  # cat-file ends at the end of its input
            try:
                process.wait(timeout=1 if process.stdin is not None else 0)
            except subprocess.TimeoutExpired:
                _kill(process)
                process.wait()
            for stream in (process.stdout, errors):
                if stream is not None:
                    stream.close()
        self.processes.clear()

    # --- the result -------------------------------------------------------------

    def result(self, stopped: Stop, why: str = "") -> Backfill:
        """The backfill so far; what was read is kept and its place remembered."""
        if self.last and stopped:
            self.flush(self.last)
        kept = 0 if self.kept_before is None else max(self.log.size()[1] - self.kept_before, 0)
        read = (
            f"{self.commits:,} commits ({self.files:,} files), {kept:,} new points of heat"
            f" for {len(self.keys):,} stories"
        )
        if self.skipped:
            read += f", {self.skipped:,} files could not be read"
        if stopped == "error":
            message = f"{why} (after {read})" if self.commits else why
        elif stopped and self.commits:
            left = self.count - self.commits
            message = f"Stopped {why} after {read}; {left:,} commits are left: run it again."
        elif stopped:
            message = f"Stopped {why} before reading a commit: run it again."
        elif self.commits:
            message = f"Read {read}."
        else:
            message = why or "The heat history is up to date with the git history."
        if self.rewritten:
            message = f"The git history was rewritten, so it was read from the start. {message}"
        return Backfill(
            commits=self.commits,
            files=self.files,
            skipped=self.skipped,
            stories=len(self.keys),
            points=kept,
            stopped=stopped,
            message=message,
        )


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill a git process and what it started (a wrapper's children hold its pipes too)."""
    if process.returncode is not None:
        return  # reaped: its id may be another process's by now
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """The NUL-separated fields of `stream`, as they arrive."""
    rest = b""
    while chunk := stream.read(1 << 16):
        fields = (rest + chunk).split(b"\0")
        rest = fields.pop()
        yield from fields
    if rest:
        yield rest


def _why(stderr: bytes, what: str) -> str:
    """Git's message as one line for the user."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    text = next((line for line in lines if line.startswith("fatal:")), "") or next(
        (line for line in lines if line), ""
    )
    if "not a git repository" in text:
        return "not a git repository"
    text = text.removeprefix("fatal: ").removeprefix("error: ")
    return f"{what} failed: {text}" if text else f"{what} failed"
