"""Writing small story files for model tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def write_story(folder: Path, name: str, **meta: Any) -> Path:
    """Write `name` under `folder` with `meta` as YAML front matter."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n")
    return path
