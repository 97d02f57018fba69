from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model import text as text_module
from reader.model.text import ASCII_FORMS, MAX_TITLE, clean_block, clean_line, fold, show_path


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


def test_fold_reads_letters_without_accents_as_plain_ascii() -> None:
    # Ø has no accent to remove: only ASCII_FORMS makes it an o.
    assert fold("Ødegaard") == fold("ødegaard") == fold("odegaard") == "odegaard"
    assert fold("Łódź") == "lodz"
    assert fold("don’t — “yes”") == 'don\'t - "yes"'


@given(st.text(max_size=30))
def test_fold_is_casefold_without_accents_then_ascii_forms(text: str) -> None:
    # A plain reference: decompose, drop every combining mark, map ASCII_FORMS.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert fold(text) == plain.translate({ord(k): v for k, v in ASCII_FORMS.items()})


def test_show_path_escapes_controls_and_bad_bytes() -> None:
    assert show_path("/a/\x1b[31m.md") == "/a/\\x1b[31m.md"
    assert show_path("/a/\u202e.md") == "/a/\\u202e.md"
    assert show_path("/a/b\udcff.md") == "/a/b\\xff.md"
    assert show_path("/plain/Café.md") == "/plain/Café.md"


def _clean_line_slowly(value: str, limit: int) -> str:
    """`clean_line` without its shortcut for text that is already clean."""
    text = text_module._drop_surrogates(value[: limit * 4]).translate(text_module._TABLE)
    return text_module._cut(" ".join(text.split()), limit)


@settings(max_examples=500)
@given(
    st.text(
        st.sampled_from(["a", "é", " ", "\t", "\n", "\x1b", "\u202e", "\u00a0", "\ud800"]),
        max_size=30,
    )
    | st.text(max_size=30),
    st.integers(1, 40),
)
def test_the_shortcut_for_clean_text_changes_nothing(value: str, limit: int) -> None:
    assert clean_line(value, limit) == _clean_line_slowly(value, limit)
