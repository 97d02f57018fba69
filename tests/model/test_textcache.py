"""The offline cache of full texts: round trips, keys, damage, full and read-only disks,
planted symbolic links, the index of keys, search text and its memory."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model import textcache
from reader.model.extract import Block, FullText, extract
from reader.model.text import fold
from reader.model.textcache import FORMAT_VERSION, INDEX, TextCache, digest, folded
from tests.bench.bench_extract import load_pages

LINK = "https://news.example/story?id=7"
FINAL = "https://www.news.example/2024/05/story.html"


def sample(url: str = FINAL, title: str = "Ødegaard’s late goal", words: str = "") -> FullText:
    """A small full text."""
    return FullText(
        url=url,
        title=title,
        blocks=(
            Block("heading", "What happened", 2),
            Block("paragraph", f"The match ended 2-1 after a header [1]. {words}".strip()),
            Block("item", "Saka, assist"),
            Block("quote", "We never stopped."),
            Block("code", "score = 2\n    winner = 'home'"),
        ),
        links=("https://news.example/report",),
        lead_image="https://news.example/pic.jpg",
        fetched_at=1_715_000_000.5,
    )


@pytest.fixture
def cache(tmp_path: Path) -> TextCache:
    return TextCache(tmp_path / "fulltext")


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


# Round trip and keys


def test_a_text_comes_back_as_it_was_put(cache: TextCache) -> None:
    text = sample()
    assert cache.put(text, key=LINK) is None
    assert cache.get(LINK) == text
    assert cache.has(LINK)


def test_a_real_extracted_page_comes_back_as_it_was_put(cache: TextCache) -> None:
    saved = load_pages()[0]
    text = extract(saved.html, saved.url, fetched_at=time.time())
    assert text is not None
    assert cache.put(text, key=saved.url) is None
    assert cache.get(saved.url) == text


def test_texts_are_keyed_by_the_link_asked_for_not_the_final_url(cache: TextCache) -> None:
    assert cache.put(sample(url=FINAL), key=LINK) is None
    assert cache.get(LINK) is not None and cache.get(LINK).url == FINAL  # type: ignore[union-attr]
    assert cache.get(FINAL) is None and not cache.has(FINAL)
    name = hashlib.sha256(LINK.encode()).hexdigest()
    assert cache.path(LINK) == cache.folder / name[:2] / f"{name}.json"
    assert cache.path(LINK).is_file()


def test_without_a_key_the_text_is_kept_under_its_url(cache: TextCache) -> None:
    assert cache.put(sample()) is None
    assert cache.get(FINAL) == sample()


def test_putting_again_replaces_the_text(cache: TextCache) -> None:
    cache.put(sample(title="First"), key=LINK)
    cache.put(sample(title="Second"), key=LINK)
    assert cache.get(LINK).title == "Second"  # type: ignore[union-attr]
    assert cache.keys_kept() == {LINK}
    assert len((cache.folder / INDEX).read_text().splitlines()) == 1


def test_what_is_not_kept_is_none(cache: TextCache) -> None:
    assert cache.get(LINK) is None and not cache.has(LINK)
    assert cache.keys_kept() == set() and cache.searchable() == {}


def test_the_default_folder_is_in_readers_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "c"))
    assert TextCache().folder == tmp_path / "c" / "fulltext"


def test_a_key_names_a_file_inside_the_cache_whatever_it_holds(cache: TextCache) -> None:
    for key in ("../../etc/passwd", "/etc/passwd", "a\x00b", "x" * 5000, "C:\\evil", "💥"):
        assert cache.path(key).parent.parent == cache.folder
        assert cache.put(sample(), key=key) is None
        assert cache.get(key) == sample()
    assert all(cache.folder in p.parents for p in files_under(cache.folder))


def test_texts_that_are_not_clean_or_safe_are_refused(cache: TextCache) -> None:
    dirty = replace(sample(), blocks=(Block("paragraph", "red \x1b[31m text"),))
    unsafe = replace(sample(), links=("javascript:alert(1)",))
    bad_kind = replace(sample(), blocks=(Block("table", "x"),))
    bad_level = replace(sample(), blocks=(Block("heading", "x", 9),))
    for text in (dirty, unsafe, bad_kind, bad_level):
        why = cache.put(text, key=LINK)
        assert why is not None and why.startswith("not kept: ") and "\n" not in why
    assert cache.put(replace(sample(), links=None), key=LINK) == "not kept: TypeError"  # type: ignore[arg-type]
    assert cache.put("text", key=LINK) == "not kept: not a full text"  # type: ignore[arg-type]
    assert cache.put(sample(), key="") == "not kept: the link is missing or too long"
    assert cache.put(sample(), key="\ud800") == "not kept: the link is not valid text"
    assert not cache.has(LINK) and files_under(cache.folder) == []


# Damaged entries


def entry_bytes(**changes: object) -> bytes:
    entry = {
        "version": FORMAT_VERSION,
        "key": LINK,
        "url": FINAL,
        "title": "t",
        "blocks": [["paragraph", "text", 0]],
        "links": [],
        "lead_image": "",
        "fetched_at": 1.0,
    }
    entry.update(changes)
    return json.dumps(entry).encode()


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b'{"version": 1, "key": "',  # cut short
        b"\xff\xfe\x00garbage",
        b"[]",
        b"null",
        b"[" * 100_000 + b"]" * 100_000,
        entry_bytes(version=FORMAT_VERSION + 1),
        entry_bytes(version="1"),
        entry_bytes(key=FINAL),  # another key's entry, copied here
        entry_bytes(title=7),
        entry_bytes(blocks="text"),
        entry_bytes(blocks=[["paragraph", "text"]]),
        entry_bytes(blocks=[["paragraph", "text", "0"]]),
        entry_bytes(blocks=[["paragraph", "text", True]]),
        entry_bytes(blocks=[["script", "text", 0]]),
        entry_bytes(blocks=[["paragraph", "red \x1b[31m", 0]]),
        entry_bytes(blocks=[["paragraph", "\u202eevil", 0]]),
        entry_bytes(title="two\nlines"),
        entry_bytes(links=["javascript:alert(1)"]),
        entry_bytes(links=[3]),
        entry_bytes(lead_image="file:///etc/passwd"),
        entry_bytes(fetched_at="yesterday"),
        entry_bytes(fetched_at=None),
        entry_bytes(url=None),
        entry_bytes(lead_image=None),
    ],
)
def test_a_damaged_entry_is_none_and_removed(cache: TextCache, raw: bytes) -> None:
    path = cache.path(LINK)
    path.parent.mkdir(parents=True)
    path.write_bytes(raw)
    assert cache.get(LINK) is None
    assert not path.exists()
    assert cache.put(sample(), key=LINK) is None and cache.get(LINK) == sample()


def test_a_folder_in_place_of_an_entry(cache: TextCache) -> None:
    cache.path(LINK).mkdir(parents=True)
    assert cache.get(LINK) is None and not cache.has(LINK)
    why = cache.put(sample(), key=LINK)
    assert why is not None and why.startswith("not kept: a folder is in the way (")
    assert cache.path(LINK).is_dir() and cache.keys_kept() == set()


def test_a_fifo_in_place_of_an_entry_does_not_block(cache: TextCache) -> None:
    cache.path(LINK).parent.mkdir(parents=True)
    os.mkfifo(cache.path(LINK))
    assert cache.get(LINK) is None and not cache.path(LINK).exists()


def test_an_entry_too_large_is_not_read(cache: TextCache, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.put(sample(), key=LINK)
    monkeypatch.setattr(textcache, "MAX_ENTRY_BYTES", 100)
    assert cache.get(LINK) is None and not cache.has(LINK)


# Full disks, read-only folders


def test_a_file_in_place_of_the_cache_folder(tmp_path: Path) -> None:
    (tmp_path / "fulltext").write_text("not a folder")
    cache = TextCache(tmp_path / "fulltext")
    assert cache.put(sample(), key=LINK) == "not kept: a file is in the way of the cache folder"
    assert cache.get(LINK) is None and not cache.has(LINK)
    assert cache.keys_kept() == set() and cache.searchable() == {}
    assert (tmp_path / "fulltext").read_text() == "not a folder"


def test_a_file_in_place_of_an_entrys_folder(cache: TextCache) -> None:
    cache.folder.mkdir()
    cache.path(LINK).parent.write_text("x")
    assert cache.put(sample(), key=LINK) == "not kept: a file is in the way of the cache folder"
    assert cache.get(LINK) is None


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (errno.ENOSPC, "not kept: the disk is full"),
        (errno.EDQUOT, "not kept: the disk is full"),
        (errno.EROFS, "not kept: the cache folder is read-only"),
        (errno.EACCES, "not kept: the cache folder is not writable (permission denied)"),
        (errno.EIO, "not kept: Input/output error"),
    ],
)
@pytest.mark.parametrize("where", ["mkdir", "mkstemp", "write", "replace"])
def test_a_failing_disk_keeps_nothing_and_says_why(
    cache: TextCache, monkeypatch: pytest.MonkeyPatch, code: int, why: str, where: str
) -> None:
    cache.put(sample(title="Old"), key=LINK)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    if where == "mkdir":
        monkeypatch.setattr(Path, "mkdir", fail)
    elif where == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", fail)
    elif where == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fd: int) -> None:
                self.file = real_fdopen(fd, "wb")

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.file.close()

            def write(self, data: bytes) -> int:
                raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(fd))
    else:
        monkeypatch.setattr(os, "replace", fail)
    assert cache.put(sample(title="New"), key=LINK) == why
    monkeypatch.undo()
    assert cache.get(LINK).title == "Old"  # type: ignore[union-attr]
    leftovers = [p.name for p in files_under(cache.folder) if p.name.endswith(".tmp")]
    assert leftovers == []


def test_reading_never_raises_whatever_the_disk_does(
    cache: TextCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.put(sample(), key=LINK)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "open", fail)
    monkeypatch.setattr(os, "scandir", fail)
    assert cache.get(LINK) is None
    assert cache.keys_kept() == set() and cache.searchable() == {}
    monkeypatch.undo()


# Symbolic links


def test_a_link_planted_where_an_entry_goes_is_replaced_not_followed(
    cache: TextCache, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    entry = cache.path(LINK)
    entry.parent.mkdir(parents=True)
    entry.symlink_to(outside)
    assert cache.get(LINK) is None  # not followed: the link is removed as damage
    assert not entry.is_symlink() and outside.read_text() == "precious"
    entry.symlink_to(outside)
    assert cache.put(sample(), key=LINK) is None
    assert not entry.is_symlink() and entry.is_file()
    assert outside.read_text() == "precious"
    assert cache.get(LINK) == sample()


def test_a_link_planted_where_an_entrys_folder_goes_is_replaced_not_followed(
    cache: TextCache, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    cache.folder.mkdir()
    folder = cache.path(LINK).parent
    folder.symlink_to(outside, target_is_directory=True)
    # An entry out there is never read through the link.
    (outside / cache.path(LINK).name).write_bytes(entry_bytes())
    assert cache.get(LINK) is None
    assert cache.put(sample(), key=LINK) is None
    assert folder.is_dir() and not folder.is_symlink()
    assert sorted(p.name for p in outside.iterdir()) == [cache.path(LINK).name]
    assert cache.get(LINK) == sample()


def test_a_link_planted_in_place_of_the_index_is_not_followed(
    cache: TextCache, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    cache.folder.mkdir()
    (cache.folder / INDEX).symlink_to(outside)
    assert cache.put(sample(), key=LINK) is None
    assert outside.read_text() == "precious"
    assert cache.keys_kept() == {LINK}
    assert not (cache.folder / INDEX).is_symlink() and outside.read_text() == "precious"


# The keys kept


def test_keys_kept_are_the_links_put(cache: TextCache) -> None:
    links = {f"https://news.example/{i}" for i in range(50)}
    for link in links:
        assert cache.put(sample(), key=link) is None
    assert cache.keys_kept() == links
    cache.path("https://news.example/3").unlink()
    assert cache.keys_kept() == links - {"https://news.example/3"}


def test_keys_kept_survive_a_lost_or_damaged_index(cache: TextCache) -> None:
    links = {f"https://news.example/{i}" for i in range(20)}
    for link in links:
        cache.put(sample(), key=link)
    (cache.folder / INDEX).unlink()
    assert cache.keys_kept() == links
    assert {json.loads(x) for x in (cache.folder / INDEX).read_text().splitlines()} == links
    (cache.folder / INDEX).write_bytes(b'not json\n"unterminated\n\xff\xfe\n7\n' + b"x" * 100)
    assert cache.keys_kept() == links


def test_keys_kept_leave_out_damaged_entries_once_found(cache: TextCache) -> None:
    """keys_kept does not read the entries it knows (that would take ~1 s at 10,000):
    a damaged one is listed until it is read, and then removed."""
    cache.put(sample(), key=LINK)
    cache.put(sample(), key=FINAL)
    cache.path(FINAL).write_text("{")
    assert cache.keys_kept() == {LINK, FINAL}
    assert cache.get(FINAL) is None and not cache.path(FINAL).exists()
    assert cache.keys_kept() == {LINK}
    (cache.folder / INDEX).unlink()  # entries the index misses are read, damaged ones removed
    cache.path(LINK).write_text("{")
    assert cache.keys_kept() == set() and not cache.path(LINK).exists()


def test_the_index_is_compacted_when_it_grows(cache: TextCache) -> None:
    cache.put(sample(), key=LINK)
    with open(cache.folder / INDEX, "a") as index:
        index.write(json.dumps("https://gone.example/") + "\n" * 1)
        index.write((json.dumps(LINK) + "\n") * 500)
    assert cache.keys_kept() == {LINK}
    assert (cache.folder / INDEX).read_text() == json.dumps(LINK) + "\n"


def test_stale_temporary_files_are_removed_and_fresh_ones_kept(cache: TextCache) -> None:
    cache.put(sample(), key=LINK)
    folder = cache.path(LINK).parent
    stale, fresh = folder / ".fulltext-abcd1234.tmp", folder / ".fulltext-efgh5678.tmp"
    stale_index = cache.folder / ".fulltext-ijkl9012.tmp"
    for temp in (stale, fresh, stale_index):
        temp.write_text("half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(stale_index, (old, old))
    assert cache.keys_kept() == {LINK}
    assert not stale.exists() and not stale_index.exists() and fresh.exists()


def test_strangers_in_the_cache_folder_are_left_alone(cache: TextCache) -> None:
    cache.put(sample(), key=LINK)
    (cache.folder / "notes.txt").write_text("mine")
    (cache.folder / "zz").mkdir()
    (cache.path(LINK).parent / "readme").write_text("mine")
    assert cache.keys_kept() == {LINK}
    assert (cache.folder / "notes.txt").exists() and (cache.path(LINK).parent / "readme").exists()


# Search text and memory


def test_searchable_gives_each_links_whole_text_folded(cache: TextCache) -> None:
    cache.put(sample(), key=LINK)
    cache.put(sample(title="Another"), key=FINAL)
    found = cache.searchable()
    assert set(found) == {LINK, FINAL}
    assert found[LINK].startswith("odegaard's late goal\nwhat happened\n")
    assert "we never stopped." in found[LINK] and found[LINK] == fold(found[LINK])


def test_memory_and_time_per_kept_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Figures for the docstring of `textcache`: searchable() keeps each article's folded
    text, about as many bytes as the article has characters."""
    cache = TextCache(tmp_path / "fulltext")
    texts = [t for p in load_pages() if (t := extract(p.html, p.url)) is not None]
    count = 200
    for i in range(count):
        assert cache.put(texts[i % len(texts)], key=f"https://news.example/{i}") is None
    start = time.perf_counter()
    keys = cache.keys_kept()
    keys_seconds = time.perf_counter() - start
    tracemalloc.start()
    start = time.perf_counter()
    found = cache.searchable()
    search_seconds = time.perf_counter() - start
    held, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(keys) == len(found) == count
    chars = sum(len(text) for text in found.values()) / count
    per_article = held / count
    entry_bytes = sum(p.stat().st_size for p in cache.folder.rglob("*.json")) / count
    with capsys.disabled():
        print(
            f"\n{count} kept articles of {chars:,.0f} characters: searchable() holds "
            f"{per_article / 1024:.1f} KiB an article ({search_seconds * 1000 / count:.2f} ms "
            f"an article to read), keys_kept() {keys_seconds * 1000:.1f} ms, "
            f"{entry_bytes / 1024:.1f} KiB on disk an article",
            file=sys.stderr,
        )
    assert per_article < 3 * chars + 2048


def test_the_file_name_is_the_sha256_of_the_key() -> None:
    assert digest("abc") == hashlib.sha256(b"abc").hexdigest()
    assert digest("\ud800") == hashlib.sha256("\ud800".encode("utf-8", "surrogatepass")).hexdigest()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZé ’‘“”–—−″«»ØøßİıǅΣς\u0301\u0308-'\"x\n"), max_size=40))
def test_folded_is_fold_of_the_whole_text(words: str) -> None:
    text = FullText(FINAL, words, (Block("paragraph", words), Block("item", "’" + words)), ())
    assert folded(text) == fold("\n".join([words, words, "’" + words]))
