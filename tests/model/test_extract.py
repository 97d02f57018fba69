"""Extracting an article's text from a page: saved real news pages and hostile ones.

The saved pages and what their articles are: tests/model/pages/README.md.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model.extract import (
    MAX_PAGE_BYTES,
    Block,
    FullText,
    clean_text,
    extract,
)
from reader.model.links import unsafe_reason
from tests.bench.bench_extract import load_pages, score, squeeze

REPO = Path(__file__).resolve().parents[2]
PAGES = {page.name: page for page in load_pages()}
URL = "https://news.example/2024/05/story.html"
#: Enough ordinary words for trafilatura to take a paragraph as an article.
WORDS = "The council met on Tuesday evening and voted to keep the library open all summer. " * 4
#: Boilerplate lines trafilatura keeps, by page (tests/model/pages/README.md): the BBC's
#: box of links to its guides, Kaieteur News's sidebar of teasers and letters policy.
KNOWN_KEPT = {"bbc.com.52241221": 6, "kaieteurnewsonline.com-essequibo": 8}
#: What no text may hold: C0 and C1 controls (but the newline of code), DEL, bidi controls.
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def page(body: str, head: str = "") -> str:
    """A whole HTML page around `body`."""
    return (
        f"<!DOCTYPE html><html><head><title>A story</title>{head}</head>"
        f"<body><article>{body}</article></body></html>"
    )


def shown(text: FullText | None) -> str:
    """All the text of `text`'s blocks, one a line."""
    assert text is not None
    return "\n".join(block.text for block in text.blocks)


@functools.cache
def extracted(name: str) -> FullText:
    """The saved page `name` extracted (once: texts are immutable)."""
    saved = PAGES[name]
    text = extract(saved.html, saved.url, fetched_at=1_700_000_000.0)
    assert text is not None
    return text


def lines_of(text: FullText) -> list[str]:
    return [re.sub(r" \[\d+\]", "", block.text) for block in text.blocks]


# Saved real pages


def test_there_are_saved_pages_with_what_they_hold() -> None:
    assert 5 <= len(PAGES) <= 8
    for saved in PAGES.values():
        assert saved.url.startswith("https://") and saved.first and saved.last
        assert saved.body and saved.boilerplate


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_saved_page_gives_its_article_from_the_first_sentence(name: str) -> None:
    saved = PAGES[name]
    text = extracted(name)
    assert squeeze(saved.first) in squeeze("\n".join(lines_of(text)))
    assert text.url == saved.url and text.fetched_at == 1_700_000_000.0
    assert text.title and text.words > 200


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(
                strict=True, reason="trafilatura reads only the first of Wired's two bodies"
            ),
        )
        if name == "wired.com.burn"
        else name
        for name in sorted(PAGES)
    ],
)
def test_a_saved_page_gives_its_article_to_the_last_sentence(name: str) -> None:
    assert squeeze(PAGES[name].last) in squeeze("\n".join(lines_of(extracted(name))))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_saved_page_leaves_its_navigation_out(name: str) -> None:
    saved = PAGES[name]
    result = score(saved, lines_of(extracted(name)))
    assert len(result.boilerplate) <= KNOWN_KEPT.get(name, 0), result.boilerplate
    shown_lines = {squeeze(line) for line in lines_of(extracted(name))}
    kept = [line for line in saved.boilerplate if squeeze(line) in shown_lines]
    assert len(kept) <= KNOWN_KEPT.get(name, 0), kept
    for line in saved.boilerplate:
        if len(line.split()) >= 4 and name not in KNOWN_KEPT:
            assert squeeze(line) not in squeeze("\n".join(lines_of(extracted(name)))), line


def test_the_bbc_page_keeps_its_headings_and_lists() -> None:
    text = extracted("bbc.com.52241221")
    assert text.blocks[0] == Block(
        "heading", "Coronavirus: New York ramps up mass burials amid outbreak", 1
    )
    assert Block("heading", "A city upended", 2) in text.blocks
    items = [block.text for block in text.blocks if block.kind == "item"]
    assert "68%of coronavirus deaths in Chicago were African American" in items
    assert text.title == "New York ramps up mass burials amid virus outbreak"
    assert text.lead_image == "https://ichef.bbci.co.uk/images/ic/1024x576/p08960hj.jpg"


