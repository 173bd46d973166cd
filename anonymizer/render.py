"""From the source audio and the spans to redact to the anonymized audio. Pure (no models).

Personal data is muted *before* the voice transform (it never enters it: no time-stretching window can
smear a name into its neighbours), and the bleep is rendered *after* it, on the exact spans, at the
level of the original speech — so the tone is exactly ``tone_hz``.

A recording is rendered in blocks of about a minute, so that memory does not grow with its length.
Block borders lie outside every redaction (and its fades), so each bleep is rendered whole, at its
place in the recording's tone phase; without a voice transform the blocks give exactly the whole-file
samples. The voice transforms see each block with a second of the neighbours on both sides, and
adjacent blocks are cross-faded over ``CROSSFADE_S``. Two runs of the pitch shifter from different
starts agree in content but not in phase (a steady tone cross-faded against itself out of phase would
dip), so each block's voice is first moved by at most ``MAX_SHIFT_S`` to where it meets the block
before in phase — its words stay within 12.5 ms of their time, and the bleeps, rendered after the
voice, exactly on theirs. A recording of up to 1.5 blocks is one block: exactly the whole-file rendering.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from anonymizer.audio import seconds_to_sample
from anonymizer.redact import redact_channels
from anonymizer.spans import merge
from anonymizer.stream import AudioSource, as_source
from anonymizer.timing import Stage, untimed
from anonymizer.types import Audio, TimeSpan
from anonymizer.voice import Step, transform

if TYPE_CHECKING:
    from anonymizer.diarize import SpeakerTurn
    from anonymizer.synthetic import Resynthesis

RENDER_BLOCK_S = 60.0
VOICE_MARGIN_S = 1.0  # each side of a block: the voice transforms' start-up lies outside what is kept
CROSSFADE_S = 0.25
MAX_BLOCK_S = 600.0  # a border falls inside a redaction only when none can be found within this
PHASE_GRID = 4096  # samples
MAX_SHIFT_S = 0.0125  # a block's voice moves at most this far to meet the one before in phase (80 Hz period)


def render(source: Audio, to_render: Mapping[int | None, Sequence[TimeSpan]], method: str, fade_ms: float,
           tone_hz: float, chain: Sequence[Step], seed: int, file_key: str, stage: Stage = untimed,
           turns: Sequence[SpeakerTurn] = ()) -> Audio:
    """Mute ``to_render`` (per channel; None: every channel), transform the voices (each channel — or each
    speaker of a mono recording's ``turns`` — with its own parameters drawn from ``seed`` and
    ``file_key``), then fill the spans with ``method``."""
    blocks = list(render_blocks(as_source(source), to_render, method, fade_ms, tone_hz, chain, seed, file_key,
                                stage, turns=turns))
    samples = np.concatenate(blocks) if blocks else np.zeros((0, source.n_channels), np.float32)
    return source.with_samples(samples)


def render_blocks(source: AudioSource, to_render: Mapping[int | None, Sequence[TimeSpan]], method: str,
                  fade_ms: float, tone_hz: float, chain: Sequence[Step], seed: int, file_key: str,
                  stage: Stage = untimed, block_s: float = RENDER_BLOCK_S,
                  resynthesis: Resynthesis | None = None, turns: Sequence[SpeakerTurn] = ()) -> Iterator[np.ndarray]:
    """``render`` block by block: the anonymized samples in order, float32 ``(n, n_channels)``. With
    ``resynthesis`` the voices are the synthetic ones (the chain is not used)."""
    rate, total = source.sample_rate_hz, source.n_samples
    guard = seconds_to_sample(fade_ms / 1000 + CROSSFADE_S, rate) + 1
    cuts = block_cuts(total, [span for spans in to_render.values() for span in spans], rate, block_s, guard)
    last = len(cuts) - 2
    voiced = (bool(chain) or resynthesis is not None) and last > 0
    margin = seconds_to_sample(VOICE_MARGIN_S, rate) if voiced else 0
    half = seconds_to_sample(CROSSFADE_S / 2, rate) if voiced else 0
    longest_shift = seconds_to_sample(MAX_SHIFT_S, rate) if voiced else 0
    reader = _Reader(source.blocks())
    pending: np.ndarray | None = None  # the previous block's voice over this border's cross-fade
    for k in range(last + 1):
        a, b = cuts[k], cuts[k + 1]
        # the pitch shifter frames its input from where it starts: one grid for all blocks
        lo, hi = max(0, (a - margin) // PHASE_GRID * PHASE_GRID), min(total, b + margin)
        original = reader.read(lo, hi)
        block = Audio(original, rate, source.container, source.codec)
        spans = _shifted(to_render, lo / rate, (lo - guard) / rate, (hi + guard) / rate)
        with stage("redact"):
            muted = redact_channels(block, spans, "silence", fade_ms, tone_hz)
        with stage("voice"):
            voice = (resynthesis.block(original, lo) if resynthesis is not None
                     else transform(muted, chain, seed, file_key, turns, lo / rate, source.one_signal).samples)
        shift = 0
        start, end = (a - half if pending is not None else a), (b - half if k < last else b)
        if pending is not None:  # (the block's samples must reach: at the recording's end it cannot move back)
            reach = (b + half if k < last else b) - hi
            shift = _best_shift(pending, voice, a - half - lo, max(-longest_shift, reach), longest_shift)

        def placed(from_: int, to: int, shift: int = shift, lo: int = lo, voice: np.ndarray = voice) -> np.ndarray:
            return voice[from_ - lo - shift : to - lo - shift]

        piece = placed(start, end).copy()
        if pending is not None:
            ramp = _fade_in(len(pending))[:, None]
            piece[: len(pending)] = pending * (1 - ramp) + piece[: len(pending)] * ramp
        pending = placed(b - half, b + half) if k < last and half else None
        chunk = Audio(piece, rate, source.container, source.codec)
        reference = Audio(original[start - lo : end - lo], rate, source.container, source.codec)
        with stage("redact"):
            out = redact_channels(chunk, _shifted(to_render, start / rate, start / rate, end / rate), method, fade_ms,
                                  tone_hz, reference=reference, offset=start, floor=source.noise_floor)
        yield np.ascontiguousarray(out.samples, dtype=np.float32)


def _best_shift(pending: np.ndarray, voice: np.ndarray, at: int, lowest: int, longest: int) -> int:
    """How many samples to move ``voice`` so that it continues ``pending`` (which it overlaps from ``at``)
    in phase: the shift in ``[lowest, longest]`` where the two correlate best (the smaller one when
    alike). Two runs of a pitch shifter from different starts agree in content, not in phase; cross-
    fading them unaligned can cancel a steady tone."""
    if not longest or float(np.sum(np.square(pending, dtype=np.float64))) < 1e-9:
        return 0
    n = len(pending)
    best, best_score = 0, -np.inf
    reference = pending.astype(np.float64).ravel()
    for shift in range(lowest, longest + 1):
        segment = voice[at - shift : at - shift + n]
        if len(segment) < n or at - shift < 0:
            continue
        flat = segment.astype(np.float64).ravel()
        norm = float(np.sqrt(np.dot(flat, flat) * np.dot(reference, reference))) or 1.0
        score = float(np.dot(flat, reference)) / norm - 1e-4 * abs(shift) / longest
        if score > best_score:
            best, best_score = shift, score
    return best


def block_cuts(n_samples: int, spans: Sequence[TimeSpan], rate_hz: int, block_s: float, guard: int) -> list[int]:
    """Sample indices where blocks begin, and ``n_samples`` last: about ``block_s`` apart, each at least
    ``guard`` samples from every span (a border inside a redaction only if none is found within
    ``MAX_BLOCK_S``); a last block shorter than half a block joins the one before.

    >>> block_cuts(100, [], 1, 30.0, 2)
    [0, 30, 60, 100]
    >>> block_cuts(100, [TimeSpan(28.0, 33.0)], 1, 30.0, 2)
    [0, 25, 55, 100]
    """
    block = max(1, seconds_to_sample(block_s, rate_hz))
    longest = max(block, seconds_to_sample(MAX_BLOCK_S, rate_hz))
    forbidden = merge(TimeSpan(seconds_to_sample(s.start_s, rate_hz) - guard,
                               seconds_to_sample(s.end_s, rate_hz) + guard) for s in spans)
    starts = [int(f.start_s) for f in forbidden]
    cuts = [0]
    while n_samples - cuts[-1] > block + block // 2:
        target = cuts[-1] + block
        index = bisect.bisect_right(starts, target) - 1
        if index >= 0 and forbidden[index].start_s <= target < forbidden[index].end_s:
            before, after = int(forbidden[index].start_s) - 1, int(forbidden[index].end_s) + 1
            if before - cuts[-1] >= block // 2:
                target = before
            elif after - cuts[-1] <= longest and n_samples - after >= block // 2:
                target = after
        if n_samples - target < block // 2:
            break
        cuts.append(target)
    cuts.append(n_samples)
    return cuts


def _shifted(to_render: Mapping[int | None, Sequence[TimeSpan]], offset_s: float, from_s: float,
             to_s: float) -> dict[int | None, list[TimeSpan]]:
    """The spans that reach into ``[from_s, to_s]``, in the block's time (``offset_s`` is its start)."""
    if offset_s == 0 and from_s <= 0:
        return {c: [s for s in spans if s.start_s <= to_s] for c, spans in to_render.items()}
    return {c: [TimeSpan(s.start_s - offset_s, s.end_s - offset_s) for s in spans
                if s.end_s >= from_s and s.start_s <= to_s] for c, spans in to_render.items()}


def _fade_in(n: int) -> np.ndarray:
    """A linear ramp 0 -> 1 over ``n`` samples (the two sides are the same signal: their gains add to 1)."""
    return ((np.arange(n) + 0.5) / n).astype(np.float32)


class _Reader:
    """Samples ``[lo, hi)`` of a stream of blocks, for ``lo`` that never goes back."""

    def __init__(self, blocks: Iterator[np.ndarray]) -> None:
        self._blocks = blocks
        self._held: list[np.ndarray] = []
        self._start = 0  # of the held samples
        self._end = 0

    def read(self, lo: int, hi: int) -> np.ndarray:
        while self._end < hi:
            block = next(self._blocks, None)
            if block is None:
                break
            self._held.append(block)
            self._end += len(block)
        joined = np.concatenate(self._held) if len(self._held) != 1 else self._held[0]
        joined = joined[lo - self._start :]
        self._held, self._start = [joined], lo
        return np.array(joined[: hi - lo], dtype=np.float32, copy=True)
