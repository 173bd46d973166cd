"""Voice transforms (a registry by name): ``pitch`` (pedalboard PitchShift) and ``none``.

Each transform is ``transform(audio, ...) -> audio`` and preserves duration and sample rate.
Runs after redaction, so no personal data is left in the signal it smears.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from anonymizer.types import Audio


def pitch(audio: Audio, pitch_semitones: float = -3.0) -> Audio:
    """Shift pitch by ``pitch_semitones`` without changing duration (pedalboard / Rubber Band)."""
    if pitch_semitones == 0:
        return audio
    from pedalboard import PitchShift

    planar = np.ascontiguousarray(audio.samples.T, dtype=np.float32)
    shifted = PitchShift(semitones=pitch_semitones)(planar, audio.sample_rate_hz)
    out = np.zeros_like(planar)
    n = min(out.shape[1], shifted.shape[1])
    out[:, :n] = shifted[:, :n]
    return audio.with_samples(np.clip(out.T, -1.0, 1.0))


def none(audio: Audio, pitch_semitones: float = 0.0) -> Audio:
    """Leave the voice as it is."""
    return audio


VOICE_TRANSFORMS: dict[str, Callable[..., Audio]] = {"pitch": pitch, "none": none}


def transform(audio: Audio, method: str, pitch_semitones: float) -> Audio:
    try:
        function = VOICE_TRANSFORMS[method]
    except KeyError:
        raise ValueError(f"unknown voice method {method!r}; choose one of {', '.join(VOICE_TRANSFORMS)}") from None
    return function(audio, pitch_semitones=pitch_semitones)
