"""The model: stories, parsing, the index. Never imports textual or rich."""
