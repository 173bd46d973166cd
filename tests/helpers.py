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


def write_audio(path: Path, audio: Audio, fmt: str = "wav") -> Path:
    write_atomic(audio, path, FORMATS[fmt])
    return path
