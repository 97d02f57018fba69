"""One folding for everything the user types: `/` search and the palette agree."""

from __future__ import annotations

import pytest

from reader.model.article import Article
from reader.model.index import Index
from reader.model.search import Searcher
from reader.model.text import fold

TITLES = [
    "Ødegaard scores twice",
    "López wins in Zürich",
    "Arsenal’s captain doesn’t miss",
    "Łódź votes",
    "Straße closed",
    "Nothing to see",
]
STORIES = [Article(f"/s/{n}.md", t, web_url=f"https://x.example/{n}") for n, t in enumerate(TITLES)]


@pytest.mark.parametrize(
    "typed",
    ["odegaard", "Ødegaard", "ØDEGAARD", "lopez", "zurich", "doesn't", "lodz", "strasse", "s"],
)
def test_a_title_found_by_search_is_found_by_the_palette(typed: str) -> None:
    searched = Searcher().filter(typed, STORIES)
    assert searched  # each typed form finds something, so the comparison means something
    # The palette's path: the index's titles, matched against the folded typed text.
    assert set(Index(STORIES).titled(fold(typed))) == set(searched)
