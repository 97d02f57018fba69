"""reader: a fast, full-screen terminal reader for folders of news stories."""

__version__ = "0.1.0"
