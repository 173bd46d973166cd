"""Small synthetic fixtures (pedalboard style) and paths."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from anonymizer.audio import FORMATS, write_atomic
from anonymizer.types import Audio

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def sine(freq_hz: float = 440.0, duration_s: float = 1.0, sample_rate_hz: int = 16000, n_channels: int = 1,
         amplitude: float = 0.5) -> Audio:
    """A sine on every channel (pedalboard's ``generate_sine_at``)."""
    t = np.arange(int(duration_s * sample_rate_hz)) / sample_rate_hz
    wave = (amplitude * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)
    return Audio(np.repeat(wave[:, None], n_channels, axis=1), sample_rate_hz)


def voiced(duration_s: float = 1.0, sample_rate_hz: int = 16000, amplitude: float = 0.3) -> Audio:
    """A speech-like signal that webrtcvad takes for speech throughout: 24 harmonics of a gliding 140 Hz
    voice, its loudness moving at a syllable rate (4 Hz)."""
    t = np.arange(int(duration_s * sample_rate_hz)) / sample_rate_hz
    phase = 2 * np.pi * np.cumsum(140 + 20 * np.sin(2 * np.pi * 1.5 * t)) / sample_rate_hz
    wave = sum(np.sin(k * phase) / k for k in range(1, 25)) * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))
    return Audio((amplitude * wave / np.abs(wave).max()).astype(np.float32)[:, None], sample_rate_hz)


def write_audio(path: Path, audio: Audio, fmt: str = "wav") -> Path:
    write_atomic(audio, path, FORMATS[fmt])
    return path


def median_f0_hz(samples: np.ndarray, sample_rate_hz: int, keep: np.ndarray | None = None) -> float:
    """Median F0 of the voiced 40 ms frames (autocorrelation peak between 60 and 400 Hz, peak > 0.5).

    ``keep``: boolean mask of samples to use (e.g. outside redactions).
    """
    frame = int(0.04 * sample_rate_hz)
    lo, hi = sample_rate_hz // 400, sample_rate_hz // 60
    energies = [float(np.mean(samples[i : i + frame] ** 2)) for i in range(0, len(samples) - frame, frame)]
    threshold = 0.1 * np.percentile(energies, 90)
    f0s = []
    for i in range(0, len(samples) - frame, frame):
        if keep is not None and not keep[i : i + frame].all():
            continue
        x = samples[i : i + frame] - samples[i : i + frame].mean()
        if np.mean(x**2) < threshold:
            continue
        ac = np.correlate(x, x, "full")[frame - 1 :]
        if ac[0] <= 0:
            continue
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] / ac[0] > 0.5:
            f0s.append(sample_rate_hz / lag)
    return float(np.median(f0s))