def test_the_verge_page_keeps_the_embedded_tweet_as_a_quote() -> None:
    quotes = [
        block.text for block in extracted("theverge.com.ios13").blocks if block.kind == "quote"
    ]
    assert any(q.startswith("How iOS 13 FaceTime Attention Correction works") for q in quotes)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_saved_page_numbers_safe_absolute_links_in_order(name: str) -> None:
    text = extracted(name)
    assert all(unsafe_reason(link) is None for link in text.links)
    assert len(set(text.links)) == len(text.links)
    numbers = [int(n) for n in re.findall(r" \[(\d+)\]", shown(text))]
    firsts = list(dict.fromkeys(numbers))
    assert firsts == list(range(1, len(text.links) + 1))
    assert text.lead_image == "" or unsafe_reason(text.lead_image) is None


def test_every_saved_page_is_clean_text() -> None:
    for name in PAGES:
        text = extracted(name)
        for block in text.blocks:
            assert not FORBIDDEN.search(block.text), (name, block)
            assert clean_text(block.text, block.kind) == block.text
        assert not FORBIDDEN.search(text.title)


# Hostile pages


def test_scripts_and_styles_are_never_text() -> None:
    html = page(
        f"<p>{WORDS}</p><script>document.write('SCRIPTED')</script>"
        f"<style>p {{ color: red }} .STYLED {{}}</style><p>{WORDS}<script>x='INLINE'</script></p>"
        "<noscript>NOSCRIPTED</noscript>",
        head="<script>alert('HEADSCRIPT')</script><style>body{}</style>",
    )
    text = shown(extract(html, URL))
    for marker in ("SCRIPTED", "STYLED", "INLINE", "HEADSCRIPT", "alert", "color"):
        assert marker not in text
    assert "library open all summer" in text


def test_terminal_escapes_bidi_controls_and_nuls_are_removed() -> None:
    html = page(
        f"<p>{WORDS} red\x1b[31mALERT\x1b[0m and \x1b]8;;https://evil.example/\x07LINKED"
        "\x1b]8;;\x07 and \x9b2Jcleared, a\x00b, \u202eesrever\u202c \u2066iso\u2069 "
        "&#27;[32mGREEN &#x1b;]0;title&#7; &#0;zero done</p>"
    )
    text = shown(extract(html, URL))
    assert not FORBIDDEN.search(text)
    assert "[31m" not in text and "[0m" not in text and "8;;" not in text and "[32m" not in text
    assert "]0;title" not in text and "2J" not in text
    assert "redALERT and LINKED and cleared, ab, esrever iso GREEN" in text


def test_normal_unicode_is_kept() -> None:
    words = "Ødegaard scored twice; Straße, 東京, café, naïve — “quoted” and emoji 🎉 stay."
    text = shown(extract(page(f"<p>{WORDS} {words}</p>"), URL))
    assert words in text


def test_markup_in_a_page_is_kept_literally() -> None:
    html = page(f"<p>{WORDS} [b]markup[/b] [@click=app.quit]x[/] &lt;b&gt;bold&lt;/b&gt; [/</p>")
    assert "[b]markup[/b] [@click=app.quit]x[/] <b>bold</b> [/" in shown(extract(html, URL))


def test_unsafe_links_keep_their_words_but_get_no_number() -> None:
    html = page(
        f"<p>{WORDS} <a href='javascript:alert(1)'>run</a>, <a href=' JavaScript:x'>run2</a>, "
        "<a href='java&#x09;script:x'>run3</a>, <a href='data:text/html,hi'>data</a>, "
        "<a href='file:///etc/passwd'>file</a>, <a href='https://evil.example@good.example/'>"
        "hidden</a>, <a href='https://safe.example/a'>safe</a>.</p>"
    )
    text = extract(html, URL)
    assert text is not None
    assert text.links == ("https://safe.example/a",)
    assert "run, run2, run3, data, file, hidden, safe [1]." in shown(text)


