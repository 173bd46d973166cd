"""Speaker turns on mono calls: two real synthetic voices (espeak-ng) taking turns are told apart; one voice
is left alone; each speaker's turns get that speaker's voice parameters or synthetic voice."""

import numpy as np
import pytest

from anonymizer.diarize import SpeakerTurn, speaker_at, speaker_turns
from anonymizer.stream import MemorySource
from anonymizer.synthetic import Resynthesis
from anonymizer.types import Audio, Word
from anonymizer.vad import speech_regions
from anonymizer.voice import Step, apply_values, speaker_parameters, transform, turn_weights

RATE = 16000
SENTENCES = ["thank you for calling, how can I help you today",
             "I would like to ask about my last invoice please",
             "of course, let me look that up for you right away",
             "it seems the amount is higher than it was last month",
             "I see, there was a one time charge for the new router",
             "ah okay, that explains it, thank you very much",
             "is there anything else I can do for you today",
             "no that was all, have a nice day and goodbye"]


def _speak(text: str, voice: str, pitch: int) -> np.ndarray:
    from pedalboard.io import StreamResampler

    from anonymizer.tts import Espeak

    speech = Espeak.shared().speak(text, voice, pitch=pitch)
    resampler = StreamResampler(speech.sample_rate_hz, RATE, 1)
    return np.concatenate([resampler.process(speech.samples[None, :])[0], resampler.process(None)[0]])


def _call(voices: list[tuple[str, int]], rounds: int = 2) -> tuple[np.ndarray, list[tuple[float, float, int]]]:
    """The sentences spoken in turns by ``voices`` (0.6 s pauses), with a little noise; and the true turns."""
    parts, truth, at = [], [], 0.0
    for k, sentence in enumerate(SENTENCES * rounds):
        speaker = k % len(voices)
        samples = _speak(sentence, *voices[speaker]) * 0.5
        truth.append((at, at + len(samples) / RATE, speaker))
        parts += [samples, np.zeros(int(0.6 * RATE), np.float32)]
        at += len(samples) / RATE + 0.6
    signal = np.concatenate(parts)
    return (signal + np.random.default_rng(0).normal(0, 0.002, len(signal))).astype(np.float32), truth


def _turns_of(signal: np.ndarray, two: bool = False) -> tuple[SpeakerTurn, ...]:
    speech = speech_regions(signal)
    return speaker_turns(MemorySource(Audio(signal[:, None], RATE)), speech, two=two)


def _right_share(turns, truth) -> float:
    right = total = 0.0
    for start, end, speaker in truth:
        for t in np.arange(start, end, 0.05):
            total += 1
            right += speaker_at(turns, t) == speaker
    return right / total


def test_two_voices_taking_turns_are_two_speakers():
    signal, truth = _call([("en-us+m3", 35), ("en-us+f4", 70)])
    turns = _turns_of(signal)
    assert {t.speaker for t in turns} == {0, 1}
    assert _right_share(turns, truth) >= 0.9
    # turns cover the recording without gaps, a change of speaker in a pause
    assert turns[0].start_s == 0 and abs(turns[-1].end_s - len(signal) / RATE) < 0.01
    assert all(a.end_s == b.start_s for a, b in zip(turns, turns[1:], strict=False))


def test_one_voice_is_one_speaker_unless_told_two():
    signal, _ = _call([("en-us+m3", 40)])
    assert _turns_of(signal) == ()
    assert _turns_of(np.zeros(RATE * 20, np.float32)) == ()  # no speech at all
    assert _turns_of(signal[: RATE * 4]) == ()  # too little speech to tell


def test_told_two_splits_a_call_whose_voices_are_close():
    signal, truth = _call([("en-us+m3", 40), ("en-us+m1", 50)])
    turns = _turns_of(signal, two=True)
    assert {t.speaker for t in turns} == {0, 1}
    assert _right_share(turns, truth) >= 0.8


def test_turn_weights_add_up_to_one_and_cross_fade():
    turns = [SpeakerTurn(0.0, 1.0, 0), SpeakerTurn(1.0, 2.5, 1), SpeakerTurn(2.5, 4.0, 0)]
    weights = turn_weights(turns, RATE, 2 * RATE, offset_s=1.5)  # a block from 1.5 s to 3.5 s
    total = weights[0] + weights[1]
    assert np.allclose(total, 1.0, atol=1e-6)
    assert weights[1][: int(0.9 * RATE)].min() == 1.0 and weights[0][int(1.1 * RATE) :].min() == 1.0
    fade = weights[0][int(0.99 * RATE) : int(1.01 * RATE)]
    assert 0 < fade.min() < fade.max() < 1  # a cross-fade, not a jump
    assert set(turn_weights(turns, RATE, RATE, offset_s=1.2)) == {1}


