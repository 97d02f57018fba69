"""The fast YAML path gives the very stories pyyaml's hardened loader gives, or stands aside."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.model import fastyaml
from reader.model.parse import INDEX_FIELDS
from reader.model.parsing import parse_file
from tests.hostile.corpus import build_corpus

#: Scalars YAML 1.1 and 1.2 read apart, or that the hardened loader treats on its own terms.
TRICKY = [
    "yes", "No", "on", "OFF", "y", "n", "true", "~", "null", "", "010", "0o17", "0x1F",
    "1e3", "1.5e3", "1.5e+3", "1:20", "0b101", "1_000", "+1", "-0", ".5", "5.", ".inf",
    "2021-06-06", "2021-06-06T14:25:29Z", "2021-02-30", "12345678901234567890", "'010'",
    '"yes"', "!!str 5", "!foo bar", "&a x", "*a", "[1, 2]", "{a: 1}", "99999" * 900,
    "Harris: live", "- dash", "a # comment", "\u202eevil", "x\x1by", "tab\there",
]  # fmt: skip
KEYS = ["title", "excerpt", "heat", "quality", "topics", "type", "category", "webUrl",
        "publishedDateTime", "published", "deleted", "categories", "other"]  # fmt: skip


def both_ways(path: str) -> tuple[object, object]:
    fastyaml.ENABLED = False
    try:
        slow = parse_file(path)
    finally:
        fastyaml.ENABLED = True
    return slow, parse_file(path)


@pytest.mark.skipif(not fastyaml.ENABLED, reason="yaml_rs is not installed here")
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(TRICKY)), max_size=8),
    st.sampled_from(TRICKY),
    st.sampled_from(TRICKY),
)
def test_any_front_matter_gives_the_same_story_both_ways(
    tmp_path: Path, fields: list[tuple[str, str]], provider: str, topic: str
) -> None:
    lines = [
        "title: A story",
        "webUrl: https://e.x/a",
        "publishedDateTime: 2021-06-06T14:25:29Z",
        f"provider:\n  name: {provider}\n  images:\n    - width: 010",
        f"topics:\n  - {topic}\n  - Plain",
        "related:\n  - webUrl: https://e.x/b\n    heat: 1e3",
        *(f"{key}: {value}" for key, value in fields),
    ]
    path = tmp_path / "story.md"
    path.write_text("---\n" + "\n".join(lines) + "\n---\n", encoding="utf-8")
    slow, fast = both_ways(str(path))
    assert fast == slow


@pytest.mark.skipif(not fastyaml.ENABLED, reason="yaml_rs is not installed here")
def test_every_hostile_file_gives_the_same_story_or_problem(tmp_path: Path) -> None:
    build_corpus(tmp_path, as_root=False)
    files = sorted(tmp_path.rglob("*.md"))
    assert len(files) > 100
    for path in files:
        if path.is_file() and not path.is_symlink():
            slow, fast = both_ways(str(path))
            assert fast == slow, path.name


def test_what_the_fast_path_stands_aside_for() -> None:
    fields = INDEX_FIELDS
    assert fastyaml.index_fields("title: x\nheat: 5\n", fields) == {"title": "x", "heat": 5}
    for front in [
        "title: !!str 5",
        "base: &b {a: 1}\ntitle: *b",
        "<<: {title: x}",
        "title: x\n---\ntitle: y",
        "title: yes",
        "heat: 010",
        "heat: 1e3",
        "title: 1:20",
        "title: a\x1bb",
        "title: x\ntitle: y",  # a duplicate key: pyyaml's rule (the last wins) applies
        "[1, 2]",
        "title:\n" + "".join(" " * depth + "a:\n" for depth in range(1, 3000)),
    ]:
        assert fastyaml.index_fields(front, fields) is None, front
