"""Progress for a batch: a rich bar on a terminal, plain lines elsewhere, nothing with --quiet."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from anonymizer.console import shown
from anonymizer.types import FileResult


@dataclass
class Counters:
    total: int
    done: int = 0
    failed: int = 0
    audio_s: float = 0.0
    started: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    @property
    def realtime_factor(self) -> float:
        """Audio seconds processed per wall second (= audio hours per hour)."""
        return self.audio_s / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        if not self.finished:
            return None
        return self.elapsed_s / self.finished * (self.total - self.finished)


def _hms(seconds: float | None) -> str:
    if seconds is None:
        return "--:--:--"
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class Reporter(Protocol):
    def start(self, counters: Counters) -> None: ...

    def update(self, relative: str, result: FileResult, counters: Counters) -> None: ...

    def stop(self) -> None: ...


class QuietReporter:
    def start(self, counters: Counters) -> None:
        pass

    def update(self, relative: str, result: FileResult, counters: Counters) -> None:
        pass

    def stop(self) -> None:
        pass


class PlainReporter:
    """One line per finished file (for logs, CI, pipes)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def start(self, counters: Counters) -> None:
        print(f"processing {counters.total} file(s)", file=self.stream, flush=True)

    def update(self, relative: str, result: FileResult, counters: Counters) -> None:
        what = "ok" if result.ok else "FAILED"
        print(f"[{counters.finished}/{counters.total}] {what} {shown(relative)} | "
              f"{counters.audio_s / 3600:.3f} h audio | {counters.realtime_factor:.1f}x realtime | "
              f"ETA {_hms(counters.eta_s)} | failed {counters.failed}", file=self.stream, flush=True)

    def stop(self) -> None:
        pass


class RichReporter:
    """A live bar: files done/total, audio hours, throughput, ETA, failures so far."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("[bold]anonymizing"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
            TextColumn("{task.fields[audio]}"), TextColumn("{task.fields[speed]}"), TimeRemainingColumn(),
            TextColumn("{task.fields[failures]}"), transient=False,
        )
        self._task: Any = None

    def start(self, counters: Counters) -> None:
        self._progress.start()
        self._task = self._progress.add_task("batch", total=counters.total, audio="0.00 h audio",
                                             speed="", failures="")

    def update(self, relative: str, result: FileResult, counters: Counters) -> None:
        from rich.markup import escape

        if not result.ok:
            self._progress.console.print(f"[red]failed[/red] {escape(result.error or '')}", markup=True,
                                         highlight=False)
        failures = f"[red]{counters.failed} failed[/red]" if counters.failed else ""
        self._progress.update(self._task, completed=counters.finished, audio=f"{counters.audio_s / 3600:.2f} h audio",
                              speed=f"{counters.realtime_factor:.1f}x realtime", failures=failures)

    def stop(self) -> None:
        self._progress.stop()


def make_reporter(quiet: bool, stream: TextIO | None = None) -> Reporter:
    if quiet:
        return QuietReporter()
    out = stream or sys.stdout
    if out.isatty():
        return RichReporter()
    return PlainReporter(out)
