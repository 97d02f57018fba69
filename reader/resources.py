"""Where the bundled stylesheet and sample stories are, installed or not."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    # An installed wheel carries the folder inside the package; a source
    # checkout (or an editable install) has it at the top of the repository.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def styles_dir() -> Path:
    """The folder of TCSS stylesheets."""
    return _resource("styles")


def sample_content() -> Path:
    """The bundled folder of sample stories."""
    return _resource("sample_content")
