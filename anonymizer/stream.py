"""Audio read in blocks, so that memory does not grow with a recording's length.

A ``FileSource`` scans its file once (length, NaN/Inf count, whether two channels differ, each channel's
noise floor) and decodes it again for every later pass (transcription, rendering): only a block is in
memory at a time, never the recording, and no decoded audio is written anywhere. A ``MemorySource``
serves an ``Audio`` already in memory the same way (tests, the Python API). ``mono_16k_streams`` turns
the blocks into what VAD and Whisper take, channel by channel, with FFmpeg's resampler running on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from anonymizer import audio as audio_io
from anonymizer.audio import ASR_SAMPLE_RATE_HZ
from anonymizer.errors import AudioDecodeError
from anonymizer.types import Audio

NOISE_FRAME_S = 0.02  # the frames of ``redact.noise_floor``
MEMORY_BLOCK_SAMPLES = 1 << 16


@dataclass(frozen=True)
class Scan:
    """What one pass over all samples learned."""

    n_samples: int
    non_finite_samples: int
    difference_rms: float  # of left - right (two channels; else 0)
    total_rms: float  # of left + right
    noise_floor: np.ndarray  # per channel (``redact.noise_floor``)


class AudioSource:
    """A recording read block by block: its facts, and ``blocks()`` as often as a pass needs them."""

    path: Path | None
    sample_rate_hz: int
    n_channels: int
    container: str
    codec: str
    scan: Scan

    @property
    def n_samples(self) -> int:
        return self.scan.n_samples

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sample_rate_hz

    @property
    def non_finite_samples(self) -> int:
        return self.scan.non_finite_samples

    @property
    def noise_floor(self) -> np.ndarray:
        return self.scan.noise_floor

    def blocks(self) -> Iterator[np.ndarray]:
        """All samples from the start, float32 ``(n, n_channels)`` blocks of any length, finite, in [-1, 1]."""
        raise NotImplementedError

    def ranges(self, wanted: Sequence[tuple[int, int]]) -> Iterator[tuple[int, np.ndarray]]:
        """``(k, samples[start:end])`` for each ``wanted[k] = (start, end)``, as soon as the pass has read
        it (in order of their ends), holding only the samples from the earliest unfinished start on.

        >>> source = MemorySource(Audio(np.arange(10, dtype=np.float32)[:, None] / 10, 16000))
        >>> [(k, clip[:, 0].tolist()) for k, clip in source.ranges([(5, 7), (0, 2)])]
        [(1, [0.0, 0.10000000149011612]), (0, [0.5, 0.6000000238418579])]
        """
        pending = sorted(range(len(wanted)), key=lambda k: wanted[k][1])
        held: list[np.ndarray] = []
        held_from = 0  # the sample index of held[0]'s first sample
        read = 0
        blocks = self.blocks()
        while pending:
            block = next(blocks, None)
            if block is not None:
                held.append(block)
                read += len(block)
            while pending and (wanted[pending[0]][1] <= read or block is None):
                k = pending.pop(0)
                start, end = wanted[k]
                joined = np.concatenate(held) if len(held) > 1 else held[0] if held else np.zeros((0, self.n_channels),
                                                                                              np.float32)
                held = [joined]
                yield k, joined[max(0, start - held_from) : max(0, end - held_from)]
            keep_from = min([wanted[k][0] for k in pending] + [read])
            if held and keep_from > held_from:
                joined = np.concatenate(held) if len(held) > 1 else held[0]
                held, held_from = [joined[keep_from - held_from :]], keep_from

    @property
    def one_signal(self) -> bool:
        """Two channels that carry one signal (dual mono: their difference is within
        ``audio.DUAL_MONO_RATIO`` of their sum); it is heard, and voiced, as one."""
        return self.n_channels == 2 and self.transcribed_channels("auto") == [None]

    def transcribed_channels(self, mode: str) -> list[int | None]:
        """``audio.channels_by_mode`` for this recording."""
        return audio_io.channels_for(self.n_channels, mode, self.scan.difference_rms, self.scan.total_rms)


class MemorySource(AudioSource):
    """An ``Audio`` in memory, served in blocks."""

    def __init__(self, audio: Audio) -> None:
        self.audio = audio
        self.path = None
        self.sample_rate_hz, self.n_channels = audio.sample_rate_hz, audio.n_channels
        self.container, self.codec = audio.container, audio.codec
        scanner = _Scanner(audio.sample_rate_hz, audio.n_channels)
        scanner.add(audio.samples)
        self.scan = scanner.result(audio.non_finite_samples)

    def blocks(self) -> Iterator[np.ndarray]:
        for start in range(0, self.audio.n_samples, MEMORY_BLOCK_SAMPLES):
            yield self.audio.samples[start : start + MEMORY_BLOCK_SAMPLES]


class FileSource(AudioSource):
    """A file decoded anew for each pass (PyAV), never held whole."""

    def __init__(self, path: Path) -> None:
        self.path = self._file = Path(path)
        info, raw = audio_io.decode_blocks(self._file)
        self.sample_rate_hz, self.n_channels = info.sample_rate_hz, info.n_channels
        self.container, self.codec = info.container, info.codec
        scanner = _Scanner(info.sample_rate_hz, info.n_channels)
        non_finite = 0
        for block in raw:
            non_finite += int(block.size - np.count_nonzero(np.isfinite(block)))
            audio_io.finite_and_clipped(block)
            scanner.add(block)
        audio_io.check_decoded(self._file, info, scanner.n_samples)
        self.scan = scanner.result(non_finite)

    def blocks(self) -> Iterator[np.ndarray]:
        _, raw = audio_io.decode_blocks(self._file)
        n = 0
        for block in raw:
            audio_io.finite_and_clipped(block)
            n += len(block)
            yield block
        if n != self.n_samples:
            raise AudioDecodeError(f"{self.path}: changed while it was read ({n} samples now, {self.n_samples} before)")


def as_source(audio: Audio | AudioSource) -> AudioSource:
    return audio if isinstance(audio, AudioSource) else MemorySource(audio)


class _Scanner:
    """Length, channel difference and the 20 ms frames' RMS per channel, block by block."""

    def __init__(self, sample_rate_hz: int, n_channels: int) -> None:
        self.n_samples = 0
        self._n_channels = n_channels
        self._frame = max(1, int(NOISE_FRAME_S * sample_rate_hz))
        self._carry = np.zeros((0, n_channels), np.float32)
        self._rms: list[np.ndarray] = []
        self._difference = self._total = 0.0

    def add(self, block: np.ndarray) -> None:
        self.n_samples += len(block)
        if self._n_channels == 2:
            left, right = block[:, 0], block[:, 1]
            self._difference += float(np.sum(np.square(left - right, dtype=np.float64)))
            self._total += float(np.sum(np.square(left + right, dtype=np.float64)))
        joined = np.concatenate([self._carry, block]) if len(self._carry) else block
        n = len(joined) // self._frame
        if n:
            frames = joined[: n * self._frame].reshape(n, self._frame, -1)
            self._rms.append(np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1)))
        self._carry = np.array(joined[n * self._frame :], copy=True)

    def result(self, non_finite: int) -> Scan:
        from anonymizer.redact import floor_from_frame_rms

        rms = np.concatenate(self._rms) if self._rms else np.zeros((0, self._n_channels))
        n = max(1, self.n_samples)
        return Scan(self.n_samples, non_finite, float(np.sqrt(self._difference / n)), float(np.sqrt(self._total / n)),
                    floor_from_frame_rms(rms, self._n_channels))