def test_relative_links_are_resolved_against_the_page() -> None:
    html = page(
        f"<p>{WORDS} <a href='next.html'>next</a> <a href='/about'>about</a> "
        "<a href='../archive/'>archive</a> <a href='//cdn.example/x.pdf'>pdf</a> "
        "<a href='?page=2'>more</a> <a href='#comments'>jump</a> <a href=' /spaced '>spaced</a></p>"
    )
    text = extract(html, URL)
    assert text is not None
    assert text.links == (
        "https://news.example/2024/05/next.html",
        "https://news.example/about",
        "https://news.example/2024/archive/",
        "https://cdn.example/x.pdf",
        "https://news.example/2024/05/story.html?page=2",
        "https://news.example/spaced",
    )
    assert "jump" in shown(text) and "jump [" not in shown(text)  # a jump within the page


def test_a_base_element_is_what_links_are_resolved_against() -> None:
    html = page(f"<p>{WORDS} <a href='x.html'>x</a></p>", head="<base href='/mirror/'>")
    assert extract(html, URL).links == ("https://news.example/mirror/x.html",)  # type: ignore[union-attr]


def test_the_same_link_has_the_same_number() -> None:
    html = page(
        f"<p>{WORDS} <a href='/a'>one</a> <a href='/b'>two</a></p>"
        f"<p>{WORDS} <a href='https://news.example/a'>again</a> <a href='/c'>three</a></p>"
    )
    text = extract(html, URL)
    assert text is not None and len(text.links) == 3
    assert "one [1] two [2]" in shown(text) and "again [1] three [3]" in shown(text)


def test_headings_lists_quotes_and_code_become_their_kinds() -> None:
    html = page(
        f"<h2>What happened</h2><p>{WORDS}</p><h3>Who voted</h3>"
        "<ul><li>Ana Lima, for</li><li>Ben Ode, against</li></ul>"
        "<ol><li>First, the budget</li></ol>"
        f"<blockquote><p>We will keep it open, said the mayor. {WORDS}</p></blockquote>"
        "<pre><code>if open:\n    stay()</code></pre>"
        f"<p>{WORDS}</p>"
    )
    text = extract(html, URL)
    assert text is not None
    kinds = [(b.kind, b.level) for b in text.blocks]
    assert kinds == [
        ("heading", 2),
        ("paragraph", 0),
        ("heading", 3),
        ("item", 0),
        ("item", 0),
        ("item", 0),
        ("quote", 0),
        ("code", 0),
        ("paragraph", 0),
    ]
    assert text.blocks[3].text == "Ana Lima, for"
    assert text.blocks[6].text.startswith("We will keep it open, said the mayor.")
    assert text.blocks[7].text == "if open:\n    stay()"


def test_line_breaks_in_a_paragraph_make_paragraphs() -> None:
    text = extract(page(f"<p>{WORDS}<br><br>{WORDS}</p>"), URL)
    assert text is not None and [b.kind for b in text.blocks] == ["paragraph", "paragraph"]


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        "<html></html>",
        "<html><body></body></html>",
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        page("<p>Subscribe to read this story.</p><button>Log in</button>"),
        "just some words, no HTML at all",
        "<?xml version='1.0'?><rss><channel><title>feed</title></channel></rss>",
    ],
)
def test_a_page_without_an_article_gives_none(html: str | bytes) -> None:
    assert extract(html, URL) is None


def test_huge_nesting_does_not_crash() -> None:
    deep = "<div>" * 10_000 + f"<p>{WORDS}</p>" + "</div>" * 10_000
    text = extract(f"<html><body>{deep}</body></html>", URL)
    assert text is None or "library" in shown(text)
    quotes = "<blockquote>" * 5_000 + WORDS + "</blockquote>" * 5_000
    extract(page(quotes), URL)  # None or text, no exception


def test_a_page_larger_than_the_limit_is_not_read() -> None:
    assert extract(b"<p>" + b"x" * MAX_PAGE_BYTES + b"</p>", URL) is None


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,
        b"\xff\xfe\xfa" + page(f"<p>{WORDS}</p>").encode() + b"\x80\x81",
        page(f"<p>{WORDS} \udcff lone surrogate</p>"),
        b"\x1f\x8b\x08" + b"\x00" * 64,  # a gzip header, then nothing
    ],
)
def test_invalid_bytes_do_not_crash(data: bytes | str) -> None:
    text = extract(data, URL)
    assert text is None or not FORBIDDEN.search(shown(text))


def test_a_wrong_charset_does_not_crash_and_keeps_the_rest() -> None:
    data = page(f"<p>{WORDS} Les élèves du café</p>").encode("latin-1")
    text = shown(extract(data, URL, charset="utf-8"))
    assert "library open all summer" in text and "caf\ufffd" in text
    assert extract(data, URL, charset="no-such-charset") is not None


