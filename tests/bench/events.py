"""Write a deterministic corpus of story files whose events are known.

Each event (a product launch, an election, a takeover, a quake...) is covered
by 1-8 stories from different providers (most by one or two), published
within about three days of each other; events are spread over three years.
Every story paraphrases its event in its own words: its own title template
and excerpt, the same names. Beside the files, `DIR/events.json` maps each
file's path (relative to DIR) to its event id ("kind-000123"), the ground
truth `bench_storylines` scores storylines against.

The corpus is made hard on purpose, the way real folders are:

- names are invented from syllables, so most are rare; a pool of famous
  people, companies and places recurs across many events, some in one week;
- some days crowd one kind of event (election night, earnings season);
- a site's template titles come back on other days as other events
  ("Contoso Apps | 2019 release wave 2 overview", "Weekly market wrap: June
  3", "This week in crypto"), and daily market stories from several sites
  read alike from one day to the next;
- a few events repeat an older event's exact title, months or years later;
- a death toll rises from story to story (titles with different numbers);
- related lists name stories of the same event, stories of other events on
  the same subject (as real sites do), and pages that are not in the folder.

    python -m tests.bench.events DIR N [--seed S]

The same (N, seed) always gives byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from tests.bench.generate import PER_FOLDER, _q, _stamp, path_of

HOUR = 3600
DAY = 24 * HOUR
_START = int(datetime(2019, 1, 1, tzinfo=timezone.utc).timestamp())
_SPAN = 3 * 365 * DAY
#: Stories per event, 1 to 8: most events are covered once or twice.
STORY_WEIGHTS = (44, 24, 11, 7, 5, 4, 3, 2)
#: Share of events that repeat an older event's names and first title.
REPRISE_RATE = 0.02
#: Kinds of events that happen again with the same names (a reprise).
REPRISE_KINDS = ("earnings", "election", "summit", "quake", "recall", "strike", "match", "fine")
#: Share of events with a famous name that fall in the week of an earlier one.
SAME_WEEK_RATE = 0.3
#: Share of events dated on one of their kind's crowded days.
CROWDED_RATE = 0.2
#: Share of titles, and of excerpts, that name their event's own circumstance.
DETAIL_RATE = 0.4
#: Share of excerpts that tell one of their event's own facts (who spoke, where).
FACT_RATE = 0.6
#: Share of stories that carry an earlier story's title word for word (syndication).
SYNDICATED_RATE = 0.08

# -- providers ---------------------------------------------------------------------

#: (name, domain, beat); "title" case style for some (every word capitalised).
PROVIDERS = (
    ("Reuters", "reuters.com", "general"),
    ("Associated Press", "apnews.com", "general"),
    ("CNN", "cnn.com", "general"),
    ("BBC News", "bbc.co.uk", "general"),
    ("The Guardian", "theguardian.com", "general"),
    ("New York Times", "nytimes.com", "general"),
    ("Washington Post", "washingtonpost.com", "general"),
    ("NPR", "npr.org", "general"),
    ("Fox News", "foxnews.com", "general"),
    ("Al Jazeera", "aljazeera.com", "general"),
    ("Sky News", "news.sky.com", "general"),
    ("France 24", "france24.com", "general"),
    ("Deutsche Welle", "dw.com", "general"),
    ("The Independent", "independent.co.uk", "general"),
    ("USA Today", "usatoday.com", "general"),
    ("Axios", "axios.com", "politics"),
    ("Politico", "politico.com", "politics"),
    ("The Hill", "thehill.com", "politics"),
    ("Euronews", "euronews.com", "politics"),
    ("Bloomberg", "bloomberg.com", "business"),
    ("CNBC", "cnbc.com", "business"),
    ("Financial Times", "ft.com", "business"),
    ("Wall Street Journal", "wsj.com", "business"),
    ("MarketWatch", "marketwatch.com", "business"),
    ("Fortune", "fortune.com", "business"),
    ("Business Insider", "businessinsider.com", "business"),
    ("Forbes", "forbes.com", "business"),
    ("Yahoo Finance", "finance.yahoo.com", "business"),
    ("The Verge", "theverge.com", "tech"),
    ("TechCrunch", "techcrunch.com", "tech"),
    ("Ars Technica", "arstechnica.com", "tech"),
    ("ZDNet", "zdnet.com", "tech"),
    ("Engadget", "engadget.com", "tech"),
    ("Wired", "wired.com", "tech"),
    ("CNET", "cnet.com", "tech"),
    ("The Register", "theregister.com", "tech"),
    ("VentureBeat", "venturebeat.com", "tech"),
    ("InfoWorld", "infoworld.com", "tech"),
    ("9to5 Gadgets", "9to5gadgets.com", "tech"),
    ("ESPN", "espn.com", "sports"),
    ("Sky Sports", "skysports.com", "sports"),
    ("The Athletic", "theathletic.com", "sports"),
    ("Goal", "goal.com", "sports"),
    ("Eurosport", "eurosport.com", "sports"),
    ("Nature", "nature.com", "science"),
    ("Science News", "sciencenews.org", "science"),
    ("New Scientist", "newscientist.com", "science"),
    ("Live Science", "livescience.com", "science"),
    ("Phys.org", "phys.org", "science"),
)
_TITLE_CASE = frozenset({"Fox News", "Forbes", "Business Insider", "Engadget", "Goal", "USA Today"})
#: Providers that append their name to every title ("... - Yahoo Finance").
_SIGNED = frozenset({"Yahoo Finance", "Euronews", "Phys.org"})
#: Providers that lead with "UPDATE n-" now and then.
_WIRE = frozenset({"Reuters"})
#: Series providers: each posts one kind of template title only.
_SERIES_PROVIDERS = (
    ("Contoso Docs", "docs.contoso.com"),
    ("Fabrikam Learn", "learn.fabrikam.com"),
    ("Market Pulse", "marketpulse.net"),
    ("Morning Brief", "morningbrief.co"),
    ("Crypto Weekly", "cryptoweekly.io"),
    ("The Week In Tech", "weekintech.com"),
)

# -- invented names ------------------------------------------------------------------

_ONSETS = (
    "b",
    "br",
    "c",
    "ch",
    "d",
    "dr",
    "f",
    "fl",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "sk",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
)
_NUCLEI = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y", "a", "e", "o")
_CODAS = ("", "", "", "", "n", "r", "l", "s", "x", "m", "nd", "rk", "th", "v", "nt")
_COMPANY_ENDS = (
    *("",) * 6,
    *(" Labs", " Group", "corp", "soft", " Systems", " Motors", " Bank", " Energy"),
    *(" Pharma", " Airlines", " Networks", " Foods", " Holdings", "ly", "io", " Technologies"),
)
_PLACE_ENDS = ("ia", "stan", "burg", "port", "ville", "ora", "land", "mouth", "a", "is", "ova")
_TEAM_ENDS = ("United", "City", "Rovers", "FC", "Athletic", "Wanderers", "Town", "Dynamo")
_DEVICE_ENDS = ("", "", " Pro", " Max", " Air", " Studio", " Go", " Ultra", " Mini")
_SERVICE_ENDS = (" Hub", " Insights", " Studio", " Cloud", " for Teams", " Connect", " Analytics")
_DEVICES = (
    "smartphone",
    "laptop",
    "smartwatch",
    "tablet",
    "electric SUV",
    "e-bike",
    "game console",
    "VR headset",
    "earbuds",
    "drone",
    "chip",
    "smart speaker",
)
_SERVICES = (
    "cloud database",
    "analytics service",
    "low-code platform",
    "AI assistant",
    "security suite",
    "payments API",
    "collaboration tool",
    "data warehouse",
    "developer platform",
)
_REGULATORS = (
    "European Commission",
    "Federal Trade Commission",
    "Competition and Markets Authority",
    "Securities and Exchange Commission",
    "Information Commissioner's Office",
)
_ISSUES = (
    "privacy",
    "antitrust",
    "tax",
    "emissions",
    "safety",
    "data protection",
    "advertising",
    "labour",
    "pricing",
    "security",
    "climate",
    "trade",
    "migration",
    "energy",
    "defence",
    "water",
)
_DEFECTS = (
    "faulty brakes",
    "battery fire risk",
    "airbag defects",
    "a software glitch",
    "steering problems",
    "fuel leaks",
    "seat belt faults",
)
_SEGMENTS = ("cloud", "smartphone", "advertising", "gaming", "chip", "subscription", "retail")
_OFFICES = (
    ("presidential", "president"),
    ("mayoral", "mayor"),
    ("governor", "governor"),
    ("parliamentary", "prime minister"),
    ("senate", "senator"),
)
_CREATURES = ("frog", "gecko", "beetle", "orchid", "bat", "catfish", "moth", "shrew", "fern")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINALS = ("first", "second", "third", "fourth")
_TOPIC_OF_COLUMN = ("crypto", "AI", "gadgets", "streaming", "space", "cybersecurity")

#: An event's own circumstance, after a name of its own ("amid the Kroth row").
_DETAIL_NOUNS = ("row", "probe", "talks", "deal", "dispute", "scare", "boycott", "deadline")
#: What stories of one event tell alike: who spoke, where, what about.
_FACTS = (
    "{Q}, a spokesperson, said the {D} had played a part.",
    "The announcement was made in {town}.",
    '"We are very pleased," {Q} told reporters in {town}.',
    "{Q} declined to say more about the {D}.",
    "Crowds gathered in {town} as the news spread.",
)
_DETAIL_SENTENCES = ("It comes amid {D}.", "The news follows {D}.", "Observers pointed to {D}.")

_FILLER = (
    "The move comes after weeks of speculation.",
    "Experts say the consequences could be felt for years.",
    "Officials declined to comment on the details.",
    "Critics argue the timing is no accident.",
    "Supporters hailed it as a turning point.",
    "Here is what we know so far, and what comes next.",
    "Markets reacted within minutes of the announcement.",
    "Many people are asking what it means for them.",
    "The full picture may take days to emerge.",
    "It is the latest twist in a story that has gripped observers.",
    "Analysts had expected the news for some time.",
    "Reaction on social media was swift.",
    "More details are expected later this week.",
    "The decision drew praise and criticism in equal measure.",
)


def _syllable(rng: random.Random) -> str:
    return rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)


def _root(rng: random.Random, low: int = 2, high: int = 2) -> str:
    return "".join(_syllable(rng) for _ in range(rng.randint(low, high))).capitalize()


class _Names:
    """Invented names, each given out once: most names in the corpus are rare."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: dict[str, None] = {}

    def _new(self, make: Callable[[], str]) -> str:
        for _ in range(100):
            name = make()
            if name not in self.used:
                self.used[name] = None
                return name
        raise RuntimeError("ran out of names")

    def person(self) -> str:
        return self._new(lambda: f"{_root(self.rng, 2, 2)} {_root(self.rng, 2, 3)}")

    def company(self) -> str:
        return self._new(lambda: _root(self.rng, 1, 2) + self.rng.choice(_COMPANY_ENDS))

    def place(self) -> str:
        return self._new(lambda: _root(self.rng, 1, 2) + self.rng.choice(_PLACE_ENDS))

    def product(self, service: bool) -> str:
        ends = _SERVICE_ENDS if service else _DEVICE_ENDS
        return self._new(lambda: _root(self.rng, 1, 2) + self.rng.choice(ends))

    def team(self) -> str:
        return self._new(lambda: f"{_root(self.rng, 1, 2)} {self.rng.choice(_TEAM_ENDS)}")

    def storm(self) -> str:
        return self._new(lambda: _root(self.rng, 2, 2))

    def word(self) -> str:
        return self._new(lambda: _root(self.rng, 1, 2))


