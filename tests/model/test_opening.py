"""Unit tests: the config's openers run programs, never shells, the link one argument."""

from __future__ import annotations

import pytest

from reader.model.opening import command, opener_for, opener_refusal


@pytest.mark.parametrize(
    "argv",
    [["mpv", "{url}"], ["/usr/bin/mpv", "--title={url}"], ["zathura", "--", "{url}"]],
)
def test_a_program_with_the_link_is_accepted(argv: list[str]) -> None:
    assert opener_refusal(argv) is None


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        ([], "missing"),
        (["mpv"], "no argument"),
        (["bash", "{url}"], "as a command"),
        (["/bin/sh", "-c", "mpv {url}"], "as a command"),
        (["python3.12", "{url}"], "as a command"),
        (["env", "mpv", "{url}"], "as a command"),
        (["xterm", "-e", "{url}"], "before the link"),
        (["foot", "-ec", "{url}"], "before the link"),
    ],
)
def test_what_could_run_the_link_as_code_is_refused(argv: list[str], why: str) -> None:
    refusal = opener_refusal(argv)
    assert refusal is not None and why in refusal


def test_the_link_replaces_the_placeholder_inside_its_own_argument() -> None:
    hostile = "https://e.x/a b;rm -rf ~"
    assert command(["mpv", "--title={url}", "{url}"], hostile) == [
        "mpv",
        f"--title={hostile}",
        hostile,
    ]
    # The program itself is never taken from the link.
    assert command(["{url}", "{url}"], hostile)[0] == "{url}"


def test_openers_are_found_by_type_in_any_case() -> None:
    openers = {"video": ("mpv", "{url}")}
    assert opener_for(openers, "Video") == ("mpv", "{url}")
    assert opener_for(openers, "article") is None and opener_for(openers, "") is None
