"""The hostile and broken input corpus: a table of named cases.

Each case builds one file (or folder, link, FIFO...) inside its own
subfolder and states the outcome a reader must reach:

- "shown": the story is listed; `expect` maps `Article` fields (and a few
  story-level keys, see `story_fields`) to their values or to predicates;
- "skipped": the file is unusable and gets a one-line reason containing `reason`;
- "hidden": a draft or withdrawn story, with `reason` in its explanation;
- "duplicate": a second file with the same link as a hotter one;
- "ignored": not a story at all and not reported (hidden files, `.txt`
  without front matter, FIFOs with other endings).

Special files are made by `build_corpus` at test time, never committed. The
app-level tests reuse the same table through `built_corpus(folder)`.
"""

from __future__ import annotations

import codecs
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from reader.model.parse import MAX_FILE_BYTES, MAX_FRONT_MATTER_CHARS
from reader.model.text import MAX_TITLE

#: Where `python -c` payloads in files would leave a trace if YAML ran code.
PWNED_MARK = "/tmp/reader-hostile-pwned"

Build = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    """One hostile input and the outcome it must have."""

    name: str
    category: str
    outcome: str
    build: Build = field(repr=False)
    reason: str = ""
    expect: dict[str, Any] = field(default_factory=dict)
    #: Links in the file that must never be judged safe to open.
    unsafe_links: tuple[str, ...] = ()
    #: Root bypasses permissions, so this case cannot be built honestly as root.
    needs_non_root: bool = False
    #: Filled in by `build_corpus`: the entry whose outcome is asserted.
    path: Path | None = None


# --- builders -----------------------------------------------------------------


def _url(name: str) -> str:
    return f"https://news.example/{name}"


def text_file(filename: str | bytes, content: str | bytes, encoding: str = "utf-8") -> Build:
    """A builder writing `content` (str encoded with `encoding`, or raw bytes)."""

    def build(folder: Path) -> Path:
        raw_name = filename if isinstance(filename, bytes) else os.fsencode(filename)
        path = os.path.join(os.fsencode(folder), raw_name)
        data = content.encode(encoding) if isinstance(content, str) else content
        with open(path, "wb") as out:
            out.write(data)
        return Path(os.fsdecode(path))

    return build


def story(
    name: str, body: str, *, link: bool = True, title: bool = True, filename: str = ""
) -> Build:
    """A builder writing a front-matter file; `body` is extra YAML lines."""
    head = ""
    if title:
        head += f"title: Story {name}\n"
    if link:
        head += f"webUrl: {_url(name)}\n"
    return text_file(filename or f"{name}.md", f"---\n{head}{body}---\n")


def fifo(filename: str) -> Build:
    def build(folder: Path) -> Path:
        path = folder / filename
        os.mkfifo(path)
        return path

    return build


def symlink(filename: str, target: str | Callable[[Path], str]) -> Build:
    def build(folder: Path) -> Path:
        path = folder / filename
        os.symlink(target(folder) if callable(target) else target, path)
        return path

    return build


def _dir_named_md(folder: Path) -> Path:
    inner = folder / "folder.md"
    inner.mkdir()
    (inner / "inside.md").write_text(f"---\ntitle: Inside a folder\nwebUrl: {_url('in')}\n---\n")
    return inner / "inside.md"


def _symlink_to_story(folder: Path) -> Path:
    (folder / ".target").mkdir()  # hidden: reached only through the link
    target = folder / ".target" / "real.markdown"
    target.write_text(f"---\ntitle: Reached by a link\nwebUrl: {_url('symlinked')}\n---\n")
    link = folder / "linked.md"
    os.symlink(target, link)
    return link


def _symlink_dir(folder: Path) -> Path:
    (folder / ".elsewhere").mkdir()
    (folder / ".elsewhere" / "only-by-link.md").write_text("---\ntitle: x\n---\n")
    os.symlink(folder / ".elsewhere", folder / "linkdir")
    return folder / "linkdir"


def _symlink_dir_loop(folder: Path) -> Path:
    os.symlink("..", folder / "up")
    return folder / "up"


def _symlink_loop(folder: Path) -> Path:
    os.symlink("loop-b.md", folder / "loop-a.md")
    os.symlink("loop-a.md", folder / "loop-b.md")
    return folder / "loop-a.md"


def _hidden_folder(folder: Path) -> Path:
    (folder / ".git").mkdir()
    path = folder / ".git" / "secret.md"
    path.write_text("---\ntitle: Inside a hidden folder\n---\n")
    return path


def _mode(filename: str, mode: int, directory: bool = False) -> Build:
    def build(folder: Path) -> Path:
        path = folder / filename
        if directory:
            path.mkdir()
            (path / "story.md").write_text("---\ntitle: x\n---\n")
        else:
            path.write_text("---\ntitle: x\n---\n")
        os.chmod(path, mode)
        return path

    return build


def _sparse(filename: str, size: int) -> Build:
    def build(folder: Path) -> Path:
        path = folder / filename
        with open(path, "wb") as out:
            out.write(b"---\ntitle: big\n---\n")
            out.truncate(size)
        return path

    return build


def _duplicate(folder: Path) -> Path:
    (folder / "hot.md").write_text(f"---\ntitle: Hot copy\nwebUrl: {_url('dup')}\nheat: 50\n---\n")
    cool = folder / "cool.md"
    cool.write_text(f"---\ntitle: Cool copy\nwebUrl: {_url('dup')}\nheat: 5\n---\n")
    return cool


