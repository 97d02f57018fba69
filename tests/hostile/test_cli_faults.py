"""The command line under hostile names, forged records and broken output streams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader import cli
from reader.cliout import article_json, list_json, list_row, problem_row
from reader.model.article import Article, Problem
from reader.model.index import Index
from reader.model.loader import LoadResult
from reader.model.storylines import Storylines

from .corpus import bad_chars

REPO = Path(__file__).resolve().parents[2]
#: An OSC 52 escape: a terminal that obeys it puts "hello" on the clipboard.
OSC52 = "\x1b]52;c;aGVsbG8=\x07"
#: Escapes of every kind text must never carry to a terminal.
HOSTILE = f"{OSC52}\x9b31m\u202egnp\u2066x\x00\ud800"


def run_cli(*args: str | bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        check=False,
    )


def test_argparse_messages_are_escaped(tmp_path: Path) -> None:
    # An option made of a hostile file name (`reader check -ok-*`).
    done = run_cli("check", str(tmp_path), f"-ok-{OSC52}.md")
    assert done.returncode == 2 and done.stdout == b""
    err = done.stderr.decode()
    assert "unrecognized arguments: " in err and "ok-\\x1b]52;c;aGVsbG8=\\x07.md" in err
    assert bad_chars(err, newlines=True) == []
    # Bytes that are not UTF-8, and an escape in an option's value.
    done = run_cli("list", str(tmp_path), b"--b\xfe")
    assert done.returncode == 2 and b"unrecognized arguments: --b\\xfe\n" in done.stderr
    done = run_cli("list", "--limit", f"1{OSC52}")
    assert done.returncode == 2 and b"invalid int value" in done.stderr
    assert bad_chars(done.stderr.decode(), newlines=True) == []


def test_our_own_messages_are_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main([f"nowhere{OSC52}"]) == 2
    assert cli.main(["list", str(tmp_path), "--topic", HOSTILE]) == 1
    assert cli.main(["list", str(tmp_path), "--query", f"heat>{HOSTILE}"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 3
    assert "nowhere\\x1b]52" in err and "\\u202e" in err
    assert bad_chars(err, newlines=True) == []


def forged_article(path: str = f"/news/{HOSTILE}.md") -> Article:
    """A record as a forged cache could hand over: escapes in every text field."""
    return Article(
        path=path,
        title=f"Title {HOSTILE}",
        excerpt=HOSTILE,
        web_url=f"https://news.example/{HOSTILE}",
        provider_name=f"CNN {HOSTILE}",
        provider_domain=HOSTILE,
        topics=(f"Politics {HOSTILE}",),
        heat=5,
    )


def test_every_printed_field_is_cleaned_at_print_time() -> None:
    article = forged_article()
    index = Index([article])
    problem = Problem(path=f"/news/{HOSTILE}.md", reason=f"bad {HOSTILE}", kind="skipped")
    for text in (
        list_row(article),
        problem_row(problem),
        list_json([article], Storylines.none(), index, "utf-8"),
    ):
        assert bad_chars(text, newlines=True) == [], text
    # What `jq -r` would print: the decoded JSON values.
    record = json.loads(list_json([article], Storylines.none(), index, "utf-8"))[0]
    decoded = [record["title"], record["url"], record["path"], *record["topics"]]
    decoded += record["provider"].values()
    assert [v for v in decoded if bad_chars(v)] == []
    assert record["title"].startswith("Title ") and record["provider"]["name"].startswith("CNN")
    assert article_json(article, Storylines.none(), index)["topics"] == record["topics"]


def test_list_and_check_clean_what_the_loader_hands_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    forged = LoadResult(
        root=str(tmp_path),
        articles=[forged_article()],
        problems=[Problem(path=f"{tmp_path}/{HOSTILE}", reason=HOSTILE, kind=f"skipped{OSC52}")],
    )
    monkeypatch.setattr(cli, "load_folders", lambda roots, **options: forged)
    for args in (["list"], ["list", "--json"], ["check"]):
        cli.main([*args, str(tmp_path)])
        out, err = capsys.readouterr()
        assert out and err == "", args
        assert bad_chars(out, newlines=True) == [], args


@pytest.fixture
def zurich(tmp_path: Path) -> Path:
    (tmp_path / "z.md").write_text(
        "---\ntitle: Zürich votes\nwebUrl: https://n.example/z\nheat: 3\n"
        "provider: {name: Zürcher Zeitung}\n---\n",
        encoding="utf-8",
    )
    return tmp_path


def test_an_ascii_terminal_gets_replacements_not_a_traceback(zurich: Path) -> None:
    done = run_cli("list", "--no-cache", str(zurich), PYTHONIOENCODING="ascii")
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.endswith(b"Z?rcher Zeitung       Z?rich votes\n")
    done = run_cli("list", "--no-cache", "--json", str(zurich), PYTHONIOENCODING="ascii")
    assert (done.returncode, done.stderr) == (0, b"")
    assert b"Z\\u00fcrich votes" in done.stdout  # JSON escapes: nothing is lost
    assert json.loads(done.stdout)[0]["title"] == "Zürich votes"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", ["list", "check"])
def test_a_full_output_is_one_line_and_a_failure(zurich: Path, command: str) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "reader", command, "--no-cache", str(zurich)],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == b"reader: cannot write the output: No space left on device\n"


def test_a_closed_pipe_ends_quietly(zurich: Path) -> None:
    for n in range(200):
        (zurich / f"more-{n}.md").write_text(
            f"---\ntitle: Story {n}\nwebUrl: https://n.example/{n}\n---\n"
        )
    reader = subprocess.Popen(
        [sys.executable, "-m", "reader", "list", "--no-cache", str(zurich)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # like `| head -0`
    err = reader.stderr.read()
    assert reader.wait(timeout=60) == 0 and err == b""
