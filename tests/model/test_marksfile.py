"""The marks file: its exact form, strict reading, atomic writing, and merges that only add."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.browse.marks import MemoryMarks
from reader.model import marksfile
from reader.model.marksfile import (
    MarksFileError,
    dump_marks,
    merge_into,
    parse_marks,
    read_marks_file,
    write_marks_file,
)
from reader.model.state import StateStore

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

#: Keys as they really come: links, international ones, file keys (one from a name
#: that is not UTF-8: a lone surrogate), and text JSON must escape.
AWKWARD_KEYS = [
    "https://n.example/a",
    'https://zürich.example/straße?q=1&r="2"',
    "file:/stories/caf\udce9.md",
    "file:C:\\stories\\back\\slash.md",
    "line\nbreak\ttab",
    "\u202eemoji 🎉",
]


# --- the form of the file ------------------------------------------------------------


def test_dump_is_the_documented_form() -> None:
    text = dump_marks(["https://n.example/b", "https://n.example/a"], ["https://n.example/a"])
    assert text == (
        "{\n"
        ' "reader_marks": 1,\n'
        ' "read": [\n'
        '  "https://n.example/a",\n'
        '  "https://n.example/b"\n'
        " ],\n"
        ' "saved": [\n'
        '  "https://n.example/a"\n'
        " ]\n"
        "}\n"
    )


def test_dump_of_nothing() -> None:
    assert dump_marks([], []) == '{\n "reader_marks": 1,\n "read": [],\n "saved": []\n}\n'


def test_dump_is_sorted_without_repeats_or_empty_keys() -> None:
    text = dump_marks(iter(["c", "a", "b", "a", ""]), {"z", "", "y"})
    assert json.loads(text) == {"reader_marks": 1, "read": ["a", "b", "c"], "saved": ["y", "z"]}


def test_dump_does_not_depend_on_order() -> None:
    keys = [f"https://n.example/{n}" for n in range(50)]
    assert dump_marks(keys, keys[:7]) == dump_marks(reversed(keys), set(keys[:7]))


def test_dump_is_ascii_one_key_a_line() -> None:
    text = dump_marks(AWKWARD_KEYS, AWKWARD_KEYS[:2])
    assert text.isascii()
    assert text.endswith("]\n}\n")
    key_lines = [line for line in text.splitlines() if line.startswith('  "')]
    assert len(key_lines) == len(AWKWARD_KEYS) + 2  # a newline in a key stays escaped


def test_dump_refuses_a_lone_string() -> None:
    with pytest.raises(TypeError, match="read"):
        dump_marks("https://n.example/a", [])
    with pytest.raises(TypeError, match="saved"):
        dump_marks([], "https://n.example/a")


def test_round_trip_of_awkward_keys() -> None:
    read, saved = frozenset(AWKWARD_KEYS), frozenset(AWKWARD_KEYS[::2])
    assert parse_marks(dump_marks(read, saved)) == (read, saved)


@given(
    st.frozensets(st.text(min_size=1)),
    st.frozensets(st.text(min_size=1)),
)
def test_round_trip(read: frozenset[str], saved: frozenset[str]) -> None:
    text = dump_marks(read, saved)
    assert parse_marks(text) == (read, saved)
    assert dump_marks(*parse_marks(text)) == text  # stable: a second dump changes nothing


def test_parse_takes_any_layout_and_repeated_keys() -> None:
    text = '{"saved": ["s"], "read": ["b", "a", "b"], "reader_marks": 1}'
    assert parse_marks(text) == (frozenset({"a", "b"}), frozenset({"s"}))


# --- what is refused -------------------------------------------------------------


GOOD = {"reader_marks": 1, "read": ["a"], "saved": ["b"]}


def with_fields(**fields: object) -> str:
    """A marks file with some fields changed (`None`: left out)."""
    document = {**GOOD, **fields}
    return json.dumps({k: v for k, v in document.items() if v is not None})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not valid JSON: Expecting value (line 1, column 1)"),
        ("   \n\n", "not valid JSON: Expecting value (line 3, column 1)"),
        (
            '{"reader_marks": 1,\n "read": [\n}',
            "not valid JSON: Expecting value (line 3, column 1)",
        ),
        (
            '{"reader_marks": 1,\n<<<<<<< HEAD\n "read": ["a"],\n=======\n',
            "not valid JSON: Expecting property name enclosed in double quotes (line 2, column 1)",
        ),
        ('{"reader_marks": 1, "read": [], "saved": []} extra', "Extra data (line 1, column 46)"),
        ("[]", "not a marks file: it holds a list, not an object"),
        ('"marks"', "not a marks file: it holds a string, not an object"),
        ("12", "not a marks file: it holds a number, not an object"),
        ("null", "not a marks file: it holds null, not an object"),
        ("true", "not a marks file: it holds true, not an object"),
        ("{}", 'not a marks file: there is no "reader_marks" version'),
        (with_fields(reader_marks=None), 'there is no "reader_marks" version'),
        (
            with_fields(reader_marks=2),
            "made by a newer reader (marks file version 2; this one reads version 1)",
        ),
        (with_fields(reader_marks=0), "unknown marks file version: 0"),
        (with_fields(reader_marks=-1), "unknown marks file version: -1"),
        (with_fields(reader_marks="1"), 'unknown marks file version: "1"'),
        (with_fields(reader_marks=1.0), "unknown marks file version: 1.0"),
        (with_fields(reader_marks=True), "unknown marks file version: true"),
        (with_fields(reader_marks=[1]), "unknown marks file version: a list"),
        (with_fields(reader_marks={"v": 1}), "unknown marks file version: an object"),
        (with_fields(raed=["a"]), 'not a marks file: unknown field "raed"'),
        (with_fields(read=None), 'not a marks file: there is no "read" list'),
        (with_fields(saved=None), 'not a marks file: there is no "saved" list'),
        (with_fields(read="a"), '"read" is not a list of strings (it is a string)'),
        (with_fields(saved={"a": 1}), '"saved" is not a list of strings (it is an object)'),
        (with_fields(read=False), '"read" is not a list of strings (it is false)'),
        (with_fields(read=["a", 1]), '"read"[1] is not a string (it is a number)'),
        (with_fields(saved=[None]), '"saved"[0] is not a string (it is null)'),
        (with_fields(saved=["a", ["b"]]), '"saved"[1] is not a string (it is a list)'),
        (with_fields(read=["a", ""]), '"read"[1] is an empty string'),
        (with_fields(saved=[""]), '"saved"[0] is an empty string'),
        (
            '{"reader_marks": 1, "read": ["a"], "read": ["b"], "saved": []}',
            'the field "read" appears twice',
        ),
        ("[" * 100_000 + "]" * 100_000, "not a marks file: nested too deeply"),
        ('{"reader_marks": 1' + "0" * 5000 + "}", "not valid JSON: Exceeds the limit"),
    ],
)
def test_malformed(text: str, message: str) -> None:
    with pytest.raises(MarksFileError) as caught:
        parse_marks(text)
    said = str(caught.value)
    assert message in said
    assert "\n" not in said and len(said) < 300


def test_a_version_check_comes_before_the_fields() -> None:
    # A newer file may have fields this reader does not know: say "newer", not "unknown".
    text = json.dumps({"reader_marks": 7, "read": [], "saved": [], "hidden": []})
    with pytest.raises(MarksFileError, match="newer reader"):
        parse_marks(text)


def test_a_long_field_name_is_cut_in_the_message() -> None:
    with pytest.raises(MarksFileError) as caught:
        parse_marks(with_fields(**{"x" * 10_000 + "\n": 1}))
    assert len(str(caught.value)) < 200 and "\n" not in str(caught.value)


def test_too_large_text(monkeypatch: pytest.MonkeyPatch) -> None:
    text = dump_marks(["a" * 100], [])
    monkeypatch.setattr(marksfile, "MAX_MARKS_BYTES", len(text) - 1)
    with pytest.raises(MarksFileError, match="too large"):
        parse_marks(text)
    monkeypatch.setattr(marksfile, "MAX_MARKS_BYTES", len(text))
    assert parse_marks(text) == (frozenset({"a" * 100}), frozenset())


def test_the_cap_is_64_mb() -> None:
    assert marksfile.MAX_MARKS_BYTES == 64 * 1024 * 1024


# --- files ---------------------------------------------------------------------------


def test_write_then_read(tmp_path: Path) -> None:
    path = tmp_path / "marks.json"
    write_marks_file(path, AWKWARD_KEYS, AWKWARD_KEYS[:1])
    assert path.read_text(encoding="ascii") == dump_marks(AWKWARD_KEYS, AWKWARD_KEYS[:1])
    assert read_marks_file(path) == (frozenset(AWKWARD_KEYS), frozenset(AWKWARD_KEYS[:1]))
    assert os.listdir(tmp_path) == ["marks.json"]  # no temporary file left


def test_write_replaces_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "marks.json"
    write_marks_file(path, ["old"], ["old"])
    write_marks_file(path, ["new"], [])
    assert read_marks_file(path) == (frozenset({"new"}), frozenset())
    assert os.listdir(tmp_path) == ["marks.json"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_write_gives_the_mode_of_a_new_file(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_marks_file(tmp_path / "marks.json", ["a"], [])
    finally:
        os.umask(old)
    # Not mkstemp's 0o600: another user of a shared folder can still read it.
    assert stat.S_IMODE((tmp_path / "marks.json").stat().st_mode) == 0o644


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX links")
def test_write_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    synced = tmp_path / "sync"
    synced.mkdir()
    real = synced / "marks.json"
    real.write_text("{}")
    link = tmp_path / "marks.json"
    link.symlink_to(real)
    write_marks_file(link, ["a"], ["b"])
    assert link.is_symlink()
    assert read_marks_file(real) == (frozenset({"a"}), frozenset({"b"}))
    assert os.listdir(synced) == ["marks.json"]


def test_a_failed_replace_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "marks.json"
    write_marks_file(path, ["old"], [])
    before = path.read_bytes()

    def fail(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(MarksFileError, match=r"cannot write .*marks\.json: "):
        write_marks_file(path, ["new"], [])
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["marks.json"]  # the temporary file is removed


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "marks.json"
    write_marks_file(path, ["old"], [])
    before = path.read_bytes()

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(MarksFileError, match="No space left on device"):
        write_marks_file(path, ["new"], [])
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["marks.json"]


def test_write_into_a_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "marks.json"
    with pytest.raises(MarksFileError) as caught:
        write_marks_file(path, ["a"], [])
    assert str(caught.value) == f"cannot write {path}: No such file or directory"


def test_read_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "marks.json"
    with pytest.raises(MarksFileError) as caught:
        read_marks_file(path)
    assert str(caught.value) == f"cannot read {path}: No such file or directory"


def test_read_a_folder(tmp_path: Path) -> None:
    with pytest.raises(MarksFileError, match="not a regular file"):
        read_marks_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_read_never_waits_on_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "marks.json"
    os.mkfifo(fifo)
    with pytest.raises(MarksFileError, match="not a regular file"):
        read_marks_file(fifo)


@pytest.mark.skipif(ROOT or os.name == "nt", reason="permissions do not stop root")
def test_read_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "marks.json"
    write_marks_file(path, ["a"], [])
    path.chmod(0)
    try:
        with pytest.raises(MarksFileError, match="Permission denied"):
            read_marks_file(path)
    finally:
        path.chmod(0o644)


def test_read_a_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "marks.json"
    write_marks_file(path, ["a" * 1000], [])
    monkeypatch.setattr(marksfile, "MAX_MARKS_BYTES", 500)
    with pytest.raises(MarksFileError) as caught:
        read_marks_file(path)
    assert str(caught.value).startswith(f"{path}: too large (")
    assert "the limit is 500" in str(caught.value)


def test_read_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "marks.json"
    path.write_bytes(b'{"reader_marks": 1, "read": ["caf\xe9"], "saved": []}')
    with pytest.raises(MarksFileError) as caught:
        read_marks_file(path)
    assert str(caught.value) == f"{path}: not UTF-8 text (at byte 33)"


def test_read_a_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "marks.json"
    path.write_bytes(b"\xef\xbb\xbf" + dump_marks(["a"], ["b"]).encode("ascii"))
    assert read_marks_file(path) == (frozenset({"a"}), frozenset({"b"}))


def test_read_names_the_file_of_a_bad_marks_file(tmp_path: Path) -> None:
    path = tmp_path / "marks.json"
    path.write_text('{"reader_marks": 3}')
    with pytest.raises(MarksFileError) as caught:
        read_marks_file(path)
    assert str(caught.value) == (
        f"{path}: made by a newer reader (marks file version 3; this one reads version 1)"
    )


# --- merging -------------------------------------------------------------------------


class Recording(MemoryMarks):
    """`MemoryMarks` that remember every change asked of them."""

    def __init__(self, read: Iterable[str] = (), saved: Iterable[str] = ()) -> None:
        super().__init__(read, saved)
        self.calls: list[tuple[str, object, bool]] = []

    def set_read_many(self, keys: Iterable[str], read: bool = True) -> None:
        keys = list(keys)
        self.calls.append(("read", keys, read))
        super().set_read_many(keys, read)

    def set_saved(self, key: str, saved: bool = True) -> None:
        self.calls.append(("saved", key, saved))
        super().set_saved(key, saved)


def test_merge_adds_and_counts_what_is_new() -> None:
    store = MemoryMarks(read={"a", "b"}, saved={"s"})
    assert merge_into(store, {"b", "c", "d"}, {"s", "t"}) == (2, 1)
    assert store.read_links() == {"a", "b", "c", "d"}
    assert store.saved_links() == {"s", "t"}
    assert merge_into(store, {"b", "c", "d"}, {"s", "t"}) == (0, 0)  # twice: nothing new


def test_merge_never_removes_a_mark() -> None:
    store = Recording(read={"a", "b"}, saved={"s", "u"})
    assert merge_into(store, [], []) == (0, 0)
    assert merge_into(store, ["z"], ["s"]) == (1, 0)
    assert store.read_links() == {"a", "b", "z"}
    assert store.saved_links() == {"s", "u"}
    assert all(on for _, _, on in store.calls)
    assert store.calls == [("read", ["z"], True)]


def test_merge_marks_read_in_one_call() -> None:
    store = Recording()
    assert merge_into(store, ["c", "a", "b", ""], ["y", "x", ""]) == (3, 2)
    assert store.calls == [
        ("read", ["a", "b", "c"], True),
        ("saved", "x", True),
        ("saved", "y", True),
    ]


def test_a_file_round_trip_into_another_store(tmp_path: Path) -> None:
    here = MemoryMarks(read=AWKWARD_KEYS, saved=AWKWARD_KEYS[:2])
    path = tmp_path / "marks.json"
    write_marks_file(path, here.read_links(), here.saved_links())
    there = MemoryMarks(read={"https://n.example/only-there"})
    read, saved = read_marks_file(path)
    assert merge_into(there, read, saved) == (len(AWKWARD_KEYS), 2)
    assert there.read_links() == here.read_links() | {"https://n.example/only-there"}
    assert there.saved_links() == here.saved_links()


def test_merge_into_the_state_store(tmp_path: Path) -> None:
    store = StateStore.open(tmp_path / "state.sqlite3", settle=5.0)
    try:
        assert store.wait_ready(10.0)
        store.set_read("https://n.example/mine")
        assert merge_into(store, ["https://n.example/a", "https://n.example/mine"], ["s"]) == (
            1,
            1,
        )
        assert store.read_links() == {"https://n.example/a", "https://n.example/mine"}
        assert store.saved_links() == {"s"}
        assert store.take_notices() == []
    finally:
        assert store.close() is None