def _duplicate_of_escaped_name(folder: Path) -> Path:
    """The kept copy's file name holds a terminal escape: the reason quotes that name."""
    hot = os.path.join(os.fsencode(folder), b"hot\x1b]0;PWNED\x07\xff.md")
    with open(hot, "wb") as out:
        out.write(f"---\ntitle: Hot escaped\nwebUrl: {_url('dupesc')}\nheat: 50\n---\n".encode())
    cool = folder / "cool.md"
    cool.write_text(f"---\ntitle: Cool plain\nwebUrl: {_url('dupesc')}\nheat: 5\n---\n")
    return cool


def _laughs(levels: int = 9, where: str = "related") -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{','.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + f"\n{where}: *l{levels}\ntopics: *l{levels}\n"


def _merge_bomb(levels: int = 8) -> str:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: {i}" for i in range(10)) + "}"]
    lines += [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 10)}]}}" for i in range(1, levels)]
    return "\n".join(lines) + f"\nprovider: *m{levels - 1}\n"


def _deep_mapping(levels: int) -> str:
    return "provider: " + "{name: " * levels + "x" + "}" * levels + "\n"


CONTROL_EVERYWHERE = '"\\e[31m\\x9b2J\\u202e\\u2066X\\0\\a\\u0085\\u2028Y"'

# --- the table ----------------------------------------------------------------

