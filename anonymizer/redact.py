"""Make redacted time ranges unintelligible: ``bleep`` or ``silence`` (a registry by name), and which
spans are redacted on which channel (``spans_to_render``).

Every channel is redacted at a redacted time. Inside a range no original sample survives; the
original fades out over ``fade_ms`` *before* the range and back in *after* it, and the tone fades
in and out inside it, so there are no clicks at either edge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from anonymizer.audio import seconds_to_sample
from anonymizer.spans import intersect, merge
from anonymizer.types import Audio, Redaction, TimeSpan

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
    reference: Audio | None = None, offset: int = 0,
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
        out[start:end] = fill(level_source[start:end], start + offset)
        if fade:
            n = min(fade, (end - start) // 2)
            out[start : start + n] *= _ramp(n)[:, None]
            out[end - n : end] *= _ramp(n)[::-1, None]
    return audio.with_samples(out.astype(np.float32))


def silence(
    audio: Audio, spans: list[TimeSpan], fade_ms: float = 5.0, tone_hz: float = 1000.0,
    reference: Audio | None = None, offset: int = 0, floor: np.ndarray | None = None,
) -> Audio:
    """Zero the spans (with fades outside them)."""
    return _apply(audio, spans, fade_ms, lambda seg, _start: np.zeros_like(seg))


def bleep(
    audio: Audio, spans: list[TimeSpan], fade_ms: float = 5.0, tone_hz: float = 1000.0,
    reference: Audio | None = None, offset: int = 0, floor: np.ndarray | None = None,
) -> Audio:
    """Replace the spans with a sine tone as loud as the speech it replaces.

    ``reference``: where to measure that speech, when ``audio`` was already muted (same length).
    ``offset``: where ``audio`` begins in the recording, in samples (a block: the tone's phase is the
    recording's). ``floor``: unused (``noise``'s).
    """

    pitch_hz = min(tone_hz, 0.45 * audio.sample_rate_hz)  # above Nyquist it would alias to another pitch

    def tone(segment: np.ndarray, start: int) -> np.ndarray:
        t = (start + np.arange(len(segment))) / audio.sample_rate_hz
        wave = np.sin(2 * np.pi * pitch_hz * t).astype(np.float32)
        return wave[:, None] * tone_amplitude(segment)[None, :]

    return _apply(audio, spans, fade_ms, tone, reference, offset)


NOISE_FLOOR_PERCENTILE = 10  # the quiet frames of a channel: its background between words
NOISE_FRAME_S = 0.02
MIN_NOISE_DBFS = -70.0


def noise_floor(samples: np.ndarray, sample_rate_hz: int) -> np.ndarray:
    """Per channel, the RMS of the quiet 20 ms frames (the 10th percentile; digital silence not counted),
    at least -70 dBFS.

    >>> rng = np.random.default_rng(0)
    >>> quiet = rng.normal(0, 0.01, (16000, 1)).astype(np.float32)
    >>> loud = rng.normal(0, 0.3, (16000, 1)).astype(np.float32)
    >>> round(float(noise_floor(np.concatenate([quiet, loud]), 16000)[0]), 3)
    0.01
    """
    frame = max(1, int(NOISE_FRAME_S * sample_rate_hz))
    n = len(samples) // frame
    rms = np.sqrt(np.mean(np.square(samples[: n * frame].reshape(n, frame, -1), dtype=np.float64), axis=1))
    return floor_from_frame_rms(rms, samples.shape[1])


def floor_from_frame_rms(rms: np.ndarray, n_channels: int) -> np.ndarray:
    """``noise_floor`` from the 20 ms frames' RMS, ``(n_frames, n_channels)`` (a streamed scan has them)."""
    floor = np.full(n_channels, 10 ** (MIN_NOISE_DBFS / 20), np.float64)
    for c in range(n_channels):
        sounding = rms[:, c][rms[:, c] > 1e-6]
        if len(sounding):
            floor[c] = max(floor[c], float(np.percentile(sounding, NOISE_FLOOR_PERCENTILE)))
    return floor.astype(np.float32)


def noise(
    audio: Audio, spans: list[TimeSpan], fade_ms: float = 5.0, tone_hz: float = 1000.0,
    reference: Audio | None = None, offset: int = 0, floor: np.ndarray | None = None,
) -> Audio:
    """Replace the spans with comfort noise at the channel's noise floor: the call's background goes on,
    no tone a speech model would learn. Deterministic (seeded by the span's position in the recording).
    ``floor``: per channel, when ``audio`` is a block of a longer recording (the recording's floor)."""
    if floor is None:
        floor = noise_floor((reference or audio).samples, audio.sample_rate_hz)

    def comfort(segment: np.ndarray, start: int) -> np.ndarray:
        rng = np.random.default_rng(start)
        return (rng.standard_normal(segment.shape) * floor[None, :]).astype(np.float32)

    return _apply(audio, spans, fade_ms, comfort, reference, offset)


