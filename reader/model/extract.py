"""A fetched web page turned into the article's text: headings, paragraphs, list items,
quotes and code, with its links numbered as references.

trafilatura finds the article (it parses with lxml and runs nothing: no script, no
style, no network); this module decodes the page, walks what trafilatura kept into
`Block`s and cleans every string as story files are cleaned (`text.clean_line`), after
removing whole terminal escape sequences, so `\\x1b[31m` leaves no `[31m` behind.
Markup of any kind stays literal text: `[b]x[/b]` is shown as it is written.

Links become "anchor text [3]": the reference `FullText.links[2]`, an absolute http(s)
URL that `links.unsafe_reason` accepts. A `javascript:`, `data:` or otherwise unsafe
link keeps its anchor text and gets no number.

Measured against readability-lxml on eight saved news pages (tests/bench/
bench_extract.py, tests/model/pages/README.md): each gives 7 of the 8 articles
whole. trafilatura stops after the first of two body containers (wired.com: 8 of 18
paragraphs lost) and keeps more boilerplate (a sidebar, a box of links: 14 lines
against 7); readability-lxml gave a newsletter's privacy notice instead of one whole
article, and twice the captions and credits. Not clearly better, so not a dependency.
Costs on a shared 2-core machine: 14-36 ms a page of 60-300 KB; 0.2 s to import
trafilatura, on the first call (so importing this module costs nothing).
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag, urljoin

from .links import unsafe_reason
from .text import MAX_TITLE, clean_line

#: The kinds of `Block`.
KINDS = frozenset({"heading", "paragraph", "item", "quote", "code"})
#: A bigger page is not read (None): the largest news pages are ~2 MB.
MAX_PAGE_BYTES = 10 * 1024 * 1024
#: Longest block kept; a longer one is cut with an ellipsis.
MAX_BLOCK = 20_000
#: Characters of text kept in all; blocks past it are dropped (a long feature is ~60,000).
MAX_TEXT = 500_000
#: Links numbered at most; later ones keep their anchor text without a number.
MAX_LINKS = 2_000
#: Fewer words than this is no article (a page of links, a cookie wall, "Subscribe").
MIN_WORDS = 20
#: Elements nested deeper than this in trafilatura's output are read as plain text.
_MAX_DEPTH = 50

#: Terminal escape sequences, whole: CSI (`ESC [ ... m`), OSC (`ESC ] 8;;url BEL`, to its
#: terminator or the end of the line), DCS/SOS/PM/APC strings, two-character escapes,
#: and the 8-bit CSI and OSC. `clean_line` then removes any control left.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b\n]*(?:\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|\x9d[^\x07\x1b\x9c\n]*(?:\x07|\x9c)?"
)
_MARKER = re.compile(r" \[\d+\]")
#: A numeric character reference, such as `&#27;` (ESC) or `&#x1b;`.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
#: Python codecs that decode bytes but are no web page encoding: "unicode_escape" would
#: turn the letters `\x1b` into an escape.
_NOT_PAGE_CODECS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined", "utf-7"}
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BLOCK_KIND = {"head": "heading", "p": "", "quote": "quote", "code": "code", "item": "item"}
_CONTAINERS = frozenset({"body", "div", "list", "main", "section", "article"})
_SKIPPED = frozenset({"table", "graphic", "comments", "note", "fw"})


@dataclass(frozen=True, slots=True)
class Block:
    """One heading, paragraph, list item, quote or code block of an article."""

    #: "heading", "paragraph", "item" (a list item), "quote" or "code".
    kind: str
    #: Clean text; a link is shown as "anchor text [3]". Code keeps its lines.
    text: str
    #: A heading's level, 1-6; 0 for other kinds.
    level: int = 0


@dataclass(frozen=True, slots=True)
class FullText:
    """The article of a web page, as `extract` found it."""

    #: The page's final URL (after redirects).
    url: str
    title: str
    blocks: tuple[Block, ...]
    #: The numbered references: `links[0]` is "[1]". Absolute, safe http(s) URLs.
    links: tuple[str, ...]
    #: The page's lead image (og:image, or the article's first image): absolute and safe, or "".
    lead_image: str = ""
    #: When the page was fetched (seconds since the epoch), 0 when unknown.
    fetched_at: float = 0.0

    @property
    def words(self) -> int:
        """Words in the blocks, link numbers left out."""
        return sum(len(_MARKER.sub("", block.text).split()) for block in self.blocks)


def clean_text(text: str, kind: str = "paragraph") -> str:
    """`text` as a block of `kind` shows it: escape sequences, controls and bidi controls
    removed; white space joined, except in code, which keeps its lines and indents."""
    text = _ESCAPES.sub("", text)
    if kind != "code":
        return clean_line(text, MAX_BLOCK)
    lines = []
    for line in text.expandtabs(4).splitlines()[: MAX_BLOCK // 8]:
        body = clean_line(line, MAX_BLOCK)
        lines.append(" " * (len(line) - len(line.lstrip(" "))) + body if body else "")
    return "\n".join(lines).strip("\n")[:MAX_BLOCK].rstrip()


def extract(
    html: bytes | str, url: str, *, charset: str | None = None, fetched_at: float = 0.0
) -> FullText | None:
    """The article of the page `html` fetched from `url`, or None when it has none
    (a paywall, an index page, not HTML at all).

    Bytes are decoded as a browser does: by their BOM, else by `charset` (the HTTP
    header's) or the page's `<meta charset>` when it names a known encoding, even a
    wrong one (what does not decode becomes U+FFFD), else as UTF-8, else by a guess.
    Never raises for a page; an ImportError (trafilatura missing or broken: an
    install problem, not the page's) is passed on, to be said as such.
    """
    if len(html) > MAX_PAGE_BYTES:
        return None
    try:
        return _extract(_decode(html, charset), url, fetched_at)
    except ImportError:
        raise
    except Exception:  # a hostile page must not stop the caller (RecursionError, lxml errors...)
        return None


def _extract(page: str, url: str, fetched_at: float) -> FullText | None:
    import trafilatura  # ~0.2 s: only when a page is read

    # Whole escape sequences go before lxml sees the page (trafilatura drops the ESC
    # alone, leaving "[31m"), and a leading XML declaration, which would make lxml
    # read the decoded text as bytes in the declared encoding.
    page = _XML_DECLARATION.sub("", _ESCAPES.sub("", _control_refs(page)))
    tree = trafilatura.load_html(page)
    if tree is None:
        return None
    document = trafilatura.bare_extraction(
        tree,
        # Not the URL: trafilatura would resolve "b.html" against the site's root, not
        # the page, and "//host/x" to http. Links are resolved here instead.
        url=None,
        favor_precision=True,
        include_links=True,
        include_formatting=False,
        include_comments=False,
        include_tables=False,
        include_images=False,
        with_metadata=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return None
    base = _base(tree, url)
    walker = _Walker(base, url)
    walker.walk(body, "paragraph", 0, 0)
    text = FullText(
        url=url,
        title=_title(tree),
        blocks=tuple(walker.blocks),
        links=tuple(walker.links),
        lead_image=_lead_image(tree, base),
        fetched_at=fetched_at,
    )
    return text if text.words >= MIN_WORDS else None


def _control_refs(page: str) -> str:
    """`page` with references to C0 controls written out (`&#27;` as ESC), so that the
    escape sequences they start are removed whole, and the controls with them (lxml
    would keep ESC, which stops trafilatura finding anything)."""

    def written(match: re.Match[str]) -> str:
        code = int(match[1], 16) if match[1] else int(match[2])
        return chr(code) if (code < 0x20 and code not in (9, 10, 13)) or code == 0x7F else match[0]

    return _CHAR_REF.sub(written, page) if "&#" in page else page


def _base(tree: Any, url: str) -> str:
    """What relative links are resolved against: the page's `<base href>`, else its URL."""
    for href in tree.xpath("//base/@href")[:1]:
        with contextlib.suppress(ValueError):
            return urljoin(url, str(href).strip()) if url else str(href).strip()
    return url


class _Walker:
    """Turns trafilatura's output tree (TEI-like tags: head, p, list/item, quote, code,
    ref, hi, lb) into blocks, numbering the links as it meets them."""

    def __init__(self, base: str, url: str) -> None:
        self.url = base
        self.page = urldefrag(url).url if url else ""
        self.blocks: list[Block] = []
        self.links: list[str] = []
        self.numbers: dict[str, int] = {}
        self.chars = 0

    def walk(self, element: Any, kind: str, level: int, depth: int) -> None:
        """Add the blocks of `element`, whose own text is a block of `kind`."""
        parts: list[str] = []
        if element.text:
            parts.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _SKIPPED:
                pass
            elif tag == "lb" and kind != "code":
                # A line break in a paragraph mostly stands for a new one (`<br><br>`).
                self.add(kind, level, parts)
                parts = []
            elif (tag in _BLOCK_KIND or tag in _CONTAINERS) and depth < _MAX_DEPTH:
                self.add(kind, level, parts)
                parts = []
                self.walk(child, *self.kind_of(child, tag, kind), depth + 1)
            else:
                self.inline(child, parts, kind, depth + 1)
            if child.tail:
                parts.append(child.tail)
        self.add(kind, level, parts)

    @staticmethod
    def kind_of(element: Any, tag: str, outer: str) -> tuple[str, int]:
        if tag == "head":
            rend = str(element.get("rend") or "")
            return "heading", int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
        if tag == "p" or tag in _CONTAINERS:
            # A paragraph in a quote or list item is part of it.
            return ("paragraph" if outer in ("heading", "code") else outer), 0
        return _BLOCK_KIND[tag], 0

    def inline(self, element: Any, parts: list[str], kind: str, depth: int) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "lb":
            parts.append("\n" if kind == "code" else " ")
            return
        if tag in _SKIPPED:
            return
        inner: list[str] = [element.text or ""]
        for child in element:
            if depth < _MAX_DEPTH:
                self.inline(child, inner, kind, depth + 1)
            else:
                inner.append("".join(child.itertext()))
            inner.append(child.tail or "")
        text = "".join(inner)
        number = self.number(element.get("target")) if tag == "ref" and text.strip() else None
        if number is None:
            parts.append(text)
        else:
            stripped = text.rstrip()
            parts.append(f"{stripped} [{number}]{text[len(stripped) :]}")

    def number(self, target: object) -> int | None:
        """The reference number of the link `target`, or None when it gets none."""
        link = _absolute(target, self.url)
        if not link or (self.page and urldefrag(link).url == self.page):
            return None  # unsafe, or a jump within the page itself
        if link not in self.numbers:
            if len(self.links) >= MAX_LINKS:
                return None
            self.links.append(link)
            self.numbers[link] = len(self.links)
        return self.numbers[link]

    def add(self, kind: str, level: int, parts: list[str]) -> None:
        if not parts or self.chars >= MAX_TEXT:
            return
        text = clean_text("".join(parts), kind)
        if text:
            self.blocks.append(Block(kind, text, level if kind == "heading" else 0))
            self.chars += len(text)


def _absolute(raw: object, base: str) -> str:
    """`raw` resolved against `base` when it is then a safe http(s) link, else ""."""
    if not isinstance(raw, str) or not raw.strip():
        return ""
    # Browsers ignore white space around a URL and tabs and newlines in it.
    raw = re.sub(r"[\t\n\r]", "", raw.strip())
    try:
        link = urljoin(base, raw) if base else raw
    except ValueError:  # e.g. a bracketed host that does not close
        return ""
    return link if unsafe_reason(link) is None else ""


def _decode(html: bytes | str, charset: str | None) -> str:
    """The page as text: the HTTP charset if it fits, else the BOM, `<meta charset>`,
    UTF-8 or trafilatura's guess; with U+FFFD for what no guess could read."""
    if isinstance(html, str):
        return html
    for bom, name in _BOMS:
        if html.startswith(bom):
            return html.decode(name, "replace")
    meta = _META_CHARSET.search(html[:4096])
    declared = next(_codecs(charset, meta.group(1).decode("ascii") if meta else None), None)
    if declared:
        # As a browser does: what the server or the page says, even when it is wrong.
        return html.decode(declared, "replace")
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        from trafilatura.utils import decode_file  # a guess (charset_normalizer)

        return decode_file(html)


def _codecs(*labels: str | None) -> Iterator[str]:
    """The Python codecs of those `labels` that name a page encoding."""
    for label in labels:
        if label:
            try:
                name = codecs.lookup(label.strip()).name
            except (LookupError, ValueError):
                continue
            if name not in _NOT_PAGE_CODECS:
                yield name


def _first(tree: Any, *paths: str) -> str:
    for path in paths:
        for value in tree.xpath(path):
            if isinstance(value, str) and value.strip():
                return value
    return ""


def _title(tree: Any) -> str:
    raw = _first(
        tree,
        '//meta[@property="og:title"]/@content',
        '//meta[@name="twitter:title"]/@content',
        "//title//text()",
        "//h1//text()",
    )
    return clean_line(_ESCAPES.sub("", raw), MAX_TITLE)


def _lead_image(tree: Any, url: str) -> str:
    for path in (
        '//meta[@property="og:image" or @property="og:image:url"]/@content',
        '//meta[@name="twitter:image" or @name="twitter:image:src"]/@content',
        '//link[@rel="image_src"]/@href',
        "//article//img/@src",
        "//main//img/@src",
    ):
        for value in tree.xpath(path):
            link = _absolute(value, url)
            if link:
                return link
    return ""