# -- kinds of events -----------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """One kind of event: its weight, who covers it, and how stories word it."""

    name: str
    weight: float
    beats: tuple[str, ...]
    topics: tuple[str, ...]
    titles: tuple[str, ...]
    excerpts: tuple[str, ...]
    #: The slot names that say what the event is about (for related lists).
    subjects: tuple[str, ...]


KINDS = (
    _Kind(
        "ga",
        6,
        ("tech", "business"),
        ("Cloud", "Enterprise Software"),
        (
            "{C} [announces|declares|confirms] general availability of {P}",
            "{P} is now generally available",
            "{C} makes {P} generally available [to all customers|worldwide|for enterprises]",
            "{C}'s {P} [reaches|hits|arrives at] general availability",
            "{P} [leaves|exits] preview after [a year|months] of testing",
            "{C} rolls out {P} to [everyone|all users|every customer]",
            "{P}, the {cat} from {C}, [is ready for production|goes GA]",
            "Generally available: {C} {P}",
            "{C} opens {P} to all [customers|developers] after preview",
        ),
        (
            "{C} said on {weekday} that {P}, its {cat}, is now generally available.",
            "After months in preview, {P} is ready for production use, {C} announced.",
            "The {cat} {P} leaves preview today with new features for enterprise customers.",
            "{C} has made {P} generally available, ending a preview that began last year.",
            "Customers can now deploy {P}, {C}'s {cat}, in production.",
        ),
        ("C", "P"),
    ),
    _Kind(
        "launch",
        8,
        ("tech", "general"),
        ("Gadgets", "Technology"),
        (
            "{C} [unveils|reveals|shows off] {P}, its new {cat}",
            "{C} [launches|introduces|debuts] {P} {cat}",
            "Meet {P}, {C}'s [latest|newest] {cat}",
            "Hands-on with the {P}: {C}'s {cat} [impresses|disappoints|surprises]",
            "{C} takes the wraps off {P}",
            "{C} {P} [launch|release]: price, release date and features",
            "{C} [debuts|unveils] {P} at {Y} event",
            "{P} is official: [everything|all] {C} announced",
            "{C}'s {P} {cat} [goes on sale|arrives] next month",
        ),
        (
            "{C} on {weekday} introduced the {P}, {acat} aimed at {audience}.",
            "The {P} is the first {cat} from {C} to ship with {feature}.",
            "{C} revealed its {P} {cat} at an event in {Y}, priced from ${price}.",
            "We went hands-on with the {P}, {C}'s newest {cat}.",
            "{C}'s new {cat}, the {P}, goes on sale next month.",
        ),
        ("C", "P"),
    ),
    _Kind(
        "election",
        6,
        ("politics", "general"),
        ("Elections", "Politics"),
        (
            "{X} wins {Y} {office} [election|vote|race]",
            "{Y} voters hand victory to {X}",
            "{X} elected {role} of {Y}",
            "{X} declared winner of {Y}'s {office} race",
            "{Y} election: {Xs} claims victory over {X2s}",
            "{X2} concedes to {X} in {Y}",
            "{Xs} [defeats|beats|ousts] {X2s} to become {Y}'s next {role}",
            "{Y} elects {X} with {pct}% of the vote",
            "[Landslide|Narrow win|Upset] for {Xs} in {Y}",
        ),
        (
            "{X} won the {office} election in {Y}, defeating {X2} after a bitter campaign.",
            "Voters in {Y} chose {X} as their next {role}, results showed on {weekday}.",
            "{X2} conceded defeat to {Xs}, who will become {role} of {Y}.",
            "{Xs} took {pct}% of the vote in {Y}, official results show.",
            "The {office} race in {Y} ended in a clear win for {X}.",
        ),
        ("X", "Y"),
    ),
    _Kind(
        "takeover",
        5,
        ("business", "general", "tech"),
        ("Mergers", "Business"),
        (
            "{C} to [acquire|buy] {C2} for ${N} billion",
            "{C} [buys|snaps up] {C2} in ${N}bn deal",
            "{C2} agrees to ${N} billion takeover by {C}",
            "{C} strikes deal to [buy|acquire] {C2}",
            "Why {C} is paying ${N} billion for {C2}",
            "{C}-{C2} [merger|deal]: what it means for [customers|investors]",
            "{C2} to be [acquired|bought] by {C}",
            "{C2} shares [soar|jump] on {C} [bid|offer]",
        ),
        (
            "{C} agreed to buy {C2} for about ${N} billion in cash and stock.",
            "The deal values {C2} at ${N} billion and needs regulatory approval.",
            "{C2} shareholders will receive a premium under the agreement with {C}.",
            "{C} is betting on {C2} to expand its {segment} business.",
        ),
        ("C", "C2"),
    ),
    _Kind(
        "earnings",
        5,
        ("business",),
        ("Earnings", "Stock Market"),
        (
            "{C} [beats|tops] estimates as quarterly revenue [jumps|rises|climbs] {pct}%",
            "{C} profit [rises|jumps|grows] on strong {segment} demand",
            "{C} shares [climb|rise|rally|jump] after earnings [beat|surprise]",
            "{C} {ordq}-quarter results [top|beat] forecasts",
            "{C} posts record {segment} sales in {ordq} quarter",
            "{C} [tops|beats] Wall Street forecasts for the {ordq} quarter",
            "{segment_cap} boom lifts {C} [earnings|profit]",
        ),
        (
            "{C} reported {ordq}-quarter revenue up {pct}% from a year earlier.",
            "Strong {segment} sales lifted {C}'s profit above analysts' expectations.",
            "Shares of {C} rose in after-hours trading after results beat forecasts.",
            "{C} raised its outlook for the year after a strong {ordq} quarter.",
        ),
        ("C",),
    ),
    _Kind(
        "fine",
        4,
        ("business", "tech", "general"),
        ("Regulation", "Business"),
        (
            "{R} fines {C} ${N} million over {issue}",
            "{C} hit with ${N}m {R} fine",
            "{C} to pay ${N} million to settle {issue} [probe|case|investigation]",
            "{C} [penalised|punished] by {R} for {issue} breaches",
            "{R} slaps {C} with record {issue} penalty",
            "{C} [will appeal|vows to fight] {R} {issue} ruling",
        ),
        (
            "The {R} fined {C} ${N} million for breaking {issue} rules.",
            "{C} said it would appeal the {R}'s decision over {issue}.",
            "Regulators concluded a two-year {issue} investigation into {C}.",
        ),
        ("C",),
    ),
    _Kind(
        "quake",
        3,
        ("general", "science"),
        ("Earthquakes", "World"),
        (
            "Magnitude {M} earthquake [strikes|hits|jolts] {Y}",
            "{Y} rocked by {M} quake",
            "[Strong|Powerful|Deadly] earthquake [hits|strikes] {region} {Y}",
            "{Y} earthquake: death toll rises to {toll}",
            "Quake in {Y} kills at least {toll}",
            "Rescuers search for survivors after {Y} [earthquake|quake]",
            "[Buildings collapse|Panic] as quake shakes {town}",
        ),
        (
            "A magnitude {M} earthquake struck {region} {Y}, toppling buildings.",
            "Rescue teams in {Y} worked through the night after the quake.",
            "At least {toll} people died when the earthquake hit {Y}, officials said.",
            "The quake, centred near {town}, was felt across {Y}.",
        ),
        ("Y",),
    ),
    _Kind(
        "storm",
        3,
        ("general",),
        ("Storms", "Weather"),
        (
            "Storm {S} makes landfall in {Y}",
            "{Y} braces as Storm {S} [approaches|nears|closes in]",
            "Thousands [evacuated|flee] as {S} [batters|lashes|pounds] {Y}",
            "Storm {S} leaves [thousands|homes] without power in {Y}",
            "{S} weakens after [pounding|battering] {Y} coast",
            "[Floods|Wind and rain] from {S} [cut off|swamp] towns in {Y}",
        ),
        (
            "Storm {S} brought high winds and flooding to {Y} on {weekday}.",
            "Authorities in {Y} ordered evacuations as {S} neared the coast.",
            "{S} knocked out power to homes across {Y}.",
        ),
        ("Y", "S"),
    ),
    _Kind(
        "match",
        5,
        ("sports",),
        ("Football", "Sports"),
        (
            "{A} beat {B} {s1}-{s2} to win {cup}",
            "{cup} final: {A} [edge|see off|outclass] {B}",
            "{B} fall to {A} in {cup} final",
            "{A} crowned {cup} champions",
            "{A} lift {cup} trophy after beating {B}",
            "{A} {s1}-{s2} {B}: {cup} final [report|player ratings]",
            "[Glory|Joy] for {A}, [heartbreak|despair] for {B}",
        ),
        (
            "{A} beat {B} {s1}-{s2} in the {cup} final on {weekday}.",
            "{B} were denied the {cup} title as {A} held on.",
            "A late goal sealed the {cup} for {A} against {B}.",
        ),
        ("A", "B"),
    ),
    _Kind(
        "ceo",
        4,
        ("business", "tech"),
        ("Leadership", "Business"),
        (
            "{C} names {X} as new [CEO|chief executive]",
            "{X} to take over as {C} chief executive",
            "{C} [appoints|taps] {X} [chief executive|CEO], replacing {X2}",
            "{X2} steps down as {C} CEO; {Xs} to succeed",
            "Who is {X}, {C}'s new [boss|CEO]?",
            "{C} shake-up: {X2} out, {X} in",
        ),
        (
            "{C} named {X} chief executive, succeeding {X2}.",
            "{X}, a {C} veteran, will take the top job next month.",
            "{X2} is leaving {C} after years at the helm; {Xs} takes over.",
        ),
        ("C", "X"),
    ),
    _Kind(
        "resign",
        3,
        ("politics", "general"),
        ("Politics",),
        (
            "{X} [resigns|quits] as {role} of {Y}",
            "{Y} {role} {X} steps down",
            "{Xs} quits amid {issue} scandal",
            "{Y}'s {role} announces resignation",
            "{X} to step down as {Y} {role}",
            "[Pressure|Scandal] forces out {Y} {role} {Xs}",
        ),
        (
            "{X} resigned as {role} of {Y} amid a scandal over {issue}.",
            "The {role} of {Y}, {X}, announced the resignation on {weekday}.",
            "{Xs}'s departure leaves {Y} without a {role} for now.",
        ),
        ("X", "Y"),
    ),
    _Kind(
        "breach",
        3,
        ("tech", "business"),
        ("Cybersecurity",),
        (
            "{C} confirms data breach affecting {N} million users",
            "Hackers stole data of {N}m {C} customers",
            "{C} hit by [cyberattack|hack]; customer data exposed",
            "{C} data breach: what to do if you're a customer",
            "{C} says attackers accessed user records",
            "[Massive|Huge] {C} leak exposes [customers|users]",
        ),
        (
            "{C} said attackers had accessed names and emails of {N} million users.",
            "Customers of {C} are urged to change their passwords after the breach.",
            "The breach at {C} is one of the largest this year.",
        ),
        ("C",),
    ),
    _Kind(
        "funding",
        4,
        ("tech", "business"),
        ("Startups", "Venture Capital"),
        (
            "{C} raises ${N} million Series {L}",
            "{C} [lands|nabs|bags] ${N}M led by {V}",
            "{V} leads ${N} million round in {C}",
            "{cat_cap} startup {C} secures Series {L} funding",
            "{C}, maker of {acat}, raises ${N}M",
        ),
        (
            "{C}, which makes {acat}, raised ${N} million in a round led by {V}.",
            "The Series {L} brings {C}'s total funding to more than ${total} million.",
            "{V} led the investment in {C}, a {cat} startup founded in {Y}.",
        ),
        ("C", "V"),
    ),
    _Kind(
        "recall",
        2,
        ("business", "general"),
        ("Cars", "Safety"),
        (
            "{C} recalls {K} {P} vehicles over {defect}",
            "{C} {P} recall: {defect} prompts action",
            "{defect_cap} prompts {C} to recall {P}",
            "{C} [recalls|pulls back] {P} cars",
        ),
        (
            "{C} is recalling {K} {P} vehicles because of {defect}.",
            "Owners of the {P} will be contacted by {C} about {defect}.",
            "The {P} recall is the latest safety setback for {C}.",
        ),
        ("C", "P"),
    ),
    _Kind(
        "discovery",
        3,
        ("science",),
        ("Science", "Biodiversity"),
        (
            "Scientists [discover|find|identify] new {creature} species in {Y}",
            "New species of {creature} found in {Y}'s [forests|rivers|mountains]",
            "{U} researchers [find|describe] {G} {creature}",
            "Meet the {G} {creature}, a new species from {Y}",
            "[Tiny|Rare|Colourful] {creature} from {Y} named after {G}",
        ),
        (
            "Researchers from {U} described a new {creature}, {G}, found in {Y}.",
            "The {G} {creature} was discovered during a survey in {Y}.",
            "The new {creature} species from {Y} is already threatened, scientists say.",
        ),
        ("Y", "U"),
    ),
    _Kind(
        "strike",
        2,
        ("business", "general"),
        ("Labour", "Business"),
        (
            "{C} workers [walk out|strike] at {Y} plants",
            "Strike [halts|stops] production at {C}'s {Y} factories",
            "{W} calls strike at {C}",
            "{C} hit by strike over pay in {Y}",
        ),
        (
            "Workers at {C} in {Y} went on strike over pay, the {W} said.",
            "Production at {C}'s {Y} plants stopped as the strike began.",
        ),
        ("C", "Y"),
    ),
    _Kind(
        "summit",
        3,
        ("politics", "general"),
        ("Diplomacy", "World"),
        (
            "{X} and {X2} meet in {Y} for {issue} talks",
            "{Xs}-{X2s} summit in {Y} ends [without deal|with pledges]",
            "Leaders {Xs} and {X2s} hold talks on {issue}",
            "{X} hosts {X2} as {issue} tensions rise",
            "What to expect from the {Xs}-{X2s} meeting in {Y}",
        ),
        (
            "{X} and {X2} met in {Y} to discuss {issue} on {weekday}.",
            "The talks in {Y} between {Xs} and {X2s} focused on {issue}.",
            "{Xs} said the meeting with {X2s} had been constructive.",
        ),
        ("X", "X2"),
    ),
)
_KIND = {kind.name: kind for kind in KINDS}

