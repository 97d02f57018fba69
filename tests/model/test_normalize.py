from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from reader.model.normalize import (
    hidden_reason,
    is_false,
    is_true,
    to_article,
    to_int,
    to_story,
    to_timestamp,
    to_url,
)

TS = 1622989529.0  # 2021-06-06T14:25:29Z


def test_title_and_excerpt_are_trimmed() -> None:
    meta = {"title": "  Why Harris \n", "excerpt": "Lots of people.\n    \n"}
    article = to_article(meta, "/x.md")
    assert article.title == "Why Harris"
    assert article.excerpt == "Lots of people."


@pytest.mark.parametrize(
    "value",
    [
        datetime(2021, 6, 6, 14, 25, 29, tzinfo=timezone.utc),
        datetime(2021, 6, 6, 7, 25, 29, tzinfo=timezone(timedelta(hours=-7))),
        datetime(2021, 6, 6, 14, 25, 29),
        "2021-06-06T14:25:29Z",
        "2021-06-06T16:25:29+02:00",
        " 2021-06-06 14:25:29 ",
    ],
)
def test_times_become_utc(value: object) -> None:
    assert to_timestamp(value) == TS
    article = to_article({"title": "t", "publishedDateTime": value}, "/x.md")
    assert article.published_ts == TS


def test_dates_are_midnight_utc() -> None:
    assert to_timestamp(date(2021, 6, 6)) == to_timestamp("2021-06-06") == 1622937600.0


@pytest.mark.parametrize(
    "value",
    [None, "", "yesterday", "2021-02-30", "2021-13-01T00:00:00Z", 1622989529, 3.5, True,
     ["2021-06-06"], "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+01:00", "x" * 100],
)  # fmt: skip
def test_impossible_times_are_unknown(value: object) -> None:
    assert to_timestamp(value) is None
    assert to_article({"title": "t", "publishedDateTime": value}, "/x.md").published_ts is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(245, 245), (12.6, 13), (" 42 ", 42), ("-3", -3), (True, None), (False, None),
     (None, None), ("hot", None), ("1.5", None), (float("nan"), None), (float("inf"), None),
     (10**13, None), ("9" * 30, None), ([1], None), ({"a": 1}, None)],
)  # fmt: skip
def test_scores(value: object, expected: int | None) -> None:
    assert to_int(value) == expected
    article = to_article({"title": "t", "heat": value, "quality": value}, "/x.md")
    assert article.heat == expected and article.quality == expected


def test_topics_are_trimmed_and_case_deduplicated() -> None:
    meta = {"title": "t", "topics": [" Politics ", "politics", "POLITICS", "", None, 5, "Sport"]}
    assert to_article(meta, "/x.md").topics == ("Politics", "Sport")


@pytest.mark.parametrize("value", ["Politics", {"a": 1}, 3, None])
def test_topics_of_the_wrong_type_are_empty(value: object) -> None:
    assert to_article({"title": "t", "topics": value}, "/x.md").topics == ()


def test_provider_name_and_domain() -> None:
    meta = {"title": "t", "provider": {"name": " CNN ", "domain": "CNN.com", "images": []}}
    article = to_article(meta, "/x.md")
    assert (article.provider_name, article.provider_domain) == ("CNN", "cnn.com")
    wrong = to_article({"title": "t", "provider": "CNN"}, "/x.md")
    assert (wrong.provider_name, wrong.provider_domain) == ("", "")


def test_type_and_category_are_cleaned_and_kept_as_written() -> None:
    meta = {"title": "t", "type": " Video\x1b[0m ", "category": "World  News"}
    article = to_article(meta, "/x.md")
    assert (article.type, article.category) == ("Video[0m", "World News")


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"categories": ["news", "world"]}, "news"),
        ({"categories": [5, None, " ", "sport"]}, "sport"),  # the first usable one
        ({"categories": "news world"}, "news"),  # Jekyll's space-separated form
        ({"category": "news", "categories": ["sport"]}, "news"),
        ({"category": ["news"], "categories": ["sport"]}, "sport"),
        ({"categories": {"news": 1}}, ""),
        ({}, ""),
    ],
)
def test_category_falls_back_to_the_first_of_categories(
    meta: dict[str, object], expected: str
) -> None:
    assert to_article({"title": "t", **meta}, "/x.md").category == expected


