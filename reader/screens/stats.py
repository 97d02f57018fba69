"""The statistics screen: stories per day, top providers, rising topics, your reading.

The charts (`reader.widgets.charts`) are drawn with block characters rather
than by a plotting library. Measured on Textual 8.2.8 with the same counts:
these draw the four panels in 2-5 ms and follow the theme through component
classes; textual-plotext 1.0.1 (last released 2024-11) requires plotext < 6
and took 16-100 ms, with fractional ticks ("19.2") for counts and rows of
names left out at 80x24; plotext 6.1.0 used directly adds ~170 ms of import
(a C++ kernel loaded through ctypes), took 16-48 ms, keeps one global figure,
and at 80x24 printed names over each other and lost its frame.

Counting runs in a thread worker, with the one read of the state file's read
times: about 0.2 s at 100,000 stories and 100,000 read marks, most of it
walking the stories in ranked order. The panels say "Counting…" until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from reader.model import stats, timefmt
from reader.model.article import Article
from reader.model.index import Index
from reader.model.readlog import read_times
from reader.model.rising import Rises, window_label
from reader.resources import styles_dir
from reader.widgets.charts import DayBars, RankBars

#: Most bars in a panel of named counts; as many are drawn as fit its height.
TOP = 20


def _local_day(ts: float | None) -> date | None:
    try:
        return None if ts is None else datetime.fromtimestamp(ts).date()
    except (OverflowError, OSError, ValueError):
        return None


@dataclass(frozen=True)
class Counts:
    """Everything the four panels show."""

    stories: list[tuple[date, int]]
    providers: list[tuple[str, int]]
    rising: list[tuple[str, int]]
    reads: list[tuple[date, int]]
    #: Read marks in the state file, of any day.
    read_total: int
    #: When the newest story was published, if none was in the days counted.
    newest: float | None = None


class StatsScreen(Screen[None]):
    """Four panels of numbers about the folder; Escape or q goes back."""

    CSS_PATH = str(styles_dir() / "stats.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="close"),
    ]

    class Counted(Message):
        """The worker has counted everything."""

        def __init__(self, counts: Counts) -> None:
            super().__init__()
            self.counts = counts

    def __init__(
        self, index: Index, rises: Rises, state_path: Path | None, *, now: float | None = None
    ) -> None:
        """`index`: the stories counted; `rises`: what they gained lately; `state_path`:
        the state file holding when stories were read (None: marks are not kept in a
        file); `now`: the moment "today" ends (the current time when None)."""
        super().__init__()
        self.index = index
        self.rises = rises
        self.state_path = state_path
        self.now = timefmt.current_time() if now is None else now
        #: What the panels show, once counted.
        self.counts: Counts | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            Text(f"Statistics · {len(self.index):,} stories", style="bold"), id="stats-title"
        )
        with Grid(id="stats-panels"):
            for panel, title in (
                ("stories", "Stories per day"),
                ("providers", "Top providers"),
                ("reads", "Your reading"),
                ("rising", "Rising topics"),
            ):
                with Vertical(id=f"panel-{panel}", classes="stats-panel") as box:
                    box.border_title = title
                    yield Static(Text("Counting…"), classes="stats-note")
        yield Footer()

    def on_mount(self) -> None:
        # Ranked on the UI thread (a lookup once the main screen has listed them):
        # the index fills its caches lazily and is not shared with the worker.
        self._count(self.index.articles())

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False, description="counting")
    def _count(self, articles: list[Article]) -> None:
        times = read_times(self.state_path) if self.state_path is not None else []
        per_day = stats.stories_per_day(articles, now=self.now)
        newest = None
        if not any(n for _, n in per_day):  # an old folder: say how old
            dated = (a.published_ts for a in articles if a.published_ts is not None)
            newest = max((ts for ts in dated if ts <= self.now), default=None)
        counts = Counts(
            stories=per_day,
            providers=stats.top_providers(articles, TOP),
            rising=stats.rising_topics(articles, self.rises, TOP, names=self.index.topic_name),
            reads=stats.reads_per_day(times, now=self.now),
            read_total=len(times),
            newest=newest,
        )
        self.post_message(self.Counted(counts))

    async def on_stats_screen_counted(self, event: Counted) -> None:
        self.counts = counts = event.counts
        days = f"in {len(counts.stories)} days"
        stories = sum(n for _, n in counts.stories)
        reads = sum(n for _, n in counts.reads)
        no_stories = f"No stories dated in the last {len(counts.stories)} days."
        newest = _local_day(counts.newest)
        if newest is not None:
            no_stories += f" The newest is of {newest.day} {newest:%b %Y}."
        await self._fill(
            "stories",
            DayBars(counts.stories, id="chart-stories") if stories else None,
            no_stories,
            f"{stories:,} {days}" if stories else "",
        )
        await self._fill(
            "providers",
            RankBars(counts.providers, id="chart-providers") if counts.providers else None,
            "No story names its provider.",
        )
        await self._fill("rising", *self._rising(counts))
        if self.state_path is None:
            no_reads = "Reading is not recorded: there is no state file."
        elif counts.read_total:
            no_reads = f"No stories read in the last {len(counts.reads)} days."
        else:
            no_reads = "No stories read yet."
        await self._fill(
            "reads",
            DayBars(counts.reads, id="chart-reads") if reads else None,
            no_reads,
            f"{reads:,} read {days}" if reads else "",
        )

    def _rising(self, counts: Counts) -> tuple[Widget | None, str, str]:
        window = f"over {window_label(self.rises.window)}"
        if not self.rises.ready:
            return None, self.rises.needs, ""
        if not counts.rising:
            return None, f"No topic rose {window}.", window
        return RankBars(counts.rising, id="chart-rising"), "", f"heat gained {window}"

    async def _fill(self, panel: str, chart: Widget | None, note: str, subtitle: str = "") -> None:
        """Put `chart` in the panel, or `note` when there is nothing to draw."""
        box = self.query_one(f"#panel-{panel}", Vertical)
        box.border_subtitle = subtitle
        await box.remove_children()
        await box.mount(chart or Static(Text(note), classes="stats-note"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app reports every failed worker in one place; the panels say so too.
        if event.state != WorkerState.ERROR:
            return
        for note in self.query(".stats-note").results(Static):
            note.update(Text("Could not count: see the notice."))
        report = getattr(self.app, "on_worker_state_changed", None)
        if report is not None:
            report(event)
