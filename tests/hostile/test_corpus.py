"""Every corpus case, loaded in its own process: the asserted outcome, no crash,
no hang, bounded memory and clean text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.model.links import unsafe_reason
from reader.model.text import show_path

from .corpus import CASES, PWNED_MARK, Case, bad_chars, built_corpus, check_expect

REPO = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("run_case.py")
#: Generous: a case takes well under a second; this only catches hangs.
TIMEOUT = 20
#: Peak memory of one case's process (Python and the reader take ~25 MB).
MAX_RSS_MB = 300
IS_ROOT = os.geteuid() == 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Case]]:
    with built_corpus(tmp_path_factory.mktemp("corpus")) as built:
        yield {case.name: case for case in built}


def run_case(folder: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, str(RUNNER), str(folder)],
        capture_output=True,
        timeout=TIMEOUT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert done.stderr == b""
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert {c.outcome for c in CASES.values()} == {
        "shown",
        "skipped",
        "hidden",
        "ignored",
        "duplicate",
    }


@pytest.mark.parametrize("name", list(CASES))
def test_case(name: str, corpus: dict[str, Case]) -> None:
    if name not in corpus:
        assert CASES[name].needs_non_root and IS_ROOT
        pytest.skip("root reads unreadable files; see test_conditions for a simulation")
    case = corpus[name]
    assert case.path is not None
    report = run_case(case_folder(case))

    assert report["unclean"] == []
    assert report["maxrss_kb"] < MAX_RSS_MB * 1024
    target = str(case.path)
    shown = {a["path"]: a for a in report["articles"]}
    problems = {p[0]: p for p in report["problems"]}
    for _path, reason, _kind in report["problems"]:
        assert "\n" not in reason and reason.strip() == reason and reason
        assert bad_chars(reason) == []

    if case.outcome == "shown":
        assert target in shown, f"not shown; problems: {report['problems']}"
        assert check_expect(case, shown[target]) == []
        assert bad_chars(show_path(target)) == []
    elif case.outcome == "ignored":
        assert target not in shown and target not in problems
        assert report["articles"] == [] and report["problems"] == []
    else:
        assert target in problems, f"expected {case.outcome}; got {report}"
        _, reason, kind = problems[target]
        assert kind == case.outcome
        assert case.reason in reason
        assert target not in shown
    for link in case.unsafe_links:
        assert unsafe_reason(link) is not None, link


def case_folder(case: Case) -> Path:
    """The case's own subfolder (its entry may sit deeper, e.g. inside `folder.md`)."""
    assert case.path is not None
    path = case.path
    while path.parent.name != case.name:
        path = path.parent
    return path.parent


def test_python_tags_never_ran(corpus: dict[str, Case]) -> None:
    run_case(case_folder(corpus["python_tag_apply"]))
    assert not os.path.exists(PWNED_MARK)


def test_every_unsafe_link_in_the_corpus_is_refused() -> None:
    links = [link for case in CASES.values() for link in case.unsafe_links]
    assert len(links) >= 10
    assert [link for link in links if unsafe_reason(link) is None] == []


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    # A strict UTF-8 stdout, as in most desktop locales: undecodable names must not crash.
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_check_reports_every_unusable_case_on_one_clean_line(corpus: dict[str, Case]) -> None:
    folder = case_folder(next(iter(corpus.values()))).parent
    done = run_cli("check", "--no-cache", str(folder))
    assert done.stderr == b""
    assert done.returncode == 1
    out = done.stdout.decode("utf-8")
    assert bad_chars(out, newlines=True) == []
    lines = out.splitlines()
    for case in corpus.values():
        assert case.path is not None
        shown = show_path(str(case.path))
        mine = [line for line in lines if line.startswith(f"{shown}: ")]
        if case.outcome in ("skipped", "hidden", "duplicate"):
            assert len(mine) == 1, (case.name, mine)
            kind = case.outcome
            assert mine[0].startswith(f"{shown}: {kind}: ")
            assert case.reason in mine[0]
        else:
            assert mine == [], case.name
    # Each duplicate case also holds the hotter copy, which is shown.
    shown_count = sum(c.outcome in ("shown", "duplicate") for c in corpus.values())
    assert lines[-1].startswith(f"{shown_count} stories shown, ")


def test_list_json_shows_every_usable_case(corpus: dict[str, Case]) -> None:
    folder = case_folder(next(iter(corpus.values()))).parent
    done = run_cli("list", "--no-cache", "--json", str(folder))
    assert done.stderr == b"" and done.returncode == 0
    out = done.stdout.decode("utf-8")
    assert bad_chars(out, newlines=True) == []
    stories = json.loads(out)
    paths = {s["path"] for s in stories}
    for case in corpus.values():
        assert case.path is not None
        listed = show_path(str(case.path)) in paths
        assert listed == (case.outcome == "shown"), case.name
    assert len(stories) == sum(c.outcome in ("shown", "duplicate") for c in corpus.values())
    plain = run_cli("list", "--no-cache", str(folder))
    assert plain.returncode == 0 and plain.stderr == b""
    assert bad_chars(plain.stdout.decode("utf-8"), newlines=True) == []
