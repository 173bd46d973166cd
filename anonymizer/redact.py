"""Make redacted time ranges unintelligible: ``bleep`` or ``silence`` (a registry by name).

Every channel is redacted at a redacted time. Inside a range no original sample survives; the
original fades out over ``fade_ms`` *before* the range and back in *after* it, and the tone fades
in and out inside it, so there are no clicks at either edge.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from anonymizer.audio import seconds_to_sample
from anonymizer.types import Audio, TimeSpan

MIN_TONE_DBFS = -30.0
MAX_TONE_DBFS = -6.0


def _ramp(n: int) -> np.ndarray:
    """Raised-cosine ramp 0 -> 1 of ``n`` samples."""
    if n <= 0:
        return np.ones(0, np.float32)
    return (0.5 - 0.5 * np.cos(np.pi * (np.arange(n) + 0.5) / n)).astype(np.float32)


def tone_amplitude(segment: np.ndarray) -> np.ndarray:
    """Per-channel sine amplitude whose RMS matches the segment's RMS, within [-30, -6] dBFS.

    >>> seg = np.full((100, 1), 0.1, np.float32)
    >>> round(float(tone_amplitude(seg)[0]), 4)  # RMS 0.1 -> amplitude 0.1 * sqrt(2)
    0.1414
    """
    rms = np.sqrt(np.mean(np.square(segment, dtype=np.float64), axis=0)) if len(segment) else np.zeros(1)
    low, high = 10 ** (MIN_TONE_DBFS / 20), 10 ** (MAX_TONE_DBFS / 20)
    return (np.clip(rms, low, high) * np.sqrt(2)).astype(np.float32)


def _apply(
    audio: Audio, spans: list[TimeSpan], fade_ms: float, fill: Callable[[np.ndarray, int], np.ndarray],
    reference: Audio | None = None,
) -> Audio:
    samples = audio.samples.copy()
    gain = np.ones(audio.n_samples, np.float32)
    fade = seconds_to_sample(fade_ms / 1000, audio.sample_rate_hz)
    ranges = []
    for span in spans:
        start = max(0, seconds_to_sample(span.start_s, audio.sample_rate_hz))
        end = min(audio.n_samples, seconds_to_sample(span.end_s, audio.sample_rate_hz))
        if end <= start:
            continue
        ranges.append((start, end))
        gain[start:end] = 0.0
        before = max(0, start - fade)  # original fades out before the range …
        gain[before:start] = np.minimum(gain[before:start], _ramp(start - before)[::-1])
        after = min(audio.n_samples, end + fade)  # … and back in after it
        gain[end:after] = np.minimum(gain[end:after], _ramp(after - end))
    out = samples * gain[:, None]
    level_source = (reference or audio).samples
    for start, end in ranges:
        out[start:end] = fill(level_source[start:end], start)
        if fade:
            n = min(fade, (end - start) // 2)
            out[start : start + n] *= _ramp(n)[:, None]
            out[end - n : end] *= _ramp(n)[::-1, None]
    return audio.with_samples(out.astype(np.float32))


def silence(
    audio: Audio, spans: list[TimeSpan], fade_ms: float = 5.0, tone_hz: float = 1000.0,
    reference: Audio | None = None,
) -> Audio:
    """Zero the spans (with fades outside them)."""
    return _apply(audio, spans, fade_ms, lambda seg, _start: np.zeros_like(seg))


def bleep(
    audio: Audio, spans: list[TimeSpan], fade_ms: float = 5.0, tone_hz: float = 1000.0,
    reference: Audio | None = None,
) -> Audio:
    """Replace the spans with a sine tone as loud as the speech it replaces.

    ``reference``: where to measure that speech, when ``audio`` was already muted (same length).
    """

    def tone(segment: np.ndarray, start: int) -> np.ndarray:
        t = (start + np.arange(len(segment))) / audio.sample_rate_hz
        wave = np.sin(2 * np.pi * tone_hz * t).astype(np.float32)
        return wave[:, None] * tone_amplitude(segment)[None, :]

    return _apply(audio, spans, fade_ms, tone, reference)


REDACTORS: dict[str, Callable[..., Audio]] = {"bleep": bleep, "silence": silence}


def redact(
    audio: Audio, spans: list[TimeSpan], method: str, fade_ms: float, tone_hz: float,
    reference: Audio | None = None,
) -> Audio:
    """Apply the redactor named ``method``; ``reference`` is the unmuted audio for level matching."""
    try:
        redactor = REDACTORS[method]
    except KeyError:
        raise ValueError(f"unknown redaction method {method!r}; choose one of {', '.join(REDACTORS)}") from None
    return redactor(audio, spans, fade_ms=fade_ms, tone_hz=tone_hz, reference=reference)
