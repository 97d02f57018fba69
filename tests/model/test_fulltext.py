"""The path of a full text: the cache first, then the network, then kept."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from reader.model.fetch import Fetched, FetchError
from reader.model.fulltext import NO_TEXT, read_full_text
from reader.model.textcache import TextCache

PAGE = (
    b"<html><body><article><h1>Talks end</h1><p>The talks ended on Tuesday with an"
    b" agreement that both sides said they could live with for now.</p><p>Officials will"
    b" meet again next month to work out what the agreement means in practice.</p>"
    b"</article></body></html>"
)


def served(body: bytes) -> Any:
    calls: list[str] = []

    def fetch_page(url: str, **options: object) -> Fetched:
        calls.append(url)
        return Fetched(url, "text/html", "utf-8", body, 0.01)

    fetch_page.calls = calls  # type: ignore[attr-defined]
    return fetch_page


def test_fetched_once_then_from_the_cache(tmp_path: Path) -> None:
    cache, get = TextCache(tmp_path), served(PAGE)
    first = read_full_text("https://n.example/a", cache, fetch_page=get)
    assert not isinstance(first.text, str) and not first.cached and first.unkept == ""
    again = read_full_text("https://n.example/a", cache, fetch_page=get)
    assert again.cached and again.text == first.text
    assert get.calls == ["https://n.example/a"]


def test_a_page_without_an_article_and_a_failed_fetch_are_said(tmp_path: Path) -> None:
    cache = TextCache(tmp_path)
    assert (
        read_full_text("https://n.example/b", cache, fetch_page=served(b"<p>hi</p>")).text
        == NO_TEXT
    )

    def failing(url: str, **options: object) -> Fetched:
        raise FetchError("timed out after 15 s")

    assert read_full_text("https://n.example/c", cache, fetch_page=failing).text == (
        "timed out after 15 s"
    )
    assert not cache.has("https://n.example/c")


def test_a_broken_install_is_said_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails: ImportError
    read = read_full_text("https://n.example/d", TextCache(tmp_path), fetch_page=served(PAGE))
    assert isinstance(read.text, str) and read.text.startswith("the article extractor cannot")