def test_each_speaker_gets_their_own_parameters():
    chain = [Step("pitch", 1.0, 2.0, either_sign=True)]
    t = np.arange(4 * RATE) / RATE
    audio = Audio((0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)[:, None], RATE)
    turns = (SpeakerTurn(0.0, 2.0, 0), SpeakerTurn(2.0, 4.0, 1))
    seed = next(s for s in range(100) if speaker_parameters(chain, s, "k", 0) != speaker_parameters(chain, s, "k", 1))
    mixed = transform(audio, chain, seed, "k", turns).samples[:, 0]
    first = apply_values(audio.samples[:, 0], RATE, chain, speaker_parameters(chain, seed, "k", 0))
    second = apply_values(audio.samples[:, 0], RATE, chain, speaker_parameters(chain, seed, "k", 1))
    assert np.allclose(mixed[: int(1.9 * RATE)], first[: int(1.9 * RATE)], atol=1e-6)
    assert np.allclose(mixed[int(2.1 * RATE) :], second[int(2.1 * RATE) :], atol=1e-6)
    # one speaker alone sounds exactly as without turns
    alone = transform(audio, chain, seed, "k", (SpeakerTurn(0.0, 4.0, 0),)).samples
    assert np.array_equal(alone, transform(audio, chain, seed, "k").samples)


@pytest.mark.parametrize("seed", range(8))
def test_synthetic_gives_each_speaker_a_different_voice(seed):
    words = [Word("hello", 0.5, 0.9, 0.9, 0, 5), Word("there", 3.0, 3.4, 0.9, 6, 11)]
    turns = (SpeakerTurn(0.0, 2.0, 0), SpeakerTurn(2.0, 4.0, 1))
    resynthesis = Resynthesis({0: words}, {}, {0: "en"}, seed, "file", RATE, tts=object(), turns=turns)
    first, second = resynthesis.speakers[0]
    assert first.voice.voice != second.voice.voice
    assert [w.text for p in first.phrases for w in p] == ["hello"]
    assert [w.text for p in second.phrases for w in p] == ["there"]
    alone = Resynthesis({0: words}, {}, {0: "en"}, seed, "file", RATE, tts=object())
    assert alone.speakers[0][0].voice == first.voice  # speaker 0 is the channel's voice without turns


def test_speaker_at():
    turns = [SpeakerTurn(0.0, 1.0, 0), SpeakerTurn(1.0, 2.0, 1)]
    assert [speaker_at(turns, t) for t in (0.5, 1.0, 1.5, 5.0)] == [0, 1, 1, 1]
    assert speaker_at([], 3.0) == 0


@pytest.mark.parametrize(("speakers", "voice", "given"), [("auto", "disguise", 2), ("one", "disguise", 1),
                                                          ("two", "disguise", 2), ("auto", "none", 0)])
def test_a_run_gives_a_mono_calls_speakers_their_own_voices(tmp_path, speakers, voice, given):
    import json

    from anonymizer.audio import FORMATS, write_atomic
    from anonymizer.config import VOICE_LEVELS, load_config
    from anonymizer.pipeline import Pipeline
    from tests.fakes import FakeDetector, FakeTranscriber

    signal, truth = _call([("en-us+m3", 35), ("en-us+f4", 70)], rounds=1)
    path = tmp_path / "call.wav"
    write_atomic(Audio(signal[:, None], RATE), path, FORMATS["wav"])
    chain = [step.model_dump(mode="json") for step in VOICE_LEVELS[voice]]
    config = load_config(None, {"voice": {"chain": chain, "speakers": speakers}})
    words = [(f"w{k}", start + 0.2, start + 0.6) for k, (start, _, _) in enumerate(truth)]
    result = Pipeline(config, FakeTranscriber(words), FakeDetector()).run(path, tmp_path / "out")
    assert result.status.value == "ok", result.error
    assert json.loads(result.report_path.read_text())["voice_speakers"] == given


@pytest.mark.parametrize(("voice", "speakers", "given"), [("disguise", "auto", 2), ("disguise", "one", 1),
                                                         ("synthetic", "one", 2)])
def test_a_dual_mono_recording_is_voiced_as_one_mono_call(tmp_path, voice, speakers, given):
    """Two channels that carry one recording (a mono call saved as stereo) are heard as one, so they are
    voiced as one: the call's two speakers get their own voices, the same on both channels."""
    import json

    from anonymizer.audio import FORMATS, decode, write_atomic
    from anonymizer.config import VOICE_LEVELS, load_config
    from anonymizer.pipeline import Pipeline
    from tests.fakes import FakeDetector, FakeTranscriber

    signal, truth = _call([("en-us+m3", 35), ("en-us+f4", 70)], rounds=1)
    path = tmp_path / "call.wav"
    write_atomic(Audio(np.stack([signal, 0.98 * signal], axis=1), RATE), path, FORMATS["wav"])
    chain = [step.model_dump(mode="json") for step in VOICE_LEVELS.get(voice, ())]
    config = load_config(None, {"voice": {"chain": chain, "synthetic": voice == "synthetic", "speakers": speakers}})
    words = [(f"w{k}", start + 0.2, start + 0.6) for k, (start, _, _) in enumerate(truth)]
    result = Pipeline(config, FakeTranscriber(words), FakeDetector()).run(path, tmp_path / "out")
    assert result.status.value == "ok", result.error
    # one voice for the one recording; the synthetic voice still speaks each channel's words in its own
    assert json.loads(result.report_path.read_text())["voice_speakers"] == given
    if voice == "synthetic":
        return
    out = decode(result.output_path).samples
    assert out.shape[1] == 2 and float(np.abs(out).max()) > 0.05
    # one voice on both channels (each channel's bleeps and fill follow its own level; two voices would
    # differ by about the signal itself)
    rms = float(np.sqrt(np.mean(out[:, 0] ** 2)))
    assert float(np.sqrt(np.mean((out[:, 0] - out[:, 1]) ** 2))) < 0.05 * rms
