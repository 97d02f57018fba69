"""The command line with a config: folders, sort, mutes, export, marks, `config` and `keys`."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from reader.cli import main
from reader.model.config import DEFAULT_TEXT, Config
from reader.model.state import StateStore
from tests.app.stories import story, write_story


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def news(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    write_story(a, "one.md", **story("One", 30, topics=["X"], url="https://a.x/1"))
    write_story(a, "two.md", **story("Two", 20, topics=["X"], url="https://a.x/2", provider="Fox"))
    write_story(b, "one.md", **story("Three", 10, topics=["Y"], url="https://b.x/3"))
    return a, b


def config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return str(path)


def titles(out: str) -> list[str]:
    return [re.split(r"\s{2,}", line.strip())[-1] for line in out.splitlines()]


def test_several_folders_are_listed_together(capsys, news) -> None:
    code, out, _ = run(capsys, "list", str(news[0]), str(news[1]))
    assert code == 0 and titles(out) == ["One", "Two", "Three"]


def test_the_configs_folders_and_sort_apply_when_none_are_given(capsys, news, tmp_path) -> None:
    cfg = config(tmp_path, f'folders = ["{news[1]}", "{tmp_path}/gone"]\nsort = "oldest"\n')
    code, out, err = run(capsys, "list", "--config", cfg)
    assert code == 0 and titles(out) == ["Three"]
    assert "gone" in err and "skipped" in err
    both = config(tmp_path, f'folders = ["{news[0]}", "{news[1]}"]\nsort = "quality"\n')
    assert titles(run(capsys, "list", "--config", both, "--sort", "heat")[1])[0] == "One"


def test_mutes_hide_stories_unless_all(capsys, news, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("READER_CONFIG", config(tmp_path, '[mute]\nqueries = ["provider:fox"]\n'))
    assert titles(run(capsys, "list", str(news[0]))[1]) == ["One"]
    assert titles(run(capsys, "list", str(news[0]), "--all")[1]) == ["One", "Two"]
    _, out, _ = run(capsys, "export", str(news[0]), "--format", "json")
    assert [s["title"] for s in json.loads(out)] == ["One"]


def test_a_config_syntax_error_is_one_line_and_status_2(capsys, news, tmp_path) -> None:
    cfg = config(tmp_path, 'sort = "heat"\nfolders = [\n')
    code, out, err = run(capsys, "list", str(news[0]), "--config", cfg)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"{cfg}:" in err


def test_a_named_config_that_is_missing_is_an_error(capsys, news, tmp_path) -> None:
    code, _, err = run(capsys, "list", str(news[0]), "--config", str(tmp_path / "nope.toml"))
    assert code == 2 and "no such config file" in err


def test_warnings_name_the_setting_and_the_rest_applies(capsys, news, tmp_path) -> None:
    cfg = config(tmp_path, 'sort = "oldest"\ncolour = "red"\n')
    code, out, err = run(capsys, "list", str(news[0]), "--config", cfg)
    assert code == 0 and "unknown setting 'colour'" in err
    assert titles(out) == ["One", "Two"]  # same date: then by heat


def test_reader_config_prints_the_path_and_a_commented_default(capsys, tmp_path) -> None:
    cfg = tmp_path / "c.toml"
    code, out, _ = run(capsys, "config", "--config", str(cfg))
    assert code == 0 and out.splitlines()[0] == f"# {cfg} (not there yet: the defaults apply)"
    assert out.endswith(DEFAULT_TEXT)
    cfg.write_text("theme = [\n")
    code, out, err = run(capsys, "config", "--config", str(cfg))
    assert code == 2 and f"{cfg}:" in err and out.splitlines()[0] == f"# {cfg}"


def test_reader_keys_lists_ids_with_the_keys_in_force(capsys, tmp_path) -> None:
    cfg = config(tmp_path, '[keys]\nopen = "O,enter"\nopne = "x"\n')
    code, out, err = run(capsys, "keys", "--config", cfg)
    assert code == 0
    line = next(line for line in out.splitlines() if line.split()[0] == "open")
    assert "O / enter" in line and "(config)" in line
    save = next(line for line in out.splitlines() if line.split()[0] == "save")
    assert " b " in save and "(config)" not in save
    assert "no binding 'opne' (did you mean 'open'?)" in err


def test_export_csv_and_markdown(capsys, news, tmp_path) -> None:
    code, out, _ = run(capsys, "export", str(news[0]), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["title"] for r in rows] == ["One", "Two"]
    code, out, _ = run(capsys, "export", str(news[0]), "--query", "two")
    assert out == (news[0] / "two.md").read_text()
    target = tmp_path / "out.md"
    code, out, _ = run(capsys, "export", str(news[0]), "-o", str(target))
    assert code == 0 and out == "" and target.read_text().count("title:") == 2


def test_export_one_file_each_into_a_folder(capsys, news, tmp_path) -> None:
    folder = tmp_path / "each"
    code, _, err = run(capsys, "export", str(news[0]), str(news[1]), "-o", f"{folder}/")
    assert code == 0 and "wrote 3 files" in err
    assert sorted(p.name for p in folder.iterdir()) == ["one-2.md", "one.md", "two.md"]


def test_export_of_saved_stories(capsys, news) -> None:
    with StateStore.open() as state:
        state.wait_ready(10)
        state.set_saved("https://a.x/2")
        state.close()
    _, out, _ = run(capsys, "export", str(news[0]), "--saved", "--format", "json")
    assert [s["title"] for s in json.loads(out)] == ["Two"]


def test_marks_travel_as_plain_json_and_merge(capsys, tmp_path, monkeypatch) -> None:
    with StateStore.open() as state:
        state.wait_ready(10)
        state.set_read_many(["https://a.x/1", "https://a.x/2"])
        state.set_saved("https://a.x/2")
        state.close()
    exported = tmp_path / "marks.json"
    code, out, _ = run(capsys, "marks", "export", str(exported))
    assert code == 0 and "2 read and 1 saved" in out
    data = json.loads(exported.read_text())
    assert data["read"] == ["https://a.x/1", "https://a.x/2"] and data["saved"] == ["https://a.x/2"]
    # Another machine: its own marks are kept, the file's are added.
    monkeypatch.setenv("READER_STATE_DIR", str(tmp_path / "other"))
    with StateStore.open() as state:
        state.wait_ready(10)
        state.set_read("https://z.x/9")
        state.close()
    code, out, _ = run(capsys, "marks", "import", str(exported))
    assert code == 0 and "added 2 read and 1 saved" in out
    with StateStore.open() as state:
        state.wait_ready(10)
        assert state.read_links() == {"https://a.x/1", "https://a.x/2", "https://z.x/9"}
        state.close()
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, _, err = run(capsys, "marks", "import", str(bad))
    assert code == 2 and err.count("\n") == 1


def test_the_app_starts_with_the_defaults_and_says_why(capsys, news, tmp_path, monkeypatch) -> None:
    import reader.app

    started: dict[str, object] = {}

    class FakeApp:
        exit_note = None

        def __init__(self, roots, *, use_cache, config, config_notes) -> None:
            started.update(roots=roots, config=config, notes=list(config_notes))

        def run(self) -> None:
            started["ran"] = True

    monkeypatch.setattr(reader.app, "ReaderApp", FakeApp)
    cfg = config(tmp_path, 'sort = "newest"\ntheme = [\n')
    assert main(["--config", cfg, str(news[0]), str(news[1])]) == 0
    assert started["ran"] and started["roots"] == [str(news[0]), str(news[1])]
    assert started["config"] == Config()  # nothing of the broken file applies
    notes = started["notes"]
    assert isinstance(notes, list) and len(notes) == 1
    assert notes[0].startswith(f"{cfg}:2:") and notes[0].endswith("the defaults apply")


def test_marks_are_not_exported_from_a_state_file_not_read_in_time(
    capsys, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(StateStore, "ready", property(lambda self: False))
    exported = tmp_path / "marks.json"
    code, _, err = run(capsys, "marks", "export", str(exported))
    assert code == 2 and "nothing is exported" in err
    assert not exported.exists()  # a good file elsewhere is never overwritten with too few
