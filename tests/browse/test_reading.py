"""The full text in the detail pane: `f`, its progress, Escape, the links of the text."""

from __future__ import annotations

from reader.browse.change import CancelFetch, CopyLink, FetchText, OpenLink
from reader.browse.views import detail_view
from reader.model.extract import Block, FullText

from .helpers import Session, art


def page(url: str = "https://n.example/1", links: tuple[str, ...] = ()) -> FullText:
    blocks = (Block("heading", "The summit", 2), Block("paragraph", "Leaders met [1] today."))
    return FullText(url, "The summit", blocks, links, fetched_at=1_700_000_000.0)


def session() -> Session:
    return Session(art(1, 50), art(2, 40))


def test_f_fetches_then_shows_the_text_and_f_again_the_excerpt() -> None:
    s = session()
    change = s.do(s.model.toggle_full_text())
    assert change.effects == [FetchText(s.model.detail.article, "https://n.example/1")]  # type: ignore[arg-type]
    assert "Fetching the article" in detail_view(s.model).full_note
    article = s.model.detail.article
    assert article is not None
    s.do(s.model.fetch_progress(article, 20480))
    assert "20 KB" in detail_view(s.model).full_note
    s.do(s.model.text_fetched(article, page()))
    view = detail_view(s.model)
    assert view.full_text is not None and view.full_note == ""
    assert "the summit" in s.model.full_texts[article.mark_key]  # `text:` can find it now
    s.do(s.model.toggle_full_text())  # back to the excerpt, nothing fetched again
    assert detail_view(s.model).full_text is None
    change = s.do(s.model.toggle_full_text())
    assert change.effects == [] and detail_view(s.model).full_text is not None


def test_a_failure_is_said_and_f_tries_again() -> None:
    s = session()
    s.do(s.model.toggle_full_text())
    article = s.model.detail.article
    assert article is not None
    change = s.do(s.model.text_fetched(article, "timed out after 15 s"))
    assert detail_view(s.model).full_note == "No full text: timed out after 15 s."
    assert any("timed out" in n.text for n in change.notices)
    assert s.do(s.model.toggle_full_text()).effects  # fetched again


def test_escape_cancels_and_a_late_answer_is_ignored() -> None:
    s = session()
    s.do(s.model.toggle_full_text())
    article = s.model.detail.article
    assert article is not None
    change = s.do(s.model.cancel_fetch())
    assert change.effects == [CancelFetch()]
    assert "Cancelled" in detail_view(s.model).full_note
    s.do(s.model.text_fetched(article, page()))
    assert detail_view(s.model).full_text is None  # it is kept in the cache for next time


def test_moving_on_forgets_the_text_and_an_answer_for_another_story() -> None:
    s = session()
    s.do(s.model.toggle_full_text())
    first = s.model.detail.article
    assert first is not None
    s.do(s.model.move(1))
    assert s.model.detail.fetching == "" and detail_view(s.model).full_note == ""
    s.do(s.model.text_fetched(first, page()))
    assert detail_view(s.model).full_text is None


def test_the_links_of_the_text_are_the_related_rows_o_and_y_take() -> None:
    s = Session(art(1, 50), art(2, 40))
    article = s.model.detail.article
    assert article is not None
    s.do(s.model.toggle_full_text())
    links = ("https://other.example/report", "https://n.example/2")
    s.do(s.model.text_fetched(article, page(links=links)))
    rows = detail_view(s.model).related
    assert [r.related.url for r in rows] == list(links)
    assert [r.in_corpus for r in rows] == [False, True]
    assert rows[0].related.title == "[1] other.example/report"
    change = s.do(s.model.copy_related_row())
    assert change.effects == [CopyLink(links[0], rows[0].related.title)]
    change = s.do(s.model.open_related_row())
    assert isinstance(change.effects[0], OpenLink) and change.effects[0].url == links[0]
    s.do(s.model.follow_related(1))  # [2] is a story of the folder: shown here
    assert s.model.detail.article is not None and s.model.detail.article.path == "/f/2.md"


def test_a_story_without_a_safe_link_has_no_full_text() -> None:
    s = Session(art(1, 50, url="javascript:alert(1)"))
    change = s.do(s.model.toggle_full_text())
    assert change.effects == [] and "No full text" in change.notices[0].text
