"""Exporting stories: JSON as `reader list --json`, CSV, a Markdown digest, Markdown files."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from reader import cliout, export
from reader.export import (
    CSV_COLUMNS,
    FORMATS,
    ExportError,
    export_csv,
    export_json,
    export_markdown,
    export_markdown_files,
    safe_name,
)
from reader.model.article import Article, Problem
from reader.model.index import Index
from reader.model.storylines import Storylines

#: Front matter as people and tools really write it: comments, odd spacing, quoting
#: styles, a block scalar, non-ASCII text. None of it may change in an export.
FRONT = (
    "---\n"
    "# exported by a crawler\n"
    'title:   "Zürich: the \\"lake\\" story"\n'
    "webUrl: 'https://n.example/zurich'\n"
    "topics: [ Cities ,  Water ]\n"
    "excerpt: |\n"
    "  Two lines,\n"
    "    the second indented.\n"
    "heat: 0090\n"
    "---\n"
    "The body, with trailing spaces.   \n"
)

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def story(path: Path | str, title: str = "A story", **fields: Any) -> Article:
    """An `Article` for the file at `path`."""
    return Article(path=str(path), title=title, **fields)


def rows(text: str) -> list[list[str]]:
    """The records of CSV text, as a spreadsheet would read them."""
    return list(csv.reader(io.StringIO(text)))


# --- JSON ----------------------------------------------------------------------------


def test_formats() -> None:
    assert FORMATS == ("md", "json", "csv")


def test_json_is_what_list_json_prints() -> None:
    articles = [
        story("/s/a.md", "Alpha", web_url="https://n.example/a", heat=9, topics=("Sport",)),
        story("/s/b.md", "Beta", web_url="https://n.example/b", published_ts=1622989529.0),
    ]
    index = Index(articles)
    lines = Storylines.none()
    for encoding in ("utf-8", "ascii", None):
        text = export_json(articles, lines, index, encoding)
        assert text == cliout.list_json(articles, lines, index, encoding)
    parsed = json.loads(export_json(articles, lines, index, "utf-8"))
    assert [s["title"] for s in parsed] == ["Alpha", "Beta"]
    assert parsed[1]["published"] == "2021-06-06T14:25:29Z"


# --- CSV -----------------------------------------------------------------------------


def test_csv_header_and_columns() -> None:
    full = story(
        "/s/full.md",
        "Full",
        web_url="javascript:alert(1)",  # not safe: the first safe link is taken
        original_url="https://n.example/full",
        provider_name="CNN",
        provider_domain="cnn.com",
        published_ts=1622989529.0,
        heat=90,
        quality=3,
        topics=("Politics", "Sport"),
        type="article",
    )
    bare = story("/s/bare.md", "Bare", provider_domain="bare.example")
    header, first, second = rows(export_csv([full, bare]))
    assert tuple(header) == CSV_COLUMNS == (
        "title", "link", "provider", "published", "heat", "quality", "topics", "type", "path",
    )  # fmt: skip
    assert first == [
        "Full",
        "https://n.example/full",
        "CNN",
        "2021-06-06T14:25:29Z",
        "90",
        "3",
        "Politics; Sport",
        "article",
        "/s/full.md",
    ]
    # The domain stands in for a missing name; unknown values are empty.
    assert second == ["Bare", "", "bare.example", "", "", "", "", "", "/s/bare.md"]


def test_csv_of_nothing_is_the_header() -> None:
    assert export_csv([]) == ",".join(CSV_COLUMNS) + "\n"


def test_csv_quotes_commas_and_quotes() -> None:
    title = 'Hello, "world", again'
    text = export_csv([story("/s/a,b.md", title, provider_name='Smith, "Jr"')])
    assert '"Hello, ""world"", again"' in text
    [_, row] = rows(text)
    assert row[0] == title
    assert row[2] == 'Smith, "Jr"'
    assert row[-1] == "/s/a,b.md"


def test_csv_newlines_never_split_a_record() -> None:
    text = export_csv(
        [
            story("/s/line\nbreak.md", "line one\nline two\r\nline three", topics=("a\nb",)),
            story("/s/next.md", "Next"),
        ]
    )
    assert text.count("\n") == 3  # the header and two records, nothing else
    _, first, second = rows(text)
    assert first[0] == "line one line two line three"
    assert first[CSV_COLUMNS.index("topics")] == "a b"
    assert first[-1] == "/s/line\\x0abreak.md"  # escaped, as `reader list --json` does
    assert second[0] == "Next"


def test_csv_cleans_terminal_escapes() -> None:
    [_, row] = rows(export_csv([story("/s/a.md", "red \x1b[31malert\x07 \u202eevil")]))
    assert row[0] == "red [31malert evil"


@pytest.mark.parametrize(
    "title",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1:A9)",
        '=HYPERLINK("https://evil.example","click")',
        "=cmd|' /C calc'!A1",
        "\t=1+1",  # a leading tab is cleaned away: what is left still starts a formula
        " =1+1",
    ],
)
def test_csv_defuses_formulas_in_titles(title: str) -> None:
    [_, row] = rows(export_csv([story("/s/a.md", title)]))
    assert row[0].startswith("'")
    assert row[0][1] in "=+-@"


def test_csv_defuses_formulas_in_every_text_column() -> None:
    hostile = story(
        "-rf.md",
        "fine",
        web_url="=HYPERLINK(1)",  # not a safe link, so the raw link is the column
        provider_name="@provider",
        topics=("=topic", "news"),
        type="+type",
    )
    [_, row] = rows(export_csv([hostile]))
    values = dict(zip(CSV_COLUMNS, row, strict=True))
    assert values["title"] == "fine"
    assert values["link"] == "'=HYPERLINK(1)"
    assert values["provider"] == "'@provider"
    assert values["topics"] == "'=topic; news"
    assert values["type"] == "'+type"
    assert values["path"] == "'-rf.md"


def test_csv_numbers_are_not_defused() -> None:
    [_, row] = rows(export_csv([story("/s/a.md", "Cold", heat=-5, quality=-1)]))
    values = dict(zip(CSV_COLUMNS, row, strict=True))
    assert (values["heat"], values["quality"]) == ("-5", "-1")


@pytest.mark.parametrize("cell", ["\t=1", "\r=1", "\t", "\rx", "=", "-", "+", "@"])
def test_defused_leading_tab_and_cr(cell: str) -> None:
    # Cleaning removes tabs and CRs before a cell is defused; the guard holds anyway.
    assert export._defused(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "a=b", "1-2", "x@y", "'quoted"])
def test_harmless_cells_stay(cell: str) -> None:
    assert export._defused(cell) == cell


# --- the Markdown digest -------------------------------------------------------------


def test_digest_keeps_files_byte_for_byte(tmp_path: Path) -> None:
    first = tmp_path / "first.md"
    first.write_bytes(FRONT.encode("utf-8"))
    crlf = FRONT.replace("\n", "\r\n").encode("utf-8")
    second = tmp_path / "second.md"
    second.write_bytes(crlf)
    text, problems = export_markdown([story(first), story(second)])
    assert problems == []
    assert text.encode("utf-8") == FRONT.encode("utf-8") + b"\n" + crlf
    assert text.startswith(FRONT)


def test_digest_keeps_story_order(tmp_path: Path) -> None:
    paths = []
    for name in ("c.md", "a.md", "b.md"):
        path = tmp_path / name
        path.write_text(f"---\ntitle: {name}\n---\n")
        paths.append(path)
    text, _ = export_markdown([story(p) for p in paths])
    assert text == "---\ntitle: c.md\n---\n\n---\ntitle: a.md\n---\n\n---\ntitle: b.md\n---\n"


def test_digest_ends_each_file_with_a_line_break(tmp_path: Path) -> None:
    one = tmp_path / "one.md"
    one.write_text("---\ntitle: One\n---\nno line break at the end")
    two = tmp_path / "two.md"
    two.write_text("---\ntitle: Two\n---\n")
    text, _ = export_markdown([story(one), story(two)])
    assert text == "---\ntitle: One\n---\nno line break at the end\n\n---\ntitle: Two\n---\n"


def test_digest_drops_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf---\ntitle: Bom\n---\n")
    text, problems = export_markdown([story(path)])
    assert (text, problems) == ("---\ntitle: Bom\n---\n", [])


def test_digest_of_nothing_is_empty() -> None:
    assert export_markdown([]) == ("", [])


def test_digest_reports_files_it_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "good.md"
    good.write_text(FRONT)
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"---\ntitle: Z\xfcrich\n---\n")
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"---\ntitle: x\n---\n\x00\x00")
    large = tmp_path / "large.md"
    large.write_text("---\ntitle: Large\n---\n" + "x" * 300)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    gone = tmp_path / "gone.md"
    monkeypatch.setattr(export, "MAX_EXPORT_FILE_BYTES", 300)
    assert len(FRONT.encode("utf-8")) < 300
    stories = [story(p) for p in (gone, latin, good, binary, large, folder)]
    text, problems = export_markdown(stories)
    assert text == FRONT
    assert [p.path for p in problems] == [str(p) for p in (gone, latin, binary, large, folder)]
    reasons = [p.reason for p in problems]
    assert "vanished" in reasons[0]
    assert reasons[1] == "not UTF-8 text (at byte 12)"  # counted from 0
    assert "NUL" in reasons[2]
    assert "too large" in reasons[3] and "300" in reasons[3]
    assert "not a regular file" in reasons[4]
    assert all(isinstance(p, Problem) and p.kind == "skipped" for p in problems)


def test_digest_size_cap_is_16_mb() -> None:
    assert export.MAX_EXPORT_FILE_BYTES == 16 * 1024 * 1024


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_digest_never_waits_on_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    text, [problem] = export_markdown([story(fifo)])
    assert text == ""
    assert "not a regular file" in problem.reason


@pytest.mark.skipif(ROOT or os.name == "nt", reason="permissions do not stop root")
def test_digest_reports_an_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.md"
    locked.write_text("---\ntitle: Locked\n---\n")
    locked.chmod(0)
    try:
        text, [problem] = export_markdown([story(locked)])
    finally:
        locked.chmod(0o644)
    assert text == ""
    assert "ermission" in problem.reason


# --- one Markdown file each ----------------------------------------------------------


def test_files_are_copied_as_written(tmp_path: Path) -> None:
    source = tmp_path / "stories"
    source.mkdir()
    one = source / "one.md"
    one.write_bytes(FRONT.replace("\n", "\r\n").encode("utf-8"))
    two = source / "two.md"
    two.write_bytes(b"\xef\xbb\xbf" + FRONT.encode("utf-8"))  # the mark stays in a copy
    out = tmp_path / "out" / "deeper"  # made, parents and all
    written, problems = export_markdown_files([story(one), story(two)], out)
    assert problems == []
    assert written == [out / "one.md", out / "two.md"]
    assert [p.read_bytes() for p in written] == [one.read_bytes(), two.read_bytes()]
    assert sorted(os.listdir(out)) == ["one.md", "two.md"]


def test_files_into_a_folder_that_is_a_file(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\n---\n")
    target = tmp_path / "not-a-folder"
    target.write_text("mine")
    with pytest.raises(ExportError, match="exists and is not a folder"):
        export_markdown_files([story(source)], target)
    assert target.read_text() == "mine"
    with pytest.raises(ExportError, match="cannot make the folder"):
        export_markdown_files([story(source)], target / "below")


def test_files_never_clash(tmp_path: Path) -> None:
    sources = []
    for folder in ("x", "y", "z"):
        path = tmp_path / folder / "index.md"
        path.parent.mkdir()
        path.write_text(f"---\ntitle: {folder}\n---\n")
        sources.append(path)
    readme = tmp_path / "x" / "README"
    readme.write_text("---\ntitle: readme\n---\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").write_text("already here")
    (out / "index-3.md").write_text("this one too")
    (out / "README").write_text("and this")
    stories = [story(p) for p in [*sources, readme]]
    written, problems = export_markdown_files(stories, out)
    assert problems == []
    assert [p.name for p in written] == ["index-2.md", "index-4.md", "index-5.md", "README-2"]
    assert [p.read_text() for p in written] == [p.read_text() for p in [*sources, readme]]
    # Nothing that was there is touched.
    assert (out / "index.md").read_text() == "already here"
    assert (out / "index-3.md").read_text() == "this one too"
    assert (out / "README").read_text() == "and this"


def test_files_exported_twice_keep_both(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\n---\n")
    out = tmp_path / "out"
    first, _ = export_markdown_files([story(source)], out)
    second, _ = export_markdown_files([story(source)], out)
    assert [p.name for p in first + second] == ["a.md", "a-2.md"]


def test_files_report_what_cannot_be_read(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: Good\n---\n")
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"---\ntitle: Z\xfcrich\n---\n")
    out = tmp_path / "out"
    written, problems = export_markdown_files(
        [story(tmp_path / "gone.md"), story(latin), story(good)], out
    )
    assert written == [out / "good.md"]
    assert [p.path for p in problems] == [str(tmp_path / "gone.md"), str(latin)]
    assert os.listdir(out) == ["good.md"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names")
def test_files_with_hostile_names_stay_inside(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    names = {
        "..\\..\\evil.md": "evil.md",  # a legal POSIX name holding Windows separators
        "a\x1b[31mred\x07.md": "a[31mred.md",
        "\u202egnp.md": "gnp.md",
        "..hidden.md": "hidden.md",
        "\x01\x02": "story.md",
        " spaced .md": "spaced .md",
    }
    stories = []
    for raw in names:
        path = source / raw
        path.write_text(f"---\ntitle: {raw!r}\n---\n")
        stories.append(story(path))
    out = tmp_path / "out"
    written, problems = export_markdown_files(stories, out)
    assert problems == []
    assert [p.name for p in written] == list(names.values())
    assert all(p.parent == out for p in written)
    assert sorted(os.listdir(out)) == sorted(names.values())
    assert sorted(os.listdir(tmp_path)) == ["out", "src"]  # nothing written beside it


def test_files_a_dotdot_path_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    out = tmp_path / "out"
    # "sub/.." is a folder, so it is reported; nothing lands in tmp_path or above.
    written, [problem] = export_markdown_files([story(tmp_path / "sub" / "..")], out)
    assert written == []
    assert problem.path == str(tmp_path / "sub" / "..")
    assert sorted(os.listdir(tmp_path)) == ["out", "sub"]
    assert os.listdir(out) == []


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX links")
def test_files_never_write_through_a_planted_link(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\n---\n")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").symlink_to(victim)
    (out / "a-2.md").symlink_to(tmp_path / "nowhere")  # dangling: O_EXCL refuses it too
    written, _ = export_markdown_files([story(source)], out)
    assert written == [out / "a-3.md"]
    assert victim.read_text() == "precious"
    assert not (tmp_path / "nowhere").exists()


def test_files_a_failed_write_leaves_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\n---\n")
    out = tmp_path / "out"

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(ExportError, match=r"cannot write .*a\.md: No space left on device"):
        export_markdown_files([story(source)], out)
    assert os.listdir(out) == []


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/s/story.md", "story.md"),
        ("relative.md", "relative.md"),
        ("/s/sub/..", "story.md"),
        ("/s/.", "story.md"),
        ("/s/...", "story.md"),
        ("/s/", "story.md"),
        ("", "story.md"),
        ("C:\\Users\\me\\news.md", "news.md"),
        ("/s/a\x00b.md", "ab.md"),
        ("/s/tab\there\r\n.md", "tabhere.md"),
        ("/s/bidi\u202e\u2066.md", "bidi.md"),
        ("/s/zero\u200bwidth.md", "zerowidth.md"),
        ("/s/line\u2028break.md", "linebreak.md"),
        ("/s/bytes\udcff.md", "bytes.md"),
        ("/s/.profile", "profile"),
        ("/s/Zürich.md", "Zürich.md"),
    ],
)
def test_safe_name(path: str, name: str) -> None:
    assert safe_name(path) == name


def test_safe_name_cuts_long_names_keeping_the_suffix() -> None:
    name = safe_name("/s/" + "é" * 300 + ".md")
    assert name.endswith(".md")
    assert len(name.encode("utf-8")) <= 200
    assert set(name[:-3]) == {"é"}  # cut between characters, never inside one
    assert len(safe_name("/s/" + "x" * 300).encode("utf-8")) == 200
