from __future__ import annotations

import pytest

from reader.model import links
from reader.model.links import (
    MAX_URL,
    encode_for_launch,
    first_safe_link,
    is_safe_url,
    unsafe_reason,
)

SAFE = [
    "https://www.nytimes.com/2021/06/05/us/politics/kamala-harris-president-2024.html",
    "http://rss.cnn.com/~r/rss/cnn_allpolitics/~3/jSj2Jzr_iiI/index.html",
    "HTTPS://EXAMPLE.COM/",
    "https://example.com:8443/a?b=c#d",
    "https://münchen.example/straße",
    "https://[2001:db8::1]/x",
    # International hosts in one script, or in the mixes East Asian names use.
    "https://münchen.de/",
    "https://MÜNCHEN.DE/",
    "https://mu\u0308nchen.de/",  # decomposed: NFC makes it one letter again
    "https://xn--mnchen-3ya.de/",
    "https://bücher.example/",
    "https://kırmızı.com.tr/",
    "https://例え.jp/",
    "https://日本語とカタカナ.jp/",
    "https://한국어abc.kr/",
    "https://пример.рф/",  # Cyrillic, and no ASCII name letter for letter
    "https://ελλάδα.gr/",
    "https://مثال.إختبار/",
]


@pytest.mark.parametrize("url", SAFE)
def test_safe_links(url: str) -> None:
    assert unsafe_reason(url) is None and is_safe_url(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "only http and https"),
        (" javascript:alert(1)", "only http and https"),
        ("java\tscript:alert(1)", "only http and https"),
        ("https://evil.example\\@good.example", "spaces or control"),
        ("https://user@host.example/", "user name"),
        ("https://user:pw@host.example/", "user name"),
        ("--help", "starts with '-'"),
        ("-https://x.example", "starts with '-'"),
        ("file:///etc/passwd", "only http and https"),
        ("data:text/html,<script>alert(1)</script>", "only http and https"),
        ("https://exa mple.com/", "spaces or control"),
        ("https://example.com/\x1b[2J", "spaces or control"),
        ("https://example.com/\x9b", "spaces or control"),
        ("https://example.com/\x00", "spaces or control"),
        ("https://example.com/\u202egnp.exe", "direction"),
        ("https://example.com/\u2066x", "direction"),
        ("https://good.example\u00a0.evil.example/", "invisible or space"),
        ("https://good.exa\u200bmple/", "invisible or space"),
        ("https://good.exa\u00admple/", "invisible or space"),
        ("https://good.example\u2215evil.example/", "host"),
        ("https://good.example\uff0fevil.example/", "malformed"),  # NFKC makes it a "/"
        ("https://good.example%2Fevil.example/", "host"),
        ("https:///x", "no host"),
        ("https://:80/x", "no host"),
        ("https:example.com", "only http and https"),
        ("https://example.com:99999/", "malformed"),
        ("https://example.com:port/", "malformed"),
        ("http://[::1/", "malformed"),
        ("https://example.com/" + "a" * MAX_URL, "too long"),
        ("", "no link"),
    ],
)
def test_unsafe_links(url: str, reason: str) -> None:
    got = unsafe_reason(url)
    assert got is not None and reason in got
    assert not is_safe_url(url)


#: Default_Ignorable code points of every category: drawn as nothing, or nearly.
INVISIBLE = ["\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", "\u17b4", "\u180b", "\ufe0f"]
INVISIBLE += ["\U000e0100", "\u2060", "\ufeff", "\U000e0001"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_code_points_are_refused_in_host_and_path(char: str) -> None:
    for url in (f"https://exa{char}mple.com/", f"https://example.com/a{char}b"):
        reason = unsafe_reason(url)
        assert reason is not None and "invisible" in reason, (url, reason)


def test_a_lone_surrogate_is_refused() -> None:
    assert unsafe_reason("https://example.com/\ud800") is not None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://exаmple.com/", "mixes scripts (xn--exmple-4nf.com)"),
        ("https://paypal.сom/", "mixes scripts (paypal.xn--om-nmc)"),
        ("https://аα.example/", "mixes scripts"),  # Cyrillic with Greek
        ("https://www.аррӏе.com/login", "looks like www.apple.com but is www.xn--80ak6aa92e.com"),
        ("https://www.xn--80ak6aa92e.com/", "looks like www.apple.com but is www.xn--80ak6aa92e"),
        ("https://ѕсоре.com/", "looks like scope.com but is xn--e1argc3h.com"),
        ("https://g〇〇gle.com/", "looks like google.com"),  # Han may mix with Latin
        (
            "https://good.example\u0338evil.example/",
            "disguise it (good.xn--exampleevil-32g.example)",
        ),
        ("https://xn--zzzz.com/", "not a valid international name"),
        ("https://aمثال.com/", "not a valid international name"),  # left-to-right with Arabic
        ("https://i❤.example/", "host has characters that can disguise it"),
    ],
)
def test_disguised_international_hosts(url: str, reason: str) -> None:
    got = unsafe_reason(url)
    assert got is not None and reason in got, got


def test_scripts_a_regex_does_not_know_count_as_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """An older `regex` lacks the newest scripts; the others are still told apart."""
    monkeypatch.setattr(links, "_SCRIPTS", links._SCRIPTS + " Zzzq")
    links._patterns.cache_clear()
    links._international_host_reason.cache_clear()
    try:
        assert "mixes scripts" in (unsafe_reason("https://exаmple.com/") or "")
        assert unsafe_reason("https://пример.рф/") is None
    finally:
        links._patterns.cache_clear()
        links._international_host_reason.cache_clear()


@pytest.mark.parametrize("value", [None, 42, b"https://x.example", ["https://x.example"]])
def test_non_strings_are_not_links(value: object) -> None:
    assert unsafe_reason(value) == "there is no link"


def test_the_link_to_open_is_the_first_safe_one() -> None:
    assert first_safe_link(["javascript:alert(1)", "https://good.example/a"]) == (
        "https://good.example/a"
    )
    assert first_safe_link(["https://a.example/", "https://b.example/"]) == "https://a.example/"
    # None safe: the first given, so that opening it is refused with its reason.
    assert first_safe_link(["javascript:x", "file:///etc/passwd"]) == "javascript:x"
    assert first_safe_link(["", "javascript:x"]) == "javascript:x"
    assert first_safe_link([]) == first_safe_link(["", ""]) == ""


#: What POSIX shells, fish and zsh act on, inside double quotes or none.
SHELL_SPECIAL = "$`\"';|<>()\\ \t\n{}^"


def test_what_a_shell_acts_on_is_percent_encoded() -> None:
    link = "https://news.example/$(id);`id`|'x'\"y\"<a>\\ {b}^\t\n"
    for through_shell in (False, True):
        encoded = encode_for_launch(link, through_shell=through_shell)
        assert [ch for ch in SHELL_SPECIAL if ch in encoded] == []
        assert encoded.startswith("https://news.example/%24%28id%29%3B%60id%60%7C%27x%27%22y%22")
        assert encode_for_launch(encoded, through_shell=through_shell) == encoded


def test_ampersand_is_encoded_only_for_a_shell() -> None:
    link = "https://news.example/search?q=a&page=2#top"
    assert encode_for_launch(link, through_shell=False) == link
    assert encode_for_launch(link, through_shell=True) == (
        "https://news.example/search?q=a%26page=2#top"
    )


@pytest.mark.parametrize("url", SAFE)
def test_ordinary_links_are_launched_as_they_are(url: str) -> None:
    assert encode_for_launch(url, through_shell=True) == url
