import numpy as np
import pytest

from anonymizer.redact import (
    MAX_TONE_DBFS,
    MIN_TONE_DBFS,
    bleep,
    redact,
    redact_channels,
    silence,
    spans_to_render,
    tone_amplitude,
)
from anonymizer.types import Audio, Redaction, TimeSpan
from tests.helpers import sine

RATE = 8000


def speechlike(n_channels: int = 1) -> Audio:
    return sine(220.0, 2.0, RATE, n_channels, amplitude=0.3)


@pytest.mark.parametrize("method", [bleep, silence])
def test_no_original_sample_survives_inside_the_span(method):
    audio = speechlike()
    out = method(audio, [TimeSpan(0.5, 1.0)], fade_ms=5.0, tone_hz=1000.0)
    start, end = int(0.5 * RATE), int(1.0 * RATE)
    inside = out.samples[start:end, 0]
    original = audio.samples[start:end, 0]
    # whatever is inside (tone or zeros) carries no trace of the original
    similarity = abs(float(np.dot(inside, original))) / (np.linalg.norm(inside) * np.linalg.norm(original) + 1e-9)
    assert similarity < 0.05
    assert out.n_samples == audio.n_samples


@pytest.mark.parametrize("method", [bleep, silence])
def test_samples_outside_span_and_fades_are_untouched(method):
    audio = speechlike()
    out = method(audio, [TimeSpan(0.5, 1.0)], fade_ms=5.0, tone_hz=1000.0)
    fade = int(0.005 * RATE)
    untouched = np.r_[0 : int(0.5 * RATE) - fade, int(1.0 * RATE) + fade : audio.n_samples]
    np.testing.assert_array_equal(out.samples[untouched], audio.samples[untouched])


def test_silence_is_exactly_zero_inside():
    out = silence(speechlike(), [TimeSpan(0.5, 1.0)], fade_ms=5.0)
    assert not out.samples[int(0.5 * RATE) : int(1.0 * RATE)].any()


def test_bleep_level_matches_replaced_speech():
    audio = speechlike()
    out = bleep(audio, [TimeSpan(0.5, 1.5)], fade_ms=5.0, tone_hz=1000.0)
    inner = slice(int(0.6 * RATE), int(1.4 * RATE))  # away from the fades
    rms_in, rms_out = (float(np.sqrt(np.mean(x[inner] ** 2))) for x in (audio.samples, out.samples))
    assert rms_out == pytest.approx(rms_in, rel=0.05)


def test_bleep_is_the_requested_tone():
    out = bleep(speechlike(), [TimeSpan(0.0, 2.0)], fade_ms=5.0, tone_hz=1000.0)
    spectrum = np.abs(np.fft.rfft(out.samples[:, 0]))
    peak_hz = np.argmax(spectrum) * RATE / out.n_samples
    assert peak_hz == pytest.approx(1000.0, abs=2.0)


def test_bleep_over_silence_is_still_audible():
    quiet = Audio(np.zeros((RATE, 1), np.float32), RATE)
    out = bleep(quiet, [TimeSpan(0.2, 0.8)], fade_ms=5.0, tone_hz=1000.0)
    peak = np.abs(out.samples).max()
    assert 10 ** (MIN_TONE_DBFS / 20) <= peak <= 10 ** (MAX_TONE_DBFS / 20) * np.sqrt(2) + 1e-6


@pytest.mark.parametrize("method", ["bleep", "silence"])
def test_no_clicks_at_edges(method):
    """Sample-to-sample jumps stay small at both edges (fades on both sides)."""
    audio = sine(100.0, 1.0, RATE, 1, amplitude=0.5)
    out = redact(audio, [TimeSpan(0.3, 0.6)], method, fade_ms=5.0, tone_hz=1000.0)
    max_step_original = np.abs(np.diff(audio.samples[:, 0])).max()
    tone_step = 2 * np.pi * 1000 / RATE * np.abs(out.samples).max()
    assert np.abs(np.diff(out.samples[:, 0])).max() <= max(max_step_original, tone_step) * 1.05


def test_all_channels_are_redacted():
    audio = speechlike(n_channels=3)
    out = silence(audio, [TimeSpan(0.5, 1.0)])
    assert not out.samples[int(0.5 * RATE) : int(1.0 * RATE), :].any()
    assert out.n_channels == 3


def test_exact_sample_range():
    audio = Audio(np.full((100, 1), 0.5, np.float32), 100)
    out = silence(audio, [TimeSpan(0.2, 0.5)], fade_ms=0.0)
    assert np.flatnonzero(out.samples[:, 0] == 0).tolist() == list(range(20, 50))


