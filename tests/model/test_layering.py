"""The model, the browsing model and the command line never import textual or rich.

`lint-imports` checks the same statically (pyproject.toml); this runs the imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: Imports httpx, which imports rich for its own command line when rich is installed
#: (as Textual's dependency, it is): not ours. `lint-imports` still holds it to the rule.
BY_HTTPX = {"reader.model.fetch"}
PURE = [
    f"reader.{package}.{p.stem}"
    for package in ("model", "browse")
    for p in sorted((REPO / "reader" / package).glob("*.py"))
    if p.stem != "__init__" and f"reader.{package}.{p.stem}" not in BY_HTTPX
]


def test_model_and_cli_do_not_import_textual_or_rich() -> None:
    assert {"reader.model.loader", "reader.model.index", "reader.browse.model"} <= set(PURE)
    imports = ", ".join([*PURE, "reader.cli"])
    code = (
        f"import {imports}; import sys; "
        "bad = [m for m in sys.modules if m in ('textual', 'rich') "
        "or m.startswith(('textual.', 'rich.'))]; "
        "assert not bad, bad"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
