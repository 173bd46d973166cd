"""Voice transforms on synthetic signals: length, rate, continuity, determinism, per-speaker parameters."""

import numpy as np
import pytest

from anonymizer.lpc import formant_shift, mcadams
from anonymizer.types import Audio
from anonymizer.voice import TRANSFORMS, Step, apply_values, speaker_parameters, transform

RATE = 16000


def vowel(f0_hz: float = 120.0, formants_hz=(700.0, 1200.0, 2600.0), duration_s: float = 1.0) -> np.ndarray:
    """A glottal pulse train through formant resonators: a crude, deterministic vowel."""
    n = int(duration_s * RATE)
    excitation = np.zeros(n)
    excitation[:: int(RATE / f0_hz)] = 1.0
    signal = excitation
    for f in formants_hz:  # two-pole resonators
        r, theta = 0.97, 2 * np.pi * f / RATE
        y = np.zeros(n)
        for t in range(n):
            y[t] = signal[t] + 2 * r * np.cos(theta) * y[t - 1] - r * r * y[t - 2] if t >= 2 else signal[t]
        signal = y
    return (0.3 * signal / np.abs(signal).max()).astype(np.float32)


VOWEL = vowel()


def spectral_peak_hz(signal: np.ndarray, low_hz: float, high_hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal))))
    freqs = np.fft.rfftfreq(len(signal), 1 / RATE)
    band = (freqs >= low_hz) & (freqs <= high_hz)
    # smooth over harmonics to see the envelope
    smooth = np.convolve(spectrum, np.ones(41) / 41, mode="same")
    return float(freqs[band][np.argmax(smooth[band])])


@pytest.mark.parametrize(("name", "value"), [("pitch", 3.0), ("pitch", -4.0), ("psola", 2.0), ("psola", -2.0),
                                             ("mcadams", 0.8), ("formant", 1.15), ("formant", 1 / 1.15)])
def test_length_rate_and_finite(name, value):
    out = TRANSFORMS[name](VOWEL, RATE, value)
    assert out.shape == VOWEL.shape
    assert np.isfinite(out).all()


@pytest.mark.parametrize(("name", "value"), [("mcadams", 0.75), ("formant", 1.2), ("formant", 0.85)])
def test_no_clicks_at_frame_joins(name, value):
    """Sample-to-sample jumps stay within what the (level-matched) signal itself does."""
    out = apply_values(VOWEL, RATE, [Step(name, value, value)], [value])
    assert np.abs(np.diff(out)).max() <= 3.0 * np.abs(np.diff(VOWEL)).max()
    # and no frame-rate (100 Hz) buzz: the 10 ms hop leaves no spectral line there
    spectrum = np.abs(np.fft.rfft(out))
    hop_bin = int(100 * len(out) / RATE)
    assert spectrum[hop_bin] < 0.2 * spectrum.max()


def test_mcadams_identity_at_alpha_one():
    np.testing.assert_allclose(mcadams(VOWEL, RATE, 1.0), VOWEL, atol=5e-3)


def _f0_hz(x: np.ndarray) -> float:
    """The shortest lag whose autocorrelation peak is within 20 % of the highest (no octave errors)."""
    ac = np.correlate(x, x, "full")[len(x) - 1 :]
    lo, hi = RATE // 400, RATE // 60
    band = ac[lo:hi]
    peaks = [k for k in range(1, len(band) - 1) if band[k] >= band[k - 1] and band[k] >= band[k + 1]]
    lag = next(k for k in peaks if band[k] >= 0.8 * band.max()) + lo
    return RATE / lag


def test_formant_shift_moves_the_envelope_not_the_pitch():
    shifted = formant_shift(VOWEL, RATE, 1.2)
    before, after = spectral_peak_hz(VOWEL, 1000, 1500), spectral_peak_hz(shifted, 1000, 1800)
    assert after == pytest.approx(before * 1.2, rel=0.08)
    # the harmonic spacing (pitch) is unchanged
    assert _f0_hz(shifted) == pytest.approx(_f0_hz(VOWEL), rel=0.03)


