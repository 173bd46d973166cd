"""Wall time per pipeline stage (the report's ``timings_s``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Protocol

from anonymizer.types import StageTiming

Stage = Callable[[str], AbstractContextManager[None]]  # ``with stage("detect"): …``


def untimed(name: str) -> AbstractContextManager[None]:
    """A ``Stage`` that measures nothing."""
    return nullcontext()


class StageTimer:
    """Adds up the wall time of each named stage; a stage entered twice adds up.

    >>> timer = StageTimer()
    >>> with timer.stage("vad"):
    ...     pass
    >>> [t.stage for t in timer.timings]
    ['vad']
    """

    def __init__(self, listener: Callable[[str], None] | None = None) -> None:
        self._seconds: dict[str, float] = {}
        self._listener = listener

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self._listener is not None:
            self._listener(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self._seconds[name] = self._seconds.get(name, 0.0) + time.perf_counter() - start

    def seconds(self, name: str) -> float:
        """The time stage ``name`` took so far."""
        return self._seconds.get(name, 0.0)

    def add(self, name: str, seconds: float) -> None:
        """Add ``seconds`` to stage ``name`` (a stage measured by difference)."""
        self._seconds[name] = self._seconds.get(name, 0.0) + seconds

    @property
    def timings(self) -> tuple[StageTiming, ...]:
        return tuple(StageTiming(name, seconds) for name, seconds in self._seconds.items())


class Progress(Protocol):
    """What a long run shows while it works (``run`` on a terminal: a rich bar; see ``run_progress``)."""

    def start(self, name: str, duration_s: float) -> None:
        """A file of ``duration_s`` seconds begins (after decoding)."""

    def stage(self, name: str) -> None:
        """A stage begins (vad, transcribe, detect, align, redact, voice, write, …)."""

    def transcribed(self, fraction: float) -> None:
        """Share (0-1) of the file's speech transcribed so far."""

    def finish(self) -> None:
        """The file is done (or failed)."""
