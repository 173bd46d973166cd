"""The synthetic voice: only kept words are spoken, each in its slot at its loudness, the same in every block."""

import numpy as np
import pytest

from anonymizer.synthetic import MAX_PACE, ChannelSpeaker, Resynthesis, SyntheticVoice, kept_words, phrases
from anonymizer.tts import Speech
from anonymizer.types import TimeSpan, Word

RATE = 16000


class FakeTts:
    """A 300 Hz tone, 0.3 s per word, with a word event at each word's start."""

    sample_rate_hz = 22050

    def __init__(self):
        self.texts, self.rates_wpm = [], []

    def natural_s(self, text):
        return 0.0  # no estimate: its own pace

    def speak(self, text, voice, rate_wpm=175, pitch=50):
        self.texts.append(text)
        self.rates_wpm.append(rate_wpm)
        offsets, at = [], 0
        for word in text.split(" "):
            offsets.append(at)
            at += len(word) + 1
        n = int(0.3 * self.sample_rate_hz)
        t = np.arange(n * len(offsets)) / self.sample_rate_hz
        return Speech((0.5 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), self.sample_rate_hz,
                      tuple((o, k * n) for k, o in enumerate(offsets)))


def words(*items):
    out, at = [], 0
    for text, start, end in items:
        out.append(Word(text, start, end, 0.9, at, at + len(text)))
        at += len(text) + 1
    return out


WORDS = words(("Guten", 0.5, 0.8), ("Tag,", 0.8, 1.1), ("Anna", 1.2, 1.6), ("Schmidt", 1.6, 2.0),
              ("hier.", 2.0, 2.3), ("Danke", 4.0, 4.5))


def original(seconds=5.0, level=0.2):
    t = np.arange(int(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * 150 * t)).astype(np.float32)


def rms(x):
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0


def test_redacted_words_are_never_spoken():
    tts = FakeTts()
    kept = kept_words(WORDS, [TimeSpan(1.15, 1.95)])
    assert [w.text for w in kept] == ["Guten", "Tag,", "hier.", "Danke"]
    ChannelSpeaker(kept, SyntheticVoice("de+m3", 50), RATE, tts).render(5 * RATE, 0, original())
    spoken = " ".join(tts.texts)
    assert "Anna" not in spoken and "Schmidt" not in spoken
    assert [p[0].text for p in phrases(kept)] == ["Guten", "hier.", "Danke"]


def test_words_sit_in_their_slots_at_their_loudness_and_nothing_else_is_heard():
    reference = original(level=0.2)
    out = ChannelSpeaker(WORDS, SyntheticVoice("de+m3", 50), RATE, FakeTts()).render(5 * RATE, 0, reference)
    assert len(out) == 5 * RATE
    assert rms(out[int(0.6 * RATE) : int(1.0 * RATE)]) == pytest.approx(rms(reference[:RATE]), rel=0.35)
    assert rms(out[: int(0.45 * RATE)]) < 1e-3  # before the first word: silence, not the original
    assert rms(out[int(2.5 * RATE) : int(3.9 * RATE)]) < 1e-3  # the pause between phrases
    assert rms(out[int(4.05 * RATE) : int(4.45 * RATE)]) > 0.05


class SlowTts(FakeTts):
    """Says it needs 0.5 s per word at its own pace."""

    def natural_s(self, text):
        return 0.5 * len(text.split(" "))


def test_a_phrase_too_long_for_its_slots_is_spoken_faster_never_slower():
    tts = SlowTts()  # "Guten Tag, Anna Schmidt hier." (1.8 s of slots) takes 2.5 s; "Danke" (0.5 s) fits
    ChannelSpeaker(WORDS, SyntheticVoice("piper:x", 50), RATE, tts).render(5 * RATE, 0, original())
    assert tts.rates_wpm == [round(175 * min(MAX_PACE, 2.5 / 1.8)), 175]
    fast = words(*[(f"w{k}", 0.5 + 0.1 * k, 0.6 + 0.1 * k) for k in range(10)])  # 5 s of words into 1 s
    tts = SlowTts()
    ChannelSpeaker(fast, SyntheticVoice("piper:x", 50), RATE, tts).render(5 * RATE, 0, original())
    assert tts.rates_wpm == [round(175 * MAX_PACE)]


@pytest.mark.parametrize("rate_hz", [8000, 48000])
def test_words_sit_in_their_slots_at_any_output_rate(rate_hz):
    t = np.arange(5 * rate_hz) / rate_hz
    reference = (0.2 * np.sin(2 * np.pi * 150 * t)).astype(np.float32)
    out = ChannelSpeaker(WORDS, SyntheticVoice("de+m3", 50), rate_hz, FakeTts()).render(5 * rate_hz, 0, reference)
    assert rms(out[int(0.6 * rate_hz) : int(1.0 * rate_hz)]) == pytest.approx(rms(reference[:rate_hz]), rel=0.35)
    assert rms(out[: int(0.45 * rate_hz)]) < 1e-3 and rms(out[int(2.5 * rate_hz) : int(3.9 * rate_hz)]) < 1e-3