def test_tone_amplitude_per_channel():
    segment = np.stack([np.full(50, 0.1), np.full(50, 0.2)], axis=1).astype(np.float32)
    np.testing.assert_allclose(tone_amplitude(segment), [0.1 * np.sqrt(2), 0.2 * np.sqrt(2)], rtol=1e-5)


def test_unknown_method_is_clear():
    with pytest.raises(ValueError, match="unknown redaction method 'beep'; choose one of bleep, silence"):
        redact(speechlike(), [], "beep", 5.0, 1000.0)


def test_bleep_level_from_reference_when_audio_was_muted():
    audio = speechlike()
    muted = silence(audio, [TimeSpan(0.5, 1.5)])
    out = bleep(muted, [TimeSpan(0.5, 1.5)], fade_ms=5.0, tone_hz=1000.0, reference=audio)
    inner = slice(int(0.6 * RATE), int(1.4 * RATE))
    rms_in, rms_out = (float(np.sqrt(np.mean(x[inner] ** 2))) for x in (audio.samples, out.samples))
    assert rms_out == pytest.approx(rms_in, rel=0.05)


def test_redact_channels_own_channel_only():
    left, right = sine(220.0, 1.0, 8000, amplitude=0.3), sine(330.0, 1.0, 8000, amplitude=0.3)
    audio = Audio(np.concatenate([left.samples, right.samples], axis=1), 8000)
    out = redact_channels(audio, {1: [TimeSpan(0.2, 0.6)]}, "silence", 0.0, 1000.0)
    assert not out.samples[1700:4700, 1].any()
    assert np.array_equal(out.samples[:, 0], audio.samples[:, 0])
    everywhere = redact_channels(audio, {None: [TimeSpan(0.2, 0.6)]}, "silence", 0.0, 1000.0)
    assert not everywhere.samples[1700:4700].any()


def test_a_channels_finding_spares_the_other_side_where_its_channel_is_silent():
    """The customer's finding (channel 1) stretches over a pause in which the agent talked: the
    customer's channel is redacted in full, the agent's only where the customer had speech."""
    speech = {0: [TimeSpan(2.0, 4.0)], 1: [TimeSpan(0.0, 2.1), TimeSpan(3.9, 6.0)]}
    customer = Redaction(1.5, 4.5, "ADDRESS", 0.6, "r", channel=1)
    both = Redaction(5.0, 5.5, "EMAIL_ADDRESS", 0.5, "r+dialogue", channel=None)
    rendered = spans_to_render([customer, both], 2, speech, all_channels=True, merge_gap_s=0.0)
    assert rendered[1] == [TimeSpan(1.5, 4.5), TimeSpan(5.0, 5.5)]
    assert rendered[0] == [TimeSpan(1.5, 2.1), TimeSpan(3.9, 4.5), TimeSpan(5.0, 5.5)]
    # mono (no per-channel speech) and --own-channel keep their rules
    assert spans_to_render([customer], 1, {}, all_channels=True, merge_gap_s=0.0) == {None: [TimeSpan(1.5, 4.5)]}
    assert spans_to_render([customer], 2, speech, all_channels=False, merge_gap_s=0.2) == {1: [TimeSpan(1.5, 4.5)]}


def test_noise_fills_at_the_noise_floor_and_keeps_nothing_of_the_speech():
    rng = np.random.default_rng(1)
    background = rng.normal(0, 0.005, (3 * RATE, 1)).astype(np.float32)
    speech = background.copy()
    speech[RATE : 2 * RATE] += sine(220.0, 1.0, RATE, 1, amplitude=0.4).samples
    audio = Audio(speech, RATE)
    out = redact(audio, [TimeSpan(1.0, 2.0)], "noise", fade_ms=5.0, tone_hz=1000.0)
    inside = out.samples[int(1.1 * RATE) : int(1.9 * RATE), 0]
    assert 0.003 < float(np.sqrt(np.mean(inside**2))) < 0.008  # the background's level, not the speech's
    spectrum = np.abs(np.fft.rfft(inside))
    assert spectrum[int(220 * len(inside) / RATE)] < 5 * np.median(spectrum)  # no trace of the 220 Hz tone
    again = redact(audio, [TimeSpan(1.0, 2.0)], "noise", fade_ms=5.0, tone_hz=1000.0)
    np.testing.assert_array_equal(out.samples, again.samples)  # deterministic: the same file, the same bytes
