"""The main screen: wires the widgets to the browsing model.

Widget messages become intents of `BrowseModel`; the `Change` each returns
says which widgets to hand a fresh view (`show`), what to tell the user and
what to run (`reader.screens.running` runs it). Nothing here decides what is
shown: that is the model's job.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer

from reader.browse import views
from reader.browse.change import Change, Part, ReadStory
from reader.browse.view import ImageView
from reader.model.article import Article
from reader.model.index import Index
from reader.widgets.article_list import ArticleList, list_title
from reader.widgets.detail import DetailPane
from reader.widgets.line_list import LineList
from reader.widgets.one_line import OneLine
from reader.widgets.search_bar import SearchBar
from reader.widgets.status_bar import StatusBar
from reader.widgets.topic_list import TopicList

from .keys import PALETTE, STORY_KEYS
from .messages import ImageRead
from .running import ModelScreen


class MainScreen(ModelScreen):
    """Browse topics and stories; the detail pane follows the list."""

    BINDINGS: ClassVar[list[BindingType]] = STORY_KEYS

    # -- the widgets ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="panes"):
            with Vertical(id="topics-pane", classes="pane"):
                yield OneLine("Topics", classes="pane-title")
                yield TopicList(id="topics")
            with Horizontal(id="content"):
                with Vertical(id="list-pane", classes="pane"):
                    yield OneLine(id="list-title", classes="pane-title")
                    yield SearchBar(id="search")
                    yield ArticleList(id="articles")
                with Vertical(id="detail-pane", classes="pane"):
                    yield OneLine("Story", classes="pane-title")
                    yield DetailPane(id="detail")
        yield Footer()

    @cached_property
    def topics(self) -> TopicList:
        return self.query_one(TopicList)

    @cached_property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @cached_property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @cached_property
    def list_title(self) -> OneLine:
        return self.query_one("#list-title", OneLine)

    @cached_property
    def search(self) -> SearchBar:
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        # The one attribute watched rather than messaged: the box draws the letter
        # itself, so a message would land a frame after it (58 rather than 30 ms a
        # keystroke at 10,000 stories); lists draw nothing before the screen
        # answers, so their messages cost no frame. show() sets the value with
        # set_reactive, so only typing gets here.
        self._image_url = ""  # the picture shown or on its way
        self.watch(self.search.input, "value", self._search_typed, init=False)
        self.articles.focus()
        self.apply(Change(Part.ALL))
        self.start()
        self.set_interval(60, self._refresh_ages)

    # -- showing what changed ----------------------------------------------------------

    def apply(self, change: Change) -> None:
        """Fresh views for the widgets `change` marks dirty; then its notices and effects."""
        # A small story file is read before drawing, so the pane is drawn once, complete.
        for read in [e for e in change.effects if isinstance(e, ReadStory)]:
            change.merge(self._read(read.article))
        model, dirty = self.model, change.dirty
        if Part.SIDEBAR in dirty:
            sidebar = views.sidebar_view(model)
            self.query_one("#topics-pane").set_class(sidebar.trends, "-trends")
            self.topics.show(sidebar)
            self.report_state()  # marks changed: say if they could not be kept
        if Part.LIST in dirty:
            view = views.list_view(model)
            self.articles.show(view)
            self.list_title.set(list_title(view))
        if Part.DETAIL in dirty:
            detail = views.detail_view(model)
            self.detail.show(detail)
            self._show_image(detail.image)
        if Part.SEARCH in dirty:
            self.search.show(views.search_view(model))
        if Part.STATUS in dirty:
            self.query_one(StatusBar).show(views.status_view(model))
        for notice in change.notices:
            self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)
        for effect in change.effects:
            self._run(effect)

    def _show_image(self, image: ImageView | None) -> None:
        """Reserve the room of the story's picture and fetch it (`i`), or clear it."""
        lead = self.detail.lead_image
        if image is None:
            if self._image_url:
                self._image_url = ""
                self.workers.cancel_group(self, "image")
                lead.clear()
            return
        if image.url == self._image_url:
            return
        self._image_url = image.url
        lead.show_placeholder(image.width, image.height, "loading the image…")
        self.fetch_image(image.url)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the pane that holds the focus, whose title then stands out. Textual
        restyles a pane on `:focus-within`, but not the title inside it: once the
        focus moved, the first pane's title stayed lit. A class change restyles
        the pane's children too."""
        for pane in self.query(".pane"):
            pane.set_class(pane in event.widget.ancestors, "-focused")

    def on_image_read(self, message: ImageRead) -> None:
        if message.url != self._image_url:
            return  # another story's, or images were turned off meanwhile
        lead = self.detail.lead_image
        if isinstance(message.picture, str):
            lead.show_message(message.picture)
        else:
            lead.show_picture(message.picture)

    def _refresh_ages(self) -> None:
        """Ages ("3h") are drawn from the time a list was shown: move them on."""
        self.articles.tick()
        self.detail.related_list.tick()

    # -- the widgets' messages ---------------------------------------------------------

    # Moves are resolved against the model's own cursor (see LineList.Moved).

    @on(LineList.Moved, "#topics")
    def _topic_moved(self, event: LineList.Moved) -> None:
        entries = self.topics.entries
        keys = [e.key for e in entries]
        if entries:
            here = keys.index(self.model.topic) if self.model.topic in keys else 0
            self.apply(self.model.choose_topic(keys[event.row(here, len(keys))]))

    @on(LineList.Activated, "#topics")
    def _topic_activated(self, event: LineList.Activated) -> None:
        self.articles.focus()

    @on(LineList.Moved, "#articles")
    def _article_moved(self, event: LineList.Moved) -> None:
        listing = self.model.listing
        self.apply(self.model.move(event.row(listing.cursor, len(listing.stories))))

    @on(LineList.Scrolled, "#articles")
    def _articles_scrolled(self, event: LineList.Scrolled) -> None:
        self.apply(self.model.scrolled(event.index))

    @on(LineList.Resized, "#articles")
    def _articles_resized(self, event: LineList.Resized) -> None:
        self.apply(self.model.resized(event.index))

    @on(LineList.Activated, "#articles")
    def _article_activated(self, event: LineList.Activated) -> None:
        self.apply(self.model.open_listed())
        related = self.detail.related_list
        (related if related.count else self.detail.story_view).focus()

    @on(LineList.Moved, "#related")
    def _related_moved(self, event: LineList.Moved) -> None:
        place, rows = self.model.detail.place, self.detail.related_list.count
        if place is not None and rows:
            self.apply(self.model.related_moved(event.row(place.related_row, rows)))

    @on(LineList.Activated, "#related")
    def _related_activated(self, event: LineList.Activated) -> None:
        place = self.model.detail.place
        self.action_related(place.related_row if place else event.index)

    @on(OneLine.Clicked, "#list-title")
    def _list_title_clicked(self, event: OneLine.Clicked) -> None:
        if self.model.listing.new_above:
            self.apply(self.model.go_to_new())
            self.articles.focus()

    def _search_typed(self, text: str) -> None:
        self.apply(self.model.set_query(text))

    @on(SearchBar.Done)
    def _search_done(self, event: SearchBar.Done) -> None:
        self.articles.focus()

    @on(SearchBar.Cleared)
    def _search_cleared(self, event: SearchBar.Cleared) -> None:
        self.apply(self.model.clear_search())
        self.articles.focus()

    # -- keys ----------------------------------------------------------------------------

    def action_intent(self, name: str) -> None:
        """Run the model's intent `name` (a binding's action) and show what changed."""
        self.apply(getattr(self.model, name)())
        if name == "next_unread":
            self.articles.focus()

    def action_on_story(self, name: str) -> None:
        """`o`, `y`: on the related list, its selected row; elsewhere the story shown."""
        if self.detail.related_list.has_focus:
            self.apply(getattr(self.model, f"{name}_related_row")())
        else:
            self.apply(getattr(self.model, f"{name}_current" if name == "open" else "copy_link")())

    def action_related(self, number: int) -> None:
        """Show related story `number` (from 0) here, or open it in the browser."""
        self.apply(self.model.follow_related(number))

    def action_search(self) -> None:
        self.apply(self.model.open_search())
        self.search.input.focus()

    def action_back(self) -> None:
        """Escape: stop fetching a full text; else from the story to the list, then out of
        the search, then to the topics."""
        if self.model.detail.fetching:
            self.apply(self.model.cancel_fetch())
            return
        focused = self.focused
        if focused is self.articles:
            if self.model.query_text or self.model.search_open:
                self.apply(self.model.clear_search())
            else:
                self.topics.focus()
        else:
            self.articles.focus()

    # -- the command palette (see reader.commands) -----------------------------------

    @property
    def index(self) -> Index:
        """The stories known so far (the palette searches them)."""
        return self.model.index

    def select_topic(self, key: str) -> None:
        """Select the sidebar entry `key` and focus the list."""
        self.apply(self.model.choose_topic(key))
        self.articles.focus()

    def go_to_story(self, article: Article) -> None:
        """Select `article` among all stories and focus the list."""
        self.apply(self.model.go_to_story(article))
        self.articles.focus()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """Commands this screen offers in the command palette: (title, help, callback)."""

        def run(name: str, args: tuple[object, ...]) -> Callable[[], None]:
            return lambda: self.apply(getattr(self.model, name)(*args))

        commands: list[tuple[str, str, Callable[[], object]]] = [
            (title, text, run(name, args)) for title, text, name, args in PALETTE
        ]
        for search in self.model.searches.saved:
            name = search.name
            commands += [
                (f"Edit saved search: {name}", search.query, run("edit_search", (name,))),
                (f"Remove saved search: {name}", search.query, run("remove_search", (name,))),
            ]
        return commands