@pytest.mark.parametrize("semitones", [2.0, -2.0])
def test_psola_moves_the_pitch_not_the_envelope(semitones):
    shifted = TRANSFORMS["psola"](VOWEL, RATE, semitones)
    middle = slice(RATE // 4, 3 * RATE // 4)  # away from the analysis edges
    assert _f0_hz(shifted[middle]) == pytest.approx(_f0_hz(VOWEL[middle]) * 2 ** (semitones / 12), rel=0.03)
    # the formants stay where they were (pedalboard's pitch shifter moves them with the pitch)
    assert spectral_peak_hz(shifted, 1000, 1800) == pytest.approx(spectral_peak_hz(VOWEL, 1000, 1800), rel=0.08)


def test_psola_keeps_silence_and_too_short_input():
    assert not TRANSFORMS["psola"](np.zeros(RATE, np.float32), RATE, 2.0).any()
    short = VOWEL[:400]  # 25 ms: shorter than one pitch analysis window
    np.testing.assert_array_equal(TRANSFORMS["psola"](short, RATE, 2.0), short)


def test_silence_passes_through():
    silent = np.zeros(RATE, np.float32)
    assert not mcadams(silent, RATE, 0.8).any()


def test_parameters_deterministic_per_seed_and_differ_across_seeds_and_channels():
    chain = [Step("mcadams", 0.7, 0.85), Step("pitch", 2.0, 4.0, either_sign=True)]
    assert speaker_parameters(chain, 1, "file", 0) == speaker_parameters(chain, 1, "file", 0)
    assert speaker_parameters(chain, 1, "file", 0) != speaker_parameters(chain, 2, "file", 0)
    assert speaker_parameters(chain, 1, "file", 0) != speaker_parameters(chain, 1, "file", 1)
    assert speaker_parameters(chain, 1, "file", 0) != speaker_parameters(chain, 1, "other", 0)
    for seed in range(50):
        alpha, semitones = speaker_parameters(chain, seed, "f", 0)
        assert 0.7 <= alpha <= 0.85 and 2.0 <= abs(semitones) <= 4.0


def test_either_direction_draws_reciprocal_ratios():
    step = Step("formant", 1.1, 1.2, either_sign=True)
    values = [step.draw(np.random.default_rng(i)) for i in range(200)]
    assert any(v > 1.09 for v in values) and any(v < 1 / 1.09 for v in values)
    assert all(1.1 <= v <= 1.2 or 1 / 1.2 <= v <= 1 / 1.1 for v in values)


def test_transform_is_deterministic_for_a_seed_and_different_otherwise():
    audio = Audio(np.stack([VOWEL, VOWEL], axis=1), RATE)
    chain = [Step("formant", 1.1, 1.2, either_sign=True), Step("pitch", 2.0, 4.0, either_sign=True)]
    first, again = transform(audio, chain, 42, "k"), transform(audio, chain, 42, "k")
    np.testing.assert_array_equal(first.samples, again.samples)
    other = transform(audio, chain, 43, "k")
    assert not np.allclose(first.samples, other.samples)
    # identical channels, different speakers: different parameters, different outputs
    assert not np.allclose(first.samples[:, 0], first.samples[:, 1])
    assert first.samples.shape == audio.samples.shape and first.sample_rate_hz == RATE


def test_one_signal_is_voiced_once_as_mono_on_every_channel():
    """Dual mono (two channels, one recording): the mix is voiced as a mono recording's one speaker would be."""
    audio = Audio(np.stack([VOWEL, 0.97 * VOWEL], axis=1), RATE)
    chain = [Step("pitch", 2.0, 4.0, either_sign=True)]
    out = transform(audio, chain, 42, "k", one_signal=True)
    np.testing.assert_array_equal(out.samples[:, 0], out.samples[:, 1])
    mono = transform(Audio(audio.samples.mean(axis=1, dtype=np.float32)[:, None], RATE), chain, 42, "k")
    np.testing.assert_array_equal(out.samples[:, 0], mono.samples[:, 0])


def test_channels_voiced_on_threads_are_those_voiced_alone():
    audio = Audio(np.stack([VOWEL, vowel(f0_hz=210.0)], axis=1), RATE)
    chain = [Step("formant", 1.1, 1.2, either_sign=True), Step("pitch", 2.0, 4.0, either_sign=True)]
    out = transform(audio, chain, 42, "k")
    for c in range(2):
        alone = apply_values(audio.samples[:, c], RATE, chain, speaker_parameters(chain, 42, "k", c))
        np.testing.assert_array_equal(out.samples[:, c], alone)


def test_level_is_kept():
    out = apply_values(VOWEL, RATE, [Step("formant", 1.2, 1.2)], [1.2])
    assert np.sqrt(np.mean(out**2)) == pytest.approx(np.sqrt(np.mean(VOWEL**2)), rel=0.02)


def test_empty_chain_is_identity():
    audio = Audio(VOWEL[:, None], RATE)
    assert transform(audio, [], 1, "k") is audio


def test_unknown_transform_is_clear():
    with pytest.raises(ValueError, match="unknown voice transform 'robot'"):
        apply_values(VOWEL, RATE, [Step("robot", 1.0, 1.0)], [1.0])
