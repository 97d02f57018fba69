"""The browsing model: saved searches, folders, mutes, hiding read stories, openers."""

from __future__ import annotations

from reader.browse import views
from reader.browse.change import AskSearchName, OpenLink
from reader.browse.marks import MemoryMarks
from reader.browse.model import BrowseModel
from reader.browse.searches import SavedSearches
from reader.browse.state import FOLDER, MUTED, SEARCH
from reader.model.article import Article
from reader.model.config import SavedSearch
from reader.model.index import ALL

from .helpers import art, loaded


class Settings:
    """A state store's settings, in memory."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    def set_setting(self, key: str, value: str) -> None:
        self.values[key] = value


def make(
    *articles: Article, roots: tuple[str, ...] = ("/f",), muted: tuple[Article, ...] = (), **kw
) -> BrowseModel:
    model = BrowseModel(roots, MemoryMarks(), **kw)
    model.apply_index(loaded(articles, muted=muted))
    model.resized(10)
    return model


def entry(model: BrowseModel, key: str) -> tuple[str, int, int]:
    """An entry's name and counts, once the stories are folded (as the loader does)."""
    model.loaded.searcher.prepare(model.index.articles(ALL, model.order))
    found = next(e for e in views.sidebar_view(model).entries if e.key == key)
    assert found.counted
    return found.name, found.unread, found.total


def listed(model: BrowseModel) -> list[str]:
    return [a.title for a in model.listing.stories]


def hot(n: int, **fields: object) -> Article:
    return art(n, heat=100 - n, **fields)  # type: ignore[arg-type]


STORIES = (
    hot(1, topics=("Election",)),
    hot(2, topics=("Election",), provider="BBC"),
    hot(3, topics=("Sport",)),
)


def test_a_configured_search_is_a_sidebar_entry_whose_counts_follow_marks() -> None:
    searches = SavedSearches([SavedSearch("Votes", "topic:election")])
    model = make(*STORIES, searches=searches)
    assert entry(model, SEARCH + "Votes") == ("⌕ Votes", 2, 2)
    model.choose_topic(SEARCH + "Votes")
    assert listed(model) == ["Story 1", "Story 2"]
    model.marks.set_read(STORIES[0].mark_key)
    assert entry(model, SEARCH + "Votes")[1:] == (1, 2)
    # A newer index: the entry lists what the search finds in it.
    model.apply_index(loaded([*STORIES, hot(0, topics=("Election",))]))
    assert listed(model) == ["Story 0", "Story 1", "Story 2"]
    assert entry(model, SEARCH + "Votes")[1:] == (2, 3)


def test_a_search_with_is_flags_follows_the_marks_too() -> None:
    model = make(*STORIES, searches=SavedSearches([SavedSearch("Unread", "is:unread")]))
    assert entry(model, SEARCH + "Unread")[2] == 3
    model.marks.set_read(STORIES[0].mark_key)
    assert entry(model, SEARCH + "Unread")[2] == 2


def test_saving_the_typed_search_asks_a_name_then_lists_it_and_keeps_it() -> None:
    settings = Settings()
    model = make(*STORIES, searches=SavedSearches(store=settings))
    assert "Type a search first" in model.save_search().notices[0].text
    model.set_query("provider:bbc")
    asked = model.save_search().effects
    assert asked == [AskSearchName("provider:bbc", "provider:bbc")]
    model.keep_search("Beeb", "provider:bbc")
    assert model.topic == SEARCH + "Beeb" and model.query_text == ""
    assert listed(model) == ["Story 2"]
    # Kept in the store: another session finds it.
    again = SavedSearches(store=settings)
    assert again.load() is None and again.all() == [SavedSearch("Beeb", "provider:bbc")]


def test_a_name_must_be_new_and_a_query_given() -> None:
    searches = SavedSearches([SavedSearch("Votes", "topic:election")], Settings())
    model = make(*STORIES, searches=searches)
    assert "already" in model.keep_search("Votes", "x").notices[0].text
    assert "needs a name" in model.keep_search(" ", "x").notices[0].text
    assert "needs a query" in model.keep_search("New", " ").notices[0].text
    assert [s.name for s in searches.all()] == ["Votes"]


