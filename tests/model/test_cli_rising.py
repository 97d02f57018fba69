"""`reader list` records heat, and ranks by what it gained (`--sort rising`, `rising>N`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from reader.cli import main
from reader.model.heatlog import HeatLog
from reader.model.rising import NEEDS_TWO

from .helpers import write_story


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_story(tmp_path, "hot.md", title="Hot", webUrl="https://n.example/hot", heat=90)
    write_story(tmp_path, "warm.md", title="Warm", webUrl="https://n.example/warm", heat=50)
    write_story(tmp_path, "odd.md", title="Odd", webUrl="https://n.example/odd", heat=-4)
    return tmp_path


def test_a_first_run_records_and_says_rising_needs_two(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", str(folder), "--sort", "rising")
    assert code == 0
    assert err.strip() == f"reader: {NEEDS_TWO}"
    assert [line.split()[-1] for line in out.splitlines()] == ["Hot", "Warm", "Odd"]  # by heat
    log = HeatLog.open()
    assert [p.heat for p in log.series("https://n.example/hot")] == [90]
    assert log.series("https://n.example/odd") == []  # a negative heat records nothing


def test_rising_ranks_by_heat_gained(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    HeatLog.open().record([("https://n.example/warm", 10, None)], at=time.time() - 3600)
    code, out, err = run(capsys, "list", str(folder), "--sort", "rising")
    assert (code, err) == (0, "")
    first, second, _ = out.splitlines()
    assert first.split()[:2] == ["+40", "50"] and first.endswith("Warm")
    assert second.split()[0] == "·" and second.endswith("Hot")
    code, out, _ = run(capsys, "list", str(folder), "--query", "rising>=40")
    assert [line.split()[-1] for line in out.splitlines()] == ["Warm"]


def test_history_off_records_nothing(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("history = false\n")
    code, _, _ = run(capsys, "list", str(folder), "--config", str(config))
    assert code == 0
    assert HeatLog.open().size() == (0, 0)


def test_brief_prints_the_day_and_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    now = time.time()
    day = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 3600))
    old = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 9 * 86400))
    write_story(tmp_path, "new.md", title="Fresh", webUrl="https://n.example/new", heat=70,
                publishedDateTime=day, provider={"name": "BBC"})  # fmt: skip
    write_story(tmp_path, "old.md", title="Stale", webUrl="https://n.example/old", heat=90,
                publishedDateTime=old)  # fmt: skip
    code, out, err = run(capsys, "brief", str(tmp_path))
    assert (code, err) == (0, "")
    lines = [line for line in out.splitlines() if line.startswith("1.")]
    assert lines == [lines[0]] and "[Fresh](https://n.example/new) — BBC · heat 70" in lines[0]
    assert "Stale" not in out  # published before the period, and it did not move
    assert HeatLog.open().series("https://n.example/old")  # the run was recorded
    code, out, _ = run(capsys, "brief", str(tmp_path), "--format", "json", "--since", "30d")
    assert code == 0 and [i["title"] for i in json.loads(out)] == ["Stale", "Fresh"]  # by heat


def test_brief_refuses_a_period_that_is_not_an_age(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "brief", str(folder), "--since", "soon")
    assert (code, out) == (2, "")
    assert "--since expects an age like 12h" in err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_history_from_git_fills_the_history_and_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=r", "-c", "user.email=r@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    start = int(time.time()) - 10 * 3600
    for n, heat in enumerate((10, 30, 80)):
        write_story(repo, "a.md", title="A", webUrl="https://n.example/a", heat=heat)
        when = {
            "GIT_AUTHOR_DATE": f"@{start + n * 3600}",
            "GIT_COMMITTER_DATE": f"@{start + n * 3600}",
        }
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run(
            [*git, "commit", "-qm", f"heat {heat}"], check=True, env={**os.environ, **when}
        )
    code, out, err = run(capsys, "history", str(repo), "--from-git")
    assert (code, err) == (0, "")
    assert "Read 3 commits" in out
    assert [(p.at, p.heat) for p in HeatLog.open().series("https://n.example/a")] == [
        (start, 10), (start + 3600, 30), (start + 7200, 80)
    ]  # fmt: skip
    code, out, _ = run(capsys, "history", str(repo), "--from-git")
    assert code == 0 and "up to date" in out
    code, out, _ = run(capsys, "history", str(repo))
    assert code == 0 and "1 story, 3 points" in out and "1 of these 1 story moved" in out
    code, out, _ = run(capsys, "list", str(repo), "--sort", "rising")
    assert out.split()[:2] == ["+70", "80"]  # 10 -> 80 within the last 24 hours


def test_history_from_git_of_a_plain_folder_says_so(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "history", str(folder), "--from-git")
    assert code == 1 and "not a git repository" in out.lower()
    assert run(capsys, "history", str(folder), "--timeout", "0")[0] == 2
