"""Deciding whether a link from a file is safe to hand to a web browser.

The raw string is judged, never a parsed and normalised form: `urlsplit`
turns `" javascript:x"` into a scheme and reads `https://evil\\@good` as host
`good` while browsers go to `evil`.

A host with non-ASCII or `xn--` labels is judged label by label as a browser
shows it (IDNA 2008 with UTS #46 mapping, by `idna`), following UTS #39: a
label may mix scripts only at the "highly restrictive" level (Latin with Han
and kana, Han with Bopomofo or Hangul; digits, `-` and accents count as no
script), may not leave a combining mark on an ASCII character (`e` + U+0338
reads `e/`), and may not imitate an ASCII name letter for letter (`аррӏе` in
Cyrillic reads "apple"). `regex` knows scripts and Default_Ignorable code
points, which `unicodedata` does not.

Cost, on a shared 2-core machine: 10,000 typical links (2% international) take
~60 ms; a new international host ~45 µs, then it is remembered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlsplit

MAX_URL = 2048
#: ASCII a link never holds raw: controls, space, and what RFC 3986 leaves out.
_BAD_ASCII = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')
_ASCII_HOST = re.compile(r"[A-Za-z0-9._-]+")
_INVISIBLE_REASONS = {
    "control": "the link contains spaces or control characters",
    "direction": "the link contains invisible direction controls",
    "invisible": "the link contains invisible or space characters",
}


def unsafe_reason(raw: object) -> str | None:
    """Why `raw` must not be opened, or None when it is a safe http(s) link.

    The one judge of links: whatever opens, copies or offers a link asks it."""
    if not isinstance(raw, str) or not raw:
        return "there is no link"
    if len(raw) > MAX_URL:
        return "the link is too long"
    if raw.startswith("-"):
        return "the link starts with '-'"
    lowered = raw[:8].lower()
    if not (lowered.startswith("http://") or lowered.startswith("https://")):
        return "only http and https links are opened"
    if _BAD_ASCII.search(raw):
        return "the link contains spaces or control characters"
    if not raw.isascii():
        invisible = _patterns().invisible.search(raw)
        if invisible is not None:
            return _INVISIBLE_REASONS[invisible.lastgroup]
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "the link is malformed"
    if "@" in parts.netloc:
        return "the link hides its host behind a user name"
    host = parts.hostname
    if not host:
        return "the link has no host"
    if parts.netloc.startswith("["):
        return None
    if not (_ASCII_HOST.fullmatch(host) if host.isascii() else all(map(_host_char, host))):
        # e.g. "good.example\u2215evil.example": a division slash that looks like a path.
        return "the link's host has characters that can disguise it"
    if host.isascii() and "xn--" not in host:
        return None
    return _international_host_reason(host)


@lru_cache(maxsize=4096)
def _international_host_reason(host: str) -> str | None:
    """Why a host with non-ASCII or punycode labels may mislead, or None.

    ~45 µs a host, so the answers are kept: a folder has few hosts, many times."""
    labels = _labels_as_shown(host)
    if labels is None:
        return "the link's host is not a valid international name"
    real = ".".join(punycode for _, punycode in labels)
    for shown, _ in labels:
        if shown.isascii():
            continue
        if _patterns().mark_on_ascii.search(shown):
            return f"the link's host has characters that can disguise it ({real})"
        if not _scripts_may_mix({m.lastgroup for m in _patterns().script.finditer(shown)}):
            return f"the link's host mixes scripts ({real})"
    imitations = [_imitated(shown) for shown, _ in labels]
    if any(imitations):
        looks = ".".join(i or shown for i, (shown, _) in zip(imitations, labels, strict=True))
        return f"the link's host looks like {looks} but is {real}"
    return None


def _labels_as_shown(host: str) -> list[tuple[str, str]] | None:
    """Each label of `host` as a browser shows it, with its punycode; None when one
    is not valid IDNA 2008. `xn--` labels are decoded, others mapped by UTS #46
    (small letters, NFC...)."""
    import idna

    labels = []
    try:
        for label in host.split("."):
            if label.isascii() and not label.startswith("xn--"):
                labels.append((label, label))
                continue
            if label.startswith("xn--"):
                shown = idna.ulabel(label)
            else:
                shown = idna.uts46_remap(label, std3_rules=True, transitional=False)
            labels.append((shown, idna.alabel(shown).decode("ascii")))
    except (idna.IDNAError, UnicodeError):
        return None
    return labels


#: Scripts UTS #39 lets one label mix at its "highly restrictive" level.
_MIXES = (
    frozenset({"Latn", "Hani", "Hira", "Kana"}),
    frozenset({"Latn", "Hani", "Bopo"}),
    frozenset({"Latn", "Hani", "Hang"}),
)


def _scripts_may_mix(scripts: set[str]) -> bool:
    return len(scripts) <= 1 or any(scripts <= allowed for allowed in _MIXES)


#: Unicode scripts by ISO 15924 code, the usual ones first (the finder tries them in order).
#: Common and Inherited are left out: digits, `-` and accents belong to no script.
_SCRIPTS = """\
Latn Cyrl Grek Hani Hira Kana Hang Bopo Arab Hebr Armn Geor Deva Beng Thai Adlm Aghb
Ahom Armi Avst Bali Bamu Bass Batk Berf Bhks Brah Brai Bugi Buhd Cakm Cans Cari Cham
Cher Chrs Copt Cpmn Cprt Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara Glag Gong Gonm
Goth Gran Gujr Gukh Guru Hano Hatr Hluw Hmng Hmnp Hung Ital Java Jurc Kali Kawi Khar
Khmr Khoj Kits Knda Krai Kthi Lana Laoo Lepc Limb Lina Linb Lisu Lyci Lydi Mahj Maka
Mand Mani Marc Medf Mend Merc Mero Miao Mlym Modi Mong Mroo Mtei Mult Mymr Nagm Nand
Narb Nbat Newa Nkoo Nshu Ogam Olck Onao Orkh Orya Osge Osma Ougr Palm Pauc Pcun Perm
Phag Phli Phlp Phnx Prti Rjng Rohg Runr Samr Sarb Saur Seal Sgnw Shaw Shrd Sidd Sidt
Sind Sinh Sogd Sogo Sora Soyo Sund Sunu Sylo Syrc Tagb Takr Tale Talu Taml Tang Tavt
Tayo Telu Tfng Tglg Thaa Tibt Tirh Tnsa Todr Tols Toto Tutg Ugar Vaii Vith Wara Wcho
Xpeo Xsux Yezi Yiii Zanb"""


@dataclass(frozen=True)
class _Patterns:
    """`regex` patterns for what `unicodedata` cannot tell (Unicode properties)."""

    #: The first character that hides or reorders text; Default_Ignorable code points
    #: (U+034F, Hangul fillers, variation selectors...) whatever their category.
    invisible: Any
    #: Each character that has a script, named by `lastgroup`.
    script: Any
    #: A combining mark left on an ASCII character after NFC, as in "e\u0338".
    mark_on_ascii: Any


@cache
def _patterns() -> _Patterns:
    """Compiled on the first non-ASCII link: importing `regex` takes ~20 ms that most
    runs never pay."""
    import regex  # type: ignore[import-untyped]  # it ships no type hints

    try:
        script = regex.compile(_script_alternatives(_SCRIPTS.split()))
    except regex.error:  # an older regex without the newest scripts: those count as Common
        script = regex.compile(_script_alternatives(c for c in _SCRIPTS.split() if _known(c)))
    return _Patterns(
        invisible=regex.compile(
            r"(?P<control>[\x80-\x9f])"
            r"|(?P<direction>[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069])"
            r"|(?P<invisible>[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}\p{Default_Ignorable_Code_Point}])"
        ),
        script=script,
        mark_on_ascii=regex.compile(r"[\x00-\x7f]\p{M}"),
    )


def _script_alternatives(codes: Iterable[str]) -> str:
    return "|".join(rf"(?P<{code}>\p{{sc={code}}})" for code in codes)


def _known(script: str) -> bool:
    import regex

    try:
        regex.compile(rf"\p{{sc={script}}}")
    except regex.error:
        return False
    return True


#: Letters of scripts other than Latin whose UTS #39 prototype is an ASCII letter
#: or digit, each followed by it: derived from Unicode 17's confusables.txt, keeping
#: what IDNA leaves as it is (capitals map to small letters first).
_LOOKALIKE_TABLE = """\
Ꭰd Ꭱr Ꭲt Ꭵi Ꭹy Ꭺa Ꭻj Ꭼe Ꮃw Ꮇm Ꮋh Ꮍy Ꮐg Ꮒh Ꮓz Ꮞ4 Ꮟb Ꮢr Ꮤw Ꮥs Ꮩv Ꮪs Ꮮl Ꮯc Ꮲp Ꮶk Ꮷd Ꮾ6
Ᏻg Ᏼb ꓐb ꓑp ꓒd ꓓd ꓔt ꓖg ꓗk ꓙj ꓚc ꓜz ꓝf ꓟm ꓠn ꓡl ꓢs ꓣr ꓦv ꓧh ꓪw ꓫx ꓬy ꓮa ꓰe ꓲl ꓳo ꓴu
аa б6 гr еe оo рp сc уy хx шw ѕs іi јj ѡw ѵv үy һh ҽe ӏl ӕae ԁd ԛq ԝw ꙇi ꚙoo 𑣀v 𑣁s
𑣂f 𑣃i 𑣄z 𑣆7 𑣈o 𑣊3 𑣌9 𑣕6 𑣖9 𑣗o 𑣘u 𑣜y 𑣠o 𑣣rn 𑣥z 𑣦w 𑣩c 𑣬x 𑣯w 𑣲c ᐯv ᑌu ᑭp ᑯd ᑲb ᒍj ᒪl ᒿ2
ᕁx ᕼh ᕽx ᖇr ᖯb ᖴf ᗅa ᗞd ᗪd ᗰm ᗷb ᙭x ᙮x αa γy ιi νv οo ρp σo υu ϳj ϸp ᴦr 𝈆3 𝈍v 𝈒7 𝈓f
𝈖r 𝈪l ϭo ⲅr ⲓi ⲟo ⲣp ⲥc ⲩy ⲽw ⳋ9 ⳏp ⳓ6 աw գq զq հh ոn ռn սu ցg ւi քf օo اl هo ١l ٥o
٧v ھo ہo ەo ۱l ۵o ۷v 𐊠a 𐊡b 𐊢c 𐊥f 𐊫o 𐊰m 𐊱t 𐊲y 𐊴x 𐋏h 𖼈v 𖼊t 𖼖l 𖼨l 𖼵r 𖼺s 𖼻3 𖽀a 𖽂u 𖽃y 𐊂b
𐊆e 𐊇f 𐊊l 𐊐x 𐊒o 𐊕p 𐊖s 𐊗t 𐌁b 𐌂c 𐌉l 𐌑m 𐌕t 𐌗x 𐌚8 𐌠l 𐌢x 𐔓n 𐔖o 𐔘k 𐔜c 𐔝v 𐔥f 𐔦l 𐔧x ׀l וl טv
ןl סo װll ⴸv ⴹe ⵏl ⵔo ⵕq ⵝx ംo ടs ഠo ൦o ൭9 𑜀rn 𑜆v 𑜊w 𑜎w 𑜏w ଃ8 ଠo ୦o ୨9 ငc ဝo ၀o ၚc
ᚷx ᛁl ᛕk ᛖm ০o ৪8 ৭9 ੦o ੧9 ੪8 𐐬o 𐐽c 𐑈s 𑷚l 𑷠o 𑷡l ߀o ߊl ०o ३3 ૦o ૩3 ంo ౦o ಂo ೦o ყy ჿo
ሀu ዐo ꛟv ꛯ2 𐓪o 𐓶u 𞣇l 𞣋8 ௦o ංo ๐o ໐o ០o 〇o 𑓐o"""
_LOOKALIKES = {token[0]: token[1:] for token in _LOOKALIKE_TABLE.split()}


def _imitated(label: str) -> str | None:
    """The ASCII name `label` imitates letter for letter (its UTS #39 skeleton when
    that is all ASCII), or None: "аррӏе" in Cyrillic imitates "apple"."""
    if label.isascii():
        return None
    skeleton = []
    for ch in unicodedata.normalize("NFD", label):
        imitation = ch if ch.isascii() else _LOOKALIKES.get(ch)
        if imitation is None:
            return None
        skeleton.append(imitation)
    return "".join(skeleton)


def _host_char(ch: str) -> bool:
    """Letters and digits of any script (IDN hosts), '-', '.' and '_'."""
    if ch.isascii():
        return ch.isalnum() or ch in "-._"
    return unicodedata.category(ch)[0] in "LMN"


def is_safe_url(raw: object) -> bool:
    """True when `raw` is an http(s) link with a host that may be opened."""
    return unsafe_reason(raw) is None


#: Percent-encodings of what a shell gives a meaning to. A `BROWSER` such as
#: `sh -c 'firefox "%s"'` puts the link inside a shell script, where `$(...)`, a
#: quote or `;` would run code. Controls, space, `"`, backquote, `\` and `{}|^<>`
#: are refused by `unsafe_reason` anyway; encoding them too keeps this function safe
#: on its own. A link is one word starting with "http", so `~`, `=` and `#` (special
#: only at a word's start) and glob characters such as `?` (which run nothing) stay.
_SHELL_ESCAPES = {
    code: f"%{code:02X}" for code in [*range(0x21), 0x7F, *map(ord, "\"$'();<>\\^`{|}")]
}
#: `&` as well: it ends a shell command, but it is in most query strings and `%26`
#: changes what a link means, so it is encoded only on the way through a shell.
_SHELL_ESCAPES_AND_AMPERSAND = {**_SHELL_ESCAPES, ord("&"): "%26"}


def encode_for_launch(url: str, *, through_shell: bool) -> str:
    """`url` with the characters a shell treats specially percent-encoded, to hand
    to a browser command: `&` too when `through_shell` (the command is a shell)."""
    return url.translate(_SHELL_ESCAPES_AND_AMPERSAND if through_shell else _SHELL_ESCAPES)


def first_safe_link(links: Iterable[str]) -> str:
    """The first safe one of `links`, else the first given (to be refused with its
    reason), else "": an unsafe `webUrl` must not hide a good `originalUrl`."""
    candidates = [u for u in links if u]
    return next((u for u in candidates if is_safe_url(u)), candidates[0] if candidates else "")