def test_a_quiet_word_stays_quiet():
    reference = original(level=0.2)
    reference[int(4.0 * RATE) :] *= 0.1
    out = ChannelSpeaker(WORDS, SyntheticVoice("de+m3", 50), RATE, FakeTts()).render(5 * RATE, 0, reference)
    loud, quiet = rms(out[int(0.6 * RATE) : int(1.0 * RATE)]), rms(out[int(4.05 * RATE) : int(4.45 * RATE)])
    assert quiet == pytest.approx(loud * 0.1, rel=0.4)


def test_blocks_render_the_same_samples_where_they_overlap():
    reference = original()
    speaker = ChannelSpeaker(WORDS, SyntheticVoice("de+m3", 50), RATE, FakeTts())
    whole = speaker.render(5 * RATE, 0, reference)
    fresh = ChannelSpeaker(WORDS, SyntheticVoice("de+m3", 50), RATE, FakeTts())
    first = fresh.render(int(1.9 * RATE), 0, reference[: int(1.9 * RATE)])
    second = fresh.render(int(3.6 * RATE), int(1.4 * RATE), reference[int(1.4 * RATE) :])
    np.testing.assert_allclose(first[int(1.4 * RATE) : int(1.8 * RATE)], whole[int(1.4 * RATE) : int(1.8 * RATE)],
                               atol=1e-6)
    np.testing.assert_allclose(second[: int(0.4 * RATE)], whole[int(1.4 * RATE) : int(1.8 * RATE)], atol=1e-6)


def test_each_channel_gets_its_own_voice_drawn_from_the_seed():
    voices = {SyntheticVoice.draw(11, "file", channel, "en") for channel in range(8)}
    assert len(voices) > 1 and all(v.voice.startswith("en-us+") for v in voices)
    assert SyntheticVoice.draw(11, "file", 0, "en") != SyntheticVoice.draw(12, "file", 0, "en")
    synth = Resynthesis({0: WORDS, 1: []}, {1: [TimeSpan(0.0, 5.0)]}, {0: "de", 1: "de"}, 11, "file", RATE, FakeTts())
    block = synth.block(np.stack([original(), original()], axis=1), 0)
    assert block.shape == (5 * RATE, 2) and rms(block[:, 0]) > 0.01 and rms(block[:, 1]) == 0.0


def test_german_voices_come_from_the_variants_whisper_understands_and_never_repeat_in_a_call():
    from anonymizer.synthetic import CLEAR_VARIANTS

    clear = {f"de+{v}" for v in CLEAR_VARIANTS["de"]}
    assert {SyntheticVoice.draw(seed, "file", 0, "de").voice for seed in range(60)} == clear  # all of them, only them
    for seed in range(20):
        synth = Resynthesis({c: WORDS for c in range(6)}, {}, dict.fromkeys(range(6), "de"), seed, "file", RATE,
                            FakeTts())
        voices = [synth.speakers[c][0].voice.voice for c in range(6)]
        assert set(voices) <= clear and len(set(voices[:5])) == 5  # five sides: five voices


def test_espeak_ng_speaks_with_word_events():
    from anonymizer.tts import Espeak

    speech = Espeak.shared().speak("Guten Tag, mein Name ist Übung.", "de+m3")
    assert speech.sample_rate_hz > 8000 and len(speech.samples) > 0.8 * speech.sample_rate_hz
    assert [c for c, _ in speech.word_starts][:3] == [0, 6, 11]  # characters, not bytes
    assert speech.word_starts[-1][0] == len("Guten Tag, mein Name ist ")


@pytest.mark.parametrize("engine", ["espeak", "piper"])
def test_no_two_channels_of_a_file_share_a_voice(engine):
    # a stereo call's two sides, for many seeds: never the same voice; with Piper the first side speaks at
    # Piper's own pitch (no shift) and the other at least MIN_PITCH_STEP away
    from anonymizer.synthetic import MIN_PITCH_STEP, PIPER_OWN_PITCH

    for seed in range(40):
        synth = Resynthesis({0: WORDS, 1: WORDS}, {}, {0: "en", 1: "en"}, seed, "file", RATE, FakeTts(),
                            engine=engine)
        first, second = (synth.speakers[c][0].voice for c in (0, 1))
        assert first != second
        if engine == "piper":
            assert first.voice == second.voice == "piper:en_US-joe-medium"
            assert first.pitch == PIPER_OWN_PITCH and abs(second.pitch - first.pitch) >= MIN_PITCH_STEP
