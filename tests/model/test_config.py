"""Unit tests: reading config.toml, every setting, good and bad."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from reader.model.config import (
    DEFAULT_TEXT,
    Config,
    SavedSearch,
    config_path,
    parse_config,
    read_config,
    unknown_key_ids,
)

HERE = Path("/home/u/.config/reader/config.toml")


def parsed(text: str) -> tuple[Config, tuple[str, ...]]:
    result = parse_config(text, HERE)
    assert result.error is None
    return result.config, result.warnings


def test_no_file_means_the_defaults_said_nowhere(tmp_path: Path) -> None:
    result = read_config(tmp_path / "config.toml")
    assert result.config == Config() and not result.warnings and result.error is None
    assert not result.exists


def test_a_named_file_that_is_missing_is_an_error(tmp_path: Path) -> None:
    result = read_config(tmp_path / "nope.toml", named=True)
    assert result.error is not None and "no such config file" in result.error


def test_the_option_wins_over_the_environment_which_wins_over_the_default() -> None:
    env = {"READER_CONFIG": "/etc/reader.toml"}
    assert config_path("~/mine.toml", env) == (Path(os.path.expanduser("~/mine.toml")), True)
    assert config_path(None, env) == (Path("/etc/reader.toml"), True)
    path, named = config_path(None, {})
    assert path.name == "config.toml" and not named


def test_an_error_at_the_end_is_on_the_last_line() -> None:
    result = parse_config('sort = "heat"\nfolders = [\n', HERE)
    assert result.error is not None and result.error.startswith(f"{HERE}:2: ")


def test_a_syntax_error_is_one_line_with_the_file_and_line() -> None:
    result = parse_config('sort = "heat"\ntheme = \n', HERE)
    assert result.error is not None and result.error.startswith(f"{HERE}:2: ")
    assert "\n" not in result.error
    assert result.config == Config()


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"\xff\xfe bad", "not UTF-8"), (b"x" * (1024 * 1024 + 1), "larger than")],
)
def test_a_file_that_is_not_settings_is_refused(tmp_path: Path, content: bytes, why: str) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    result = read_config(path)
    assert result.error is not None and why in result.error


def test_a_folder_in_place_of_the_file_is_said(tmp_path: Path) -> None:
    (tmp_path / "config.toml").mkdir()
    result = read_config(tmp_path / "config.toml")
    assert result.error is not None and "cannot read" in result.error


def test_the_default_file_sets_nothing_and_uncommented_works_as_written() -> None:
    assert parsed(DEFAULT_TEXT) == (Config(), ())
    uncommented = re.sub(r"^# ([a-z_]+ =|\[)", r"\1", DEFAULT_TEXT, flags=re.MULTILINE)
    config, warnings = parsed(uncommented)
    assert warnings == ()
    assert config.folders == tuple(os.path.expanduser(f) for f in ("~/news/election", "~/news/ai"))
    assert config.theme == "nord" and config.sort == "heat" and config.hide_read is False
    assert config.keys == {"open": "O,enter"}
    assert config.searches == (SavedSearch("Hot election", "topic:Election heat>800"),)
    assert config.mutes == ("provider:foxnews", "type:course")
    assert config.openers == {"video": ("mpv", "{url}")}


def test_the_readme_example_works_as_written() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    block = re.search(r"```toml\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    config, warnings = parsed(block.group(1))
    assert warnings == ()
    assert config.folders and config.searches and config.mutes and config.openers and config.keys


def test_an_unknown_setting_is_named_and_the_rest_applies() -> None:
    config, warnings = parsed('srot = "newest"\ntheme = "nord"\n')
    assert warnings == ("unknown setting 'srot' (did you mean 'sort'?): ignored",)
    assert config.theme == "nord"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('sort = "newest"', "newest"),
        ('sort = "Quality"', "quality"),
        ('sort = "date"', "newest"),
        ('sort = "hottest"', None),
        ("sort = 3", None),
    ],
)
def test_sort(text: str, expected: str | None) -> None:
    config, warnings = parsed(text)
    assert config.sort == expected
    assert bool(warnings) == (expected is None)


def test_folders_are_expanded_and_bad_entries_named() -> None:
    config, warnings = parsed('folders = ["~/a", "", 3, "/b"]')
    assert config.folders == (os.path.expanduser("~/a"), "/b")
    assert len(warnings) == 2 and all(w.startswith("folders:") for w in warnings)
    assert parsed('folders = "/only"')[0].folders == ("/only",)
    assert parsed("folders = 1")[1] == ("folders: should be a list of strings, not 1",)


def test_theme_and_hide_read_must_have_their_types() -> None:
    config, warnings = parsed('theme = 1\nhide_read = "yes"')
    assert config.theme is None and config.hide_read is False and len(warnings) == 2
    assert parsed("hide_read = true")[0].hide_read is True


def test_keys_take_comma_lists_or_arrays_and_refuse_nonsense() -> None:
    config, warnings = parsed(
        '[keys]\nopen = "O, enter"\nsave = ["B", "ctrl+b"]\nread = 5\nsort = "a b"\n'
    )
    assert config.keys == {"open": "O,enter", "save": "B,ctrl+b"}
    assert len(warnings) == 2 and any("read" in w for w in warnings)
    assert any("'a b' is not a key name" in w for w in warnings)
    assert parsed('keys = "x"')[1] == ("keys: should be a table ([keys]), not 'x'",)


def test_unknown_binding_ids_are_named_with_the_closest() -> None:
    warnings = unknown_key_ids({"opne": "O", "open": "o", "zzz": "z"}, ["open", "save"])
    assert warnings[0] == "keys: no binding 'opne' (did you mean 'open'?)"
    assert "reader keys" in warnings[1] and len(warnings) == 2


def test_saved_searches_keep_the_good_ones() -> None:
    config, warnings = parsed(
        """
