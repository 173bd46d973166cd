"""Speech regions with webrtcvad.

Used to skip silence before transcription (only speech is sent to the model) and, later, to snap
redactions to pauses.
"""

from __future__ import annotations

import numpy as np

from anonymizer.audio import ASR_SAMPLE_RATE_HZ as VAD_SAMPLE_RATE_HZ
from anonymizer.spans import merge, pad
from anonymizer.types import TimeSpan


def speech_regions(
    mono_16k: np.ndarray,
    aggressiveness: int = 2,
    frame_ms: int = 30,
    speech_pad_ms: int = 300,
    min_silence_ms: int = 1000,
) -> list[TimeSpan]:
    """Speech regions of 16 kHz mono float audio, padded and merged across short pauses.

    Args:
        mono_16k: float samples in [-1, 1] at 16 kHz.
        aggressiveness: webrtcvad mode, 0 (keeps most) … 3 (drops most).
        frame_ms: 10, 20 or 30 ms frames (webrtcvad's constraint).
        speech_pad_ms: widen each region on both sides; quiet word onsets are easy to miss.
        min_silence_ms: pauses shorter than this do not split a region.
    """
    import webrtcvad

    vad = webrtcvad.Vad(aggressiveness)
    frame_len = VAD_SAMPLE_RATE_HZ * frame_ms // 1000
    pcm = (np.clip(mono_16k, -1.0, 1.0) * 32767).astype("<i2")
    duration_s = len(pcm) / VAD_SAMPLE_RATE_HZ
    raw: list[TimeSpan] = []
    for index in range(len(pcm) // frame_len):
        frame = pcm[index * frame_len : (index + 1) * frame_len]
        if vad.is_speech(frame.tobytes(), VAD_SAMPLE_RATE_HZ):
            start_s = index * frame_ms / 1000
            raw.append(TimeSpan(start_s, start_s + frame_ms / 1000))
    padded = [pad(span, speech_pad_ms / 1000, speech_pad_ms / 1000) for span in merge(raw)]
    merged = merge(padded, collar_s=min_silence_ms / 1000)
    return [TimeSpan(max(0.0, s.start_s), min(duration_s, s.end_s)) for s in merged]


def frame_energy(mono: np.ndarray, frame: int) -> np.ndarray:
    """Mean square of each whole ``frame``-sample frame of ``mono`` (float64; a partial last frame is dropped).

    >>> frame_energy(np.array([1.0, 1.0, 0.0, 0.0, 3.0], np.float32), 2).tolist()
    [1.0, 0.0]
    """
    n_frames = len(mono) // frame
    return np.mean(mono[: n_frames * frame].reshape(n_frames, frame).astype(np.float64) ** 2, axis=1)


def pauses(
    mono_16k: np.ndarray, frame_ms: int = 10, min_pause_ms: int = 40, below_speech_db: float = 35.0
) -> list[TimeSpan]:
    """Quiet stretches between words: frames ``below_speech_db`` under the loud speech level.

    Energy-based rather than webrtcvad (whose 30 ms frames and hangover are too coarse to find the
    gap after a word). The level reference is the 95th percentile of frame energies.
    """
    frame = VAD_SAMPLE_RATE_HZ * frame_ms // 1000
    energy = frame_energy(mono_16k, frame)
    if len(energy) == 0:
        return []
    energy_db = 10 * np.log10(energy + 1e-12)
    threshold_db = max(float(np.percentile(energy_db, 95)) - below_speech_db, -70.0)
    quiet = energy_db < threshold_db
    out: list[TimeSpan] = []
    start = None
    for index, is_quiet in enumerate([*quiet.tolist(), False]):
        if is_quiet and start is None:
            start = index
        elif not is_quiet and start is not None:
            if (index - start) * frame_ms >= min_pause_ms:
                out.append(TimeSpan(start * frame_ms / 1000, index * frame_ms / 1000))
            start = None
    return out
