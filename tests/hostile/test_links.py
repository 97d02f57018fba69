"""Links from files handed to a shell-style `$BROWSER`: nothing in them runs."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.browser import launches_through_shell, open_in_browser
from reader.model.links import encode_for_launch, unsafe_reason

#: `$BROWSER` values that put the link inside a shell script, by how `%s` is quoted there.
STYLES = {
    "double quotes": "sh -c 'echo \"%s\" >> {log}'",
    "single quotes": "sh -c \"echo '%s' >> {log}\"",
    "unquoted": "sh -c 'echo %s >> {log}'",
}
#: Links that pass `unsafe_reason` but run `touch X` when a shell reads them raw,
#: with the style where they do (checked by `test_the_payloads_are_live`).
LIVE_PAYLOADS = {
    "https://news.example/$(touch$IFS'X')": "double quotes",
    "https://news.example/'$(touch$IFS'X')'": "single quotes",
    "https://news.example/a;touch$IFS'X'": "unquoted",
    "https://news.example/?a=1&touch$IFS'X'": "unquoted",
}
#: Links that would run code too, refused before any launch.
REFUSED_PAYLOADS = [
    "https://news.example/`touch$IFS'X'`",
    "https://news.example/a|touch$IFS'X'",
    "https://news.example/\"$(touch$IFS'X')\"",
    "https://news.example/$(touch X)",
    "https://news.example/a>X",
]

UseBrowser = Callable[[str], Path]


@pytest.fixture
def use_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UseBrowser:
    """Set $BROWSER to a command (with `{log}` for the log file) in a fresh folder."""
    monkeypatch.chdir(tmp_path)  # where `touch X` would leave its mark
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    def use(command: str) -> Path:
        log = tmp_path / "shell-opened.txt"
        monkeypatch.setenv("BROWSER", command.format(log=log))
        # webbrowser reads $BROWSER once; make it read it again.
        monkeypatch.setattr(webbrowser, "_tryorder", None)
        monkeypatch.setattr(webbrowser, "_browsers", {})
        monkeypatch.setattr(webbrowser, "_os_preferred_browser", None, raising=False)
        return log

    return use


@pytest.mark.parametrize(("link", "style"), LIVE_PAYLOADS.items())
def test_the_payloads_are_live(link: str, style: str, use_browser: UseBrowser) -> None:
    """Without the encoding, each payload runs: the tests below can fail."""
    assert unsafe_reason(link) is None
    use_browser(STYLES[style])
    assert webbrowser.open(link)
    assert Path("X").exists()


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("link", [*LIVE_PAYLOADS, *REFUSED_PAYLOADS])
def test_nothing_in_a_link_runs(link: str, style: str, use_browser: UseBrowser) -> None:
    log = use_browser(STYLES[style])
    if link in REFUSED_PAYLOADS:
        with pytest.raises(ValueError):
            open_in_browser(link)
        assert not log.exists()
    else:
        open_in_browser(link)
        arrived = log.read_text()
        assert arrived == encode_for_launch(link, through_shell=True) + "\n"
        assert not any(ch in arrived for ch in "$'();&")
    assert not Path("X").exists()


def test_ampersand_is_kept_when_no_shell_is_involved(
    browser_log: Path, use_browser: UseBrowser
) -> None:
    open_in_browser("https://news.example/search?q=a&page=2")
    open_in_browser("https://news.example/it's-$5")
    assert browser_log.read_text().splitlines() == [
        "https://news.example/search?q=a&page=2",
        "https://news.example/it%27s-%245",
    ]
    shell_log = use_browser(STYLES["double quotes"])
    open_in_browser("https://news.example/search?q=a&page=2")
    assert shell_log.read_text() == "https://news.example/search?q=a%26page=2\n"


@pytest.mark.parametrize(
    ("browser", "through_shell"),
    [
        (None, False),
        ("", False),
        ("firefox", False),
        ("/usr/bin/firefox %s &", False),
        ("xdg-open:w3m", False),
        ("chromium --new-window %s", False),
        ("sh -c 'firefox \"%s\"'", True),
        ("/bin/bash -c 'x-www-browser %s'", True),
        ("w3m:zsh -c 'lynx %s'", True),
        ("env fish -c 'open %s'", True),
        ("launcher -ec 'open %s'", True),
        ("busybox sh -c 'x %s'", True),
        ("firefox 'unclosed", True),  # cannot be split: assume the worst
    ],
)
def test_which_browsers_read_the_link_as_a_script(browser: str | None, through_shell: bool) -> None:
    assert launches_through_shell(browser) is through_shell
