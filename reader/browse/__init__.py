"""What the user is looking at, without Textual: the browsing model.

`BrowseModel` holds the index, the topic, the order, the search, the listed
stories and their cursor, the story shown and its history; its methods are
the user's intents and return a `Change` (what to redraw, what to say, what
to run). Widgets draw the frozen views of `view`; `reader.screens.main`
wires the two together.
"""