[[searches]]
name = "Hot"
query = "heat>800"
[[searches]]
name = "Hot"
query = "heat>900"
[[searches]]
name = "No query"
[[searches]]
query = "nameless"
[[searches]]
name = "Odd"
query = "cat:news"
colour = "red"
"""
    )
    assert config.searches == (SavedSearch("Hot", "heat>800"), SavedSearch("Odd", "cat:news"))
    assert len(warnings) == 5
    assert any("a second search named 'Hot'" in w for w in warnings)
    assert any("unknown field 'colour'" in w for w in warnings)
    assert any("category:" in w for w in warnings)  # the near miss is named


def test_searches_must_be_tables() -> None:
    assert parsed('searches = "x"')[1] == ("searches: should be [[searches]] tables, not 'x'",)
    assert parsed("searches = [1]")[1][0].startswith("searches #1")


def test_mutes_refuse_marks_and_everything() -> None:
    config, warnings = parsed(
        '[mute]\nqueries = ["provider:fox", "is:read", "  ", "-", "type:course"]\nwhat = 1\n'
    )
    assert config.mutes == ("provider:fox", "type:course")
    assert len(warnings) == 4
    assert any("is: cannot mute" in w for w in warnings)
    assert any("unknown field 'what'" in w for w in warnings)


def test_openers_must_be_safe_programs_with_the_link_as_an_argument() -> None:
    config, warnings = parsed(
        """
[open]
Video = ["mpv", "--force-window", "{url}"]
podcast = ["sh", "-c", "mpv {url}"]
book = ["/usr/bin/env", "zathura", "{url}"]
course = ["xterm", "-e", "{url}"]
audio = ["mpv"]
text = "less"
"""
    )
    assert config.openers == {"video": ("mpv", "--force-window", "{url}")}
    assert len(warnings) == 5
    assert all(w.startswith("open: ") for w in warnings)


def test_search_names_and_queries_are_one_clean_line() -> None:
    config, warnings = parsed(
        '[[searches]]\nname = "Red\\u001b[31m\\nalert"\nquery = "heat>5\\u202e"\n'
    )
    assert warnings == ()
    assert config.searches == (SavedSearch("Red[31m alert", "heat>5"),)


def test_rising_window_history_and_trends() -> None:
    config, warnings = parsed('rising_window = "12h"\nhistory = false\ntrends = true\n')
    assert (config.rising_window, config.history, config.trends) == (12 * 3600, False, True)
    assert warnings == ()
    config, warnings = parsed('rising_window = "soon"\nhistory = "no"\n')
    assert (config.rising_window, config.history) == (24 * 3600, True)  # the defaults
    assert [w.split(":")[0] for w in warnings] == ["rising_window", "history"]
    _, warnings = parsed('[mute]\nqueries = ["rising>10"]\n')
    assert "rising cannot mute" in warnings[0]
