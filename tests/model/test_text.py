from __future__ import annotations

from reader.model.text import MAX_TITLE, clean_block, clean_line, fold, show_path


def test_clean_line_trims_and_joins_white_space() -> None:
    assert clean_line("  Why Harris\n   heads south \t ") == "Why Harris heads south"


def test_clean_line_removes_escapes_c1_bidi_and_nul() -> None:
    assert clean_line("a\x1b[31mb\x9bc\u202ed\u2066e\x00f\x7fg") == "a[31mbcdefg"


def test_clean_line_of_non_strings_is_empty() -> None:
    assert [clean_line(v) for v in (None, 3, 2.5, True, ["a"], {"a": 1})] == [""] * 6


def test_clean_line_cuts_long_text_with_an_ellipsis() -> None:
    cut = clean_line("x" * 1000, MAX_TITLE)
    assert len(cut) == MAX_TITLE and cut.endswith("…")
    assert clean_line("y" * MAX_TITLE, MAX_TITLE) == "y" * MAX_TITLE


def test_clean_line_replaces_lone_surrogates() -> None:
    cleaned = clean_line("a\ud800b")
    cleaned.encode("utf-8")
    assert cleaned.startswith("a") and cleaned.endswith("b")


def test_clean_block_keeps_paragraphs() -> None:
    text = "First line\n  continues.\n    \n\n\nSecond \x1b[2Jpara.\n    \n"
    assert clean_block(text) == "First line continues.\n\nSecond [2Jpara."


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Élysée") == fold("ELYSEE") == "elysee"
    assert fold("Straße") == fold("STRASSE")


def test_show_path_escapes_controls_and_bad_bytes() -> None:
    assert show_path("/a/\x1b[31m.md") == "/a/\\x1b[31m.md"
    assert show_path("/a/\u202e.md") == "/a/\\u202e.md"
    assert show_path("/a/b\udcff.md") == "/a/b\\xff.md"
    assert show_path("/plain/Café.md") == "/plain/Café.md"
