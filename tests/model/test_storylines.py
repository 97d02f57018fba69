"""Storylines: which stories are one event, and why (pure, no files)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

import pytest

from reader.model.article import Article
from reader.model.joining import MAX_SPAN, group, regroup
from reader.model.linking import TITLE_ALIKE, WINDOW, find_links
from reader.model.linkkey import link_key, normal_link
from reader.model.records import link_columns
from reader.model.similar import cosine, numbers_differ, words
from reader.model.storylines import DAY, RELATED, TITLE, Link, Storylines

T0 = 1_600_000_000.0


def story(
    name: str,
    title: str,
    *,
    at: float = T0,
    provider: str = "Wire",
    excerpt: str = "",
    related: tuple[str, ...] = (),
) -> Article:
    """A story of file /f/NAME.md, linked as https://news.example/NAME."""
    return Article(
        path=f"/f/{name}.md",
        title=title,
        excerpt=excerpt,
        published_ts=at,
        web_url=f"https://news.example/{name}",
        provider_name=provider,
        related_keys=" ".join(link_key(f"https://news.example/{r}") for r in related),
    )


def groups_of(articles: list[Article]) -> list[list[str]]:
    lines = group(articles, find_links(articles))
    return [[a.path.removeprefix("/f/").removesuffix(".md") for a in g] for g in lines.groups]


def test_one_sites_release_waves_are_different_events() -> None:
    a = story("a", "Microsoft Power Apps | 2019 release wave 2 overview", provider="Docs")
    b = story(
        "b", "Microsoft Power Apps | 2020 release wave 1 overview", at=T0 + DAY, provider="Docs"
    )
    assert groups_of([a, b]) == []


def test_an_announcement_and_another_sites_rewrite_are_one_event() -> None:
    a = story("a", "Dataverse for Teams is now generally available", provider="Microsoft")
    b = story(
        "b",
        "Microsoft announces general availability of Dataverse for Teams",
        at=T0 + DAY,
        provider="ZDNet",
    )
    assert groups_of([a, b]) == [["a", "b"]]
    lines = group([a, b], find_links([a, b]))
    why = lines.why(b)
    assert why is not None and why.kind == TITLE and why.score >= TITLE_ALIKE
    assert why.reason() == f"title {why.score:.2f} similar"
    assert lines.why(a) is None  # the first story is there on its own account


def test_titles_naming_other_numbers_are_apart_even_when_related() -> None:
    a = story("a", "Quarterly results: revenue up 12%", related=("b",))
    b = story("b", "Quarterly results: revenue up 15%", provider="Other")
    assert groups_of([a, b]) == []


@pytest.mark.parametrize("direction", ["a lists b", "b lists a"])
def test_a_related_link_either_way_joins_stories_whose_words_meet(direction: str) -> None:
    lists = ("b",) if direction == "a lists b" else ()
    a = story("a", "Harris heads to Guatemala on first trip abroad", related=lists)
    b = story(
        "b",
        "Vice president Harris lands in Guatemala City",
        provider="Other",
        related=("a",) if not lists else (),
    )
    lines = group([a, b], find_links([a, b]))
    assert [len(g) for g in lines.groups] == [2]
    why = lines.why(b)
    assert why is not None and why.kind == RELATED and why.reason() == "related link"


def test_a_related_link_alone_is_not_enough() -> None:
    # Sites list stories on the same subject too: without a shared word, apart.
    a = story("a", "Harris heads to Guatemala", related=("b",))
    b = story("b", "Markets close higher on Friday", provider="Other")
    assert groups_of([a, b]) == []


def test_stories_further_apart_than_the_window_are_never_one_event() -> None:
    a = story("a", "Dataverse for Teams is now generally available", related=("b",))
    b = story(
        "b",
        "Dataverse for Teams is now generally available",
        at=T0 + WINDOW + 60,
        provider="Other",
    )
    assert groups_of([a, b]) == []


def test_one_providers_alike_titles_on_other_days_are_apart() -> None:
    a = story("a", "Weekly market wrap: stocks slide as oil jumps")
    b = story("b", "Weekly market wrap: stocks slide as oil jumps", at=T0 + DAY)
    c = story("c", "Weekly market wrap: stocks slide as oil jumps", at=T0 + 60)
    # The same provider on the same day: an update of one story.
    assert groups_of([a, b, c]) == [["a", "c"]]


