from __future__ import annotations

import codecs
from pathlib import Path

import pytest
import yaml

from reader.model import parse
from reader.model.parse import (
    INDEX_FIELDS,
    MAX_FILE_BYTES,
    MAX_FRONT_MATTER_CHARS,
    ParseError,
    decode,
    load_yaml,
    read_front_matter,
    split_front_matter,
)


def test_the_c_loader_is_used_when_libyaml_is_there() -> None:
    assert bool(yaml.__with_libyaml__) == parse.HAS_LIBYAML
    if yaml.__with_libyaml__:
        assert issubclass(parse._Loader, yaml.CSafeLoader)
    assert issubclass(parse._Loader, (yaml.SafeLoader, yaml.CSafeLoader))


def test_reads_the_example_shape(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Hello\npublishedDateTime: 2021-06-06T14:25:29Z\ntopics:\n  - A\n---\nbody\n"
    )
    meta = read_front_matter(str(path))
    assert meta["title"] == "Hello" and meta["topics"] == ["A"]
    assert meta["publishedDateTime"].year == 2021


def test_bom_is_dropped() -> None:
    assert decode(codecs.BOM_UTF8 + b"---\n") == "---\n"


def test_utf16_with_bom() -> None:
    assert decode("---\nt: é\n".encode("utf-16")) == "---\nt: é\n"


def test_latin1_falls_back_to_cp1252() -> None:
    assert decode(b"caf\xe9 \x93q\x94") == "café “q”"


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(ParseError, match="binary"):
        decode(b"---\n\x00\n---\n")


def test_crlf_and_cr_line_ends() -> None:
    assert split_front_matter("---\r\ntitle: a\r\n---\r\nbody") == "\ntitle: a\n"
    assert split_front_matter("---\rtitle: b\r---\r") == "\ntitle: b\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("  \n\n", "the file is empty"),
        ("# no front matter\n", "no front matter"),
        ("---\ntitle: a\n", "not closed"),
        ("---", "not closed"),
    ],
)
def test_split_refuses(text: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        split_front_matter(text)


def test_front_matter_size_limit() -> None:
    text = "---\nk: " + "x" * MAX_FRONT_MATTER_CHARS + "\n---\n"
    with pytest.raises(ParseError, match="front matter too large"):
        split_front_matter(text)


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("- a\n- b\n", "the front matter is a list, not a mapping of fields"),
        ("just text\n", "the front matter is a single string, not a mapping of fields"),
        ("", "the front matter is empty"),
        ("title: [x\n", "invalid YAML at line"),
    ],
)
def test_load_yaml_refuses_with_one_line(front: str, reason: str) -> None:
    with pytest.raises(ParseError) as err:
        load_yaml(front)
    assert reason in str(err.value)
    assert "\n" not in str(err.value)


def test_invalid_yaml_reason_points_at_the_file_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: ok\nheat: 1\ntopics: [a\n---\n")
    with pytest.raises(ParseError, match=r"^invalid YAML at line \d+: "):
        read_front_matter(str(path))


def test_unusable_scalars_stay_strings() -> None:
    meta = load_yaml("d: 2021-02-30\nn: " + "9" * 5000 + "\nf: 1.0e+999\ng: 1e999\n")
    assert meta["d"] == "2021-02-30"
    assert meta["n"] == "9" * 5000
    assert meta["f"] == float("inf")
    assert meta["g"] == "1e999"  # YAML 1.1 floats need a dot


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    with open(path, "wb") as out:
        out.write(b"---\ntitle: big\n---\n")
        out.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ParseError, match="too large"):
        read_front_matter(str(path))
    path.write_bytes(b"---\ntitle: fits\n---\n".ljust(MAX_FILE_BYTES, b" "))
    assert read_front_matter(str(path))["title"] == "fits"


def test_a_field_yaml_cannot_build_is_left_out() -> None:
    meta = load_yaml("title: Kept\nx: !!python/name:os.system\ny: !!unknown 1\n")
    assert meta == {"title": "Kept"}


def test_index_fields_only_build_what_the_index_needs() -> None:
    front = "title: T\nimages: [{url: u}]\nrelated: [{title: a}, {title: b}, 3]\n"
    assert load_yaml(front, INDEX_FIELDS) == {"title": "T", "related": [{}, {}]}
    assert load_yaml(front)["images"] == [{"url": "u"}]


def test_index_fields_hold_what_the_type_and_category_qualifiers_need() -> None:
    front = "type: video\ncategory: news\ncategories: [a]\nsecured: x\n"
    assert load_yaml(front, INDEX_FIELDS) == {
        "type": "video",
        "category": "news",
        "categories": ["a"],
    }