REDACTORS: dict[str, Callable[..., Audio]] = {"bleep": bleep, "silence": silence, "noise": noise}


def redact(
    audio: Audio, spans: list[TimeSpan], method: str, fade_ms: float, tone_hz: float,
    reference: Audio | None = None, offset: int = 0, floor: np.ndarray | None = None,
) -> Audio:
    """Apply the redactor named ``method``; ``reference`` is the unmuted audio for level matching."""
    try:
        redactor = REDACTORS[method]
    except KeyError:
        raise ValueError(f"unknown redaction method {method!r}; choose one of {', '.join(REDACTORS)}") from None
    return redactor(audio, spans, fade_ms=fade_ms, tone_hz=tone_hz, reference=reference, offset=offset, floor=floor)


def spans_to_render(redactions: Sequence[Redaction], n_channels: int, speech: Mapping[int, Sequence[TimeSpan]],
                    all_channels: bool, merge_gap_s: float) -> dict[int | None, list[TimeSpan]]:
    """The spans to redact per channel (key None: on every channel), merged across gaps under ``merge_gap_s``.

    A finding on one channel of a call is redacted there in full. With ``all_channels``, it is redacted
    on the other channels too (echo and crosstalk carry its audio) where its own channel has speech (VAD,
    padded): while that side is silent there is nothing of it to echo, and the other side's words stay —
    a finding's words can span the pauses in which the other side talked (Whisper only hears the speech
    regions, so every word's audio lies inside them). Findings of no single channel (the mix, or a
    dialogue finding with words on both sides) are redacted on every channel in full.

    >>> r = [Redaction(1.0, 2.0, "PERSON", 0.8, "r", channel=1)]
    >>> spans_to_render(r, 2, {0: [], 1: [TimeSpan(1.5, 3.0)]}, all_channels=True, merge_gap_s=0.2)
    {0: [TimeSpan(start_s=1.5, end_s=2.0)], 1: [TimeSpan(start_s=1.0, end_s=2.0)]}
    >>> spans_to_render(r, 2, {0: [], 1: []}, all_channels=False, merge_gap_s=0.2)
    {1: [TimeSpan(start_s=1.0, end_s=2.0)]}
    """
    if not all_channels:
        by_channel: dict[int | None, list[TimeSpan]] = {}
        for r in redactions:
            by_channel.setdefault(r.channel, []).append(r.span)
        return {c: merge(spans, collar_s=merge_gap_s) for c, spans in by_channel.items()}
    if not speech or all(r.channel is None for r in redactions):
        return {None: merge((r.span for r in redactions), collar_s=merge_gap_s)}
    rendered: dict[int | None, list[TimeSpan]] = {}
    for c in range(n_channels):
        spans: list[TimeSpan] = []
        for r in redactions:
            if r.channel is None or r.channel == c or r.channel not in speech:
                spans.append(r.span)
            else:  # (no speech at all under it: VAD missed it, keep it whole)
                spans += intersect(r.span, speech[r.channel]) or [r.span]
        rendered[c] = merge(spans, collar_s=merge_gap_s)
    return rendered


def redact_channels(audio: Audio, spans: Mapping[int | None, Sequence[TimeSpan]], method: str, fade_ms: float,
                    tone_hz: float, reference: Audio | None = None, offset: int = 0,
                    floor: np.ndarray | None = None) -> Audio:
    """Redact ``spans[None]`` on every channel and ``spans[c]`` on channel ``c`` only. ``offset`` and
    ``floor``: for a block of a longer recording (see ``bleep`` and ``noise``)."""
    out = redact(audio, list(spans.get(None, [])), method, fade_ms, tone_hz, reference=reference, offset=offset,
                 floor=floor)
    own = {c: list(s) for c, s in spans.items() if c is not None and s}
    if not own:
        return out
    samples = out.samples.copy()
    for channel, channel_spans in own.items():
        one = out.with_samples(samples[:, channel : channel + 1])
        ref = reference.channel(channel) if reference is not None else None
        one_floor = floor[channel : channel + 1] if floor is not None else None
        samples[:, channel : channel + 1] = redact(one, channel_spans, method, fade_ms, tone_hz, reference=ref,
                                                   offset=offset, floor=one_floor).samples
    return out.with_samples(samples)
