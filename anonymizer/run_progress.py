"""``run``'s progress on a terminal: the file, its stage, audio time done, × real time and the time left.

Shown only when stderr is a terminal and the file is long enough to wait for (``MIN_DURATION_S``);
elsewhere (a pipe, a log file, CI) nothing is printed. The transcription is what takes the time, so the
bar follows it; the stages after it (detect, align, redact, voice, write) show by name.
"""

from __future__ import annotations

import sys
import time
from typing import Any

MIN_DURATION_S = 60.0  # shorter files finish before a bar would help


class RichRunProgress:
    """A ``timing.Progress`` drawing one rich bar per file on stderr."""

    def __init__(self, min_duration_s: float = MIN_DURATION_S, console: Any = None) -> None:
        from rich.console import Console

        self._console = console or Console(stderr=True)
        self._min_duration_s = min_duration_s
        self._bar: Any = None
        self._task: Any = None
        self._duration_s = 0.0
        self._started = 0.0
        self._name = ""

    def start(self, name: str, duration_s: float) -> None:
        self.finish()
        if duration_s < self._min_duration_s:
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self._name, self._duration_s, self._started = name, duration_s, time.monotonic()
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[audio]}"),
                             TextColumn("{task.fields[speed]}"), TimeRemainingColumn(), console=self._console,
                             transient=True)
        self._bar.start()
        self._task = self._bar.add_task(self._describe("decode"), total=duration_s, audio="", speed="")

    def stage(self, name: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=self._describe(name))

    def transcribed(self, fraction: float) -> None:
        if self._bar is None:
            return
        done_s = fraction * self._duration_s
        elapsed = time.monotonic() - self._started
        speed = f"{done_s / elapsed:.1f}× real time" if elapsed > 0 and done_s > 0 else ""
        self._bar.update(self._task, completed=done_s, audio=f"{_clock(done_s)} / {_clock(self._duration_s)}",
                         speed=speed)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _describe(self, stage: str) -> str:
        return f"{self._name}: {stage}"


def _clock(seconds: float) -> str:
    """``H:MM:SS``.

    >>> _clock(3725.4)
    '1:02:05'
    """
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def for_terminal() -> RichRunProgress | None:
    """A progress display when stderr is a terminal, else None (nothing printed)."""
    return RichRunProgress() if sys.stderr.isatty() else None
