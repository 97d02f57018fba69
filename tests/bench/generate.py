"""Write a deterministic corpus of story files shaped like a real export.

Each file looks like `format/example-article.md` (about 4.6 KB of front
matter: provider with logo, 1-5 topics, images, 0-5 related stories, a
secured blob). Topics and providers follow a skewed distribution, dates
span three years, and some related stories point at other generated files.

    python -m tests.bench.generate DIR N [--seed S]
    python tests/bench/generate.py DIR N

The same (n, seed) always gives byte-identical files.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import sys
import time
from datetime import datetime, timezone

#: Files per subfolder, so no folder grows huge.
PER_FOLDER = 1000
#: Share of files that repeat another file's webUrl (the same story twice).
DUPLICATE_RATE = 0.005
_START = int(datetime(2019, 1, 1, tzinfo=timezone.utc).timestamp())
_SPAN = 3 * 365 * 24 * 3600

TOPICS = (
    "Election",
    "Coronavirus",
    "Climate Change",
    "Stock Market",
    "Joe Biden",
    "Donald Trump",
    "Kamala Harris",
    "Democratic Voice",
    "Republican Party",
    "Supreme Court",
    "Vaccines",
    "Artificial Intelligence",
    "Bitcoin",
    "Cryptocurrency",
    "Apple",
    "Google",
    "Amazon",
    "Tesla",
    "SpaceX",
    "NASA",
    "Immigration",
    "Ukraine",
    "China",
    "Russia",
    "European Union",
    "Brexit",
    "Inflation",
    "Federal Reserve",
    "Oil Prices",
    "Housing Market",
    "Wildfires",
    "Hurricanes",
    "Earthquakes",
    "Olympics",
    "World Cup",
    "NBA",
    "NFL",
    "Premier League",
    "Tennis",
    "Formula 1",
    "Hollywood",
    "Music",
    "Streaming",
    "Netflix",
    "Video Games",
    "Cybersecurity",
    "Privacy",
    "Social Media",
    "Facebook",
    "Twitter",
    "Education",
    "Health Care",
    "Mental Health",
    "Cancer Research",
    "Space Exploration",
    "Electric Vehicles",
    "Renewable Energy",
    "Gun Control",
    "Police Reform",
    "Trade War",
)

PROVIDERS = (
    ("CNN", "cnn.com"),
    ("New York Times", "nytimes.com"),
    ("BBC News", "bbc.co.uk"),
    ("Reuters", "reuters.com"),
    ("The Guardian", "theguardian.com"),
    ("Washington Post", "washingtonpost.com"),
    ("Associated Press", "apnews.com"),
    ("NPR", "npr.org"),
    ("Fox News", "foxnews.com"),
    ("Bloomberg", "bloomberg.com"),
    ("The Verge", "theverge.com"),
    ("Politico", "politico.com"),
    ("CNBC", "cnbc.com"),
    ("Wall Street Journal", "wsj.com"),
    ("Le Monde", "lemonde.fr"),
    ("Der Spiegel", "spiegel.de"),
    ("Al Jazeera", "aljazeera.com"),
    ("TechCrunch", "techcrunch.com"),
    ("Ars Technica", "arstechnica.com"),
    ("The Atlantic", "theatlantic.com"),
    ("Axios", "axios.com"),
    ("ESPN", "espn.com"),
    ("Variety", "variety.com"),
    ("Nature", "nature.com"),
    ("The Hill", "thehill.com"),
)

_SUBJECTS = (
    "Lawmakers",
    "Investors",
    "Scientists",
    "Officials",
    "Voters",
    "Regulators",
    "Fans",
    "Researchers",
    "Analysts",
    "Doctors",
    "Teachers",
    "Engineers",
    "Diplomats",
    "Critics",
)
_VERBS = (
    "weigh",
    "push back on",
    "rally behind",
    "question",
    "brace for",
    "celebrate",
    "warn about",
    "race to explain",
    "split over",
    "look past",
    "doubt",
    "scramble after",
)
_OBJECTS = (
    "a surprise decision",
    "the new plan",
    "record numbers",
    "a long-awaited report",
    "rising costs",
    "a tense summit",
    "the latest data",
    "a bold proposal",
    "mounting pressure",
    "an unexpected result",
    "the court’s ruling",
    "a risky bet",
    "the résumé of a rival",
)
_SECTIONS = ("politics", "world", "business", "tech", "science", "sport", "culture", "health")
_SLUG_WORDS = (
    "harris",
    "guatemala",
    "mexico",
    "immigration",
    "vaccine",
    "market",
    "climate",
    "summit",
    "court",
    "ruling",
    "senate",
    "budget",
    "energy",
    "launch",
    "storm",
    "election",
    "rally",
    "report",
    "trade",
    "crypto",
    "league",
    "final",
    "study",
)
_FILLER = (
    "The move comes after weeks of speculation and closed-door talks.",
    "Experts say the consequences could be felt for years.",
    "Officials declined to comment on the details.",
    "Critics argue the timing is no accident.",
    "Supporters hailed it as a turning point.",
    "The numbers surprised even the most seasoned observers.",
    "Here is what we know so far, and what comes next.",
    "Markets reacted within minutes of the announcement.",
    "It is the first such step in more than a decade.",
    "Many people are asking what it means for them.",
    "Kamala Harris leaves for Latin America on Sunday under intense political pressure.",
    "A stark reality faces the region: expanding aid programs have failed to stem migration.",
    "How the current responsibilities help or hurt that bid is an open question.",
)


def _zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (rank + 1) ** s for rank in range(n)]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _cdn(url: str) -> str:
    rest = url.split("://", 1)[1]
    host = rest.split("/", 1)[0]
    return f"https://{host.replace('.', '-')}.cdn.ampproject.org/c/s/{rest}"


def _stamp(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


class _Plan:
    """What every file is, decided up front so related stories can point at any file."""

    def __init__(self, n: int, seed: int) -> None:
        rng = random.Random(seed)
        self.rng = rng
        self.n = n
        weights = _zipf_weights(len(PROVIDERS), 0.9)
        self.provider = rng.choices(range(len(PROVIDERS)), weights, k=n)
        self.ts = [_START + rng.randrange(_SPAN) for _ in range(n)]
        self.url = [self._url(i) for i in range(n)]
        for i in range(n):
            if i and rng.random() < DUPLICATE_RATE:
                self.url[i] = self.url[rng.randrange(i)]

    def _url(self, i: int) -> str:
        domain = PROVIDERS[self.provider[i]][1]
        day = time.strftime("%Y/%m/%d", time.gmtime(self.ts[i]))
        section = self.rng.choice(_SECTIONS)
        slug = "-".join(self.rng.sample(_SLUG_WORDS, 5))
        return f"https://www.{domain}/{day}/{section}/{slug}-{i:07d}/index.html"


def _title(rng: random.Random) -> str:
    title = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    if rng.random() < 0.4:
        title += f" as {rng.choice(TOPICS)} {rng.choice(('heats up', 'stalls', 'returns'))}"
    return title + (" " if rng.random() < 0.1 else "")


def _excerpt(rng: random.Random) -> str:
    text = " ".join(rng.sample(_FILLER, rng.randint(2, 5)))
    return text + ("\n    \n" if rng.random() < 0.5 else "")


def _image(rng: random.Random, domain: str, indent: str) -> str:
    width, height = rng.choice(((1100, 619), (1050, 550), (1200, 675), (800, 450)))
    name = base64.b32encode(rng.randbytes(10)).decode().lower()
    return (
        f'{indent}- url: "https://static.{domain}/images/{name}-super-tease.jpg"\n'
        f"{indent}  width: {width}\n{indent}  height: {height}\n{indent}  isCached: true\n"
    )


def _related(rng: random.Random, plan: _Plan, i: int) -> str:
    if rng.random() < 0.5:  # another story of the corpus
        j = rng.randrange(plan.n)
        url, provider, ts = plan.url[j], PROVIDERS[plan.provider[j]], plan.ts[j]
    else:  # a story that is not in the corpus
        provider = rng.choice(PROVIDERS)
        ts = plan.ts[i] - rng.randrange(7 * 24 * 3600)
        day = time.strftime("%Y/%m/%d", time.gmtime(ts))
        slug = "-".join(rng.sample(_SLUG_WORDS, 6))
        url = f"https://www.{provider[1]}/{day}/{rng.choice(_SECTIONS)}/{slug}/index.html"
    amp = url.replace("/index.html", "/amp.html")
    return (
        f"  - title: {_q(_title(rng))}\n"
        f"    excerpt: {_q(_excerpt(rng))}\n"
        f"    publishedDateTime: {_stamp(ts)}\n"
        f'    webUrl: "{url}"\n'
        f'    ampWebUrl: "{amp}"\n'
        f'    cdnAmpWebUrl: "{_cdn(amp)}"\n'
        f"    type: article\n"
        f"    provider:\n      name: {_q(provider[0])}\n      domain: {provider[1]}\n"
        f"    quality: {rng.randrange(301)}\n"
        f"    images:\n{_image(rng, provider[1], '      ')}"
    )


def render(plan: _Plan, i: int, topic_weights: list[float]) -> str:
    """The text of file number `i` of the plan."""
    rng = plan.rng
    name, domain = PROVIDERS[plan.provider[i]]
    url = plan.url[i]
    amp = url.replace("/index.html", "/amp.html")
    topics = list(dict.fromkeys(rng.choices(TOPICS, topic_weights, k=rng.randint(1, 5))))
    parts = [
        "---\ncategory: news\n",
        f"title: {_q(_title(rng))}\n",
        f"excerpt: {_q(_excerpt(rng))}\n",
        f"publishedDateTime: {_stamp(plan.ts[i])}\n",
        f'originalUrl: "https://feeds.{domain}/rss/{rng.randrange(10**9)}"\n',
        f'webUrl: "{url}"\n',
        f'ampWebUrl: "{amp}"\n',
        f'cdnAmpWebUrl: "{_cdn(amp)}"\n',
        "type: article\n",
        f"quality: {rng.randrange(301)}\n",
        f"heat: {int(rng.paretovariate(1.2) * 40) % 1001}\n",
        "published: true\n\n",
        f"provider:\n  name: {_q(name)}\n  domain: {domain}\n  images:\n",
        f'    - url: "https://assets.example.org/logos/{domain}-50x50.jpg"\n',
        "      width: 50\n      height: 50\n\n",
        "topics:\n",
        *(f"  - {t}\n" for t in topics),
        "\nimages:\n",
        *(_image(rng, domain, "  ") for _ in range(rng.randint(1, 2))),
    ]
    related = rng.choices(range(6), (4, 9, 19, 27, 23, 18))[0]
    if related:
        parts.append("\nrelated:\n")
        parts.extend(_related(rng, plan, i) for _ in range(related))
    blob = base64.b64encode(rng.randbytes(rng.randint(180, 260))).decode()
    key = base64.b64encode(rng.randbytes(16)).decode()
    parts.append(f'\nsecured: "{blob};{key}"\n---\n\n')
    return "".join(parts)


def path_of(folder: str, i: int) -> str:
    """Where file number `i` goes."""
    return os.path.join(folder, f"part-{i // PER_FOLDER:04d}", f"story-{i:07d}.md")


def generate(folder: str, n: int, seed: int = 0) -> list[str]:
    """Write `n` story files under `folder` and return their paths (sorted)."""
    plan = _Plan(n, seed)
    weights = _zipf_weights(len(TOPICS))
    paths = []
    for i in range(n):
        path = path_of(folder, i)
        if i % PER_FOLDER == 0:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write(render(plan, i, weights))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: generate DIR N [--seed S]."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.folder, args.n, args.seed)
    took = time.perf_counter() - started
    print(f"wrote {args.n:,} files under {args.folder} in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