def test_the_charset_given_is_used() -> None:
    words = "Депутаты обсудили бюджет города на следующий год"
    data = page(f"<p>{WORDS} {words}</p>").encode("windows-1251")
    assert words in shown(extract(data, URL, charset="windows-1251"))


def test_the_pages_own_charset_is_used_without_one_given() -> None:
    words = "Les élèves du café"
    data = page(f"<p>{WORDS} {words}</p>", head="<meta charset='iso-8859-1'>").encode("latin-1")
    assert words in shown(extract(data, URL))
    bom = "\ufeff".encode("utf-16-le") + page(f"<p>{WORDS} {words}</p>").encode("utf-16-le")
    assert words in shown(extract(bom, URL))


def test_a_charset_that_is_no_page_encoding_is_ignored() -> None:
    data = page(f"<p>{WORDS} \\x1b[31m stays letters</p>").encode()
    text = shown(extract(data, URL, charset="unicode_escape"))
    assert "\\x1b[31m stays letters" in text


def test_a_page_given_as_text_is_read_as_it_is() -> None:
    text = extract(page(f"<p>{WORDS} café</p>", head="<meta charset='koi8-r'>"), URL)
    assert "café" in shown(text)


def test_the_title_and_lead_image_come_from_the_page() -> None:
    head = (
        "<meta property='og:title' content='The \x1b[1mreal\u202e title'>"
        "<meta property='og:image' content='/img/lead.jpg'>"
    )
    text = extract(page(f"<p>{WORDS}</p>", head=head), URL)
    assert text is not None
    assert text.title == "The real title"
    assert text.lead_image == "https://news.example/img/lead.jpg"


def test_an_unsafe_lead_image_falls_back_to_the_articles_first_image() -> None:
    head = "<meta property='og:image' content='javascript:alert(1)'>"
    body = f"<img src='data:image/png;base64,AAAA'><img src='pic.jpg'><p>{WORDS}</p>"
    text = extract(page(body, head=head), URL)
    assert text is not None and text.lead_image == "https://news.example/2024/05/pic.jpg"
    assert extract(page(f"<p>{WORDS}</p>"), URL).lead_image == ""  # type: ignore[union-attr]


def test_words_leave_link_numbers_out() -> None:
    text = FullText(URL, "t", (Block("paragraph", "one two [1] three [2]"),), ("a", "b"))
    assert text.words == 3


def test_clean_text_keeps_code_lines_and_joins_paragraphs() -> None:
    assert clean_text("a\n  b\x1b[31m\tc", "paragraph") == "a b c"
    assert clean_text("def f():\n\tif x:\x1b[2J\n\t\treturn 1\n", "code") == (
        "def f():\n    if x:\n        return 1"
    )


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab \t\n\x1b[]m;\x07\x00\u202e\x9b\u2028é"), max_size=60),
    st.sampled_from(["paragraph", "code"]),
)
def test_clean_text_is_clean_and_stays_as_it_is(text: str, kind: str) -> None:
    once = clean_text(text, kind)
    assert clean_text(once, kind) == once
    assert not FORBIDDEN.search(once)


def test_clean_text_of_a_huge_block_stays_as_it_is() -> None:
    for kind in ("paragraph", "code"):
        once = clean_text("word  " * 10_000 + "\n  indented " * 5_000, kind)
        assert clean_text(once, kind) == once and len(once) <= 20_000


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=120))
def test_any_text_in_a_page_comes_out_clean(inserted: str) -> None:
    safe = inserted.replace("<", " ").replace("&", " ")
    text = extract(page(f"<p>{WORDS} {safe}</p><h2>{safe}</h2>"), URL)
    assert text is not None
    for block in text.blocks:
        assert not FORBIDDEN.search(block.text) and "\x1b" not in block.text


def test_importing_the_model_does_not_import_trafilatura() -> None:
    code = (
        "import reader.model.extract, reader.model.textcache, sys; "
        "assert 'trafilatura' not in sys.modules and 'lxml' not in sys.modules"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_saved_pages_are_real_and_small() -> None:
    sizes = [len(saved.html) for saved in PAGES.values()]
    assert sum(sizes) < 1_500_000 and min(sizes) > 20_000
