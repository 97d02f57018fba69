"""`reader fetch`: many stories' full texts kept, politely, and a second run resumes."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from reader import fetchcmd
from reader.cli import main
from reader.model.textcache import TextCache
from tests.local_http import Handler, serving
from tests.model.helpers import write_story

PAGE = (
    "<html><body><article><h1>Story {n}</h1><p>The first paragraph of story {n} says what"
    " happened and why it matters to the people it touches.</p><p>A second paragraph of"
    " story {n} adds what officials said about it late on Tuesday.</p></article></body></html>"
)


class Site(Handler):
    """/story/N: an article; /gone: 404. Records when each request came."""

    times: ClassVar[list[tuple[str, float]]] = []
    lock = threading.Lock()

    def do_GET(self) -> None:
        with Site.lock:
            Site.times.append((self.path, time.monotonic()))
        if self.path.startswith("/story/"):
            body = PAGE.format(n=self.path.rsplit("/", 1)[1]).encode()
            self.answer(200, "text/html; charset=utf-8", body)
        else:
            self.answer(404, "text/plain", b"gone")


@pytest.fixture
def site() -> Iterator[str]:
    Site.times = []
    with serving(Site) as url:
        yield url


def test_fetch_keeps_each_text_once_and_resumes(
    tmp_path: Path, site: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetchcmd, "HOST_PAUSE", 0.2)
    for n in range(3):
        write_story(tmp_path, f"s{n}.md", title=f"Story {n}", webUrl=f"{site}/story/{n}", heat=n)
    write_story(tmp_path, "gone.md", title="Gone", webUrl=f"{site}/gone", heat=9)
    code = main(["fetch", str(tmp_path), "--jobs", "4"])
    out, err = capsys.readouterr()
    assert code == 1  # one story could not be fetched
    assert out == "fetched 3, 0 kept before, 1 failed (said above)\n"
    assert "not fetched: Gone: the server answered 404" in err
    assert all(TextCache().has(f"{site}/story/{n}") for n in range(3))
    # One site: one request at a time, the pause between them.
    starts = sorted(at for _, at in Site.times)
    assert all(b - a >= 0.15 for a, b in itertools.pairwise(starts))
    # A second run fetches only what is missing.
    Site.times = []
    code = main(["fetch", str(tmp_path), "--query", "story"])
    out, _ = capsys.readouterr()
    assert (code, out) == (0, "fetched 0, 3 kept before\n")
    assert Site.times == []


def test_fetch_refuses_bad_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", str(tmp_path), "--jobs", "0"]) == 2
    assert "--jobs must be 1 to 16" in capsys.readouterr().err
