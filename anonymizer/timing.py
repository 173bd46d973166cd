"""Wall time per pipeline stage (the report's ``timings_s``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

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

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self._seconds[name] = self._seconds.get(name, 0.0) + time.perf_counter() - start

    @property
    def timings(self) -> tuple[StageTiming, ...]:
        return tuple(StageTiming(name, seconds) for name, seconds in self._seconds.items())
