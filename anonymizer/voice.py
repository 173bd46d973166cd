"""Voice transforms (a registry by name) and chains of them with per-speaker secret parameters.

Each transform is ``transform(samples, sample_rate_hz, value) -> samples`` on one channel and keeps
duration and sample rate: ``pitch`` (pedalboard PitchShift, semitones: pitch and formants move together),
``psola`` (Praat's pitch-synchronous overlap-add via parselmouth, semitones: the pitch moves, the
formants and timing stay), ``mcadams`` (LPC pole angles
φ -> φ^α) and ``formant`` (pole angles φ -> r·φ). A chain's parameters are drawn for each speaker — each
channel of each file — from a secret per-run seed, so one speaker sounds consistent within a file,
and no published constant inverts a run. Reports name the transforms, never their parameters.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from anonymizer.types import Audio

if TYPE_CHECKING:
    from anonymizer.diarize import SpeakerTurn

TURN_FADE_S = 0.05  # voices of a mono call's two speakers cross-fade over this where a turn changes


def _pitch(samples: np.ndarray, sample_rate_hz: int, semitones: float) -> np.ndarray:
    if semitones == 0:
        return samples
    from pedalboard import PitchShift

    return _fitted(PitchShift(semitones=semitones)(samples[None, :].astype(np.float32), sample_rate_hz)[0],
                   len(samples))


def _fitted(shifted: np.ndarray, n_samples: int) -> np.ndarray:
    """``shifted`` cut or zero-padded to ``n_samples`` (float32): a transform keeps its input's length."""
    out = np.zeros(n_samples, np.float32)
    out[: min(n_samples, len(shifted))] = shifted[:n_samples]
    return out


PSOLA_PITCH_FLOOR_HZ, PSOLA_PITCH_CEILING_HZ = 75.0, 600.0  # Praat's pitch range for speech


def _psola(samples: np.ndarray, sample_rate_hz: int, semitones: float) -> np.ndarray:
    """Every pitch point multiplied by ``2 ** (semitones / 12)``, resynthesized by overlap-add; unvoiced
    sounds and silence are copied as they are."""
    if semitones == 0 or not len(samples):
        return samples
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(samples.astype(np.float64), sampling_frequency=sample_rate_hz)
    if sound.duration < 3 / PSOLA_PITCH_FLOOR_HZ:  # too short for one pitch analysis window
        return samples
    manipulation = call(sound, "To Manipulation", 0.01, PSOLA_PITCH_FLOOR_HZ, PSOLA_PITCH_CEILING_HZ)
    tier = call(manipulation, "Extract pitch tier")
    call(tier, "Multiply frequencies", sound.xmin, sound.xmax, 2 ** (semitones / 12))
    call([tier, manipulation], "Replace pitch tier")
    return _fitted(call(manipulation, "Get resynthesis (overlap-add)").values[0], len(samples))


def _mcadams(samples: np.ndarray, sample_rate_hz: int, alpha: float) -> np.ndarray:
    from anonymizer.lpc import mcadams

    return mcadams(samples, sample_rate_hz, alpha)


def _formant(samples: np.ndarray, sample_rate_hz: int, ratio: float) -> np.ndarray:
    from anonymizer.lpc import formant_shift

    return formant_shift(samples, sample_rate_hz, ratio)


TRANSFORMS: dict[str, Callable[[np.ndarray, int, float], np.ndarray]] = {
    "pitch": _pitch,
    "psola": _psola,
    "mcadams": _mcadams,
    "formant": _formant,
}


RATIO_TRANSFORMS = ("mcadams", "formant")  # values act multiplicatively; 1 is the identity


@dataclass(frozen=True)
class Step:
    """One transform of a chain: its value is drawn uniformly from ``[low, high]`` per speaker. With
    ``either_sign`` the direction is drawn too: pitch up or down (v or -v); a ratio v or 1/v."""

    transform: str
    low: float
    high: float
    either_sign: bool = False

    def draw(self, rng: np.random.Generator) -> float:
        value = float(rng.uniform(self.low, self.high)) if self.high > self.low else self.low
        if self.either_sign and rng.random() < 0.5:
            value = 1.0 / value if self.transform in RATIO_TRANSFORMS else -value
        return value


def new_secret_seed() -> int:
    """A fresh 64-bit seed from the OS's CSPRNG (never stored, logged or reported)."""
    return secrets.randbits(64)


def speaker_parameters(chain: Sequence[Step], seed: int, file_key: str, channel: int) -> list[float]:
    """The values for one speaker (a channel of a file), derived from the run's secret seed.

    >>> chain = [Step("pitch", 2.0, 4.0, either_sign=True)]
    >>> speaker_parameters(chain, 7, "abc", 0) == speaker_parameters(chain, 7, "abc", 0)
    True
    >>> speaker_parameters(chain, 7, "abc", 0) != speaker_parameters(chain, 8, "abc", 0)
    True
    """
    digest = hashlib.sha256(f"{seed}:{file_key}:{channel}".encode()).digest()
    rng = np.random.default_rng(np.frombuffer(digest, dtype=np.uint32))
    return [step.draw(rng) for step in chain]