class Mono16k:
    """One channel (or the mix, ``None``) of a source as 16 kHz mono, fed block by block.

    FFmpeg's resampler runs on across blocks, so the samples are those of ``audio.to_mono_16k`` on the
    whole recording; ``finish`` flushes it and makes the total exactly the recording's length at 16 kHz.
    """

    def __init__(self, channel: int | None, sample_rate_hz: int, n_samples: int) -> None:
        import av

        self.channel = channel
        self._rate = sample_rate_hz
        self._resampler = (None if sample_rate_hz == ASR_SAMPLE_RATE_HZ
                           else av.AudioResampler(format="flt", layout="mono", rate=ASR_SAMPLE_RATE_HZ))
        self._pts = 0
        self.emitted = 0
        self.expected = int(round(n_samples * ASR_SAMPLE_RATE_HZ / sample_rate_hz))

    def feed(self, block: np.ndarray) -> np.ndarray:
        picked = block if self.channel is None else block[:, self.channel : self.channel + 1]
        mono = np.ascontiguousarray(picked.mean(axis=1), dtype=np.float32)
        if self._resampler is None:
            return self._take(mono)
        import av

        frame = av.AudioFrame.from_ndarray(mono[None, :], format="flt", layout="mono")
        frame.sample_rate = self._rate
        frame.pts = self._pts
        self._pts += len(mono)
        return self._take(self._join(self._resampler.resample(frame)))

    def finish(self) -> np.ndarray:
        tail = self._join(self._resampler.resample(None)) if self._resampler is not None else np.zeros(0, np.float32)
        tail = self._take(tail)
        short = self.expected - self.emitted
        if short > 0:  # the resampler's flush can fall a few samples short; keep the timeline exact
            tail = np.concatenate([tail, np.zeros(short, np.float32)])
            self.emitted += short
        return tail

    @staticmethod
    def _join(frames: Sequence[object]) -> np.ndarray:
        chunks = [f.to_ndarray().ravel() for f in frames]  # type: ignore[attr-defined]
        return np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0, np.float32)

    def _take(self, samples: np.ndarray) -> np.ndarray:
        samples = samples[: max(0, self.expected - self.emitted)]
        self.emitted += len(samples)
        return samples
