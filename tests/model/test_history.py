"""Back and forward through the stories shown."""

from __future__ import annotations

from reader.model.history import History


def test_back_and_forward_return_the_places_as_they_were_left() -> None:
    history: History[str] = History()
    assert history.back("a") is None and history.forward("a") is None
    history.leave("a")  # a -> b
    history.leave("b")  # b -> c
    assert history.back("c") == "b"
    assert history.back("b") == "a"
    assert history.back("a") is None
    assert history.forward("a") == "b"
    assert history.forward("b") == "c"
    assert history.forward("c") is None


def test_a_new_place_drops_the_way_forward() -> None:
    history: History[str] = History()
    history.leave("a")
    assert history.back("b") == "a"
    history.leave("a")  # from a to somewhere new
    assert history.forward("d") is None
    assert history.back("d") == "a"


def test_clear_forgets_everything() -> None:
    history: History[int] = History()
    history.leave(1)
    history.leave(2)
    history.clear()
    assert history.back(3) is None and history.forward(3) is None


def test_previous_is_where_back_would_go() -> None:
    history: History[str] = History()
    assert history.previous is None
    history.leave("a")
    history.leave("b")
    assert history.previous == "b"
    assert history.back("c") == "b"
    assert history.previous == "a"