def test_searches_saved_in_the_app_are_edited_and_removed_the_configs_are_not() -> None:
    searches = SavedSearches([SavedSearch("Votes", "topic:election")], Settings())
    model = make(*STORIES, searches=searches)
    model.keep_search("Sport", "topic:sport")
    assert model.edit_search("Sport").effects == [AskSearchName("Sport", "topic:sport", "Sport")]
    model.keep_search("Games", "topic:sport", editing="Sport")
    assert [s.name for s in searches.all()] == ["Votes", "Games"]
    assert model.topic == SEARCH + "Games" and listed(model) == ["Story 3"]
    assert "config file" in model.edit_search("Votes").notices[0].text
    assert "config file" in model.remove_search("Votes").notices[0].text
    model.remove_search("Games")
    assert [s.name for s in searches.all()] == ["Votes"] and model.topic == ""


def test_unreadable_stored_searches_are_said_not_fatal() -> None:
    settings = Settings()
    settings.values["saved_searches"] = "[{not json"
    model = make(*STORIES, searches=SavedSearches(store=settings))
    change = model.searches_loaded()
    assert "could not be read" in change.notices[0].text


def test_several_folders_each_have_an_entry_named_by_what_tells_them_apart() -> None:
    a = Article(path="/news/a/world/1.md", title="One", web_url="https://e.x/1", heat=5)
    b = Article(path="/news/b/world/2.md", title="Two", web_url="https://e.x/2", heat=4)
    c = Article(path="/news/c/3.md", title="Three", web_url="https://e.x/3", heat=3)
    roots = ("/news/a/world", "/news/b/world", "/news/c")
    model = make(a, b, c, roots=roots)
    assert entry(model, FOLDER + "/news/a/world") == ("▤ a/world", 1, 1)
    assert entry(model, FOLDER + "/news/c") == ("▤ c", 1, 1)
    model.choose_topic(FOLDER + "/news/b/world")
    assert listed(model) == ["Two"]
    # One folder: no entry for it.
    single = make(a, roots=("/news/a/world",))
    assert not any(e.key.startswith(FOLDER) for e in views.sidebar_view(single).entries)


def test_muted_stories_are_counted_and_shown_by_m_until_m_again() -> None:
    muted = (hot(9, provider="Fox"),)
    model = make(*STORIES, muted=muted)
    assert len(model.index) == 3
    assert entry(model, MUTED) == ("⊘ Muted", 1, 1)
    assert views.status_view(model).muted == 1
    model.choose_topic("sport")
    model.toggle_muted()
    assert model.topic == MUTED and listed(model) == ["Story 9"]
    model.toggle_muted()
    assert model.topic == "sport"
    nothing = make(*STORIES)
    assert "Nothing is muted" in nothing.toggle_muted().notices[0].text
    assert not any(e.key == MUTED for e in views.sidebar_view(nothing).entries)


def test_hiding_read_stories_keeps_the_one_chosen_until_the_list_changes() -> None:
    model = make(*STORIES, hide_read=True)
    model.marks.set_read(STORIES[1].mark_key)
    model.move(0)
    model.toggle_read()  # Story 1 is read now, and chosen: it stays
    model.set_order("newest")
    assert listed(model) == ["Story 1", "Story 3"]
    model.move(1)
    model.set_order("heat")
    assert listed(model) == ["Story 3"]
    model.toggle_hide_read()
    assert listed(model) == ["Story 1", "Story 2", "Story 3"]
    assert not views.status_view(model).hide_read


def test_o_uses_the_configs_program_for_the_storys_type() -> None:
    video = hot(5, type="video")
    model = make(video, hot(6), openers={"video": ("mpv", "{url}")})
    model.move(0)
    change = model.open_current()
    mpv = ("mpv", "{url}")
    assert change.effects == [OpenLink(video.web_url, video.mark_key, video.title, mpv)]
    assert "Opening with mpv" in change.notices[0].text
    model.move(1)
    opened = model.open_current().effects[0]
    assert isinstance(opened, OpenLink) and opened.argv is None


def test_an_unsafe_link_is_refused_before_any_program_is_chosen() -> None:
    sneaky = hot(7, type="video", url="javascript:alert(1)")
    model = make(sneaky, openers={"video": ("mpv", "{url}")})
    model.move(0)
    change = model.open_current()
    assert change.effects == [] and change.notices[0].text.startswith("Not opened")


def test_a_saved_search_is_counted_once_the_stories_are_folded() -> None:
    model = make(*STORIES, searches=SavedSearches([SavedSearch("Votes", "topic:election")]))
    waiting = next(e for e in views.sidebar_view(model).entries if e.key == SEARCH + "Votes")
    assert not waiting.counted
    assert model.search_ready().dirty  # the loader says so: the sidebar is drawn again
    assert entry(model, SEARCH + "Votes")[1:] == (2, 2)
