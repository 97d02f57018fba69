"""Writing small story folders for app tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def write_story(folder: Path, name: str, **fields: Any) -> Path:
    """Write one story file with these front-matter fields; returns its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{text}---\n", encoding="utf-8")
    return path


def story(
    title: str,
    heat: int,
    *,
    topics: list[str],
    url: str,
    provider: str = "Example News",
    domain: str = "example.com",
    published: str = "2021-06-06T14:25:29Z",
    excerpt: str = "",
    related: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Front-matter fields of a typical story."""
    fields: dict[str, Any] = {
        "title": title,
        "excerpt": excerpt or f"Excerpt of {title}.",
        "publishedDateTime": published,
        "webUrl": url,
        "originalUrl": url,
        "type": "article",
        "quality": 100,
        "heat": heat,
        "published": True,
        "provider": {"name": provider, "domain": domain},
        "topics": topics,
        "images": [{"url": f"{url}/image.jpg", "width": 1100, "height": 619}],
    }
    if related is not None:
        fields["related"] = related
    fields.update(extra)
    return fields


def related(title: str, url: str, provider: str = "Other News") -> dict[str, Any]:
    """A related-story entry."""
    return {
        "title": title,
        "webUrl": url,
        "publishedDateTime": "2021-06-05T09:00:00Z",
        "provider": {"name": provider, "domain": "other.example"},
    }


def build_news(folder: Path) -> Path:
    """A small corpus: five stories over three topics, with related stories."""
    write_story(
        folder,
        "politics/harris.md",
        **story(
            "Harris heads to Guatemala",
            245,
            topics=["Election", "Kamala Harris"],
            url="https://news.example/harris",
            provider="CNN",
            domain="cnn.com",
            excerpt="Kamala Harris leaves for Latin America on Sunday.",
            related=[
                related("Mexico trip planned", "https://news.example/mexico"),
                related("Not in this folder", "https://elsewhere.example/story"),
                related("New AI model released", "https://news.example/ai"),
            ],
        ),
    )
    write_story(
        folder,
        "politics/mexico.md",
        **story(
            "Mexico trip planned",
            120,
            topics=["election"],
            url="https://news.example/mexico",
            published="2021-06-02T11:16:06Z",
        ),
    )
    write_story(
        folder,
        "tech/chips.md",
        **story(
            "Chip shortage eases", 900, topics=["Technology"], url="https://news.example/chips"
        ),
    )
    write_story(
        folder,
        "tech/ai.md",
        **story(
            "New AI model released",
            120,
            topics=["Technology", "Election"],
            url="https://news.example/ai",
            published="2021-06-08T10:00:00Z",
        ),
    )
    write_story(
        folder,
        "markup.md",
        **story(
            "[@click=app.quit]x[/] Markets fall [/",
            5,
            topics=["Markets"],
            url="https://news.example/markets",
            provider="[b]Bold[/b] Wire",
        ),
    )
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    return folder