_C = Case
_CASES: list[Case] = [
    # Markup and click actions are kept verbatim in the model; escaping is the view's job.
    _C("markup_title", "markup", "shown",
       text_file(
           "markup_title.md",
           "---\ntitle: '[bold red]Red[/] [@click=app.quit]quit[/] [link=file:///etc/passwd]x[/link]'\n"
           f"webUrl: {_url('markup_title')}\n---\n"),
       expect={"title": "[bold red]Red[/] [@click=app.quit]quit[/] [link=file:///etc/passwd]x[/link]"}),
    _C("markup_excerpt", "markup", "shown",
       story("markup_excerpt", "excerpt: '[@click=app.exit]Read more[/] :warning: $accent'\n"),
       expect={"excerpt": "[@click=app.exit]Read more[/] :warning: $accent"}),
    _C("markup_provider", "markup", "shown",
       story("markup_provider", "provider:\n  name: '[@click=app.quit]CNN[/]'\n"
             "  domain: '[b]CNN.com[/b]'\n"),
       expect={"provider_name": "[@click=app.quit]CNN[/]", "provider_domain": "[b]cnn.com[/b]"}),
    _C("markup_topics", "markup", "shown",
       story("markup_topics", "topics: ['[b]Politics[/b]', '[@click=app.quit]Q[/]', '[/]']\n"),
       expect={"topics": ["[b]Politics[/b]", "[@click=app.quit]Q[/]", "[/]"]}),
    _C("markup_related", "markup", "shown",
       story("markup_related", "related:\n  - title: '[@click=app.quit]Other[/]'\n"
             "    excerpt: '[red]x'\n    webUrl: https://news.example/other\n"
             "    provider: {name: '[i]P[/i]', domain: p.example}\n"),
       expect={"related_titles": ["[@click=app.quit]Other[/]"], "related_excerpts": ["[red]x"],
               "related_providers": ["[i]P[/i]"], "related_count": 1}),
    _C("markup_filename", "markup", "shown",
       story("markup_filename", "", filename="[@click=app.quit]x[_] [b].md"),
       expect={"title": "Story markup_filename"}),
    # Terminal escapes, C1 controls, bidi overrides, NUL and newlines: removed.
    _C("esc_title", "control", "shown",
       text_file(
           "esc_title.md",
           '---\ntitle: "\\e[2J\\e]0;owned\\a Clear\\e[0m"\n'
           f"webUrl: {_url('esc_title')}\n---\n"),
       expect={"title": "[2J]0;owned Clear[0m"}),
    _C("c1_title", "control", "skipped",
       text_file("c1_title.md", '---\ntitle: "\\x9b31mRed\\x9d0;x\\x9c end"\n---\n'),
       reason="not a story", expect={"title": "31mRed0;x end"}),
    _C("bidi_title", "control", "skipped",
       text_file("bidi_title.md",
                 '---\ntitle: "\\u202eevil\\u202c fdp.exe \\u2066a\\u2069\\u200f\\u061c"\n---\n'),
       reason="not a story", expect={"title": "evil fdp.exe a"}),
    _C("raw_bidi_bytes", "control", "skipped",
       text_file("raw_bidi_bytes.md", "---\ntitle: \u202eabc\u202c \u2067def\u2069\n---\n"),
       reason="not a story", expect={"title": "abc def"}),
    _C("nul_title", "control", "skipped",
       text_file("nul_title.md", '---\ntitle: "before\\0after"\n---\n'),
       reason="not a story", expect={"title": "beforeafter"}),
    _C("newlines_title", "control", "skipped",
       text_file("newlines_title.md",
                 '---\ntitle: "one\\ntwo\\r\\nthree\\u2028four\\u2029five\\x85six\\ttab"\n---\n'),
       reason="not a story", expect={"title": "one two three four five six tab"}),
    _C("bom_inside_title", "control", "skipped",
       text_file("bom_inside_title.md", '---\ntitle: "\\ufeffTitle\\ufeff"\n---\n'),
       reason="not a story", expect={"title": "Title"}),
    _C("control_everywhere", "control", "shown",
       text_file("control_everywhere.md",
                 f"---\ntitle: {CONTROL_EVERYWHERE}\nexcerpt: {CONTROL_EVERYWHERE}\n"
                 f"webUrl: {_url('control_everywhere')}\n"
                 f"provider: {{name: {CONTROL_EVERYWHERE}, domain: {CONTROL_EVERYWHERE}}}\n"
                 f"topics: [{CONTROL_EVERYWHERE}]\n"
                 f"images: [{{url: {CONTROL_EVERYWHERE}}}]\n"
                 f"related:\n  - {{title: {CONTROL_EVERYWHERE}, excerpt: {CONTROL_EVERYWHERE},"
                 f" provider: {{name: {CONTROL_EVERYWHERE}}}, webUrl: {CONTROL_EVERYWHERE}}}\n"
                 "---\n"),
       expect={"title": "[31m2JX Y", "provider_name": "[31m2JX Y", "topics": ["[31m2JX Y"],
               "related_titles": ["[31m2JX Y"], "related_urls": [""]}),
    _C("control_in_link", "control", "shown",
       text_file("control_in_link.md",
                 '---\ntitle: Link with escapes\nwebUrl: "https://news.example/\\e[2J"\n'
                 'originalUrl: "https://news.example/\\u202egnp.exe"\n---\n'),
       expect={"web_url": "", "original_url": ""},
       unsafe_links=("https://news.example/\x1b[2J", "https://news.example/\u202egnp.exe")),
    _C("raw_esc_byte", "control", "skipped",
       text_file("raw_esc_byte.md", b"---\ntitle: \x1b[31mred\n---\n"),
       reason="invalid YAML"),
    _C("raw_c1_bytes", "control", "skipped",
       text_file("raw_c1_bytes.md", "---\ntitle: \u009b31mred\n---\n"),
       reason="invalid YAML"),
    _C("lone_surrogate_escape", "control", "skipped",
       text_file("lone_surrogate_escape.md", '---\ntitle: "\\ud800x"\n---\n'),
       reason="invalid YAML"),
    _C("escape_in_filename", "control", "shown",
       story("escape_in_filename", "", filename="\x1b[31mred\u202e\x9b.md"),
       expect={"title": "Story escape_in_filename"}),
    _C("undecodable_filename", "control", "shown",
       text_file(b"bad-\xff\xfe-name.md", f"---\ntitle: Bytes\nwebUrl: {_url('bytes')}\n---\n"),
       expect={"title": "Bytes"}),
    _C("newline_in_filename", "control", "shown",
       story("newline_in_filename", "", filename="line\nbreak\r.md"),
       expect={"title": "Story newline_in_filename"}),
    # Malformed YAML and front matter that is not a mapping.
    _C("yaml_syntax_error", "yaml", "skipped",
       text_file("yaml_syntax_error.md", "---\ntitle: [unclosed\n---\n"), reason="invalid YAML"),
    _C("yaml_tab_indent", "yaml", "skipped",
       text_file("yaml_tab_indent.md", "---\ntitle: x\ntopics:\n\t- a\n---\n"),
       reason="invalid YAML at line"),
    _C("yaml_is_list", "yaml", "skipped",
       text_file("yaml_is_list.md", "---\n- title\n- x\n---\n"), reason="is a list"),
    _C("yaml_is_string", "yaml", "skipped",
       text_file("yaml_is_string.md", "---\njust words\n---\n"), reason="a single string"),
    _C("yaml_is_number", "yaml", "skipped",
       text_file("yaml_is_number.md", "---\n42\n---\n"), reason="not a mapping"),
    _C("yaml_empty", "yaml", "skipped",
       text_file("yaml_empty.md", "---\n---\nbody\n"), reason="front matter is empty"),
    _C("yaml_only_comment", "yaml", "skipped",
       text_file("yaml_only_comment.md", "---\n# nothing\n---\n"), reason="front matter is empty"),
    _C("alias_bomb", "yaml", "shown",
       story("alias_bomb", _laughs()),
       expect={"topics": [], "related_count": 0, "title": "Story alias_bomb"}),
    _C("alias_bomb_in_fields", "yaml", "shown",
       story("alias_bomb_in_fields", _laughs(where="excerpt") + "provider: *l9\nimages: *l9\n"),
       expect={"excerpt": "", "provider_name": "", "image_urls": []}),
    _C("merge_key_bomb", "yaml", "shown",
       story("merge_key_bomb", _merge_bomb()),
       expect={"provider_name": ""}),
    _C("deep_flow_nesting", "yaml", "skipped",
       story("deep_flow_nesting", "k: " + "[" * 100_000 + "]" * 100_000 + "\n"),
       reason="nesting depth"),
    _C("deep_flow_mappings", "yaml", "skipped",
       story("deep_flow_mappings", "k: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n"),
       reason="nesting depth"),
    _C("deep_mapping_in_field", "yaml", "shown",
       story("deep_mapping_in_field", _deep_mapping(200)), expect={"provider_name": ""}),
    _C("deep_block_nesting", "yaml", "shown",
       story("deep_block_nesting",
             "k:\n" + "".join(" " * (i + 1) + "-\n" for i in range(400))),
       expect={"title": "Story deep_block_nesting"}),
    _C("huge_title", "yaml", "skipped",
       text_file(
           "huge_title.md", f"---\ntitle: {'word ' * 40_000}\nexcerpt: {'y ' * 50_000}\n---\n"),
       reason="not a story",
       expect={"title": lambda t: len(t) == MAX_TITLE and t.endswith("…"),
               "excerpt": lambda e: 0 < len(e) <= 4000 and e.endswith("…")}),
    _C("huge_key_count", "yaml", "shown",
       story("huge_key_count", "".join(f"k{i}: {i}\n" for i in range(20_000))),
       expect={"title": "Story huge_key_count"}),
    _C("duplicate_keys", "yaml", "skipped",
       text_file("duplicate_keys.md", "---\ntitle: First\ntitle: Second\nheat: 1\nheat: 2\n---\n"),
       reason="not a story", expect={"title": "Second", "heat": 2}),
    # A field YAML cannot build (an unknown or Python tag) is left out and the story
    # kept; the tag is never resolved, let alone run.
    _C("python_tag_apply", "yaml", "shown",
       story("python_tag_apply",
             f"x: !!python/object/apply:os.system ['touch {PWNED_MARK}']\n"),
       expect={"title": "Story python_tag_apply"}),
    _C("python_tag_name", "yaml", "shown",
       story("python_tag_name", "x: !!python/name:os.system\n"),
       expect={"title": "Story python_tag_name"}),
    _C("python_tag_object", "yaml", "shown",
       story("python_tag_object", "x: !!python/object:subprocess.Popen {args: [id]}\n"),
       expect={"title": "Story python_tag_object"}),
    _C("python_tag_in_title", "yaml", "shown",
       story("python_tag_in_title", "title: !!python/name:os.system\n", title=False),
       expect={"title": ""}),
    _C("custom_tag_with_escape", "yaml", "shown",
       story("custom_tag_with_escape", "x: !<%1B[31m%E2%80%AE> 1\n"),
       expect={"title": "Story custom_tag_with_escape"}),
    _C("undefined_alias", "yaml", "skipped",
       story("undefined_alias", "x: *nowhere\n"), reason="undefined alias"),
    _C("unhashable_key", "yaml", "shown",
       story("unhashable_key", "? [a, b]\n: c\n"), expect={"title": "Story unhashable_key"}),
    _C("unhashable_key_in_related", "yaml", "shown",
       story("unhashable_key_in_related", "related:\n  - ? [a, b]\n    : c\n"),
       expect={"title": "Story unhashable_key_in_related", "related_titles": []}),
    _C("odd_scalar_types", "yaml", "shown",
       text_file("odd_scalar_types.md",
                 "---\ntitle: !!binary aGVsbG8=\nwebUrl: https://news.example/odd\n"
                 "topics: !!set {a, b}\nexcerpt: !!timestamp 2021-06-06\n1: 2\nnull: x\n---\n"),
       expect={"title": "", "topics": [], "excerpt": ""}),
    # YAML 1.1 reads some plain words and numbers surprisingly; the model takes what YAML gives.
    _C("yaml11_title_no", "yaml11", "shown",
       text_file("yaml11_title_no.md", f"---\ntitle: no\nwebUrl: {_url('no')}\n---\n"),
       expect={"title": "", "web_url": _url("no")}),
    _C("yaml11_title_only_no", "yaml11", "skipped",
       text_file("yaml11_title_only_no.md", "---\ntitle: off\n---\n"),
       reason="no title and no link"),
    _C("yaml11_sexagesimal", "yaml11", "shown",
       story("yaml11_sexagesimal", "heat: 1:30\nquality: 190:20:30\n"),
       expect={"heat": 90, "quality": 685230}),
    _C("yaml11_octal_hex", "yaml11", "shown",
       story("yaml11_octal_hex", "heat: 017\nquality: 0x1F\n"), expect={"heat": 15, "quality": 31}),
    _C("yaml11_nan_inf", "yaml11", "shown",
       story("yaml11_nan_inf", "heat: .nan\nquality: -.inf\n"),
       expect={"heat": None, "quality": None}),
    _C("yaml11_5000_digits", "yaml11", "shown",
       story("yaml11_5000_digits", f"heat: {'9' * 5000}\nquality: {'1' * 4301}\n"),
       expect={"heat": None, "quality": None}),
    _C("yaml11_huge_float", "yaml11", "shown",
       story("yaml11_huge_float", "heat: 1e400\nquality: 1.0e+13\n"),
       expect={"heat": None, "quality": None}),
    _C("yaml11_bool_topics", "yaml11", "shown",
       story("yaml11_bool_topics", "topics: [yes, no, on, off, 1.0, null, ~, 'yes']\n"),
       expect={"topics": ["yes"]}),
    _C("yaml11_published_off", "yaml11", "hidden",
       story("yaml11_published_off", "published: off\n"), reason="draft"),
    _C("yaml11_published_string_no", "yaml11", "hidden",
       story("yaml11_published_string_no", "published: 'no'\n"), reason="draft"),
    _C("published_false", "yaml11", "hidden",
       story("published_false", "published: false\n"), reason="draft"),
    _C("deleted_true", "yaml11", "hidden",
       story("deleted_true", "deleted: true\n"), reason="withdrawn"),
    _C("deleted_yes_string", "yaml11", "hidden",
       story("deleted_yes_string", "deleted: 'Yes '\n"), reason="withdrawn"),
    _C("published_odd_value", "yaml11", "shown",
       story("published_odd_value", "published: 0\ndeleted: [true]\n"),
       expect={"title": "Story published_odd_value"}),
    # Dates: aware UTC from every form, unknown when impossible.
    _C("date_z", "dates", "shown",
       story("date_z", "publishedDateTime: 2021-06-06T14:25:29Z\n"),
       expect={"published_ts": 1622989529.0}),
    _C("date_offset", "dates", "shown",
       story("date_offset", "publishedDateTime: 2021-06-06T07:25:29-07:00\n"),
       expect={"published_ts": 1622989529.0}),
    _C("date_naive", "dates", "shown",
       story("date_naive", "publishedDateTime: 2021-06-06 14:25:29\n"),
       expect={"published_ts": 1622989529.0}),
    _C("date_only", "dates", "shown",
       story("date_only", "publishedDateTime: 2021-06-06\n"),
       expect={"published_ts": 1622937600.0}),
    _C("date_string", "dates", "shown",
       story("date_string", "publishedDateTime: '2021-06-06T16:25:29+02:00'\n"),
       expect={"published_ts": 1622989529.0}),
    _C("date_tz_plus14", "dates", "shown",
       story("date_tz_plus14", "publishedDateTime: 2021-06-07T04:25:29+14:00\n"),
       expect={"published_ts": 1622989529.0}),
    _C("date_impossible_day", "dates", "shown",
       story("date_impossible_day", "publishedDateTime: 2021-02-30T10:00:00Z\n"
             "updatedDateTime: 2021-13-01\n"),
       expect={"published_ts": None, "updated_ts": None}),
    _C("date_bad_offset", "dates", "shown",
       story("date_bad_offset", "publishedDateTime: 2021-06-06T10:00:00+25:00\n"),
       expect={"published_ts": None}),
    _C("date_far_future", "dates", "shown",
       story("date_far_future", "publishedDateTime: 9999-12-31T23:59:59-12:00\n"),
       expect={"published_ts": None}),
    _C("date_year_one", "dates", "shown",
       story("date_year_one", "publishedDateTime: 0001-01-01T00:00:00+01:00\n"),
       expect={"published_ts": None}),
    _C("date_words", "dates", "shown",
       story("date_words", "publishedDateTime: yesterday\nupdatedDateTime: 1622989529\n"),
       expect={"published_ts": None, "updated_ts": None}),
    # Every field with the wrong type: unknown, the rest kept.
    _C("wrong_types_with_title", "types", "shown",
       text_file("wrong_types_with_title.md",
                 "---\ntitle: A good title\nexcerpt: {a: 1}\npublishedDateTime: [2021]\n"
                 "webUrl: 5\noriginalUrl: true\nampWebUrl: {}\nprovider: CNN\n"
                 "topics: Politics\nheat: hot\nquality: [1]\npublished: maybe\ndeleted: 7\n"
                 "images: x\nrelated: y\nupdatedDateTime: {}\n---\n"),
       expect={"title": "A good title", "excerpt": "", "published_ts": None, "web_url": "",
               "original_url": "", "amp_url": "", "provider_name": "", "provider_domain": "",
               "topics": [], "heat": None, "quality": None, "related_count": 0,
               "image_urls": [], "related_titles": [], "updated_ts": None}),
    _C("wrong_types_everywhere", "types", "skipped",
       text_file("wrong_types_everywhere.md",
                 "---\ntitle: [1]\nexcerpt: 2\nwebUrl: [https://x.example/]\n"
                 "originalUrl: {a: b}\nampWebUrl: 3.5\nprovider: [a]\n---\n"),
       reason="no title and no link"),
    _C("wrong_item_types", "types", "shown",
       story("wrong_item_types",
             "topics: [1, [a], {b: c}, null, '  Real  ']\nrelated: [1, x, null, [a], {}, "
             "{title: 5}, {title: Kept, provider: [x]}]\nimages: [{url: 5}, x, "
             "{url: 'https://i.example/a.jpg', width: wide, height: 10.6}]\n"
             "provider: {name: 7, domain: [x]}\n"),
       expect={"topics": ["Real"], "related_titles": ["Kept"], "related_count": 3,
               "image_urls": ["https://i.example/a.jpg"], "image_sizes": [[None, 11]],
               "provider_name": "", "provider_domain": ""}),
    _C("topics_case_dedup", "types", "shown",
       story("topics_case_dedup", "topics: ['  Politics ', politics, POLITICS, '', Sport]\n"),
       expect={"topics": ["Politics", "Sport"]}),
    _C("numeric_strings", "types", "shown",
       story("numeric_strings", "heat: ' 42 '\nquality: '12.5'\n"),
       expect={"heat": 42, "quality": None}),
    _C("bool_scores", "types", "shown",
       story("bool_scores", "heat: true\nquality: false\n"),
       expect={"heat": None, "quality": None}),
    _C("huge_scores", "types", "shown",
       story("huge_scores", "heat: 10000000000000\nquality: -10000000000000\n"),
       expect={"heat": None, "quality": None}),
    _C("no_title_no_link", "types", "skipped",
       text_file("no_title_no_link.md", "---\nexcerpt: only an excerpt\n---\n"),
       reason="no title and no link"),
    _C("link_only", "types", "shown",
       story("link_only", "", title=False), expect={"title": "", "web_url": _url("link_only")}),
    # Encodings and file shapes.
    _C("bom_utf8", "encoding", "skipped",
       text_file("bom_utf8.md", "\ufeff---\ntitle: With BOM\n---\n"),
       reason="not a story", expect={"title": "With BOM"}),
    _C("crlf", "encoding", "skipped",
       text_file("crlf.md", "---\r\ntitle: Windows\r\nexcerpt: |\r\n  one\r\n\r\n  two\r\n---\r\n"),
       reason="not a story", expect={"title": "Windows", "excerpt": "one\n\ntwo"}),
    _C("cr_only", "encoding", "skipped",
       text_file("cr_only.md", "---\rtitle: Old Mac\r---\r"),
       reason="not a story", expect={"title": "Old Mac"}),
    _C("latin1", "encoding", "skipped",
       text_file("latin1.md", "---\ntitle: Café à Paris\n---\n", "latin-1"),
       reason="not a story", expect={"title": "Café à Paris"}),
    _C("cp1252_quotes", "encoding", "skipped",
       text_file("cp1252_quotes.md", b"---\ntitle: \x93Quoted\x94 \x80 \x81\n---\n"),
       reason="not a story", expect={"title": "“Quoted” € \ufffd"}),
    _C("utf16_le_bom", "encoding", "skipped",
       text_file("utf16_le_bom.md", "---\ntitle: Sixteen ∑\n---\n", "utf-16"),
       reason="not a story", expect={"title": "Sixteen ∑"}),
    _C("utf16_be_bom", "encoding", "skipped",
       text_file("utf16_be_bom.md",
                 codecs.BOM_UTF16_BE + "---\ntitle: Big end\n---\n".encode("utf-16-be")),
       reason="not a story", expect={"title": "Big end"}),
    _C("utf16_no_bom", "encoding", "skipped",
       text_file("utf16_no_bom.md", "---\ntitle: x\n---\n", "utf-16-le"), reason="binary"),
    _C("utf16_truncated", "encoding", "skipped",
       text_file("utf16_truncated.md", "---\ntitle: x\n---\n".encode("utf-16") + b"\x00"),
       reason="not valid UTF-16"),
    _C("binary_png", "encoding", "skipped",
       text_file("binary_png.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
       reason="binary"),
    _C("binary_no_nul", "encoding", "skipped",
       text_file("binary_no_nul.md", bytes(range(1, 256)) * 4), reason="no front matter"),
    _C("empty_file", "encoding", "skipped", text_file("empty_file.md", b""), reason="empty"),
    _C("whitespace_file", "encoding", "skipped",
       text_file("whitespace_file.md", " \n\t\r\n"), reason="empty"),
    _C("no_front_matter", "encoding", "skipped",
       text_file("no_front_matter.md", "# Just markdown\n\ntext\n"), reason="no front matter"),
    _C("unclosed_front_matter", "encoding", "skipped",
       text_file("unclosed_front_matter.md", "---\ntitle: Never closed\nheat: 3\n"),
       reason="not closed"),
    _C("unclosed_bom_crlf", "encoding", "skipped",
       text_file("unclosed_bom_crlf.md", "\ufeff---\r\ntitle: x\r\n"), reason="not closed"),
    _C("only_fence", "encoding", "skipped",
       text_file("only_fence.md", "---"), reason="not closed"),
    _C("long_fences_and_body", "encoding", "skipped",
       text_file("long_fences_and_body.md",
                 "-----\ntitle: Long fences\n---\nbody\n---\nmore: x\n---\n"),
       reason="not a story", expect={"title": "Long fences"}),
    _C("txt_with_front_matter", "encoding", "skipped",
       text_file("story.txt", "---\ntitle: A txt story\n---\n"),
       reason="not a story", expect={"title": "A txt story"}),
    _C("txt_bom_front_matter", "encoding", "skipped",
       text_file("bom-story.txt", "\ufeff---\ntitle: BOM txt\n---\n"),
       reason="not a story", expect={"title": "BOM txt"}),
    _C("txt_without_front_matter", "encoding", "ignored",
       text_file("notes.txt", "just notes\n")),
    _C("upper_case_suffix", "encoding", "skipped",
       text_file("LOUD.MARKDOWN", "---\ntitle: Loud\n---\n"),
       reason="not a story", expect={"title": "Loud"}),
    # The file system.
    _C("fifo_md", "filesystem", "skipped", fifo("pipe.md"), reason="not a regular file"),
    _C("fifo_txt", "filesystem", "ignored", fifo("pipe.txt")),
    _C("directory_named_md", "filesystem", "shown", _dir_named_md,
       expect={"title": "Inside a folder"}),
    _C("symlink_loop", "filesystem", "skipped", _symlink_loop, reason="symbolic link"),
    _C("symlink_dev_zero", "filesystem", "skipped", symlink("zero.md", "/dev/zero"),
       reason="not a regular file"),
    _C("symlink_dev_zero_txt", "filesystem", "ignored", symlink("zero.txt", "/dev/zero")),
    _C("symlink_dev_null", "filesystem", "skipped", symlink("null.md", "/dev/null"),
       reason="not a regular file"),
    _C("symlink_broken", "filesystem", "skipped", symlink("broken.md", "nowhere.md"),
       reason="broken symbolic link"),
    _C("symlink_to_folder", "filesystem", "skipped", _symlink_dir, reason="not followed"),
    _C("symlink_folder_loop", "filesystem", "skipped", _symlink_dir_loop, reason="not followed"),
    _C("symlink_to_story", "filesystem", "shown", _symlink_to_story,
       expect={"title": "Reached by a link"}),
    _C("hidden_file", "filesystem", "ignored",
       text_file(".hidden.md", "---\ntitle: Hidden file\n---\n")),
    _C("hidden_folder", "filesystem", "ignored", _hidden_folder),
    _C("too_large_file", "filesystem", "skipped", _sparse("big.md", MAX_FILE_BYTES + 1),
       reason="too large"),
    _C("very_large_file", "filesystem", "skipped", _sparse("huge.md", 4 * 1024**3),
       reason="too large"),
    _C("front_matter_too_large", "filesystem", "skipped",
       story("front_matter_too_large", f"k: {'x' * (MAX_FRONT_MATTER_CHARS + 10)}\n"),
       reason="front matter too large"),
    _C("unreadable_file", "filesystem", "skipped", _mode("locked.md", 0), reason="cannot open",
       needs_non_root=True),
    _C("unreadable_folder", "filesystem", "skipped", _mode("locked", 0, directory=True),
       reason="cannot read folder", needs_non_root=True),
    # Dangerous and disguised links are kept raw but never judged safe.
    _C("javascript_link", "links", "shown",
       text_file("javascript_link.md", "---\ntitle: JS\nwebUrl: 'javascript:alert(1)'\n---\n"),
       expect={"web_url": "javascript:alert(1)"}, unsafe_links=("javascript:alert(1)",)),
    _C("file_link", "links", "shown",
       text_file("file_link.md", "---\ntitle: File\nwebUrl: file:///etc/passwd\n---\n"),
       expect={"web_url": "file:///etc/passwd"}, unsafe_links=("file:///etc/passwd",)),
    _C("option_link", "links", "shown",
       text_file("option_link.md", "---\ntitle: Opt\nwebUrl: '--help'\n---\n"),
       expect={"web_url": "--help"}, unsafe_links=("--help",)),
    _C("userinfo_link", "links", "shown",
       text_file("userinfo_link.md",
                 "---\ntitle: Userinfo\nwebUrl: 'https://good.example@evil.example/'\n"
                 "ampWebUrl: 'https://evil.example\\@good.example/'\n---\n"),
       unsafe_links=("https://good.example@evil.example/", "https://evil.example\\@good.example/")),
    _C("disguised_links", "links", "shown",
       text_file("disguised_links.md",
                 "---\ntitle: Disguised\nwebUrl: ' javascript:alert(2)'\n"
                 "originalUrl: 'https://good.example\u2215evil.example/'\n"
                 "related:\n  - {title: R1, webUrl: 'data:text/html,<script>x</script>'}\n"
                 "  - {title: R2, webUrl: 'https://good.example\u00a0.evil.example/'}\n"
                 "  - {title: R3, webUrl: 'https:///nohost'}\n"
                 "  - {title: R4, webUrl: 'https://host:99999/'}\n---\n"),
       expect={"web_url": "javascript:alert(2)", "related_count": 4},
       unsafe_links=(" javascript:alert(2)", "https://good.example\u2215evil.example/",
                     "data:text/html,<script>x</script>", "https://good.example\u00a0.evil.example/",
                     "https:///nohost", "https://host:99999/")),
    _C("duplicate_link", "duplicates", "duplicate", _duplicate, reason="same story"),
    _C("duplicate_of_escaped_name", "duplicates", "duplicate", _duplicate_of_escaped_name,
       reason="same story"),
    # Look-alike and invisible hosts (UTS #39), kept raw and refused; honest IDN hosts open.
    _C("look_alike_hosts", "links", "shown",
       text_file("look_alike_hosts.md",
                 "---\ntitle: Look-alike hosts\nwebUrl: 'https://ex\u0430mple.com/'\n"
                 "originalUrl: 'https://www.\u0430\u0440\u0440\u04cf\u0435.com/login'\n"
                 'ampWebUrl: "https://good.example\\u0338evil.example/"\n'
                 "related:\n  - {title: R1, webUrl: 'https://www.xn--80ak6aa92e.com/'}\n"
                 "  - {title: R2, webUrl: 'https://g\u3007\u3007gle.com/'}\n---\n"),
       expect={"web_url": "https://ex\u0430mple.com/", "related_count": 2},
       unsafe_links=("https://ex\u0430mple.com/", "https://www.\u0430\u0440\u0440\u04cf\u0435.com/login",
                     "https://good.example\u0338evil.example/", "https://www.xn--80ak6aa92e.com/",
                     "https://g\u3007\u3007gle.com/")),
    _C("invisible_in_links", "links", "shown",
       text_file("invisible_in_links.md",
                 '---\ntitle: Invisible in links\nwebUrl: "https://exa\\u034fmple.com/"\n'
                 'originalUrl: "https://example.com/\\u3164"\nampWebUrl: "https://x\\U000e0100.example/"\n'
                 'related:\n  - {title: R1, webUrl: "https://news.example/\\u115f\\u1160"}\n'
                 '  - {title: R2, webUrl: "https://news.example/a\\ufe0f\\u180b\\u17b4\\uffa0"}\n---\n'),
       expect={"web_url": "https://exa\u034fmple.com/", "related_count": 2},
       unsafe_links=("https://exa\u034fmple.com/", "https://example.com/\u3164",
                     "https://x\U000e0100.example/", "https://news.example/\u115f\u1160",
                     "https://news.example/a\ufe0f\u180b\u17b4\uffa0")),
    _C("honest_idn_hosts", "links", "shown",
       text_file("honest_idn_hosts.md",
                 "---\ntitle: Honest international hosts\nwebUrl: 'https://m\u00fcnchen.de/'\n"
                 "related:\n  - {title: R1, webUrl: 'https://\u4f8b\u3048.jp/'}\n"
                 "  - {title: R2, webUrl: 'https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/'}\n"
                 "  - {title: R3, webUrl: 'https://\u03b5\u03bb\u03bb\u03ac\u03b4\u03b1.gr/'}\n---\n"),
       expect={"web_url": "https://m\u00fcnchen.de/",
               "related_urls": ["https://\u4f8b\u3048.jp/",
                                "https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/",
                                "https://\u03b5\u03bb\u03bb\u03ac\u03b4\u03b1.gr/"]}),
]  # fmt: skip

CASES: dict[str, Case] = {case.name: case for case in _CASES}
assert len(CASES) == len(_CASES), "case names must be unique"

#: Keys of `Case.expect` that are not `Article` fields but come from the full `Story`.
STORY_KEYS = (
    "related_titles",
    "related_urls",
    "related_excerpts",
    "related_providers",
    "image_urls",
    "image_sizes",
    "updated_ts",
)


def build_corpus(folder: Path, *, as_root: bool | None = None) -> list[Case]:
    """Build every case in its own subfolder of `folder`; return them with `path` set.

    Cases that cannot be built honestly (unreadable files when running as
    root, who reads everything) are left out.
    """
    root = os.geteuid() == 0 if as_root is None else as_root
    built: list[Case] = []
    for case in _CASES:
        if case.needs_non_root and root:
            continue
        sub = folder / case.name
        sub.mkdir(parents=True)
        path = case.build(sub)
        built.append(Case(**{f.name: getattr(case, f.name) for f in fields(Case)} | {"path": path}))
    return built


@contextmanager
def built_corpus(folder: Path) -> Iterator[list[Case]]:
    """`build_corpus`, with the folders it made unreadable made readable again
    afterwards, so that pytest can remove them."""
    built = build_corpus(folder)
    try:
        yield built
    finally:
        for case in built:
            if case.needs_non_root and case.path is not None:
                os.chmod(case.path, 0o755)


def story_fields(article: Any, story: Any) -> dict[str, Any]:
    """A flat dict of an Article's fields and the story-level keys of `STORY_KEYS`."""
    flat = {f.name: getattr(article, f.name) for f in fields(article)}
    flat["topics"] = list(article.topics)
    flat["related_titles"] = [r.title for r in story.related]
    flat["related_urls"] = [r.url for r in story.related]
    flat["related_excerpts"] = [r.excerpt for r in story.related]
    flat["related_providers"] = [r.provider_name for r in story.related]
    flat["image_urls"] = [i.url for i in story.images]
    flat["image_sizes"] = [[i.width, i.height] for i in story.images]
    flat["updated_ts"] = story.updated_ts
    return flat


def check_expect(case: Case, flat: dict[str, Any]) -> list[str]:
    """The ways `flat` (see `story_fields`) differs from the case's expectations."""
    wrong = []
    for key, want in case.expect.items():
        have = flat[key]
        ok = want(have) if callable(want) else have == want
        if not ok:
            wrong.append(f"{key}: expected {want!r}, got {have!r}")
    return wrong


_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def bad_chars(text: str, *, newlines: bool = False) -> list[str]:
    """Characters that must never reach a terminal, as escapes ([] when clean)."""
    bad = []
    for ch in text:
        code = ord(ch)
        if ch == "\n" and newlines:
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs") or code in _BIDI or code in (0xFEFF, 0x2028, 0x2029):
            bad.append(ascii(ch))
    return bad


def unclean_strings(obj: Any, where: str = "", skip: Iterable[str] = ("path",)) -> list[str]:
    """Every string inside a record (dataclasses, tuples, lists, dicts) that is not clean.

    `path` is a file system path kept as is to reopen the file; it is shown
    through `reader.model.text.show_path`, checked separately. Excerpts may
    keep newlines between paragraphs.
    """
    found: list[str] = []
    skipped = set(skip)
    if isinstance(obj, str):
        allow_newlines = where.endswith("excerpt") or where.endswith("excerpts")
        bad = bad_chars(obj, newlines=allow_newlines)
        if bad:
            found.append(f"{where or 'text'}: {' '.join(bad[:5])}")
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            if f.name not in skipped:
                found += unclean_strings(getattr(obj, f.name), f"{where}.{f.name}", skipped)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if key not in skipped:
                found += unclean_strings(value, f"{where}.{key}", skipped)
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            found += unclean_strings(value, f"{where}[{i}]", skipped)
    return found
