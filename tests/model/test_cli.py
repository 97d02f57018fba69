from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader import __version__
from reader.cli import main
from reader.model.linkkey import link_key
from reader.model.loader import load_folder
from reader.model.parsing import parse_file

from .helpers import write_story

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_story(
        tmp_path, "hot.md", title="Hot", webUrl="https://n.example/hot", heat=90, quality=3,
        publishedDateTime="2021-06-06T16:25:29+02:00",
        provider={"name": "CNN", "domain": "cnn.com"}, topics=["Politics", "Sport"],
    )  # fmt: skip
    write_story(
        tmp_path, "sub/warm.md", title="Warm", webUrl="https://n.example/warm", heat=50,
        quality=9, topics=["politics"], type="video", categories=["news", "tv"],
    )  # fmt: skip
    write_story(tmp_path, "cold.md", title="Cold", webUrl="https://n.example/cold")
    write_story(tmp_path, "copy.md", title="Copy", webUrl="https://n.example/hot", heat=1)
    write_story(tmp_path, "draft.md", title="Draft", published=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_fields(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", str(folder), "--json", "--no-cache")
    assert (code, err) == (0, "")
    stories = json.loads(out)
    assert [s["title"] for s in stories] == ["Hot", "Warm", "Cold"]
    assert stories[0] == {
        "title": "Hot",
        "url": "https://n.example/hot",
        "heat": 90,
        "quality": 3,
        "published": "2021-06-06T14:25:29Z",
        "provider": {"name": "CNN", "domain": "cnn.com"},
        "topics": ["Politics", "Sport"],
        "type": None,
        "category": None,
        "path": str(folder / "hot.md"),
        "storyline": link_key("https://n.example/hot"),  # a story alone: its own
    }
    assert stories[2]["published"] is None and stories[2]["heat"] is None
    assert stories[1]["topics"] == ["Politics"]  # the most used spelling
    assert (stories[1]["type"], stories[1]["category"]) == ("video", "news")


def test_list_topic_sort_limit(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def titles(*args: str) -> list[str]:
        code, out, _ = run(capsys, "list", str(folder), "--json", *args)
        assert code == 0
        return [s["title"] for s in json.loads(out)]

    assert titles("--topic", "POLITICS") == ["Hot", "Warm"]
    assert titles("--topic", "sport") == ["Hot"]
    assert titles("--topic", "spört") == ["Hot"]  # accents are ignored, as in search
    assert titles("--sort", "quality") == ["Warm", "Hot", "Cold"]
    assert titles("--limit", "1") == ["Hot"]
    assert titles("--limit", "0") == []


def test_list_plain(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", str(folder))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3 and lines[0].endswith("Hot") and "CNN" in lines[0]


def test_negative_limit_is_a_usage_error(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "list", str(folder), "--limit", "-1") == (
        2, "", "reader: --limit must be 0 or more\n"
    )  # fmt: skip


def test_check_exit_codes(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(folder))
    assert (code, err) == (0, "")
    assert f"{folder / 'copy.md'}: duplicate: " in out
    assert f"{folder / 'draft.md'}: hidden: a draft (published: false)" in out
    assert out.splitlines()[-1] == "3 stories shown, 0 skipped, 1 hidden, 1 duplicates"
    (folder / "broken.md").write_text("---\ntitle: [x\n---\n")
    code, out, _ = run(capsys, "check", str(folder))
    assert code == 1
    assert f"{folder / 'broken.md'}: skipped: invalid YAML at line " in out


def test_hidden_files_are_not_articles(folder: Path) -> None:
    result = load_folder(str(folder), use_cache=False)
    assert sorted(a.title for a in result.articles) == ["Cold", "Copy", "Hot", "Warm"]
    assert [(p.kind, p.reason) for p in result.problems] == [
        ("hidden", "a draft (published: false)")
    ]
    write_story(folder, "gone.md", title="Gone", deleted=True)
    assert parse_file(str(folder / "gone.md")).kind == "hidden"  # type: ignore[union-attr]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip


def test_missing_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for command in ("list", "check"):
        done = _cli(command, str(tmp_path / "nowhere"))
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr == f"reader: no such file or folder: {tmp_path / 'nowhere'}\n"


def test_a_fifo_as_path_is_one_clear_line(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    done = _cli("check", str(tmp_path / "fifo"))
    assert done.returncode == 2 and done.stdout == ""
    assert (
        done.stderr == f"reader: cannot read {tmp_path / 'fifo'}: not a folder or a regular file\n"
    )


def test_help_and_version() -> None:
    done = _cli("--help")
    assert done.returncode == 0 and "reader list [PATH...]" in done.stdout
    done = _cli("list", "--help")
    assert done.returncode == 0 and "--json" in done.stdout and "--topic" in done.stdout
    done = _cli("--version")
    assert (done.returncode, done.stdout) == (0, f"reader {__version__}\n")


def test_list_query_uses_the_search_language(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", str(folder), "--json", "--query", "topic:politics heat>60")
    assert (code, err) == (0, "")
    assert [s["title"] for s in json.loads(out)] == ["Hot"]
    code, out, err = run(capsys, "list", str(folder), "--json", "--query", "heat>abc provider:cnn")
    assert code == 0
    assert "heat> expects a number" in err
    assert [s["title"] for s in json.loads(out)] == ["Hot"]


def test_list_query_reads_marks_from_the_state(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.model.state import StateStore

    with StateStore.open() as state:
        state.set_read("https://n.example/hot")
    code, out, _ = run(capsys, "list", str(folder), "--json", "--query", "is:unread")
    assert code == 0
    assert [s["title"] for s in json.loads(out)] == ["Warm", "Cold"]


def test_options_may_come_before_the_command(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--no-cache", "list", str(folder), "--json")
    assert code == 0
    assert [s["title"] for s in json.loads(out)] == ["Hot", "Warm", "Cold"]


def test_the_apps_orders_work_and_date_means_newest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, day, heat in (("a", "2024-03-01", 5), ("b", "2024-01-01", 9), ("c", "2024-02-01", 1)):
        write_story(tmp_path, f"{name}.md", title=name.upper(), webUrl=f"https://n.example/{name}",
                    heat=heat, publishedDateTime=f"{day}T12:00:00Z")  # fmt: skip

    def titles(order: str) -> list[str]:
        code, out, err = run(capsys, "list", str(tmp_path), "--json", "--sort", order)
        assert (code, err) == (0, "")
        return [s["title"] for s in json.loads(out)]

    assert titles("heat") == ["B", "A", "C"]
    assert titles("newest") == titles("date") == ["A", "C", "B"]
    assert titles("oldest") == ["B", "C", "A"]
    code, _, err = run_exit(capsys, "list", str(tmp_path), "--sort", "hottest")
    assert code == 2 and "invalid choice: 'hottest'" in err


def run_exit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Like `run`, for the mistakes argparse reports by exiting."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_an_unknown_topic_suggests_close_ones(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", str(folder), "--topic", "politcs")
    assert (code, out) == (1, "")
    assert err == "reader: no topic named 'politcs' (did you mean `Politics`?)\n"
    code, out, err = run(capsys, "list", str(folder), "--json", "--topic", "weather")
    assert (code, out, err) == (1, "", "reader: no topic named 'weather'\n")


def test_a_query_may_start_with_a_negation(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (["--query", "-hot"], ["--query=-hot"], ["--query", "-topic:sport"]):
        code, out, err = run(capsys, "list", str(folder), "--json", *args)
        assert (code, err) == (0, ""), args
        assert [s["title"] for s in json.loads(out)] == ["Warm", "Cold"], args
    code, out, err = run(capsys, "list", str(folder), "--json", "--query", "-hot", "--limit", "1")
    assert [s["title"] for s in json.loads(out)] == ["Warm"]


def test_a_mistyped_command_is_suggested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "lsit") == (
        2, "", "reader: no such file or folder: lsit (did you mean `reader list`?)\n"
    )  # fmt: skip
    assert run(capsys, "--no-cache", "chekc")[2].endswith("(did you mean `reader check`?)\n")
    assert run(capsys, "weather") == (2, "", "reader: no such file or folder: weather\n")
    # A path is never taken for a command, nor is a second word.
    assert run(capsys, "./lsit")[2] == "reader: no such file or folder: ./lsit\n"
    assert run(capsys, "list", "lsit")[2] == "reader: no such file or folder: lsit\n"


def test_list_cuts_long_fields_and_names_untitled_stories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_story(tmp_path, "long.md", title="Long", webUrl="https://n.example/long", heat=2,
                provider={"name": "The Extraordinarily Long Provider Name"})  # fmt: skip
    write_story(tmp_path, "untitled.md", webUrl="https://n.example/untitled", heat=1)
    code, out, _ = run(capsys, "list", str(tmp_path))
    assert code == 0
    long_row, untitled_row = out.splitlines()
    assert "  The Extraordinarily…  Long" in long_row
    assert "The Extraordinarily L" not in long_row
    assert untitled_row.endswith("  (untitled)")
    code, out, _ = run(capsys, "list", str(tmp_path), "--json")
    assert [s["title"] for s in json.loads(out)] == ["Long", ""]  # the data stays as it is