_MARKET_DOWN = (
    "Stocks fall as investors weigh inflation data",
    "Wall Street closes lower as tech shares slide",
    "Dow drops {pts} points as rate fears mount",
    "Global markets slip on growth worries",
    "Stocks end lower after volatile session",
)
_MARKET_UP = (
    "Stocks rally as tech shares rebound",
    "Wall Street closes higher on strong earnings",
    "Dow jumps {pts} points as yields ease",
    "Global markets rise as bond yields ease",
    "Stocks end higher after choppy session",
)
_MARKET_EXCERPTS = (
    "The Dow moved {pts} points on {weekday} as investors digested new economic data.",
    "Technology shares led the move while energy stocks lagged.",
    "Traders are watching the central bank's next meeting closely.",
)
_WAVE_OTHERS = (
    "{co} details {year} release wave {w} plans for {app}",
    "What's coming to {product} in the {year} release wave {w}",
)


# -- the plan ------------------------------------------------------------------------


@dataclass
class _Story:
    event: int
    provider: tuple[str, str]
    ts: int
    title: str
    excerpt: str
    url: str = ""


@dataclass
class _Event:
    ident: str
    kind: str
    ts: int
    slots: dict[str, str]
    subjects: tuple[str, ...]
    topics: tuple[str, ...]
    stories: list[int] = field(default_factory=list)
    #: The first story's title before its provider's decorations.
    plain: str = ""


