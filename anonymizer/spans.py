"""Time-span algebra: pad, clip, merge. Pure functions over ``TimeSpan``.

Modelled on pyannote.core's ``Timeline.support(collar)``::

    input     |--a--|   |--b--|        |--c--|
    merge(collar_s=gap)  |-----a+b-----|        |--c--|
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

from anonymizer.types import TimeSpan


def pad(span: TimeSpan, before_s: float, after_s: float) -> TimeSpan:
    """Widen ``span`` by ``before_s`` and ``after_s`` (start may go negative; clip afterwards).

    >>> pad(TimeSpan(1.0, 2.0), 0.25, 0.5)
    TimeSpan(start_s=0.75, end_s=2.5)
    """
    return TimeSpan(span.start_s - before_s, span.end_s + after_s)


def clip(span: TimeSpan, duration_s: float) -> TimeSpan | None:
    """Restrict ``span`` to ``[0, duration_s]``; None when nothing is left.

    >>> clip(TimeSpan(-0.2, 0.5), 10.0)
    TimeSpan(start_s=0.0, end_s=0.5)
    >>> clip(TimeSpan(11.0, 12.0), 10.0) is None
    True
    """
    start_s, end_s = max(0.0, span.start_s), min(duration_s, span.end_s)
    if end_s <= start_s:
        return None
    return TimeSpan(start_s, end_s)


def merge(spans: Iterable[TimeSpan], collar_s: float = 0.0) -> list[TimeSpan]:
    """Sort and merge spans that overlap or are separated by at most ``collar_s``.

    >>> merge([TimeSpan(3.0, 4.0), TimeSpan(0.0, 1.0), TimeSpan(0.5, 2.0)])
    [TimeSpan(start_s=0.0, end_s=2.0), TimeSpan(start_s=3.0, end_s=4.0)]
    >>> merge([TimeSpan(0.0, 1.0), TimeSpan(1.1, 2.0)], collar_s=0.2)
    [TimeSpan(start_s=0.0, end_s=2.0)]
    """
    out: list[TimeSpan] = []
    for span in sorted(spans):
        if out and span.start_s <= out[-1].end_s + collar_s:
            out[-1] = out[-1] | span
        else:
            out.append(span)
    return out


def intersect(span: TimeSpan, regions: Iterable[TimeSpan]) -> list[TimeSpan]:
    """The parts of ``span`` that lie inside ``regions``.

    >>> intersect(TimeSpan(1.0, 5.0), [TimeSpan(0.0, 2.0), TimeSpan(3.0, 4.0), TimeSpan(6.0, 7.0)])
    [TimeSpan(start_s=1.0, end_s=2.0), TimeSpan(start_s=3.0, end_s=4.0)]
    """
    return [span & region for region in regions if span.overlaps(region)]


def ensure_min_duration(span: TimeSpan, min_s: float) -> TimeSpan:
    """Grow a span symmetrically to at least ``min_s`` (a very short bleep is hard to hear as one).

    >>> ensure_min_duration(TimeSpan(1.0, 1.1), 0.3)
    TimeSpan(start_s=0.9, end_s=1.2)
    """
    missing_s = min_s - span.duration_s
    if missing_s <= 0:
        return span
    return TimeSpan(span.start_s - missing_s / 2, span.end_s + missing_s / 2)


def total_duration_s(spans: Iterable[TimeSpan]) -> float:
    """Seconds covered by the union of ``spans``.

    >>> total_duration_s([TimeSpan(0.0, 1.0), TimeSpan(0.5, 2.0)])
    2.0
    """
    return sum(span.duration_s for span in merge(spans))


def snap_to_pauses(span: TimeSpan, pauses: list[TimeSpan], max_shift_s: float,
                   extend_without_pause: bool = True) -> TimeSpan:
    """Move each edge of ``span`` outward to the nearest pause, at most ``max_shift_s``.

    An edge already inside a pause stays. With no pause in reach, the edge moves the whole
    ``max_shift_s`` when ``extend_without_pause`` (the max-privacy choice), else it stays where the
    padding put it (the default: measured, the full shift ate the neighbouring words and closed no leak).

    ::

        speech  ====  ======NAME====  =====
        pauses      --              --
        span              |-----|
        snapped         |-----------|

    >>> pauses = [TimeSpan(0.9, 1.0), TimeSpan(2.5, 2.6)]
    >>> snap_to_pauses(TimeSpan(1.2, 2.2), pauses, 0.5)
    TimeSpan(start_s=1.0, end_s=2.5)
    >>> snap_to_pauses(TimeSpan(1.2, 2.2), [], 0.2)
    TimeSpan(start_s=1.0, end_s=2.4000000000000004)
    >>> snap_to_pauses(TimeSpan(0.95, 2.55), pauses, 0.5)  # edges in pauses stay
    TimeSpan(start_s=0.95, end_s=2.55)
    >>> snap_to_pauses(TimeSpan(1.2, 2.2), [], 0.2, extend_without_pause=False)
    TimeSpan(start_s=1.2, end_s=2.2)
    """
    start_s, end_s = span.start_s, span.end_s
    if not any(p.start_s <= start_s <= p.end_s for p in pauses):
        earlier = [p.end_s for p in pauses if start_s - max_shift_s <= p.end_s <= start_s]
        start_s = max(earlier) if earlier else start_s - (max_shift_s if extend_without_pause else 0.0)
    if not any(p.start_s <= end_s <= p.end_s for p in pauses):
        later = [p.start_s for p in pauses if end_s <= p.start_s <= end_s + max_shift_s]
        end_s = min(later) if later else end_s + (max_shift_s if extend_without_pause else 0.0)
    return TimeSpan(start_s, end_s)


class Timed(Protocol):
    @property
    def start_s(self) -> float: ...

    @property
    def end_s(self) -> float: ...


T = TypeVar("T", bound=Timed)


class Intervals(Generic[T]):
    """Items with a start and an end (spans, redactions, pauses; any overlaps), found by time in O(log n +
    the answer): a linear scan per word or finding made an hour-long call's alignment take seconds.

    >>> found = Intervals([TimeSpan(7.0, 8.0), TimeSpan(5.0, 6.0), TimeSpan(0.0, 10.0)])
    >>> found.overlapping(6.5, 7.5)
    [TimeSpan(start_s=7.0, end_s=8.0), TimeSpan(start_s=0.0, end_s=10.0)]
    >>> found.overlapping(11.0, 12.0), len(found.at(5.5))
    ([], 2)
    """

    def __init__(self, items: Iterable[T]) -> None:
        self.items = list(items)
        self.order = sorted(range(len(self.items)), key=lambda k: self.items[k].start_s)
        self.starts = [self.items[k].start_s for k in self.order]
        self.reach_ends: list[float] = []  # the latest end among the items up to each one, by start
        for k in self.order:
            end_s = self.items[k].end_s
            self.reach_ends.append(max(end_s, self.reach_ends[-1]) if self.reach_ends else end_s)

    def overlapping(self, low_s: float, high_s: float) -> list[T]:
        """The items with ``end_s >= low_s`` and ``start_s <= high_s``, in the order they were given."""
        first = bisect_left(self.reach_ends, low_s)
        last = bisect_right(self.starts, high_s)
        return [self.items[k] for k in sorted(self.order[first:last]) if self.items[k].end_s >= low_s]

    def at(self, time_s: float) -> list[T]:
        """The items strictly around ``time_s`` (``start_s < time_s < end_s``), in the order they were given."""
        return [item for item in self.overlapping(time_s, time_s) if item.start_s < time_s < item.end_s]