def apply_values(
    samples: np.ndarray, sample_rate_hz: int, chain: Sequence[Step], values: Sequence[float]
) -> np.ndarray:
    """Run one channel through the chain with the given values; the output keeps the input's RMS."""
    out = samples.astype(np.float32)
    for step, value in zip(chain, values, strict=True):
        try:
            function = TRANSFORMS[step.transform]
        except KeyError:
            raise ValueError(f"unknown voice transform {step.transform!r}; choose one of "
                             f"{', '.join(TRANSFORMS)}") from None
        out = np.asarray(function(out, sample_rate_hz, value), dtype=np.float32)
    rms_in, rms_out = float(np.sqrt(np.mean(samples**2))), float(np.sqrt(np.mean(out**2)))
    if rms_out > 1e-9:
        out = out * (rms_in / rms_out)
    return np.clip(out, -1.0, 1.0).astype(np.float32)


def transform(audio: Audio, chain: Sequence[Step], seed: int, file_key: str,
              turns: Sequence[SpeakerTurn] = (), offset_s: float = 0.0, one_signal: bool = False) -> Audio:
    """Apply the chain to every channel, each channel (speaker) with its own drawn parameters. A mono
    recording with speaker ``turns`` (``diarize``; times from ``offset_s`` before ``audio``'s start) gives
    each speaker their own parameters, cross-faded over ``TURN_FADE_S`` where a turn ends. ``one_signal``:
    the channels carry one recording (dual mono): their mix is voiced once, as a mono recording would be,
    and put on every channel."""
    if not chain:
        return audio
    if audio.n_channels == 1 or one_signal:
        mono = audio.samples[:, 0] if audio.n_channels == 1 else audio.samples.mean(axis=1, dtype=np.float32)
        voiced = (_by_turns(mono, audio.sample_rate_hz, chain, seed, file_key, turns, offset_s) if turns
                  else apply_values(mono, audio.sample_rate_hz, chain, speaker_parameters(chain, seed, file_key, 0)))
        return audio.with_samples(np.repeat(voiced[:, None], audio.n_channels, axis=1))
    channels = _each(lambda c: apply_values(audio.samples[:, c], audio.sample_rate_hz, chain,
                                            speaker_parameters(chain, seed, file_key, c)), range(audio.n_channels))
    return audio.with_samples(np.stack(channels, axis=1))


def _by_turns(mono: np.ndarray, rate_hz: int, chain: Sequence[Step], seed: int, file_key: str,
              turns: Sequence[SpeakerTurn], offset_s: float) -> np.ndarray:
    """One mono channel, each speaker's turns with that speaker's parameters (speaker k draws as channel k
    would: one speaker alone sounds exactly as without turns)."""
    weights = turn_weights(turns, rate_hz, len(mono), offset_s)
    voices = _each(lambda speaker: apply_values(mono, rate_hz, chain, speaker_parameters(chain, seed, file_key,
                                                                                          speaker)), weights)
    out = np.zeros(len(mono), np.float32)
    for weight, voice in zip(weights.values(), voices, strict=True):
        out += weight * voice
    return out


def _each(render: Callable[[int], np.ndarray], speakers: Iterable[int]) -> list[np.ndarray]:
    """``render`` for each speaker, in order; on as many threads as there are speakers and cores (pedalboard
    and numpy run without the GIL: a stereo call's two voices take the time of one; Praat's PSOLA holds
    it, so its voices take turns — safely, at ~100x real time each)."""
    speakers = list(speakers)
    threads = min(len(speakers), os.cpu_count() or 1)
    if threads < 2:
        return [render(speaker) for speaker in speakers]
    with ThreadPoolExecutor(threads, "voice") as pool:
        return list(pool.map(render, speakers))


def turn_weights(turns: Sequence[SpeakerTurn], rate_hz: int, n_samples: int,
                 offset_s: float = 0.0) -> dict[int, np.ndarray]:
    """Per speaker heard in ``[offset_s, offset_s + n_samples / rate_hz)``, a gain per sample: 1 in their
    turns, 0 elsewhere, linear over ``TURN_FADE_S`` around each change (the gains add up to 1).

    >>> from anonymizer.diarize import SpeakerTurn
    >>> w = turn_weights([SpeakerTurn(0.0, 1.0, 0), SpeakerTurn(1.0, 2.0, 1)], 100, 200)
    >>> sorted(w), float(w[0][50]), float(w[1][150]), float(w[0][100] + w[1][100])
    ([0, 1], 1.0, 1.0, 1.0)
    """
    half = TURN_FADE_S / 2
    weights: dict[int, np.ndarray] = {}
    for k, turn in enumerate(turns):
        # the samples this turn reaches (with its fades), and its gain over them only
        lo = 0 if k == 0 else max(0, int(np.floor((turn.start_s - half - offset_s) * rate_hz)))
        hi = n_samples if k + 1 == len(turns) else min(n_samples, int(np.ceil((turn.end_s + half - offset_s)
                                                                               * rate_hz)) + 1)
        if hi <= lo:
            continue
        times_s = offset_s + np.arange(lo, hi) / rate_hz
        gain = np.ones(hi - lo)
        if k > 0:
            gain = np.minimum(gain, np.clip((times_s - turn.start_s + half) / TURN_FADE_S, 0, 1))
        if k + 1 < len(turns):
            gain = np.minimum(gain, np.clip((turn.end_s + half - times_s) / TURN_FADE_S, 0, 1))
        weights.setdefault(turn.speaker, np.zeros(n_samples, np.float32))[lo:hi] += gain.astype(np.float32)
    return {speaker: gain for speaker, gain in weights.items() if float(gain.max()) > 0}