def test_a_storyline_never_spans_more_than_max_span() -> None:
    days = int(MAX_SPAN // DAY) * 3
    chain = [
        story(f"s{n}", "Volcano eruption continues on island", at=T0 + n * DAY, provider=f"P{n}")
        for n in range(days)
    ]
    lines = group(chain, find_links(chain))
    assert lines.groups  # alike every day...
    for stories in lines.groups:  # ...but never one endless storyline
        first, last = stories[0].published_ts, stories[-1].published_ts
        assert first is not None and last is not None and last - first <= MAX_SPAN


def test_grouping_does_not_depend_on_file_order() -> None:
    rng = random.Random(7)
    subjects = ["Volcano erupts on Iceland peninsula", "Central bank raises interest rates"]
    articles = [
        story(
            f"s{n}",
            subjects[n % 2] + ("" if n % 3 else " again"),
            at=T0 + rng.randrange(0, int(2 * DAY)),
            provider=f"P{n % 5}",
            related=(f"s{(n + 2) % 12}",),
        )
        for n in range(12)
    ]
    expected = group(articles, find_links(articles))
    assert len(expected) >= 2
    for _ in range(5):
        shuffled = articles[:]
        rng.shuffle(shuffled)
        again = group(shuffled, find_links(shuffled))
        assert again == expected
        assert [again.why(a) for a in articles] == [expected.why(a) for a in articles]


def test_links_of_new_stories_add_up_to_all_links() -> None:
    old = [
        story("a", "Dataverse for Teams is now generally available", provider="Microsoft"),
        story("b", "Volcano erupts on Iceland peninsula"),
    ]
    new = [
        story(
            "c",
            "Microsoft announces general availability of Dataverse for Teams",
            at=T0 + 3600,
            provider="ZDNet",
        ),
        story("d", "Iceland volcano erupts on peninsula again", provider="Other", related=("b",)),
    ]
    everyone = old + new
    incremental = find_links(old) + find_links(everyone, [a.path for a in new])
    assert sorted(incremental, key=lambda k: (k.a, k.b)) == find_links(everyone)
    assert len(find_links(everyone)) == 2


def test_storyline_ids_are_shared_within_a_storyline_and_own_alone() -> None:
    a = story("a", "Dataverse for Teams is now generally available", provider="Microsoft")
    b = story(
        "b", "Microsoft announces general availability of Dataverse for Teams", provider="ZDNet"
    )
    c = story("c", "Volcano erupts on Iceland peninsula")
    lines = group([a, b, c], find_links([a, b, c]))
    assert lines.ident(a) == lines.ident(b) != lines.ident(c)
    assert lines.ident(c) == link_key(c.mark_key)
    assert lines.of(c) == (c,) and lines.number(c) is None


def test_only_drops_stories_and_storylines_left_alone() -> None:
    a = story("a", "Dataverse for Teams is now generally available", provider="Microsoft")
    b = story(
        "b", "Microsoft announces general availability of Dataverse for Teams", provider="ZDNet"
    )
    lines = group([a, b], find_links([a, b]))
    assert lines.only(lambda s: True) is lines
    fewer = lines.only(lambda s: s is not a)
    assert len(fewer) == 0 and fewer.of(b) == (b,) and fewer.why(b) is None
    assert Storylines.none() == Storylines((), {})


class CountedLinks(Mapping[str, Link]):
    """Links that count how many are read (as the cache's stored links are made)."""

    def __init__(self, links: dict[str, Link]) -> None:
        self.links, self.reads = links, 0

    def __getitem__(self, path: str) -> Link:
        self.reads += 1
        return self.links[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self.links)

    def __len__(self) -> int:
        return len(self.links)


def test_only_reads_no_link_until_one_is_asked_for() -> None:
    a, b, c, d = (story(n, f"Story {n}") for n in "abcd")
    why = CountedLinks(
        {
            "/f/b.md": Link("/f/a.md", "/f/b.md", TITLE, 0.9),
            "/f/c.md": Link("/f/b.md", "/f/c.md", TITLE, 0.8),
        }
    )
    lines = Storylines([[a, b, c], [d]], why)
    fewer = lines.only(lambda s: s is not a)  # b leads the storyline now
    assert why.reads == 0
    assert fewer.why(b) is None and fewer.why(a) is None
    assert fewer.why(c) == Link("/f/b.md", "/f/c.md", TITLE, 0.8)
    assert why.reads == 1
    assert fewer == Storylines([[b, c]], {"/f/c.md": why.links["/f/c.md"]})


def test_words_fold_stem_and_keep_numbers_whole() -> None:
    assert words("Dataverse for Teams is now generally available") == {
        "datave",
        "teams",
        "genera",
        "availa",
    }
    assert "68000" in words("Bitcoin tops $68,000")
    assert words("Ødegaard scores") == words("odegaard SCORES")
    assert words("The one and only") == frozenset()
    assert cosine(frozenset(), frozenset({"x"})) == 0.0


def test_numbers_differ_only_when_each_side_has_its_own() -> None:
    assert numbers_differ(frozenset({"2019", "2"}), frozenset({"2020", "1"}))
    assert not numbers_differ(frozenset({"50", "2030"}), frozenset({"2030"}))
    assert not numbers_differ(frozenset(), frozenset({"7"}))


@pytest.mark.parametrize(
    "other",
    [
        "http://news.example/story/",
        "https://www.NEWS.example/story",
        "https://news.example/story#comments",
        "  https://news.example/story  ",
    ],
)
def test_links_naming_one_page_have_one_key(other: str) -> None:
    assert link_key(other) == link_key("https://news.example/story")
    assert normal_link(other) == "news.example/story"


def test_links_of_other_pages_have_other_keys() -> None:
    assert link_key("https://news.example/a") != link_key("https://news.example/b")
    assert link_key("https://news.example/a?id=1") != link_key("https://news.example/a?id=2")
    assert link_key("") == ""


def test_shared_common_words_do_not_make_stories_of_other_names_one_event() -> None:
    # Many products become "generally available": those words say little, the names a lot.
    others = [
        story(f"ga{n}", f"Product{n} for Teams is now generally available", at=T0 + n * 10 * DAY)
        for n in range(1, 30)
    ]
    gio = story("gio", "Gio for Teams is now generally available", provider="A")
    vikrym = story("vik", "Vikrym for Teams is now generally available", provider="B")
    gio_again = story("gio2", "Teams gets Gio: now generally available", provider="C")
    assert groups_of([*others, gio, vikrym, gio_again]) == [["gio", "gio2"]]


def test_two_storylines_bound_by_one_link_stay_apart() -> None:
    summit = [
        story(f"s{n}", title, provider=f"P{n}")
        for n, title in enumerate(
            [
                "Leaders of Norvia and Kestland meet at Lake Brim summit",
                "Norvia and Kestland leaders hold Lake Brim summit",
                "Lake Brim summit: Norvia, Kestland leaders meet",
            ]
        )
    ]
    storm = [
        story(f"t{n}", title, provider=f"Q{n}")
        for n, title in enumerate(
            [
                "Storm Ulla floods Lake Brim villages",
                "Lake Brim villages flooded as Storm Ulla hits",
                "Storm Ulla: Lake Brim villages under water",
            ]
        )
    ]
    # One story of each lists one of the other: a single link between them.
    bridge = story(
        "b", "Norvia and Kestland leaders meet as Storm Ulla hits Lake Brim", related=("t0",)
    )
    lines = group([*summit, *storm, bridge], find_links([*summit, *storm, bridge]))
    kinds = [{a.path[3] for a in stories} - {"b"} for stories in lines.groups]
    assert sorted(map(sorted, kinds)) == [["s"], ["t"]]  # the bridge joins one of them


def test_regrouping_after_changes_gives_what_grouping_all_gives() -> None:
    rng = random.Random(3)
    subjects = [
        "Volcano erupts on Iceland peninsula",
        "Central bank raises interest rates",
        "Dataverse for Teams is now generally available",
        "Storm Ulla floods Lake Brim villages",
    ]
    articles = [
        story(
            f"s{n:02}",
            subjects[n % 4] + ("" if n % 3 else " again"),
            at=T0 + (n % 4) * 10 * DAY + rng.randrange(0, int(DAY)),
            provider=f"P{n % 7}",
            related=(f"s{(n + 4) % 24:02}",) if n % 5 == 0 else (),
        )
        for n in range(24)
    ]
    before = group(articles, find_links(articles))
    assert len(before) >= 3
    gone, edited = articles[5], articles[6]
    edited_now = story("s06", "Iceland volcano erupts on the peninsula", at=T0 + 3600)
    added = story("new", "Central bank raises rates once more", at=T0 + 10 * DAY, provider="X")
    now = [a for a in articles if a not in (gone, edited)] + [edited_now, added]
    changed = {gone.path, edited.path, added.path}
    kept = [k for k in find_links(articles) if k.a not in changed and k.b not in changed]
    links = kept + find_links(now, [edited_now.path, added.path])
    old_links = find_links(articles)
    again = regroup(now, links, before.columns(old_links), link_columns(old_links), changed)
    assert again == group(now, links)
