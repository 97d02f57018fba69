"""Load one folder of the corpus in a fresh process and print what came out as JSON.

Run as `python tests/hostile/run_case.py FOLDER`; the parent test applies a
timeout and reads the peak memory of this process from the report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from corpus import story_fields, unclean_strings

from reader.model.article import Article, Story
from reader.model.index import Index
from reader.model.loader import load_folder
from reader.model.parsing import load_story
from tests.bench.memory import peak_kb


def main(folder: str) -> None:
    result = load_folder(folder, use_cache=False, workers=1)
    index = Index(result.articles)
    articles = []
    unclean = []
    for article in index.articles():  # what the reader shows: duplicates left out
        story = load_story(article.path)
        assert isinstance(article, Article)
        if not isinstance(story, Story):
            unclean.append(f"{article.path}: the story could not be reloaded: {story}")
            continue
        unclean += unclean_strings(story, "story")
        articles.append(story_fields(article, story))
    problems = [[p.path, p.reason, p.kind] for p in [*result.problems, *index.duplicates]]
    report = {
        "articles": articles,
        "problems": problems,
        "unclean": unclean,
        "maxrss_kb": peak_kb(),
    }
    # ensure_ascii keeps lone surrogates (undecodable file names) intact through JSON.
    json.dump(report, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main(sys.argv[1])