def _story_count(rng: random.Random) -> int:
    return rng.choices(range(1, 9), STORY_WEIGHTS)[0]


def _when(rng: random.Random) -> int:
    return _START + rng.randrange(_SPAN)


def _day_of(ts: int) -> str:
    t = time.gmtime(ts)
    return f"{_MONTHS[t.tm_mon - 1]} {t.tm_mday}"


_CHOICE = re.compile(r"\[([^\[\]]*)\]")


_POSSESSIVE = re.compile(r"(?<=s)'s\b")


def _say(rng: random.Random, template: str, slots: dict[str, str]) -> str:
    """`template` filled with `slots`, each "[a|b|c]" replaced by one of its words
    at random ("Airlines's" written "Airlines'")."""
    text = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    return _POSSESSIVE.sub("'", text.format_map(slots))


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiouAEIOU' else 'a'} {noun}"


def _title_case(title: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in title.split(" "))


class _Plan:
    """Every event and story, decided up front so related lists can name any story."""

    def __init__(self, n: int, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.n = n
        self.names = _Names(rng)
        self.events: list[_Event] = []
        self.stories: list[_Story] = []
        self._famous()
        self._crowded = {k.name: [_when(rng) for _ in range(30)] for k in KINDS}
        self._seen_by_subject: dict[str, list[int]] = {}
        self._series(n)
        self._markets(n // 120)
        self._regular(n)
        del self.stories[n:]  # the last event may overshoot
        self.order = list(range(len(self.stories)))
        rng.shuffle(self.order)  # file order says nothing about events
        for i, s in enumerate(self.order):
            self.stories[s].url = self._url(self.stories[s], i)

    # The famous: names that recur across many events.

    def _famous(self) -> None:
        rng, names = self.rng, self.names
        self.famous_people = [names.person() for _ in range(120)]
        self.famous_companies = [names.company() for _ in range(120)]
        self.famous_places = [names.place() for _ in range(60)]
        self.products = {
            c: [names.product(rng.random() < 0.5) for _ in range(rng.randint(3, 6))]
            for c in self.famous_companies
        }
        self.teams = [names.team() for _ in range(40)]
        self.cups = [f"{names.word()} Cup" for _ in range(12)]
        self.famous = dict.fromkeys(
            (*self.famous_people, *self.famous_companies, *self.famous_places)
        )
        self._zipf = [1.0 / (rank + 1) for rank in range(120)]

    def _pick(self, pool: list[str], fresh: Callable[[], str], share: float) -> str:
        if self.rng.random() < share:
            return self.rng.choices(pool, self._zipf[: len(pool)])[0]
        return fresh()

    def _person(self, share: float = 0.35) -> str:
        return self._pick(self.famous_people, self.names.person, share)

    def _company(self, share: float = 0.4) -> str:
        return self._pick(self.famous_companies, self.names.company, share)

    def _place(self, share: float = 0.4) -> str:
        return self._pick(self.famous_places, self.names.place, share)

    def _product(self, company: str, service: bool) -> str:
        known = self.products.get(company)
        if known and self.rng.random() < 0.7:
            name = self.rng.choice(known)
            if not service and self.rng.random() < 0.4:
                name += f" {self.rng.randint(2, 9)}"  # this year's model
            return name
        return self.names.product(service)

    # Slots: the names and numbers of one event.

    def _slots(self, kind: str) -> dict[str, str]:
        rng = self.rng
        s: dict[str, str] = {}
        if kind in ("ga", "launch", "takeover", "earnings", "fine", "ceo"):
            s["C"] = self._company()
        if kind in ("breach", "recall", "strike"):
            s["C"] = self._company(0.3)
        if kind == "funding":
            s["C"] = self.names.company()
            s["V"] = f"{self._pick(self.famous_companies[:20], self.names.word, 0.5)} Ventures"
            s["L"] = rng.choice("ABCD")
            s["N"] = str(rng.choice((5, 8, 12, 15, 20, 25, 40, 60, 100, 150)))
            s["total"] = str(int(s["N"]) + rng.randint(5, 80))
            s["cat"] = rng.choice(_SERVICES)
            s["Y"] = self._place(0.6)
        if kind == "ga":
            s["P"] = self._product(s["C"], service=True)
            s["cat"] = rng.choice(_SERVICES)
        if kind == "launch":
            s["P"] = self._product(s["C"], service=False)
            s["cat"] = rng.choice(_DEVICES)
            s["Y"] = self._place()
            s["audience"] = rng.choice(("gamers", "creators", "students", "business users"))
            s["feature"] = rng.choice(("a folding screen", "satellite messaging", "an AI chip"))
            s["price"] = str(rng.choice((199, 299, 499, 799, 999, 1299)))
        if kind in ("election", "resign", "ceo", "summit"):
            s["X"] = self._person()
            s["X2"] = self._person(0.25 if kind != "summit" else 0.6)
            while s["X2"] == s["X"]:
                s["X2"] = self.names.person()
            s["Xs"], s["X2s"] = s["X"].split()[-1], s["X2"].split()[-1]
        if kind in ("election", "resign"):
            s["Y"] = self._place()
            s["office"], s["role"] = rng.choice(_OFFICES)
            s["pct"] = str(rng.randint(41, 71))
        if kind in ("resign", "fine", "summit"):
            s["issue"] = rng.choice(_ISSUES)
        if kind == "summit":
            s["Y"] = self._place(0.5)
        if kind == "takeover":
            s["C2"] = self._company(0.15)
            while s["C2"] == s["C"]:
                s["C2"] = self.names.company()
            s["N"] = str(rng.choice((1, 2, 3, 4, 5, 7, 10, 12, 20, 28, 44, 69)))
            s["segment"] = rng.choice(_SEGMENTS)
        if kind == "earnings":
            s["pct"] = str(rng.randint(3, 40))
            s["segment"] = rng.choice(_SEGMENTS)
            s["ordq"] = rng.choice(_ORDINALS)
        if kind == "fine":
            s["R"] = rng.choice((*_REGULATORS, f"{self._place()} Competition Authority"))
            s["N"] = str(rng.choice((5, 10, 25, 50, 100, 150, 300, 500, 700)))
        if kind == "quake":
            s["Y"] = self._place(0.5)
            s["M"] = f"{rng.randint(5, 7)}.{rng.randint(0, 9)}"
            s["region"] = rng.choice(("northern", "southern", "eastern", "western", "central"))
            s["town"] = self.names.place()
            s["toll"] = str(rng.randint(3, 40))
        if kind == "storm":
            s["S"] = self.names.storm()
            s["Y"] = self._place(0.5)
        if kind == "match":
            s["A"], s["B"] = self._team(), self._team()
            while s["B"] == s["A"]:
                s["B"] = self.names.team()
            s["cup"] = self._cup()
            s["s1"], s["s2"] = str(rng.randint(1, 4)), str(rng.randint(0, 3))
            if s["s2"] >= s["s1"]:
                s["s2"] = str(int(s["s1"]) - 1)
        if kind == "breach":
            s["N"] = str(rng.choice((1, 2, 5, 10, 37, 50, 100, 530)))
        if kind == "recall":
            s["P"] = self._product(s["C"], service=False)
            s["K"] = f"{rng.choice((12, 40, 85, 120, 300, 700))},000"
            s["defect"] = rng.choice(_DEFECTS)
        if kind == "discovery":
            s["Y"] = self._place(0.5)
            s["U"] = f"University of {self._place(0.3)}"
            s["creature"] = rng.choice(_CREATURES)
            s["G"] = self.names.word()
        if kind == "strike":
            s["Y"] = self._place()
            s["W"] = f"{self.names.word()} Workers Union"
        for name in ("cat", "segment", "defect"):
            if name in s:
                s[f"{name}_cap"] = s[name][0].upper() + s[name][1:]
        if "cat" in s:
            s["acat"] = _a(s["cat"])
        return s

    def _team(self) -> str:
        return self._pick(self.teams, self.names.team, 0.5)

    def _cup(self) -> str:
        return self.rng.choice(self.cups)

    # Events and their stories.

    def _event(
        self,
        kind: str,
        ts: int,
        slots: dict[str, str],
        subjects: tuple[str, ...],
        topics: tuple[str, ...],
    ) -> _Event:
        event = _Event(f"{kind}-{len(self.events):06d}", kind, ts, slots, subjects, topics)
        self.events.append(event)
        for subject in subjects:
            self._seen_by_subject.setdefault(subject, []).append(len(self.events) - 1)
        return event

    def _add(
        self, event: _Event, provider: tuple[str, str], ts: int, title: str, excerpt: str
    ) -> None:
        event.stories.append(len(self.stories))
        self.stories.append(_Story(len(self.events) - 1, provider, ts, title, excerpt))

    def _providers(self, beats: tuple[str, ...], k: int) -> list[tuple[str, str]]:
        """`k` different providers, mostly of the event's beats, big ones more often."""
        pool = [p for p in PROVIDERS if p[2] in beats or p[2] == "general"]
        weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(pool))]
        chosen: list[tuple[str, str, str]] = []
        while len(chosen) < min(k, len(pool)):
            p = self.rng.choices(pool, weights)[0]
            if p not in chosen:
                chosen.append(p)
        return [(name, domain) for name, domain, _ in chosen]

    def _offset(self) -> int:
        """When a story follows the first one: mostly hours, at most three days."""
        rng = self.rng
        if rng.random() < 0.8:
            return min(3 * DAY, int(rng.expovariate(1 / (9 * HOUR))))
        return rng.randrange(3 * DAY)

    def _decorate(self, title: str, provider: str) -> str:
        rng = self.rng
        if provider in _WIRE and rng.random() < 0.3:
            title = f"UPDATE {rng.randint(1, 3)}-{title}"
        if provider in _SIGNED:
            title = f"{title} - {provider}"
        if provider in _TITLE_CASE:
            title = _title_case(title)
        return title

    def _excerpt(self, kind: _Kind, slots: dict[str, str], k: int) -> str:
        rng = self.rng
        if rng.random() < 0.04:
            return ""
        parts = [_say(rng, kind.excerpts[k % len(kind.excerpts)], slots)]
        if rng.random() < DETAIL_RATE:
            parts.append(rng.choice(_DETAIL_SENTENCES).format_map(slots))
        if "Q" in slots and rng.random() < FACT_RATE:
            parts.append(rng.choice(_FACTS).format_map(slots))
        text = " ".join((*parts, *rng.sample(_FILLER, rng.randint(0, 2))))
        return text[0].upper() + text[1:]

    def _regular(self, n: int) -> None:
        rng = self.rng
        weights = [k.weight for k in KINDS]
        while len(self.stories) < n:
            reprise = rng.random() < REPRISE_RATE and len(self.events) > 50
            if reprise:
                old = self.events[rng.randrange(len(self.events))]
                if old.kind not in REPRISE_KINDS:
                    continue
                kind, slots = _KIND[old.kind], dict(old.slots)
                gap = rng.randint(60, 700) * DAY
                ts = old.ts + gap if old.ts + gap < _START + _SPAN else old.ts - gap
                if ts < _START:
                    continue
                first = old.plain
            else:
                kind = rng.choices(KINDS, weights)[0]
                slots = self._slots(kind.name)
                slots["D"] = f"the {self.names.word()} {rng.choice(_DETAIL_NOUNS)}"
                slots["Q"] = self.names.person()
                slots.setdefault("town", self.names.place())
                ts = self._date(kind, slots)
                first = None
            slots["weekday"] = _WEEKDAYS[time.gmtime(ts).tm_wday]
            subjects = tuple(slots[name] for name in kind.subjects)
            topics = (*kind.topics, *(s for s in subjects if s in self.famous))
            event = self._event(kind.name, ts, slots, subjects, topics[:4])
            count = _story_count(rng)
            templates = rng.sample(range(len(kind.titles)), min(count, len(kind.titles)))
            for k, provider in enumerate(self._providers(kind.beats, count)):
                at = ts if k == 0 else ts + self._offset()
                said = slots
                if "toll" in slots and at > ts:  # the death toll rises as hours pass
                    rise = (at - ts) // (6 * HOUR) * rng.randint(1, 4)
                    said = {**slots, "toll": str(int(slots["toll"]) + rise)}
                if k == 0 and first is not None:
                    title = event.plain = first  # the same words as an event long ago
                elif k and rng.random() < SYNDICATED_RATE:
                    title = self.stories[event.stories[0]].title
                else:
                    template = kind.titles[templates[k % len(templates)]]
                    plain = _say(rng, template, said)
                    if rng.random() < DETAIL_RATE:
                        plain += f" {rng.choice(('amid', 'after', 'despite'))} {slots['D']}"
                    event.plain = event.plain or plain
                    title = self._decorate(plain, provider[0])
                excerpt = self._excerpt(kind, said, templates[k % len(templates)])
                self._add(event, provider, at, title, excerpt)

    def _date(self, kind: _Kind, slots: dict[str, str]) -> int:
        """A random time; now and then in the week of an earlier event with the same
        famous name, or on one of the kind's crowded days."""
        rng = self.rng
        famous = self.famous
        for name in kind.subjects:
            earlier = self._seen_by_subject.get(slots[name], ())
            if slots[name] in famous and earlier and rng.random() < SAME_WEEK_RATE:
                near = self.events[rng.choice(earlier)].ts + rng.randint(-4 * DAY, 4 * DAY)
                return min(max(near, _START), _START + _SPAN - 1)
        if rng.random() < CROWDED_RATE:
            return rng.choice(self._crowded[kind.name]) + rng.randrange(8 * HOUR)
        return _when(rng)

    def _series(self, n: int) -> None:
        """Sites' template titles, each on its own day, each its own event."""
        self._waves(_SERIES_PROVIDERS[0], "Contoso", max(2, n // 8000))
        self._whats_new(_SERIES_PROVIDERS[1], "Fabrikam", max(2, n // 8000), min(36, n // 1500))
        self._columns(n)

    def _waves(self, provider: tuple[str, str], co: str, products: int) -> None:
        """Release plans twice a year, one page per product ("... | 2019 release wave 2
        overview"), now and then covered by other sites too."""
        rng = self.rng
        for app in [f"{co} {self.names.word()}" for _ in range(products)]:
            for year in (2019, 2020, 2021):
                for w, month in ((1, 1), (2, 7)):
                    base = int(datetime(year, month, 20, tzinfo=timezone.utc).timestamp())
                    ts = base + rng.randrange(12 * DAY)
                    slots = {
                        "co": co,
                        "app": app.split()[-1],
                        "product": app,
                        "year": str(year),
                        "w": str(w),
                    }
                    event = self._event("wave", ts, slots, (app,), (co, "Release Plans"))
                    title = f"{app} | {year} release wave {w} overview"
                    excerpt = (
                        f"The {year} release wave {w} for {app} covers features releasing "
                        f"from {_MONTHS[month + 2]} {year} through the next six months."
                    )
                    self._add(event, provider, ts, title, excerpt)
                    if rng.random() < 0.3:
                        for other in self._providers(("tech",), rng.randint(1, 2)):
                            line = rng.choice(_WAVE_OTHERS).format_map(slots)
                            more = f"{co} published its plans for {app}. {excerpt}"
                            self._add(event, other, ts + self._offset(), line, more)

    def _whats_new(self, provider: tuple[str, str], co: str, products: int, months: int) -> None:
        """A monthly page per product: "What's new in Fabrikam Zor: March 2020"."""
        rng = self.rng
        for app in [f"{co} {self.names.word()}" for _ in range(products)]:
            for month in sorted(rng.sample(range(36), months)):
                year, m = 2019 + month // 12, month % 12
                base = int(datetime(year, m + 1, 1, tzinfo=timezone.utc).timestamp())
                ts = base + rng.randrange(6 * DAY)
                event = self._event("whatsnew", ts, {}, (app,), (co,))
                title = f"What's new in {app}: {_MONTHS[m]} {year}"
                excerpt = f"The features and fixes released in {app} in {_MONTHS[m]} {year}."
                self._add(event, provider, ts, title, excerpt)

    def _columns(self, n: int) -> None:
        """A weekly market wrap, a daily briefing and weekly columns, one site each."""
        rng = self.rng
        weeks = min(156, n // 100)
        first_friday = _START + 3 * DAY + 21 * HOUR
        wrap, brief = _SERIES_PROVIDERS[2], _SERIES_PROVIDERS[3]
        for week in sorted(rng.sample(range(156), weeks)):
            ts = first_friday + week * 7 * DAY
            event = self._event("wrap", ts, {}, (), ("Stock Market",))
            self._add(
                event,
                wrap,
                ts,
                f"Weekly market wrap: {_day_of(ts)}",
                "Stocks, bonds and commodities: the week that was, in five charts.",
            )
        for day in sorted(rng.sample(range(3 * 365), min(3 * 365, n // 40))):
            ts = _START + day * DAY + 6 * HOUR
            weekday = _WEEKDAYS[time.gmtime(ts).tm_wday]
            event = self._event("briefing", ts, {}, (), ("Briefing",))
            self._add(
                event,
                brief,
                ts,
                f"Morning briefing: {weekday}, {_day_of(ts)}",
                "Good morning. Here is what you need to know to start your day.",
            )
        for provider in _SERIES_PROVIDERS[4:]:
            topics = rng.sample(_TOPIC_OF_COLUMN, 2)
            for week in sorted(rng.sample(range(156), min(156, n // 400))):
                ts = _START + week * 7 * DAY + 5 * DAY + 15 * HOUR
                topic = topics[week % 2]
                event = self._event("column", ts, {}, (), (topic,))
                self._add(
                    event,
                    provider,
                    ts,
                    f"This week in {topic}",
                    f"The biggest {topic} stories of the week, and what they mean.",
                )

    def _markets(self, count: int) -> None:
        """Daily market stories: one day's move is one event, told alike every day."""
        rng = self.rng
        for day in sorted(rng.sample(range(3 * 365), min(3 * 365, count))):
            ts = _START + day * DAY + 20 * HOUR + rng.randrange(HOUR)
            if time.gmtime(ts).tm_wday >= 5:
                continue
            slots = {
                "pts": str(rng.randint(100, 900)),
                "weekday": _WEEKDAYS[time.gmtime(ts).tm_wday],
            }
            titles = _MARKET_UP if rng.random() < 0.5 else _MARKET_DOWN
            event = self._event("market", ts, slots, (), ("Stock Market",))
            k = rng.choice((1, 1, 2, 2, 3, 4))
            for provider, template in zip(
                self._providers(("business",), k), rng.sample(titles, k), strict=False
            ):
                excerpt = " ".join(rng.sample(_MARKET_EXCERPTS, 2)).format_map(slots)
                self._add(
                    event,
                    provider,
                    ts + rng.randrange(3 * HOUR),
                    template.format_map(slots),
                    excerpt,
                )

    # Links and related lists.

    def _url(self, story: _Story, i: int) -> str:
        domain = story.provider[1]
        day = time.strftime("%Y/%m/%d", time.gmtime(story.ts))
        words = re.findall(r"[a-z0-9]+", story.title.lower())
        return f"https://www.{domain}/{day}/{'-'.join(words[:7])}-{i:06x}"

    def related(self, s: int) -> list[_Story]:
        """What story `s` lists as related: stories of its event, stories of other
        events on the same subject (close in time when there are some), other pages."""
        rng = self.rng
        story = self.stories[s]
        event = self.events[story.event]
        listed: list[_Story] = []
        mates = [t for t in event.stories if t != s and t < len(self.stories)]
        if mates and rng.random() < 0.35:
            listed += [self.stories[t] for t in rng.sample(mates, min(len(mates), 2))]
        if event.subjects and rng.random() < 0.3:
            others = [
                e
                for e in self._seen_by_subject.get(rng.choice(event.subjects), ())
                if e != story.event
                and self.events[e].stories
                and self.events[e].stories[0] < len(self.stories)
            ]
            near = [e for e in others if abs(self.events[e].ts - event.ts) < 7 * DAY]
            pick = near if near and rng.random() < 0.7 else others
            if pick:
                other = self.events[rng.choice(pick)]
                t = rng.choice([t for t in other.stories if t < len(self.stories)])
                listed.append(self.stories[t])
        for _ in range(rng.choices(range(4), (3, 4, 3, 2))[0]):
            listed.append(self._elsewhere(event, story))
        return listed

    def _elsewhere(self, event: _Event, story: _Story) -> _Story:
        """A page on the same subject that is not in the folder."""
        rng = self.rng
        name, domain, _ = rng.choice(PROVIDERS)
        ts = story.ts - rng.randrange(10 * DAY)
        kind = _KIND.get(event.kind)
        if kind is not None:
            title = _say(rng, rng.choice(kind.titles), event.slots)
        else:
            title = self.stories[event.stories[0]].title
        day = time.strftime("%Y/%m/%d", time.gmtime(ts))
        url = f"https://www.{domain}/{day}/story-x{rng.getrandbits(40):010x}"
        return _Story(story.event, (name, domain), ts, title, "", url)


# -- files ---------------------------------------------------------------------------


def _related_entry(story: _Story) -> str:
    excerpt = story.excerpt.split(". ")[0] if story.excerpt else ""
    return (
        f"  - title: {_q(story.title)}\n"
        f"    excerpt: {_q(excerpt)}\n"
        f"    publishedDateTime: {_stamp(story.ts)}\n"
        f'    webUrl: "{story.url}"\n'
        "    type: article\n"
        f"    provider:\n      name: {_q(story.provider[0])}\n      domain: {story.provider[1]}\n"
    )


def render(plan: _Plan, s: int) -> str:
    """The text of the file of story number `s` of the plan."""
    rng = plan.rng
    story = plan.stories[s]
    event = plan.events[story.event]
    topics = list(event.topics)
    if rng.random() < 0.3:
        topics = topics[:1]
    parts = [
        "---\ncategory: news\n",
        f"title: {_q(story.title)}\n",
        f"excerpt: {_q(story.excerpt)}\n",
        f"publishedDateTime: {_stamp(story.ts)}\n",
        f'originalUrl: "{story.url}"\n',
        f'webUrl: "{story.url}"\n',
        "type: article\n",
        f"quality: {rng.randrange(301)}\n",
        f"heat: {int(rng.paretovariate(1.2) * 40) % 1001}\n",
        "published: true\n\n",
        f"provider:\n  name: {_q(story.provider[0])}\n  domain: {story.provider[1]}\n\n",
        "topics:\n",
        *(f"  - {_q(t)}\n" for t in topics),
    ]
    related = plan.related(s)
    if related:
        parts.append("\nrelated:\n")
        parts.extend(_related_entry(r) for r in related)
    parts.append("---\n\n")
    return "".join(parts)


def generate(folder: str, n: int, seed: int = 0) -> dict[str, str]:
    """Write `n` story files under `folder`, and `folder/events.json`; return the
    ground truth (each file's path relative to `folder` -> its event id)."""
    plan = _Plan(n, seed)
    os.makedirs(folder, exist_ok=True)
    truth: dict[str, str] = {}
    for i, s in enumerate(plan.order):
        path = path_of(folder, i)
        if i % PER_FOLDER == 0:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write(render(plan, s))
        rel = os.path.relpath(path, folder).replace(os.sep, "/")
        truth[rel] = plan.events[plan.stories[s].event].ident
    with open(os.path.join(folder, "events.json"), "w", encoding="utf-8", newline="\n") as out:
        json.dump(truth, out, indent=0, sort_keys=True)
        out.write("\n")
    return truth


def main(argv: list[str] | None = None) -> int:
    """Command line: events DIR N [--seed S]."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    truth = generate(args.folder, args.n, args.seed)
    took = time.perf_counter() - started
    events = len(set(truth.values()))
    print(
        f"wrote {len(truth):,} files ({events:,} events) under {args.folder} in {took:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
