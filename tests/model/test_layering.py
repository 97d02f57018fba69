"""The model and the command line never import textual or rich."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MODEL = sorted(p.stem for p in (REPO / "reader" / "model").glob("*.py") if p.stem != "__init__")


def test_model_and_cli_do_not_import_textual_or_rich() -> None:
    assert {"loader", "index", "parse", "normalize", "text", "links"} <= set(MODEL)
    imports = ", ".join([*(f"reader.model.{m}" for m in MODEL), "reader.cli"])
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
