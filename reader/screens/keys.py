"""The main screen's keys, and the commands it offers in the palette: data, not code.

A key's action names an intent of `reader.browse.model.BrowseModel`
(`intent('toggle_read')`), so what a key does is decided in one place.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from reader.model.index import ORDERS

#: Keys of the story panes; the help screen lists them from here.
STORY_KEYS: list[BindingType] = [
    Binding("escape", "back", "Back", show=False, id="back"),
    Binding("slash", "search", "Search", id="search"),
    Binding("o", "on_story('open')", "Open in browser", id="open"),
    Binding("f", "intent('toggle_full_text')", "Full text / excerpt", show=False, id="full_text"),
    Binding("i", "intent('toggle_images')", "Lead images on/off", show=False, id="images"),
    Binding("m", "intent('toggle_read')", "Read/unread", show=False, id="read"),
    Binding("n", "intent('next_unread')", "Next unread", show=False, id="next_unread"),
    Binding("A", "intent('mark_all_read')", "Mark all listed read", show=False, id="read_all"),
    Binding("b", "intent('toggle_saved')", "Save", id="save"),
    Binding("s", "intent('cycle_order')", "Sort", id="sort"),
    Binding("e", "intent('toggle_expanded')", "Open / fold a storyline", show=False, id="expand"),
    Binding("t", "intent('toggle_storylines')", "Storylines on/off", show=False, id="group"),
    Binding(
        "H", "intent('toggle_hide_read')", "Hide / show read stories", show=False, id="hide_read"
    ),
    Binding("T", "intent('toggle_trends')", "Topic trends on/off", show=False, id="trends"),
    Binding("M", "intent('toggle_muted')", "Show the muted stories / back", show=False, id="muted"),
    Binding("S", "intent('save_search')", "Save the search", show=False, id="save_search"),
    Binding("y", "on_story('copy')", "Copy link", show=False, id="copy"),
    Binding("r", "intent('rescan')", "Rescan folder", show=False, id="rescan"),
    Binding("backspace,alt+left", "intent('back')", "Previous story", show=False, id="prev"),
    Binding("alt+right", "intent('forward')", "Next story", show=False, id="next"),
    Binding("exclamation_mark", "intent('problems')", "Skipped files", show=False, id="problems"),
    Binding("I", "intent('stats')", "Statistics and trends", show=False, id="stats"),
    *(
        Binding(str(n), f"related({n - 1})", f"Related story {n}", show=False, id=f"r{n}")
        for n in range(1, 10)
    ),
]

#: Palette commands: (title, help, intent, its arguments).
PALETTE: list[tuple[str, str, str, tuple[object, ...]]] = [
    *((f"Sort by {o}", f"Rank stories by {o}", "set_order", (o,)) for o in ORDERS),
    ("Show skipped files", "Files not shown, and why", "problems", ()),
    (
        "Statistics",
        "Stories per day, top providers, rising topics, your reading (I)",
        "stats",
        (),
    ),
    (
        "Topic trends on or off",
        "Each topic's stories per day in the sidebar (T)",
        "toggle_trends",
        (),
    ),
    ("Open in browser", "Open the story shown", "open_current", ()),
    (
        "Full text",
        "Fetch the article and read it here, or show the excerpt again (f)",
        "toggle_full_text",
        (),
    ),
    ("Copy link", "Copy the link of the story shown", "copy_link", ()),
    ("Mark all listed read", "Every story listed (press A twice)", "mark_all_read", ()),
    ("Rescan the folder", "Read new and changed files now", "rescan", ()),
    (
        "Storylines on or off",
        "One row per event, or every story on its own row (t)",
        "toggle_storylines",
        (),
    ),
    (
        "Hide or show read stories",
        "Leave read stories out of the lists (H)",
        "toggle_hide_read",
        (),
    ),
    ("Show the muted stories", "What the config's mutes hide, or back (M)", "toggle_muted", ()),
    ("Save this search", "Keep the search typed as a sidebar entry (S)", "save_search", ()),
    (
        "Open or fold the storyline",
        "List the storyline's stories in time order, or fold them back (e)",
        "toggle_expanded",
        (),
    ),
]