@pytest.mark.parametrize("value", [None, 5, ["article"], {"a": 1}, True])
def test_type_of_the_wrong_type_is_unknown(value: object) -> None:
    assert to_article({"title": "t", "type": value}, "/x.md").type == ""


def test_repeated_short_names_are_shared_not_copied() -> None:
    # Strings built at run time are distinct objects, as each file's are, until shared.
    metas = [{"title": "t", "type": "".join(["vid", "eo"]), "category": "-".join("ab")}] * 2
    a, b = (to_article(meta, f"/{n}.md") for n, meta in enumerate(metas))
    assert (a.type, a.category) == ("video", "a-b")
    assert a.type is b.type and a.category is b.category


def test_links_and_fallbacks() -> None:
    meta = {"title": "t", "originalUrl": " https://o.example/ ", "ampWebUrl": "https://a.example/"}
    article = to_article(meta, "/x.md")
    assert article.web_url == ""
    assert article.link == "https://o.example/"
    assert to_article({"title": "t", "ampWebUrl": "https://a.example/"}, "/x.md").link == (
        "https://a.example/"
    )


@pytest.mark.parametrize(
    "value", [5, ["https://x.example"], "https://x.example/\x1b[2J", "https://x/\u202e", "h" * 3000]
)
def test_unusable_links_are_empty(value: object) -> None:
    assert to_url(value) == ""


def test_images() -> None:
    meta: dict[str, Any] = {
        "title": "t",
        "images": [
            {"url": "https://i.example/a.jpg", "width": 1100, "height": "619", "isCached": True},
            {"url": 5},
            "https://i.example/b.jpg",
            {"width": 3},
        ],
    }
    story = to_story(meta, "/x.md")
    assert [(i.url, i.width, i.height) for i in story.images] == [
        ("https://i.example/a.jpg", 1100, 619)
    ]


def test_related() -> None:
    meta = {
        "title": "t",
        "related": [
            {
                "title": " Other \n",
                "excerpt": "Ex.\n    \n",
                "publishedDateTime": datetime(2021, 6, 2, 11, 16, 6, tzinfo=timezone.utc),
                "ampWebUrl": "https://amp.example/o",
                "provider": {"name": "NYT", "domain": "NYTimes.com"},
            },
            {"webUrl": "https://only.example/link"},
            {"excerpt": "no title, no link"},
            "not a mapping",
        ],
        "updatedDateTime": "2021-06-07T00:00:00Z",
    }
    story = to_story(meta, "/x.md")
    first, second = story.related
    assert (first.title, first.url, first.excerpt) == ("Other", "https://amp.example/o", "Ex.")
    assert (first.provider_name, first.provider_domain) == ("NYT", "nytimes.com")
    assert first.published_ts == datetime(2021, 6, 2, 11, 16, 6, tzinfo=timezone.utc).timestamp()
    assert (second.title, second.url) == ("", "https://only.example/link")
    assert story.article.related_count == 3
    assert story.updated_ts == to_timestamp("2021-06-07T00:00:00Z")


@pytest.mark.parametrize(
    ("meta", "reason"),
    [
        ({"published": False}, "a draft (published: false)"),
        ({"published": "no"}, "a draft (published: false)"),
        ({"deleted": True}, "withdrawn (deleted: true)"),
        ({"deleted": " Yes "}, "withdrawn (deleted: true)"),
        ({"deleted": True, "published": False}, "withdrawn (deleted: true)"),
        ({"published": True}, None),
        ({"published": 0, "deleted": 1}, None),
        ({}, None),
    ],
)
def test_hidden(meta: dict[str, object], reason: str | None) -> None:
    assert hidden_reason(meta) == reason


def test_truth_words() -> None:
    assert is_true("TRUE") and is_true(True) and not is_true(1) and not is_true("y")
    assert is_false("False") and is_false(False) and not is_false(0) and not is_false(None)
